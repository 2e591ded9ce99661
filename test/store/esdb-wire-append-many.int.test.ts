/**
 * appendMany on EventStoreDB through the real client against the wire server: requests for
 * different streams are appended concurrently (at most 16 at once), those for one stream in
 * request order, and an unavailable server stops the requests not yet sent (src/store/esdb/appendMany.ts).
 * Concurrency is counted on the server (`maxAppendsInFlight`), never timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { claimStreamOf } from '../../src/store/esdb/claimRecords.js';
import {
  DuplicateEventConflictError,
  StoreOutcomeUnknownError,
  StoreUnavailableError,
  type StreamAppend,
} from '../../src/store/port.js';
import { collect, events, openWire, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

/** Each request's outcome: its next expected revision, or the name of its error. */
const summary = (outcomes: Awaited<ReturnType<Wire['store']['appendMany']>>) =>
  outcomes.map((o) => (o.ok ? o.result.nextExpectedRevision : o.error.name));

describe('EventStoreDB appendMany (real client, wire server)', () => {
  it('appends requests for different streams 16 at a time, outcomes in request order', async () => {
    wire = await openWire();
    const { store, server } = wire;
    // Single-event requests (one claim, then the append: one call in flight a request), to streams holding 0–2 events.
    const requests: StreamAppend[] = Array.from({ length: 20 }, () => ({ streamId: streamOf(), events: events(1) }));
    for (const [i, r] of requests.entries()) if (i % 3 > 0) await store.append(r.streamId, events(i % 3));
    server.appendDelayMs = 100; // every case append is answered late: the requests overlap if they are sent together
    server.maxAppendsInFlight = 0;
    const outcomes = await store.appendMany(requests);
    expect(server.maxAppendsInFlight).toBe(16); // one at a time before: 1
    expect(summary(outcomes)).toEqual(requests.map((_, i) => BigInt(i % 3)));
    for (const r of requests) {
      expect((await collect(store.readStream(r.streamId))).at(-1)?.eventId).toBe(r.events[0]!.eventId);
    }
  });

  it('appends one request at a time with appendConcurrency 1', async () => {
    wire = await openWire({}, { appendConcurrency: 1 });
    const { store, server } = wire;
    server.appendDelayMs = 20;
    const requests = Array.from({ length: 4 }, () => ({ streamId: streamOf(), events: events(1) }));
    server.maxAppendsInFlight = 0;
    expect(summary(await store.appendMany(requests))).toEqual([0n, 0n, 0n, 0n]);
    expect(server.maxAppendsInFlight).toBe(1);
  });

  it('sends the requests for one stream in request order, each after the one before has finished', async () => {
    wire = await openWire();
    const { store, server } = wire;
    server.delayMs = 5; // every call answered slowly: requests sent together would both see the stream as before
    const [s, t] = [streamOf(), streamOf()];
    const outcomes = await store.appendMany([
      { streamId: s, events: events(1), expectedRevision: 'no_stream' },
      { streamId: t, events: events(1, 'A') },
      { streamId: s, events: events(2), expectedRevision: 0n },
      { streamId: t, events: events(1, 'B') },
      { streamId: s, events: events(1), expectedRevision: 2n },
      { streamId: t, events: events(1, 'C') },
    ]);
    expect(summary(outcomes)).toEqual([0n, 0n, 2n, 1n, 3n, 2n]);
    expect((await collect(store.readStream(s))).length).toBe(4);
    // With `any` the revisions follow request order too.
    expect((await collect(store.readStream(t))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('streams sharing an eventId are appended in request order: the later one is not refused for a claim the earlier one released', async () => {
    wire = await openWire();
    const { store } = wire;
    for (let round = 0; round < 8; round++) {
      // y is stored in case c. Case a is sent x and y (refused: y is c's), case b x alone, in one call:
      // successive appends give b its x (a's claim of x is released), whatever the timing.
      const [x, y] = events(2);
      await store.append(streamOf(), [y!]);
      const b = streamOf();
      const outcomes = await store.appendMany([
        { streamId: streamOf(), events: [x!, y!] },
        { streamId: b, events: [{ ...x! }] },
      ]);
      expect(!outcomes[0]!.ok && outcomes[0]!.error).toBeInstanceOf(DuplicateEventConflictError);
      expect(summary(outcomes).slice(1)).toEqual([0n]);
      expect((await collect(store.readStream(b))).map((e) => e.eventId)).toEqual([x!.eventId]);
    }
  });

  it('once a request is unavailable, sends no later one; requests in flight keep their own outcome', async () => {
    wire = await openWire({}, { appendConcurrency: 4 });
    const { store, server } = wire;
    const failing = `case-fail-${streamOf()}`;
    server.timeoutPrefix = 'case-fail-'; // answered Timeout at once: outcome unknown, an unavailable store
    server.appendDelayPrefix = 'case-slow-';
    server.appendDelayMs = 500; // the three sent alongside are still in flight when it fails
    const requests: StreamAppend[] = [
      { streamId: failing, events: events(1) },
      ...Array.from({ length: 9 }, () => ({ streamId: `case-slow-${streamOf()}`, events: events(1) })),
    ];
    const before = server.appendCalls;
    const outcomes = await store.appendMany(requests);
    const error = !outcomes[0]!.ok && outcomes[0]!.error;
    expect(error).toBeInstanceOf(StoreOutcomeUnknownError);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(summary(outcomes.slice(1, 4))).toEqual([0n, 0n, 0n]); // in flight: written (one at a time before: refused)
    for (const o of outcomes.slice(4)) {
      // Not sent: unavailable, in words of their own, never the first request's "may have been written".
      expect(!o.ok && o.error).toBeInstanceOf(StoreUnavailableError);
      expect(!o.ok && o.error).not.toBeInstanceOf(StoreOutcomeUnknownError);
    }
    // The later requests sent nothing: no claim, no event. Four claims and four appends reached the server.
    for (const r of requests.slice(4)) {
      expect(server.log.stream(r.streamId)).toHaveLength(0);
      expect(server.log.stream(claimStreamOf(r.events[0]!.eventId))).toHaveLength(0);
    }
    expect(server.appendCalls - before).toBe(8);
  });
});
