/**
 * Local dates of a time zone, fast. The instant of 00:00 local is cached per day
 * (lazily, in a typed array over a fixed span), so `dayOf` / `startOfDay` cost a
 * couple of array reads; Luxon is consulted once per day per zone, and only for
 * days outside the span on every call. Correct for DST zones: a day's start is
 * its first local instant (Luxon moves a non-existent 00:00 forward).
 */
import { DateTime, IANAZone, FixedOffsetZone, type Zone } from 'luxon';
import type { EpochDay, EpochMs } from './types.js';
import { MS_PER_DAY, ymdFromDay } from './civil.js';

/** Cached span: epoch days of 1900-01-01 … 2199-12-31. */
const SPAN_FIRST = -25_567;
const SPAN_LAST = 84_005;
/** Offsets lie within −12 h … +14 h, so a local date is one of two candidates. */
const MAX_OFFSET_MS = 14 * 3_600_000;

export interface ZoneClock {
  readonly zone: string;
  dayOf(instant: EpochMs): EpochDay;
  startOfDay(day: EpochDay): EpochMs;
  /** Offset from UTC in ms at an instant (local = instant + offset). */
  offsetAt(instant: EpochMs): number;
}

function resolveZone(name: string): Zone {
  const fixed = /^UTC([+-]\d{1,2}(?::\d{2})?)?$/.exec(name);
  if (name === 'UTC' || name === 'Z') return FixedOffsetZone.utcInstance;
  if (fixed !== null) {
    const z = FixedOffsetZone.parseSpecifier(name);
    if (z !== null) return z;
  }
  if (!IANAZone.isValidZone(name)) throw new RangeError(`unknown time zone: ${JSON.stringify(name)}`);
  return IANAZone.create(name);
}

class CachedZoneClock implements ZoneClock {
  private readonly starts = new Float64Array(SPAN_LAST - SPAN_FIRST + 1).fill(Number.NaN);
  constructor(
    readonly zone: string,
    private readonly luxonZone: Zone,
  ) {}

  startOfDay(day: EpochDay): EpochMs {
    if (day >= SPAN_FIRST && day <= SPAN_LAST) {
      const i = day - SPAN_FIRST;
      const cached = this.starts[i]!;
      if (!Number.isNaN(cached)) return cached;
      const computed = this.computeStart(day);
      this.starts[i] = computed;
      return computed;
    }
    return this.computeStart(day);
  }

  dayOf(instant: EpochMs): EpochDay {
    let day = Math.floor((instant + MAX_OFFSET_MS) / MS_PER_DAY);
    while (this.startOfDay(day) > instant) day -= 1;
    return day;
  }

  offsetAt(instant: EpochMs): number {
    const day = this.dayOf(instant);
    const start = this.startOfDay(day);
    // A day of exactly 24 h has one offset throughout (no transition inside it).
    if (this.startOfDay(day + 1) - start === MS_PER_DAY) return day * MS_PER_DAY - start;
    return this.luxonZone.offset(instant) * 60_000;
  }

  private computeStart(day: EpochDay): EpochMs {
    const { year, month, day: dom } = ymdFromDay(day);
    return DateTime.fromObject({ year, month, day: dom }, { zone: this.luxonZone }).startOf('day').toMillis();
  }
}

const clocks = new Map<string, ZoneClock>();

/** The (shared, memoised) clock of a zone; throws RangeError for an unknown zone. */
export function zoneClock(zone: string): ZoneClock {
  let clock = clocks.get(zone);
  if (clock === undefined) {
    clock = new CachedZoneClock(zone, resolveZone(zone));
    clocks.set(zone, clock);
  }
  return clock;
}

export function isValidZone(zone: string): boolean {
  try {
    resolveZone(zone);
    return true;
  } catch {
    return false;
  }
}
