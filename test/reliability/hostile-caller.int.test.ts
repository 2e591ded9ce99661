/**
 * Regressions of issue 13 (the hostile caller), in process on the memory store:
 * a wrong method is 405 with `Allow`, Basic auth is told a bearer token is
 * required, input the law cannot mean is 400 naming the field and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { acceptedBody, http, startAppServer, TOKENS, type AppServer } from './support/app-server.js';

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

describe('defect 5: input the law cannot mean', () => {
  it.each([
    ['year 0000', { occurredAt: '0000-01-01T00:00:00+08:00' }, 'occurredAt'],
    ['offset +23:59', { occurredAt: '2025-09-22T10:15:00+23:59' }, 'occurredAt'],
    ['promisedDays 99999', { promisedDays: 99_999 }, 'promisedDays'],
    ['legalDays 366', { legalDays: 366 }, 'legalDays'],
    ['a misspelled optional field', { catgory: 'licensing' }, 'catgory'],
  ])('%s: 400 naming the field, nothing written, single and batch', async (_name, extra, field) => {
    const head = await srv.store.headPosition();
    const single = await http(srv.url, 'POST', '/cases/LAW-1/events', {
      token: TOKENS.admin,
      body: acceptedBody(extra),
    });
    expect(single.status).toBe(400);
    expect(single.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    const batch = await http(srv.url, 'POST', '/events', {
      token: TOKENS.admin,
      body: { events: [{ ...acceptedBody(extra), caseId: 'LAW-2' }] },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0].status).toBe(400);
    expect(JSON.stringify(batch.body.results[0].error)).toContain(field);
    expect(await srv.store.headPosition()).toBe(head);
  });
});

describe('a refused value is shown, not obeyed, in every answer', () => {
  it('a bidi or control character a caller sent comes back as \\uXXXX in the message and details, single and batch', async () => {
    const field = 'note\u202Eexe.txt\u0007';
    const shown = 'note\\u202eexe.txt\\u0007';
    const single = await http(srv.url, 'POST', '/cases/SHOW-1/events', {
      token: TOKENS.admin,
      body: acceptedBody({ [field]: 1 }),
    });
    expect(single.status).toBe(400);
    const batch = await http(srv.url, 'POST', '/events', {
      token: TOKENS.admin,
      body: { events: [{ ...acceptedBody({ [field]: 1 }), caseId: 'SHOW-2' }] },
    });
    expect(batch.body.results[0].status).toBe(400);
    for (const error of [single.body.error, batch.body.results[0].error]) {
      const text = `${error.message} ${JSON.stringify(error.details.map((d: { field: string }) => d.field))}`;
      expect(text.includes('\u202e') || text.includes('\u0007')).toBe(false);
      expect(error.message).toContain(shown);
      expect(error.details.map((d: { field: string }) => d.field)).toContain(shown);
    }
  });
});
