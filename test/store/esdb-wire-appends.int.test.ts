/**
 * Appends through the real EventStoreDB client against the wire server: the
 * defects of issue 14, rows 1–3 (idempotency) and 9 (error mapping on appends).
 * Each test failed against the adapter before the fix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidAppendError,
  StoreOutcomeUnknownError,
  StoreRefusedError,
  StoreUnavailableError,
} from '../../src/store/port.js';
import { collect, event, events, openWire, settle, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

describe('EventStoreDB appends — idempotent retries (real client, wire server)', () => {
  it('row 1: a retry with no_stream or a stale exact revision answers duplicate with the original result', async () => {
    wire = await openWire();
    const { store } = wire;
    const s = streamOf();
    const batch = events(2);
    const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
    expect(first.duplicate).toBe(false);
    // The server itself answers these retries with success and the original position (20.6+).
    expect(await store.append(s, batch, { expectedRevision: 'no_stream' })).toEqual({ ...first, duplicate: true });
    const second = await store.append(s, events(1), { expectedRevision: 1n });
    expect(second.duplicate).toBe(false);
    // A stale exact revision (the writer's cache from before its first attempt).
    expect(await store.append(s, batch, { expectedRevision: 'no_stream' })).toEqual({ ...first, duplicate: true });
    const stale = await store.append(s, [event()], { expectedRevision: 1n }).then(
      () => 'written',
      (e: unknown) => (e as Error).name,
    );
    expect(stale).toBe('WrongExpectedRevisionError'); // a NEW event with a stale revision is still a conflict
    expect((await collect(store.readStream(s))).length).toBe(3);
  });

  it('row 2: a retry sent with the current revision is not written again', async () => {
    wire = await openWire();
    const { store } = wire;
    const s = streamOf();
    const batch = events(2);
    const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
    // A writer that lost the answer, re-read the stream and retried with its revision now.
    const retry = await store.append(s, batch, { expectedRevision: first.nextExpectedRevision });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect((await collect(store.readStream(s))).map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
  });

  it('row 3: a retry with any is recognised after a server restart, on a stream longer than 1000 events', async () => {
    wire = await openWire();
    const { store, server } = wire;
    const s = streamOf();
    const batch = events(2);
    const first = await store.append(s, batch);
    for (let i = 0; i < 2; i++) await store.append(s, events(550));
    await server.restart(); // the server's in-memory eventId cache is gone
    // The client's first call after the restart fails (its channel was closed) and it reconnects: retry once.
    const retry = await store.append(s, batch).catch(() => store.append(s, batch));
    expect(retry).toEqual({ ...first, duplicate: true });
    expect((await collect(store.readStream(s))).length).toBe(1102);
  });

  it('row 3: two writers racing with any both land, each once', async () => {
    wire = await openWire();
    const { store } = wire;
    const s = streamOf();
    await store.append(s, events(1));
    const a = events(2, 'A');
    const b = events(2, 'B');
    const results = await Promise.all([store.append(s, a), store.append(s, b), store.append(s, a)]);
    expect(results.filter((r) => !r.duplicate).length).toBeGreaterThanOrEqual(2);
    const types = (await collect(store.readStream(s))).map((e) => e.type);
    expect(types.filter((t) => t === 'A')).toHaveLength(2);
    expect(types.filter((t) => t === 'B')).toHaveLength(2);
  });
});

describe('EventStoreDB appends — errors (real client, wire server)', () => {
  it('row 9: an append answered after its deadline is "outcome unknown"; its retry answers the original', async () => {
    wire = await openWire({}, { deadlineMs: 300 });
    const { store, server } = wire;
    const s = streamOf();
    const batch = events(1);
    server.appendDelayMs = 800; // the server commits at once and answers late
    // A late answer to the eventId claim (eventIdClaims.ts): none of the batch was sent, so nothing was written.
    const claimLate = await settle(store.append(s, batch, { expectedRevision: 'no_stream' }));
    expect(claimLate).toBeInstanceOf(StoreUnavailableError);
    expect(claimLate).not.toBeInstanceOf(StoreOutcomeUnknownError);
    expect(server.log.stream(s)).toHaveLength(0);
    server.appendDelayPrefix = 'case-'; // the claim answers at once now, the case's append late
    const error = await settle(store.append(s, batch, { expectedRevision: 'no_stream' }));
    expect(error).toBeInstanceOf(StoreOutcomeUnknownError);
    expect(error).toBeInstanceOf(StoreUnavailableError); // still a 503 for the API
    expect((error as Error).message).toContain(wire.store.name);
    server.appendDelayMs = 0;
    const retry = await store.append(s, batch, { expectedRevision: 'no_stream' });
    expect(retry.duplicate).toBe(true);
    expect((await collect(store.readStream(s))).length).toBe(1);
  });

  it('row 9: an append whose connection is lost after the commit is "outcome unknown", never "nothing written"', async () => {
    wire = await openWire();
    const { store, server } = wire;
    const s = streamOf();
    const batch = events(1);
    server.dropAfterCommitPrefix = s; // committed, then UNAVAILABLE instead of the answer
    const error = await settle(store.append(s, batch, { expectedRevision: 'no_stream' }));
    expect(server.log.stream(s)).toHaveLength(1); // it was written
    expect(error).toBeInstanceOf(StoreOutcomeUnknownError); // before: StoreUnavailableError, "nothing was written"
    server.dropAfterCommitPrefix = undefined;
    const retry = await store.append(s, batch, { expectedRevision: 'no_stream' });
    expect(retry.duplicate).toBe(true);
    expect((await collect(store.readStream(s))).length).toBe(1);
  });

  it('row 9: access denied is a permanent refusal, an oversized batch is bad input naming events', async () => {
    wire = await openWire({ maxAppendSize: 64 * 1024 });
    const { store, server } = wire;
    const big = await settle(store.append(streamOf(), [event('CaseAccepted', { blob: 'x'.repeat(100 * 1024) })]));
    expect(big).toBeInstanceOf(InvalidAppendError);
    expect(big).toMatchObject({ field: 'events' });
    server.mode = 'deny';
    const denied = await settle(store.append(streamOf(), events(1)));
    expect(denied).toBeInstanceOf(StoreRefusedError);
    expect((denied as Error).message).toMatch(/access denied/);
  });

  it('row 9: a follower answering not-leader leaves nothing written and is unavailable, not permanent', async () => {
    wire = await openWire();
    const { store, server } = wire;
    server.mode = 'notLeader';
    const s = streamOf();
    const error = await settle(store.append(s, events(1)));
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).not.toBeInstanceOf(StoreRefusedError);
    expect(error).not.toBeInstanceOf(StoreOutcomeUnknownError);
  });
});
