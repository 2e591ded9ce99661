/**
 * The kind of every day of the calendar's span, from its data: weekends, the
 * law's holidays in years with no notice (predicted), the notices' holidays and
 * make-up days, then one region's days.
 */
import type { EpochDay } from '../types.js';
import { dayFromYmd, weekdayOf } from '../time.js';
import type { CalendarData } from './data.js';
import { lawFixedHolidays, type LawHolidayName } from './holiday-law.js';

export const SPAN_FIRST_YEAR = 1970;
export const SPAN_LAST_YEAR = 2150;
/** First and last epoch day of the indexed span, and its length. */
export const S = dayFromYmd(SPAN_FIRST_YEAR, 1, 1);
export const E = dayFromYmd(SPAN_LAST_YEAR, 12, 31);
export const N = E - S + 1;

export const K_WORK = 0;
export const K_WEEKEND = 1;
export const K_HOLIDAY = 2;
export const K_MAKEUP = 3;

/** The law's holidays of every year of the span without a notice (weekends included: they are off anyway). */
export function predictedHolidays(published: ReadonlySet<number>): Map<EpochDay, LawHolidayName> {
  const out = new Map<EpochDay, LawHolidayName>();
  for (let y = SPAN_FIRST_YEAR; y <= SPAN_LAST_YEAR; y++) {
    if (published.has(y)) continue;
    for (const h of lawFixedHolidays(y)) if (!out.has(h.day)) out.set(h.day, h.name);
  }
  return out;
}

export function buildKinds(
  data: CalendarData,
  predicted: ReadonlyMap<EpochDay, LawHolidayName>,
  regional: CalendarData['regional'],
): Uint8Array {
  const kinds = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    const w = weekdayOf(S + i);
    kinds[i] = w === 0 || w === 6 ? K_WEEKEND : K_WORK;
  }
  const set = (day: EpochDay, kind: number) => {
    if (day >= S && day <= E) kinds[day - S] = kind;
  };
  for (const day of predicted.keys()) if (kinds[day - S] === K_WORK) set(day, K_HOLIDAY);
  // Notices in year order: a notice's days in the previous December override that year's.
  for (const [, y] of [...data.years.entries()].sort((a, b) => a[0] - b[0])) {
    for (const d of y.holidays) set(d, K_HOLIDAY);
    for (const d of y.workdays) set(d, K_MAKEUP);
  }
  // A region's days override the national calendar.
  for (const r of regional) set(r.day, r.kind === 'holiday' ? K_HOLIDAY : K_MAKEUP);
  return kinds;
}
