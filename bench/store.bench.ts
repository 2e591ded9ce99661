/**
 * Event-store benchmarks (issue #3), one core:
 *  - sqlite append in batches of 100 (target >= 50,000 events/s), against raw
 *    better-sqlite3 inserts of the same rows in one transaction per 100 rows;
 *  - sqlite append with synchronous=FULL against NORMAL (the durability trade-off);
 *  - sqlite readAll, events parsed (target >= 500,000 events/s), against a raw
 *    paged select + JSON.parse of the same rows;
 *  - sqlite catch-up subscription (what a projection rebuild reads through);
 *  - sqlite readAllBatches of half the centers by their prefixes, one a center
 *    (a projection worker's read, docs/scaling.md goal 5), against the whole log;
 *  - memory store append and readAll, against plain array pushes / iteration.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MemoryEventStore } from '../src/store/memory/memory-store.js';
import {
  CACHE_KIB,
  READ_AHEAD_MIN_ROWS,
  SqliteEventStore,
  WAL_AUTOCHECKPOINT_PAGES,
} from '../src/store/sqlite/sqlite-store.js';
import { SCHEMA_SQL, type SynchronousMode } from '../src/store/sqlite/schema.js';
import type { EventData, EventStore } from '../src/store/port.js';
import type { Benchmark, BenchRow } from './types.js';

const BATCH = 100;

function makeBatches(total: number): { streamId: string; events: EventData[] }[] {
  const batches: { streamId: string; events: EventData[] }[] = [];
  for (let b = 0; b < total / BATCH; b++) {
    const caseId = `bench${b}`;
    batches.push({
      streamId: `case-${caseId}`,
      events: Array.from({ length: BATCH }, (_, i) => ({
        eventId: randomUUID(),
        type: 'CaseAccepted',
        data: {
          type: 'CaseAccepted',
          caseId,
          occurredAt: '2025-09-22T10:15:00+08:00',
          centerId: 'c01',
          departmentId: `d${i % 30}`,
          matterCode: '11440100MB2C1234X4000117001',
          matterName: '食品经营许可',
          kind: 'promised',
          promisedDays: 10,
          legalDays: 20,
          channel: 'window',
          category: 'licensing',
          actor: `staff-${i % 50}`,
        },
      })),
    });
  }
  return batches;
}

const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);

/**
 * Wall-clock and CPU time of a measured section. The machine is shared: wall
 * time includes waiting for a core, CPU time (user + system of this process)
 * does not, so both are reported (CPU rates in the notes).
 */
interface Span {
  readonly ms: number;
  readonly cpuMs: number;
}
function startSpan(): () => Span {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
}
const cpuNote = (n: number, span: Span, base: Span, baseN = n): string =>
  `per CPU-second: ${rate(n, span.cpuMs).toLocaleString('en')} vs baseline ${rate(baseN, base.cpuMs).toLocaleString('en')} (ratio ${(n / span.cpuMs / (baseN / base.cpuMs)).toFixed(2)})`;

async function appendAll(store: EventStore, batches: ReturnType<typeof makeBatches>): Promise<Span> {
  const end = startSpan();
  for (const b of batches) await store.append(b.streamId, b.events, { expectedRevision: 'no_stream' });
  return end();
}

/** The same events as appendMany calls of 20 streams × 5 events (the shape of an HTTP batch request). */
async function appendManyAll(store: EventStore, batches: ReturnType<typeof makeBatches>): Promise<Span> {
  const end = startSpan();
  for (const b of batches) {
    const requests = Array.from({ length: BATCH / 5 }, (_, s) => ({
      streamId: `${b.streamId}x${s}`,
      events: b.events.slice(s * 5, s * 5 + 5),
      expectedRevision: 'no_stream' as const,
    }));
    const outcomes = await store.appendMany(requests);
    if (!outcomes.every((o) => o.ok)) throw new Error('appendMany refused a request');
  }
  return end();
}

function rawInsert(path: string, batches: ReturnType<typeof makeBatches>, synchronous: SynchronousMode): Span {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma(`cache_size = ${CACHE_KIB}`);
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.exec(SCHEMA_SQL);
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const txn = db.transaction((b: (typeof batches)[number], recordedAt: string) => {
    b.events.forEach((e, i) => {
      insert.run(b.streamId, i, e.eventId.toLowerCase(), e.type, JSON.stringify(e.data), recordedAt);
    });
  });
  const end = startSpan();
  for (const b of batches) txn(b, new Date().toISOString());
  const span = end();
  db.close();
  return span;
}

function rawSelect(path: string): Span & { n: number } {
  const db = new Database(path, { readonly: true });
  const select = db
    .prepare(
      'SELECT position, stream, revision, event_id, type, data, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT 4096',
    )
    .raw();
  let n = 0;
  let after = 0;
  let sink = 0;
  const end = startSpan();
  for (;;) {
    const rows = select.all(after) as [number, string, number, string, string, string, string][];
    for (const row of rows) {
      const data = JSON.parse(row[5]) as { caseId: string };
      sink += data.caseId.length;
      n++;
      after = row[0];
    }
    if (rows.length < 4096) break;
  }
  const span = end();
  db.close();
  if (sink < 0) throw new Error('unreachable');
  return { ...span, n };
}

async function readAll(store: EventStore): Promise<Span & { n: number }> {
  let n = 0;
  let sink = 0;
  const end = startSpan();
  for await (const e of store.readAll()) {
    sink += (e.data['caseId'] as string).length;
    n++;
  }
  if (sink < 0) throw new Error('unreachable');
  return { ...end(), n };
}

async function readAllBatches(store: EventStore): Promise<Span & { n: number }> {
  let n = 0;
  let sink = 0;
  const end = startSpan();
  for await (const batch of store.readAllBatches()) {
    for (const e of batch) {
      sink += (e.data['caseId'] as string).length;
      n++;
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return { ...end(), n };
}

async function subscribeAll(store: EventStore): Promise<Span & { n: number }> {
  let n = 0;
  const end = startSpan();
  const sub = store.subscribeToAll({ fromPosition: 'start', streamPrefixes: ['case-'], checkpointInterval: 1024 });
  for await (const m of sub) {
    if (m.kind === 'event') n++;
    else if (m.kind === 'caught-up') break;
  }
  await sub.close();
  return { ...end(), n };
}

/** The append rows: their inputs become garbage when this returns, before any read is measured. */
async function writePhase(dir: string, total: number, quick: boolean) {
  const batches = makeBatches(total);
  const rawSpan = rawInsert(join(dir, 'raw.db'), batches, 'NORMAL');
  const store = new SqliteEventStore(join(dir, 'events.db'));
  const appendSpan = await appendAll(store, batches);
  await store.close();
  const manyStore = new SqliteEventStore(join(dir, 'many.db'));
  const manySpan = await appendManyAll(manyStore, makeBatches(total));
  await manyStore.close();

  const fullBatches = makeBatches(quick ? 10_000 : 50_000);
  const normalStore = new SqliteEventStore(join(dir, 'normal.db'), { synchronous: 'NORMAL' });
  const normalSpan = await appendAll(normalStore, fullBatches);
  await normalStore.close();
  const fullStore = new SqliteEventStore(join(dir, 'full.db'), { synchronous: 'FULL' });
  const fullSpan = await appendAll(fullStore, fullBatches);
  await fullStore.close();
  return { rawSpan, appendSpan, manySpan, normalSpan, fullSpan, n2: fullBatches.length * BATCH };
}

type ReadRun = Span & { n: number };
const READ_ROUNDS = 3;
/** The run with the median CPU time: one run can catch a full GC of the process's heap or a busy neighbour. */
const median = (runs: ReadRun[]): ReadRun => [...runs].sort((a, b) => a.cpuMs - b.cpuMs)[runs.length >> 1] as ReadRun;

/**
 * Every read, READ_ROUNDS times, interleaved (raw, readAll, readAllBatches,
 * subscribe, raw, …) so that the baseline and the store share the machine's
 * state; each row reports its median run.
 */
async function readPhase(path: string, total: number) {
  const runs = { raw: [] as ReadRun[], read: [] as ReadRun[], batched: [] as ReadRun[], sub: [] as ReadRun[] };
  const reader = new SqliteEventStore(path);
  for (let round = 0; round < READ_ROUNDS; round++) {
    runs.raw.push(rawSelect(path));
    runs.read.push(await readAll(reader));
    runs.batched.push(await readAllBatches(reader));
    runs.sub.push(await subscribeAll(reader));
  }
  await reader.close();
  for (const [name, list] of Object.entries(runs)) {
    for (const r of list) if (r.n !== total) throw new Error(`${name} read ${r.n} of ${total}`);
  }
  return { raw: median(runs.raw), read: median(runs.read), batched: median(runs.batched), sub: median(runs.sub) };
}

const sqlite: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const total = quick ? 50_000 : 200_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  try {
    const { rawSpan, appendSpan, manySpan, normalSpan, fullSpan, n2 } = await writePhase(dir, total, quick);
    const { raw, read, batched, sub } = await readPhase(join(dir, 'events.db'), total);
    const readNote = (run: ReadRun): string => `median of ${READ_ROUNDS} interleaved runs; ${cpuNote(total, run, raw)}`;

    const appendRate = rate(total, appendSpan.ms);
    const rawRate = rate(total, rawSpan.ms);
    const readRate = rate(total, read.ms);
    const rawReadRate = rate(total, raw.ms);
    return [
      {
        name: 'sqlite append, batches of 100',
        value: appendRate,
        unit: 'events/s',
        baselineName: 'raw better-sqlite3 insert, same rows, 1 txn per 100',
        baseline: rawRate,
        ratio: appendRate / rawRate,
        target: '>= 50,000 events/s',
        pass: appendRate >= 50_000,
        note: `${total} events, synchronous=NORMAL; ${cpuNote(total, appendSpan, rawSpan)}`,
      },
      {
        name: 'sqlite appendMany, 20 streams x 5 events per call',
        value: rate(total, manySpan.ms),
        unit: 'events/s',
        baselineName: 'raw better-sqlite3 insert, same rows, 1 txn per 100',
        baseline: rawRate,
        ratio: rate(total, manySpan.ms) / rawRate,
        note: `one transaction per call (savepoints only to redo a call whose request failed part-way); ${cpuNote(total, manySpan, rawSpan)}`,
      },
      {
        name: 'sqlite append, synchronous=FULL',
        value: rate(n2, fullSpan.ms),
        unit: 'events/s',
        baselineName: 'same store, synchronous=NORMAL',
        baseline: rate(n2, normalSpan.ms),
        ratio: normalSpan.ms / fullSpan.ms,
        note: 'FULL also survives power loss (fsync of the WAL per commit); NORMAL survives a process crash',
      },
      {
        name: 'sqlite readAll, events parsed',
        value: readRate,
        unit: 'events/s',
        baselineName: 'raw paged select + JSON.parse',
        baseline: rawReadRate,
        ratio: readRate / rawReadRate,
        target: '>= 500,000 events/s',
        pass: readRate >= 500_000,
        note: readNote(read),
      },
      {
        name: 'sqlite readAllBatches, events parsed',
        value: rate(total, batched.ms),
        unit: 'events/s',
        baselineName: 'raw paged select + JSON.parse',
        baseline: rawReadRate,
        ratio: rate(total, batched.ms) / rawReadRate,
        target: '>= 500,000 events/s',
        pass: rate(total, batched.ms) >= 500_000,
        // Past its first page, readAllBatches of a file store reads ahead in a worker thread when the log is long enough.
        note: `${readNote(batched)}; ${
          total >= READ_AHEAD_MIN_ROWS
            ? "pages past the first read ahead in a worker thread: two threads against the baseline's one"
            : `one thread (fewer than ${READ_AHEAD_MIN_ROWS.toLocaleString('en')} rows: no read-ahead worker)`
        }`,
      },
      {
        name: 'sqlite subscribeToAll catch-up',
        value: rate(total, sub.ms),
        unit: 'events/s',
        baselineName: 'raw paged select + JSON.parse',
        baseline: rawReadRate,
        ratio: rate(total, sub.ms) / rawReadRate,
        note: readNote(sub),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Centers shaped as the province store's: 130 counties and 16 prefectures. */
const CENTERS = [
  ...Array.from({ length: 130 }, (_, i) => `C${i + 1}`),
  ...Array.from({ length: 16 }, (_, i) => `P${i + 1}`),
];
/** Half the centers one by one, as a worker given its centers one by one subscribes: 73 prefixes of 3 lengths. */
const HALF_THE_CENTERS = CENTERS.filter((_, i) => i % 2 === 0).map((center) => `case-${center}-`);

/** `total` events of cases of 5 events, round the centers; returns how many are in HALF_THE_CENTERS' streams. */
async function fillCenters(path: string, total: number): Promise<number> {
  await new SqliteEventStore(path).close();
  const db = new Database(path);
  const insert = db.prepare(
    "INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, 'CaseAccepted', ?, ?)",
  );
  const [body] = makeBatches(BATCH)[0]?.events ?? [];
  let inHalf = 0;
  db.transaction(() => {
    for (let n = 0; n < total; n++) {
      const caseNo = Math.floor(n / 5);
      const center = CENTERS[caseNo % CENTERS.length] as string;
      const streamId = `case-${center}-20250101-${String(caseNo).padStart(6, '0')}`;
      if (HALF_THE_CENTERS.some((p) => streamId.startsWith(p))) inHalf++;
      insert.run(streamId, n % 5, randomUUID(), JSON.stringify(body?.data), '2025-09-22T02:15:00.000Z');
    }
  })();
  db.close();
  return inHalf;
}

async function readBatchesOf(store: EventStore, streamPrefixes?: readonly string[]): Promise<ReadRun> {
  let n = 0;
  let sink = 0;
  const end = startSpan();
  for await (const batch of store.readAllBatches(streamPrefixes === undefined ? {} : { streamPrefixes })) {
    for (const e of batch) {
      sink += (e.data['caseId'] as string).length;
      n++;
    }
  }
  if (sink < 0) throw new Error('unreachable');
  return { ...end(), n };
}

/**
 * A projection worker's catch-up over a store of all the centers when it owns
 * half of them, one prefix a center (docs/scaling.md goal 5): the filtered read
 * against the unfiltered read of the whole log, and the same filter forced to
 * ranges (the OR tree every filter was before session 8) in the note. One
 * thread: the read-ahead worker is off, so both reads are the main thread's.
 */
const sqlitePrefixFilter: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const total = quick ? 50_000 : 200_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-prefix-'));
  try {
    const path = join(dir, 'centers.db');
    const inHalf = await fillCenters(path, total);
    const whole = new SqliteEventStore(path, { readAhead: 'off' });
    const chosen = new SqliteEventStore(path, { readAhead: 'off' });
    const ranges = new SqliteEventStore(path, { readAhead: 'off', prefixFilterForm: 'ranges' });
    const runs = { whole: [] as ReadRun[], chosen: [] as ReadRun[], ranges: [] as ReadRun[] };
    for (let round = 0; round < READ_ROUNDS; round++) {
      runs.whole.push(await readBatchesOf(whole));
      runs.chosen.push(await readBatchesOf(chosen, HALF_THE_CENTERS));
      runs.ranges.push(await readBatchesOf(ranges, HALF_THE_CENTERS));
    }
    await Promise.all([whole.close(), chosen.close(), ranges.close()]);
    for (const r of runs.whole) if (r.n !== total) throw new Error(`the whole read gave ${r.n} of ${total}`);
    for (const r of [...runs.chosen, ...runs.ranges])
      if (r.n !== inHalf) throw new Error(`a filtered read gave ${r.n} of ${inHalf}`);
    const [w, c, r] = [median(runs.whole), median(runs.chosen), median(runs.ranges)];
    return [
      {
        name: `sqlite readAllBatches, half the centers by ${HALF_THE_CENTERS.length} prefixes`,
        value: rate(total, c.ms),
        unit: 'log rows/s',
        baselineName: 'unfiltered readAllBatches of the whole log',
        baseline: rate(total, w.ms),
        ratio: w.ms / c.ms,
        note:
          `${inHalf.toLocaleString('en')} of ${total.toLocaleString('en')} events; ratio = the whole read's time / the filtered read's ` +
          `(2 would be half the time for half the events; 1 no faster than reading everything); CPU ratio ${(w.cpuMs / c.cpuMs).toFixed(2)}; ` +
          `the same filter as ranges (the OR tree): ratio ${(w.ms / r.ms).toFixed(2)}, CPU ratio ${(w.cpuMs / r.cpuMs).toFixed(2)}; ` +
          `read-ahead off (one thread); median of ${READ_ROUNDS} interleaved runs`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const memory: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const total = quick ? 50_000 : 200_000;
  const batches = makeBatches(total);
  // Baseline: what the memory store fundamentally does, serialise a copy and push it.
  const plain: unknown[] = [];
  let t = performance.now();
  for (const b of batches)
    for (const e of b.events) plain.push({ ...e, data: JSON.parse(JSON.stringify(e.data)) as unknown });
  const plainMs = performance.now() - t;
  const store = new MemoryEventStore();
  const appendMs = (await appendAll(store, batches)).ms;
  t = performance.now();
  let sink = 0;
  for (const e of plain) sink += (e as { eventId: string }).eventId.length;
  const plainReadMs = performance.now() - t;
  const read = await readAll(store);
  await store.close();
  if (read.n !== total || sink < 0) throw new Error(`read ${read.n} of ${total}`);
  return [
    {
      name: 'memory append, batches of 100',
      value: rate(total, appendMs),
      unit: 'events/s',
      baselineName: 'array push of a JSON copy',
      baseline: rate(total, plainMs),
      ratio: plainMs / appendMs,
    },
    {
      name: 'memory readAll',
      value: rate(total, read.ms),
      unit: 'events/s',
      baselineName: 'plain array iteration',
      baseline: rate(total, plainReadMs),
      ratio: plainReadMs / read.ms,
    },
  ];
};

export const benchmarks: Benchmark[] = [sqlite, sqlitePrefixFilter, memory];

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  // Run directly: `npx tsx bench/store.bench.ts [--quick]`
  void (async () => {
    for (const bench of benchmarks) {
      const rows = await bench({ quick: process.argv.includes('--quick') });
      console.table(
        rows.map((r) => ({
          name: r.name,
          value: r.value,
          baseline: r.baseline,
          ratio: r.ratio === undefined ? undefined : Number(r.ratio.toFixed(3)),
          pass: r.pass,
        })),
      );
      for (const r of rows) if (r.note !== undefined) console.log(`  ${r.name}: ${r.note}`);
    }
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
