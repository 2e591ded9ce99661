/**
 * The directory over HTTP (SPEC §4, issue 16 item 1): PUT then GET, refusals
 * naming the entry, roles, restart, names in the report and its CSV, the
 * metrics `center` label, and regional days by the center's region (SPEC §3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import { listen, type Listening } from '../support/server.js';
import { accepted, call, FakeClock, TOKEN_CONFIG, TOKENS, ZONE } from './harness.js';

interface Running {
  readonly engine: Engine;
  readonly server: Listening;
  readonly base: string;
  readonly clock: FakeClock;
}

const running: Running[] = [];
const dirs: string[] = [];

async function start(store = 'memory', checkpointFile?: string, now = '2025-09-22T10:00:00+08:00'): Promise<Running> {
  const clock = new FakeClock(Date.parse(now));
  const engine = await createEngine({
    store,
    zone: ZONE,
    tokens: TOKEN_CONFIG,
    scheduler: clock.scheduler,
    metrics: { defaultMetrics: false },
    ...(checkpointFile === undefined ? {} : { checkpointFile }),
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const server = await listen(engine.app);
  const r = { engine, server, base: server.baseUrl, clock };
  running.push(r);
  return r;
}

async function stop(r: Running): Promise<void> {
  running.splice(running.indexOf(r), 1);
  await r.server.close();
  await r.engine.close();
}

afterEach(async () => {
  for (const r of [...running]) await stop(r);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DIRECTORY = {
  centers: [
    { centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district' },
    { centerId: 'street-huashan', name: '华山街道为民服务中心', level: 'street', parentId: 'district-wuhua' },
    { centerId: 'community-cuihu', name: '翠湖社区服务站', level: 'community', parentId: 'street-huashan' },
  ],
  departments: [
    { departmentId: 'health', name: '区卫健局', centerId: 'district-wuhua', contact: '0871-64100000' },
    { departmentId: 'market-regulation', name: '区市场监管局' },
  ],
};

const put = (r: Running, body: unknown, token: string = TOKENS.admin, headers: Record<string, string> = {}) =>
  call(r.base, 'PUT', '/directory', { token, body, headers });

describe('GET /directory, PUT /directory', () => {
  it('round trip: PUT (admin) then GET (monitor, auditor) gives the directory back with its version', async () => {
    const r = await start();
    const before = await call(r.base, 'GET', '/directory', { token: TOKENS.monitor });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ version: 0, centers: [], departments: [] });
    const res = await put(r, DIRECTORY);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, ...DIRECTORY });
    for (const token of [TOKENS.monitor, TOKENS.auditor, TOKENS.admin]) {
      const got = await call(r.base, 'GET', '/directory', { token });
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ version: 1, publishedAt: '2025-09-22T02:00:00.000Z', ...DIRECTORY });
    }
    // Kept as an event on directory-CN: every change is on record.
    const stored = [];
    for await (const e of r.engine.store.readStream('directory-CN')) stored.push(e);
    expect(stored.map((e) => e.type)).toEqual(['DirectoryPublished']);
  });

  it('the same directory again records nothing; If-Match guards against a lost update', async () => {
    const r = await start();
    expect((await put(r, DIRECTORY, TOKENS.admin, { 'If-Match': '0' })).body.version).toBe(1);
    const again = await put(r, DIRECTORY);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, unchanged: true });
    const stale = await put(r, { ...DIRECTORY, departments: [] }, TOKENS.admin, { 'If-Match': '0' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('revision-conflict');
    const next = await put(r, { ...DIRECTORY, departments: [] }, TOKENS.admin, { 'If-Match': '1' });
    expect(next.body).toMatchObject({ version: 2, departments: [] });
    // A GET answer sent back edited: its version is checked like If-Match, its publishedAt ignored.
    const view = (await call(r.base, 'GET', '/directory', { token: TOKENS.admin })).body;
    const edited = await put(r, { ...view, departments: DIRECTORY.departments });
    expect(edited.body).toMatchObject({ version: 3, departments: DIRECTORY.departments });
    const stale2 = await put(r, { ...view, departments: [] });
    expect(stale2.status).toBe(409);
    expect((await put(r, { ...view, version: -1 })).body.error.details).toEqual([
      { field: 'version', message: 'must be the version GET /directory answered, an integer ≥ 0' },
    ]);
  });

  it('a retry of the write in force answers unchanged whatever version it names; other content with a stale version stays 409', async () => {
    const r = await start();
    expect((await put(r, DIRECTORY, TOKENS.admin, { 'If-Match': '0' })).body.version).toBe(1);
    // The first answer was lost: the retry sends the same body and the same (now stale) version.
    const retried = await put(r, DIRECTORY, TOKENS.admin, { 'If-Match': '0' });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ version: 1, unchanged: true, ...DIRECTORY });
    expect(retried.body.position).toBeUndefined();
    const view = (await call(r.base, 'GET', '/directory', { token: TOKENS.admin })).body;
    expect((await put(r, { ...view, version: 0 })).body).toMatchObject({ version: 1, unchanged: true });
    expect((await put(r, DIRECTORY, TOKENS.admin, { 'If-Match': '7' })).body).toMatchObject({
      version: 1,
      unchanged: true,
    });
    const other = await put(r, { ...DIRECTORY, departments: [] }, TOKENS.admin, { 'If-Match': '0' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('revision-conflict');
    const stored: { type: string }[] = [];
    for await (const e of r.engine.store.readStream('directory-CN')) stored.push(e);
    expect(stored.map((e) => e.type)).toEqual(['DirectoryPublished']);
  });

  it('an unreadable event in directory-CN is skipped, and the next publication is still taken, not refused 409 for ever', async () => {
    const r = await start();
    expect((await put(r, DIRECTORY)).body.version).toBe(1);
    // Written past the API (another tool, a later version's event): skipped by the engine.
    const { position } = await r.engine.store.append('directory-CN', [
      { eventId: '0f9ad2c4-5b4e-4a39-9a0e-3d2b1c4e5f60', type: 'DirectoryPublished', data: { centers: 'not a list' } },
    ]);
    expect(await r.engine.readModels.waitForPosition(position, 5_000)).toBe(true);
    expect((await call(r.base, 'GET', '/directory', { token: TOKENS.admin })).body.version).toBe(1);
    const next = await put(r, { ...DIRECTORY, departments: [] }, TOKENS.admin, { 'If-Match': '1' });
    expect(next.status, next.text).toBe(200);
    expect(next.body).toMatchObject({ version: 3, departments: [] });
    const stored: { type: string; revision: bigint }[] = [];
    for await (const e of r.engine.store.readStream('directory-CN')) stored.push(e);
    expect(stored.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
  });

  it('only an admin publishes (403 for monitor, auditor, recorder); a recorder may not read it', async () => {
    const r = await start();
    for (const token of [TOKENS.monitor, TOKENS.auditor, TOKENS.recorder]) {
      expect((await put(r, DIRECTORY, token)).status).toBe(403);
    }
    expect((await call(r.base, 'GET', '/directory', { token: TOKENS.recorder })).status).toBe(403);
    expect((await call(r.base, 'GET', '/directory', {})).status).toBe(401);
    expect((await call(r.base, 'GET', '/directory', { token: TOKENS.monitor })).body.version).toBe(0);
  });

  it('a bad directory is refused with 400 naming each bad entry, and nothing is recorded', async () => {
    const r = await start();
    const res = await put(r, {
      centers: [
        { centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'county' },
        { centerId: 'district-wuhua', name: '重复', level: 'district' },
        { centerId: 'street\na', name: '换行', level: 'street' },
      ],
      departments: [],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-directory');
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(['centers[0].level', 'centers[2].centerId', 'centers[1].centerId']);
    expect(res.body.error.message).toContain(
      'centers[2].centerId: must be an id of 1–200 characters on one line, as case events carry',
    );
    expect(res.body.error.message).toContain('centers[0] (district-wuhua): level must be one of');
    expect(res.body.error.message).toContain('duplicate centerId district-wuhua (also centers[0])');

    const cycle = await put(r, {
      centers: [
        { centerId: 'a', name: 'A', level: 'street', parentId: 'b' },
        { centerId: 'b', name: 'B', level: 'district', parentId: 'a' },
      ],
      departments: [{ departmentId: 'd', name: 'D', centerId: 'nowhere' }],
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details).toEqual([
      { field: 'departments[0].centerId', message: 'nowhere is not a center of this directory' },
    ]);
    const onlyCycle = await put(r, {
      centers: [
        { centerId: 'a', name: 'A', level: 'street', parentId: 'b' },
        { centerId: 'b', name: 'B', level: 'district', parentId: 'a' },
      ],
      departments: [],
    });
    expect(onlyCycle.body.error.message).toContain('parents form a cycle: a → b → a');
    // Names replace ids in pages and CSV: each one line someone can read (probe 2: a newline and a NUL were taken).
    const lines = await put(r, {
      centers: [{ centerId: 'a', name: '中心\n一', level: 'district' }],
      departments: [{ departmentId: 'd', name: 'D', contact: '\u0000' }],
    });
    expect(lines.status).toBe(400);
    expect((lines.body.error.details as { field: string }[]).map((d) => d.field)).toEqual([
      'centers[0].name',
      'departments[0].contact',
    ]);
    expect((await call(r.base, 'GET', '/directory', { token: TOKENS.admin })).body.version).toBe(0);
  });

  it('a restart keeps it: read back from the store, also when resuming from a snapshot past the publication', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'directory-restart-'));
    dirs.push(dir);
    const store = `sqlite:${join(dir, 'events.db')}`;
    const checkpoint = join(dir, 'checkpoint.json');
    const first = await start(store, checkpoint);
    await put(first, DIRECTORY);
    const post = await call(first.base, 'POST', '/cases/R-1/events', {
      token: TOKENS.recorder,
      body: accepted('R-1', '2025-09-22T09:00:00+08:00', { centerId: 'district-wuhua', departmentId: 'health' }),
    });
    expect(post.status).toBe(201);
    await stop(first); // writes the final snapshot: the next start resumes after the publication

    const second = await start(store, checkpoint);
    const got = await call(second.base, 'GET', '/directory', { token: TOKENS.monitor });
    expect(got.body).toMatchObject({ version: 1, ...DIRECTORY });
    const report = await call(second.base, 'GET', '/reports/monthly?month=2025-09', { token: TOKENS.monitor });
    expect(report.body.departments[0]).toMatchObject({ departmentId: 'health', name: '区卫健局', registered: true });
  });
});

describe('names beside ids; unknown ids counted apart as unregistered', () => {
  it('/reports/monthly and its CSV carry the names; an invented department is flagged and counted', async () => {
    const r = await start();
    await put(r, DIRECTORY);
    const events = [
      accepted('N-1', '2025-09-22T09:00:00+08:00', { centerId: 'district-wuhua', departmentId: 'health' }),
      accepted('N-2', '2025-09-22T09:10:00+08:00', { centerId: 'district-wuhua', departmentId: 'health' }),
      accepted('N-3', '2025-09-22T09:20:00+08:00', { centerId: 'center-invented', departmentId: 'dep-invented' }),
    ];
    const posted = await call(r.base, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
    expect(posted.status).toBe(200);

    const report = await call(r.base, 'GET', '/reports/monthly?month=2025-09&centerId=district-wuhua', {
      token: TOKENS.monitor,
    });
    // A center's report covers the centers under it by default (scope, docs/api.md): they are listed.
    expect(report.body.filter).toEqual({
      centerId: 'district-wuhua',
      centerName: '五华区政务服务中心',
      scope: 'subtree',
      centers: ['community-cuihu', 'district-wuhua', 'street-huashan'],
    });
    const all = await call(r.base, 'GET', '/reports/monthly?month=2025-09', { token: TOKENS.monitor });
    const rows = all.body.departments as { departmentId: string; name?: string; registered: boolean }[];
    expect(rows.map((d) => [d.departmentId, d.name, d.registered])).toEqual([
      ['dep-invented', undefined, false],
      ['health', '区卫健局', true],
    ]);
    expect(all.body.unregistered).toEqual({ groups: 1, accepted: 1 });

    const csv = await call(r.base, 'GET', '/reports/monthly?month=2025-09', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    const lines = csv.text.split('\r\n');
    expect(lines.find((l) => l.startsWith('health,'))).toContain(',区卫健局,');
    const invented = lines.find((l) => l.startsWith('dep-invented,'));
    expect(invented).toBeDefined();
    expect(invented).not.toMatch(/区卫健局|区市场监管局/);

    const stats = await call(r.base, 'GET', '/stats?from=2025-09-01&to=2025-10-01&groupBy=center', {
      token: TOKENS.monitor,
    });
    const groups = stats.body.groups as { key: string; name?: string; registered: boolean }[];
    expect(groups.map((g) => [g.key, g.name, g.registered])).toEqual([
      ['center-invented', undefined, false],
      ['district-wuhua', '五华区政务服务中心', true],
    ]);
    expect(stats.body.unregistered).toEqual({ groups: 1, accepted: 1 });
  });

  it('metrics: with a directory only its centers keep their id; invented centers count as unregistered', async () => {
    const r = await start();
    await put(r, DIRECTORY);
    const events = ['district-wuhua', 'invented-1', 'invented-2'].map((centerId, i) =>
      accepted(`M-${i}`, '2025-09-22T09:00:00+08:00', { centerId, departmentId: 'health' }),
    );
    expect((await call(r.base, 'POST', '/events', { token: TOKENS.recorder, body: { events } })).status).toBe(200);
    // The projections count accepted cases as they fold them (in slices, after the answer): wait for all three.
    const scrape = async () => (await call(r.base, 'GET', '/metrics', {})).text;
    const acceptedLines = (text: string) =>
      text.split('\n').filter((l) => l.startsWith('supervision_cases_accepted_total{'));
    await expect
      .poll(async () => acceptedLines(await scrape()).reduce((n, l) => n + Number(l.split(' ').pop()), 0))
      .toBe(3);
    const metrics = await scrape();
    const accepts = acceptedLines(metrics);
    expect(accepts).toContain('supervision_cases_accepted_total{center="district-wuhua",kind="promised"} 1');
    expect(accepts).toContain('supervision_cases_accepted_total{center="unregistered",kind="promised"} 2');
    expect(metrics).not.toContain('invented-');
    const open = metrics.split('\n').filter((l) => l.startsWith('supervision_cases_open{'));
    expect(open).toContain('supervision_cases_open{center="unregistered",status="open"} 2');
  });
});

describe('the metrics center label follows the directory (SPEC §7; operations review)', () => {
  const scrape = async (r: Running) => (await call(r.base, 'GET', '/metrics', {})).text;
  const acceptedLines = (text: string) =>
    text.split('\n').filter((l) => l.startsWith('supervision_cases_accepted_total{'));
  const acceptedCount = async (r: Running) =>
    acceptedLines(await scrape(r)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  const acceptAt = async (r: Running, caseId: string, centerId: string) => {
    const event = accepted(caseId, '2025-09-22T09:00:00+08:00', { centerId });
    const res = await call(r.base, 'POST', '/events', { token: TOKENS.recorder, body: { events: [event] } });
    expect(res.status, res.text).toBe(200);
  };

  it('before any directory no centerId becomes a label value; after one, a center that leaves it leaves the counters', async () => {
    const r = await start();
    await acceptAt(r, 'P-1', '张三-13800138000');
    await acceptAt(r, 'P-2', 'district-wuhua');
    await expect.poll(() => acceptedCount(r)).toBe(2);
    const before = await scrape(r);
    expect(acceptedLines(before)).toEqual([
      'supervision_cases_accepted_total{center="unregistered",kind="promised"} 2',
    ]);
    expect(before).not.toContain('13800138000');
    expect(before).not.toMatch(/center="district-wuhua"/);

    expect((await put(r, DIRECTORY)).status).toBe(200);
    await acceptAt(r, 'P-3', 'district-wuhua');
    await expect.poll(() => acceptedCount(r)).toBe(3);
    expect(acceptedLines(await scrape(r)).sort()).toEqual([
      'supervision_cases_accepted_total{center="district-wuhua",kind="promised"} 1',
      'supervision_cases_accepted_total{center="unregistered",kind="promised"} 2',
    ]);

    const without = { centers: [{ centerId: 'kunming', name: '昆明市政务服务中心', level: 'city' }], departments: [] };
    expect((await put(r, without)).status).toBe(200);
    await expect
      .poll(async () => acceptedLines(await scrape(r)))
      .toEqual(['supervision_cases_accepted_total{center="unregistered",kind="promised"} 2']);
    expect(await scrape(r)).not.toMatch(/center="district-wuhua"/);
  });
});

describe('regional days apply only to cases of centers of that region (SPEC §3)', () => {
  it("a center whose directory region has a regional holiday skips it; another center counts it; moving the center's region recomputes", async () => {
    const r = await start('memory', undefined, '2025-06-04T10:00:00+08:00');
    // 古尔邦节 2025-06-06 (Fri) as a regional holiday of region xj.
    const cal = await call(r.base, 'PUT', '/calendar/2025', {
      token: TOKENS.admin,
      body: { region: 'xj', holidays: ['2025-06-06'], workdays: [] },
    });
    expect(cal.status).toBe(200);
    const withRegion = {
      centers: [
        { centerId: 'kashgar', name: '喀什市政务服务中心', level: 'city', region: 'xj' },
        { centerId: 'kunming', name: '昆明市政务服务中心', level: 'city' },
      ],
      departments: [],
    };
    expect((await put(r, withRegion)).status).toBe(200);
    const events = ['kashgar', 'kunming'].map((centerId) =>
      accepted(`G-${centerId}`, '2025-06-04T09:00:00+08:00', { centerId, promisedDays: 2 }),
    );
    expect((await call(r.base, 'POST', '/events', { token: TOKENS.recorder, body: { events } })).status).toBe(200);
    const deadline = async (caseId: string) =>
      (await call(r.base, 'GET', `/cases/${caseId}`, { token: TOKENS.monitor })).body.deadlineDate;
    expect(await deadline('G-kashgar')).toBe('2025-06-09');
    expect(await deadline('G-kunming')).toBe('2025-06-06');

    // The directory moves kunming into xj and kashgar out of it: the cases are recomputed.
    const moved = {
      centers: [
        { centerId: 'kashgar', name: '喀什市政务服务中心', level: 'city' },
        { centerId: 'kunming', name: '昆明市政务服务中心', level: 'city', region: 'xj' },
      ],
      departments: [],
    };
    r.clock.advance(3_600_000);
    expect((await put(r, moved)).status).toBe(200);
    expect(await deadline('G-kashgar')).toBe('2025-06-06');
    expect(await deadline('G-kunming')).toBe('2025-06-09');
    // Same calendar version, other deadlines: each answer names the region whose days it applied.
    const region = async (caseId: string, query = '') =>
      (await call(r.base, 'GET', `/cases/${caseId}${query}`, { token: TOKENS.auditor })).body.calendarRegion;
    expect([await region('G-kunming'), await region('G-kashgar')]).toEqual(['xj', undefined]);
    expect(await region('G-kashgar', `?asKnownAt=${encodeURIComponent('2025-06-04T10:30:00+08:00')}`)).toBe('xj');

    // As known at K: the regions of the directory the store had recorded by K (SPEC §3 "What was known").
    const knownAt = async (caseId: string, k: string) =>
      (await call(r.base, 'GET', `/cases/${caseId}?asKnownAt=${encodeURIComponent(k)}`, { token: TOKENS.auditor })).body
        .deadlineDate;
    expect(await knownAt('G-kashgar', '2025-06-04T10:30:00+08:00')).toBe('2025-06-09');
    expect(await knownAt('G-kunming', '2025-06-04T10:30:00+08:00')).toBe('2025-06-06');
    // (At now: a later instant is not known yet and is refused.)
    expect(await knownAt('G-kashgar', '2025-06-04T11:00:00+08:00')).toBe('2025-06-06');
    expect(await knownAt('G-kunming', '2025-06-04T11:00:00+08:00')).toBe('2025-06-09');
  });
});
