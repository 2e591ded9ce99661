/**
 * A filtered `readAllBatches` read, on the store's own thread or read ahead in its worker, tells `onScanned`
 * how far it scanned `$all` (port.ts: between two arrays, every matching event
 * up to the position was in an earlier array), so a projection worker whose
 * partition is quiet starts its live subscription at the head instead of
 * rescanning, in that subscription, the tail of other partitions' events after
 * its last own one.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SubscriptionLoop } from '../../projections/subscriptionLoop.js';
import type { RecordedEvent, SubscribeOptions } from '../port.js';
import { SqliteEventStore } from './sqlite-store.js';

let dir: string;
let files = 0;
const stores: SqliteEventStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-scanned-'));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

type ReadAheadMode = 'off' | 'always';

/** A file store reading on its own thread ('off'), or in the read-ahead worker from the second page ('always'). */
const open = (readAhead: ReadAheadMode): SqliteEventStore => {
  const store = new SqliteEventStore(join(dir, `events-${files++}.db`), { readAhead });
  stores.push(store);
  return store;
};

const STREAMS = ['a-1', 'a-2', 'b-1', 'b-2', 'c-1'];
const append = (store: SqliteEventStore, stream: string) =>
  store.append(stream, [{ eventId: randomUUID(), type: 'CaseAccepted', data: {} }]);

describe.each<ReadAheadMode>(['off', 'always'])('onScanned of a filtered readAllBatches, read-ahead %s', (mode) => {
  it('tells, after the last array, a position up to which every matching event was delivered, even with appends during the read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...STREAMS), { maxLength: 40 }),
        // Appends made by the consumer after each array it takes (matching ones too).
        fc.array(fc.array(fc.constantFrom(...STREAMS), { maxLength: 4 }), { maxLength: 6 }),
        // ['a-', '\uD83D'] cannot be said in SQL (a lone surrogate): filtered in JavaScript.
        fc.constantFrom(['a-'], ['a-', 'c-'], ['z-'], ['a-', '\uD83D']),
        fc.nat({ max: 45 }),
        fc.integer({ min: 1, max: 6 }),
        async (log, during, prefixes, from, batchSize) => {
          const store = open(mode);
          for (const stream of log) await append(store, stream);
          const delivered: RecordedEvent[] = [];
          const told: Array<{ position: bigint; head: Promise<bigint>; arrays: number }> = [];
          let arrays = 0;
          let appendedDuring = 0;
          const batches = store.readAllBatches({
            fromPosition: BigInt(from),
            streamPrefixes: prefixes,
            batchSize,
            // headPosition() reads the head when called: the head at the time it was told.
            onScanned: (position) => told.push({ position, head: store.headPosition(), arrays }),
          });
          for await (const batch of batches) {
            delivered.push(...batch);
            arrays++;
            for (const stream of during[arrays - 1] ?? []) {
              await append(store, stream);
              appendedDuring++;
            }
          }
          const matching = (e: RecordedEvent) => prefixes.some((p) => e.streamId.startsWith(p));
          const all: RecordedEvent[] = [];
          for await (const e of store.readAll()) all.push(e);
          const head = all.at(-1)?.position ?? -1n;
          const deliveredPositions = new Set(delivered.map((e) => e.position));
          // At most once, after the last array; never before a matching event it did not deliver.
          expect(told.length).toBeLessThanOrEqual(1);
          for (const { position, head: headThen, arrays: after } of told) {
            expect(after).toBe(arrays);
            expect(position).toBeGreaterThanOrEqual(BigInt(from));
            expect(position).toBeLessThanOrEqual(await headThen);
            expect(position).toBeGreaterThanOrEqual(delivered.at(-1)?.position ?? -1n);
            const missed = all.filter((e) => e.position >= BigInt(from) && e.position <= position && matching(e));
            expect(missed.filter((e) => !deliveredPositions.has(e.position))).toEqual([]);
          }
          // With nothing appended during the read, it scanned to the head whenever the log reaches `from`.
          if (appendedDuring === 0) expect(told.map((t) => t.position)).toEqual(head >= BigInt(from) ? [head] : []);
        },
      ),
      { numRuns: mode === 'off' ? 60 : 25 }, // a worker a run
    );
  });

  it('is not told when maxCount ended the read before the log did', async () => {
    const store = open(mode);
    for (const stream of ['a-1', 'b-1', 'a-2', 'b-2']) await append(store, stream);
    const told: bigint[] = [];
    const read = store.readAllBatches({ streamPrefixes: ['a-'], maxCount: 1, onScanned: (p) => told.push(p) });
    for await (const batch of read) expect(batch.map((e) => e.position)).toEqual([1n]);
    expect(told).toEqual([]);
  });
});

describe.each<ReadAheadMode>(['off', 'always'])('a projection loop over a quiet prefix, read-ahead %s', (mode) => {
  // Regression: the loop subscribed after its last own event (position 2) and rescanned the 300 after it
  // (read ahead in the worker, it still did until the worker reported the head it saw).
  it('goes live subscribing at the head, not after its last own event', async () => {
    const store = open(mode);
    await append(store, 'case-A-1');
    await append(store, 'case-A-2');
    for (let i = 0; i < 300; i++) await append(store, `case-B-${i % 7}`);
    const subscribedFrom: Array<SubscribeOptions['fromPosition']> = [];
    const subscribe = store.subscribeToAll.bind(store);
    store.subscribeToAll = (options = {}) => {
      subscribedFrom.push(options.fromPosition);
      return subscribe(options);
    };
    let position = -1n;
    let caughtUp = false;
    const folded: bigint[] = [];
    const live = new Promise<void>((resolve) => {
      const loop = new SubscriptionLoop(
        store,
        {
          position: () => position,
          caughtUp: () => caughtUp,
          fold: (e) => folded.push(e.position),
          advance: (to) => {
            if (to > position) position = to;
          },
          reachedHead: () => {
            caughtUp = true;
            void loop.stop().then(resolve);
          },
          failedBeforeHead: (error) => {
            throw error;
          },
        },
        () => {},
        ['case-A-'],
      );
      loop.start();
    });
    await live;
    expect(folded).toEqual([1n, 2n]);
    expect(subscribedFrom).toEqual([302n]);
    expect(position).toBe(302n);
  });
});
