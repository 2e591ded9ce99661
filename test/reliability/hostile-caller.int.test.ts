/**
 * Regressions of issue 13 (the hostile caller), in process on the memory store:
 * a wrong method is 405 with `Allow`, Basic auth is told a bearer token is
 * required.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { http, startAppServer, TOKENS, type AppServer } from './support/app-server.js';

let srv: AppServer;
beforeAll(async () => {
  srv = await startAppServer(new MemoryEventStore());
});
afterAll(async () => {
  await srv.close();
});

describe('defect 6: wrong method, wrong scheme', () => {
  it.each([
    ['DELETE', '/alerts', 'GET, HEAD'],
    ['POST', '/alerts/stream', 'GET, HEAD'],
    ['GET', '/events', 'POST'],
    ['PATCH', '/cases/C-1/events', 'POST'],
    ['DELETE', '/cases/C-1', 'GET, HEAD'],
    ['POST', '/calendar/2025', 'GET, HEAD, PUT'],
    ['PUT', '/healthz', 'GET, HEAD'],
  ])('%s %s answers 405 with Allow: %s', async (method, path, allow) => {
    const res = await http(srv.url, method, path, { token: TOKENS.admin });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.body.error.code).toBe('method-not-allowed');
    expect(res.body.error.message).toContain(allow);
  });

  it('an unknown path is still 404, and a right method still reaches its route', async () => {
    expect((await http(srv.url, 'DELETE', '/nothing-here', { token: TOKENS.admin })).status).toBe(404);
    expect((await http(srv.url, 'GET', '/alerts', { token: TOKENS.admin })).status).toBe(200);
  });

  it('Authorization: Basic answers 401 "bearer token required"; no header at all says the token is missing', async () => {
    const basic = await http(srv.url, 'GET', '/alerts', {
      headers: { authorization: `Basic ${Buffer.from(`admin:${TOKENS.admin}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
    expect(basic.body.error.message).toMatch(/^bearer token required/);
    const none = await http(srv.url, 'GET', '/alerts');
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/^missing bearer token/);
  });
});
