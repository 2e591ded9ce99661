/**
 * The province-year as a real rebuild (issue 18 goal 2), for
 * `scripts/replay-province.ts --mode rebuild --store /tmp/province.db`:
 *
 *  1. write: the generated year goes into a sqlite store once (timed apart,
 *     never inside the rebuild's time). Skipped when the store already holds
 *     exactly the year's events. The rows are written with the store's own
 *     schema, body encoding (storedJson) and recordedAt text in transactions of
 *     50,000 rows, not through `append` (≈ 150 µs an append would make the
 *     10 M write take ten minutes); every recordedAt is the generator's own.
 *  2. read + parse: every event through `readAllBatches` (the catch-up's read
 *     path, pages read ahead in a worker thread as the rebuild's are), bodies
 *     parsed, nothing folded: the baseline ('read-parse'). Then the same with
 *     the read-ahead off, read and parse on one thread ('read-parse-one-thread'):
 *     what the main thread would spend reading without the worker.
 *  3. fold only: the same read, each event decoded (`decodeStoredCaseEvent`)
 *     and `evolve`d into a map of open cases (dropped on completion): a worker
 *     catching up with no read models.
 *  4. rebuild: `createProjections` over the store with no snapshot, timed from
 *     `start()` until it resolves (caught up, every case evaluated once), as a
 *     restart with no snapshot does.
 *
 * Each pass reports wall time, events/s, process CPU time (all threads: the
 * read-ahead worker's too) and
 * the peak RSS sampled during the pass (the kernel's high-water mark too for
 * the rebuild, the last and largest pass). `--repeat n` alternates the four
 * passes n times (`--repeat 0`: none). `--snapshot` then measures the restart
 * (issue 18 goal 3, second half): the rebuilt read models write their snapshot
 * (format 4: the completed cases as rows in binary, the other cases as JSON
 * states; snapshotFormat.ts), timed, and a new instance starts from it, timed
 * from `start()` to ready, with the snapshot's size. The snapshot is kept
 * beside the store (`<store>.snapshot.ndjson`), so that `--mode restart` can
 * time a restart from it alone in a fresh process (its peak RSS is then the
 * restart's own), then reading the file alone.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createCalendarService, DEFAULT_POLICY, evolve, initialCaseState } from '../../src/domain/index.js';
import type { CaseState } from '../../src/domain/types.js';
import { caseStreamId } from '../../src/domain/streams.js';
import { inRecordOrder } from '../../src/demo/record-order.js';
import { STREAM_PREFIXES } from '../../src/projections/eventRouting.js';
import { createProjections } from '../../src/projections/runner.js';
import { readSnapshot } from '../../src/projections/snapshot.js';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { storedJson } from '../../src/store/sqlite/storedJson.js';
import { decodeStoredCaseEvent } from '../../src/write/storedEvent.js';
import { mainThreadCpuSeconds } from '../../bench/support/mainThreadCpu.js';
import { gcFunction, heldAfterGc } from './heldMemory.js';
import { PROVINCE_ZONE, provinceYear } from '../../src/demo/provinceYear.js';

export interface RebuildPass {
  readonly pass:
    | 'write'
    | 'read-parse'
    | 'read-parse-one-thread'
    | 'fold-only'
    | 'rebuild'
    | 'snapshot-write'
    | 'snapshot-read'
    | 'restart-from-snapshot';
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  /** CPU time of the main thread alone (Linux /proc; absent elsewhere): without the read-ahead worker's. */
  readonly mainThreadCpuSeconds?: number;
  readonly peakRssBytes: number;
  readonly cases?: number;
  readonly alerts?: number;
  readonly storeBytes?: number;
  readonly snapshotBytes?: number;
  /** Cases the snapshot holds as rows of columns / as JSON states (snapshot-read). */
  readonly snapshotRows?: number;
  readonly snapshotStates?: number;
  /** snapshot-write: the synchronous capture (the rows copied), during which the event loop is held. */
  readonly captureSeconds?: number;
  /**
   * rebuild: what the read models hold once ready and their compaction slices
   * have run (heap + array buffers after full GCs, minus before), per case.
   */
  readonly bytesPerCase?: number;
}

const INSERT_SQL = 'INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?)';
const ROWS_PER_TRANSACTION = 50_000;

/** Peak RSS while `work` runs, sampled every 100 ms (the catch-up yields, so the timer runs). */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; cpu: number; rss: number; main: Partial<RebuildPass> }> {
  let rss = process.memoryUsage().rss;
  const timer = setInterval(() => {
    rss = Math.max(rss, process.memoryUsage().rss);
  }, 100);
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuSeconds();
  const t0 = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const main1 = mainThreadCpuSeconds();
    rss = Math.max(rss, process.memoryUsage().rss);
    const main = main0 === undefined || main1 === undefined ? {} : { mainThreadCpuSeconds: main1 - main0 };
    return { value, seconds, cpu: (cpu.user + cpu.system) / 1e6, rss, main };
  } finally {
    clearInterval(timer);
  }
}

function eventCount(path: string): number {
  if (!existsSync(path)) return -1;
  const db = new Database(path, { readonly: true });
  try {
    return Number(db.prepare('SELECT COUNT(*) FROM events').pluck().get());
  } catch {
    return -1;
  } finally {
    db.close();
  }
}

/** Writes the year into a new store at `path` (it must not hold other events). */
async function writeYear(path: string, target: number, seed: number): Promise<RebuildPass> {
  const found = eventCount(path);
  if (found > 0) throw new Error(`${path} holds ${found} events, not the ${target} of this year: remove it first`);
  await new SqliteEventStore(path).close(); // the store's schema and identity
  const {
    value: events,
    seconds,
    cpu,
    rss,
  } = await measure(async () => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // a bulk load: a crash means writing it again
    const insert = db.prepare(INSERT_SQL);
    let pending: unknown[][] = [];
    const flush = db.transaction((rows: unknown[][]) => {
      for (const r of rows) insert.run(...r);
    });
    let written = 0;
    for (const b of inRecordOrder(provinceYear(target, seed))) {
      const recordedAt = new Date(b.recordedAt).toISOString();
      const stream = caseStreamId(b.caseId);
      b.events.forEach((e, k) => {
        pending.push([stream, b.firstRevision + k, e.eventId, e.type, storedJson(JSON.stringify(e)), recordedAt]);
      });
      if (pending.length >= ROWS_PER_TRANSACTION) {
        flush(pending);
        written += pending.length;
        pending = [];
        if (written % 1_000_000 < ROWS_PER_TRANSACTION) process.stderr.write(`write: ${written} events\n`);
      }
    }
    flush(pending);
    written += pending.length;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return written;
  });
  return pass('write', events, seconds, cpu, rss, { storeBytes: statSync(path).size });
}

function pass(
  name: RebuildPass['pass'],
  events: number,
  seconds: number,
  cpu: number,
  rss: number,
  extra: Partial<RebuildPass> = {},
): RebuildPass {
  return {
    pass: name,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    cpuSeconds: cpu,
    peakRssBytes: rss,
    ...extra,
  };
}

async function readParse(
  store: SqliteEventStore,
  name: 'read-parse' | 'read-parse-one-thread' = 'read-parse',
): Promise<RebuildPass> {
  const { value, seconds, cpu, rss, main } = await measure(async () => {
    let n = 0;
    let sink = 0;
    for await (const batch of store.readAllBatches({ fromPosition: 0n, streamPrefixes: STREAM_PREFIXES })) {
      for (const e of batch) sink += (e.data['occurredAt'] as string).length + e.recordedAt.length; // touch the body
      n += batch.length;
    }
    if (sink < 0) throw new Error('unreachable');
    return n;
  });
  return pass(name, value, seconds, cpu, rss, main);
}

async function foldOnly(store: SqliteEventStore): Promise<RebuildPass> {
  const { value, seconds, cpu, rss, main } = await measure(async () => {
    const open = new Map<string, CaseState>();
    let n = 0;
    for await (const batch of store.readAllBatches({ fromPosition: 0n, streamPrefixes: STREAM_PREFIXES })) {
      for (const recorded of batch) {
        const decoded = decodeStoredCaseEvent(recorded);
        if (!decoded.ok) continue;
        const { caseId, event, meta } = decoded.value;
        const state = evolve(open.get(caseId) ?? initialCaseState(caseId), event, meta);
        if (state.completedAt === undefined && state.accepted !== undefined) open.set(caseId, state);
        else open.delete(caseId);
      }
      n += batch.length;
    }
    return n;
  });
  return pass('fold-only', value, seconds, cpu, rss, main);
}

function projectionsOf(
  store: SqliteEventStore,
  now: number,
  checkpointFile?: string,
  scheduler = createManualScheduler(now),
) {
  return createProjections({
    store,
    calendarService: createCalendarService(PROVINCE_ZONE),
    policy: DEFAULT_POLICY,
    clock: scheduler.clock,
    zone: PROVINCE_ZONE,
    scheduler,
    ...(checkpointFile === undefined ? {} : { checkpointFile }),
    // A snapshot refused (damaged, another store's or layout's) would make a "restart" a rebuild: say so.
    log: (message, level) => {
      if (level === 'warn') process.stderr.write(`${message}\n`);
    },
  });
}

async function rebuild(store: SqliteEventStore, now: number): Promise<RebuildPass> {
  const gc = gcFunction();
  const before = heldAfterGc(gc);
  const scheduler = createManualScheduler(now);
  const projections = projectionsOf(store, now, undefined, scheduler);
  const { seconds, cpu, rss, main } = await measure(() => projections.start());
  const info = projections.info();
  scheduler.advanceTo(now); // the compaction slices after goLive (untimed), as a running engine's
  const after = heldAfterGc(gc);
  await projections.stop();
  return pass('rebuild', info.eventsFolded, seconds, cpu, Math.max(rss, process.resourceUsage().maxRSS * 1024), {
    ...main,
    cases: info.cases,
    alerts: info.alerts,
    bytesPerCase: (after.heap + after.arrayBuffers - before.heap - before.arrayBuffers) / info.cases,
  });
}

/** Where the snapshot of the store at `path` is kept. */
export const snapshotFileOf = (path: string): string => `${path}.snapshot.ndjson`;

/** Rebuilds with a snapshot file, writes the snapshot (timed), then times a new instance's start from it. */
async function restartFromSnapshot(store: SqliteEventStore, now: number, file: string): Promise<RebuildPass[]> {
  rmSync(file, { force: true });
  const scheduler = createManualScheduler(now);
  const first = projectionsOf(store, now, file, scheduler);
  await first.start(); // writes a snapshot after the catch-up, in the background
  // The slices after goLive make rows of the completed cases still objects, as a running engine's do
  // before its next snapshot; the snapshot timed below is then one of the open cases and the rows.
  scheduler.advanceTo(now);
  await first.stop(); // waits for the snapshot begun at the catch-up (nothing new to write)
  rmSync(file, { force: true });
  const events = first.info().eventsFolded;
  let captureSeconds = 0;
  const write = await measure(() => {
    const t0 = performance.now();
    const saving = first.saveSnapshot(); // its synchronous part: the capture (rows copied), the event loop held
    captureSeconds = (performance.now() - t0) / 1000;
    return saving;
  });
  const bytes = statSync(file).size;
  const restarted = projectionsOf(store, now, file);
  const { seconds, cpu, rss } = await measure(() => restarted.start());
  const info = restarted.info();
  await restarted.stop(); // nothing new folded: the snapshot written above stays as it is
  return [
    pass('snapshot-write', events, write.seconds, write.cpu, write.rss, { snapshotBytes: bytes, captureSeconds }),
    pass('restart-from-snapshot', events, seconds, cpu, rss, {
      cases: info.cases,
      alerts: info.alerts,
      snapshotBytes: bytes,
    }),
  ];
}

/**
 * `--mode restart`: a fresh process starting from the snapshot `--snapshot`
 * left beside the store, to ready (read, rows into columns, states parsed,
 * catch-up of what follows, `goLive`): the kernel's high-water mark is the
 * restart's own. Then the file read alone (checksum, rows, states).
 */
export async function runRestartFromSnapshot(options: {
  readonly path: string;
  readonly report: (result: RebuildPass) => void;
}): Promise<void> {
  const file = snapshotFileOf(options.path);
  if (!existsSync(file)) throw new Error(`no snapshot at ${file}: run --mode rebuild --snapshot first`);
  const bytes = statSync(file).size;
  const now = endOfStore(options.path);
  const store = new SqliteEventStore(options.path);
  try {
    // The restart first, so that its peak RSS is its own; then the file read alone (warm page cache, as the restart's).
    const restarted = projectionsOf(store, now, file);
    const { seconds, cpu, rss } = await measure(() => restarted.start());
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const info = restarted.info();
    await restarted.stop();
    const read = await measure(async () => {
      const content = (await readSnapshot(file))!;
      return { states: content.states.length, checkpoint: content.header.checkpoint };
    });
    const states = read.value.states;
    // The sqlite store numbers positions from 1: the checkpoint is the count of events folded.
    const events = Number(read.value.checkpoint);
    options.report(
      pass('snapshot-read', events, read.seconds, read.cpu, read.rss, {
        snapshotBytes: bytes,
        snapshotRows: info.cases - states,
        snapshotStates: states,
      }),
    );
    options.report(
      pass('restart-from-snapshot', events, seconds, cpu, Math.max(rss, maxRss), {
        cases: info.cases,
        alerts: info.alerts,
        snapshotBytes: bytes,
      }),
    );
  } finally {
    await store.close();
  }
}

/** The last event's recordedAt plus an hour: the rebuild's clock (its final evaluation of every case). */
export function endOfStore(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const last = db.prepare('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck().get() as string;
    return Date.parse(last) + 3_600_000;
  } finally {
    db.close();
  }
}

/** Writes the store if needed, then the four passes `repeat` times, alternating; returns every pass measured. */
export async function runRebuildFromStore(options: {
  readonly path: string;
  readonly target: number;
  readonly seed: number;
  readonly repeat: number;
  /** Also measure the restart from a snapshot (written beside the store and kept, for `--mode restart`). */
  readonly snapshot: boolean;
  readonly report: (result: RebuildPass) => void;
}): Promise<void> {
  const { path, target, seed, report } = options;
  if (eventCount(path) !== target) report(await writeYear(path, target, seed));
  const now = endOfStore(path);
  const store = new SqliteEventStore(path);
  const oneThread = new SqliteEventStore(path, { readAhead: 'off' });
  try {
    for (let i = 0; i < options.repeat; i++) {
      report(await readParse(store));
      report(await readParse(oneThread, 'read-parse-one-thread'));
      report(await foldOnly(store));
      report(await rebuild(store, now));
    }
    if (options.snapshot) for (const r of await restartFromSnapshot(store, now, snapshotFileOf(path))) report(r);
  } finally {
    await oneThread.close();
    await store.close();
  }
}
