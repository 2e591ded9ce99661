/**
 * A province-year's cases, generated in memory: 16 prefecture centers and 129
 * counties/districts whose volumes spread like real ones (a few big urban
 * districts, many small counties), sized so that the year holds `target`
 * events, cut at exactly `target`. The one generator of the province replay
 * and rebuild (scripts/replay-province.ts) and the scale-out bench
 * (bench/support/regionHistory.ts), which differ only in how centers are named.
 */
import { defaultCalendar, dayFromYmd } from '../domain/index.js';
import { matterMix, type Center } from './catalog.js';
import { casesOfDay, dayQuotas } from './history.js';
import type { GeneratedCase } from './case-plan.js';
import { Rng } from './prng.js';

export const PROVINCE_ZONE = 'Asia/Shanghai';
/**
 * Events per case, a little under what the generator makes (2.98, measured at 200 k, 1 M and 10 M
 * events), so that the year runs into its last days of December before it is cut at `target`.
 * 2.35, an older generator's figure, cut the year in late October: 10 M events were ten months.
 */
const EVENTS_PER_CASE = 2.95;

/** A center's id, code and name; the province's centers differ only in these. */
export type CenterNaming = (tier: 'prefecture' | 'county', index: number) => Pick<Center, 'id' | 'code' | 'name'>;

/** The replay's names: `prefecture-1`…`prefecture-16` (P1…) and `county-1`…`county-129` (C1…). */
const PLAIN_NAMES: CenterNaming = (tier, i) =>
  tier === 'prefecture'
    ? { id: `prefecture-${i}`, code: `P${i}`, name: `州市政务服务中心${i}` }
    : { id: `county-${i}`, code: `C${i}`, name: `县区政务服务中心${i}` };

/** 16 prefecture centers and 129 counties/districts (numbered from 1); county volumes spread like real ones. */
export function provinceCenters(seed: number, naming: CenterNaming = PLAIN_NAMES): Center[] {
  const rng = new Rng(seed, 0x9a0);
  const centers: Center[] = [];
  for (let i = 1; i <= 16; i++)
    centers.push({ ...naming('prefecture', i), tier: 'city', volume: 0.3 + rng.next() * 0.5 });
  for (let i = 1; i <= 129; i++)
    centers.push({ ...naming('county', i), tier: 'district', volume: 0.05 + rng.next() ** 3 });
  return centers;
}

/** The year's cases in acceptance order (not recording order: see inRecordOrder), `target` events in all. */
export function* provinceYear(
  target: number,
  seed: number,
  centers: readonly Center[] = provinceCenters(seed),
): Generator<GeneratedCase> {
  const zone = PROVINCE_ZONE;
  const calendar = defaultCalendar(zone);
  const mixes = centers.map((c) => matterMix(c.tier));
  const totalVolume = centers.reduce((s, c) => s + c.volume, 0);
  const casesPerVolumeYear = target / EVENTS_PER_CASE / totalVolume;
  const first = dayFromYmd(2025, 1, 1);
  const last = dayFromYmd(2026, 1, 1);
  const days: number[] = [];
  for (let d = first; d < last; d++) days.push(d);
  const quotas = dayQuotas(calendar, centers, days, casesPerVolumeYear);
  let events = 0;
  for (let k = 0; k < days.length; k++) {
    const counts = quotas.map((q) => q[k] ?? 0);
    for (const c of casesOfDay({ seed, calendar, zone, day: days[k] as number, centers, counts, mixes })) {
      if (events >= target) return;
      const keep = Math.min(c.events.length, target - events);
      events += keep;
      yield keep === c.events.length
        ? c
        : { ...c, events: c.events.slice(0, keep), at: c.at.slice(0, keep), recordLagMs: c.recordLagMs.slice(0, keep) };
    }
  }
}
