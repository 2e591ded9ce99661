/** Which cases a calendar change can touch: the years whose days differ between two calendars. */
import { dayFromYmd, isBadScore, type CaseState, type EpochDay, type WorkCalendar } from '../domain/index.js';

/** Days whose kind differs between two calendars, as a range of whole years; undefined = unknown (recompute all). */
export function changedDays(
  next: WorkCalendar,
  previous: WorkCalendar,
): { first: EpochDay; last: EpochDay } | undefined {
  if (next.data.regional !== previous.data.regional) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const years = new Set([...next.data.years.keys(), ...previous.data.years.keys()]);
  for (const y of years) {
    if (next.data.years.get(y) === previous.data.years.get(y)) continue;
    first = Math.min(first, dayFromYmd(y - 1, 12, 1)); // a notice may set days in the previous December
    last = Math.max(last, dayFromYmd(y, 12, 31));
  }
  return first === Number.POSITIVE_INFINITY ? { first: 1, last: 0 } : { first, last };
}

/** Whether a case's span can include a changed day (undefined range: anything can have changed). */
export function spanTouches(
  s: CaseState,
  range: { first: EpochDay; last: EpochDay } | undefined,
  calendar: WorkCalendar,
): boolean {
  if (s.acceptedAt === undefined) return false;
  if (range === undefined) return true;
  if (calendar.dayOf(s.acceptedAt) > range.last) return false;
  // A 差评's follow-up clock runs after completion, from the rating's date (SPEC §3 bad-rating-unresolved).
  const r = s.rating;
  if (r !== undefined && isBadScore(r.score) && calendar.dayOf(r.at) <= range.last) return true;
  // A completed case is final before the changed days begin; an open one runs on (provisional) into the future.
  return !(s.completedAt !== undefined && calendar.dayOf(s.completedAt) < range.first);
}
