/**
 * The deadline-warning card when extensions (延期) moved the warning day (SPEC
 * §3): a card is one maximal interval in which its rule holds, and at instant t
 * the rule uses the extensions that occurred before t. So an extension that
 * moves the warning day past its instant clears the card at the extension, and
 * a new one starts on the new day; one that leaves the day before its instant
 * changes nothing. Without extensions timeline.ts needs none of this.
 */
import type { CaseState, EpochDay, EpochMs, ExtensionState } from './types.js';
import { mergeDayRanges, type DayRange, type TimingCalendar } from './calendar/work-calendar.js';
import { ceilRatio, type Policy } from './policy.js';

/** The counted day on which deadline-warning starts for a total of `total` ≥ 1 days. */
export function warningDayOf(total: number, policy: Policy): number {
  return Math.min(total, Math.max(1, ceilRatio(policy.deadlineWarningRatio, total)));
}

export interface WarningInterval {
  readonly start: EpochMs;
  readonly clear?: EpochMs;
}

/**
 * The pause days as they stood at each extension's instant, each computed once for both the
 * counting (`countedExtensions`) and the warning intervals (`extendedWarnings`) of one timeline.
 * `merged`, the timeline's own pause days, is the answer at any instant by which every pause had
 * resumed (the usual extension: after the pauses, not during one).
 */
export function pausesAtExtensions(
  state: CaseState,
  cal: TimingCalendar,
  merged?: readonly DayRange[],
): (x: EpochMs) => readonly DayRange[] {
  let allResumedBy = merged === undefined ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const p of state.pauses) {
    const r = p.resumedAt === undefined ? Number.POSITIVE_INFINITY : Math.max(p.pausedAt, p.resumedAt);
    if (r > allResumedBy) allResumedBy = r;
  }
  const seen = new Map<EpochMs, DayRange[]>();
  return (x) => {
    if (x >= allResumedBy) return merged!;
    let ranges = seen.get(x);
    if (ranges === undefined) seen.set(x, (ranges = mergedAsOf(state, x, cal)));
    return ranges;
  };
}

/**
 * The pause days as they stood at instant x: pauses begun by x, an open one covering through the
 * date of `through` (default x: the deadline as it stood then; later: as known then, read later).
 */
function mergedAsOf(state: CaseState, x: EpochMs, cal: TimingCalendar, through: EpochMs = x): DayRange[] {
  const ranges: DayRange[] = [];
  const C = state.completedAt;
  for (const p of state.pauses) {
    if (p.pausedAt > x) continue;
    let endAt = p.resumedAt !== undefined && p.resumedAt <= x ? p.resumedAt : undefined;
    if (endAt === undefined && C !== undefined && C <= x) endAt = C;
    ranges.push({ after: cal.dayOf(p.pausedAt), through: cal.dayOf(endAt ?? through) });
  }
  return mergeDayRanges(ranges);
}

/**
 * The extensions that add days: each one that occurred before the due instant in force just
 * before it (promised + the counted extensions before it, the pauses as they stood then). SPEC
 * §2: an extension asked after the limit expired does not cure it. decide refuses such an
 * extension, so one reaches a timeline only when a later record moved the deadline earlier, e.g.
 * a calendar correction that withdrew a holiday. The state's own list when all count.
 */
export function countedExtensions(
  state: CaseState,
  A: EpochDay,
  cal: TimingCalendar,
  pausesAt: (x: EpochMs) => readonly DayRange[] = pausesAtExtensions(state, cal),
): readonly ExtensionState[] {
  const ext = state.extensions;
  let total = state.accepted?.promisedDays ?? 0;
  let counted: ExtensionState[] | undefined;
  for (let j = 0; j < ext.length; j++) {
    const x = ext[j]!;
    // The total-th counted day is on or after the total-th working day: an extension before that
    // bound is in time without counting the pauses (the usual case; counting them is the cost).
    const inTime =
      x.at < cal.startOfDay(cal.nthWorkdayAfter(A, total) + 1) ||
      x.at < cal.startOfDay(cal.nthCountedDayAfter(A, total, pausesAt(x.at)) + 1);
    if (inTime) {
      total += x.days;
      counted?.push(x);
    } else counted ??= ext.slice(0, j);
  }
  return counted ?? ext;
}

/**
 * The counted extensions recorded at or after the instant the case was due without them: the
 * deadline of promised + the counted extensions before each, with the pauses known when it was
 * recorded (those begun by its occurrence; one still open then runs on to its recording, since
 * any later event was recorded after it). A 延期 back-dated (补录) after the limit had passed,
 * the pattern of hiding an overdue case that a retroactive pause also marks.
 */
export function retroactiveExtensions(
  state: CaseState,
  counted: readonly ExtensionState[],
  A: EpochDay,
  cal: TimingCalendar,
): ExtensionState[] {
  let total = state.accepted?.promisedDays ?? 0;
  const out: ExtensionState[] = [];
  for (const x of counted) {
    const r = x.recordedAt;
    // Recorded before the total-th working day ended: in time, without counting the pauses.
    if (r !== undefined && r >= cal.startOfDay(cal.nthWorkdayAfter(A, total) + 1)) {
      const due = cal.startOfDay(cal.nthCountedDayAfter(A, total, mergedAsOf(state, x.at, cal, r)) + 1);
      if (r >= due) out.push(x);
    }
    total += x.days;
  }
  return out;
}

/**
 * The warning intervals of a case with extensions (`ext`: the counted ones). Segment j runs until the
 * j-th extension (its rule: promised + the days of the extensions before it),
 * evaluated as it stood at that extension; the last segment's start and clear
 * are timeline.ts's (`lastStart` undefined when its rule does not hold).
 */
export function extendedWarnings(
  state: CaseState,
  ext: readonly ExtensionState[],
  A: EpochDay,
  policy: Policy,
  cal: TimingCalendar,
  lastStart: EpochMs | undefined,
  lastClear: EpochMs | undefined,
  pausesAt: (x: EpochMs) => readonly DayRange[] = pausesAtExtensions(state, cal),
): WarningInterval[] {
  const promised = state.accepted?.promisedDays ?? 0;
  const out: WarningInterval[] = [];
  let total = promised;
  let open: EpochMs | undefined;
  let from = Number.NEGATIVE_INFINITY; // where the current segment begins
  for (let j = 0; j <= ext.length; j++) {
    let start: EpochMs | undefined;
    if (j === ext.length) start = lastStart;
    else if (total > 0) {
      const x = ext[j]!.at;
      const s = cal.startOfDay(cal.nthCountedDayAfter(A, warningDayOf(total, policy), pausesAt(x)));
      if (s <= x) start = s;
    }
    if (open !== undefined && (start === undefined || start > from)) {
      out.push({ start: open, clear: from }); // the extension at `from` moved the day past it
      open = undefined;
    }
    if (open === undefined && start !== undefined) open = Math.max(start, from);
    if (j < ext.length) {
      total += ext[j]!.days;
      from = ext[j]!.at;
    }
  }
  if (open !== undefined) out.push(lastClear === undefined ? { start: open } : { start: open, clear: lastClear });
  return out;
}
