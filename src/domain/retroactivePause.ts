/**
 * Which pauses are retroactive (SPEC §3 as docs/timing.md reads it): begun before, and recorded at
 * or after, the instant the case was due without that pause (promised + counted extensions, the
 * other pauses' days). A pause begun once the case was already due is a pause of an overdue case,
 * however late it is recorded (a late-record card says that): it reaches back to no day before the due. Asked of every late-recorded pause of a timeline, one merge of the other pauses each was
 * quadratic in the pauses: a case of 999 back-dated pauses took 40–300 ms to evaluate, and a list
 * sorted by deadline evaluates every paused case (a reviewer's probe held the engine 3 s).
 *
 * Two bounds decide most pauses without a merge: the due instant without any pause is the earliest
 * it can be, with every pause the latest. Between them, a pause whose days the others cover leaves
 * the due instant as it is with every pause; only one with days of its own needs the others merged.
 */
import { type DayRange, mergeDayRanges, type TimingCalendar } from './calendar/work-calendar.js';
import type { EpochDay, EpochMs, PauseState } from './types.js';

/**
 * `retroactive(pause, i)` for the pauses of one timeline. `ranges[i]` is pause i's days, `merged`
 * their union (mergeDayRanges), `total` the days the deadline counts.
 */
export function retroactivePauses(
  ranges: readonly DayRange[],
  merged: readonly DayRange[],
  A: EpochDay,
  total: number,
  cal: TimingCalendar,
): (pause: PauseState, index: number) => boolean {
  // Each worked out when first needed: most pauses are recorded when they occur and need none.
  let earliestDue: EpochMs | undefined;
  let latestDue: EpochMs | undefined;
  let own: readonly boolean[] | undefined;
  const dueWithout = (index: number): EpochMs => {
    own ??= rangesWithOwnDays(ranges);
    if (!own[index]) return latestDue!; // its days are the others' too: without it, the due instant is the same
    const others = mergeDayRanges(ranges.filter((_, j) => j !== index));
    return cal.startOfDay(cal.nthCountedDayAfter(A, total, others) + 1);
  };
  return (pause, index) => {
    const { pausedAt, recordedAt } = pause;
    if (recordedAt === undefined || recordedAt <= pausedAt) return false;
    earliestDue ??= cal.startOfDay(cal.nthWorkdayAfter(A, total) + 1);
    if (recordedAt < earliestDue) return false;
    latestDue ??= cal.startOfDay(cal.nthCountedDayAfter(A, total, merged) + 1);
    // Begun once the case was due (with every pause, the latest it can be): a pause of an overdue case, not back-dated.
    if (pausedAt >= latestDue) return false;
    if (recordedAt >= latestDue && pausedAt < earliestDue) return true;
    const due = dueWithout(index);
    return pausedAt < due && recordedAt >= due;
  };
}

/** For each range (days `(after, through]`), whether some day of it lies in no other range. O(n log n). */
export function rangesWithOwnDays(ranges: readonly DayRange[]): boolean[] {
  const own = ranges.map(() => false);
  // Boundaries: a range starts covering after `after` and stops after `through`.
  const points: [day: number, index: number, starts: boolean][] = [];
  ranges.forEach((r, i) => {
    if (r.through > r.after) points.push([r.after, i, true], [r.through, i, false]);
  });
  points.sort((x, y) => x[0] - y[0]);
  const active = new Set<number>();
  for (let k = 0; k < points.length; ) {
    const day = points[k]![0];
    for (; k < points.length && points[k]![0] === day; k++) {
      const [, i, starts] = points[k]!;
      if (starts) active.add(i);
      else active.delete(i);
    }
    // Days (day, next boundary] are covered by `active` alone.
    if (active.size === 1 && k < points.length) for (const i of active) own[i] = true;
  }
  return own;
}
