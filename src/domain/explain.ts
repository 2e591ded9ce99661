/**
 * Why a card was raised, in numbers an auditor can check against a printed
 * calendar: which dates counted, which were paused, which were skipped as
 * holidays or weekends, which make-up days counted, and the threshold.
 * Walks days one by one, so it is computed only on request.
 */
import type { CardRule, CaseState, EpochDay, EpochMs } from './types.js';
import type { TimingCalendar, DayRange } from './calendar/work-calendar.js';
import type { Policy } from './policy.js';
import { formatDate, formatInstant } from './time.js';
import { lateRecordFigures, pauseFactsOf, timelineOf, type RawCard, type Timeline } from './timeline.js';
import { stateAsOf } from './state-as-of.js';

/** Explanations list at most this many days per category (a case page, not a report). */
const MAX_LISTED = 400;

interface DayBreakdown {
  readonly countedDates: string[];
  readonly pausedWorkdays: string[];
  readonly holidaysSkipped: string[];
  readonly weekendsSkipped: string[];
  readonly makeUpDaysCounted: string[];
  readonly regionalDays: { date: string; region: string }[];
  /** Holidays of a year with no notice, assumed from the law (全国年节及纪念日放假办法). */
  readonly predictedHolidays: { date: string; name: string }[];
}

const inRanges = (day: EpochDay, merged: readonly DayRange[]) => merged.some((r) => day > r.after && day <= r.through);

function breakdown(cal: TimingCalendar, after: EpochDay, through: EpochDay, merged: readonly DayRange[]): DayBreakdown {
  const out: DayBreakdown = {
    countedDates: [],
    pausedWorkdays: [],
    holidaysSkipped: [],
    weekendsSkipped: [],
    makeUpDaysCounted: [],
    regionalDays: [],
    predictedHolidays: [],
  };
  const last = Math.min(through, after + MAX_LISTED);
  for (let d = after + 1; d <= last; d++) {
    const kind = cal.dayKind(d);
    const date = formatDate(d);
    const region = cal.regionOfDay(d);
    if (region !== undefined) out.regionalDays.push({ date, region });
    const assumed = kind === 'holiday' ? cal.predictedHolidayOf(d) : undefined;
    if (assumed !== undefined) out.predictedHolidays.push({ date, name: assumed });
    if (kind === 'holiday') out.holidaysSkipped.push(date);
    else if (kind === 'weekend') out.weekendsSkipped.push(date);
    else if (inRanges(d, merged)) out.pausedWorkdays.push(date);
    else {
      out.countedDates.push(date);
      if (kind === 'makeup') out.makeUpDaysCounted.push(date);
    }
  }
  return out;
}

export function explainRawCard(
  raw: RawCard,
  state: CaseState,
  tl: Timeline,
  policy: Policy,
  calendar: TimingCalendar,
): Record<string, unknown> {
  const cal = state.accepted === undefined ? calendar : calendar.forCenter(state.accepted.centerId);
  const fmt = (ms: EpochMs) => formatInstant(ms, cal.zone);
  const common = { calendarVersion: cal.version, policyVersion: policy.version, asOf: fmt(tl.asOf) };
  switch (raw.rule) {
    case 'deadline-warning':
    case 'overdue': {
      // Every figure at one instant: a warning's as the case stood when it started (the extensions, the
      // warning day and the deadline then — an extension after it moves the deadline only for later
      // cards), an overdue card's at `asOf` (its deadline cannot move once it started). What changed
      // since is named as now (`extendedDaysNow`).
      const at = raw.rule === 'deadline-warning' ? (timelineAtStart(raw, state, policy, calendar) ?? tl) : tl;
      const through = Math.max(at.deadlineDay, raw.rule === 'overdue' ? at.endDay : at.deadlineDay);
      return {
        ...common,
        acceptedDate: formatDate(at.acceptedDay),
        promisedDays: at.promisedDays,
        extendedDays: at.extendedDays,
        ...(at.extendedDays !== tl.extendedDays ? { extendedDaysNow: tl.extendedDays } : {}),
        extensions: extensionsExplained(state, tl, cal, fmt),
        ...(raw.clear !== undefined && tl.countedExtensions.some((x) => x.at === raw.clear)
          ? { clearedBy: `the extension at ${fmt(raw.clear)}, which moved the warning day past it` }
          : {}),
        warningRatio: policy.deadlineWarningRatio,
        warnAtDay: at.warnAtDay,
        warnDate: at.warnDay === undefined ? null : formatDate(at.warnDay),
        deadlineDate: formatDate(at.deadlineDay),
        dueAt: fmt(at.dueAt),
        usedDays: at.usedDays,
        overdueDays: at.overdueDays,
        pauses: at.merged.map((r) => ({ after: formatDate(r.after), through: formatDate(r.through) })),
        rule:
          raw.rule === 'overdue'
            ? 'red at dueAt (24:00 of deadlineDate) while the case is still open'
            : 'yellow at 00:00 of counted day warnAtDay = ⌈ratio × (promisedDays + extendedDays)⌉; clears at completion, when overdue starts, or at an extension that moves that day past it',
        ...breakdown(cal, at.acceptedDay, through, at.merged),
      };
    }
    case 'pause-warning':
    case 'overlong-pause': {
      const f = pauseFactsOf(tl, raw.pauseId);
      if (f === undefined) return common;
      const through = Math.max(f.throughDay, cal.dayOf(f.overlongStart) - 1);
      const own = breakdown(cal, f.pausedDay, through, []);
      return {
        ...common,
        pauseId: f.pause.pauseId,
        reason: f.pause.reason,
        pausedDate: formatDate(f.pausedDay),
        allowanceDays: f.allowanceDays,
        allowanceSource: f.pause.declaredDays === undefined ? `policy default for ${f.pause.reason}` : 'declaredDays',
        warningRatio: policy.pauseWarningRatio,
        warnAtDay: f.warnAtDay,
        overlongAt: fmt(f.overlongStart),
        countedDays: f.countedDays,
        retroactive: f.retroactive,
        rule: "the pause's own working days after the pause date count against its allowance",
        pauseWorkdays: own.countedDates,
        holidaysSkipped: own.holidaysSkipped,
        weekendsSkipped: own.weekendsSkipped,
        makeUpDaysCounted: own.makeUpDaysCounted,
      };
    }
    case 'escalation-unanswered': {
      const i = raw.escalation ?? 0;
      const e = state.escalations[i];
      const f = tl.escalations[i];
      if (e === undefined || f === undefined) return common;
      const own = breakdown(cal, cal.dayOf(e.at), f.respondByDay, []);
      return {
        ...common,
        level: e.level,
        escalatedDate: formatDate(cal.dayOf(e.at)),
        respondWithinDays: f.respondWithinDays,
        respondByDate: formatDate(f.respondByDay),
        respondBy: fmt(f.respondBy),
        escalationId: e.escalationId,
        answeredAt: f.answeredAt === undefined ? null : fmt(f.answeredAt),
        rule: 'red at the end of the respondWithinDays-th working day after the escalation date if the case is open and no reply (回告) came before it',
        workdays: own.countedDates,
        holidaysSkipped: own.holidaysSkipped,
        weekendsSkipped: own.weekendsSkipped,
        makeUpDaysCounted: own.makeUpDaysCounted,
      };
    }
    case 'bad-rating-unresolved': {
      const f = tl.rating;
      if (f?.followUpDueDay === undefined || f.followUpDue === undefined) return common;
      const own = breakdown(cal, f.ratedDay, f.followUpDueDay, []);
      return {
        ...common,
        score: f.score,
        ratedAt: fmt(f.ratedAt),
        ratedDate: formatDate(f.ratedDay),
        followUpDays: f.followUpDays,
        followUpDueDate: formatDate(f.followUpDueDay),
        followUpDueAt: fmt(f.followUpDue),
        followedUpAt: f.followedUpAt === undefined ? null : fmt(f.followedUpAt),
        rule: 'red at the end of the badRatingFollowUpDays-th working day after the date of a 差评 (score ≤ 2) not followed up (整改回访) before it',
        workdays: own.countedDates,
        holidaysSkipped: own.holidaysSkipped,
        weekendsSkipped: own.weekendsSkipped,
        makeUpDaysCounted: own.makeUpDaysCounted,
      };
    }
    case 'late-record': {
      const r = raw.lateRecord === undefined ? undefined : state.lateRecords[raw.lateRecord];
      if (r === undefined) return common;
      return { ...common, ...lateRecordFigures(r, policy.lateRecordHours, fmt) };
    }
  }
}

/**
 * Each extension: when, how many days, and which counted days it added (the deadline before and
 * after it); one that came at or after the due instant then in force adds none (`voided`).
 */
function extensionsExplained(state: CaseState, tl: Timeline, cal: TimingCalendar, fmt: (ms: EpochMs) => string) {
  let total = tl.promisedDays;
  const counted = new Set(tl.countedExtensions);
  return state.extensions.map((x) => {
    const before = cal.nthCountedDayAfter(tl.acceptedDay, total, tl.merged);
    if (counted.has(x)) total += x.days;
    const after = cal.nthCountedDayAfter(tl.acceptedDay, total, tl.merged);
    return {
      at: fmt(x.at),
      days: x.days,
      approvedBy: x.approvedBy,
      reason: x.reason,
      deadlineBefore: formatDate(before),
      deadlineAfter: formatDate(after),
      daysAdded: breakdown(cal, before, after, tl.merged).countedDates,
      ...(counted.has(x) ? {} : { voided: 'came at or after the due instant then in force: adds no days (SPEC §2)' }),
    };
  });
}

/**
 * The case's timeline at the instant `raw` started, as a read `asOf` then shows it (the events that
 * occurred by then): the extensions recorded by then, the warning day and the deadline they made (SPEC §3).
 */
function timelineAtStart(raw: RawCard, state: CaseState, policy: Policy, calendar: TimingCalendar): Timeline | null {
  return timelineOf(stateAsOf(state, raw.start), raw.start, policy, calendar);
}

export interface CardRef {
  readonly rule: CardRule;
  /** The instant the card started: which one, where a rule has several (a warning split by an extension). */
  readonly startedAt?: EpochMs;
  readonly pauseId?: string;
  readonly escalation?: number;
  /** For late-record: the revision of the late event. */
  readonly revision?: number;
}

/** The explanation of one card of a case at `asOf` (null when there is no such card). */
export function explainCard(
  state: CaseState,
  ref: CardRef,
  asOf: EpochMs,
  policy: Policy,
  cal: TimingCalendar,
): Record<string, unknown> | null {
  const s = stateAsOf(state, asOf);
  const tl = timelineOf(s, asOf, policy, cal);
  if (tl === null) return null;
  const raw = tl.cards.find(
    (c) =>
      c.start <= asOf &&
      c.rule === ref.rule &&
      (ref.startedAt === undefined || c.start === ref.startedAt) &&
      (ref.pauseId === undefined || c.pauseId === ref.pauseId) &&
      (ref.escalation === undefined || c.escalation === ref.escalation) &&
      (ref.revision === undefined ||
        (c.lateRecord !== undefined && s.lateRecords[c.lateRecord]?.revision === ref.revision)),
  );
  return raw === undefined ? null : explainRawCard(raw, s, tl, policy, cal);
}
