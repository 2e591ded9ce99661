/**
 * A misspelt parameter, an unknown field or an If-Match a route cannot honour is refused by name
 * (400), never ignored: an auditor's `?asof=` must not quietly answer the case as it is now, and a
 * caller sending If-Match to a write that cannot compare revisions must not believe it was
 * conditional. Every path of the OpenAPI document is asked, so a route added later is held to it.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ now: '2026-03-02T10:00:00+08:00' });
});
afterAll(async () => {
  await srv.close();
});

/** A GET with a body (fetch will not send one). */
function getWithBody(
  path: string,
  body: string,
): Promise<{ status: number; body: { error: { details: { field: string }[] } } }> {
  return new Promise((resolve, reject) => {
    const req = request(`${srv.baseUrl}${path}`, {
      method: 'GET',
      headers: {
        authorization: `Bearer ${TOKENS.auditor}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Routes with nothing a parameter could change: probes and scrapers may add their own. */
const OPEN_ROUTES = ['/healthz', '/readyz', '/metrics', '/openapi.json'];

const concrete = (path: string) =>
  path.replace('{caseId}', 'C-1').replace('{complaintId}', 'Q-1').replace('{year}', '2026');

async function operations(): Promise<[string, string][]> {
  const doc = (await call(srv.baseUrl, 'GET', '/openapi.json')).body as { paths: Record<string, object> };
  return Object.entries(doc.paths)
    .filter(([path]) => !OPEN_ROUTES.includes(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method): [string, string] => [method.toUpperCase(), path]));
}

describe('unknown inputs are refused by name', () => {
  it('every route of the OpenAPI document refuses a parameter it does not take', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(15);
    for (const [method, path] of ops) {
      const res = await call(srv.baseUrl, method, `${concrete(path)}?asof=2026-01-01T00:00:00%2B08:00`, {
        token: TOKENS.admin,
        ...(method === 'GET' ? {} : { body: {} }),
      });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.details[0].field, `${method} ${path}`).toBe('asof');
    }
  });

  it('a write that cannot compare revisions refuses If-Match, and writes nothing', async () => {
    const event = {
      type: 'CaseAccepted',
      caseId: 'IM-1',
      occurredAt: '2026-03-02T09:00:00+08:00',
      centerId: 'c1',
      departmentId: 'd1',
      matterCode: 'M1',
      kind: 'promised',
      promisedDays: 5,
    };
    const batch = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      body: { events: [event] },
      headers: { 'If-Match': '0' },
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error.details[0].field).toBe('If-Match');
    const calendar = await call(srv.baseUrl, 'PUT', '/calendar/2027', {
      token: TOKENS.admin,
      body: { holidays: ['2027-01-01'], workdays: [] },
      headers: { 'If-Match': '3' },
    });
    expect(calendar.status).toBe(400);
    expect(calendar.body.error.details[0].field).toBe('If-Match');
    expect((await call(srv.baseUrl, 'GET', '/cases/IM-1', { token: TOKENS.auditor })).status).toBe(404);
  });

  it('a batch with a field besides events is refused naming it', async () => {
    const res = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      body: { events: [], dryRun: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('dryRun');
  });

  it('a calendar notice with an unknown field, or a day listed twice, is refused naming it', async () => {
    const put = (body: unknown) => call(srv.baseUrl, 'PUT', '/calendar/2026', { token: TOKENS.admin, body });
    const extra = await put({ holidays: [], workdays: [], extra: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.error.details.map((d: { field: string }) => d.field)).toEqual(['extra']);
    const twice = await put({ holidays: ['2026-01-01', '2026-01-02', '2026-01-01'], workdays: [] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details).toContainEqual({
      field: 'holidays[2]',
      message: '2026-01-01 is listed already, as holidays[0]',
    });
    // A regional notice of no day, and a blank note (probe 2: both were recorded).
    const empty = await put({ holidays: [], workdays: [], region: 'xj' });
    expect([empty.status, empty.body.error.details[0].field]).toEqual([400, 'holidays']);
    const blank = await put({ holidays: ['2026-03-05'], workdays: [], region: 'xj', note: '   ' });
    expect([blank.status, blank.body.error.details[0].field]).toEqual([400, 'note']);
  });

  it('an unknown name is quoted cut to 64 characters, and at most 20 of them, wherever it is sent', async () => {
    // A key is a caller's text like any other: an answer quoting it whole grows with what was sent (session 26).
    const long = `x${'张'.repeat(5000)}`;
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`junk${i}`, i]));
    const answers = [
      await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events: [], [long]: 1 } }),
      await call(srv.baseUrl, 'GET', `/cases?${'q'.repeat(4000)}=1`, { token: TOKENS.auditor }),
      await call(srv.baseUrl, 'PUT', '/calendar/2026', {
        token: TOKENS.admin,
        body: { holidays: [], workdays: [], [long]: 1, ...many },
      }),
      await call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body: { centers: [], [long]: 1, ...many } }),
      await call(srv.baseUrl, 'PUT', '/directory', {
        token: TOKENS.admin,
        body: { centers: [{ centerId: 'c1', name: '一中心', level: 'city', [long]: 1, ...many }], departments: [] },
      }),
    ];
    for (const [i, res] of answers.entries()) {
      expect(res.status, `answer ${i}`).toBe(400);
      const fields: string[] = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields.length, `answer ${i}: ${fields.length} details`).toBeLessThanOrEqual(21);
      expect(Math.max(...fields.map((f) => f.length)), `answer ${i}`).toBeLessThanOrEqual(80);
      expect(JSON.stringify(res.body).length, `answer ${i}`).toBeLessThan(8000);
    }
  });

  it('a batch of 1,000 events with 21 unknown fields each is answered in at most 3 times its size, the first error naming the fields', async () => {
    // Each unknown field was one error repeating the type's fields, in the message and the details:
    // 10 MB for a request of 180 KB (session 28).
    const unknown = Object.fromEntries(Array.from({ length: 21 }, (_, k) => [`x${k}`, 1]));
    const events = Array.from({ length: 1000 }, (_, i) => ({
      ...accepted(`UF-${i}`, '2026-03-02T09:00:00+08:00'),
      ...unknown,
    }));
    const rawBody = JSON.stringify({ events });
    const head = await srv.store.headPosition();
    const res = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      rawBody,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(3 * Buffer.byteLength(rawBody));
    expect(res.body.results.every((r: { status: number }) => r.status === 400)).toBe(true);
    const [first] = res.body.results;
    expect(first.error.code).toBe('invalid-event');
    expect(first.error.details).toEqual([
      {
        field: 'x0',
        message: expect.stringMatching(
          /^unknown field: CaseAccepted has no such field \(its fields are type, caseId, .*category\)$/,
        ),
      },
      {
        field: '(body)',
        message: `20 more unknown fields: ${Array.from({ length: 19 }, (_, k) => `x${k + 1}`).join(', ')}, and 1 not named`,
      },
    ]);
    expect(first.error.message).toMatch(/^x0: unknown field: CaseAccepted has no such field \(its fields are /);
    expect(await srv.store.headPosition()).toBe(head);
  });

  it('no body is read for an unknown caller (401, not a parse error), and a GET takes none', async () => {
    const anonymous = await call(srv.baseUrl, 'POST', '/complaints/C01/events', {
      rawBody: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);
    const unknown = await call(srv.baseUrl, 'PUT', '/directory', {
      token: 'not-a-known-token-0000000000000',
      rawBody: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect(unknown.status).toBe(401);
    // An asOf in a GET's body would be ignored: the case as it is now would answer as if it applied.
    const withBody = await getWithBody('/cases/C-1', JSON.stringify({ asOf: '2026-01-01T00:00:00+08:00' }));
    expect([withBody.status, withBody.body.error.details[0]?.field]).toEqual([400, '(body)']);
  });

  it('an error answered before any route (a body that is not JSON) is not stored by a cache either', async () => {
    const res = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      rawBody: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
