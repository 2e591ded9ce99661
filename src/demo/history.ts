/**
 * The history simulator's generator: N months of cases for M centers, in
 * acceptance order, deterministic from the seed. Each case draws from its own
 * PRNG (seeded from seed, center, day and sequence number), so adding a center
 * or a month never changes the cases already generated.
 */
import type { Calendar, EpochDay, EpochMs } from '../domain/types.js';
import { dayFromYmd, formatDate, weekdayOf } from '../domain/time.js';
import { defaultCalendar } from '../domain/calendar/index.js';
import { CENTERS, matterMix, type Center, type MatterMix } from './catalog.js';
import { planCase, pickMatter, officeMinute, type FateMix, type GeneratedCase } from './case-plan.js';
import { withRating } from './rating-plan.js';
import { Rng } from './prng.js';
import type { Planned } from './record-order.js';

export interface SimulateOptions {
  readonly seed: number;
  /** Number of months (≥ 1). */
  readonly months: number;
  /** How many centers (the first is 五华区, a district), or explicit center ids. */
  readonly centers?: number | readonly string[];
  /** Cases a month at a district center (volume 1); other centers scale by their volume. Default 35,000. */
  readonly casesPerMonth?: number;
  /** First month `YYYY-MM`; default: `months` months before the current month. */
  readonly startMonth?: string;
  /** Drop events that occur after this instant; default the end of the last month. */
  readonly horizon?: EpochMs;
  readonly zone?: string;
  readonly calendar?: Calendar;
  readonly fates?: FateMix;
}

export const DEFAULT_CASES_PER_MONTH = 35_000;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseMonth(text: string): { year: number; month: number } {
  const m = MONTH_RE.exec(text);
  if (m === null) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(text)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

function monthStart(year: number, month: number, offset: number): EpochDay {
  const index = year * 12 + (month - 1) + offset;
  return dayFromYmd(Math.floor(index / 12), (index % 12) + 1, 1);
}

export function resolveCenters(centers: SimulateOptions['centers']): Center[] {
  if (centers === undefined) return [CENTERS[0] as Center];
  if (typeof centers === 'number') {
    if (!Number.isInteger(centers) || centers < 1 || centers > CENTERS.length) {
      throw new RangeError(`centers must be an integer 1–${CENTERS.length}, got ${centers}`);
    }
    return CENTERS.slice(0, centers);
  }
  return centers.map((id) => {
    const c = CENTERS.find((x) => x.id === id);
    if (c === undefined) throw new RangeError(`unknown center "${id}"; known: ${CENTERS.map((x) => x.id).join(', ')}`);
    return c;
  });
}

/** Relative volume of a date: Mondays busiest, make-up days lighter, a trickle on days off (预约服务). */
export function dayWeight(calendar: Calendar, day: EpochDay, center: Center): number {
  const wd = weekdayOf(day);
  if (!calendar.isWorkday(day)) return center.tier === 'street' ? 0 : 0.01;
  if (wd === 0 || wd === 6) return 0.85;
  return [1, 1.12, 1.04, 1, 0.98, 0.9, 1][wd] as number;
}

/** Splits `total` over days in proportion to weights, exactly (largest remainder). */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (rest <= 0) break;
    out[i] = (out[i] as number) + 1;
    rest--;
  }
  return out;
}

/** Each center's cases per day of `days`: `casesPerVolume` × its volume, spread by the days' weights. */
export function dayQuotas(
  calendar: Calendar,
  centers: readonly Center[],
  days: readonly EpochDay[],
  casesPerVolume: number,
): number[][] {
  return centers.map((c) =>
    allocate(
      Math.round(casesPerVolume * c.volume),
      days.map((d) => dayWeight(calendar, d, c)),
    ),
  );
}

export function caseIdOf(center: Center, day: EpochDay, seq: number): string {
  return `${center.code}-${formatDate(day).replaceAll('-', '')}-${String(seq).padStart(5, '0')}`;
}

/** Acceptance instants of `count` cases on a date, sorted (office hours; mornings only on days off). */
export function acceptanceTimes(calendar: Calendar, rng: Rng, day: EpochDay, count: number): EpochMs[] {
  const start = calendar.startOfDay(day);
  const workday = calendar.isWorkday(day);
  const out: EpochMs[] = [];
  for (let i = 0; i < count; i++) {
    const minute = workday ? officeMinute(rng) : rng.int(9 * 60, 12 * 60 - 1);
    out.push(start + minute * 60_000 + rng.int(0, 59) * 1000);
  }
  return out.sort((a, b) => a - b);
}

interface Arrival {
  readonly center: number;
  readonly at: EpochMs;
  readonly seq: number;
}

export interface DayCasesInput {
  readonly seed: number;
  readonly calendar: Calendar;
  readonly zone: string;
  readonly day: EpochDay;
  readonly centers: readonly Center[];
  readonly counts: readonly number[];
  readonly mixes: readonly MatterMix[];
  readonly fates?: FateMix;
  /** First sequence number per center on this day (default 1). */
  readonly firstSeq?: readonly number[];
}

/** All cases accepted on one date across centers, in acceptance order. */
export function* casesOfDay(input: DayCasesInput): Generator<GeneratedCase> {
  const { seed, calendar, zone, day, centers } = input;
  const arrivals: Arrival[] = [];
  centers.forEach((_, i) => {
    const count = input.counts[i] ?? 0;
    if (count <= 0) return;
    const times = acceptanceTimes(calendar, new Rng(seed, i, day, -1), day, count);
    const first = input.firstSeq?.[i] ?? 1;
    times.forEach((at, k) => {
      arrivals.push({ center: i, at, seq: first + k });
    });
  });
  arrivals.sort((a, b) => a.at - b.at || a.center - b.center || a.seq - b.seq);
  const ctx = { calendar, zone, ...(input.fates === undefined ? {} : { fates: input.fates }) };
  for (const a of arrivals) {
    const center = centers[a.center] as Center;
    const rng = new Rng(seed, a.center, day, a.seq);
    const matter = pickMatter(rng, input.mixes[a.center] as MatterMix);
    yield withRating(ctx, rng, planCase(ctx, rng, caseIdOf(center, day, a.seq), center, matter, a.at));
  }
}

/** Keeps only the events that occurred by `horizon`; undefined when nothing is left. */
export function cutAt<T extends Planned>(c: T, horizon: EpochMs): T | undefined {
  let n = 0;
  while (n < c.at.length && (c.at[n] as number) <= horizon) n++;
  if (n === 0) return undefined;
  if (n === c.at.length) return c;
  return { ...c, events: c.events.slice(0, n), at: c.at.slice(0, n), recordLagMs: c.recordLagMs.slice(0, n) } as T;
}

/** Total cases the simulation will generate (for progress reporting). */
export function plannedCaseCount(options: SimulateOptions): number {
  const centers = resolveCenters(options.centers);
  const perMonth = options.casesPerMonth ?? DEFAULT_CASES_PER_MONTH;
  return options.months * centers.reduce((sum, c) => sum + Math.round(perMonth * c.volume), 0);
}

/** The days of a simulation, each with what casesOfDay needs, and the horizon events are cut at. */
export function* historyDays(options: SimulateOptions): Generator<{ input: DayCasesInput; horizon: EpochMs }> {
  const zone = options.zone ?? 'Asia/Shanghai';
  const calendar = options.calendar ?? defaultCalendar(zone);
  if (!Number.isInteger(options.months) || options.months < 1)
    throw new RangeError(`months must be an integer ≥ 1, got ${options.months}`);
  const perMonth = options.casesPerMonth ?? DEFAULT_CASES_PER_MONTH;
  if (!Number.isInteger(perMonth) || perMonth < 0)
    throw new RangeError(`casesPerMonth must be an integer ≥ 0, got ${perMonth}`);
  const centers = resolveCenters(options.centers);
  const mixes = centers.map((c) => matterMix(c.tier));
  const first =
    options.startMonth === undefined ? defaultStartMonth(options.months, calendar) : parseMonth(options.startMonth);
  const end = monthStart(first.year, first.month, options.months);
  const horizon = options.horizon ?? calendar.startOfDay(end);

  for (let m = 0; m < options.months; m++) {
    const from = monthStart(first.year, first.month, m);
    const to = monthStart(first.year, first.month, m + 1);
    const days: EpochDay[] = [];
    for (let d = from; d < to; d++) days.push(d);
    const quotas = dayQuotas(calendar, centers, days, perMonth);
    for (let k = 0; k < days.length; k++) {
      const day = days[k] as EpochDay;
      const counts = quotas.map((q) => q[k] ?? 0);
      yield {
        input: {
          seed: options.seed,
          calendar,
          zone,
          day,
          centers,
          counts,
          mixes,
          ...(options.fates === undefined ? {} : { fates: options.fates }),
        },
        horizon,
      };
    }
  }
}

/** Generates the history, one case at a time, in acceptance order. */
export function* simulateHistory(options: SimulateOptions): Generator<GeneratedCase> {
  for (const { input, horizon } of historyDays(options)) {
    for (const c of casesOfDay(input)) {
      const kept = cutAt(c, horizon);
      if (kept !== undefined) yield kept;
    }
  }
}

function defaultStartMonth(months: number, calendar: Calendar): { year: number; month: number } {
  const today = formatDate(calendar.dayOf(Date.now()));
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const index = year * 12 + (month - 1) - months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
