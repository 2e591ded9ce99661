/**
 * POST /cases/{caseId}/events takes one event, so its body is limited to 64 KB
 * (src/api/bodyLimits.ts): the largest valid event fits several times over,
 * a 0.5 MB junk body is refused before it is parsed.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_EVENT_BODY_LIMIT_BYTES } from '../../src/api/bodyLimits.js';
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
