/**
 * A directory publication that moves a center to another region changes its cases' working days
 * (SPEC §3 regional days): the cards it withdraws are in the register live, and a rebuild of the
 * same store finds them again — the fold times each case under the regions of the directory as
 * recorded up to that point, not under the last directory read before the fold.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

const dirs: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An engine on the sqlite file `path`, its store stamping `recordedAt` with the engine's fake clock. */
async function engineOn(path: string, now: string, checkpointFile?: string, log: string[] = []): Promise<TestServer> {
  let server: TestServer | undefined;
  const store = new SqliteEventStore(path, { clock: () => (server as TestServer).clock.now });
  const projectionLog = (message: string) => log.push(message);
  server = await startTestServer({
    now,
    store,
    projectionLog,
    ...(checkpointFile === undefined ? {} : { checkpointFile }),
  });
  servers.push(server);
  return server;
}

async function closeEngine(srv: TestServer): Promise<void> {
  servers.splice(servers.indexOf(srv), 1);
  await srv.close();
}

const admin = (srv: TestServer, method: string, route: string, body: unknown) =>
  call(srv.baseUrl, method, route, { token: TOKENS.admin, body });

/** Region xj rests on Friday 11-27; a case of center kashgar (in no region yet) accepted Wednesday 11-25, 2 working days. */
async function recordCase(srv: TestServer): Promise<void> {
  const notice = await admin(srv, 'PUT', '/calendar/2026', { region: 'xj', holidays: ['2026-11-27'], workdays: [] });
  expect(notice.status, notice.text).toBe(200);
  srv.clock.set('2026-11-25T09:00:00+08:00');
  const body = accepted('R-1', '2026-11-25T09:00:00+08:00', { centerId: 'kashgar', promisedDays: 2 });
  const posted = await call(srv.baseUrl, 'POST', '/cases/R-1/events', { token: TOKENS.recorder, body });
  expect(posted.status, posted.text).toBe(201);
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 2_000)).toBe(true);
}

/** On Monday 11-30 10:00, the directory puts kashgar in region xj. */
async function moveCenter(srv: TestServer): Promise<void> {
  srv.clock.set('2026-11-30T10:00:00+08:00');
  const moved = await admin(srv, 'PUT', '/directory', {
    centers: [{ centerId: 'kashgar', name: '喀什市政务服务中心', level: 'district', region: 'xj' }],
    departments: [],
  });
  expect(moved.status, moved.text).toBe(200);
}

const NOW = '2026-11-30T10:00:00+08:00';

const withdrawn = async (srv: TestServer) => {
  const res = await call(srv.baseUrl, 'GET', '/cards/withdrawn?from=2026-11-01&to=2026-12-01', {
    token: TOKENS.auditor,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
};

describe('a center moved to another region', () => {
  it('withdraws the cards its regional holiday moves, live and again after a rebuild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'region-move-'));
    dirs.push(dir);
    const path = join(dir, 'events.db');
    const live = await engineOn(path, '2026-11-20T10:00:00+08:00');
    await recordCase(live);
    await moveCenter(live);
    // Due Friday 11-27 before, Monday 11-30 now: the warning shown since 11-27 and the red card
    // shown since 11-28 are withdrawn by the move.
    const found = await withdrawn(live);
    expect(found.items.map((c: { rule: string; startedAt: string }) => [c.rule, c.startedAt])).toEqual([
      ['deadline-warning', '2026-11-27T00:00:00.000+08:00'],
      ['overdue', '2026-11-28T00:00:00.000+08:00'],
    ]);
    // The calendar's days did not change: what withdrew them is the directory's version 1.
    expect(found.items[0].withdrawnBy).toMatchObject({ directoryVersion: 1, previousDirectoryVersion: 0 });
    expect(found.items[0].withdrawnBy.calendarVersion).toBe(found.items[0].withdrawnBy.previousCalendarVersion);
    const csv = await call(live.baseUrl, 'GET', '/cards/withdrawn?from=2026-11-01&to=2026-12-01', {
      token: TOKENS.auditor,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text).toContain('目录区域变更 v0 → v1');
    await closeEngine(live);

    const rebuilt = await engineOn(path, NOW);
    expect(await withdrawn(rebuilt)).toEqual(found);
  });

  it('a restart from a snapshot taken before the move replays it and finds the same cards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'region-move-'));
    dirs.push(dir);
    const path = join(dir, 'events.db');
    const checkpointFile = join(dir, 'snap.ndjson');
    const before = await engineOn(path, '2026-11-20T10:00:00+08:00', checkpointFile);
    await recordCase(before);
    await closeEngine(before); // its snapshot: directory version 0
    const takenBefore = readFileSync(checkpointFile);

    const live = await engineOn(path, '2026-11-25T09:00:00+08:00', checkpointFile);
    await moveCenter(live);
    const found = await withdrawn(live);
    expect(found.total).toBe(2);
    await closeEngine(live);

    writeFileSync(checkpointFile, takenBefore);
    const log: string[] = [];
    const restarted = await engineOn(path, NOW, checkpointFile, log);
    expect(log.join('\n')).toMatch(/resumed from snapshot at position 2 \(1 cases as objects/);
    expect(await withdrawn(restarted)).toEqual(found);
  });
});
