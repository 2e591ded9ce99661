import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { damageEventsPage, garbleEventBody } from '../../../test/support/sqliteDamage.js';
import type { EventRows } from '../eventRows.js';
import { type RecordedEvent, type StoreCorruptError, StoreUnavailableError } from '../port.js';
import { PAGES_IN_FLIGHT } from './readAhead.js';
import { SqliteEventStore, type SqliteStoreOptions } from './sqlite-store.js';

let dir: string;
let files = 0;
const stores: SqliteEventStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-read-ahead-'));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const newPath = (): string => join(dir, `events-${files++}.db`);
const open = (path: string, options: SqliteStoreOptions = {}): SqliteEventStore => {
  const store = new SqliteEventStore(path, options);
  stores.push(store);
  return store;
};

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * readAllRows' pages as readAllBatches' arrays: each row's event, after checking
 * that every part the catch-up reads by index is the event's own.
 */
async function rowsAsBatches(pages: AsyncIterable<EventRows>): Promise<RecordedEvent[][]> {
  const out: RecordedEvent[][] = [];
  for await (const rows of pages) {
    const batch: RecordedEvent[] = [];
    for (let i = 0; i < rows.length; i++) {
      const e = rows.event(i);
      const parts = {
        streamId: rows.streamId(i),
        type: rows.type(i),
        data: rows.data(i),
        revision: rows.revision(i),
        recordedAt: rows.recordedAt(i),
        position: rows.position(i),
      };
      expect(parts).toStrictEqual({
        streamId: e.streamId,
        type: e.type,
        data: e.data,
        revision: Number(e.revision),
        recordedAt: e.recordedAt,
        position: e.position,
      });
      batch.push(e);
    }
    out.push(batch);
  }
  return out;
}

/** Resolves 'exited' when every given worker ended within 5 s, 'still running' otherwise. */
async function allExited(store: SqliteEventStore, running: readonly { exited: Promise<void> }[]): Promise<string> {
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5000).unref());
  const exited = Promise.all(running.map((r) => r.exited)).then(() => 'exited');
  const outcome = await Promise.race([exited, timeout]);
  return outcome === 'exited' && store.readAheadsRunning().length === 0 ? 'exited' : outcome;
}

const event = (data: Record<string, unknown>, type = 'CaseAccepted') => ({ eventId: randomUUID(), type, data });

/** `count` events in streams case-0 … case-(streams − 1), in batches of 50. */
async function fill(store: SqliteEventStore, count: number, streams = 7): Promise<void> {
  for (let i = 0; i < count; i += 50) {
    const n = Math.min(50, count - i);
    await store.append(
      `case-${(i / 50) % streams}`,
      Array.from({ length: n }, (_, k) => event({ i: i + k, pad: 'x'.repeat(40) })),
    );
  }
}

const PRINTABLE = [...'abcXYZ019-_."\\[],{}:~!$'];
const streamName = fc
  .tuple(
    fc.constantFrom('case-', 'case-a', 'complaint-', 'x"\\[', 'zz'),
    fc.string({ unit: fc.constantFrom(...PRINTABLE), maxLength: 8 }),
  )
  .map(([prefix, rest]) => prefix + rest);
/** Characters that a row's packing must escape or keep: JSON's own, control, CJK, astral, any. */
const oddCharacter = fc.oneof(
  fc.constantFrom('a', '"', '\\', ']', ',', '\u0001', '\n', '中', '😀'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const body = fc.record({
  text: fc.string({ unit: oddCharacter, maxLength: 20 }),
  n: fc.integer(),
  nested: fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 5 }), fc.boolean(), fc.constant(null)), {
    maxLength: 3,
  }),
});
const batchOf = fc.record({
  stream: streamName,
  types: fc.array(
    fc.oneof(fc.constant('CaseAccepted'), fc.string({ unit: oddCharacter, minLength: 1, maxLength: 6 })),
    {
      minLength: 1,
      maxLength: 6,
    },
  ),
  bodies: fc.array(body, { minLength: 6, maxLength: 6 }),
  /** Stored unescaped (non-ASCII as is), as versions before storedJson wrote them. */
  unescaped: fc.boolean(),
});
const readOf = fc.record({
  batchSize: fc.integer({ min: 1, max: 40 }),
  from: fc.integer({ min: 0, max: 400 }),
  prefixes: fc.option(
    fc.uniqueArray(fc.constantFrom('case-', 'case-a', 'complaint-', 'x"\\[', 'c', 'q'), { maxLength: 3 }),
    {
      nil: undefined,
    },
  ),
  maxCount: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
});

describe('readAllBatches read ahead in a worker thread', () => {
  it('gives the same batches as the read on the main thread, for any log and read (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(batchOf, { maxLength: 60 }),
        fc.array(readOf, { minLength: 1, maxLength: 3 }),
        async (batches, reads) => {
          const path = newPath();
          const writer = open(path);
          const unescaped: [string, bigint][] = [];
          for (const b of batches) {
            const events = b.types.map((type, k) => event(b.bodies[k] as Record<string, unknown>, type));
            const { positions } = await writer.append(b.stream, events);
            if (b.unescaped) {
              for (const [k, e] of events.entries()) unescaped.push([JSON.stringify(e.data), positions![k]!]);
            }
          }
          const raw = new Database(path);
          const rewrite = raw.prepare('UPDATE events SET data = ? WHERE position = ?');
          for (const [json, position] of unescaped) rewrite.run(json, position);
          raw.close();
          const mainThread = open(path, { readAhead: 'off' });
          const always = open(path, { readAhead: 'always' });
          const auto = open(path, { readAhead: 'auto' });
          for (const r of reads) {
            const options = {
              batchSize: r.batchSize,
              fromPosition: BigInt(r.from),
              ...(r.prefixes && { streamPrefixes: r.prefixes }),
              ...(r.maxCount && { maxCount: r.maxCount }),
            };
            const expected = await drain(mainThread.readAllBatches(options));
            expect(await drain(always.readAllBatches(options))).toEqual(expected);
            expect(await drain(auto.readAllBatches(options))).toEqual(expected);
            // The catch-up's rows: the same events, in the same pages, whichever thread read them.
            for (const store of [mainThread, always, auto]) {
              expect(await rowsAsBatches(store.readAllRows(options))).toStrictEqual(expected);
            }
          }
          for (const s of [writer, mainThread, always, auto]) await s.close();
          expect(always.readAheadsRunning()).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads non-ASCII stored unescaped and odd stream names and types exactly as the main thread does', async () => {
    const path = newPath();
    const writer = open(path);
    const data = { 名称: '行政审批 "引号" \\ 反斜杠', emoji: '😀', lone: '\ud800x', nested: { a: ['[', ']', ','] } };
    await writer.append('x"\\[],{}', [event(data, 'Type "with" \\ 中文 ]'), event({ plain: 1 })]);
    await fill(writer, 30);
    const raw = new Database(path);
    raw.prepare('UPDATE events SET data = ? WHERE position = 1').run(JSON.stringify(data));
    raw.close();
    const expected = await drain(open(path, { readAhead: 'off' }).readAllBatches({ batchSize: 4 }));
    const ahead = await drain(open(path, { readAhead: 'always' }).readAllBatches({ batchSize: 4 }));
    expect(ahead).toEqual(expected);
    expect(ahead[0]?.[0]).toMatchObject({ streamId: 'x"\\[],{}', type: 'Type "with" \\ 中文 ]', position: 1n });
    expect((ahead[0]![0] as RecordedEvent).data['名称']).toBe(data.名称);
  });

  it('reads pages posted in several chunks, and a row longer than a chunk, as the main thread does', async () => {
    const path = newPath();
    const writer = open(path);
    for (let i = 0; i < 40; i++) {
      // 3 KiB to 120 KiB bodies: pages of 16 rows span many chunks; the largest rows exceed one (CHUNK_CHARS).
      await writer.append(`case-${i % 3}`, [event({ i, pad: 'y'.repeat(3000 * (1 + (i % 40))), 中: '文' })]);
    }
    const expected = await drain(open(path, { readAhead: 'off' }).readAllBatches({ batchSize: 16 }));
    expect(await drain(open(path, { readAhead: 'always' }).readAllBatches({ batchSize: 16 }))).toEqual(expected);
    expect(await rowsAsBatches(open(path, { readAhead: 'always' }).readAllRows({ batchSize: 16 }))).toStrictEqual(
      expected,
    );
    expect(expected.flat()).toHaveLength(40);
    // The rows form's eventIds, apart, in more than one chunk: 2,000 of 38 characters in a page.
    const many = newPath();
    await fill(open(many), 2000);
    const all = await drain(open(many, { readAhead: 'off' }).readAllBatches({ batchSize: 2000 }));
    expect(await rowsAsBatches(open(many, { readAhead: 'always' }).readAllRows({ batchSize: 2000 }))).toStrictEqual(
      all,
    );
    expect(await drain(open(many, { readAhead: 'always' }).readAllBatches({ batchSize: 2000 }))).toStrictEqual(all);
  });

  it('starts a worker only after a first full page read on the main thread with enough rows after it (auto), never for :memory: or off', async () => {
    const path = newPath();
    await fill(open(path), 100);
    const auto = open(path, { readAheadMinRows: 50 });
    const short = auto.readAllBatches({ batchSize: 200 })[Symbol.asyncIterator]();
    expect((await short.next()).value).toHaveLength(100);
    expect(auto.readAheadsRunning()).toHaveLength(0);
    const long = auto.readAllBatches({ batchSize: 30 })[Symbol.asyncIterator]();
    expect((await long.next()).value).toHaveLength(30);
    expect(auto.readAheadsRunning()).toHaveLength(1);
    await long.return?.();
    // 70 rows after the first page: below 71, the read stays on this thread to its end.
    const fewAfter = open(path, { readAheadMinRows: 71 });
    const batches = await drain(fewAfter.readAllBatches({ batchSize: 30 }));
    expect(batches.flat()).toHaveLength(100);
    expect(fewAfter.readAheadsRunning()).toHaveLength(0);
    // By default a worker (150-170 ms to start) is for reads of 100,000 rows and more.
    const byDefault = open(path);
    const few = byDefault.readAllBatches({ batchSize: 30 })[Symbol.asyncIterator]();
    await few.next();
    expect(byDefault.readAheadsRunning()).toHaveLength(0);
    await few.return?.();
    for (const options of [{ readAhead: 'always' as const }, {}]) {
      const memory = open(':memory:', options);
      await fill(memory, 100);
      const it = memory.readAllBatches({ batchSize: 10 })[Symbol.asyncIterator]();
      await it.next();
      expect(memory.readAheadsRunning()).toHaveLength(0);
    }
    const off = open(path, { readAhead: 'off' });
    const it = off.readAllBatches({ batchSize: 10 })[Symbol.asyncIterator]();
    await it.next();
    expect(off.readAheadsRunning()).toHaveLength(0);
  });

  it('ends the worker when the consumer stops early (return), and when the read reaches its end', async () => {
    const path = newPath();
    await fill(open(path), 2000);
    const store = open(path, { readAhead: 'always' });
    const it = store.readAllBatches({ batchSize: 10 })[Symbol.asyncIterator]();
    expect((await it.next()).value).toHaveLength(10);
    const running = store.readAheadsRunning();
    expect(running).toHaveLength(1);
    await it.return?.();
    expect(await allExited(store, running)).toBe('exited');
    expect(await it.next()).toEqual({ value: undefined, done: true });

    const batches = await drain(store.readAllBatches({ batchSize: 100, maxCount: 250 }));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(await allExited(store, store.readAheadsRunning())).toBe('exited');
    expect((await drain(store.readAllBatches({ batchSize: 500 }))).flat()).toHaveLength(2000);
    expect(await allExited(store, store.readAheadsRunning())).toBe('exited');
  });

  it('a read of many more pages than are in flight completes: credits granted CREDITS_A_MESSAGE at a time never leave the worker and the reader both waiting', async () => {
    const path = newPath();
    await fill(open(path), 1000);
    const pages = 1000 / 5; // 25 times PAGES_IN_FLIGHT
    expect(pages).toBeGreaterThan(10 * PAGES_IN_FLIGHT);
    const read = drain(open(path, { readAhead: 'always' }).readAllBatches({ batchSize: 5 }));
    // A stall shows as this timeout, not as the test's.
    const stalled = new Promise<string>((resolve) => setTimeout(() => resolve('stalled'), 10_000).unref());
    const outcome = await Promise.race([read.then((b) => `${b.length} batches of ${b.flat().length} events`), stalled]);
    expect(outcome).toBe(`${pages} batches of 1000 events`);
  });

  it('close() during a read ahead: the waiting and later next() fail as unavailable, the worker ends', async () => {
    const path = newPath();
    await fill(open(path), 2000);
    const store = open(path, { readAhead: 'always' });
    const it = store.readAllBatches({ batchSize: 10 })[Symbol.asyncIterator]();
    await it.next();
    const running = store.readAheadsRunning();
    const waiting = it.next();
    await store.close();
    await expect(waiting).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(waiting).rejects.toThrow(/the store is closed/);
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(await allExited(store, running)).toBe('exited');
    await expect(drain(store.readAllBatches())).rejects.toThrow(/the store is closed/);
  });

  it('events appended while reading ahead are read: in the batches, or by the next read from where they ended', async () => {
    const path = newPath();
    const store = open(path, { readAhead: 'always' });
    await fill(store, 600);
    const seen: bigint[] = [];
    for await (const batch of store.readAllBatches({ batchSize: 20 })) {
      seen.push(...batch.map((e) => e.position));
      if (seen.length === 20) await fill(store, 300);
    }
    const last = seen.at(-1) as bigint;
    const rest = (await drain(store.readAllBatches({ fromPosition: last + 1n }))).flat().map((e) => e.position);
    expect([...seen, ...rest]).toEqual(Array.from({ length: 900 }, (_, i) => BigInt(i + 1)));
  });
});

describe('a damaged store read ahead reports as the main-thread read does', () => {
  const failure = async (store: SqliteEventStore, batchSize: number, rows = false) => {
    const read = rows ? rowsAsBatches(store.readAllRows({ batchSize })) : drain(store.readAllBatches({ batchSize }));
    const error = (await read.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    return { kind: error.constructor.name, message: error.message, where: (error as StoreCorruptError).where };
  };

  it('a damaged page: the same StoreCorruptError, whether the worker reads it from the first page or later', async () => {
    const path = newPath();
    await fill(open(path), 1500);
    for (const s of stores.splice(0)) await s.close();
    damageEventsPage(path, 1200);
    for (const batchSize of [1024, 100]) {
      const expected = await failure(open(path, { readAhead: 'off' }), batchSize);
      expect(expected.kind).toBe('StoreCorruptError');
      for (const readAhead of ['always', 'auto'] as const) {
        for (const rows of [false, true]) {
          const reported: StoreCorruptError[] = [];
          const store = open(path, { readAhead, onCorruption: (e) => reported.push(e) });
          expect(await failure(store, batchSize, rows)).toEqual(expected);
          expect(reported.map((e) => e.where)).toEqual([expected.where]);
          expect(store.corruption()).toBe(reported[0]);
          expect(await allExited(store, store.readAheadsRunning())).toBe('exited');
        }
      }
    }
  });

  it('a record that does not parse: corrupt, naming its stream and position, with the same reason', async () => {
    const path = newPath();
    await fill(open(path), 300);
    for (const s of stores.splice(0)) await s.close();
    garbleEventBody(path, 250);
    const expected = await failure(open(path, { readAhead: 'off' }), 16);
    expect(expected).toMatchObject({ kind: 'StoreCorruptError', where: 'stream case-4 at position 250' });
    expect(await failure(open(path, { readAhead: 'always' }), 16)).toEqual(expected);
    expect(await failure(open(path, { readAhead: 'auto' }), 16)).toEqual(expected);
    // The catch-up's rows refuse the record exactly as its events do.
    for (const readAhead of ['off', 'always', 'auto'] as const) {
      expect(await failure(open(path, { readAhead }), 16, true)).toEqual(expected);
    }
  });

  it('a file the worker cannot open (removed): unavailable, naming the read, not a raw driver error', async () => {
    const path = newPath();
    const store = open(path, { readAhead: 'always' });
    await fill(store, 100);
    rmSync(path);
    const error = await drain(store.readAllBatches({ batchSize: 10 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/^event store sqlite:.* unavailable: read failed \(/);
    expect(await allExited(store, store.readAheadsRunning())).toBe('exited');
  });
});
