/**
 * A case's (or complaint's) stream an operator deleted on EventStoreDB (a tombstone), through the
 * HTTP API: the engine over the REAL `EventStoreDBClient` against the wire-level test server
 * (test/store/esdb-wire), which refuses a tombstoned stream's appends and reads as the server does.
 * An append to it is refused for good, for that case alone: 410 `case-stream-deleted` naming the
 * case, nothing written; other cases of the same batch are written and answered as such; the
 * engine stays ready and its store up (one stream gone is not the store down). A read of the
 * case's (complaint's) stream answers the same code (src/api/ownStream.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { caseStreamId } from '../../src/domain/streams.js';
import { complaintStreamId } from '../../src/domain/complaints/streams.js';
import type { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import {
  type EventData,
  type EventStore,
  type ReadStreamOptions,
  type RecordedEvent,
  UNKNOWN_POSITION,
} from '../../src/store/port.js';
import { openWire, type Wire } from '../store/esdb-wire/harness.js';
import { acceptedBody, http, shanghai, startAppServer, TOKENS, type AppServer } from './support/app-server.js';

let srv: AppServer | undefined;
let wire: Wire | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
  await wire?.server.stop();
  wire = undefined;
});

const escalation = (caseId?: string) => ({
  type: 'CaseEscalated',
  level: 'reminder',
  by: 'office',
  occurredAt: shanghai(-30_000),
  eventId: randomUUID(),
  ...(caseId === undefined ? {} : { caseId }),
});

const metric = async (url: string, name: string): Promise<number | undefined> => {
  const text = (await http(url, 'GET', '/metrics', { token: TOKENS.admin })).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

/** A case accepted through the engine (its write cache holds it: the next append is sent without a read). */
async function acceptedThroughEngine(url: string): Promise<string> {
  const caseId = `DEL-${randomUUID().slice(0, 8)}`;
  const res = await http(url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body: acceptedBody() });
  expect(res.status).toBe(201);
  return caseId;
}

/** A case written by another node (this engine's write cache never saw it: its next append reads the stream first). */
async function acceptedElsewhere(w: Wire): Promise<string> {
  const caseId = `DEL-${randomUUID().slice(0, 8)}`;
  const eventId = randomUUID();
  const event: EventData = { eventId, type: 'CaseAccepted', data: { ...acceptedBody({ eventId }), caseId } };
  await w.store.append(caseStreamId(caseId), [event], { expectedRevision: 'no_stream' });
  return caseId;
}

/** A complaint received a minute ago: the complaint whose stream the tests delete. */
const complaintReceived = () => ({
  eventId: randomUUID(),
  type: 'ComplaintReceived',
  occurredAt: shanghai(-60_000),
  channel: 'hotline',
  centerId: 'center-A',
  subject: '窗口推诿',
});

describe('an append to a deleted (tombstoned) stream on EventStoreDB, through the API', () => {
  it('a single append answers 410 case-stream-deleted naming the case, sent blind or after a read; the store stays up', async () => {
    wire = await openWire();
    srv = await startAppServer(wire.store);
    const { url } = srv;
    const cached = await acceptedThroughEngine(url);
    const unread = await acceptedElsewhere(wire);
    for (const caseId of [cached, unread]) {
      wire.server.log.tombstone(caseStreamId(caseId));
      const res = await http(url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body: escalation() });
      expect(res.status, caseId).toBe(410);
      expect(res.body.error.code).toBe('case-stream-deleted');
      expect(res.body.error.message).toContain(`case ${caseId}`);
      expect(res.body.error.message).toContain('nothing was written');
      expect(wire.server.log.stream(caseStreamId(caseId))).toHaveLength(1);
    }
    // One stream gone is not the store down: ready, store up, other cases written.
    const ready = await http(url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.store).toBe('up');
    expect(await metric(url, 'supervision_store_up')).toBe(1);
    await acceptedThroughEngine(url);
  });

  it('a batch refuses the deleted cases’ rows with case-stream-deleted and writes the other cases’ rows', async () => {
    wire = await openWire();
    srv = await startAppServer(wire.store);
    const { url } = srv;
    const cached = await acceptedThroughEngine(url);
    const unread = await acceptedElsewhere(wire);
    const alive = await acceptedThroughEngine(url);
    for (const caseId of [cached, unread]) wire.server.log.tombstone(caseStreamId(caseId));
    const fresh = `DEL-${randomUUID().slice(0, 8)}`;
    const toAliveRow = escalation(alive);
    const rows = [escalation(cached), toAliveRow, escalation(unread), { ...acceptedBody(), caseId: fresh }];
    const res = await http(url, 'POST', '/events', { token: TOKENS.recorder, body: { events: rows } });
    expect(res.status).toBe(200);
    const [toCached, toAlive, toUnread, toFresh] = res.body.results;
    for (const [row, caseId] of [
      [toCached, cached],
      [toUnread, unread],
    ] as const) {
      expect(row.status, caseId).toBe(410);
      expect(row.caseId).toBe(caseId);
      expect(row.error.code).toBe('case-stream-deleted');
      expect(row.error.message).toContain(`case ${caseId}`);
      expect(wire.server.log.stream(caseStreamId(caseId))).toHaveLength(1);
    }
    // The other cases' rows were written, and answered so.
    expect(toAlive).toMatchObject({ status: 201, caseId: alive, revision: 1 });
    expect(toFresh).toMatchObject({ status: 201, caseId: fresh, revision: 0 });
    expect(wire.server.log.stream(caseStreamId(alive)).map((r) => r.eventId)).toContain(toAliveRow.eventId);
    expect(wire.server.log.stream(caseStreamId(fresh))).toHaveLength(1);
    expect((await http(url, 'GET', '/readyz')).status).toBe(200);
  });

  it('an append to a deleted complaint stream answers 410 complaint-stream-deleted naming the complaint', async () => {
    wire = await openWire();
    srv = await startAppServer(wire.store);
    const { url } = srv;
    const complaintId = `Q-${randomUUID().slice(0, 8)}`;
    const path = `/complaints/${complaintId}/events`;
    expect((await http(url, 'POST', path, { token: TOKENS.recorder, body: complaintReceived() })).status).toBe(201);
    wire.server.log.tombstone(complaintStreamId(complaintId));
    const res = await http(url, 'POST', path, { token: TOKENS.recorder, body: complaintReceived() });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('complaint-stream-deleted');
    expect(res.body.error.message).toContain(`complaint ${complaintId}`);
    expect(wire.server.log.stream(complaintStreamId(complaintId))).toHaveLength(1);
  });
});

describe('a read of a deleted (tombstoned) stream on EventStoreDB, through the API', () => {
  it('a case’s history and its read as known at K answer 410 case-stream-deleted naming the case', async () => {
    wire = await openWire();
    srv = await startAppServer(wire.store);
    const { url } = srv;
    const caseId = await acceptedThroughEngine(url);
    const history = `/cases/${caseId}/history`;
    expect((await http(url, 'GET', history, { token: TOKENS.auditor })).status).toBe(200);
    wire.server.log.tombstone(caseStreamId(caseId));
    const knownAt = encodeURIComponent(new Date().toISOString());
    for (const path of [history, `/cases/${caseId}?asKnownAt=${knownAt}`]) {
      const res = await http(url, 'GET', path, { token: TOKENS.auditor });
      expect(res.status, path).toBe(410);
      expect(res.body.error.code).toBe('case-stream-deleted');
      expect(res.body.error.message).toContain(`case ${caseId}: its stream ${caseStreamId(caseId)}`);
      expect(res.body.error.message).toContain('can no longer be read');
    }
    expect((await http(url, 'GET', '/readyz')).status).toBe(200);
  });

  it('a complaint’s read answers 410 complaint-stream-deleted naming the complaint', async () => {
    wire = await openWire();
    srv = await startAppServer(wire.store);
    const { url } = srv;
    const complaintId = `Q-${randomUUID().slice(0, 8)}`;
    const received = complaintReceived();
    const path = `/complaints/${complaintId}`;
    expect((await http(url, 'POST', `${path}/events`, { token: TOKENS.recorder, body: received })).status).toBe(201);
    expect((await http(url, 'GET', path, { token: TOKENS.auditor })).status).toBe(200);
    wire.server.log.tombstone(complaintStreamId(complaintId));
    const res = await http(url, 'GET', path, { token: TOKENS.auditor });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('complaint-stream-deleted');
    expect(res.body.error.message).toContain(`complaint ${complaintId}: its stream ${complaintStreamId(complaintId)}`);
  });
});

/**
 * The engine's store, but its reads of `streamId` tombstone that stream once read (once armed), and
 * carry no positions: as an engine whose position cache never saw those events (restored from a
 * snapshot past them, or forgotten), which asks them of the server — here through another adapter
 * on the same server, whose cache is empty — after the stream is gone.
 */
function deletedAfterItsRead(w: Wire, asker: EsdbEventStore, streamId: string) {
  let armed = false;
  let asked = 0;
  const store = new Proxy(w.store, {
    get(target, key) {
      if (key === 'readStream') {
        return async function* (id: string, options?: ReadStreamOptions) {
          if (!armed || id !== streamId) return yield* target.readStream(id, options);
          try {
            for await (const e of target.readStream(id, options)) yield { ...e, position: UNKNOWN_POSITION };
          } finally {
            w.server.log.tombstone(id);
          }
        };
      }
      if (key === 'positionsOf') {
        return (id: string, read: readonly RecordedEvent[]) => {
          asked++;
          return asker.positionsOf(id, read);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: store as EventStore, arm: () => (armed = true), asked: () => asked };
}

describe('a stream deleted between a route’s read and its positions question, through the API', () => {
  let asker: EsdbEventStore | undefined;
  afterEach(async () => {
    await asker?.close();
    asker = undefined;
  });

  it('a case’s history answers 410 case-stream-deleted, as when deleted before the read', async () => {
    wire = await openWire();
    asker = await openEsdbStore(wire.server.connectionString, { deadlineMs: 5000 });
    const caseId = `DEL-${randomUUID().slice(0, 8)}`;
    const staged = deletedAfterItsRead(wire, asker, caseStreamId(caseId));
    srv = await startAppServer(staged.store);
    const { url } = srv;
    expect(
      (await http(url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body: acceptedBody() })).status,
    ).toBe(201);
    staged.arm();
    const res = await http(url, 'GET', `/cases/${caseId}/history`, { token: TOKENS.auditor });
    expect(staged.asked()).toBe(1);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('case-stream-deleted');
    expect(res.body.error.message).toContain(`case ${caseId}: its stream ${caseStreamId(caseId)}`);
    expect((await http(url, 'GET', '/readyz')).status).toBe(200);
  });

  it('a complaint’s read answers 410 complaint-stream-deleted, as when deleted before the read', async () => {
    wire = await openWire();
    asker = await openEsdbStore(wire.server.connectionString, { deadlineMs: 5000 });
    const complaintId = `Q-${randomUUID().slice(0, 8)}`;
    const staged = deletedAfterItsRead(wire, asker, complaintStreamId(complaintId));
    srv = await startAppServer(staged.store);
    const { url } = srv;
    const received = complaintReceived();
    const path = `/complaints/${complaintId}`;
    expect((await http(url, 'POST', `${path}/events`, { token: TOKENS.recorder, body: received })).status).toBe(201);
    staged.arm();
    const res = await http(url, 'GET', path, { token: TOKENS.auditor });
    expect(staged.asked()).toBe(1);
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('complaint-stream-deleted');
    expect(res.body.error.message).toContain(`complaint ${complaintId}: its stream ${complaintStreamId(complaintId)}`);
  });

  it('a retried append (its read, then its original position asked) answers 410 case-stream-deleted, nothing written', async () => {
    wire = await openWire();
    asker = await openEsdbStore(wire.server.connectionString, { deadlineMs: 5000 });
    const caseId = await acceptedElsewhere(wire);
    const staged = deletedAfterItsRead(wire, asker, caseStreamId(caseId));
    srv = await startAppServer(staged.store);
    const { url } = srv;
    const row = escalation();
    const path = `/cases/${caseId}/events`;
    expect((await http(url, 'POST', path, { token: TOKENS.recorder, body: row })).status).toBe(201);
    staged.arm();
    const res = await http(url, 'POST', path, { token: TOKENS.recorder, body: row });
    expect(staged.asked()).toBe(1); // the deletion was seen at the second call, not at the read
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('case-stream-deleted');
    expect(wire.server.log.stream(caseStreamId(caseId))).toHaveLength(2);
  });
});
