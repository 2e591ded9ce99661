import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModels } from '../../src/projections/types.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

/** Read models whose case lookup has a bug: the app must answer 500 and log without secrets. */
const buggyReadModels = async () => {
  const readModels = {
    status: () => ({ caughtUp: true, lagEvents: 0, checkpoint: '-1', headPosition: '-1' }),
    waitForPosition: async () => true,
    evaluateCase: () => {
      throw new TypeError('boom in a read model');
    },
  } as unknown as ReadModels;
  return { readModels, stop: async () => {} };
};

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ readModels: buggyReadModels });
});
afterAll(async () => {
  await srv.close();
});

describe('unexpected errors', () => {
  it('answer 500 internal and are logged with the route pattern, never the token, path ids or body', async () => {
    const res = await call(srv.baseUrl, 'GET', '/cases/PRIVATE-77?asOf=2025-09-22T10:00:00%2B08:00', {
      token: TOKENS.monitor,
    });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'unexpected server error' } });
    const logged = JSON.stringify(srv.logger.entries);
    expect(srv.logger.entries.find((e) => e.level === 'error')?.fields).toMatchObject({
      method: 'GET',
      route: '/cases/:caseId',
    });
    expect(logged).toContain('boom in a read model');
    expect(logged).not.toContain(TOKENS.monitor);
    expect(logged).not.toContain('PRIVATE-77');
  });

  it("every answer carries a request id; a known token's refused and failed requests are logged with it, the route pattern and the status", async () => {
    const before = srv.logger.entries.length;
    const refused = await call(srv.baseUrl, 'GET', '/cases/PRIVATE-88?asOf=yesterday', {
      token: TOKENS.monitor,
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-request-id')).toBe('trace-42');
    const forbidden = await call(srv.baseUrl, 'GET', '/cases/PRIVATE-88', {
      token: TOKENS.recorder,
      headers: { 'x-request-id': 'trace-43' },
    });
    expect(forbidden.status).toBe(403);
    const anonymous = await call(srv.baseUrl, 'GET', '/cases/PRIVATE-88', { headers: { 'x-request-id': 'a b;c' } });
    expect(anonymous.status).toBe(401);
    const generated = anonymous.headers.get('x-request-id') ?? '';
    expect(generated).toMatch(/^[0-9a-f-]{36}$/); // not the caller's text, which was not a plain token
    const ok = await call(srv.baseUrl, 'GET', '/healthz');
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const lines = srv.logger.entries.slice(before);
    // The 401 anyone can cause is counted, not logged on its own (src/api/requestLog.int.test.ts).
    const single = lines.filter((e) => e.message === 'request refused');
    expect(single.map((e) => [e.fields?.['requestId'], e.fields?.['status'], e.fields?.['route']])).toEqual([
      ['trace-42', 400, '/cases/:caseId'],
      ['trace-43', 403, '/cases/:caseId'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('PRIVATE-88');
  });

  it('sets security headers (helmet) for plain HTTP and hides x-powered-by', async () => {
    const res = await call(srv.baseUrl, 'GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    // Plain HTTP: nothing asks a browser on a LAN address to fetch the pages' scripts over https.
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
