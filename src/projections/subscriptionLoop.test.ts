/**
 * The loop folds a large array of stored events in slices, yielding to the
 * event loop between them (issue 13: a 1000-event append folded in one
 * synchronous stretch kept `/healthz` waiting), and the position it reports
 * never runs ahead of what is folded. Following the store, a slice is at most
 * SLICE_EVENTS events or SLICE_MS; the first catch-up slices by SLICE_MS only
 * (issue 18). Folding time is a fake clock that each fold advances by `costMs`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent, Subscription, SubscriptionMessage } from '../store/port.js';
import { type LoopTarget, SLICE_EVENTS, SLICE_MS, SubscriptionLoop } from './subscriptionLoop.js';

const event = (position: number): RecordedEvent => ({
  streamId: `case-${position}`,
  eventId: `e${position}`,
  type: 'CaseAccepted',
  data: {},
  revision: 0n,
  position: BigInt(position),
  recordedAt: '2026-01-01T00:00:00.000Z',
});

/** A store that hands its events over in the given arrays: to catch-up (readAllBatches) or to a subscription. */
function storeOf(arrays: readonly RecordedEvent[][], mode: 'catch-up' | 'follow'): EventStore {
  const all = arrays.flat();
  const last = all.length === 0 ? -1n : all[all.length - 1]!.position;
  let close: () => void = () => {};
  const closed = new Promise<void>((r) => (close = r));
  const subscription = (from: bigint): Subscription => ({
    close: async () => close(),
    async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
      // Every event of the subscription arrives in one go (as a store's page does).
      for (const e of all) if (e.position > from) yield { kind: 'event', event: e };
      yield { kind: 'caught-up', position: last };
      await closed;
    },
  });
  return {
    name: 'test',
    ...(mode === 'catch-up'
      ? {
          async *readAllBatches() {
            for (const a of arrays) if (a.length > 0) yield a;
          },
        }
      : {}),
    subscribeToAll: (options?: { fromPosition?: bigint | 'start' }) =>
      subscription(typeof options?.fromPosition === 'bigint' ? options.fromPosition : -1n),
  } as unknown as EventStore;
}

interface Run {
  readonly folded: bigint[];
  /** Events folded between two turns of the event loop, at most. */
  readonly longestStretch: number;
  /** At each turn of the event loop: the position reported and the last event folded. */
  readonly seenAtTurns: Array<{ position: bigint; lastFolded: bigint }>;
  readonly advancedPastFold: number;
}

async function run(arrays: readonly RecordedEvent[][], mode: 'catch-up' | 'follow', costMs = 2 ** -7): Promise<Run> {
  const folded: bigint[] = [];
  let clock = 0;
  let position = -1n;
  let caughtUp = false;
  let advancedPastFold = 0;
  let reached!: () => void;
  const head = new Promise<void>((r) => (reached = r));
  const target: LoopTarget = {
    position: () => position,
    caughtUp: () => caughtUp,
    fold: (e) => {
      folded.push(e.position);
      clock += costMs;
    },
    advance: (to) => {
      if (to > (folded[folded.length - 1] ?? -1n)) advancedPastFold++;
      if (to > position) position = to;
    },
    reachedHead: () => {
      caughtUp = true;
      reached();
    },
    failedBeforeHead: (error) => {
      throw error;
    },
  };
  const loop = new SubscriptionLoop(
    storeOf(arrays, mode),
    target,
    () => {},
    undefined,
    () => clock,
  );
  let longestStretch = 0;
  let atLastTurn = 0;
  const seenAtTurns: Run['seenAtTurns'] = [];
  let ticking = true;
  const tick = (): void => {
    longestStretch = Math.max(longestStretch, folded.length - atLastTurn);
    atLastTurn = folded.length;
    seenAtTurns.push({ position, lastFolded: folded[folded.length - 1] ?? -1n });
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  loop.start();
  await head;
  ticking = false;
  await loop.stop();
  tick(); // the folds since the last turn count too
  return { folded, longestStretch, seenAtTurns, advancedPastFold };
}

/** Positions 0..n-1 cut into arrays at the given sizes (the rest in a last array). */
function arraysOf(n: number, sizes: readonly number[]): RecordedEvent[][] {
  const arrays: RecordedEvent[][] = [];
  let next = 0;
  for (const size of sizes) {
    if (next >= n) break;
    const end = Math.min(n, next + size);
    arrays.push(Array.from({ length: end - next }, (_, i) => event(next + i)));
    next = end;
  }
  if (next < n) arrays.push(Array.from({ length: n - next }, (_, i) => event(next + i)));
  return arrays;
}

/** The longest stretch a slice allows: SLICE_EVENTS or SLICE_MS following the store, SLICE_MS only in the first catch-up. */
const sliceBound = (mode: 'catch-up' | 'follow', costMs: number): number => {
  // The slice's clock starts after its first fold, so one event more than the time allows.
  const byTime = Math.ceil(SLICE_MS / costMs) + 1;
  return mode === 'follow' ? Math.min(SLICE_EVENTS, byTime) : byTime;
};

describe('SubscriptionLoop', () => {
  it.each(['catch-up', 'follow'] as const)(
    'regression (issue 13): 1000 events handed over at once are folded in slices (%s)',
    async (mode) => {
      const r = await run(arraysOf(1000, [1000]), mode, 2 ** -7);
      expect(r.folded).toHaveLength(1000);
      expect(r.longestStretch).toBeLessThanOrEqual(sliceBound(mode, 2 ** -7));
      expect(r.longestStretch).toBeLessThan(1000);
      expect(r.longestStretch).toBeGreaterThan(0);
    },
  );

  it('the first catch-up yields by time only: cheap events go in slices longer than SLICE_EVENTS (issue 18)', async () => {
    const r = await run(arraysOf(3000, [1024, 1024]), 'catch-up', 2 ** -8);
    expect(r.folded).toHaveLength(3000);
    expect(r.longestStretch).toBeGreaterThan(SLICE_EVENTS);
    expect(r.longestStretch).toBeLessThanOrEqual(sliceBound('catch-up', 2 ** -8));
    // Costly events (a long case) still yield every SLICE_MS.
    const slow = await run(arraysOf(200, [200]), 'catch-up', 1);
    expect(slow.longestStretch).toBeLessThanOrEqual(SLICE_MS + 1);
  });

  it('law: every event folded once, in order; no stretch longer than a slice; the position never ahead of the fold', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2500 }),
        fc.array(fc.integer({ min: 1, max: 1100 }), { maxLength: 6 }),
        fc.constantFrom('catch-up' as const, 'follow' as const),
        // Binary fractions of a millisecond, so that the fake clock adds up exactly.
        fc.constantFrom(2 ** -10, 2 ** -7, 2 ** -4, 1, 5),
        async (n, sizes, mode, costMs) => {
          const r = await run(arraysOf(n, sizes), mode, costMs);
          expect(r.folded).toEqual(Array.from({ length: n }, (_, i) => BigInt(i)));
          expect(r.longestStretch).toBeLessThanOrEqual(sliceBound(mode, costMs));
          expect(r.advancedPastFold).toBe(0);
          // Between slices, whatever is folded is also reported (read-your-writes waiters are released).
          for (const seen of r.seenAtTurns) expect(seen.position).toBe(seen.lastFolded);
        },
      ),
      { numRuns: 40 },
    );
  });
});
