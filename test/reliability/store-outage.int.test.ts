/**
 * The event store going away mid-run.
 *
 * EventStoreDB: the adapter runs through the REAL `EventStoreDBClient` against the
 * wire-level test server (test/store/esdb-wire): the server stops listening (its
 * subscriptions are cut, calls are refused), then comes back on the same port with
 * its log kept. This tests the engine's reaction, the adapter's resubscription and
 * the client's own reconnection. With ESDB_CONNECTION_STRING set, a smoke test runs
 * against a real server too.
 *
 * Also the sqlite store's unavailable path (store closed): 503, nothing written.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { WireServer } from '../store/esdb-wire/server.js';
import { acceptedBody, http, shanghai, startAppServer, TOKENS, type AppServer } from './support/app-server.js';

let srv: AppServer | undefined;
let dir: string | undefined;
let wire: WireServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
  await wire?.stop();
  wire = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const metric = async (url: string, name: string): Promise<number | undefined> => {
  const text = (await http(url, 'GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const escalation = () => ({
  type: 'CaseEscalated',
  level: 'reminder',
  by: 'office',
  occurredAt: shanghai(-30_000),
  eventId: randomUUID(),
});

describe('EventStoreDB outage (real client, wire server)', () => {
  it('answers 503 and reports down while the store is away, then resumes projections from the checkpoint with nothing missed', async () => {
    wire = await WireServer.start({ standardProjections: true }); // $all holds $ce-/$et- links, as with a real server
    const server = wire;
    // The adapter's resubscription backoff sleeps here; the test holds it to keep the projections disconnected.
    let hold: Promise<void> | undefined;
    let release = (): void => {};
    const store = await openEsdbStore(server.connectionString, {
      deadlineMs: 1000,
      backoff: { initialMs: 5, maxMs: 20, factor: 2 },
      sleep: async (ms) => {
        if (hold !== undefined) await hold;
        else await new Promise((r) => setTimeout(r, ms));
      },
    });
    srv = await startAppServer(store);
    const { url } = srv;
    const caseEvents = new Map<string, number>();
    const write = async (caseId: string, body: Record<string, unknown>) => {
      const res = await http(url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
      if (res.status === 201) caseEvents.set(caseId, (caseEvents.get(caseId) ?? 0) + 1);
      return res;
    };
    for (let i = 0; i < 5; i++) expect((await write(`OUT-${i}`, acceptedBody())).status).toBe(201);
    for (let i = 0; i < 5; i++)
      expect((await http(url, 'GET', `/cases/OUT-${i}`, { token: TOKENS.monitor })).status).toBe(200);
    expect(await metric(url, 'supervision_store_up')).toBe(1);
    await until(
      'lag to be 0 with system events after the last case event',
      async () => (await metric(url, 'supervision_projection_lag_events')) === 0,
    );
    const lastSeen = server.log.records.filter((r) => r.streamId.startsWith('case-')).at(-1)?.position;

    // The server goes away: calls are refused, the live subscription is cut.
    hold = new Promise<void>((r) => (release = r));
    const logBefore = server.log.records.length;
    await server.stop();

    const single = await write('OUT-0', escalation());
    expect(single.status).toBe(503);
    expect(single.body.error.code).toBe('store-unavailable');
    await expectStoreDown(url, 'OUT-B1', 'OUT-1');
    const read = await http(url, 'GET', '/cases/OUT-0', { token: TOKENS.monitor });
    expect(read.status).not.toBe(500);
    expect(server.log.records.length).toBe(logBefore); // nothing written

    // The server is back on the same port; the projections' resubscription is still held, so these writes pile up unprojected.
    await server.restart();
    await until('the client to reconnect', async () => (await write('OUT-5', acceptedBody())).status === 201);
    for (let i = 6; i < 10; i++) expect((await write(`OUT-${i}`, acceptedBody())).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await write(`OUT-${i}`, escalation())).status).toBe(201);
    await until('lag to show', async () => ((await metric(url, 'supervision_projection_lag_events')) ?? 0) > 0);
    expect(await metric(url, 'supervision_store_up')).toBe(1);

    release();
    hold = undefined;
    await until('projections to catch up', () => srv!.projections.readModels.getCaseState('OUT-9') !== undefined);
    await until('lag to clear', async () => (await metric(url, 'supervision_projection_lag_events')) === 0);
    // Resumed from the checkpoint (the last event seen before the drop), not from the start.
    const resumedFrom = server.subscribeStarts.at(-1);
    expect(resumedFrom).not.toBe('start');
    expect(resumedFrom).toEqual({ commit: lastSeen, prepare: lastSeen });
    // Nothing missed, nothing folded twice.
    for (const [caseId, n] of caseEvents) {
      expect(srv.projections.readModels.getCaseState(caseId)?.revision, caseId).toBe(n - 1);
    }
    const written = [...caseEvents.values()].reduce((a, b) => a + b, 0);
    expect(srv.projections.info().eventsFolded).toBe(written);
    expect((await http(url, 'GET', '/readyz')).status).toBe(200);
    const res = await http(url, 'GET', '/cases/OUT-3', { token: TOKENS.monitor });
    expect(res.status).toBe(200);
    expect(res.body.escalations).toHaveLength(1);
    expect(srv.logger.entries.filter((e) => e.level === 'error')).toEqual([]); // no 500 along the way
  });
});

const realEsdb = process.env['ESDB_CONNECTION_STRING'];
describe('EventStoreDB, real server (needs ESDB_CONNECTION_STRING)', () => {
  it.skipIf(realEsdb === undefined)(
    'writes, projects and reports ready against a real EventStoreDB — SKIPPED unless ESDB_CONNECTION_STRING is set',
    async () => {
      srv = await startAppServer(await openEsdbStore(realEsdb as string));
      const caseId = `ESDB-${randomUUID().slice(0, 8)}`;
      expect(
        (await http(srv.url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body: acceptedBody() }))
          .status,
      ).toBe(201);
      expect((await http(srv.url, 'GET', `/cases/${caseId}`, { token: TOKENS.monitor })).status).toBe(200);
      expect((await http(srv.url, 'GET', '/readyz')).status).toBe(200);
      expect(await metric(srv.url, 'supervision_store_up')).toBe(1);
    },
  );
});

describe('sqlite store unavailable (closed under the running API)', () => {
  it('answers 503 to single and batch writes, reports not ready, and writes nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rel-closed-'));
    const path = join(dir, 'events.db');
    srv = await startAppServer(new SqliteEventStore(path));
    const { url } = srv;
    expect(
      (await http(url, 'POST', '/cases/SQ-1/events', { token: TOKENS.recorder, body: acceptedBody() })).status,
    ).toBe(201);
    await srv.store.close();

    const single = await http(url, 'POST', '/cases/SQ-1/events', { token: TOKENS.recorder, body: escalation() });
    expect(single.status).toBe(503);
    expect(single.body.error.code).toBe('store-unavailable');
    const fresh = await http(url, 'POST', '/cases/SQ-2/events', { token: TOKENS.recorder, body: acceptedBody() });
    expect(fresh.status).toBe(503);
    await expectStoreDown(url, 'SQ-3', 'SQ-1');
    expect((await http(url, 'GET', '/healthz')).status).toBe(200); // alive, just not ready

    const reopened = new SqliteEventStore(path);
    const stored: string[] = [];
    for await (const e of reopened.readAll()) stored.push(`${e.streamId}:${e.type}`);
    await reopened.close();
    expect(stored).toEqual(['case-SQ-1:CaseAccepted']);
    expect(srv.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});

/** With the store down: a batch answers 503 per event, /readyz is 503 with store down, the gauge is 0. */
async function expectStoreDown(url: string, newCaseId: string, existingCaseId: string): Promise<void> {
  const batch = await http(url, 'POST', '/events', {
    token: TOKENS.recorder,
    body: {
      events: [
        { ...acceptedBody(), caseId: newCaseId },
        { ...escalation(), caseId: existingCaseId },
      ],
    },
  });
  expect(batch.status).toBe(200);
  expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([503, 503]);
  const ready = await http(url, 'GET', '/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.store).toBe('down');
  expect(await metric(url, 'supervision_store_up')).toBe(0);
}
