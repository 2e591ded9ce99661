/**
 * POST /cases/{caseId}/events and POST /complaints/{complaintId}/events take one event, so their
 * bodies are limited to 64 KB (src/api/bodyLimits.ts): the largest valid event fits several times
 * over, a 0.5 MB junk body is refused before it is parsed. No body nests deeper than 32 levels, and
 * none is read from a role that may not write to its route.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BODY_ROUTES, CASE_EVENT_BODY_LIMIT_BYTES, MAX_JSON_DEPTH } from '../../src/api/bodyLimits.js';
import { accepted, call, startTestServer, TOKENS, unusedReadModels, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-22T10:00:00+08:00', readModels: unusedReadModels });
});
afterEach(async () => {
  await srv.close();
});

/** JSON with every non-ASCII character sent as a `\uXXXX` escape: the most bytes a valid string can take. */
const escapedJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const postRaw = (caseId: string, raw: string) =>
  call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, {
    token: TOKENS.recorder,
    rawBody: raw,
    headers: { 'content-type': 'application/json' },
  });

async function streamLength(caseId: string): Promise<number> {
  let n = 0;
  for await (const _ of srv.store.readStream(`case-${caseId}`)) n++;
  return n;
}

const CASE_ID = `L${'9'.repeat(63)}`; // 64 characters, the longest case id
const name = '审'.repeat(200); // the longest Name
const note = '批'.repeat(2000); // the longest Note

describe('the 64 KB body limit of POST /cases/{caseId}/events', () => {
  it('takes the largest valid events, each well under the limit even fully escaped', async () => {
    const { caseId: _omit, ...open } = accepted(CASE_ID, '2025-09-22T09:00:00+08:00', {
      centerId: name,
      departmentId: name,
      matterCode: name,
      matterName: name,
      actor: name,
      legalDays: 365,
      promisedDays: 365,
      category: 'public-service',
      eventId: randomUUID(),
    });
    const escalated = {
      type: 'CaseEscalated',
      caseId: CASE_ID,
      occurredAt: '2025-09-22T09:30:00.000+08:00',
      level: 'supervision',
      by: name,
      actor: name,
      note,
      respondWithinDays: 365,
      escalationId: 'e'.repeat(64),
      eventId: randomUUID(),
    };
    const bodies = [escapedJson(open), escapedJson(escalated)];
    for (const body of bodies) {
      expect(Buffer.byteLength(body)).toBeLessThan(CASE_EVENT_BODY_LIMIT_BYTES / 3);
      const res = await postRaw(CASE_ID, body);
      expect(res.body).toMatchObject({ caseId: CASE_ID });
      expect(res.status).toBe(201);
    }
    expect(await streamLength(CASE_ID)).toBe(2);
  });

  it('answers 413 naming the 64 KB limit for a 65 KB body (under the 1 MB of the batch route), nothing written', async () => {
    const { caseId: _omit, ...open } = accepted('BIG-1', '2025-09-22T09:00:00+08:00');
    const body = JSON.stringify({ ...open, matterName: 'x'.repeat(65 * 1024) });
    const res = await postRaw('BIG-1', body);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload-too-large');
    expect(res.body.error.message).toContain('64 KB');
    expect(await streamLength('BIG-1')).toBe(0);
    // The batch route keeps its 1 MB limit: the same body is read and refused for what it says (400).
    const batch = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      rawBody: JSON.stringify({ events: [{ ...open, caseId: 'BIG-1', matterName: 'x'.repeat(65 * 1024) }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(batch.status).toBe(200);
  });
});

describe('the 64 KB body limit of POST /complaints/{complaintId}/events (one event too)', () => {
  it('answers 413 naming the 64 KB limit, unread, nothing written', async () => {
    const body = JSON.stringify({
      type: 'ComplaintReceived',
      occurredAt: '2025-09-22T09:00:00+08:00',
      channel: 'hotline',
      centerId: 'center-A',
      subject: 'x'.repeat(65 * 1024),
    });
    const res = await call(srv.baseUrl, 'POST', '/complaints/K-1/events', {
      token: TOKENS.recorder,
      rawBody: body,
      headers: { 'content-type': 'application/json' },
    });
    expect([res.status, res.body.error.code]).toEqual([413, 'payload-too-large']);
    expect(res.body.error.message).toContain('64 KB');
    const stored: unknown[] = [];
    for await (const e of srv.store.readStream('complaint-K-1')) stored.push(e);
    expect(stored).toEqual([]);
  });
});

describe('how deep a body may nest', () => {
  const nested = (depth: number) => `{"events":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels, gzipped or not, naming the body`, async () => {
    const deep = nested(480_000);
    for (const headers of [{}, { 'content-encoding': 'gzip' }]) {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${srv.baseUrl}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.recorder}`, 'content-type': 'application/json', ...headers },
        });
        req.on('response', (r) => {
          let body = '';
          r.setEncoding('utf8').on('data', (d: string) => {
            body += d;
          });
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end('content-encoding' in headers ? gzipSync(deep) : deep);
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error).toMatchObject({ code: 'invalid-request', details: [{ field: '(body)' }] });
    }
    // At the limit the body is read, and its one "event" (an array) refused for what it is.
    const atLimit = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      rawBody: nested(MAX_JSON_DEPTH),
      headers: { 'content-type': 'application/json' },
    });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.results).toHaveLength(1);
    expect(atLimit.body.results[0]).toMatchObject({ status: 400, error: { code: 'invalid-event' } });
  });
});

describe('a body is read only from a role that may write to its route', () => {
  it('answers a monitor 403 before its body is sent', async () => {
    const answer = new Promise<number>((resolve, reject) => {
      const req = http.request(`${srv.baseUrl}/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKENS.monitor}`,
          'content-type': 'application/json',
          'content-length': String(1000),
        },
      });
      req.on('response', (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', () => undefined);
      req.write('{"events":['); // the rest never comes: only an answer that did not wait for it arrives
      setTimeout(() => reject(new Error('the server waited for the body of a role that may not send it')), 5000);
    });
    expect(await answer).toBe(403);
  });

  it("gives each role the same 403, with a body or without, as the route's own check", async () => {
    const paths: Record<string, string> = {
      '/cases/C-1/events': '/cases/C-1/events',
      '/complaints/K-1/events': '/complaints/K-1/events',
    };
    const pathOf = (route: (typeof BODY_ROUTES)[number]): string =>
      Object.values(paths).find((p) => route.path.test(p)) ??
      (route.path.test('/events') ? '/events' : route.path.test('/directory') ? '/directory' : '/calendar/2025');
    for (const route of BODY_ROUTES) {
      for (const token of [TOKENS.monitor, TOKENS.auditor, TOKENS.recorder, TOKENS.admin]) {
        const path = pathOf(route);
        const bare = await call(srv.baseUrl, route.method, path, { token });
        const withBody = await call(srv.baseUrl, route.method, path, { token, body: { junk: true } });
        expect([path, withBody.status === 403, withBody.body.error?.message]).toEqual([
          path,
          bare.status === 403,
          bare.status === 403 ? bare.body.error.message : withBody.body.error?.message,
        ]);
      }
    }
  });
});

describe('a body declared in another charset than UTF-8', () => {
  it('is refused naming the charset, and nothing is written (was: "request body is not valid JSON")', async () => {
    const event = accepted('CHARSET-1', '2025-09-22T09:00:00+08:00');
    for (const charset of ['utf-16', 'UTF-16LE', '"utf-32"', 'latin1', 'utf8']) {
      const res = await call(srv.baseUrl, 'POST', '/cases/CHARSET-1/events', {
        token: TOKENS.recorder,
        rawBody: JSON.stringify(event),
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expect(res.status, charset).toBe(400);
      expect(res.body.error.code, charset).toBe('unsupported-encoding');
      expect(res.body.error.message, charset).toContain(`charset ${charset.replaceAll('"', '')} is not supported`);
    }
    expect(await streamLength('CHARSET-1')).toBe(0);
    // UTF-8, named or not, is read.
    for (const [i, contentType] of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"'].entries()) {
      const res = await call(srv.baseUrl, 'POST', `/cases/CHARSET-${i + 2}/events`, {
        token: TOKENS.recorder,
        rawBody: JSON.stringify(accepted(`CHARSET-${i + 2}`, '2025-09-22T09:00:00+08:00')),
        headers: { 'content-type': contentType },
      });
      expect(res.status, contentType).toBe(201);
    }
  });
});
