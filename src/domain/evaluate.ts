/**
 * The rules of SPEC §3 applied to a case at an instant: deadline, counters,
 * cards. Pure; the calendar and policy in force are inputs and their versions
 * are shown with the result.
 */
import type {
  Card,
  CaseEvaluation,
  CaseState,
  EpochMs,
  EscalationView,
  ExtensionView,
  PauseView,
  RatingView,
} from './types.js';
import type { TimingCalendar } from './calendar/work-calendar.js';
import type { Policy } from './policy.js';
import { formatDate, formatInstant } from './time.js';
import { nextChangeOf, timelineOf, type RawCard, type Timeline } from './timeline.js';
import { cardDetails } from './alerts.js';
import { explainRawCard } from './explain.js';
import { stateAsOf } from './state-as-of.js';
import { retroactiveExtensions } from './deadline-warnings.js';
import { answeredOnTime, replyStatus } from './escalationReply.js';

export { stateAsOf };

export interface EvaluateOptions {
  /** Attach `explain` to every card (slower; for the case page). */
  readonly explain?: boolean;
  /** With `explain`: to the first this many cards only (a bound on a long case's answer). */
  readonly explainAtMost?: number;
}

/** The case at `asOf`, or null when it had not been accepted by then. */
export function evaluate(
  state: CaseState,
  asOf: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
  options: EvaluateOptions = {},
): CaseEvaluation | null {
  const s = stateAsOf(state, asOf);
  const tl = timelineOf(s, asOf, policy, calendar);
  if (tl === null || s.accepted === undefined || s.acceptedAt === undefined) return null;
  const zone = calendar.zone;
  const fmt = (ms: EpochMs) => formatInstant(ms, zone);
  const a = s.accepted;

  const cards: Card[] = [];
  for (const raw of tl.cards) {
    if (raw.start > asOf) continue;
    const details = caseCardDetails(raw, s, tl);
    const card: { -readonly [K in keyof Card]: Card[K] } = {
      rule: raw.rule,
      color: raw.color,
      startedAt: fmt(raw.start),
      calendarVersion: calendar.version,
      policyVersion: policy.version,
    };
    if (raw.clear !== undefined && raw.clear <= asOf) card.clearedAt = fmt(raw.clear);
    if (raw.pauseId !== undefined) card.pauseId = raw.pauseId;
    if (raw.escalation !== undefined) {
      card.escalation = raw.escalation;
      const id = s.escalations[raw.escalation]?.escalationId;
      if (id !== undefined) card.escalationId = id;
    }
    if (details !== undefined) card.details = details;
    if (options.explain === true && cards.length < (options.explainAtMost ?? Number.POSITIVE_INFINITY))
      card.explain = explainRawCard(raw, s, tl, policy, calendar);
    cards.push(card);
  }

  const pauses = tl.pauses.map((f): PauseView => {
    const p = f.pause;
    const view: { -readonly [K in keyof PauseView]: PauseView[K] } = {
      pauseId: p.pauseId,
      reason: p.reason,
      pausedAt: fmt(p.pausedAt),
      allowanceDays: f.allowanceDays,
      countedDays: f.countedDays,
      open: p.resumedAt === undefined,
    };
    if (p.resumedAt !== undefined) view.resumedAt = fmt(p.resumedAt);
    if (p.declaredDays !== undefined) view.declaredDays = p.declaredDays;
    if (p.note !== undefined) view.note = p.note;
    if (f.retroactive) view.retroactive = true;
    return view;
  });

  const escalations = s.escalations.map((e, i): EscalationView => {
    const f = tl.escalations[i]!;
    const answer = e.answer;
    return {
      escalationId: e.escalationId,
      level: e.level,
      at: fmt(e.at),
      by: e.by,
      respondWithinDays: f.respondWithinDays,
      respondBy: fmt(f.respondBy),
      reply: replyStatus(f.respondBy, answer?.at, s.completedAt, asOf),
      ...(e.note === undefined ? {} : { note: e.note }),
      ...(answer === undefined
        ? {}
        : {
            answeredAt: fmt(answer.at),
            answeredOnTime: answeredOnTime(answer.at, f.respondBy),
            ...(answer.by === undefined ? {} : { answeredBy: answer.by }),
            ...(answer.note === undefined ? {} : { answerNote: answer.note }),
          }),
    };
  });
  const counted = tl.countedExtensions;
  const retroactive =
    counted.length === 0 ? [] : retroactiveExtensions(s, counted, tl.acceptedDay, calendar.forCenter(a.centerId));
  const extensions = s.extensions.map(
    (x): ExtensionView => ({
      at: fmt(x.at),
      days: x.days,
      approvedBy: x.approvedBy,
      reason: x.reason,
      ...(counted === s.extensions || counted.includes(x) ? {} : { voided: true }),
      ...(retroactive.includes(x) ? { retroactive: true } : {}),
    }),
  );

  return {
    caseId: s.caseId,
    asOf: fmt(asOf),
    status: s.status ?? 'open',
    centerId: a.centerId,
    departmentId: a.departmentId,
    matterCode: a.matterCode,
    ...(a.matterName === undefined ? {} : { matterName: a.matterName }),
    kind: a.kind,
    promisedDays: a.promisedDays,
    extendedDays: tl.extendedDays,
    ...(a.legalDays === undefined ? {} : { legalDays: a.legalDays }),
    channel: a.channel,
    ...(a.category === undefined ? {} : { category: a.category }),
    acceptedAt: fmt(s.acceptedAt),
    acceptedDate: formatDate(tl.acceptedDay),
    deadlineDate: formatDate(tl.deadlineDay),
    dueAt: fmt(tl.dueAt),
    usedDays: tl.usedDays,
    remainingDays: tl.remainingDays,
    overdueDays: tl.overdueDays,
    pauses,
    escalations,
    extensions,
    completedAt: s.completedAt === undefined ? null : fmt(s.completedAt),
    outcome: s.outcome ?? null,
    onTime: tl.onTime,
    early: tl.early,
    rating: ratingView(s, tl, fmt),
    cards,
    provisional: tl.provisional,
    calendarVersion: calendar.version,
    ...regionOf(calendar, a.centerId),
    policyVersion: policy.version,
    revision: s.revision,
  };
}

function regionOf(calendar: TimingCalendar, centerId: string): { calendarRegion?: string } {
  const region = calendar.forCenter(centerId).region;
  return region === undefined ? {} : { calendarRegion: region };
}

function ratingView(s: CaseState, tl: Timeline, fmt: (ms: EpochMs) => string): RatingView | null {
  const r = s.rating;
  const f = tl.rating;
  if (r === undefined || f === undefined) return null;
  const view: { -readonly [K in keyof RatingView]: RatingView[K] } = {
    ratedAt: fmt(r.at),
    score: r.score,
    channel: r.channel,
    bad: f.bad,
  };
  if (r.comment !== undefined) view.comment = r.comment;
  if (f.followUpDue !== undefined) view.followUpDueAt = fmt(f.followUpDue);
  if (r.followUp !== undefined) {
    view.followedUpAt = fmt(r.followUp.at);
    view.followUpNote = r.followUp.note;
    if (r.followUp.by !== undefined) view.followedUpBy = r.followUp.by;
    if (f.followUpDue !== undefined) view.followedUpOnTime = r.followUp.at < f.followUpDue;
  }
  return view;
}

/** A card on the case page: why it was raised (the alert law's details), plus the overdue count as of `asOf`. */
function caseCardDetails(raw: RawCard, s: CaseState, tl: Timeline): Record<string, unknown> | undefined {
  const why = cardDetails(raw, s, tl);
  if (raw.rule === 'overdue') return { overdueDays: tl.overdueDays, ...why };
  return why;
}

/**
 * The next instant strictly after `asOf` at which a card starts or clears,
 * assuming no event after `asOf` (events in the state that occurred later are
 * ignored: they are "new events"); null when nothing can change without one.
 */
export function nextBoundary(
  state: CaseState,
  asOf: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
): EpochMs | null {
  const tl = timelineOf(stateAsOf(state, asOf), asOf, policy, calendar);
  return tl === null ? null : (nextChangeOf(tl, asOf) ?? null);
}
