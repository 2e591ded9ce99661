/**
 * `GET /directory?asKnownAt=K` (session 28, SPEC §3 "What was known"): the directory publication
 * the store had recorded by K, with its `version` and `publishedAt` — the directory whose names and
 * regions a card or complaint read as known at K used — so an auditor citing such a read can read
 * back the publication behind it. Before any publication by K: version 0, empty lists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const srv of servers.splice(0)) await srv.close();
});

async function start(now: string, store?: TestServer['store']): Promise<TestServer> {
  const srv = await startTestServer({ now, ...(store === undefined ? {} : { store }) });
  servers.push(srv);
  return srv;
}

const q = encodeURIComponent;

const directoryOf = (centerName: string, region?: string) => ({
  centers: [{ centerId: 'yb-1', name: centerName, level: 'city', ...(region === undefined ? {} : { region }) }],
  departments: [{ departmentId: 'dep-1', name: '州市场监管局', centerId: 'yb-1' }],
});

const get = (srv: TestServer, query = '', token: string = TOKENS.auditor) =>
  call(srv.baseUrl, 'GET', `/directory${query}`, { token });

describe('GET /directory?asKnownAt=K', () => {
  it('answers the publication in force at K with its version; a rename after K is not seen at K', async () => {
    const srv = await start('2026-11-16T08:00:00+08:00');
    const put = (body: unknown) => call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body });
    srv.clock.set('2026-11-16T09:00:00+08:00');
    const first = await put(directoryOf('延边州政务服务中心', 'YB'));
    expect([first.status, first.body.version]).toEqual([200, 1]);
    srv.clock.set('2026-11-16T10:00:00+08:00');
    const received = await call(srv.baseUrl, 'POST', '/complaints/Q-1/events', {
      token: TOKENS.recorder,
      body: {
        type: 'ComplaintReceived',
        occurredAt: '2026-11-16T10:00:00+08:00',
        channel: 'hotline',
        centerId: 'yb-1',
        departmentId: 'dep-1',
        subject: '窗口推诿',
      },
    });
    expect(received.status).toBe(201);
    // 11-20: the center is renamed (version 2).
    srv.clock.set('2026-11-20T10:00:00+08:00');
    const renamed = await put(directoryOf('延边州政务服务大厅', 'YB'));
    expect([renamed.status, renamed.body.version]).toEqual([200, 2]);

    const k = '2026-11-18T10:00:00+08:00';
    const then = await get(srv, `?asKnownAt=${q(k)}`);
    expect(then.status).toBe(200);
    expect(then.body).toEqual({
      version: 1,
      publishedAt: first.body.publishedAt,
      ...directoryOf('延边州政务服务中心', 'YB'),
      asKnownAt: '2026-11-18T10:00:00.000+08:00',
    });
    // The complaint read as known at K names the center as that publication does.
    const evidence = await call(srv.baseUrl, 'GET', `/complaints/Q-1?asKnownAt=${q(k)}`, { token: TOKENS.auditor });
    expect(evidence.body.centerName).toBe(then.body.centers[0].name);

    // Now: the renamed directory; as known now, the plain read with asKnownAt.
    const now = await get(srv);
    expect([now.body.version, now.body.centers[0].name]).toEqual([2, '延边州政务服务大厅']);
    const knownNow = await get(srv, `?asKnownAt=${q('2026-11-20T10:00:00+08:00')}`);
    expect(knownNow.body).toEqual({ ...now.body, asKnownAt: '2026-11-20T10:00:00.000+08:00' });
    // A millisecond before the rename was recorded: still version 1.
    expect((await get(srv, `?asKnownAt=${q('2026-11-20T09:59:59.999+08:00')}`)).body.version).toBe(1);
    // Before any publication: version 0, nothing, no publishedAt.
    expect((await get(srv, `?asKnownAt=${q('2026-11-16T08:30:00+08:00')}`)).body).toEqual({
      version: 0,
      centers: [],
      departments: [],
      asKnownAt: '2026-11-16T08:30:00.000+08:00',
    });
    // Monitors read the directory too; a recorder still may not.
    expect((await get(srv, `?asKnownAt=${q(k)}`, TOKENS.monitor)).body).toEqual(then.body);
    expect((await get(srv, `?asKnownAt=${q(k)}`, TOKENS.recorder)).status).toBe(403);

    // Another engine started on the same store reads the publications with the instants the store
    // recorded them at, and answers alike.
    const second = await start('2026-11-21T10:00:00+08:00', srv.store);
    expect((await get(second, `?asKnownAt=${q(k)}`)).body).toEqual(then.body);
  });

  it('refuses a bad asKnownAt with a 400 naming it, and any other parameter', async () => {
    const srv = await start('2026-11-20T10:00:00+08:00');
    for (const bad of ['2026-11-20T10:00:00.001+08:00', '2026-11-18', 'yesterday', '1999-12-31T23:00:00Z']) {
      const res = await get(srv, `?asKnownAt=${q(bad)}`);
      expect([bad, res.status, res.body.error.details]).toEqual([
        bad,
        400,
        [expect.objectContaining({ field: 'asKnownAt' })],
      ]);
    }
    const after = await get(srv, `?asKnownAt=${q('2026-11-20T10:00:00.001+08:00')}`);
    expect(after.body.error.message).toContain('must not be after now (2026-11-20T10:00:00.000+08:00)');
    const twice = await get(
      srv,
      `?asKnownAt=${q('2026-11-18T10:00:00+08:00')}&asKnownAt=${q('2026-11-18T10:00:00+08:00')}`,
    );
    expect([twice.status, twice.body.error.details[0].field]).toEqual([400, 'asKnownAt']);
    const asOf = await get(srv, `?asOf=${q('2026-11-18T10:00:00+08:00')}`);
    expect([asOf.status, asOf.body.error.details[0].field]).toEqual([400, 'asOf']);
  });
});
