/**
 * Reads, the head, deadlines and the server version through the real EventStoreDB
 * client against the wire server: issue 14, rows 4, 5, 8 and 11. Each test failed
 * against the adapter before the fix (row 8's by hanging until the test timeout).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import { randomUUID } from 'node:crypto';
import { knownPositions } from '../../src/store/core/positions.js';
import { StoreUnavailableError, UNKNOWN_POSITION } from '../../src/store/port.js';
import { openStore } from '../../src/store/open.js';
import { collect, events, openWire, settle, streamOf, type Wire } from './esdb-wire/harness.js';
import { startBlackHole, WireServer } from './esdb-wire/server.js';

let wire: Wire | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await wire?.close();
  wire = undefined;
  for (const c of cleanups.splice(0)) await c();
});

/** How long `p` took to settle, and to what. */
async function timed<T>(p: Promise<T>): Promise<{ ms: number; value: T | unknown }> {
  const started = Date.now();
  const value = await settle(p);
  return { ms: Date.now() - started, value };
}

describe('EventStoreDB reads (real client, wire server)', () => {
  it('row 4: reading $all from an event position + 1 (the runner’s "after p") starts after that event', async () => {
    wire = await openWire();
    const { store } = wire;
    const s = streamOf();
    const first = await store.append(s, events(1));
    const later = events(2);
    await store.append(s, later);
    const after = await collect(store.readAll({ fromPosition: first.position + 1n, streamPrefixes: [s] }));
    expect(after.map((e) => e.eventId)).toEqual(later.map((e) => e.eventId));
    const batches = await collect(store.readAllBatches({ fromPosition: first.position + 1n, streamPrefixes: [s] }));
    expect(batches.flat().map((e) => e.eventId)).toEqual(later.map((e) => e.eventId));
    // Any other position inside a record is refused, naming the field.
    const bad = await settle(collect(store.readAll({ fromPosition: first.position + 7n })));
    expect(bad).toMatchObject({ name: 'InvalidAppendError', field: 'fromPosition' });
  });

  it('row 5: the head is the last user event, not the system and link events after it', async () => {
    wire = await openWire({ standardProjections: true });
    const { store, server } = wire;
    const r = await store.append(streamOf(), events(2));
    server.log.writeSystemEvent();
    expect(server.log.records.at(-1)?.streamId.startsWith('$')).toBe(true);
    expect(await store.headPosition()).toBe(r.position);
    for (let i = 0; i < 500; i++) server.log.writeSystemEvent(); // an idle system: stats pile up
    expect(await store.headPosition()).toBe(r.position);
    const next = await store.append(streamOf(), events(1));
    expect(await store.headPosition()).toBe(next.position);
  });

  it("a stream read's positions: asked of the server once, then known (its own appends, answers, live events)", async () => {
    wire = await openWire();
    const { store, server } = wire;
    const [s, other] = [streamOf(), streamOf()];
    await store.append(s, events(3));
    const truth = (await collect(store.readAll({ streamPrefixes: [s] }))).map((e) => e.position);
    const read = await collect(store.readStream(s));
    expect(read.map((e) => e.position)).toEqual([UNKNOWN_POSITION, UNKNOWN_POSITION, truth[2]]); // its own append's answer
    const calls = server.appendCalls;
    expect(await knownPositions(store, read)).toEqual(truth);
    expect(server.appendCalls - calls).toBe(2); // one question an unknown event
    expect((await collect(store.readStream(s))).map((e) => e.position)).toEqual(truth);
    expect(await knownPositions(store, await collect(store.readStream(s)))).toEqual(truth);
    expect(server.appendCalls - calls).toBe(2); // asked once
    // What a live subscription delivers is known too, though another process appended it.
    const sub = store.subscribeToAll({ fromPosition: truth[2]!, streamPrefixes: [other] });
    const iterator = sub[Symbol.asyncIterator]();
    while ((await iterator.next()).value?.kind !== 'caught-up');
    server.log.append(other, 'no_stream', [
      {
        eventId: randomUUID(),
        type: 'CaseAccepted',
        contentType: 'application/json',
        data: Buffer.from('{}'),
        metadata: new Uint8Array(),
      },
    ]);
    expect((await iterator.next()).value?.kind).toBe('event');
    await sub.close();
    const [live] = await collect(store.readStream(other));
    expect(live!.position).toBe((await collect(store.readAll({ streamPrefixes: [other] })))[0]!.position);
  });

  it('row 11: a server older than 23.10 (no caughtUp) is refused at open, naming its version', async () => {
    const server = await WireServer.start({ version: '22.10.3' });
    cleanups.push(() => server.stop());
    const error = await settle(openEsdbStore(server.connectionString, { deadlineMs: 1500 }));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/22\.10\.3.*23\.10/);
  });
});

describe('EventStoreDB deadlines (real client, wire server)', () => {
  it('row 8: against a server that accepts calls and never answers, opening fails within seconds naming the store', async () => {
    const server = await WireServer.start();
    cleanups.push(() => server.stop());
    server.mode = 'hang';
    const { ms, value } = await timed(openEsdbStore(server.connectionString, { deadlineMs: 500 }));
    expect(value).toBeInstanceOf(StoreUnavailableError);
    expect((value as Error).message).toContain(`127.0.0.1:${server.port}`);
    expect(ms).toBeLessThan(10_000); // a hang guard, not a performance assertion
  });

  it('row 8: against a TCP port that accepts and never speaks, openStore fails within seconds', async () => {
    const hole = await startBlackHole();
    cleanups.push(() => hole.close());
    const { ms, value } = await timed(openStore(`esdb://127.0.0.1:${hole.port}?tls=false`));
    expect(value).toBeInstanceOf(StoreUnavailableError);
    expect(ms).toBeLessThan(15_000);
  });

  it('row 8: once open, every call of a silent server ends within its deadline', async () => {
    wire = await openWire({}, { deadlineMs: 400 });
    const { store, server } = wire;
    const s = streamOf();
    await store.append(s, events(1));
    server.mode = 'hang';
    const calls: [string, Promise<unknown>][] = [
      ['append', store.append(s, events(1))],
      ['readStream', collect(store.readStream(s))],
      ['readAll', collect(store.readAll({ maxCount: 5 }))],
      ['headPosition', store.headPosition()],
      [
        'appendMany',
        store
          .appendMany([{ streamId: s, events: events(1) }])
          .then((o) => (o[0]?.ok ? o : Promise.reject(o[0]?.error))),
      ],
    ];
    for (const [name, call] of calls) {
      const { ms, value } = await timed(call);
      expect(value, name).toBeInstanceOf(StoreUnavailableError);
      expect(ms, name).toBeLessThan(10_000);
    }
  });
});
