/**
 * Proleptic Gregorian civil-date arithmetic on epoch days (day 0 = 1970-01-01,
 * a Thursday). Imports nothing at run time, so zone.ts can use it without
 * importing time.ts (which imports zone.ts).
 */
import type { EpochDay } from './types.js';

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_MINUTE = 60_000;

/** Epoch day of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayFromYmd(year: number, month: number, day: number): EpochDay {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface Ymd {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Inverse of dayFromYmd (civil_from_days). */
export function ymdFromDay(epochDay: EpochDay): Ymd {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(epochDay: EpochDay): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}
