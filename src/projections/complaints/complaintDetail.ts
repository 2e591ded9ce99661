/**
 * `GET /complaints/{complaintId}` (SPEC §4, §8): one complaint as of an instant,
 * from its own stream's events: those that occurred by `asOf` are folded (so a
 * department assigned later, or an answer after `asOf`, is not in it), then its
 * two clocks in numbers and its cards are read off the timeline at `asOf` with
 * the calendar in force and the policy version in force at its receipt (the
 * read model's choice). A complaint stream holds a handful of events (bounded by
 * the write side), so this costs one short stream read.
 */
import { decodeComplaintEvent } from '../../domain/complaints/events.js';
import {
  type ComplaintEvolveOptions,
  type ComplaintState,
  complaintStatusOf,
  evolveComplaint,
  initialComplaintState,
} from '../../domain/complaints/evolve.js';
import type {
  ComplaintCardRule,
  ComplaintChannel,
  ComplaintFinding,
  ComplaintStatus,
  SatisfactionLevel,
} from '../../domain/complaints/lists.js';
import {
  complaintAlertsAt,
  complaintLateRecordOf,
  type ComplaintTimeline,
  complaintTimelineOf,
  recordedClear,
} from '../../domain/complaints/timeline.js';
import { formatDate, formatInstant, tryParseInstant } from '../../domain/time.js';
import type { CardColor, EpochMs } from '../../domain/types.js';
import type { RecordedEvent } from '../../store/port.js';
import type { ComplaintListSources } from './complaintList.js';
import type { ComplaintTiming } from './complaintProjection.js';

export interface ComplaintCardView {
  readonly rule: ComplaintCardRule;
  readonly color: CardColor;
  readonly startedAt: string;
  readonly clearedAt?: string;
  /** complaint-late-record: the late event (`{eventType, revision, delayHours}`, as a case's late-record card). */
  readonly details?: { readonly eventType: string; readonly revision: number; readonly delayHours: number };
}

export interface ComplaintEventView extends Readonly<Record<string, unknown>> {
  readonly revision: number;
  readonly position: string;
  readonly recordedAt: string;
}

export interface DecideClockView {
  readonly withinDays: number;
  /** The last day to accept or reject on (local date). */
  readonly byDate: string;
  readonly dueAt: string;
  readonly decidedAt?: string;
  readonly usedDays: number;
  /** Null while undecided and not yet due. */
  readonly onTime: boolean | null;
}

export interface AnswerClockView {
  readonly withinDays: number;
  readonly warnAtDay: number;
  readonly warnAt?: string;
  readonly byDate: string;
  readonly dueAt: string;
  readonly answeredAt?: string;
  readonly usedDays: number;
  readonly remainingDays: number;
  readonly overdueDays: number;
  readonly onTime: boolean | null;
}

export interface ComplaintDetail {
  readonly complaintId: string;
  readonly status: ComplaintStatus;
  readonly channel: ComplaintChannel;
  readonly centerId: string;
  readonly centerName?: string;
  readonly departmentId?: string;
  readonly departmentName?: string;
  readonly caseId?: string;
  readonly subject: string;
  readonly anonymous?: boolean;
  readonly receivedAt: string;
  readonly acceptedAt?: string;
  readonly rejected?: { readonly at: string; readonly reason: string };
  readonly answered?: { readonly at: string; readonly finding: ComplaintFinding; readonly note?: string };
  readonly closed?: { readonly at: string; readonly satisfaction?: SatisfactionLevel };
  readonly decide: DecideClockView;
  readonly answer?: AnswerClockView;
  /** Cards started by asOf. */
  readonly cards: readonly ComplaintCardView[];
  /** Rules in force at asOf, each once. */
  readonly alerts: readonly ComplaintCardRule[];
  readonly events: readonly ComplaintEventView[];
  readonly asOf: string;
  /** SPEC §3: the clocks use a day of a year the calendar only predicts (they may still move). */
  readonly provisional: boolean;
  readonly calendarVersion: string;
  /**
   * The region whose regional days timed the clocks (its center's), absent for none: the calendar
   * version covers every region, so two answers of one version may differ with nothing else to say why.
   */
  readonly calendarRegion?: string;
  readonly policyVersion: string;
}

export type ComplaintDetailSources = Pick<ComplaintListSources, 'complaints' | 'zone' | 'names'>;

/**
 * The complaint as of `asOf`; undefined when it was not received by then (404
 * `complaint-not-found`). `timing`: the calendar and policy selection to use
 * (a read as known at K passes those published by K); default the read model's.
 */
export function complaintDetail(
  complaintId: string,
  recorded: readonly RecordedEvent[],
  asOf: EpochMs,
  src: ComplaintDetailSources,
  timing?: ComplaintTiming,
): ComplaintDetail | undefined {
  const events: ComplaintEventView[] = [];
  const options = timing?.evolveOptions?.() ?? src.complaints.evolveOptions();
  const s = complaintFromRecorded(complaintId, recorded, asOf, options, (e) =>
    events.push({ ...e.data, revision: Number(e.revision), position: e.position.toString(), recordedAt: e.recordedAt }),
  );
  const r = s.received;
  if (r === undefined) return undefined;
  const calendar = timing?.calendar() ?? src.complaints.calendar();
  const policy = timing?.policyFor(r.at) ?? src.complaints.policyOf(s);
  if (policy === undefined) return undefined;
  const tl = complaintTimelineOf(s, asOf, policy, calendar);
  if (tl === null) return undefined;
  const show = (t: EpochMs): string => formatInstant(t, src.zone);
  const opt = <T>(name: string, value: T | undefined): Record<string, T> =>
    value === undefined ? {} : { [name]: value };
  const d = tl.decide;
  const a = tl.answer;
  return {
    complaintId,
    status: complaintStatusOf(s),
    channel: r.channel,
    centerId: r.centerId,
    ...opt('centerName', src.names.centerName(r.centerId)),
    ...opt('departmentId', s.departmentId),
    ...opt('departmentName', s.departmentId === undefined ? undefined : src.names.departmentName(s.departmentId)),
    ...opt('caseId', r.caseId),
    subject: r.subject,
    ...opt('anonymous', r.anonymous),
    receivedAt: show(r.at),
    ...opt('acceptedAt', s.acceptedAt === undefined ? undefined : show(s.acceptedAt)),
    ...opt('rejected', s.rejected && { at: show(s.rejected.at), reason: s.rejected.reason }),
    ...opt('answered', s.answered && { ...s.answered, at: show(s.answered.at) }),
    ...opt('closed', s.closed && { ...s.closed, at: show(s.closed.at) }),
    decide: {
      withinDays: d.withinDays,
      byDate: formatDate(d.byDay),
      dueAt: show(d.dueAt),
      ...opt('decidedAt', d.decidedAt === undefined ? undefined : show(d.decidedAt)),
      usedDays: d.usedDays,
      onTime: d.onTime,
    },
    ...opt(
      'answer',
      a && {
        withinDays: a.withinDays,
        warnAtDay: a.warnAtDay,
        ...opt('warnAt', a.warnAt === undefined ? undefined : show(a.warnAt)),
        byDate: formatDate(a.byDay),
        dueAt: show(a.dueAt),
        ...opt('answeredAt', a.answeredAt === undefined ? undefined : show(a.answeredAt)),
        usedDays: a.usedDays,
        remainingDays: a.remainingDays,
        overdueDays: a.overdueDays,
        onTime: a.onTime,
      },
    ),
    cards: tl.cards
      .filter((c) => c.start <= asOf)
      .map((c): ComplaintCardView => {
        const cleared = recordedClear(c, asOf);
        const late = complaintLateRecordOf(s, c);
        return {
          rule: c.rule,
          color: c.color,
          startedAt: show(c.start),
          ...(cleared === undefined ? {} : { clearedAt: show(cleared) }),
          ...(late === undefined ? {} : { details: late }),
        };
      }),
    alerts: [...new Set(complaintAlertsAt(tl, s, asOf).map((c) => c.rule))],
    events,
    asOf: show(asOf),
    provisional: tl.provisional,
    calendarVersion: calendar.version,
    ...opt('calendarRegion', calendar.forCenter(r.centerId).region),
    policyVersion: policy.version,
  };
}

/**
 * The complaint folded from its stored events that occurred by `asOf` (each told to `folded`), each
 * with its recordedAt, as the read model folds them (late records, `options`).
 */
function complaintFromRecorded(
  complaintId: string,
  recorded: readonly RecordedEvent[],
  asOf: EpochMs,
  options: ComplaintEvolveOptions,
  folded: (e: RecordedEvent) => void = () => {},
): ComplaintState {
  let s = initialComplaintState(complaintId);
  for (const e of recorded) {
    const decoded = decodeComplaintEvent(e.data);
    if (!decoded.ok || decoded.event.complaintId !== complaintId) continue;
    const at = tryParseInstant(decoded.event.occurredAt);
    if (at === undefined || at > asOf) continue;
    const recordedAt = tryParseInstant(e.recordedAt);
    const meta = { revision: Number(e.revision), occurredAt: at };
    s = evolveComplaint(s, decoded.event, recordedAt === undefined ? meta : { ...meta, recordedAt }, options);
    folded(e);
  }
  return s;
}

/**
 * The complaint folded from all its stored events, whatever instant they occurred at, as the complaint
 * fold holds it (`options`: what the fold keeps): the register as known at K reads it at K.
 */
export function recordedComplaintState(
  complaintId: string,
  recorded: readonly RecordedEvent[],
  options: ComplaintEvolveOptions,
): ComplaintState {
  return complaintFromRecorded(complaintId, recorded, Number.POSITIVE_INFINITY, options);
}

/** The complaint's timeline at `at` from its stored events, timed by `timing` (null: not received by then). */
export function recordedComplaintTimeline(
  complaintId: string,
  recorded: readonly RecordedEvent[],
  at: EpochMs,
  timing: ComplaintTiming,
): ComplaintTimeline | null {
  const s = complaintFromRecorded(complaintId, recorded, at, timing.evolveOptions?.() ?? {});
  if (s.received === undefined) return null;
  return complaintTimelineOf(s, at, timing.policyFor(s.received.at), timing.calendar());
}
