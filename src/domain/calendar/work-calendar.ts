/**
 * An immutable working-day calendar with an O(1) index: prefix counts of
 * working days over a fixed span of epoch days plus the inverse (ordinal → day).
 * A year of the span with no notice is predicted: Monday–Friday minus the
 * holidays the law fixes (holiday-law.ts). Outside the span it is Monday–Friday
 * (closed form).
 */
import type { Calendar, EpochDay, EpochMs } from '../types.js';
import { dayFromYmd, ymdFromDay, weekdayOf } from '../time.js';
import { zoneClock, type ZoneClock } from '../zone.js';
import { weekdaysThrough, weekdayWithOrdinal } from './weekdays.js';
import type { CalendarData } from './data.js';
import { fnv1aHex } from './hash.js';
import { HOLIDAY_LAW, type LawHolidayName } from './holiday-law.js';
import { buildKinds, E, K_MAKEUP, K_WORK, N, predictedHolidays, S } from './day-kinds.js';

export { SPAN_FIRST_YEAR, SPAN_LAST_YEAR } from './day-kinds.js';
const W_BEFORE = weekdaysThrough(S - 1);
const W_LAST = weekdaysThrough(E);

/** A pause's days `(after, through]`; a list of them is sorted and disjoint once merged. */
export interface DayRange {
  readonly after: EpochDay;
  readonly through: EpochDay;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

const KIND_NAMES: readonly DayKind[] = ['workday', 'weekend', 'holiday', 'makeup'];

/**
 * From this day of December on, a day may still be set by the next year's notice (元旦's bridge
 * days and the weekend make-up days before it: the 2019 notice set 2018-12-29 to 12-31), so it is
 * provisional while that year has no notice.
 */
export const PROVISIONAL_DECEMBER_FROM = 20;

/** What the rules need beyond the basic Calendar: pause-aware counting and day kinds. */
export interface TimingCalendar extends Calendar {
  countWorkdaysExcluding(a: EpochDay, b: EpochDay, merged: readonly DayRange[]): number;
  nthCountedDayAfter(a: EpochDay, n: number, merged: readonly DayRange[]): EpochDay;
  dayKind(day: EpochDay): DayKind;
  regionOfDay(day: EpochDay): string | undefined;
  /**
   * True when a day of [a, b] lies in a predicted (unpublished) year, or in the last days of a
   * December whose next year is unpublished (that year's notice may set them: PROVISIONAL_DECEMBER_FROM).
   */
  isProvisionalSpan(a: EpochDay, b: EpochDay): boolean;
  /**
   * The first day after `day` that a span reaching it makes provisional, for a span not provisional
   * through `day`: when a clock still running (its span ends today) turns provisional with no event.
   */
  provisionalFrom(day: EpochDay): EpochDay;
  /** The law's name of a holiday assumed in a predicted year (e.g. 除夕), else undefined. */
  predictedHolidayOf(day: EpochDay): LawHolidayName | undefined;
  /** The calendar of a center's cases: this one plus the regional days of the center's region. */
  forCenter(centerId: string): TimingCalendar;
  /** The region whose regional days this calendar applies (undefined: none). */
  readonly region?: string | undefined;
}

/**
 * When a clock still running (its span ends at `now` and grows with it) that is final at `now`
 * turns provisional with no event (SPEC §3): the start of the first day that makes its span
 * provisional (December 20 before a year with no notice, or that year's first day). Undefined
 * when it is provisional already or no longer runs (a case completed, a complaint closed).
 */
export function turnsProvisionalAt(
  cal: TimingCalendar,
  now: EpochMs,
  clock: { readonly provisional: boolean; readonly running: boolean },
): EpochMs | undefined {
  return clock.provisional || !clock.running ? undefined : cal.startOfDay(cal.provisionalFrom(cal.dayOf(now)));
}

/** Which region (民族节日 and other regional days) a center belongs to; undefined for none. */
export type RegionOfCenter = (centerId: string) => string | undefined;

export interface WorkCalendarOptions {
  /** The center → region mapping (the directory's, when it lands; until then configured or none). */
  readonly regionOfCenter?: RegionOfCenter;
  /** Internal: the region whose regional days this calendar applies (none: the national calendar). */
  readonly region?: string;
}

export class WorkCalendar implements TimingCalendar {
  readonly version: string;
  readonly zone: string;
  readonly data: CalendarData;
  /** The last year with published data (default or run-time). */
  readonly lastPublishedYear: number;
  private readonly clock: ZoneClock;
  private readonly kinds: Uint8Array;
  /** cum[i] = working days among span days [S, S + i). */
  private readonly cum: Int32Array;
  /** ord[j] = the (j + 1)-th working day of the span. */
  private readonly ord: Int32Array;
  private readonly regionOf: Map<EpochDay, string>;
  private readonly published: ReadonlySet<number>;
  private readonly predicted: ReadonlyMap<EpochDay, LawHolidayName>;
  private readonly options: WorkCalendarOptions;
  /** Region calendars, built on first use (same data, so the same version). */
  private readonly regions = new Map<string, WorkCalendar>();
  /** The region whose regional days apply, undefined for the national calendar. */
  readonly region: string | undefined;

  constructor(zone: string, data: CalendarData, options: WorkCalendarOptions = {}) {
    this.zone = zone;
    this.data = data;
    this.options = options;
    this.region = options.region;
    this.clock = zoneClock(zone);
    this.published = new Set(data.years.keys());
    this.lastPublishedYear = Math.max(data.baseLastYear, ...data.years.keys());
    this.predicted = predictedHolidays(this.published);
    const regional = data.regional.filter((r) => r.region === options.region);
    this.kinds = buildKinds(data, this.predicted, regional);
    this.regionOf = new Map(regional.map((r) => [r.day, r.region]));
    this.cum = new Int32Array(N + 1);
    let count = 0;
    for (let i = 0; i < N; i++) {
      const k = this.kinds[i]!;
      if (k === K_WORK || k === K_MAKEUP) count++;
      this.cum[i + 1] = count;
    }
    this.ord = new Int32Array(count);
    for (let i = 0, j = 0; i < N; i++) {
      const k = this.kinds[i]!;
      if (k === K_WORK || k === K_MAKEUP) this.ord[j++] = S + i;
    }
    this.version = calendarVersion(data);
  }

  isWorkday(day: EpochDay): boolean {
    if (day < S || day > E) {
      const w = weekdayOf(day);
      return w !== 0 && w !== 6;
    }
    const k = this.kinds[day - S]!;
    return k === K_WORK || k === K_MAKEUP;
  }

  /** Why a day is or is not a working day. */
  dayKind(day: EpochDay): DayKind {
    if (day < S || day > E) {
      const w = weekdayOf(day);
      return w === 0 || w === 6 ? 'weekend' : 'workday';
    }
    return KIND_NAMES[this.kinds[day - S]!]!;
  }

  /** The region tag of a regional day, if the day's kind comes from a regional entry. */
  regionOfDay(day: EpochDay): string | undefined {
    return this.regionOf.get(day);
  }

  /** Working days in [S, d] (negative before the span); differences give counts. */
  private prefix(d: EpochDay): number {
    if (d < S) return weekdaysThrough(d) - W_BEFORE;
    if (d <= E) return this.cum[d - S + 1]!;
    return this.cum[N]! + weekdaysThrough(d) - W_LAST;
  }

  /** The smallest day d with prefix(d) ≥ target. */
  private dayWithPrefix(target: number): EpochDay {
    if (target <= 0) return weekdayWithOrdinal(target + W_BEFORE);
    const total = this.cum[N]!;
    if (target <= total) return this.ord[target - 1]!;
    return weekdayWithOrdinal(target - total + W_LAST);
  }

  countWorkdays(a: EpochDay, b: EpochDay): number {
    return b <= a ? 0 : this.prefix(b) - this.prefix(a);
  }

  nthWorkdayAfter(a: EpochDay, n: number): EpochDay {
    if (n <= 0) return a;
    return this.dayWithPrefix(this.prefix(a) + n);
  }

  /** Working days in (a, b] lying in none of `merged` (sorted, disjoint: see mergeDayRanges). O(k). */
  countWorkdaysExcluding(a: EpochDay, b: EpochDay, merged: readonly DayRange[]): number {
    if (b <= a) return 0;
    let total = this.prefix(b) - this.prefix(a);
    for (let i = 0; i < merged.length; i++) {
      const r = merged[i]!;
      if (r.after >= b) break;
      const lo = r.after > a ? r.after : a;
      const hi = r.through < b ? r.through : b;
      if (hi > lo) total -= this.prefix(hi) - this.prefix(lo);
    }
    return total;
  }

  /** The n-th working day after a that lies in none of `merged`; a itself for n = 0. O(k). */
  nthCountedDayAfter(a: EpochDay, n: number, merged: readonly DayRange[]): EpochDay {
    if (n <= 0) return a;
    let cur = a;
    let pCur = this.prefix(cur);
    let rem = n;
    for (let i = 0; i < merged.length; i++) {
      const r = merged[i]!;
      if (r.through <= cur) continue;
      if (r.after > cur) {
        const pAfter = this.prefix(r.after);
        const avail = pAfter - pCur;
        if (rem <= avail) return this.dayWithPrefix(pCur + rem);
        rem -= avail;
      }
      cur = r.through;
      pCur = this.prefix(cur);
    }
    return this.dayWithPrefix(pCur + rem);
  }

  /** True for a day of a year with no notice (predicted, or Mon–Fri outside the span). */
  isProvisional(day: EpochDay): boolean {
    return !this.published.has(ymdFromDay(day).year);
  }

  isProvisionalSpan(a: EpochDay, b: EpochDay): boolean {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const last = ymdFromDay(hi).year;
    for (let y = ymdFromDay(lo).year; y <= last; y++) {
      if (!this.published.has(y)) return true;
      const tail = dayFromYmd(y, 12, PROVISIONAL_DECEMBER_FROM);
      if (!this.published.has(y + 1) && hi >= tail && lo <= dayFromYmd(y, 12, 31)) return true;
    }
    return false;
  }

  provisionalFrom(day: EpochDay): EpochDay {
    const next = day + 1;
    // A year with no notice after the last published one always exists: the loop ends.
    for (let y = ymdFromDay(next).year; ; y++) {
      if (!this.published.has(y)) return Math.max(next, dayFromYmd(y, 1, 1));
      if (!this.published.has(y + 1)) return Math.max(next, dayFromYmd(y, 12, PROVISIONAL_DECEMBER_FROM));
    }
  }

  /** True when `year` has no notice, so its days are predicted from the law. */
  isPredictedYear(year: number): boolean {
    return !this.published.has(year);
  }

  predictedHolidayOf(day: EpochDay): LawHolidayName | undefined {
    return this.predicted.get(day);
  }

  forCenter(centerId: string): WorkCalendar {
    const region = this.options.regionOfCenter?.(centerId);
    return region === undefined ? this.national() : this.forRegion(region);
  }

  /** This calendar's data with the regional days of `region` (and no other region's). */
  forRegion(region: string): WorkCalendar {
    if (region === this.region) return this;
    if (!this.data.regional.some((r) => r.region === region)) return this.national();
    let c = this.regions.get(region);
    if (c === undefined) {
      c = new WorkCalendar(this.zone, this.data, { ...this.options, region });
      this.regions.set(region, c);
    }
    return c;
  }

  private national(): WorkCalendar {
    if (this.region === undefined) return this;
    let c = this.regions.get('');
    if (c === undefined) {
      c = new WorkCalendar(this.zone, this.data, { ...this.options, region: undefined });
      this.regions.set('', c);
    }
    return c;
  }

  dayOf(instant: EpochMs): EpochDay {
    return this.clock.dayOf(instant);
  }

  startOfDay(day: EpochDay): EpochMs {
    return this.clock.startOfDay(day);
  }
}

/** Sort and merge day ranges `(after, through]`, dropping empty ones; overlapping or touching ranges unite. */
export function mergeDayRanges(ranges: readonly DayRange[]): DayRange[] {
  const sorted = ranges.filter((r) => r.through > r.after).sort((x, y) => x.after - y.after);
  const out: DayRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.after <= last.through) {
      if (r.through > last.through) out[out.length - 1] = { after: last.after, through: r.through };
    } else {
      out.push(r);
    }
  }
  return out;
}

/**
 * Deterministic from content: `cn-<last default year>` plus `+y<year>` per
 * run-time published year and `+r.<region>` per region, then `@<hash>` of everything.
 */
export function calendarVersion(data: CalendarData): string {
  const years = [...data.years.entries()].sort((a, b) => a[0] - b[0]);
  const published = years.filter(([, y]) => y.source === 'published').map(([year]) => `+y${year}`);
  const regions = [...new Set(data.regional.map((r) => r.region))].sort().map((r) => `+r.${r}`);
  const content = [
    data.baseId,
    HOLIDAY_LAW,
    ...years.map(([year, y]) => `${year}:${y.source}:h${y.holidays.join(',')}:w${y.workdays.join(',')}`),
    ...[...data.regional]
      .sort((a, b) => a.day - b.day || a.region.localeCompare(b.region))
      .map((r) => `${r.region}:${r.day}:${r.kind}`),
  ].join('|');
  return `cn-${data.baseLastYear}${published.join('')}${regions.join('')}@${fnv1aHex(content)}`;
}
