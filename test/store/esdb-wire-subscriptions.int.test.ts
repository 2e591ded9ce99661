/**
 * Subscriptions through the real EventStoreDB client against the wire server:
 * issue 14, rows 7 (checkpoint interval), 9 (permanent refusal ends the
 * subscription) and 10 (close with a silent server), plus drops and a server
 * restart resumed from the exact last position with no gap and no repeat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointWindow } from '../../src/store/esdb/esdb-subscription.js';
import { StoreRefusedError } from '../../src/store/port.js';
import type { RecordedEvent, SubscriptionMessage } from '../../src/store/port.js';
import { event, eventIds, events, openWire, receive, settle, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

const quickRetry = { backoff: { initialMs: 10, maxMs: 50, factor: 2 } };

describe('EventStoreDB subscriptions (real client, wire server)', () => {
  it('row 7: checkpointInterval counts events scanned, not multiples of the server window', async () => {
    expect(checkpointWindow(2)).toEqual({ maxSearchWindow: 2, checkpointInterval: 1 });
    expect(checkpointWindow(1024)).toEqual({ maxSearchWindow: 32, checkpointInterval: 32 });
    expect(checkpointWindow(40)).toEqual({ maxSearchWindow: 32, checkpointInterval: 1 });
    wire = await openWire({ standardProjections: false });
    const { store } = wire;
    const out = streamOf();
    for (let i = 0; i < 4; i++) await store.append(out, events(50)); // 200 filtered-out events
    const inside = streamOf();
    await store.append(inside, events(1));
    const sub = store.subscribeToAll({ fromPosition: 'start', streamPrefixes: [inside], checkpointInterval: 40 });
    const got = await receive(sub, (m) => m.some((x) => x.kind === 'caught-up'));
    const checkpoints = got.filter((m) => m.kind === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThanOrEqual(Math.floor(200 / 40)); // the client used to make it 40 × 32
    expect(eventIds(got)).toHaveLength(1);
    await sub.close();
  });

  it('delivers each checkpoint after the events before it, with a slow consumer behind the client buffer', async () => {
    wire = await openWire({ standardProjections: false });
    const { store } = wire;
    const inside = streamOf();
    const outside = streamOf();
    for (let i = 0; i < 30; i++) await store.append(i % 3 === 0 ? inside : outside, events(4));
    const sub = store.subscribeToAll({ fromPosition: 'start', streamPrefixes: [inside], checkpointInterval: 4 });
    const iterator = sub[Symbol.asyncIterator]();
    const got: SubscriptionMessage[] = [];
    while (!got.some((m) => m.kind === 'caught-up')) {
      const next = await iterator.next();
      if (next.done) break;
      got.push(next.value);
      await new Promise((r) => setTimeout(r, 1)); // slower than the server: the client's buffer fills
    }
    expect(eventIds(got)).toHaveLength(40);
    expect(got.filter((m) => m.kind === 'checkpoint').length).toBeGreaterThanOrEqual(10);
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

  it('resumes after a dropped subscription from the exact last event: no gap, no repeat', async () => {
    wire = await openWire({}, quickRetry);
    const { store, server } = wire;
    const s = streamOf();
    const appended: string[] = [];
    for (let i = 0; i < 3; i++) appended.push(...(await appendIds(s, 2)));
    const sub = store.subscribeToAll({ streamPrefixes: [s] });
    expect(eventIds(await receive(sub, (m) => m.some((x) => x.kind === 'caught-up')))).toEqual(appended);
    server.dropSubscriptions();
    const more = [...(await appendIds(s, 2)), ...(await appendIds(s, 1))];
    expect(eventIds(await receive(sub, (m) => eventIds(m).length >= 3))).toEqual(more);
    await sub.close();
  });

  const eventsOf = (msgs: SubscriptionMessage[]): RecordedEvent[] =>
    msgs.flatMap((m) => (m.kind === 'event' ? [m.event] : []));

  /**
   * A subscription from inside an append (appendInstants.ts reads the append's first event) whose
   * first-event read fails `failures` times with `error`; what it delivered, and its drops.
   */
  async function fromInsideAnAppend(error: () => unknown, failures: number) {
    const drops: unknown[] = [];
    wire = await openWire({}, { ...quickRetry, onSubscriptionDrop: (e) => drops.push(e) });
    const { store } = wire;
    const s = streamOf();
    await store.append(s, events(6));
    const written: { eventId: string; position: bigint; recordedAt: string }[] = [];
    for await (const e of store.readAll({ streamPrefixes: [s] })) written.push(e); // a stream read has no positions
    const client = (
      store as unknown as { client: { readStream: (id: unknown, options: { maxCount?: unknown }) => unknown } }
    ).client;
    const readStream = client.readStream.bind(client);
    let left = failures;
    client.readStream = (id: unknown, options: { maxCount?: unknown }) => {
      if (options.maxCount === 1 && left-- > 0)
        return (async function* () {
          yield* [];
          throw error();
        })();
      return readStream(id, options);
    };
    const sub = store.subscribeToAll({ fromPosition: written[1]!.position, streamPrefixes: [s] });
    const got = eventsOf(await receive(sub, (m) => eventIds(m).length >= 4));
    await sub.close();
    return { written, got, drops };
  }

  it('from inside an append while the server is unavailable: resubscribes before the event, every event once', async () => {
    // As in a leader election: the read of the first event fails twice (the retry in `page` too).
    const { written, got, drops } = await fromInsideAnAppend(() => ({ type: 'unavailable', message: 'down' }), 2);
    expect(got.map((e) => e.eventId)).toEqual(written.slice(2).map((e) => e.eventId));
    expect(new Set(got.map((e) => e.recordedAt))).toEqual(new Set([written[0]!.recordedAt]));
    expect(drops.length).toBeGreaterThan(0);
  });

  it('from inside an append whose first event is gone: every event once, with its own instant, no drop', async () => {
    const { written, got, drops } = await fromInsideAnAppend(() => ({ type: 'stream-deleted', message: 'deleted' }), 1);
    expect(got.map((e) => e.eventId)).toEqual(written.slice(2).map((e) => e.eventId));
    expect(drops).toEqual([]);
  });

  it('survives a server restart: resubscribes and delivers what was written meanwhile, once', async () => {
    wire = await openWire({}, quickRetry);
    const { store, server } = wire;
    const s = streamOf();
    const before = await appendIds(s, 2);
    const sub = store.subscribeToAll({ streamPrefixes: [s] });
    expect(eventIds(await receive(sub, (m) => m.some((x) => x.kind === 'caught-up')))).toEqual(before);
    await server.restart();
    const e = event();
    await store.append(s, [e]).catch(() => store.append(s, [e])); // the first call after a restart reconnects
    const after = await receive(sub, (m) => eventIds(m).length >= 1, 10_000);
    expect(eventIds(after)).toEqual([e.eventId]);
    await sub.close();
  });

  it('backs off exponentially while the server is down, then resumes and resets the backoff', async () => {
    const delays: number[] = [];
    wire = await openWire(
      {},
      {
        sleep: async (ms) => {
          delays.push(ms);
          await new Promise((r) => setTimeout(r, 5));
        },
      },
    );
    const { store, server } = wire;
    const s = streamOf();
    const sub = store.subscribeToAll({ streamPrefixes: [s] });
    await receive(sub, (m) => m.some((x) => x.kind === 'caught-up'));
    const pending = receive(sub, (m) => eventIds(m).length >= 1, 20_000);
    await server.stop();
    while (delays.length < 5) await new Promise((r) => setTimeout(r, 10));
    await server.restart();
    const e = event();
    await store.append(s, [e]).catch(() => store.append(s, [e]));
    expect(eventIds(await pending)).toEqual([e.eventId]);
    expect(delays.slice(0, 5)).toEqual([100, 200, 400, 800, 1600]);
    server.dropSubscriptions();
    const e2 = event();
    await store.append(s, [e2]).catch(() => store.append(s, [e2]));
    expect(eventIds(await receive(sub, (m) => eventIds(m).length >= 1))).toEqual([e2.eventId]);
    expect(delays.at(-1)).toBe(100);
    await sub.close();
  });

  it('row 9: a subscription refused for good (access denied) ends with the error, no endless resubscribe', async () => {
    const drops: string[] = [];
    wire = await openWire({}, { ...quickRetry, onSubscriptionDrop: (e) => drops.push(e.message) });
    const { store, server } = wire;
    server.mode = 'deny';
    const sub = store.subscribeToAll({ streamPrefixes: [streamOf()] });
    const error = await settle(receive(sub, () => false, 5000));
    expect(error).toBeInstanceOf(StoreRefusedError);
    expect(drops).toEqual([]);
  });

  it('row 10: close() ends the iteration even when the server never answers the subscription', async () => {
    wire = await openWire({}, { deadlineMs: 60_000 });
    const { store, server } = wire;
    server.mode = 'hang';
    const sub = store.subscribeToAll({ streamPrefixes: [streamOf()] });
    const iteration = (async () => {
      for await (const _ of sub) void _;
      return 'ended';
    })();
    await new Promise((r) => setTimeout(r, 100));
    await sub.close();
    const outcome = await Promise.race([iteration, new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
    expect(outcome).toBe('ended');
  });

  async function appendIds(s: string, n: number): Promise<string[]> {
    const batch = events(n);
    await wire?.store.append(s, batch);
    return batch.map((e) => e.eventId);
  }
});
