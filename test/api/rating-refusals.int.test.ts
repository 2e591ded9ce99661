/**
 * Bad rating events (SPEC §2, §4): a score out of range or not an integer, an unknown channel, a
 * rating before completion or before the case's last event, a second rating, a follow-up with no
 * 差评 to follow up (none, a good rating, already followed up), a follow-up of an unknown case and
 * an eventId reused for another rating — each alone and inside a batch — answer a 4xx whose code and
 * message name the problem, and write nothing: the store's head, the case's revision, its rating and
 * `supervision_ratings_total` stay as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2024-11-04T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const post = (caseId: string, body: Record<string, unknown>) =>
  call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
const batch = (events: Record<string, unknown>[]) =>
  call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
const get = (path: string) => call(srv.baseUrl, 'GET', path, { token: TOKENS.admin });
const rated = (occurredAt: string, score: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'CaseRated',
  occurredAt,
  score,
  channel: 'sms',
  ...extra,
});
const followUp = (occurredAt: string) => ({ type: 'RatingFollowedUp', occurredAt, note: '已电话回访' });

async function open(caseId: string) {
  const { caseId: _c, ...body } = accepted(caseId, '2024-11-04T09:00:00+08:00', { promisedDays: 3 });
  expect((await post(caseId, body)).status).toBe(201);
}
async function completed(caseId: string) {
  await open(caseId);
  const done = await post(caseId, {
    type: 'CaseCompleted',
    occurredAt: '2024-11-04T09:30:00+08:00',
    outcome: 'approved',
  });
  expect(done.status).toBe(201);
}

/** What a refused write must leave unchanged. */
async function snapshot(caseId: string) {
  await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000);
  const metrics = await call(srv.baseUrl, 'GET', '/metrics', { token: TOKENS.monitor });
  const c = await get(`/cases/${caseId}`);
  return {
    head: String(await srv.store.headPosition()),
    revision: c.body.revision ?? c.status,
    rating: c.body.rating ?? null,
    ratings: metrics.text.split('\n').filter((l) => l.startsWith('supervision_ratings_total')),
  };
}

interface Refusal {
  readonly what: string;
  readonly caseId: string;
  readonly event: Record<string, unknown>;
  readonly status: number;
  readonly code: string;
  /** Words the message (or, for a 400, the named field) must hold. */
  readonly names: string;
}

describe('bad rating events are refused with a 4xx naming the problem and write nothing', () => {
  it('alone and in a batch', async () => {
    await open('R-OPEN');
    await completed('R-NONE');
    await completed('R-GOOD');
    await completed('R-BAD');
    await completed('R-DONE');
    srv.clock.set('2024-11-04T12:00:00+08:00');
    expect((await post('R-GOOD', rated('2024-11-04T10:00:00+08:00', 4))).status).toBe(201);
    expect((await post('R-BAD', rated('2024-11-04T10:00:00+08:00', 2))).status).toBe(201);
    const reused = '4f1c1f2e-2b6a-4f0e-9a51-3c1d2f0e9a07';
    expect((await post('R-DONE', rated('2024-11-04T10:00:00+08:00', 1, { eventId: reused }))).status).toBe(201);
    expect((await post('R-DONE', followUp('2024-11-04T10:30:00+08:00'))).status).toBe(201);

    const at = '2024-11-04T11:00:00+08:00';
    const refusals: Refusal[] = [
      ...[0, 6, -1, 2.5, '5', null].map((score) => ({
        what: `score ${JSON.stringify(score)}`,
        caseId: 'R-NONE',
        event: rated(at, score),
        status: 400,
        code: 'invalid-event',
        names: 'score',
      })),
      {
        what: 'no score',
        caseId: 'R-NONE',
        event: { type: 'CaseRated', occurredAt: at, channel: 'sms' },
        status: 400,
        code: 'invalid-event',
        names: 'score',
      },
      {
        what: 'unknown channel',
        caseId: 'R-NONE',
        event: rated(at, 5, { channel: 'fax' }),
        status: 400,
        code: 'invalid-event',
        names: 'channel',
      },
      {
        what: 'follow-up without a note',
        caseId: 'R-BAD',
        event: { type: 'RatingFollowedUp', occurredAt: at },
        status: 400,
        code: 'invalid-event',
        names: 'note',
      },
      {
        what: 'rating before completion',
        caseId: 'R-OPEN',
        event: rated(at, 5),
        status: 409,
        code: 'transition-not-allowed',
        names: 'not completed',
      },
      {
        what: 'rating dated before the completion',
        caseId: 'R-NONE',
        event: rated('2024-11-04T09:10:00+08:00', 5),
        status: 422,
        code: 'time-rejected',
        names: 'occurredAt',
      },
      {
        what: 'second rating',
        caseId: 'R-GOOD',
        event: rated(at, 1),
        status: 409,
        code: 'already-rated',
        names: 'already rated',
      },
      {
        what: 'follow-up with no rating',
        caseId: 'R-NONE',
        event: followUp(at),
        status: 409,
        code: 'transition-not-allowed',
        names: 'has no rating',
      },
      {
        what: 'follow-up of a good rating',
        caseId: 'R-GOOD',
        event: followUp(at),
        status: 409,
        code: 'transition-not-allowed',
        names: 'not a 差评',
      },
      {
        what: 'follow-up of an open case',
        caseId: 'R-OPEN',
        event: followUp(at),
        status: 409,
        code: 'transition-not-allowed',
        names: 'has no rating',
      },
      {
        what: 'second follow-up',
        caseId: 'R-DONE',
        event: followUp(at),
        status: 409,
        code: 'transition-not-allowed',
        names: 'already followed up',
      },
      {
        what: 'eventId of another rating',
        caseId: 'R-DONE',
        event: rated('2024-11-04T10:00:00+08:00', 2, { eventId: reused }),
        status: 409,
        code: 'event-id-conflict',
        names: reused,
      },
      {
        what: 'follow-up of an unknown case',
        caseId: 'R-NOWHERE',
        event: followUp(at),
        status: 404,
        code: 'case-not-found',
        names: 'R-NOWHERE',
      },
    ];
    const names = (error: { message: string; details?: unknown }, r: Refusal) => {
      const text = `${error.message} ${JSON.stringify(error.details ?? '')}`;
      expect(text, `${r.what}: ${text}`).toContain(r.names);
    };
    for (const r of refusals) {
      const before = await snapshot(r.caseId);
      const one = await post(r.caseId, r.event);
      expect(one.status, `${r.what}: ${one.text}`).toBe(r.status);
      expect(one.body.error.code, r.what).toBe(r.code);
      names(one.body.error, r);
      expect(await snapshot(r.caseId), `${r.what} wrote something`).toEqual(before);

      const many = await batch([{ ...r.event, caseId: r.caseId }]);
      expect(many.status, `${r.what} (batch): ${many.text}`).toBe(200);
      const row = many.body.results[0];
      expect(row.status, `${r.what} (batch): ${JSON.stringify(row)}`).toBe(r.status);
      expect(row.error.code, `${r.what} (batch)`).toBe(r.code);
      names(row.error, r);
      expect(await snapshot(r.caseId), `${r.what} (batch) wrote something`).toEqual(before);
    }

    // A batch rating a case twice: the first is written, the second refused as already rated.
    const before = await snapshot('R-NONE');
    const twice = await batch([
      { ...rated(at, 5), caseId: 'R-NONE' },
      { ...rated(at, 1), caseId: 'R-NONE' },
    ]);
    expect(twice.body.results.map((r: { status: number }) => r.status)).toEqual([201, 409]);
    expect(twice.body.results[1].error.code).toBe('already-rated');
    const after = await snapshot('R-NONE');
    expect(after.rating).toMatchObject({ score: 5 });
    expect(after.ratings).not.toEqual(before.ratings);
  });
});
