/**
 * Projection benchmarks (issue #4):
 *  - rebuild of all read models from the embedded (sqlite) store, events/s,
 *    against a baseline that only reads and parses the same events through the
 *    same subscription in the same run (target ≥ 150,000 events/s and ≥ 0.3×);
 *  - heap per open case with 1,000,000 open cases (100,000 in --quick), read
 *    models only (target ≤ 1 KB);
 *  - the province-year (1 M events, 200 k in --quick) written into a sqlite
 *    store, then rebuilt from it, against read + parse of the same store in
 *    the same run (scripts/replay-province.ts --mode rebuild, in a child process).
 * Events come from the demo history generator (a district month at real scale).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  createCalendarService,
  DEFAULT_POLICY,
  formatInstant,
  parseInstant,
  type CaseEvent,
} from '../src/domain/index.js';
import { simulateHistory } from '../src/demo/history.js';
import { inRecordOrder } from '../src/demo/record-order.js';
import { openStore } from '../src/store/open.js';
import { caseStreamId } from '../src/domain/streams.js';
import type { EventStore } from '../src/store/port.js';
import { createProjections } from '../src/projections/runner.js';
import { CaseProjection } from '../src/projections/caseProjection.js';
import { createManualScheduler } from '../src/projections/scheduler.js';
import type { Benchmark, BenchRow } from './types.js';
import type { RebuildPass } from '../scripts/province/rebuild.js';

const ZONE = 'Asia/Shanghai';

/** Read and parse every event through the same read path the runner uses (stored arrays, then the subscription), until caught up. */
async function readOnly(store: EventStore): Promise<number> {
  const prefixes = ['case-', 'calendar-'];
  let n = 0;
  let sink = 0;
  let last = -1n;
  if (typeof store.readAllBatches === 'function') {
    for await (const batch of store.readAllBatches({ fromPosition: 0n, streamPrefixes: prefixes, batchSize: 4096 })) {
      for (const e of batch) sink += (e.data['occurredAt'] as string).length + e.recordedAt.length; // touch the parsed body
      n += batch.length;
      last = batch[batch.length - 1]!.position;
    }
  }
  const sub = store.subscribeToAll({
    fromPosition: last < 0n ? 'start' : last,
    streamPrefixes: prefixes,
    checkpointInterval: 1024,
  });
  for await (const m of sub) {
    if (m.kind === 'event') {
      n++;
      sink += (m.event.data['occurredAt'] as string).length + m.event.recordedAt.length;
    } else if (m.kind === 'caught-up') break;
  }
  await sub.close();
  if (sink < 0) throw new Error('unreachable');
  return n;
}

const rebuild: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-proj-'));
  let recordedAt = 0;
  const store = await openStore(`sqlite:${join(dir, 'events.db')}`, { clock: () => recordedAt });
  try {
    // Recorded on time: the store clock follows each batch.
    let events = 0;
    let end = 0;
    for (const b of inRecordOrder(
      simulateHistory({
        seed: 7,
        months: quick ? 1 : 3,
        casesPerMonth: quick ? 15_000 : 35_000,
        startMonth: '2025-06',
      }),
    )) {
      recordedAt = b.recordedAt;
      await store.append(
        caseStreamId(b.caseId),
        b.events.map((e) => ({
          eventId: e.eventId as string,
          type: e.type,
          data: e as unknown as Record<string, unknown>,
        })),
      );
      events += b.events.length;
      end = Math.max(end, b.recordedAt);
    }
    const now = end + 3_600_000;
    // Best of several alternating runs, in quick mode too: its data set (≈ 40 k events) is folded in
    // well under a second, so the first runs of both sides are mostly JIT warm-up (docs/scaling.md).
    const runs = quick ? 5 : 3;
    let bestRead = Number.POSITIVE_INFINITY;
    let bestRebuild = Number.POSITIVE_INFINITY;
    // CPU time of the process (every thread) beside the wall time: on the shared 2-core machine the wall
    // time of either side moves with the neighbours' load, the CPU time much less.
    let bestReadCpu = Number.POSITIVE_INFINITY;
    let bestRebuildCpu = Number.POSITIVE_INFINITY;
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    let cases = 0;
    let alerts = 0;
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const read = await readOnly(store);
      bestRead = Math.min(bestRead, performance.now() - t0);
      bestReadCpu = Math.min(bestReadCpu, cpuMs(c0));
      if (read !== events) throw new Error(`baseline read ${read} of ${events} events`);

      const scheduler = createManualScheduler(now);
      const projections = createProjections({
        store,
        calendarService: createCalendarService(ZONE),
        policy: DEFAULT_POLICY,
        clock: scheduler.clock,
        zone: ZONE,
        scheduler,
      });
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      await projections.start();
      bestRebuild = Math.min(bestRebuild, performance.now() - t1);
      bestRebuildCpu = Math.min(bestRebuildCpu, cpuMs(c1));
      const info = projections.info();
      if (info.eventsFolded !== events) throw new Error(`rebuild folded ${info.eventsFolded} of ${events} events`);
      cases = info.cases;
      alerts = info.alerts;
      await projections.stop();
    }
    const value = events / (bestRebuild / 1000);
    const baseline = events / (bestRead / 1000);
    const ratio = value / baseline;
    return [
      {
        name: 'rebuild all read models from sqlite',
        value,
        unit: 'events/s',
        baselineName: 'read + parse only (same read path)',
        baseline,
        ratio,
        target: '≥ 150,000 events/s and ≥ 0.3× baseline',
        pass: value >= 150_000 && ratio >= 0.3,
        note: `${events.toLocaleString('en')} events, ${cases.toLocaleString('en')} cases, ${alerts.toLocaleString('en')} alerts at the end; best of ${runs}; includes evaluating each completed case and keeping it as a row during the catch-up (since 720b6bd) and the final evaluation of the others; both sides on one thread; CPU time (best) ${Math.round(bestRebuildCpu)} ms against ${Math.round(bestReadCpu)} ms, ${(bestReadCpu / bestRebuildCpu).toFixed(2)}×`,
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) return g;
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapUsed(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

const memory: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const n = quick ? 100_000 : 1_000_000;
  const gc = gcFunction();
  const now = parseInstant('2025-09-30T12:00:00+08:00');
  const calendarService = createCalendarService(ZONE);
  calendarService.current(); // the calendar index is shared, not per case
  const scheduler = createManualScheduler(now);
  const before = heapUsed(gc);
  const projection = new CaseProjection({ calendarService, policy: DEFAULT_POLICY, scheduler });
  // Open work skews recent (older cases are mostly completed): accepted over the last 10 days,
  // promised days as a service center's matters give them.
  const span = 10 * 86_400_000;
  const start = now - span;
  const PROMISED = [1, 3, 5, 5, 7, 10, 15, 20, 20, 30];
  for (let i = 0; i < n; i++) {
    const at = start + Math.floor((i / n) * span);
    const caseId = `2025-${String(i).padStart(8, '0')}`;
    const promised = PROMISED[i % PROMISED.length]!;
    const accepted = {
      type: 'CaseAccepted',
      caseId,
      occurredAt: formatInstant(at, ZONE),
      centerId: `center-${i % 20}`,
      departmentId: `center-${i % 20}-dept-${i % 37}`,
      matterCode: `M${String(i % 1000).padStart(5, '0')}`,
      matterName: `事项 ${i % 1000}`,
      kind: 'promised',
      promisedDays: promised,
      channel: i % 3 === 0 ? 'online' : 'window',
      category: 'licensing',
    } as unknown as CaseEvent;
    projection.applyCaseEvent(caseId, accepted, { revision: 0, recordedAt: at });
    if (i % 10 === 0) {
      const paused = {
        type: 'CasePaused',
        caseId,
        occurredAt: formatInstant(at + 3_600_000, ZONE),
        pauseId: 'p1',
        reason: 'supplement',
      } as unknown as CaseEvent;
      projection.applyCaseEvent(caseId, paused, { revision: 1, recordedAt: at + 3_600_000 });
    }
  }
  projection.goLive(now);
  const after = heapUsed(gc);
  const perCase = (after - before) / n;
  const open = projection.openCaseCounts().reduce((s, c) => s + c.count, 0);
  const alerts = projection.alertCount;
  projection.stop();
  if (open !== n) throw new Error(`expected ${n} open cases, got ${open}`);
  return [
    {
      name: `heap per open case (${n.toLocaleString('en')} open cases)`,
      value: perCase,
      unit: 'bytes',
      target: '≤ 1,024 bytes per open case',
      pass: perCase <= 1024,
      note: `read models only (states, due-queue, ${alerts.toLocaleString('en')} active alerts); 10% paused; heapUsed delta after GC`,
    },
  ];
};

/** Seconds of CPU, or 'n/a' where the platform does not tell a thread's own. */
const cpuOf = (seconds: number | undefined): string => (seconds === undefined ? 'n/a' : `${seconds.toFixed(1)} s`);

/** One JSON line of `replay-province --mode rebuild --json`. */
type ProvincePass = RebuildPass;

const REPLAY_PROVINCE = fileURLToPath(new URL('../scripts/replay-province.ts', import.meta.url));

/** The province-year, scaled down, written into a sqlite store, then rebuilt from it (issue 18 goal 2), in a child process. */
const provinceRebuild: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const events = quick ? 200_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-province-'));
  try {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        REPLAY_PROVINCE,
        ...['--mode', 'rebuild', '--store', join(dir, 'province.db'), '--events', String(events)],
        ...['--repeat', '2', '--json'],
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const passes = out
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ProvincePass);
    const best = (name: string): ProvincePass => {
      const runs = passes.filter((p) => p.pass === name);
      if (runs.length === 0) throw new Error(`replay-province printed no ${name} pass`);
      return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    };
    // Read + parse as the rebuild reads (pages read ahead in a worker thread), and on one thread.
    const read = best('read-parse');
    const oneThread = best('read-parse-one-thread');
    const fold = best('fold-only');
    const built = best('rebuild');
    const size = `${events.toLocaleString('en')} events`;
    return [
      {
        name: `province-year rebuild from a sqlite store (${size})`,
        value: built.eventsPerSecond,
        unit: 'events/s',
        baselineName: 'read + parse of the same store (same run)',
        baseline: read.eventsPerSecond,
        ratio: built.eventsPerSecond / read.eventsPerSecond,
        target:
          'issue 18: ≥ 0.7× read + parse, and ≥ 83,000 events/s (the 10 M-event year in ≤ 120 s; a 10 M run went at 0.8× the 1 M rate on 2026-12-01, docs/scaling.md)',
        pass: built.eventsPerSecond >= 83_000 && built.eventsPerSecond / read.eventsPerSecond >= 0.7,
        note:
          `${(built.cases ?? 0).toLocaleString('en')} cases; createProjections from the store with no snapshot, best of 2 alternating ` +
          `with the baselines; fold only (decode + evolve) ${Math.round(fold.eventsPerSecond).toLocaleString('en')} events/s; ` +
          `read + parse on one thread (no read-ahead) ${Math.round(oneThread.eventsPerSecond).toLocaleString('en')} events/s; ` +
          `CPU (all threads) rebuild ${built.cpuSeconds.toFixed(1)} s, read + parse ${read.cpuSeconds.toFixed(1)} s, fold only ${fold.cpuSeconds.toFixed(1)} s; ` +
          `main thread rebuild ${cpuOf(built.mainThreadCpuSeconds)}, read + parse ${cpuOf(read.mainThreadCpuSeconds)}; ` +
          `peak RSS ${Math.round(built.peakRssBytes / 2 ** 20)} MB; the store is written first, untimed (scripts/province/rebuild.ts)`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const benchmarks: Benchmark[] = [rebuild, memory, provinceRebuild];

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  // Run directly: `npx tsx bench/projections.bench.ts [--quick] [--rebuild-only | --province-only]`
  void (async () => {
    const selected = process.argv.includes('--rebuild-only')
      ? [rebuild]
      : process.argv.includes('--province-only')
        ? [provinceRebuild]
        : benchmarks;
    for (const bench of selected) {
      const rows = await bench({ quick: process.argv.includes('--quick') });
      console.table(
        rows.map((r) => ({
          name: r.name,
          value: Math.round(r.value),
          baseline: r.baseline === undefined ? undefined : Math.round(r.baseline),
          ratio: r.ratio === undefined ? undefined : Number(r.ratio.toFixed(3)),
          pass: r.pass,
        })),
      );
      for (const r of rows) if (r.note !== undefined) console.log(`${r.name}: ${r.note}`);
    }
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
