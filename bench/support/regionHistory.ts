/**
 * A province-year whose case ids begin with their center's 6-digit region code,
 * as real 办件编号 do (`530102-20250304-00017` in stream
 * `case-530102-20250304-00017`), so that "these centers" is a set of stream
 * prefixes (bench/scaleout.bench.ts). The province replay's year
 * (src/demo/provinceYear.ts: the same centers, volumes and cases, cut at
 * `events` events), in recording order; only the centers are named by code
 * instead of P1…C129, whose prefixes would overlap: `C1` is a prefix of `C12`.
 */
import type { Center } from '../../src/demo/catalog.js';
import { PROVINCE_ZONE, provinceCenters, provinceYear } from '../../src/demo/provinceYear.js';
import { inRecordOrder, type ScheduledAppend } from '../../src/demo/record-order.js';

export const ZONE = PROVINCE_ZONE;
const PROVINCE = '53'; // the leading digits of the region codes (any province would do)

const two = (n: number): string => String(n).padStart(2, '0');

/** 16 prefecture centers (`53ii00`) and 129 county centers (`53iikk`): the province replay's, named by region code. */
export function regionCenters(seed: number): Center[] {
  return provinceCenters(seed, (tier, i) => {
    const code =
      tier === 'prefecture'
        ? `${PROVINCE}${two(i)}00`
        : `${PROVINCE}${two(((i - 1) % 16) + 1)}${two(Math.floor((i - 1) / 16) + 2)}`;
    return {
      id: `center-${code}`,
      code,
      name: tier === 'prefecture' ? `州市政务服务中心${code}` : `县区政务服务中心${code}`,
    };
  });
}

/** The year's appends in recording order (exactly `events` events). */
export function regionAppends(seed: number, events: number): Generator<ScheduledAppend> {
  return inRecordOrder(provinceYear(events, seed, regionCenters(seed)));
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
