/**
 * A province-year whose case ids begin with their center's 6-digit region code,
 * as real 办件编号 do (`530102-20250304-00017` in stream
 * `case-530102-20250304-00017`), so that "these centers" is a set of stream
 * prefixes (bench/scaleout.bench.ts). The same shape as
 * scripts/replay-province.ts: 16 prefecture centers and 129 counties with a
 * skewed spread of volumes, the demo's case generator, cut at `events` events,
 * in recording order. Only the centers differ (codes instead of P1…C129, whose
 * prefixes would overlap: `C1` is a prefix of `C12`).
 */
import { defaultCalendar, dayFromYmd } from '../../src/domain/index.js';
import { matterMix, type Center } from '../../src/demo/catalog.js';
import type { GeneratedCase } from '../../src/demo/case-plan.js';
import { allocate, casesOfDay, dayWeight } from '../../src/demo/history.js';
import { Rng } from '../../src/demo/prng.js';
import { inRecordOrder, type ScheduledAppend } from '../../src/demo/record-order.js';

export const ZONE = 'Asia/Shanghai';
const EVENTS_PER_CASE = 2.35; // measured on the generator (scripts/replay-province.ts)
const PROVINCE = '53'; // the leading digits of the region codes (any province would do)

const two = (n: number): string => String(n).padStart(2, '0');

/** 16 prefecture centers (`53ii00`) and 129 county centers (`53iikk`), volumes skewed as in the province replay. */
export function regionCenters(seed: number): Center[] {
  const rng = new Rng(seed, 0x9a0);
  const centers: Center[] = [];
  for (let i = 1; i <= 16; i++) {
    const code = `${PROVINCE}${two(i)}00`;
    centers.push({
      id: `center-${code}`,
      code,
      name: `州市政务服务中心${code}`,
      tier: 'city',
      volume: 0.3 + rng.next() * 0.5,
    });
  }
  for (let j = 0; j < 129; j++) {
    const code = `${PROVINCE}${two((j % 16) + 1)}${two(Math.floor(j / 16) + 2)}`;
    centers.push({
      id: `center-${code}`,
      code,
      name: `县区政务服务中心${code}`,
      tier: 'district',
      volume: 0.05 + rng.next() ** 3,
    });
  }
  return centers;
}

function* regionYear(seed: number, events: number, centers: readonly Center[]): Generator<GeneratedCase> {
  const calendar = defaultCalendar(ZONE);
  const mixes = centers.map((c) => matterMix(c.tier));
  const totalVolume = centers.reduce((s, c) => s + c.volume, 0);
  const casesPerVolumeYear = events / EVENTS_PER_CASE / totalVolume;
  const days: number[] = [];
  for (let d = dayFromYmd(2025, 1, 1); d < dayFromYmd(2026, 1, 1); d++) days.push(d);
  const quotas = centers.map((c) =>
    allocate(
      Math.round(casesPerVolumeYear * c.volume),
      days.map((d) => dayWeight(calendar, d, c)),
    ),
  );
  let n = 0;
  for (let k = 0; k < days.length; k++) {
    const counts = quotas.map((q) => q[k] ?? 0);
    for (const c of casesOfDay({ seed, calendar, zone: ZONE, day: days[k] as number, centers, counts, mixes })) {
      if (n >= events) return;
      const keep = Math.min(c.events.length, events - n);
      n += keep;
      yield keep === c.events.length
        ? c
        : { ...c, events: c.events.slice(0, keep), at: c.at.slice(0, keep), recordLagMs: c.recordLagMs.slice(0, keep) };
    }
  }
}

/** The year's appends in recording order (exactly `events` events). */
export function regionAppends(seed: number, events: number): Generator<ScheduledAppend> {
  return inRecordOrder(regionYear(seed, events, regionCenters(seed)));
}

/**
 * The unit a worker owns: a prefecture (`5301`: its own center and its
 * counties' `5301kk`), the first 4 characters of a case id. Owning whole
 * prefectures keeps a worker's filter to a few prefixes (8 instead of ≈ 72
 * center codes), each tested against every stream name the store scans.
 */
export const prefectureOf = (caseId: string): string => caseId.slice(0, 4);

/**
 * Two halves by event volume, not by count: the heaviest unit first, each to
 * the lighter half so far (greedy; within one unit's volume of even).
 */
export function splitByVolume(eventsByUnit: ReadonlyMap<string, number>): [string[], string[]] {
  const halves: [string[], string[]] = [[], []];
  const load = [0, 0];
  const sorted = [...eventsByUnit].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [code, n] of sorted) {
    const i = (load[0] as number) <= (load[1] as number) ? 0 : 1;
    halves[i].push(code);
    load[i] = (load[i] as number) + n;
  }
  return halves;
}
