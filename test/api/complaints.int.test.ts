/** POST /complaints/{complaintId}/events over HTTP (SPEC §4, §8): statuses, idempotent retry, center scoping. */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, unusedReadModels, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-29T10:00:00+08:00', readModels: unusedReadModels });
});
afterEach(async () => {
  await srv.close();
});

const post = (id: string, body: unknown, token: string = TOKENS.recorder, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'POST', `/complaints/${id}/events`, { token, body, headers });
const receivedBody = (extra: Record<string, unknown> = {}) => ({
  type: 'ComplaintReceived',
  occurredAt: '2025-09-22T09:00:00+08:00',
  channel: 'hotline',
  centerId: 'center-A',
  subject: '窗口推诿',
  ...extra,
});
async function streamOf(id: string) {
  const out = [];
  for await (const e of srv.store.readStream(`complaint-${id}`)) out.push(e);
  return out;
}

describe('POST /complaints/{complaintId}/events', () => {
  it('appends to complaint-<id> and answers 201 with complaintId, revision, position, eventId', async () => {
    const res = await post('Q-1', receivedBody());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ complaintId: 'Q-1', revision: 0 });
    expect(res.headers.get('etag')).toBe('"0"');
    const stored = await streamOf('Q-1');
    expect(stored.map((e) => e.type)).toEqual(['ComplaintReceived']);
    expect(stored[0]?.data).toMatchObject({ complaintId: 'Q-1', eventId: res.body.eventId });
  });

  it('404 before receipt, 409 out of order, 422 out of time, 400 naming a bad field', async () => {
    const accept = { type: 'ComplaintAccepted', occurredAt: '2025-09-23T09:00:00+08:00' };
    expect((await post('Q-2', accept)).body.error.code).toBe('complaint-not-found');
    expect((await post('Q-2', accept)).status).toBe(404);
    expect((await post('Q-2', receivedBody())).status).toBe(201);
    const close = await post('Q-2', { type: 'ComplaintClosed', occurredAt: '2025-09-23T09:00:00+08:00' });
    expect([close.status, close.body.error.code]).toEqual([409, 'transition-not-allowed']);
    const early = await post('Q-2', { ...accept, occurredAt: '2025-09-21T09:00:00+08:00' });
    expect([early.status, early.body.error.code]).toEqual([422, 'time-rejected']);
    const bad = await post('Q-2', {
      type: 'ComplaintAnswered',
      occurredAt: '2025-09-23T09:00:00+08:00',
      finding: 'maybe',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['finding']);
    const otherId = await post('Q-2', { ...accept, complaintId: 'Q-9' });
    expect(otherId.status).toBe(400);
    // What the stored events' codec lets through, an incoming one may not: a blank text, a sub-millisecond instant.
    const blank = await post('Q-2', { ...accept, occurredAt: '2025-09-23T09:00:00.0001+08:00', actor: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.map((d: { field: string }) => d.field)).toEqual(['occurredAt', 'actor']);
    expect(await streamOf('Q-2')).toHaveLength(1);
  });

  it('a retry with the same eventId answers 200 and the original result; a different event with it 409', async () => {
    const eventId = randomUUID();
    const first = await post('Q-3', receivedBody({ eventId }));
    const again = await post('Q-3', receivedBody({ eventId, occurredAt: '2025-09-22T01:00:00Z' }));
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await post('Q-3', receivedBody({ eventId, subject: '另一件事' }));
    expect([other.status, other.body.error.code]).toEqual([409, 'event-id-conflict']);
    expect(await streamOf('Q-3')).toHaveLength(1);
  });

  it('an eventId of a case reused by a complaint, and one of a complaint reused by a case: 409 with one message', async () => {
    const postCase = (id: string, body: unknown) =>
      call(srv.baseUrl, 'POST', `/cases/${id}/events`, { token: TOKENS.recorder, body });
    const ofCase = randomUUID();
    expect((await postCase('K-1', accepted('K-1', '2025-09-22T09:00:00+08:00', { eventId: ofCase }))).status).toBe(201);
    const intoComplaint = await post('Q-11', receivedBody({ eventId: ofCase }));
    const ofComplaint = randomUUID();
    expect((await post('Q-12', receivedBody({ eventId: ofComplaint }))).status).toBe(201);
    const intoCase = await postCase('K-2', accepted('K-2', '2025-09-22T09:00:00+08:00', { eventId: ofComplaint }));
    const expected = (eventId: string) =>
      `eventId ${eventId} is already used by an event of another case or complaint; nothing was written for this one`;
    expect([intoComplaint.status, intoComplaint.body.error.code, intoComplaint.body.error.message]).toEqual([
      409,
      'event-id-conflict',
      expected(ofCase),
    ]);
    expect([intoCase.status, intoCase.body.error.code, intoCase.body.error.message]).toEqual([
      409,
      'event-id-conflict',
      expected(ofComplaint),
    ]);
    expect(await streamOf('Q-11')).toHaveLength(0);
  });

  it('403 for a recorder of another center and for a monitor; If-Match is honoured', async () => {
    const forbidden = await post('Q-4', receivedBody({ centerId: 'center-B' }), TOKENS.recorderA);
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'forbidden-center']);
    expect((await post('Q-4', receivedBody(), TOKENS.monitor)).status).toBe(403);
    expect((await post('Q-4', receivedBody({ centerId: 'center-B' }))).status).toBe(201);
    const accept = { type: 'ComplaintAccepted', occurredAt: '2025-09-23T09:00:00+08:00' };
    const denied = await post('Q-4', accept, TOKENS.recorderA);
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toContain('center-B'); // a recorded complaint's center is not named
    expect((await post('Q-4', accept, TOKENS.recorder, { 'If-Match': '"5"' })).status).toBe(409);
    expect((await post('Q-4', accept, TOKENS.recorder, { 'If-Match': '"0"' })).status).toBe(201);
    // No events yet: complaint-not-found, If-Match or not (before: 409 revision-conflict).
    const unknown = await post('Q-4X', accept, TOKENS.recorder, { 'If-Match': '"0"' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'complaint-not-found']);
  });
});
