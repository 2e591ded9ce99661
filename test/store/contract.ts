/**
 * One contract for every EventStore adapter. Each test works on streams with a
 * fresh random prefix, so the suite can also run against a shared server.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DuplicateEventConflictError,
  InvalidAppendError,
  MAX_STREAM_PREFIX_LENGTH,
  MAX_STREAM_PREFIXES,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  type EventData,
  type EventStore,
  type RecordedEvent,
  type Subscription,
  type SubscriptionMessage,
  UNKNOWN_POSITION,
} from '../../src/store/port.js';
import { knownPositions, withKnownPositions } from '../../src/store/core/positions.js';

export interface ContractClock {
  /** Epoch ms the store should read as "now". */
  now: number;
}

export interface ContractCapabilities {
  /** The store stamps recordedAt with the injected clock (false: the server's clock). */
  readonly injectableClock: boolean;
  /** A store made by makeStore holds no event at all. */
  readonly startsEmpty: boolean;
  /** Every event has its own position (true on every adapter now: on EventStoreDB each event is its own record, commit == prepare). */
  readonly uniquePositions: boolean;
  /** A stream read carries each event's position (EventStoreDB: UNKNOWN_POSITION; positionsOf tells it). */
  readonly streamReadPositions: boolean;
  /**
   * Where appendMany's requests land in `$all`: `request` (one transaction, in request order) or
   * `per-stream` (EventStoreDB: different streams appended concurrently, each stream's requests in order).
   */
  readonly appendManyOrder: 'request' | 'per-stream';
}

export type MakeStore = (clock: () => number) => Promise<EventStore>;

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
};

/** A stream's events with their positions, asked of the store where its read cannot tell them. */
const readWithPositions = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> =>
  withKnownPositions(store, await collect(store.readStream(streamId)));

export const event = (type = 'CaseAccepted', data: Record<string, unknown> = { n: 1 }): EventData => ({
  eventId: randomUUID(),
  type,
  data,
});

const events = (n: number, type = 'CaseEscalated'): EventData[] =>
  Array.from({ length: n }, (_, i) => event(type, { i }));

/** Reads a subscription until `until` holds for the received messages (fails after `ms`). */
async function receive(
  sub: Subscription,
  until: (got: SubscriptionMessage[]) => boolean,
  ms = 5000,
): Promise<SubscriptionMessage[]> {
  const got: SubscriptionMessage[] = [];
  const iterator = sub[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`subscription timed out after ${ms} ms; got ${describeMessages(got)}`)),
      ms,
    );
  });
  try {
    while (!until(got)) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      got.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return got;
}

const describeMessages = (msgs: SubscriptionMessage[]): string =>
  msgs.map((m) => (m.kind === 'event' ? `event@${m.event.position}` : `${m.kind}@${m.position}`)).join(',');

const eventsOf = (msgs: SubscriptionMessage[]): RecordedEvent[] =>
  msgs.flatMap((m) => (m.kind === 'event' ? [m.event] : []));

/**
 * The contract for one store. `skipBecause`: the store cannot be reached here (e.g. no EventStoreDB
 * server); every case is then registered as skipped under a name that says why, and no store is opened.
 */
export function describeEventStoreContract(
  name: string,
  makeStore: MakeStore,
  caps: ContractCapabilities,
  skipBecause?: string,
): void {
  const title = `EventStore contract — ${name}${skipBecause === undefined ? '' : ` — SKIPPED: ${skipBecause}`}`;
  describe.skipIf(skipBecause !== undefined)(title, () => {
    const clockState: ContractClock = { now: Date.parse('2025-09-22T02:15:00.000Z') };
    const open = (): Promise<EventStore> => makeStore(() => clockState.now);
    const withStore = (test: (store: EventStore, prefix: string) => Promise<void>) => async () => {
      const store = await open();
      try {
        await test(store, `case-t${randomUUID().slice(0, 8)}`);
      } finally {
        await store.close();
      }
    };

    describe('append and readStream', () => {
      it(
        'stores a batch at revisions from 0 with increasing positions, data as sent',
        withStore(async (store, p) => {
          const batch = [
            event('CaseAccepted', { caseId: 'x', promisedDays: 5 }),
            event('CasePaused', { pauseId: 'p1' }),
          ];
          const result = await store.append(`${p}-1`, batch, { expectedRevision: 'no_stream' });
          expect(result.duplicate).toBe(false);
          expect(result.nextExpectedRevision).toBe(1n);
          const read = await readWithPositions(store, `${p}-1`);
          expect(read.map((e) => [e.streamId, e.eventId, e.type, e.data, e.revision])).toEqual([
            [`${p}-1`, batch[0]!.eventId, 'CaseAccepted', { caseId: 'x', promisedDays: 5 }, 0n],
            [`${p}-1`, batch[1]!.eventId, 'CasePaused', { pauseId: 'p1' }, 1n],
          ]);
          if (caps.uniquePositions) expect(read[1]!.position).toBeGreaterThan(read[0]!.position);
          else expect(read[1]!.position).toBeGreaterThanOrEqual(read[0]!.position);
          expect(read[1]!.position).toBe(result.position);
        }),
      );

      it(
        'stamps recordedAt with the store clock',
        withStore(async (store, p) => {
          const before = Date.now();
          clockState.now = Date.parse('2025-09-22T02:15:00.000Z');
          await store.append(`${p}-1`, [event()]);
          clockState.now = Date.parse('2025-10-01T00:00:00.500Z');
          await store.append(`${p}-1`, [event()]);
          const read = await collect(store.readStream(`${p}-1`));
          if (caps.injectableClock) {
            expect(read.map((e) => e.recordedAt)).toEqual(['2025-09-22T02:15:00.000Z', '2025-10-01T00:00:00.500Z']);
          } else {
            for (const e of read) expect(Date.parse(e.recordedAt)).toBeGreaterThanOrEqual(before - 60_000);
          }
        }),
      );

      it(
        'the events of one append share one recordedAt, however they are read (from its start or its middle)',
        withStore(async (store, p) => {
          // EventStoreDB stamps each event of an append with its own `created`: on the wire server
          // 40 of 300 five-event appends straddled a millisecond (appendInstants.ts). Here the
          // clock moves a millisecond at every reading, so a store that stamps each event apart
          // gives each its own instant.
          const appends = 40;
          let tick = Date.parse('2025-09-22T02:15:00.000Z');
          Object.defineProperty(clockState, 'now', { get: () => tick++, configurable: true });
          try {
            for (let i = 0; i < appends; i++) await store.append(`${p}-${i}`, events(6));
          } finally {
            Object.defineProperty(clockState, 'now', { value: tick, writable: true, configurable: true });
          }
          const instants = (read: RecordedEvent[]) => [...new Set(read.map((e) => e.recordedAt))];
          for (let i = 0; i < appends; i++) {
            const whole = await collect(store.readStream(`${p}-${i}`));
            expect(instants(whole)).toHaveLength(1);
            const middle = await collect(store.readStream(`${p}-${i}`, { fromRevision: 3n }));
            expect(instants(middle)).toEqual(instants(whole));
          }
          const last = await readWithPositions(store, `${p}-${appends - 1}`);
          const fromMiddle = await collect(store.readAll({ fromPosition: last[2]!.position, streamPrefixes: [p] }));
          expect(fromMiddle.map((e) => e.eventId)).toEqual(last.slice(2).map((e) => e.eventId));
          expect(instants(fromMiddle)).toEqual(instants(last));
          const sub = store.subscribeToAll({ fromPosition: last[1]!.position, streamPrefixes: [p] });
          const got = eventsOf(await receive(sub, (msgs) => eventsOf(msgs).length >= 4));
          await sub.close();
          expect(got.map((e) => e.eventId)).toEqual(last.slice(2).map((e) => e.eventId));
          expect(instants(got)).toEqual(instants(last));
        }),
      );

      it(
        'each event tells its index in its append, so appends in one millisecond are told apart, however read',
        withStore(async (store, p) => {
          // Session 26: the register of withdrawn cards took one stream's events of one recordedAt
          // for one write; two appends to one case in one millisecond merged into one.
          clockState.now = Date.parse('2025-09-22T02:15:00.000Z');
          await store.append(`${p}-1`, events(3));
          await store.append(`${p}-1`, events(2));
          await store.appendMany([
            { streamId: `${p}-2`, events: events(1) },
            { streamId: `${p}-1`, events: events(2) },
          ]);
          const indexes = (read: readonly RecordedEvent[]) =>
            read.map((e) => `${e.streamId.slice(p.length)}:${e.appendIndex}`);
          const expected = ['-1:0', '-1:1', '-1:2', '-1:0', '-1:1', '-1:0', '-1:1'];
          expect(indexes(await collect(store.readStream(`${p}-1`)))).toEqual(expected);
          const all = await collect(store.readAll({ streamPrefixes: [`${p}-1`] }));
          expect(indexes(all)).toEqual(expected);
          const batches = (await collect(store.readAllBatches({ streamPrefixes: [`${p}-1`] }))).flat();
          expect(indexes(batches)).toEqual(expected);
          if (store.readAllRows !== undefined) {
            const rows: string[] = [];
            for await (const page of store.readAllRows({ streamPrefixes: [`${p}-1`] }))
              for (let i = 0; i < page.length; i++) {
                expect(page.appendIndex(i)).toBe(page.event(i).appendIndex);
                rows.push(`${page.streamId(i).slice(p.length)}:${page.appendIndex(i)}`);
              }
            expect(rows).toEqual(expected);
          }
          const sub = store.subscribeToAll({ fromPosition: 'start', streamPrefixes: [`${p}-`] });
          const got = eventsOf(await receive(sub, (msgs) => eventsOf(msgs).length >= 8));
          await sub.close();
          expect(indexes(got).filter((x) => x.startsWith('-1:'))).toEqual(expected);
          expect(indexes(got).filter((x) => x.startsWith('-2:'))).toEqual(['-2:0']);
        }),
      );

      it(
        "a stream read's positions are the $all read's, or unknown where the store cannot tell (positionsOf tells)",
        withStore(async (store, p) => {
          await store.append(`${p}-1`, events(3));
          await store.append(`${p}-2`, events(1));
          await store.append(`${p}-1`, events(2));
          const all = await collect(store.readAll({ streamPrefixes: [`${p}-1`] }));
          const read = await collect(store.readStream(`${p}-1`));
          expect(read.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
          if (caps.streamReadPositions) expect(read.map((e) => e.position)).toEqual(all.map((e) => e.position));
          else for (const [i, e] of read.entries()) expect([UNKNOWN_POSITION, all[i]!.position]).toContain(e.position);
          expect(await knownPositions(store, read)).toEqual(all.map((e) => e.position));
          const backwards = [read[4]!, read[0]!, read[2]!];
          expect(await knownPositions(store, backwards)).toEqual([
            all[4]!.position,
            all[0]!.position,
            all[2]!.position,
          ]);
          expect(await collect(store.readStream(`${p}-1`))).toHaveLength(5); // asking wrote nothing
        }),
      );

      it(
        'reads a stream from a revision, with maxCount, and a missing stream as empty',
        withStore(async (store, p) => {
          await store.append(`${p}-1`, events(5));
          const from2 = await collect(store.readStream(`${p}-1`, { fromRevision: 2n, maxCount: 2 }));
          expect(from2.map((e) => e.revision)).toEqual([2n, 3n]);
          expect(await collect(store.readStream(`${p}-missing`))).toEqual([]);
        }),
      );

      it(
        'appends several batches contiguously',
        withStore(async (store, p) => {
          for (let i = 0; i < 4; i++) await store.append(`${p}-1`, events(3));
          const read = await collect(store.readStream(`${p}-1`));
          expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i)));
        }),
      );
    });

    describe('optimistic concurrency', () => {
      it(
        'checks no_stream, stream_exists and exact revisions',
        withStore(async (store, p) => {
          await expect(store.append(`${p}-1`, [event()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
            name: 'WrongExpectedRevisionError',
            actual: 'no_stream',
          });
          await expect(store.append(`${p}-1`, [event()], { expectedRevision: 3n })).rejects.toBeInstanceOf(
            WrongExpectedRevisionError,
          );
          await store.append(`${p}-1`, [event()], { expectedRevision: 'no_stream' });
          await expect(store.append(`${p}-1`, [event()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
            name: 'WrongExpectedRevisionError',
            actual: 0n,
            expected: 'no_stream',
          });
          await store.append(`${p}-1`, [event()], { expectedRevision: 'stream_exists' });
          await store.append(`${p}-1`, [event()], { expectedRevision: 1n });
          await expect(store.append(`${p}-1`, [event()], { expectedRevision: 1n })).rejects.toMatchObject({
            name: 'WrongExpectedRevisionError',
            actual: 2n,
          });
          await store.append(`${p}-1`, [event()], { expectedRevision: 'any' });
          expect((await collect(store.readStream(`${p}-1`))).length).toBe(4);
        }),
      );

      it(
        'lets one of two writers with the same expected revision win; the loser re-reads and nothing is lost',
        withStore(async (store, p) => {
          const s = `${p}-1`;
          await store.append(s, [event()]);
          const a = events(2, 'A');
          const b = events(3, 'B');
          const settled = await Promise.allSettled([
            store.append(s, a, { expectedRevision: 0n }),
            store.append(s, b, { expectedRevision: 0n }),
          ]);
          const won = settled.filter((r) => r.status === 'fulfilled');
          const lost = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(lost[0]!.reason).toBeInstanceOf(WrongExpectedRevisionError);
          const loser = settled[0]!.status === 'rejected' ? a : b;
          const head = (await collect(store.readStream(s))).at(-1)!.revision;
          await store.append(s, loser, { expectedRevision: head });
          const types = (await collect(store.readStream(s))).map((e) => e.type);
          expect(types.filter((t) => t === 'A')).toHaveLength(2);
          expect(types.filter((t) => t === 'B')).toHaveLength(3);
          expect(types).toHaveLength(6);
        }),
      );
    });

    describe('idempotent retries', () => {
      it(
        'stores a repeated batch once and answers the original result',
        withStore(async (store, p) => {
          const batch = events(3);
          const first = await store.append(`${p}-1`, batch, { expectedRevision: 'no_stream' });
          await store.append(`${p}-1`, events(1));
          const retry = await store.append(`${p}-1`, batch, { expectedRevision: 'no_stream' });
          expect(retry).toEqual({ ...first, duplicate: true });
          const upper = await store.append(
            `${p}-1`,
            batch.map((e) => ({ ...e, eventId: e.eventId.toUpperCase() })),
          );
          expect(upper).toEqual({ ...first, duplicate: true });
          const single = await store.append(`${p}-1`, [batch[1]!]);
          expect(single.duplicate).toBe(true);
          expect(single.nextExpectedRevision).toBe(1n);
          expect((await collect(store.readStream(`${p}-1`))).length).toBe(4);
        }),
      );

      it(
        'rejects a batch mixing stored and new eventIds, writing nothing',
        withStore(async (store, p) => {
          const stored = event();
          await store.append(`${p}-1`, [stored]);
          await expect(store.append(`${p}-1`, [event(), stored])).rejects.toBeInstanceOf(DuplicateEventConflictError);
          await expect(store.append(`${p}-1`, [stored, event()])).rejects.toBeInstanceOf(DuplicateEventConflictError);
          expect((await collect(store.readStream(`${p}-1`))).length).toBe(1);
        }),
      );

      it(
        'rejects a reordered retry',
        withStore(async (store, p) => {
          const batch = events(2);
          await store.append(`${p}-1`, batch);
          await expect(store.append(`${p}-1`, [batch[1]!, batch[0]!])).rejects.toBeInstanceOf(
            DuplicateEventConflictError,
          );
          expect((await collect(store.readStream(`${p}-1`))).length).toBe(2);
        }),
      );

      it(
        'rejects an eventId stored in another stream',
        withStore(async (store, p) => {
          const batch = events(2);
          await store.append(`${p}-1`, batch);
          await expect(store.append(`${p}-2`, [batch[0]!])).rejects.toBeInstanceOf(DuplicateEventConflictError);
          expect(await collect(store.readStream(`${p}-2`))).toEqual([]);
        }),
      );
    });

    describe('appendMany', () => {
      it(
        'appends to several streams in request order, each request atomic and independent',
        withStore(async (store, p) => {
          await store.append(`${p}-2`, events(1));
          const a = events(2);
          const b = events(1);
          const c = events(3);
          const fourthEvents = events(1);
          const outcomes = await store.appendMany([
            { streamId: `${p}-1`, events: a, expectedRevision: 'no_stream' },
            { streamId: `${p}-2`, events: b, expectedRevision: 5n },
            { streamId: `${p}-3`, events: c },
            { streamId: `${p}-1`, events: fourthEvents, expectedRevision: 1n },
          ]);
          expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
          const [first, refused, third, fourth] = outcomes;
          expect(first!.ok && first!.result).toMatchObject({ nextExpectedRevision: 1n, duplicate: false });
          expect(!refused!.ok && refused!.error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(!refused!.ok && refused!.error).toMatchObject({ actual: 0n, expected: 5n });
          expect(third!.ok && third!.result.nextExpectedRevision).toBe(2n);
          expect(fourth!.ok && fourth!.result.nextExpectedRevision).toBe(2n);
          expect((await collect(store.readStream(`${p}-1`))).length).toBe(3);
          expect((await collect(store.readStream(`${p}-2`))).length).toBe(1);
          const read3 = await readWithPositions(store, `${p}-3`);
          expect(read3.map((e) => e.eventId)).toEqual(c.map((e) => e.eventId));
          expect(third!.ok && third!.result.position).toBe(read3.at(-1)!.position);
          const all = await collect(store.readAll({ streamPrefixes: [p] }));
          const inRequestOrder = ['-2', '-1', '-1', '-3', '-3', '-3', '-1'];
          const landed = all.map((e) => e.streamId.slice(p.length));
          if (caps.appendManyOrder === 'request') expect(landed).toEqual(inRequestOrder);
          else expect([...landed].sort()).toEqual([...inRequestOrder].sort());
          const ofStream1 = all.filter((e) => e.streamId === `${p}-1`).map((e) => e.eventId);
          expect(ofStream1).toEqual([...a, ...fourthEvents].map((e) => e.eventId));
          expect(await store.appendMany([])).toEqual([]);
        }),
      );

      it(
        'refuses bad input, a mixed retry or a reused eventId for that request only, writing none of it',
        withStore(async (store, p) => {
          const stored = events(2);
          const first = await store.append(`${p}-1`, stored);
          const good = events(2);
          const outcomes = await store.appendMany([
            { streamId: `${p}-2`, events: [event(), { ...event(), eventId: 'not-a-uuid' }] },
            { streamId: `${p}-1`, events: [stored[0]!, event()] },
            { streamId: `${p}-1`, events: stored, expectedRevision: 'no_stream' },
            { streamId: `${p}-4`, events: good },
          ]);
          expect(outcomes.map((o) => o.ok)).toEqual([false, false, true, true]);
          expect(!outcomes[0]!.ok && outcomes[0]!.error).toMatchObject({
            name: 'InvalidAppendError',
            field: 'events[1].eventId',
          });
          expect(!outcomes[1]!.ok && outcomes[1]!.error).toBeInstanceOf(DuplicateEventConflictError);
          expect(outcomes[2]!.ok && outcomes[2]!.result).toEqual({ ...first, duplicate: true });
          expect(await collect(store.readStream(`${p}-2`))).toEqual([]);
          expect((await collect(store.readStream(`${p}-1`))).length).toBe(2);
          expect((await collect(store.readStream(`${p}-4`))).map((e) => e.eventId)).toEqual(good.map((e) => e.eventId));
        }),
      );

      it(
        'rolls back a request whose later event reuses an eventId of another stream, keeping the others',
        withStore(async (store, p) => {
          const stored = event();
          await store.append(`${p}-1`, [stored]);
          const before = events(1);
          const after = events(1);
          const outcomes = await store.appendMany([
            { streamId: `${p}-0`, events: before },
            { streamId: `${p}-2`, events: [event(), event(), stored] },
            { streamId: `${p}-3`, events: after },
          ]);
          expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
          expect(!outcomes[1]!.ok && outcomes[1]!.error).toBeInstanceOf(DuplicateEventConflictError);
          expect(await collect(store.readStream(`${p}-2`))).toEqual([]);
          expect((await collect(store.readStream(`${p}-0`))).map((e) => e.eventId)).toEqual([before[0]!.eventId]);
          expect((await collect(store.readStream(`${p}-3`))).map((e) => e.eventId)).toEqual([after[0]!.eventId]);
        }),
      );

      it(
        'wakes live subscribers with every written request',
        withStore(async (store, p) => {
          const sub = store.subscribeToAll({ fromPosition: await store.headPosition(), streamPrefixes: [p] });
          await receive(sub, (got) => got.some((m) => m.kind === 'caught-up'));
          const a = events(1);
          const b = events(2);
          await store.appendMany([
            { streamId: `${p}-1`, events: a },
            { streamId: `${p}-2`, events: b },
          ]);
          const got = eventsOf(await receive(sub, (msgs) => eventsOf(msgs).length >= 3)).map((e) => e.eventId);
          const ids = (batch: readonly EventData[]) => batch.map((e) => e.eventId);
          if (caps.appendManyOrder === 'request') expect(got).toEqual([...ids(a), ...ids(b)]);
          else expect([...got].sort()).toEqual([...ids(a), ...ids(b)].sort());
          expect(got.filter((id) => ids(b).includes(id))).toEqual(ids(b));
          await sub.close();
        }),
      );
    });

    describe('readAllBatches', () => {
      it(
        'yields the events of readAll in non-empty arrays of at most batchSize',
        withStore(async (store, p) => {
          for (let i = 0; i < 4; i++) await store.append(`${p}-${i}`, events(3));
          const firstPos = (await readWithPositions(store, `${p}-0`))[0]!.position;
          const options = { fromPosition: firstPos, streamPrefixes: [p] };
          const expected = await collect(store.readAll(options));
          const batches = await collect(store.readAllBatches({ ...options, batchSize: 5 }));
          expect(batches.flat().map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
          for (const b of batches) {
            expect(b.length).toBeGreaterThan(0);
            expect(b.length).toBeLessThanOrEqual(5);
          }
          const capped = await collect(store.readAllBatches({ ...options, maxCount: 4 }));
          expect(capped.flat().map((e) => e.eventId)).toEqual(expected.slice(0, 4).map((e) => e.eventId));
          const error = await collect(store.readAllBatches({ batchSize: 0 })).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toMatchObject({ name: 'InvalidAppendError', field: 'batchSize' });
        }),
      );
    });

    describe('bad input', () => {
      const cases: [string, (store: EventStore, p: string) => Promise<unknown>][] = [
        ['events', (s, p) => s.append(`${p}-1`, [])],
        ['streamId', (s) => s.append('', [event()])],
        ['streamId', (s) => s.append(`case-${'x'.repeat(196)}`, [event()])],
        ['streamId', (s) => s.append('case-bad id', [event()])],
        ['streamId', (s) => s.append(42 as unknown as string, [event()])],
        ['streamId', (s) => s.append(`eventid-${randomUUID()}`, [event()])], // reserved for EventStoreDB's claims
        ['events[0].eventId', (s, p) => s.append(`${p}-1`, [{ ...event(), eventId: 'not-a-uuid' }])],
        [
          'events[1].eventId',
          (s, p) => {
            const e = event();
            return s.append(`${p}-1`, [e, e]);
          },
        ],
        [
          'events[0].data',
          (s, p) => s.append(`${p}-1`, [{ ...event(), data: [] as unknown as Record<string, unknown> }]),
        ],
        [
          'events[0].data',
          (s, p) => s.append(`${p}-1`, [{ ...event(), data: null as unknown as Record<string, unknown> }]),
        ],
        ['events[0].data', (s, p) => s.append(`${p}-1`, [{ ...event(), data: { n: 1n } }])],
        ['events[1].type', (s, p) => s.append(`${p}-1`, [event(), { ...event(), type: '' }])],
        ['expectedRevision', (s, p) => s.append(`${p}-1`, [event()], { expectedRevision: -1n })],
      ];
      for (const [field, act] of cases) {
        it(
          `rejects bad ${field} with InvalidAppendError naming it, writing nothing`,
          withStore(async (store, p) => {
            const error = await act(store, p).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(InvalidAppendError);
            expect((error as InvalidAppendError).field).toBe(field);
            expect(await collect(store.readStream(`${p}-1`))).toEqual([]);
          }),
        );
      }
    });

    describe('stream prefix caps (one rule for every entry point: port.ts)', () => {
      const tooMany = Array.from({ length: MAX_STREAM_PREFIXES + 1 }, (_, i) => `case-${i}-`);
      const tooLong = ['case-', 'c'.repeat(MAX_STREAM_PREFIX_LENGTH + 1)];
      const reads: [string, (store: EventStore, prefixes: string[]) => Promise<unknown>][] = [
        ['readAll', (s, streamPrefixes) => collect(s.readAll({ streamPrefixes }))],
        ['readAllBatches', (s, streamPrefixes) => collect(s.readAllBatches({ streamPrefixes }))],
        [
          'subscribeToAll',
          async (s, streamPrefixes) => {
            const sub = s.subscribeToAll({ fromPosition: 'start', streamPrefixes });
            try {
              await sub[Symbol.asyncIterator]().next();
            } finally {
              await sub.close();
            }
          },
        ],
      ];
      for (const [entry, read] of reads) {
        it(
          `${entry} refuses more than MAX_STREAM_PREFIXES prefixes and a prefix longer than a stream name, naming it`,
          withStore(async (store) => {
            const settle = (prefixes: string[]) =>
              Promise.resolve()
                .then(() => read(store, prefixes))
                .then(
                  () => undefined,
                  (e: unknown) => e,
                );
            const many = await settle(tooMany);
            expect(many).toBeInstanceOf(InvalidAppendError);
            expect(many).toMatchObject({ field: 'streamPrefixes' });
            expect((many as Error).message).toContain(
              `${MAX_STREAM_PREFIXES + 1} prefixes, at most ${MAX_STREAM_PREFIXES}`,
            );
            const long = await settle(tooLong);
            expect(long).toBeInstanceOf(InvalidAppendError);
            expect(long).toMatchObject({ field: 'streamPrefixes[1]' });
            // At the caps, the read runs.
            const atCap = Array.from({ length: MAX_STREAM_PREFIXES }, (_, i) => `case-${i}-`);
            atCap[0] = 'c'.repeat(MAX_STREAM_PREFIX_LENGTH);
            if (entry !== 'subscribeToAll') expect(await settle(atCap)).toBeUndefined();
          }),
        );
      }
    });

    describe('readAll and head position', () => {
      it(
        'reads all in commit order, inclusive of fromPosition, with maxCount and prefix filter',
        withStore(async (store, p) => {
          await store.append(`${p}a-1`, events(2));
          await store.append(`${p}b-1`, events(2));
          await store.append(`${p}a-2`, events(1));
          const firstPos = (await readWithPositions(store, `${p}a-1`))[0]!.position;
          const all = await collect(store.readAll({ fromPosition: firstPos, streamPrefixes: [p] }));
          expect(all.map((e) => `${e.streamId.slice(p.length)}:${e.revision}`)).toEqual([
            'a-1:0',
            'a-1:1',
            'b-1:0',
            'b-1:1',
            'a-2:0',
          ]);
          for (let i = 1; i < all.length; i++) {
            if (caps.uniquePositions || all[i]!.streamId !== all[i - 1]!.streamId)
              expect(all[i]!.position).toBeGreaterThan(all[i - 1]!.position);
            else expect(all[i]!.position).toBeGreaterThanOrEqual(all[i - 1]!.position);
          }
          const from3 = await collect(store.readAll({ fromPosition: all[2]!.position, streamPrefixes: [p] }));
          expect(from3[0]!.eventId).toBe(all[2]!.eventId);
          const onlyA = await collect(store.readAll({ fromPosition: firstPos, streamPrefixes: [`${p}a`] }));
          expect(onlyA.map((e) => e.streamId)).toEqual([`${p}a-1`, `${p}a-1`, `${p}a-2`]);
          const two = await collect(store.readAll({ fromPosition: firstPos, streamPrefixes: [p], maxCount: 2 }));
          expect(two.map((e) => e.eventId)).toEqual(all.slice(0, 2).map((e) => e.eventId));
        }),
      );

      it(
        'reports the head position: the last committed event',
        withStore(async (store, p) => {
          if (caps.startsEmpty) {
            expect(await store.headPosition()).toBe(-1n);
            expect(await collect(store.readAll())).toEqual([]);
          }
          const r = await store.append(`${p}-1`, events(3));
          expect(await store.headPosition()).toBeGreaterThanOrEqual(r.position);
          if (caps.startsEmpty) expect(await store.headPosition()).toBe(r.position);
        }),
      );
    });

    describe('subscribeToAll', () => {
      it(
        'delivers exactly the events after a checkpoint, signals caught-up, then live events',
        withStore(async (store, p) => {
          await store.append(`${p}-1`, events(1));
          const first = await store.append(`${p}-1`, events(1));
          for (let i = 0; i < 3; i++) await store.append(`${p}-2`, events(1));
          const sub = store.subscribeToAll({ fromPosition: first.position, streamPrefixes: [p] });
          const catchUp = await receive(sub, (got) => got.some((m) => m.kind === 'caught-up'));
          expect(eventsOf(catchUp).map((e) => `${e.streamId}:${e.revision}`)).toEqual([
            `${p}-2:0`,
            `${p}-2:1`,
            `${p}-2:2`,
          ]);
          const caughtUp = catchUp.find((m) => m.kind === 'caught-up');
          expect(caughtUp && caughtUp.kind === 'caught-up' && caughtUp.position).toBeGreaterThanOrEqual(
            eventsOf(catchUp).at(-1)!.position,
          );
          const live = await store.append(`${p}-1`, events(2));
          const more = await receive(sub, (got) => eventsOf(got).length >= 2);
          expect(eventsOf(more).map((e) => `${e.streamId}:${e.revision}`)).toEqual([`${p}-1:2`, `${p}-1:3`]);
          expect(eventsOf(more).at(-1)!.position).toBe(live.position);
          await sub.close();
        }),
      );

      it(
        'filters by stream prefix and ticks checkpoints over filtered-out events',
        withStore(async (store, p) => {
          const head = await store.headPosition();
          const sub = store.subscribeToAll({ fromPosition: head, streamPrefixes: [`${p}-in`], checkpointInterval: 2 });
          await receive(sub, (got) => got.some((m) => m.kind === 'caught-up'));
          await store.append(`${p}-out`, events(6));
          const last = await store.append(`${p}-in`, events(1));
          const got = await receive(sub, (msgs) => eventsOf(msgs).length >= 1);
          expect(eventsOf(got).map((e) => e.streamId)).toEqual([`${p}-in`]);
          const checkpoints = got.flatMap((m) => (m.kind === 'checkpoint' ? [m.position] : []));
          expect(checkpoints.length).toBeGreaterThanOrEqual(1);
          for (let i = 1; i < checkpoints.length; i++) {
            if (caps.uniquePositions) expect(checkpoints[i]!).toBeGreaterThan(checkpoints[i - 1]!);
            else expect(checkpoints[i]!).toBeGreaterThanOrEqual(checkpoints[i - 1]!);
          }
          for (const c of checkpoints) expect(c).toBeLessThanOrEqual(last.position);
          await sub.close();
        }),
      );

      it(
        'from start delivers everything in commit order without gaps',
        withStore(async (store, p) => {
          for (let i = 0; i < 5; i++) await store.append(`${p}-${i % 2}`, events(3));
          const expected = await collect(store.readAll({ streamPrefixes: [p] }));
          const sub = store.subscribeToAll({ fromPosition: 'start', streamPrefixes: [p] });
          const got = await receive(sub, (msgs) => msgs.some((m) => m.kind === 'caught-up'), 30_000);
          expect(eventsOf(got).map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
          await sub.close();
        }),
      );

      it(
        'keeps delivering live appends made while the consumer is slow, in order',
        withStore(async (store, p) => {
          const sub = store.subscribeToAll({ fromPosition: await store.headPosition(), streamPrefixes: [p] });
          await receive(sub, (got) => got.some((m) => m.kind === 'caught-up'));
          const appended: string[] = [];
          for (let i = 0; i < 20; i++) {
            const batch = events(2);
            await store.append(`${p}-${i % 3}`, batch);
            appended.push(...batch.map((e) => e.eventId));
          }
          const got = await receive(sub, (msgs) => eventsOf(msgs).length >= 40);
          expect(eventsOf(got).map((e) => e.eventId)).toEqual(appended);
          await sub.close();
        }),
      );

      it(
        'ends the iteration when closed',
        withStore(async (store, p) => {
          const sub = store.subscribeToAll({ streamPrefixes: [p] });
          const done = (async () => {
            let n = 0;
            for await (const _ of sub) n++;
            return n;
          })();
          await new Promise((r) => setTimeout(r, 50));
          await sub.close();
          await expect(done).resolves.toBeGreaterThanOrEqual(1);
        }),
      );
    });

    it('refuses work after close with StoreUnavailableError', async () => {
      const store = await open();
      await store.close();
      await expect(store.append('case-closed', [event()])).rejects.toBeInstanceOf(StoreUnavailableError);
      const many = await store.appendMany([{ streamId: 'case-closed', events: [event()] }]).then(
        (outcomes) => (outcomes[0]?.ok === false ? outcomes[0].error : undefined),
        (e: unknown) => e,
      );
      expect(many).toBeInstanceOf(StoreUnavailableError);
    });
  });
}
