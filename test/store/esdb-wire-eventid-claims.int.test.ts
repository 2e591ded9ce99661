/**
 * An eventId belongs to one stream on EventStoreDB too (SPEC §2: the same eventId with another
 * event is refused, in another case as well). The server's idempotency is per stream, so the
 * adapter claims each eventId for its stream before sending (src/store/esdb/eventIdClaims.ts).
 * The contract suite covers a plain reuse; here: two nodes racing, a claim released by its refused
 * batch, what claims nothing (esdb-wire-eventid-release.int.test.ts: releases and their races), that no reader of the port ever sees a claim nor is slowed by them, the reserved
 * stream names, and a projection restarting with its checkpoint past the last event (a reviewer's finds).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../src/domain/index.js';
import { caseStreamId } from '../../src/domain/streams.js';
import { makeRig, type Rig, ZONE } from '../../src/projections/testSupport.js';
import { claimOf, claimStreamOf } from '../../src/store/esdb/claimRecords.js';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import type { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import { DuplicateEventConflictError, WrongExpectedRevisionError } from '../../src/store/port.js';
import { collect, event, events, openWire, receive, settle, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
let other: EsdbEventStore | undefined;
const rigs: Rig[] = [];
let dir = '';
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.projections.stop().catch(() => undefined);
  await other?.close();
  other = undefined;
  await wire?.close();
  wire = undefined;
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});
const START = parseInstant('2025-03-03T09:00:00+08:00');

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

  it('a batch refused for a batch-mate used elsewhere releases its claims: its other event is written in another case, or retried in its own', async () => {
    wire = await openWire();
    const { store, server } = wire;
    const taken = event();
    await store.append(streamOf(), [taken]);
    const [wrongCase, rightCase] = [streamOf(), streamOf()];
    const [moved, retried] = [event(), event()];
    // Both refused for the reused eventId; the claims of their other events, sent alongside, are released.
    expect(await settle(store.append(wrongCase, [moved, retried, taken]))).toBeInstanceOf(DuplicateEventConflictError);
    expect(await store.append(rightCase, [moved], { expectedRevision: 'no_stream' })).toMatchObject({
      duplicate: false,
    });
    expect(server.log.stream(claimStreamOf(moved.eventId)).map((r) => r.type)).toEqual([
      'EventIdClaimed',
      'EventIdReleased',
      'EventIdClaimed',
    ]);
    // Its own stream claims it again after its release.
    expect(await store.append(wrongCase, [retried], { expectedRevision: 'no_stream' })).toMatchObject({
      duplicate: false,
    });
    const elsewhere = await settle(store.append(streamOf(), [{ ...retried, data: { n: 2 } }]));
    expect(elsewhere).toBeInstanceOf(DuplicateEventConflictError);
    expect((elsewhere as Error).message).toContain('used by another stream');
    expect((await collect(store.readStream(rightCase))).map((e) => e.eventId)).toEqual([moved.eventId]);
    expect((await collect(store.readStream(wrongCase))).map((e) => e.eventId)).toEqual([retried.eventId]);
  });

  it('an append its stream refuses as read (a stale revision, no_stream on a stream that exists) claims nothing', async () => {
    wire = await openWire();
    const { store, server } = wire;
    const s = streamOf();
    await store.append(s, [event()], { expectedRevision: 'no_stream' });
    const before = server.log.records.length;
    const stale = events(10);
    expect(await settle(store.append(s, stale, { expectedRevision: 5n }))).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await settle(store.append(s, [event()], { expectedRevision: 'no_stream' }))).toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(server.log.records.length).toBe(before);
    // So its eventIds are free for another case.
    expect(await store.append(streamOf(), [stale[0]!])).toMatchObject({ duplicate: false });
  });

  it('a filtered read from before a 1000-event batch skips its claims a page at a time', async () => {
    wire = await openWire();
    const { store } = wire;
    const w = await store.append(streamOf(), [event()], { expectedRevision: 'no_stream' });
    await store.append(streamOf(), events(1000), { expectedRevision: 'no_stream' });
    const client = (store as unknown as { client: { readAll: (o: unknown) => unknown } }).client;
    const readAll = client.readAll.bind(client);
    let calls = 0;
    client.readAll = (o: unknown) => {
      calls++;
      return readAll(o);
    };
    let n = 0;
    for await (const b of store.readAllBatches({ fromPosition: w.position + 1n, streamPrefixes: ['case-'] }))
      n += b.length;
    expect(n).toBe(1000);
    expect(calls).toBeLessThan(20); // one a claim record before: 3,004
  }, 60_000);

  it('streams named eventid-… are reserved: refused by name, so no stream hides or blocks an eventId', async () => {
    wire = await openWire();
    const { store } = wire;
    const id = randomUUID();
    for (const name of [`eventid-${id}`, `EventId-${id.slice(0, 8)}`]) {
      expect(await settle(store.append(name, [event()]))).toMatchObject({
        name: 'InvalidAppendError',
        field: 'streamId',
      });
    }
    expect(await store.append(streamOf(), [{ eventId: id, type: 'CaseAccepted', data: {} }])).toMatchObject({
      duplicate: false,
    });
  });

  it('a projection whose checkpoint lies past the last event (claims of a refused append) restarts from its snapshot', async () => {
    wire = await openWire();
    const { store } = wire;
    dir = mkdtempSync(join(tmpdir(), 'claims-restart-'));
    const file = join(dir, 'snapshot.ndjson');
    const rig = await makeRig(START, { store, checkpointFile: file });
    rigs.push(rig);
    const caseId = `F-${randomUUID().slice(0, 6)}`;
    await rig.append({
      type: 'CaseAccepted',
      caseId,
      occurredAt: formatInstant(START - 1000, ZONE),
      centerId: 'c1',
      departmentId: 'd1',
      matterCode: 'M1',
      kind: 'promised',
      promisedDays: 3,
      channel: 'window',
    });
    // 1000 events refused for a reused eventId: the claims sent beside it and their releases lie after the last event.
    const used = event();
    await store.append(streamOf(), [used]);
    const batch = [...events(999), used];
    expect(await settle(store.append(caseStreamId(caseId), batch))).toBeInstanceOf(DuplicateEventConflictError);
    const head = await store.headPosition();
    for (let i = 0; i < 100 && BigInt(rig.projections.readModels.status().checkpoint) <= head; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(BigInt(rig.projections.readModels.status().checkpoint)).toBeGreaterThan(head);
    await rig.projections.stop();
    rigs.splice(0);
    const again = await makeRig(START, { store, checkpointFile: file });
    rigs.push(again);
    expect(again.projections.readModels.getCaseState(caseId)?.acceptedAt).toBeDefined();
  }, 60_000);

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

describe('the claim stream of an eventId', () => {
  it('is named by the eventId in lower case; each claim sent has an id of its own', () => {
    const id = 'B3A1C0DE-0000-4000-8000-000000000001';
    expect(claimStreamOf(id)).toBe(`eventid-${id.toLowerCase()}`);
    expect(claimOf('case-1', id).eventId).not.toBe(claimOf('case-1', id).eventId);
  });
});
