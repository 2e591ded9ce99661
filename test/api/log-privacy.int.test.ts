/**
 * Operations review (session 24): what the logs hold of a request. A case read, refused writes
 * (400, 403, 409, 404, 401) and a server error leave no case id, personal data, token or query
 * in any log line: lines name the route pattern, status and request id. Security review (session
 * 26): nor does a refusal's answer quote a personal field's value (inputBounds.ts PERSONAL_FIELDS),
 * nor a 500's line a value of the body.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-29T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const CASE_ID = 'ZHANG-San-110101199001011234';
const PERSONAL = ['张三', '13800138000', '110101199001011234'];
const secrets = (): string[] => [CASE_ID, ...PERSONAL, ...Object.values(TOKENS)];

function expectNoSecretsLogged(): void {
  const text = JSON.stringify(srv.logger.entries);
  for (const s of secrets()) expect(text, `a log line holds ${s}`).not.toContain(s);
}

describe('log lines hold no case id, personal data, token or query', () => {
  it('case reads, refused writes and their refusals', async () => {
    const { caseId: _c, ...body } = accepted(CASE_ID, '2025-09-29T09:00:00+08:00', { matterName: '张三 13800138000' });
    const post = (b: unknown, token: string = TOKENS.recorder) =>
      call(srv.baseUrl, 'POST', `/cases/${CASE_ID}/events`, { token, body: b });
    expect((await post(body)).status).toBe(201);
    const q = `?applicant=${encodeURIComponent('张三')}&phone=13800138000`;
    expect((await call(srv.baseUrl, 'GET', `/cases/${CASE_ID}`, { token: TOKENS.monitor })).status).toBe(200);
    expect((await call(srv.baseUrl, 'GET', `/cases/${CASE_ID}${q}`, { token: TOKENS.monitor })).status).toBe(400);
    expect((await call(srv.baseUrl, 'GET', `/cases/${CASE_ID}X`, { token: TOKENS.monitor })).status).toBe(404);
    expect((await call(srv.baseUrl, 'GET', `/cases/${CASE_ID}/history`, { token: TOKENS.auditor })).status).toBe(200);
    expect((await post({ ...body, kind: '张三' })).status).toBe(400);
    expect((await post({ ...body, actor: '张三 13800138000' })).status).toBe(409);
    expect((await post(body, TOKENS.monitor)).status).toBe(403);
    expect((await post(body, `${TOKENS.recorder}x`)).status).toBe(401);
    expect(
      (
        await call(srv.baseUrl, 'POST', `/cases/${CASE_ID}X/events`, {
          token: TOKENS.recorder,
          body: { type: 'CaseCompleted', outcome: 'approved', occurredAt: '2025-09-29T09:10:00+08:00' },
        })
      ).status,
    ).toBe(404);
    // Refusals anyone can cause are tallied per route and status: flush the tally.
    srv.clock.advance(120_000);
    expect((await call(srv.baseUrl, 'GET', `/cases/${CASE_ID}`, { token: 'unknown-token-abcdefgh' })).status).toBe(401);
    expect(srv.logger.entries.length).toBeGreaterThan(0);
    expectNoSecretsLogged();
  });

  it('a server error: its line names the route, not the case the error message named', async () => {
    const models = srv.readModels as unknown as Record<string, unknown>;
    models['evaluateCase'] = (caseId: string) => {
      throw new Error(`case ${caseId} has no acceptance by 2025-09-29T02:00:00.000Z`); // as historySummary.ts's invariant
    };
    const res = await call(srv.baseUrl, 'GET', `/cases/${CASE_ID}`, { token: TOKENS.monitor });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain(CASE_ID);
    const errors = srv.logger.entries.filter((e) => e.level === 'error');
    expect(errors.map((e) => e.fields?.['route'])).toEqual(['/cases/:caseId']);
    expectNoSecretsLogged();
  });
});

describe('a refused event names its field, never quoting personal data (security review, session 26)', () => {
  const NAME_AND_PHONE = '张三 13800138000';
  type ErrorShape = { code: string; details: { field: string; message: string }[] };
  const at = (minutes: number) => `2025-09-29T09:${String(minutes).padStart(2, '0')}:00+08:00`;

  it('neither the answer nor any log line holds the value; the answer names the field', async () => {
    const { caseId: _c, ...body } = accepted(CASE_ID, at(0));
    const post = (b: unknown) =>
      call(srv.baseUrl, 'POST', `/cases/${CASE_ID}/events`, { token: TOKENS.recorder, body: b });
    expect((await post(body)).status).toBe(201);
    expect((await post({ type: 'CaseCompleted', outcome: 'approved', occurredAt: at(10) })).status).toBe(201);
    const rating = { type: 'CaseRated', score: 1, channel: 'sms', occurredAt: at(20) };
    const refusals: [string, () => ReturnType<typeof post>][] = [
      ['comment', () => post({ ...rating, comment: `${NAME_AND_PHONE} 办事太慢`.repeat(200) })],
      ['comment', () => post({ ...rating, comment: [NAME_AND_PHONE] })],
      ['actor', () => post({ ...rating, actor: 13800138000 })],
      ['matterName', () => post({ ...body, matterName: NAME_AND_PHONE.repeat(20) })],
      ['channel', () => post({ ...rating, channel: NAME_AND_PHONE })],
      [
        'events[0].comment',
        () =>
          call(srv.baseUrl, 'POST', '/events', {
            token: TOKENS.recorder,
            body: { events: [{ ...rating, caseId: CASE_ID, comment: NAME_AND_PHONE.repeat(200) }] },
          }),
      ],
      [
        'subject',
        () =>
          call(srv.baseUrl, 'POST', '/complaints/K-1/events', {
            token: TOKENS.recorder,
            body: {
              type: 'ComplaintReceived',
              channel: 'hotline',
              centerId: 'c-1',
              subject: 13800138000,
              occurredAt: at(30),
            },
          }),
      ],
    ];
    for (const [field, send] of refusals) {
      const res = await send();
      const answer = res.body as { error?: ErrorShape; results?: { error: ErrorShape }[] };
      const error = field.startsWith('events[') ? answer.results?.[0]?.error : answer.error;
      expect(error?.code, `the answer on ${field}: ${res.text}`).toBe('invalid-event');
      expect(error?.details.map((d) => d.field)).toContain(field.replace(/^events\[0\]\./, ''));
      for (const s of ['张三', '13800138000']) expect(res.text, `the answer on ${field} quotes ${s}`).not.toContain(s);
    }
    expect(srv.logger.entries.length).toBeGreaterThan(0);
    expectNoSecretsLogged();
  });

  it('a server error quoting the events it could not store: its line names the fields instead', async () => {
    const store = srv.store as unknown as { appendMany: (requests: unknown) => Promise<unknown> };
    store.appendMany = async (requests) => {
      throw new Error(`cannot encode ${JSON.stringify(requests)}`); // a driver quoting what it was given
    };
    const { caseId: _c, ...body } = accepted(CASE_ID, at(0), { matterName: NAME_AND_PHONE, actor: '张三' });
    const single = await call(srv.baseUrl, 'POST', `/cases/${CASE_ID}/events`, { token: TOKENS.recorder, body });
    const batch = await call(srv.baseUrl, 'POST', '/events', {
      token: TOKENS.recorder,
      body: { events: [{ ...body, caseId: CASE_ID }] },
    });
    expect([single.status, batch.status]).toEqual([500, 500]);
    const errors = srv.logger.entries.filter((e) => e.level === 'error');
    expect(errors.map((e) => e.fields?.['route'])).toEqual(['/cases/:caseId/events', '/events']);
    for (const e of errors) expect(e.fields?.['error']).toContain('<matterName>');
    expectNoSecretsLogged();
  });
});
