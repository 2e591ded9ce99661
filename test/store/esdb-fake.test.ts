/**
 * The EventStoreDB adapter against an in-memory fake of the 6.x client: the
 * shared contract, plus drop/resubscribe, backoff, caught-up fallback,
 * checkpoint ordering and error mapping. No real server is involved.
 */
import { describe, expect, it } from 'vitest';
import { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import { backoffDelay } from '../../src/store/esdb/backoff.js';
import { fromEsdbEvent, mapEsdbError, toReadAllFrom, toSubscribeFrom } from '../../src/store/esdb/mapping.js';
import { StoreUnavailableError, WrongExpectedRevisionError, type SubscriptionMessage } from '../../src/store/port.js';
import { describeEventStoreContract, event } from './contract.js';
import { FakeClientError, FakeEsdbClient, type FakeOptions } from './fakes/fake-esdb-client.js';

const shortSleep = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describeEventStoreContract(
  'EventStoreDB adapter over a fake client',
  async (clock) =>
    new EsdbEventStore(new FakeEsdbClient({ clock }), 'esdb://fake', {
      sleep: shortSleep,
    }),
  {
    injectableClock: true, // the fake server stamps `created` with the test clock
    startsEmpty: false, // a system event is always there
    uniquePositions: false,
    eventIdsUniqueAcrossStreams: false,
  },
);

const setup = (options: FakeOptions = {}) => {
  const client = new FakeEsdbClient(options);
  const delays: number[] = [];
  const drops: string[] = [];
  const store = new EsdbEventStore(client, 'esdb://fake', {
    sleep: async (ms) => {
      delays.push(ms);
      await new Promise((r) => setImmediate(r));
    },
    onSubscriptionDrop: (e) => drops.push(e.message),
  });
  return { client, store, delays, drops };
};

async function take(
  iterator: AsyncIterator<SubscriptionMessage>,
  until: (got: SubscriptionMessage[]) => boolean,
): Promise<SubscriptionMessage[]> {
  const got: SubscriptionMessage[] = [];
  const deadline = Date.now() + 5000;
  while (!until(got)) {
    if (Date.now() > deadline) throw new Error(`timed out, got ${got.length}`);
    const next = await iterator.next();
    if (next.done) break;
    got.push(next.value);
  }
  return got;
}

const ids = (msgs: SubscriptionMessage[]): string[] =>
  msgs.flatMap((m) => (m.kind === 'event' ? [m.event.eventId] : []));

describe('EventStoreDB adapter — subscriptions over a fake client', () => {
  it('resubscribes after a drop from the last position, with no gap and no duplicate', async () => {
    const { client, store, delays, drops } = setup();
    const appended: string[] = [];
    for (let i = 0; i < 3; i++) {
      const e = event();
      await store.append(`case-a${i}`, [e]);
      appended.push(e.eventId);
    }
    const sub = store.subscribeToAll({ streamPrefixes: ['case-'] });
    const it = sub[Symbol.asyncIterator]();
    const first = await take(it, (got) => got.some((m) => m.kind === 'caught-up'));
    expect(ids(first)).toEqual(appended);
    client.subscriptions.at(-1)!.fakeDrop(new FakeClientError('unavailable', 'connection reset'));
    for (let i = 0; i < 2; i++) {
      const batch = [event(), event()];
      await store.append(`case-b${i}`, batch);
      appended.push(...batch.map((e) => e.eventId));
    }
    const after = await take(it, (got) => ids(got).length >= 4);
    expect(ids(after)).toEqual(appended.slice(3));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toContain('esdb://fake');
    expect(delays).toEqual([100]);
    const resumedFrom = client.subscribeCalls.at(-1);
    expect(resumedFrom).toEqual(client.log.find((e) => e.id === appended[2])!.position);
    await sub.close();
  });

  it('backs off exponentially while the server stays down, then resets once healthy', async () => {
    const { client, store, delays } = setup();
    await store.append('case-x', [event()]);
    const sub = store.subscribeToAll({ streamPrefixes: ['case-'] });
    const it = sub[Symbol.asyncIterator]();
    await take(it, (got) => got.some((m) => m.kind === 'caught-up'));
    client.unavailable = true;
    client.subscriptions.at(-1)!.fakeDrop(new FakeClientError('unavailable', 'down'));
    const pending = take(it, (got) => ids(got).length >= 1);
    while (delays.length < 5) await new Promise((r) => setTimeout(r, 5));
    client.unavailable = false;
    const e = event();
    await store.append('case-y', [e]);
    expect(ids(await pending)).toEqual([e.eventId]);
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    client.subscriptions.at(-1)!.fakeDrop(new FakeClientError('unavailable', 'again'));
    const e2 = event();
    await store.append('case-z', [e2]);
    expect(ids(await take(it, (got) => ids(got).length >= 1))).toEqual([e2.eventId]);
    expect(delays.at(-1)).toBe(100);
    await sub.close();
  });

  it('derives caught-up from the head when the server sends no caughtUp', async () => {
    const { store } = setup({ emitCaughtUp: false });
    await store.append('case-a', [event()]);
    await store.append('case-b', [event()]);
    const head = await store.headPosition();
    const sub = store.subscribeToAll({ streamPrefixes: ['case-'], checkpointInterval: 1 });
    const got = await take(sub[Symbol.asyncIterator](), (msgs) => msgs.some((m) => m.kind === 'caught-up'));
    const caughtUp = got.find((m) => m.kind === 'caught-up');
    expect(caughtUp).toEqual({ kind: 'caught-up', position: head });
    expect(ids(got)).toHaveLength(2);
    await sub.close();
  });

  it('delivers checkpoints after the events that precede them, with a slow consumer and a small buffer', async () => {
    const { store } = setup({ highWaterMark: 1 });
    for (let i = 0; i < 30; i++) await store.append(i % 3 === 0 ? `case-k${i}` : `other-${i}`, [event()]);
    const sub = store.subscribeToAll({ streamPrefixes: ['case-'], checkpointInterval: 4 });
    const it = sub[Symbol.asyncIterator]();
    const got: SubscriptionMessage[] = [];
    while (!got.some((m) => m.kind === 'caught-up')) {
      const next = await it.next();
      if (next.done) break;
      got.push(next.value);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(ids(got)).toHaveLength(10);
    expect(got.filter((m) => m.kind === 'checkpoint').length).toBeGreaterThanOrEqual(5);
    let lastEvent = -1n;
    let lastCheckpoint = -1n;
    for (const m of got) {
      if (m.kind === 'event') {
        expect(m.event.position).toBeGreaterThan(lastCheckpoint);
        lastEvent = m.event.position;
      } else if (m.kind === 'checkpoint') {
        expect(m.position).toBeGreaterThanOrEqual(lastEvent);
        lastCheckpoint = m.position;
      }
    }
    await sub.close();
  });
});

describe('EventStoreDB adapter — calls and mappings', () => {
  it('maps an unavailable server to StoreUnavailableError naming the store', async () => {
    const { client, store } = setup();
    client.unavailable = true;
    await expect(store.append('case-a', [event()])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toThrow(/esdb:\/\/fake unavailable/);
    const read = async () => {
      for await (const _ of store.readAll()) void _;
    };
    await expect(read()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('maps WrongExpectedVersionError to WrongExpectedRevisionError with the actual revision', () => {
    const e = mapEsdbError(new FakeClientError('wrong-expected-version', 'x', { actualVersion: 4n }), 'esdb://s', {
      streamId: 'case-a',
      expected: 2n,
    });
    expect(e).toBeInstanceOf(WrongExpectedRevisionError);
    expect(e).toMatchObject({ streamId: 'case-a', expected: 2n, actual: 4n });
    const none = mapEsdbError(new FakeClientError('wrong-expected-version', 'x', { actualVersion: 'no_stream' }), 's', {
      streamId: 'case-a',
      expected: 'stream_exists',
    });
    expect(none).toMatchObject({ actual: 'no_stream' });
    expect(mapEsdbError(new TypeError('boom'), 'esdb://s')).toBeInstanceOf(StoreUnavailableError);
    expect(mapEsdbError(new FakeClientError('deadline-exceeded', 'late'), 'esdb://s').message).toContain(
      'deadline-exceeded',
    );
  });

  it('maps positions: subscriptions start after {commit: p, prepare: p}, reads at it', () => {
    expect(toSubscribeFrom('start')).toBe('start');
    expect(toSubscribeFrom(-1n)).toBe('start');
    expect(toSubscribeFrom(1200n)).toEqual({ commit: 1200n, prepare: 1200n });
    expect(toReadAllFrom(undefined)).toBe('start');
    expect(toReadAllFrom(1200n)).toEqual({ commit: 1200n, prepare: 1200n });
  });

  it('skips system and non-JSON events and maps the rest', () => {
    const base = {
      streamId: 'case-a',
      id: 'AB5F7E6C-2D5A-4C57-9C71-8B1D3B7B2F10',
      isJson: true,
      revision: 3n,
      type: 'CaseAccepted',
      created: new Date('2025-09-22T02:15:00Z'),
      data: { caseId: 'a' },
      position: { commit: 10n, prepare: 12n },
    };
    expect(fromEsdbEvent(base)).toEqual({
      streamId: 'case-a',
      eventId: 'ab5f7e6c-2d5a-4c57-9c71-8b1d3b7b2f10',
      type: 'CaseAccepted',
      data: { caseId: 'a' },
      revision: 3n,
      position: 10n,
      recordedAt: '2025-09-22T02:15:00.000Z',
    });
    expect(fromEsdbEvent({ ...base, streamId: '$stats' })).toBeUndefined();
    expect(fromEsdbEvent({ ...base, type: '$metadata' })).toBeUndefined();
    expect(fromEsdbEvent({ ...base, isJson: false, data: new Uint8Array() })).toBeUndefined();
    expect(fromEsdbEvent({ ...base, position: undefined })?.position).toBe(-1n);
  });

  it('computes exponential backoff capped at the maximum', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(20)).toBe(10_000);
    expect(() => backoffDelay(-1)).toThrow(RangeError);
  });

  it('answers a retry the server accepted silently with duplicate: true and the original position', async () => {
    const { client, store } = setup();
    const batch = [event(), event()];
    const first = await store.append('case-r', batch, { expectedRevision: 'no_stream' });
    const retry = await store.append('case-r', batch, { expectedRevision: 'no_stream' });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(client.log.filter((e) => e.streamId === 'case-r')).toHaveLength(2);
  });
});
