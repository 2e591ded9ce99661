/**
 * One projection worker of bench/scaleout.bench.ts, in its own process with its
 * own store connection: `node --import tsx scaleoutWorker.ts <store spec>
 * <partition JSON | all> <asOf ms>`, forked with an IPC channel. It opens the
 * store (a sqlite one with the engine's SQLITE_READ_AHEAD from its environment,
 * src/config/env.ts) and the projections, says `ready`, and on `go` catches up
 * (`start()`, which resolves once the read models are live), then answers
 * with the time it took, its counters and `/stats` of 2025 grouped by center.
 */
import { mainThreadCpuSeconds } from './mainThreadCpu.js';
import { parseSqliteReadAhead, type SqliteReadAhead } from '../../src/config/env.js';
import { createCalendarService, DEFAULT_POLICY } from '../../src/domain/index.js';
import type { ProjectionPartition } from '../../src/projections/partition.js';
import { createProjections } from '../../src/projections/runner.js';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { openStore } from '../../src/store/open.js';
import { ZONE } from './regionHistory.js';

export interface WorkerDone {
  readonly kind: 'done';
  readonly ms: number;
  /** CPU time of the worker process during the catch-up (user + system, every thread). */
  readonly cpuMs: number;
  /** CPU time of its main (JavaScript) thread alone; the rest is GC, compiler and libuv threads. NaN off Linux. */
  readonly mainThreadCpuMs: number;
  /** The sqlite store's read-ahead mode it ran with (SQLITE_READ_AHEAD); undefined for another store. */
  readonly readAhead: SqliteReadAhead | undefined;
  readonly eventsFolded: number;
  readonly cases: number;
  /** The process's peak RSS so far (the kernel's high-water mark): its load, catch-up and /stats answer. */
  readonly maxRssBytes: number;
  readonly stats: unknown;
}

/** The main thread's CPU time in ms; NaN off Linux. */
const mainThreadCpuMs = (): number => (mainThreadCpuSeconds() ?? Number.NaN) * 1000;

const [spec, partitionText, asOfText] = process.argv.slice(2);
if (spec === undefined || partitionText === undefined || asOfText === undefined || process.send === undefined)
  throw new Error('usage: scaleoutWorker.ts <store spec> <partition JSON | all> <asOf ms>, forked with IPC');
const send = process.send.bind(process);
const partition = partitionText === 'all' ? undefined : (JSON.parse(partitionText) as ProjectionPartition);
const readAhead = parseSqliteReadAhead(process.env, spec);
const store = await openStore(spec, readAhead === undefined ? {} : { readAhead });
await store.headPosition(); // connect before the clock starts
const scheduler = createManualScheduler(Number(asOfText));
const projections = createProjections({
  store,
  calendarService: createCalendarService(ZONE),
  policy: DEFAULT_POLICY,
  clock: scheduler.clock,
  zone: ZONE,
  scheduler,
  ...(partition === undefined ? {} : { partition }),
});
process.once('message', () => {
  void (async () => {
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuMs();
    const t0 = performance.now();
    await projections.start();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const mainCpu = mainThreadCpuMs() - main0;
    const info = projections.info();
    const stats = projections.readModels.stats({ from: '2025-01-01', to: '2026-01-01', groupBy: 'center' });
    const done: WorkerDone = {
      kind: 'done',
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadCpuMs: mainCpu,
      readAhead,
      eventsFolded: info.eventsFolded,
      cases: info.cases,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      stats,
    };
    send(done, () => {
      // The figures are sent: a stop that does not finish must not keep the bench waiting.
      setTimeout(() => process.exit(0), 10_000).unref();
      void projections.stop().then(async () => {
        await store.close();
        process.exit(0);
      });
    });
  })();
});
send({ kind: 'ready' });
