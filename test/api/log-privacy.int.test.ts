/**
 * Operations review (session 24): what the logs hold of a request. A case read, refused writes
 * (400, 403, 409, 404, 401) and a server error leave no case id, personal data, token or query
 * in any log line: lines name the route pattern, status and request id.
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
