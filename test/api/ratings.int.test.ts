/**
 * 好差评 over HTTP (SPEC §2, §3, §7, §8): CaseRated and RatingFollowedUp, their
 * 409s, the case's rating and red card, the alert on a completed case, the
 * /stats ratings block and supervision_ratings_total.
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
const get = (path: string) => call(srv.baseUrl, 'GET', path, { token: TOKENS.monitor });
const rated = (occurredAt: string, score: number) => ({ type: 'CaseRated', occurredAt, score, channel: 'sms' });
const followUp = (occurredAt: string) => ({ type: 'RatingFollowedUp', occurredAt, note: '已电话回访' });

async function completedCase(caseId: string) {
  const { caseId: _c, ...body } = accepted(caseId, '2024-11-04T09:00:00+08:00', { promisedDays: 3 });
  expect((await post(caseId, body)).status).toBe(201);
  srv.clock.set('2024-11-06T10:00:00+08:00');
  expect(
    (await post(caseId, { type: 'CaseCompleted', occurredAt: '2024-11-06T10:00:00+08:00', outcome: 'approved' }))
      .status,
  ).toBe(201);
}

describe('CaseRated and RatingFollowedUp over HTTP', () => {
  it('rating before completion, a second rating, and a follow-up with nothing to follow up are 409 naming why', async () => {
    const { caseId: _c, ...body } = accepted('G-1', '2024-11-04T09:00:00+08:00', { promisedDays: 3 });
    expect((await post('G-1', body)).status).toBe(201);
    const early = await post('G-1', rated('2024-11-04T09:30:00+08:00', 5));
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'transition-not-allowed' });
    expect(early.body.error.message).toContain('not completed');
    await completedCase('G-2');
    srv.clock.set('2024-11-06T12:00:00+08:00');
    const none = await post('G-2', followUp('2024-11-06T11:00:00+08:00'));
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('has no rating');
    expect((await post('G-2', rated('2024-11-06T11:00:00+08:00', 4))).status).toBe(201);
    const again = await post('G-2', rated('2024-11-06T11:30:00+08:00', 1));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already-rated');
    const notBad = await post('G-2', followUp('2024-11-06T11:40:00+08:00'));
    expect(notBad.status).toBe(409);
    expect(notBad.body.error.message).toContain('not a 差评');
    const badScore = await post('G-2', rated('2024-11-06T11:50:00+08:00', 7));
    expect(badScore.status).toBe(400);
    expect(badScore.body.error.details[0].field).toBe('score');
  });

  it('a 差评 not followed up: red card at the 15th working day, alert on the completed case, then cleared by the follow-up; figures and metric', async () => {
    await completedCase('B-1');
    srv.clock.set('2024-11-06T12:00:00+08:00');
    const r = await post('B-1', {
      ...rated('2024-11-06T12:00:00+08:00', 1),
      eventId: '7d1c1f2e-2b6a-4f0e-9a51-3c1d2f0e9a02',
    });
    expect(r.status).toBe(201);
    // Idempotent on eventId: the same rating again answers 200 with the original result.
    const retry = await post('B-1', {
      ...rated('2024-11-06T12:00:00+08:00', 1),
      eventId: '7d1c1f2e-2b6a-4f0e-9a51-3c1d2f0e9a02',
    });
    expect(retry.status).toBe(200);
    expect(retry.body.revision).toBe(r.body.revision);

    srv.clock.set('2024-11-28T00:00:00+08:00');
    const alerts = await get('/alerts?rule=bad-rating-unresolved');
    expect(alerts.status).toBe(200);
    const items = alerts.body.alerts as { caseId: string; color: string }[];
    expect(items.map((a) => [a.caseId, a.color])).toEqual([['B-1', 'red']]);

    const c = await get('/cases/B-1');
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('completed');
    expect(c.body.rating).toMatchObject({ score: 1, bad: true, followUpDueAt: '2024-11-28T00:00:00.000+08:00' });
    expect(c.body.cards.map((x: { rule: string; startedAt: string }) => [x.rule, x.startedAt])).toEqual([
      ['bad-rating-unresolved', '2024-11-28T00:00:00.000+08:00'],
    ]);

    srv.clock.set('2024-12-02T10:00:00+08:00');
    expect((await post('B-1', followUp('2024-12-02T10:00:00+08:00'))).status).toBe(201);
    const after = await get('/alerts?rule=bad-rating-unresolved');
    expect(after.body.alerts).toEqual([]);
    const twice = await post('B-1', followUp('2024-12-02T11:00:00+08:00'));
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('already followed up');

    const stats = await get('/stats?from=2024-11-01&to=2024-12-01&groupBy=center');
    expect(stats.body.ratings).toMatchObject({
      rated: 1,
      badRatings: 1,
      satisfactionRate: 0,
      ratedShare: 1,
      followUpsDue: 1,
      followedUpOnTime: 0,
      followedUpOnTimeRate: 0,
    });
    expect(stats.body.groups[0].ratings).toMatchObject({ rated: 1, badRatings: 1 });
    // The case list reproduces both counts (the report links them there).
    const month = 'ratedFrom=2024-11-01&ratedTo=2024-12-01';
    expect((await get(`/cases?${month}`)).body.total).toBe(1);
    expect((await get(`/cases?${month}&rating=bad`)).body.total).toBe(1);
    expect((await get(`/cases?${month}&rating=satisfied`)).body.total).toBe(0);
    expect((await get('/cases?ratedFrom=2024-12-01')).body.total).toBe(0);
    // 差评应整改 too: the follow-up's last day is 11-27 (due at 11-28 00:00), a day of [from, to).
    expect((await get('/cases?followUpDueFrom=2024-11-01&followUpDueTo=2024-12-01')).body.total).toBe(1);
    expect((await get('/cases?followUpDueFrom=2024-11-27&followUpDueTo=2024-11-28')).body.total).toBe(1);
    expect((await get('/cases?followUpDueTo=2024-11-27')).body.total).toBe(0);
    expect((await get('/cases?followUpDueFrom=2024-11-28')).body.total).toBe(0);
    const metrics = await call(srv.baseUrl, 'GET', '/metrics', { token: TOKENS.monitor });
    expect(metrics.text).toMatch(/supervision_ratings_total\{center="[^"]+",score="1"\} 1/);
  });
});
