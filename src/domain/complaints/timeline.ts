/**
 * SPEC §8's complaint clocks in numbers, at an instant T (the state holds only
 * events that occurred by T). Both clocks are the case law of SPEC §3 with no
 * pauses: the n-th counted working day after the starting date
 * (`nthCountedDayAfter`, the calendar of the complaint's center), due at the end
 * (24:00) of that day; the answer warning starts at 00:00 of counted day
 * ⌈deadlineWarningRatio × n⌉ (`warningDayOf`, the case rule).
 *
 * Cards carry the instant the work they flag was done as `clear` (the decision
 * for complaint-undecided, the answer for the other two; the warning also clears
 * when the overdue card starts). Cards starting after T are included when the
 * events so far determine them (the due timer reads the next start off them).
 *
 * complaint-late-record is the case rule late-record (SPEC §3) for complaint
 * events: one yellow card per event recorded more than `policy.lateRecordHours`
 * after it occurred, from its recordedAt, never cleared (docs/complaints.md).
 */
import type { DayRange, TimingCalendar } from '../calendar/work-calendar.js';
import { warningDayOf } from '../deadline-warnings.js';
import type { Policy } from '../policy.js';
import { MS_PER_HOUR } from '../time.js';
import { delayHoursOf } from '../timeline.js';
import type { EpochDay, EpochMs } from '../types.js';
import { decidedAtOf, type ComplaintState } from './evolve.js';
import { COMPLAINT_RULE_COLOR, COMPLAINT_RULE_INDEX, type ComplaintCardRule } from './lists.js';
import { hasStarted } from '../cardStarted.js';

const NO_PAUSES: readonly DayRange[] = [];

export interface ComplaintCard {
  readonly rule: ComplaintCardRule;
  readonly color: 'yellow' | 'red';
  readonly start: EpochMs;
  /** When it leaves the board: for a red card too, at the decision or answer (the alert law's, not the record's). */
  readonly clear?: EpochMs;
  /** For complaint-late-record: the index into state.lateRecords (the case card's `lateRecord`). */
  readonly lateRecord?: number;
}

/**
 * The instant the record shows a card cleared, if by `t`: a yellow card's only. SPEC §3: red cards
 * stay on record, never cleared; a red complaint card leaves the board at the decision or answer,
 * which its explanation names (until session 19 the register and the complaint read showed that
 * instant as its clearedAt, as if the card had been lifted).
 */
export function recordedClear(card: Pick<ComplaintCard, 'color' | 'clear'>, t: EpochMs): EpochMs | undefined {
  return card.color === 'yellow' && card.clear !== undefined && card.clear <= t ? card.clear : undefined;
}

export interface DecideClock {
  readonly receivedDay: EpochDay;
  readonly withinDays: number;
  /** The last day to decide on: counted day `withinDays` after the receipt date. */
  readonly byDay: EpochDay;
  /** End (24:00) of byDay: complaint-undecided starts here if still undecided. */
  readonly dueAt: EpochMs;
  readonly decidedAt?: EpochMs;
  /** Working days used: (receipt date, decision date or T's date]. */
  readonly usedDays: number;
  /** Null while undecided and not yet due. */
  readonly onTime: boolean | null;
}

export interface AnswerClock {
  readonly acceptedDay: EpochDay;
  readonly withinDays: number;
  /** Counted day on which the warning starts (0 when withinDays is 0: no warning). */
  readonly warnAtDay: number;
  readonly warnAt?: EpochMs;
  readonly byDay: EpochDay;
  /** End (24:00) of byDay: complaint-overdue starts here if still unanswered. */
  readonly dueAt: EpochMs;
  readonly answeredAt?: EpochMs;
  readonly usedDays: number;
  readonly remainingDays: number;
  /** Working days past byDay, through the answer date or T's date. */
  readonly overdueDays: number;
  readonly onTime: boolean | null;
}

export interface ComplaintTimeline {
  readonly asOf: EpochMs;
  readonly decide: DecideClock;
  /** Present once the complaint is accepted. */
  readonly answer?: AnswerClock;
  readonly cards: readonly ComplaintCard[];
  /**
   * SPEC §3 (§8: the same calendar): a day between the receipt date and the later of the clocks'
   * last days and T's date (or the closure's) lies in a year the calendar only predicts.
   */
  readonly provisional: boolean;
}

const card = (rule: ComplaintCardRule, start: EpochMs, clear: EpochMs | undefined): ComplaintCard =>
  clear === undefined
    ? { rule, color: COMPLAINT_RULE_COLOR[rule], start }
    : { rule, color: COMPLAINT_RULE_COLOR[rule], start, clear };

/** Work done at or after `at` (or not yet) leaves the rule holding at `at` (the case law's "open at"). */
const notDoneBefore = (doneAt: EpochMs | undefined, at: EpochMs): boolean => doneAt === undefined || doneAt >= at;

const onTimeOf = (doneAt: EpochMs | undefined, dueAt: EpochMs, T: EpochMs): boolean | null =>
  doneAt !== undefined ? doneAt < dueAt : dueAt <= T ? false : null;

/** Null before the complaint is received. */
export function complaintTimelineOf(
  s: ComplaintState,
  T: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
): ComplaintTimeline | null {
  if (s.received === undefined) return null;
  const cal = calendar.forCenter(s.received.centerId);
  const cards: ComplaintCard[] = [];

  const receivedDay = cal.dayOf(s.received.at);
  const decideDays = policy.complaintDecideDays;
  const decideByDay = cal.nthCountedDayAfter(receivedDay, decideDays, NO_PAUSES);
  const decideDue = cal.startOfDay(decideByDay + 1);
  const decidedAt = decidedAtOf(s);
  if (notDoneBefore(decidedAt, decideDue)) cards.push(card('complaint-undecided', decideDue, decidedAt));
  const decide: DecideClock = {
    receivedDay,
    withinDays: decideDays,
    byDay: decideByDay,
    dueAt: decideDue,
    ...(decidedAt !== undefined ? { decidedAt } : {}),
    usedDays: cal.countWorkdaysExcluding(receivedDay, cal.dayOf(decidedAt ?? T), NO_PAUSES),
    onTime: onTimeOf(decidedAt, decideDue, T),
  };

  let answer: AnswerClock | undefined;
  pushLateRecordCards(s, policy, cards);
  if (s.acceptedAt !== undefined) {
    const acceptedDay = cal.dayOf(s.acceptedAt);
    const days = policy.complaintAnswerDays;
    const byDay = cal.nthCountedDayAfter(acceptedDay, days, NO_PAUSES);
    const dueAt = cal.startOfDay(byDay + 1);
    const answeredAt = s.answered?.at;
    const overdue = notDoneBefore(answeredAt, dueAt);
    let warnAtDay = 0;
    let warnAt: EpochMs | undefined;
    if (days > 0) {
      warnAtDay = warningDayOf(days, policy);
      warnAt = cal.startOfDay(cal.nthCountedDayAfter(acceptedDay, warnAtDay, NO_PAUSES));
      if (notDoneBefore(answeredAt, warnAt))
        cards.push(card('complaint-answer-warning', warnAt, minDefined(answeredAt, overdue ? dueAt : undefined)));
    }
    if (overdue) cards.push(card('complaint-overdue', dueAt, answeredAt));
    const endDay = cal.dayOf(answeredAt ?? T);
    const usedDays = cal.countWorkdaysExcluding(acceptedDay, endDay, NO_PAUSES);
    answer = {
      acceptedDay,
      withinDays: days,
      warnAtDay,
      ...(warnAt !== undefined ? { warnAt } : {}),
      byDay,
      dueAt,
      ...(answeredAt !== undefined ? { answeredAt } : {}),
      usedDays,
      remainingDays: Math.max(0, days - usedDays),
      overdueDays: cal.countWorkdaysExcluding(byDay, endDay, NO_PAUSES),
      onTime: onTimeOf(answeredAt, dueAt, T),
    };
  }
  cards.sort(
    (a, b) =>
      a.start - b.start ||
      COMPLAINT_RULE_INDEX[a.rule] - COMPLAINT_RULE_INDEX[b.rule] ||
      (a.lateRecord ?? 0) - (b.lateRecord ?? 0),
  );
  const lastDay = Math.max(decideByDay, answer?.byDay ?? decideByDay, cal.dayOf(s.closed?.at ?? T));
  const provisional = cal.isProvisionalSpan(receivedDay, lastDay);
  return { asOf: T, decide, ...(answer !== undefined ? { answer } : {}), cards, provisional };
}

/** One complaint-late-record card per late record over the policy's threshold (the case rule of timeline.ts). */
function pushLateRecordCards(s: ComplaintState, policy: Policy, cards: ComplaintCard[]): void {
  const late = s.lateRecords;
  if (late === undefined) return;
  const lateMs = policy.lateRecordHours * MS_PER_HOUR;
  for (let i = 0; i < late.length; i++) {
    const r = late[i]!;
    if (r.recordedAt - r.occurredAt > lateMs)
      cards.push({
        rule: 'complaint-late-record',
        color: COMPLAINT_RULE_COLOR['complaint-late-record'],
        start: r.recordedAt,
        lateRecord: i,
      });
  }
}

/** A complaint-late-record card's late event, as the case's late-record card names it (`lateRecordDetails`). */
export function complaintLateRecordOf(
  s: ComplaintState,
  c: Pick<ComplaintCard, 'lateRecord'>,
): { eventType: string; revision: number; delayHours: number } | undefined {
  const r = c.lateRecord === undefined ? undefined : s.lateRecords?.[c.lateRecord];
  return r === undefined ? undefined : { eventType: r.eventType, revision: r.revision, delayHours: delayHoursOf(r) };
}

function minDefined(a: EpochMs | undefined, b: EpochMs | undefined): EpochMs | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** Whether a card is an alert in force at `at`: started, not cleared, complaint not closed. */
export function isComplaintCardInForce(c: ComplaintCard, s: ComplaintState, at: EpochMs): boolean {
  if (s.closed !== undefined && s.closed.at <= at) return false;
  return hasStarted(c, at) && (c.clear === undefined || c.clear > at);
}

/** The cards in force at `at`, in the timeline's order. */
export function complaintAlertsAt(tl: ComplaintTimeline, s: ComplaintState, at: EpochMs): readonly ComplaintCard[] {
  return tl.cards.filter((c) => isComplaintCardInForce(c, s, at));
}

/** The next instant after `at` at which a card starts or clears, if the events so far determine one. */
export function nextComplaintBoundary(tl: ComplaintTimeline, at: EpochMs): EpochMs | undefined {
  let next: EpochMs | undefined;
  for (const c of tl.cards)
    for (const x of [c.start, c.clear]) if (x !== undefined && x > at && (next === undefined || x < next)) next = x;
  return next;
}
