import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchesPrefixes } from '../../src/store/core/validate.js';
import { InvalidAppendError, MAX_STREAM_PREFIXES, type RecordedEvent } from '../../src/store/port.js';
import { IN_LIST_MIN_PREFIXES, prefixCondition } from '../../src/store/sqlite/prefixCondition.js';
import {
  coveringPrefixes,
  MAX_SQL_RANGES,
  type PrefixFilterForm,
  prefixUpperBound,
} from '../../src/store/sqlite/prefixCondition.js';
import { allReadQuery, PrefixFilteredReads, STATEMENT_CACHE_SIZE } from '../../src/store/sqlite/prefixFilter.js';
import { EVENT_COLUMNS, SCHEMA_SQL } from '../../src/store/sqlite/schema.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-prefix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const keys = (events: readonly RecordedEvent[]) => events.map((e) => `${e.position}:${e.streamId}:${e.revision}`);

/** LIKE metacharacters, the escape, NUL, the edges of UTF-8's ranges (U+D7FF/U+E000, U+FFFF, U+10FFFF), pairs. */
const CHARACTERS = [
  'a',
  'b',
  'a',
  '-',
  '%',
  '_',
  '\\',
  '\0',
  'é',
  '中',
  '\uD7FF',
  '\uE000',
  '\uFFFF',
  '😀',
  '\u{10FFFF}',
];
const name = fc.array(fc.constantFrom(...CHARACTERS), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
/**
 * A prefix: any name, a lone surrogate, or the start of one of the streams, cut
 * between code points or between UTF-16 units (possibly half of a pair).
 */
const prefixChoice = fc.oneof(
  name,
  fc.constantFrom('\uD83D', '\uDE00', 'a\uD800'),
  fc.record({ stream: fc.nat(), length: fc.nat(), units: fc.boolean() }),
);

type PrefixChoice = string | { stream: number; length: number; units: boolean };
function prefixOf(streams: readonly string[], c: PrefixChoice): string {
  if (typeof c === 'string') return c;
  const stream = streams[c.stream % streams.length] as string;
  const parts = c.units ? stream.split('') : Array.from(stream);
  return parts.slice(0, 1 + (c.length % parts.length)).join('');
}

/**
 * Rows written straight into the file, so stream names are not limited to what
 * append() accepts (printable ASCII): the filter must hold for any stored name.
 */
function fill(path: string, streams: readonly string[], order: readonly number[]): void {
  new SqliteEventStore(path).close();
  const raw = new Database(path);
  const insert = raw.prepare(
    "INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES (?, ?, ?, 'T', '{}', 'at')",
  );
  const revisions = new Map<string, number>();
  order.forEach((i, n) => {
    const stream = streams[i % streams.length] as string;
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    insert.run(stream, revision, `e${n}`);
  });
  raw.close();
}

async function catchUp(store: SqliteEventStore, prefixes: readonly string[], checkpointInterval: number) {
  const sub = store.subscribeToAll({ fromPosition: 'start', streamPrefixes: prefixes, checkpointInterval });
  const events: RecordedEvent[] = [];
  const checkpoints: bigint[] = [];
  for await (const m of sub) {
    if (m.kind === 'event') events.push(m.event);
    if (m.kind === 'checkpoint') checkpoints.push(m.position);
    if (m.kind === 'caught-up') break;
  }
  await sub.close();
  return { events, checkpoints };
}

describe('sqlite store: the stream-prefix filter runs in SQL', () => {
  it('upper bounds: the next code point, skipping the surrogates and dropping U+10FFFF', () => {
    expect(prefixUpperBound('case-')).toBe('case.');
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a\uFFFF')).toBe('a\u{10000}');
    expect(prefixUpperBound('a😀')).toBe('a😁');
    expect(prefixUpperBound('a\u{10FFFF}\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
    expect(coveringPrefixes(['case-53', 'case-5', 'b', 'case-5', 'case-6'])).toEqual(['b', 'case-5', 'case-6']);
  });

  it('keeps a bounded number of statements however many prefix sets are asked for, and each still reads right', () => {
    const db = new Database(':memory:');
    db.exec(SCHEMA_SQL);
    db.prepare(
      "INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES ('p7-x', 0, 'e', 'T', '{}', 'at')",
    ).run();
    const reads = new PrefixFilteredReads(db);
    for (let n = 1; n <= 3 * STATEMENT_CACHE_SIZE; n++) {
      const prefixes = Array.from({ length: n }, (_, i) => `p${i}-`);
      expect(
        reads
          .reader(prefixes)?.(-1n, 10)
          .map((row) => row[1]),
      ).toEqual(n > 7 ? ['p7-x'] : []);
      reads.scanner(prefixes);
      expect(reads.cachedStatements).toBeLessThanOrEqual(STATEMENT_CACHE_SIZE);
    }
    db.close();
  });

  it('reads up to the store-wide cap of prefixes in SQL, and refuses more (no JavaScript fallback to fall into)', () => {
    const db = new Database(':memory:');
    db.exec(SCHEMA_SQL);
    db.prepare(
      "INSERT INTO events (stream, revision, event_id, type, data, recorded_at) VALUES ('p2047-x', 0, 'e', 'T', '{}', 'at')",
    ).run();
    const reads = new PrefixFilteredReads(db);
    const atCap = Array.from({ length: MAX_STREAM_PREFIXES }, (_, i) => `p${i}-`);
    expect(MAX_SQL_RANGES).toBe(MAX_STREAM_PREFIXES);
    expect(
      reads
        .reader(atCap)?.(-1n, 10)
        .map((row) => row[1]),
    ).toEqual(['p2047-x']);
    const over = [...atCap, 'q-'];
    expect(() => reads.reader(over)).toThrow(InvalidAppendError);
    expect(() => reads.scanner(over)).toThrow(/streamPrefixes: names 2049 prefixes, at most 2048/);
    db.close();
  });

  it('says many prefixes of few lengths as IN lists, and few prefixes as ranges (the cost rule, per length)', () => {
    // Half of 145 centers, one by one: 72 prefixes of 3 lengths (case-C1-, case-C11-, case-C101-).
    const centers = Array.from({ length: 72 }, (_, i) => `case-C${2 * i + 1}-`);
    expect(prefixCondition(centers)?.shape).toBe('in 8x5 9x45 10x22; ranges 0');
    expect(prefixCondition(['case-P1-', 'case-P3-', 'policy-', 'calendar-'])?.shape).toBe('in ; ranges 4');
    // A length with IN_LIST_MIN_PREFIXES prefixes is a list, one with fewer stays ranges.
    const five = Array.from({ length: IN_LIST_MIN_PREFIXES }, (_, i) => `p${i}-`);
    expect(prefixCondition([...five, 'q10-', 'q11-'])?.shape).toBe(`in 3x${IN_LIST_MIN_PREFIXES}; ranges 2`);
    expect(prefixCondition(five.slice(1))?.shape).toBe(`in ; ranges ${IN_LIST_MIN_PREFIXES - 1}`);
    // Forced forms; a prefix holding NUL is a range whatever the form (substr stops at a NUL).
    expect(prefixCondition(centers, 'ranges')?.shape).toBe('in ; ranges 72');
    expect(prefixCondition(['a', 'b\0', '😀x'], 'in-lists')?.shape).toBe('in 1x1 2x1; ranges 1');
    expect(prefixCondition(['a', 'a\uD800'], 'in-lists')).toBeUndefined();
    // Lengths count code points, as SQLite's substr does on TEXT: one astral character is one.
    const astral = prefixCondition(['😀', '\u{10FFFF}', 'é', 'ab'], 'in-lists');
    expect(astral?.condition).toBe('(substr(stream, 1, 1) IN (?, ?, ?) OR substr(stream, 1, 2) IN (?))');
    expect(astral?.bounds).toEqual(['é', '😀', '\u{10FFFF}', 'ab']);
    // An unknown form is refused when the store opens, naming the option and its values.
    const options = { prefixFilterForm: 'in' as PrefixFilterForm };
    expect(() => new SqliteEventStore(':memory:', options)).toThrow(
      new RangeError(`prefixFilterForm must be 'auto', 'ranges' or 'in-lists', not "in"`),
    );
  });

  it('names each statement by its SQL: equal keys, equal SQL, whatever the prefixes and the form', () => {
    const form = fc.constantFrom<PrefixFilterForm>('auto', 'ranges', 'in-lists');
    const prefixes = fc.array(fc.oneof(name, fc.constantFrom('case-C1-', 'case-C2-', 'case-C3-', 'x', 'yz')), {
      maxLength: 14,
    });
    fc.assert(
      fc.property(prefixes, form, prefixes, form, (a, formA, b, formB) => {
        const queryA = allReadQuery(a, EVENT_COLUMNS, formA);
        const queryB = allReadQuery(b, EVENT_COLUMNS, formB);
        if (queryA === undefined || queryB === undefined) return;
        expect(queryA.key === queryB.key).toBe(queryA.sql === queryB.sql);
        expect(queryA.bounds.length).toBe(queryA.sql.split('?').length - 3);
      }),
      { numRuns: 500 },
    );
  });

  it('the read-ahead worker reads the same events as JavaScript in each form', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(name, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        fc.array(prefixChoice, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<PrefixFilterForm>('ranges', 'in-lists'),
        fc.integer({ min: 1, max: 7 }),
        async (streams, order, choices, prefixFilterForm, batchSize) => {
          const path = join(dir, `ahead-${files++}.db`);
          fill(path, streams, order);
          const prefixes = choices.map((c) => prefixOf(streams, c));
          const store = new SqliteEventStore(path, { prefixFilterForm, readAhead: 'always' });
          try {
            const all = await collect(store.readAll());
            const expected = all.filter((e) => matchesPrefixes(e.streamId, prefixes));
            const batches = await collect(store.readAllBatches({ streamPrefixes: prefixes, batchSize }));
            expect(keys(batches.flat())).toEqual(keys(expected));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 60_000);

  it('a subscription crosses full pages of other streams and ticks checkpoints over them (interval above a page)', async () => {
    const path = join(dir, `pages-${files++}.db`);
    const order = Array.from({ length: 1_300 }, (_, i) => (i === 600 || i === 1_299 ? 1 : 0));
    fill(path, ['out', 'in'], order);
    const store = new SqliteEventStore(path);
    try {
      const all = await collect(store.readAll());
      const caughtUp = await catchUp(store, ['in'], 700);
      expect(keys(caughtUp.events)).toEqual(keys(all.filter((e) => e.streamId === 'in')));
      expect(caughtUp.checkpoints).toEqual([all[699]!.position]);
      const everyRow = await catchUp(store, ['in'], 1);
      expect(everyRow.checkpoints).toEqual(all.map((e) => e.position));
    } finally {
      await store.close();
    }
  });

  it('readAll, readAllBatches and the subscription give the unfiltered read filtered in JavaScript, for any prefixes, in each form', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(name, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        fc.array(prefixChoice, { minLength: 0, maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat({ max: 70 }),
        fc.option(fc.nat({ max: 70 })),
        fc.integer({ min: 1, max: 5 }),
        async (streams, order, choices, batchSize, from, maxCount, checkpointInterval) => {
          const path = join(dir, `p-${files++}.db`);
          fill(path, streams, order);
          const prefixes = choices.map((c) => prefixOf(streams, c));
          for (const prefixFilterForm of FORMS) {
            await readsMatchJavaScript(new SqliteEventStore(path, { prefixFilterForm }), prefixes, {
              batchSize,
              from,
              maxCount,
              checkpointInterval,
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});

const FORMS: readonly PrefixFilterForm[] = ['auto', 'ranges', 'in-lists'];

interface ReadShape {
  readonly batchSize: number;
  readonly from: number;
  readonly maxCount: number | null;
  readonly checkpointInterval: number;
}

/** Every read of `store` filtered by `prefixes` equals its unfiltered read filtered by JavaScript's startsWith; closes it. */
async function readsMatchJavaScript(store: SqliteEventStore, prefixes: readonly string[], shape: ReadShape) {
  const { batchSize, from, maxCount, checkpointInterval } = shape;
  try {
    const all = await collect(store.readAll());
    const expected = all.filter((e) => matchesPrefixes(e.streamId, prefixes));
    expect(keys(await collect(store.readAll({ streamPrefixes: prefixes })))).toEqual(keys(expected));

    const fromPosition = BigInt(from);
    const window = expected.filter((e) => e.position >= fromPosition).slice(0, maxCount ?? undefined);
    const read = store.readAll({ streamPrefixes: prefixes, fromPosition, maxCount: maxCount ?? undefined });
    expect(keys(await collect(read))).toEqual(keys(window));

    const batches = await collect(store.readAllBatches({ streamPrefixes: prefixes, batchSize }));
    for (const batch of batches) expect(batch.length).toBeGreaterThan(0);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(batchSize);
    expect(keys(batches.flat())).toEqual(keys(expected));

    const caughtUp = await catchUp(store, prefixes, checkpointInterval);
    expect(keys(caughtUp.events)).toEqual(keys(expected));
    // A checkpoint on every checkpointInterval-th event scanned, filtered out or not.
    const due = all.filter((_, i) => (i + 1) % checkpointInterval === 0).map((e) => e.position);
    expect(caughtUp.checkpoints).toEqual(due);
  } finally {
    await store.close();
  }
}
