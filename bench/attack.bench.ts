/**
 * `/healthz` while the engine is under each attack of issue 13's hostile suite:
 * the engine as `npm start` composes it (src/main.ts on sqlite, in a child
 * process: bench/support/hostileEngine.ts), probed on `/healthz` every 5 ms by
 * another child process, first idle and then during each attack
 * (bench/support/hostileAttacks.ts): a flood of 1000-event batches by two
 * clients, 20 silent SSE readers under an alert burst, stream hoarding, 3,000
 * invented centers, huge and unknown-field bodies, one long case. One row per
 * attack: its p99 against the idle p99 of the same run (target ≤ 100 ms). A
 * long synchronous stretch in the engine (deciding, committing, folding,
 * parsing, a GC pause) shows up as a probe that waited for it.
 *
 * HTTP_BENCH_NODE_ARGS adds node flags to the engine, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under the attacks.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchOptions, BenchRow } from './types.js';
import {
  batchFlood,
  inventedCenters,
  junkBodies,
  longCase,
  silentReaders,
  streamHoarding,
  type Attack,
} from './support/hostileAttacks.js';
import { startHostileEngine, startProbe } from './support/hostileEngine.js';

const PROBE_EVERY_MS = 5;
const TARGET_P99_MS = 100;
/** Each attack is probed at least this long (a short attack still gets a fair number of probes). */
const MIN_PROBE_MS = 1_000;
const IDLE_ROW = 'http GET /healthz p99, idle (baseline)';

const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
};
const ms = (x: number): number => Number(x.toFixed(1));
const spread = (xs: readonly number[]): string =>
  `${xs.length} probes; median ${quantile(xs, 0.5).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

async function attackBench(options: BenchOptions): Promise<BenchRow[]> {
  const engine = await startHostileEngine();
  const runId = randomUUID().slice(0, 8);
  try {
    const attacks: Attack[] = [
      batchFlood(engine.url, options.quick ? 20 : 120, runId),
      silentReaders(engine.url, options.quick ? 5 : 20, runId),
      streamHoarding(engine.url),
      inventedCenters(engine.url, runId),
      junkBodies(engine.url),
      longCase(engine.url, options.quick ? 5 : 20, runId),
    ];
    await batchFlood(engine.url, 2, `${runId}-warm`).run(); // JIT, sqlite page cache

    const idleProbe = startProbe(engine.url, PROBE_EVERY_MS);
    await idleProbe.ready;
    await new Promise((r) => setTimeout(r, options.quick ? 2_000 : 5_000));
    const idle = await idleProbe.stop();
    const idleP99 = quantile(idle, 0.99);
    const rows: BenchRow[] = [{ name: IDLE_ROW, value: ms(idleP99), unit: 'ms', note: spread(idle) }];

    for (const attack of attacks) {
      await attack.setUp?.();
      const probe = startProbe(engine.url, PROBE_EVERY_MS);
      await probe.ready;
      const started = performance.now();
      const outcome = await attack.run();
      const seconds = (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, MIN_PROBE_MS - (performance.now() - started))));
      const loaded = await probe.stop();
      await attack.tearDown?.();
      const p99 = quantile(loaded, 0.99);
      rows.push({
        name: `http GET /healthz p99 during ${attack.name}`,
        value: ms(p99),
        unit: 'ms',
        baselineName: IDLE_ROW,
        baseline: ms(idleP99),
        ratio: Number((p99 / Math.max(idleP99, 0.001)).toFixed(2)),
        target: `p99 ≤ ${TARGET_P99_MS} ms (issue 13), answers as designed; ratio: lower is better`,
        pass: p99 <= TARGET_P99_MS && outcome.asDesigned,
        note: `${spread(loaded)}; attack ${seconds.toFixed(1)} s: ${outcome.detail}${outcome.asDesigned ? '' : ' (NOT as designed)'}`,
      });
    }
    const last = rows[rows.length - 1] as BenchRow;
    rows[rows.length - 1] = { ...last, note: `${last.note}; engine peak RSS ${Math.round(engine.peakRssMb())} MB` };
    return rows;
  } finally {
    await engine.close();
  }
}

export const benchmarks: Benchmark[] = [attackBench];

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  // Run directly: `npx tsx bench/attack.bench.ts [--quick]`
  attackBench({ quick: process.argv.includes('--quick') }).then(
    (rows) => console.table(rows),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
