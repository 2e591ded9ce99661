/**
 * The filtered read's laws on any log (filtered-read.ts), against a model
 * server: it yields exactly the matching events at or after `from`, in order,
 * at most `maxCount`, in non-empty arrays of at most `batchSize`; a checkpoint
 * reaches `onScanned` only once every matching event up to it was handed over,
 * and no later array holds an event at or before it; the subscription is closed
 * however the read ends; a server that sends nothing fails the read.
 * Through the real client and the wire server: test/store/esdb-wire-filtered-read.int.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RecordedEvent, StoreUnavailableError, type Subscription, type SubscriptionMessage } from '../port.js';
import { type FilteredRead, filteredBatches } from './filtered-read.js';

interface Log {
  readonly records: readonly RecordedEvent[];
  /** A checkpoint after every this many records scanned. */
  readonly every: number;
}

const record = (position: bigint, streamId: string): RecordedEvent => ({
  streamId,
  eventId: `e${position}`,
  type: 'T',
  data: {},
  revision: 0n,
  position,
  recordedAt: '2025-01-01T00:00:00.000Z',
});

/** Records at increasing, gapped positions (positions are byte offsets on EventStoreDB), on a few streams. */
const logs = fc
  .record({
    streams: fc.array(fc.constantFrom('in-a', 'in-b', 'out-a', 'out-b', 'inx'), { maxLength: 60 }),
    gaps: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 60, maxLength: 60 }),
    every: fc.integer({ min: 1, max: 8 }),
  })
  .map(({ streams, gaps, every }): Log => {
    let position = 0n;
    return {
      every,
      records: streams.map((s, i) => {
        position += BigInt(gaps[i] as number);
        return record(position, s);
      }),
    };
  });

/** The model server's filtered subscription after `from` (exclusive), as the adapter's subscription yields it. */
function modelSubscription(log: Log, from: bigint | 'start', prefixes: readonly string[], closed: { n: number }) {
  const messages: SubscriptionMessage[] = [];
  let scanned = 0;
  for (const r of log.records) {
    if (from !== 'start' && r.position <= from) continue;
    if (prefixes.some((p) => r.streamId.startsWith(p))) messages.push({ kind: 'event', event: r });
    if (++scanned % log.every === 0) messages.push({ kind: 'checkpoint', position: r.position });
  }
  messages.push({ kind: 'caught-up', position: log.records.at(-1)?.position ?? -1n });
  const sub: Subscription = {
    async close() {
      closed.n++;
    },
    async *[Symbol.asyncIterator]() {
      for (const m of messages) yield m;
    },
  };
  return sub;
}

const PREFIXES = ['in-'];

describe('filteredBatches (model server)', () => {
  it('yields the matching events from `from`, in order, capped and batched; checkpoints only past what was handed over', async () => {
    await fc.assert(
      fc.asyncProperty(
        logs,
        fc.integer({ min: -1, max: 200 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        async (log, fromAt, batchSize, cap) => {
          const from = fromAt < 0 ? undefined : BigInt(fromAt);
          const closed = { n: 0 };
          const subscribed: (bigint | 'start')[] = [];
          const deps = {
            storeName: 'model',
            stallMs: 1000,
            firstAtOrAfter: async (p: bigint) => log.records.find((r) => r.position >= p),
            subscribe: (start: bigint | 'start', prefixes: readonly string[]) => {
              subscribed.push(start);
              return modelSubscription(log, start, prefixes, closed);
            },
          };
          const handed: RecordedEvent[] = [];
          const scannedAt: Array<{ position: bigint; handedSoFar: number }> = [];
          const read: FilteredRead = {
            from,
            prefixes: PREFIXES,
            maxCount: cap ?? Number.POSITIVE_INFINITY,
            batchSize,
            onScanned: (position) => scannedAt.push({ position, handedSoFar: handed.length }),
          };
          for await (const batch of filteredBatches(deps, read)) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(batchSize);
            handed.push(...batch);
          }
          const expected = log.records
            .filter((r) => (from === undefined || from <= 0n || r.position >= from) && r.streamId.startsWith('in-'))
            .slice(0, cap ?? Number.POSITIVE_INFINITY);
          expect(handed.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
          for (const { position, handedSoFar } of scannedAt) {
            // Every matching event up to the checkpoint was handed over before it, none after it.
            expect(handed.slice(handedSoFar).every((e) => e.position > position)).toBe(true);
            const upTo = expected.filter((e) => e.position <= position).length;
            expect(handedSoFar).toBeGreaterThanOrEqual(upTo);
          }
          for (let i = 1; i < scannedAt.length; i++)
            expect(scannedAt[i]!.position).toBeGreaterThan(scannedAt[i - 1]!.position);
          expect(closed.n).toBe(subscribed.length); // each subscription opened was closed
          expect(subscribed.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('regression: the start event counts toward the first array (arrays of batchSize 1 from an event position)', async () => {
    // Found by the property: the event read at `from` and the subscription's first event made an array of 2.
    const log: Log = { every: 1, records: [record(1n, 'in-a'), record(2n, 'in-a')] };
    const closed = { n: 0 };
    const deps = {
      storeName: 'model',
      stallMs: 1000,
      firstAtOrAfter: async (p: bigint) => log.records.find((r) => r.position >= p),
      subscribe: (start: bigint | 'start', prefixes: readonly string[]) =>
        modelSubscription(log, start, prefixes, closed),
    };
    const batches: RecordedEvent[][] = [];
    for await (const batch of filteredBatches(deps, {
      from: 1n,
      prefixes: PREFIXES,
      maxCount: Number.POSITIVE_INFINITY,
      batchSize: 1,
    }))
      batches.push(batch);
    expect(batches.map((b) => b.map((e) => e.eventId))).toEqual([['e1'], ['e2']]);
  });

  it('a consumer that stops early closes the subscription', async () => {
    const log: Log = { every: 2, records: Array.from({ length: 20 }, (_, i) => record(BigInt(i + 1), 'in-a')) };
    const closed = { n: 0 };
    const deps = {
      storeName: 'model',
      stallMs: 1000,
      firstAtOrAfter: async () => undefined,
      subscribe: (start: bigint | 'start', prefixes: readonly string[]) =>
        modelSubscription(log, start, prefixes, closed),
    };
    for await (const batch of filteredBatches(deps, {
      from: undefined,
      prefixes: PREFIXES,
      maxCount: Number.POSITIVE_INFINITY,
      batchSize: 3,
    })) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(closed.n).toBe(1);
  });

  it('a server that sends nothing fails the read with StoreUnavailableError, and the subscription is closed', async () => {
    let closed = 0;
    const silent: Subscription = {
      async close() {
        closed++;
      },
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => undefined) }),
    };
    const deps = {
      storeName: 'esdb://silent',
      stallMs: 20,
      firstAtOrAfter: async () => undefined,
      subscribe: () => silent,
    };
    const read = filteredBatches(deps, {
      from: undefined,
      prefixes: PREFIXES,
      maxCount: Number.POSITIVE_INFINITY,
      batchSize: 10,
    });
    const error = await (async () => {
      for await (const _ of read) return undefined;
      return undefined;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/esdb:\/\/silent.*nothing for 20 ms/);
    expect(closed).toBe(1);
  });
});
