/**
 * Operations review (session 24): no request grows the metrics series without bound. The HTTP
 * histogram's `route` is a route template (or `unmatched`), never a path; its `status` and
 * `method` take few values; invented centers, kinds, scores and stages are not label values.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-29T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

/** Every label set of a metric (one string per series, `_bucket` lines folded by dropping `le`). */
async function seriesOf(metric: string): Promise<Set<string>> {
  const text = (await call(srv.baseUrl, 'GET', '/metrics')).text;
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} /.exec(line);
    if (m === null || !(m[1] as string).startsWith(metric)) continue;
    out.add((m[2] as string).replace(/le="[^"]*",?/, ''));
  }
  return out;
}
const labelValues = (series: Set<string>, label: string): Set<string> =>
  new Set([...series].map((s) => new RegExp(`${label}="([^"]*)"`).exec(s)?.[1] ?? ''));

/** A raw request (any method, any path bytes) — fetch refuses some of them. */
async function raw(method: string, path: string, token?: string): Promise<void> {
  const { request } = await import('node:http');
  const url = new URL(srv.baseUrl);
  await new Promise<void>((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', () => resolve());
    req.end();
  });
}

/** One round of hostile requests, each with fresh ids. */
async function hostileRound(): Promise<string[]> {
  const id = `x${randomUUID().slice(0, 8)}`;
  const paths = [
    `/cases/${id}`,
    `/cases/${id}/events`,
    `/cases/${id}/history`,
    `/cases/${id}/unknown`,
    `/complaints/${id}`,
    `/complaints/${id}/events`,
    `/calendar/${id}`,
    `/policies/${id}`,
    `/assets/css/${id}.css`,
    `/assets/${id}`,
    `/${id}`,
    `/${id}/${id}`,
    `/cases/${id}?applicant=${id}`,
    `/cases/%E4%B8%AD${id}`,
    `/cases/%ZZ${id}`,
    `//${id}`,
    `/cases/${id}/`,
  ];
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND'];
  for (const path of paths)
    for (const method of methods)
      for (const token of [undefined, TOKENS.monitor, TOKENS.recorder, 'not-a-known-token-000'])
        await raw(method, path, token);
  return [id];
}

describe('metrics cardinality', () => {
  it('the HTTP histogram holds route templates only, and hostile rounds add no series', async () => {
    const ids = await hostileRound();
    const first = await seriesOf('supervision_http_request_duration_seconds');
    ids.push(...(await hostileRound()), ...(await hostileRound()));
    const later = await seriesOf('supervision_http_request_duration_seconds');
    const routes = labelValues(later, 'route');
    for (const route of routes) {
      expect(route === 'unmatched' || /^(\/(:?[a-zA-Z]+|[a-z-]+(\.[a-z]+)?))+$|^\/$/.test(route), route).toBe(true);
      for (const id of ids) expect(route).not.toContain(id);
    }
    for (const status of labelValues(later, 'status')) expect(status).toMatch(/^[1-5]\d\d$/);
    // Two more rounds of fresh ids made no new series (the metrics scrapes themselves excepted).
    const added = [...later].filter((s) => !first.has(s) && !s.includes('route="/metrics"'));
    expect(added).toEqual([]);
  }, 120_000);

  it('invented centers, and stored events with kinds and scores outside SPEC §2, add no label value', async () => {
    const post = (caseId: string, body: Record<string, unknown>) =>
      call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
    for (let i = 0; i < 20; i++) {
      const { caseId: _c, ...body } = accepted(`C-${i}`, '2025-09-29T09:00:00+08:00', { centerId: `invented-${i}` });
      expect((await post(`C-${i}`, body)).status).toBe(201);
      expect(
        (await post(`C-${i}`, { type: 'CaseCompleted', outcome: 'approved', occurredAt: '2025-09-29T09:10:00+08:00' }))
          .status,
      ).toBe(201);
      expect(
        (
          await post(`C-${i}`, {
            type: 'CaseRated',
            score: (i % 5) + 1,
            channel: 'sms',
            occurredAt: '2025-09-29T09:20:00+08:00',
          })
        ).status,
      ).toBe(201);
      // The API refuses what the store might still hold (another writer of a shared store, an old version).
      expect((await post(`K-${i}`, { ...body, kind: `kind-${i}` })).status).toBe(400);
    }
    // Written to the store directly, past the API's codecs.
    for (let i = 0; i < 5; i++) {
      const caseId = `S-${i}`;
      const data = { ...accepted(caseId, '2025-09-29T09:00:00+08:00'), kind: `stored-kind-${i}`, promisedDays: 3 };
      await srv.store.append(`case-${caseId}`, [{ eventId: randomUUID(), type: 'CaseAccepted', data }]);
      const rated = {
        type: 'CaseRated',
        caseId,
        score: 10 + i,
        channel: 'sms',
        occurredAt: '2025-09-29T09:20:00+08:00',
      };
      const done = { type: 'CaseCompleted', caseId, outcome: 'approved', occurredAt: '2025-09-29T09:10:00+08:00' };
      await srv.store.append(`case-${caseId}`, [
        { eventId: randomUUID(), type: 'CaseCompleted', data: done },
        { eventId: randomUUID(), type: 'CaseRated', data: rated },
      ]);
    }
    const head = await srv.store.headPosition();
    await srv.readModels.waitForPosition(BigInt(head ?? 0), 5000);
    srv.clock.advance(1000);
    await call(srv.baseUrl, 'GET', '/cases', { token: TOKENS.monitor }); // settles the projections
    const allowedKinds = new Set(['instant', 'promised', 'joint', 'referred']);
    for (const metric of ['supervision_cases_accepted_total', 'supervision_cases_completed_total']) {
      const series = await seriesOf(metric);
      expect(labelValues(series, 'center')).toEqual(new Set(['unregistered']));
      for (const kind of labelValues(series, 'kind'))
        expect(allowedKinds.has(kind) || kind === 'other', `${metric} kind=${kind}`).toBe(true);
    }
    // Counted, under `other`: 5 stored cases of a kind outside SPEC §2, 5 scores outside 1–5.
    expect(labelValues(await seriesOf('supervision_cases_accepted_total'), 'kind')).toContain('other');
    const ratings = await seriesOf('supervision_ratings_total');
    expect(labelValues(ratings, 'score')).toContain('other');
    expect(labelValues(ratings, 'center')).toEqual(new Set(['unregistered']));
    for (const score of labelValues(ratings, 'score'))
      expect(['1', '2', '3', '4', '5', 'other'], `score=${score}`).toContain(score);
  });
});
