/**
 * The province-year rebuilt by two projection workers, one a core (issue 18:
 * goal 2's year on this 2-core machine, with goal 5's partition), for
 * `scripts/replay-province.ts --mode pair --store /tmp/province.db`:
 *
 * The store written by `--mode rebuild` is read by worker processes of
 * bench/support/scaleoutWorker.ts (the bench's scale-out worker: the runner's
 * projections over the store, caught up from `start()` to ready). Alternately,
 * `repeat` times: one worker with every center, then two workers each owning
 * half the centers (a server-side stream-prefix filter each), split by event
 * volume. Centers are grouped by the first `unitChars` characters of their case
 * ids (2 for the generated province: `P1` holds P1 and P10–P16, `C5` holds C5
 * and C50–C59), so that each worker names a few prefixes, as a deployment
 * giving each worker whole prefectures would (docs/scaling.md).
 *
 * Each run reports its wall time from "go" until every worker is ready, each
 * worker's CPU time (all its threads, and its main thread alone) and its peak
 * RSS, and the pair's `/stats` of 2025 by center merged (mergeStatsByCenter)
 * against the single worker's.
 */
import Database from 'better-sqlite3';
import { CASE_STREAM_PREFIX } from '../../src/domain/streams.js';
import { mergeStatsByCenter } from '../../src/projections/partitionStats.js';
import type { StatsResult } from '../../src/projections/statsFigures.js';
import { splitByVolume } from '../../bench/support/regionHistory.js';
import { runWorkers, statsDifference } from '../../bench/support/scaleoutRun.js';
import { DEFAULT_WORKER, READ_AHEAD_OFF_WORKERS } from '../../bench/support/scaleoutVariants.js';
import { endOfStore } from './rebuild.js';

export interface PairRun {
  readonly pass: 'one-worker' | 'two-workers';
  readonly round: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Per worker, in partition order. */
  readonly cpuSeconds: readonly number[];
  readonly mainThreadCpuSeconds: readonly number[];
  readonly peakRssBytes: readonly number[];
  readonly cases: readonly number[];
  /** two-workers: each worker's case-id prefixes. */
  readonly prefixes?: readonly (readonly string[])[];
  /** two-workers: '' when the merged `/stats` equals the one worker's of the same round, else the first difference. */
  readonly statsDifference?: string;
}

/** Events per unit: the first `unitChars` characters of the case ids, over the case streams. */
export function eventsByUnit(path: string, unitChars: number): Map<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare<[number, number, string, string], { unit: string; n: number }>(
        'SELECT substr(stream, ?, ?) AS unit, count(*) AS n FROM events WHERE stream >= ? AND stream < ? GROUP BY unit',
      )
      .all(CASE_STREAM_PREFIX.length + 1, unitChars, CASE_STREAM_PREFIX, `${CASE_STREAM_PREFIX.slice(0, -1)}.`);
    return new Map(rows.map((r) => [r.unit, r.n]));
  } finally {
    db.close();
  }
}

export async function runPairFromStore(options: {
  readonly path: string;
  readonly repeat: number;
  readonly unitChars: number;
  /** Every worker, the single one too, with the sqlite read-ahead off (like for like), or the default. */
  readonly readAheadOff: boolean;
  readonly report: (run: PairRun) => void;
}): Promise<void> {
  const { path, repeat, unitChars, report } = options;
  const units = eventsByUnit(path, unitChars);
  if (units.size < 2)
    throw new Error(`${path}: fewer than 2 units of case ids (${units.size}); write it with --mode rebuild`);
  if ([...units.keys()].some((u) => u.length !== unitChars))
    throw new Error(`${path}: a case id is shorter than --unit-chars ${unitChars}`);
  const halves = splitByVolume(units).map((caseIdPrefixes) => ({ caseIdPrefixes }));
  const variant = options.readAheadOff ? READ_AHEAD_OFF_WORKERS : DEFAULT_WORKER;
  const asOf = endOfStore(path);
  const spec = `sqlite:${path}`;
  for (let round = 1; round <= repeat; round++) {
    const single = await runWorkers(spec, [undefined], variant, asOf);
    const pair = await runWorkers(spec, halves, variant, asOf);
    const describe = (pass: PairRun['pass'], run: typeof single): PairRun => {
      const events = run.done.reduce((s, d) => s + d.eventsFolded, 0);
      return {
        pass,
        round,
        events,
        seconds: run.wallMs / 1000,
        eventsPerSecond: events / (run.wallMs / 1000),
        cpuSeconds: run.done.map((d) => d.cpuMs / 1000),
        mainThreadCpuSeconds: run.done.map((d) => d.mainThreadCpuMs / 1000),
        peakRssBytes: run.done.map((d) => d.maxRssBytes),
        cases: run.done.map((d) => d.cases),
      };
    };
    report(describe('one-worker', single));
    const merged = mergeStatsByCenter(pair.done.map((d) => d.stats as StatsResult));
    report({
      ...describe('two-workers', pair),
      prefixes: halves.map((h) => h.caseIdPrefixes),
      statsDifference: statsDifference(single.done[0]!.stats as StatsResult, merged),
    });
  }
}
