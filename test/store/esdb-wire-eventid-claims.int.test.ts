/**
 * An eventId belongs to one stream on EventStoreDB too (SPEC §2: the same eventId with another
 * event is refused, in another case as well). The server's idempotency is per stream, so the
 * adapter claims each eventId for its stream before sending (src/store/esdb/eventIdClaims.ts).
 * The contract suite covers a plain reuse; here: two nodes racing, a claim whose append failed,
 * and that no reader of the port ever sees a claim.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { claimEventId, claimStreamOf } from '../../src/store/esdb/eventIdClaims.js';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import type { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import { DuplicateEventConflictError, WrongExpectedRevisionError } from '../../src/store/port.js';
import { collect, event, openWire, receive, settle, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
let other: EsdbEventStore | undefined;
afterEach(async () => {
  await other?.close();
  other = undefined;
  await wire?.close();
  wire = undefined;
});

describe('eventId claims on EventStoreDB (real client, wire server)', () => {
  it('two nodes sending one eventId to two streams at once: one is written, the other refused', async () => {
    wire = await openWire();
    other = await openEsdbStore(wire.server.connectionString, { deadlineMs: 5000 });
    for (let round = 0; round < 5; round++) {
      const shared = event('CaseAccepted', { round });
      const [a, b] = [streamOf(), streamOf()];
      const outcomes = await Promise.all([
        settle(wire.store.append(a, [shared], { expectedRevision: 'no_stream' })),
        settle(other.append(b, [{ ...shared, data: { round, other: true } }], { expectedRevision: 'no_stream' })),
      ]);
      const refused = outcomes.filter((o) => o instanceof DuplicateEventConflictError);
      expect(refused).toHaveLength(1);
      const stored = [...(await collect(wire.store.readStream(a))), ...(await collect(wire.store.readStream(b)))];
      expect(stored.map((e) => e.eventId)).toEqual([shared.eventId]);
    }
  });

  it('an append refused after its claim keeps the eventId for its stream: a retry there is written, another stream refused', async () => {
    wire = await openWire();
    const { store } = wire;
    const s = streamOf();
    const retried = event();
    const stale = await settle(store.append(s, [retried], { expectedRevision: 3n }));
    expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.append(s, [retried], { expectedRevision: 'no_stream' })).toMatchObject({ duplicate: false });
    const elsewhere = await settle(store.append(streamOf(), [{ ...retried, data: { n: 2 } }]));
    expect(elsewhere).toBeInstanceOf(DuplicateEventConflictError);
  });

  it('no reader sees a claim: reads of $all, subscriptions and the head skip them', async () => {
    wire = await openWire();
    const { store } = wire;
    const s = streamOf();
    const written = await store.append(s, [event(), event()], { expectedRevision: 'no_stream' });
    // A claim written by an append then refused is the last record of the log.
    await settle(store.append(s, [event()], { expectedRevision: 7n }));
    expect(await store.headPosition()).toBe(written.position);
    const all = await collect(store.readAll());
    expect(all.filter((e) => e.streamId.startsWith('eventid-'))).toEqual([]);
    expect(all.filter((e) => e.streamId === s)).toHaveLength(2);
    const sub = store.subscribeToAll({ fromPosition: 'start' });
    try {
      const got = await receive(sub, (msgs) => msgs.some((m) => m.kind === 'caught-up'));
      const streams = got.flatMap((m) => (m.kind === 'event' ? [m.event.streamId] : []));
      expect(streams.filter((id) => id.startsWith('eventid-'))).toEqual([]);
      expect(streams.filter((id) => id === s)).toHaveLength(2);
    } finally {
      await sub.close();
    }
  });
});

describe('the claim of an eventId', () => {
  it('has one id per stream and eventId, the same on every node, a valid UUID', () => {
    const id = 'B3A1C0DE-0000-4000-8000-000000000001';
    const claim = claimEventId('case-1', id);
    expect(claim).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(claimEventId('case-1', id.toLowerCase())).toBe(claim);
    expect(claimEventId('case-2', id)).not.toBe(claim);
    expect(claimStreamOf(id)).toBe(`eventid-${id.toLowerCase()}`);
  });
});
