/**
 * Closed-form Monday–Friday counting, used outside the indexed span and for
 * provisional years. `weekdaysThrough(d)` counts Mon–Fri days from a fixed
 * origin up to and including d (it is only ever used in differences).
 */
import type { EpochDay } from '../types.js';

// Epoch day −3 (1969-12-29) is a Monday; shift so that e ≡ 0 (mod 7) is Monday.
const MONDAY_SHIFT = 3;

export function weekdaysThrough(day: EpochDay): number {
  const e = day + MONDAY_SHIFT;
  const weeks = Math.floor(e / 7);
  const dow = e - weeks * 7; // 0 = Monday … 6 = Sunday
  return weeks * 5 + Math.min(dow + 1, 5);
}

/** The smallest day d with weekdaysThrough(d) ≥ m: the m-th weekday (a Monday–Friday). */
export function weekdayWithOrdinal(m: number): EpochDay {
  const weeks = Math.floor((m - 1) / 5);
  const dow = m - 1 - weeks * 5;
  return weeks * 7 + dow - MONDAY_SHIFT;
}
