/**
 * Releasing eventId claims on EventStoreDB (src/store/esdb/eventIdClaims.ts): an append refused for
 * good releases the claims it made, so its eventIds are free for another case (a recorder that sent
 * an event to the wrong case was refused there, then answered 409 in the right case for ever). Here:
 * a lost revision race, two nodes racing for a released eventId, a release racing a claim of the same
 * stream, and outcomes that are unknown, which release nothing. The refused batch: the claims suite.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { claimStreamOf } from '../../src/store/esdb/claimRecords.js';
import type { EsdbClientLike } from '../../src/store/esdb/client-like.js';
import { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import {
  DuplicateEventConflictError,
  StoreOutcomeUnknownError,
  StoreRefusedError,
  WrongExpectedRevisionError,
} from '../../src/store/port.js';
import { collect, event, openWire, settle, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
const nodes: EsdbEventStore[] = [];
afterEach(async () => {
  for (const node of nodes.splice(0)) await node.close();
  await wire?.close();
  wire = undefined;
});

type Append = Parameters<EsdbClientLike['appendToStream']>;

/** A node on the real client that runs `before` ahead of each of its appends (its events' types given). */
function nodeWith(
  wire: Wire,
  before: (stream: string, types: string[], expected: Append[2]['expectedRevision']) => Promise<unknown>,
): EsdbEventStore {
  const real = EventStoreDBClient.connectionString(wire.server.connectionString);
  const client = new Proxy(real, {
    get(target, prop) {
      if (prop === 'appendToStream')
        return async (...args: Append) => {
          await before(
            args[0],
            args[1].map((e) => e.type),
            args[2].expectedRevision,
          );
          return target.appendToStream(...(args as [string, never, never]));
        };
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as unknown as EsdbClientLike;
  const node = new EsdbEventStore(client, 'node-A', { deadlineMs: 5000 });
  nodes.push(node);
  return node;
}

const claimTypes = (wire: Wire, eventId: string) => wire.server.log.stream(claimStreamOf(eventId)).map((r) => r.type);

describe('releasing eventId claims (real client, wire server)', () => {
  it('an append that lost its revision race releases its claims: the eventId is then written in another case', async () => {
    wire = await openWire();
    const other = wire.store;
    const s = streamOf();
    await other.append(s, [event()], { expectedRevision: 'no_stream' });
    // Another node appends to s between this node's read of s (revision 0) and its send.
    let raced = false;
    const node = nodeWith(wire, async (stream) => {
      if (stream !== s || raced) return;
      raced = true;
      await other.append(s, [event()], { expectedRevision: 0n });
    });
    const mine = event('CaseEscalated');
    expect(await settle(node.append(s, [mine], { expectedRevision: 0n }))).toBeInstanceOf(WrongExpectedRevisionError);
    expect(raced).toBe(true);
    const elsewhere = streamOf();
    expect(await other.append(elsewhere, [mine], { expectedRevision: 'no_stream' })).toMatchObject({
      duplicate: false,
    });
    expect(claimTypes(wire, mine.eventId)).toEqual(['EventIdClaimed', 'EventIdReleased', 'EventIdClaimed']);
    expect((await collect(other.readStream(s))).map((e) => e.eventId)).not.toContain(mine.eventId);
  });

  it('two nodes racing for a released eventId: both claim at the release, one wins, the other is refused', async () => {
    wire = await openWire();
    const setup = wire.store;
    let contested = '';
    let arrived = 0;
    let bothThere: () => void = () => undefined;
    let barrier = Promise.resolve();
    // Each node's claim after the release waits for the other's, so both are sent at the same expected revision.
    const atRelease = async (stream: string, _: string[], expected: Append[2]['expectedRevision']) => {
      if (stream !== claimStreamOf(contested) || typeof expected !== 'bigint') return;
      if (++arrived === 2) bothThere();
      await barrier;
    };
    const [a, b] = [nodeWith(wire, atRelease), nodeWith(wire, atRelease)];
    for (let round = 0; round < 6; round++) {
      const taken = event();
      await setup.append(streamOf(), [taken]);
      const released = event('CaseEscalated', { round });
      expect(await settle(setup.append(streamOf(), [released, taken]))).toBeInstanceOf(DuplicateEventConflictError);
      [contested, arrived] = [released.eventId, 0];
      barrier = new Promise((r) => {
        bothThere = r;
      });
      const [x, y] = [streamOf(), streamOf()];
      const outcomes = await Promise.all([
        settle(a.append(x, [released], { expectedRevision: 'no_stream' })),
        settle(b.append(y, [{ ...released, data: { round, b: true } }], { expectedRevision: 'no_stream' })),
      ]);
      expect(arrived).toBe(2);
      expect(outcomes.filter((o) => o instanceof DuplicateEventConflictError)).toHaveLength(1);
      const stored = [...(await collect(setup.readStream(x))), ...(await collect(setup.readStream(y)))];
      expect(stored.map((e) => e.eventId)).toEqual([released.eventId]);
      expect(claimTypes(wire, released.eventId)).toEqual(['EventIdClaimed', 'EventIdReleased', 'EventIdClaimed']);
    }
  });

  it('a release racing an append of the same eventId to the same stream fails: the claim stays for the event written', async () => {
    wire = await openWire();
    const other = wire.store;
    const s = streamOf();
    await other.append(s, [event()], { expectedRevision: 'no_stream' });
    const mine = event('CaseEscalated');
    let raced = false;
    let releasing = false;
    const node = nodeWith(wire, async (stream, types) => {
      if (stream === s && !raced) {
        raced = true; // this node loses the revision race
        await other.append(s, [event()], { expectedRevision: 0n });
      }
      if (types.includes('EventIdReleased') && !releasing) {
        releasing = true; // just before its release, another node writes the same event to s
        await other.append(s, [mine]);
      }
    });
    expect(await settle(node.append(s, [mine], { expectedRevision: 0n }))).toBeInstanceOf(WrongExpectedRevisionError);
    expect(releasing).toBe(true);
    expect((await collect(other.readStream(s))).map((e) => e.eventId)).toContain(mine.eventId);
    // Released from under the event written, it would be written in a second stream here.
    expect(await settle(other.append(streamOf(), [mine]))).toBeInstanceOf(DuplicateEventConflictError);
    expect(claimTypes(wire, mine.eventId)).toEqual(['EventIdClaimed', 'EventIdClaimed']);
  });

  it('an append to a stream deleted after it was read is refused, naming it, and releases its claims: the eventId is then written in another case', async () => {
    wire = await openWire();
    const { store: other, server } = wire;
    const s = streamOf();
    await other.append(s, [event()], { expectedRevision: 'no_stream' });
    // Between this node's read of s and its send (its eventId claimed by then), s is tombstoned.
    let deleted = false;
    const node = nodeWith(wire, async (stream) => {
      if (stream !== s || deleted) return;
      deleted = true;
      server.log.tombstone(s);
    });
    const mine = event('CaseEscalated');
    const refused = await settle(node.append(s, [mine], { expectedRevision: 0n }));
    expect(deleted).toBe(true);
    expect(refused).toBeInstanceOf(StoreRefusedError);
    expect((refused as Error).message).toContain(`stream ${s} is deleted`);
    expect(claimTypes(wire, mine.eventId)).toEqual(['EventIdClaimed', 'EventIdReleased']);
    expect(server.log.stream(s).map((r) => r.eventId)).not.toContain(mine.eventId);
    expect(await other.append(streamOf(), [mine], { expectedRevision: 'no_stream' })).toMatchObject({
      duplicate: false,
    });
    expect(claimTypes(wire, mine.eventId)).toEqual(['EventIdClaimed', 'EventIdReleased', 'EventIdClaimed']);
  });

  it('an append to a stream already deleted is refused at its read, naming it, and claims nothing', async () => {
    wire = await openWire();
    const { store, server } = wire;
    const s = streamOf();
    await store.append(s, [event()], { expectedRevision: 'no_stream' });
    server.log.tombstone(s);
    const mine = event('CaseEscalated');
    for (const expectedRevision of [0n, 'any'] as const) {
      const refused = await settle(store.append(s, [mine], { expectedRevision }));
      expect(refused).toBeInstanceOf(StoreRefusedError);
      expect((refused as Error).message).toContain(`stream ${s} is deleted`);
    }
    expect(claimTypes(wire, mine.eventId)).toEqual([]);
    expect(await store.append(streamOf(), [mine])).toMatchObject({ duplicate: false });
  });

  it('an append whose outcome is unknown releases nothing: the eventId stays its stream’s', async () => {
    wire = await openWire({}, { deadlineMs: 400 });
    const { store, server } = wire;
    // Answered Timeout, not written; and committed but answered after the deadline.
    const [timedOut, late] = [event(), event()];
    server.timeoutPrefix = 'case-';
    expect(await settle(store.append(streamOf(), [timedOut]))).toBeInstanceOf(StoreOutcomeUnknownError);
    server.timeoutPrefix = undefined;
    server.appendDelayPrefix = 'case-';
    server.appendDelayMs = 1000;
    const s = streamOf();
    expect(await settle(store.append(s, [late]))).toBeInstanceOf(StoreOutcomeUnknownError);
    server.appendDelayMs = 0;
    for (const e of [timedOut, late]) {
      expect(await settle(store.append(streamOf(), [e]))).toBeInstanceOf(DuplicateEventConflictError);
      expect(claimTypes(wire, e.eventId)).toEqual(['EventIdClaimed']);
    }
    expect(server.log.stream(s).map((r) => r.eventId)).toEqual([late.eventId]);
  });
});
