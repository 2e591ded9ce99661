/**
 * A 差评's follow-up clock counts the working days of its center's calendar (SPEC §3: regional days
 * apply only to cases of centers in that region): a regional holiday inside the 15 days moves the
 * due by a day for a center in the region, and not for one outside it — in the case read, the red
 * card, the 差评应整改 list and the /stats figure.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-11-01T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  call(srv.baseUrl, method, path, { token: TOKENS.admin, ...(body === undefined ? {} : { body }) });
const post = (caseId: string, body: Record<string, unknown>) =>
  call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });

async function badlyRated(caseId: string, centerId: string) {
  const { caseId: _c, ...body } = accepted(caseId, '2025-11-03T09:00:00+08:00', { centerId, promisedDays: 3 });
  expect((await post(caseId, body)).status).toBe(201);
  const done = { type: 'CaseCompleted', occurredAt: '2025-11-04T09:00:00+08:00', outcome: 'approved' };
  expect((await post(caseId, done)).status).toBe(201);
  const rating = { type: 'CaseRated', occurredAt: '2025-11-04T10:00:00+08:00', score: 1, channel: 'sms' };
  expect((await post(caseId, rating)).status).toBe(201);
}

describe("a 差评's follow-up due on its center's calendar", () => {
  it('a regional holiday moves the due of a center in the region only', async () => {
    const dir = await admin('PUT', '/directory', {
      centers: [
        { centerId: 'kashgar', name: '喀什市政务服务中心', level: 'district', region: 'xj' },
        { centerId: 'urumqi-x', name: '另一中心', level: 'district' },
      ],
      departments: [],
    });
    expect(dir.status, dir.text).toBe(200);
    const notice = await admin('PUT', '/calendar/2025', { region: 'xj', holidays: ['2025-11-20'], workdays: [] });
    expect(notice.status, notice.text).toBe(200);
    srv.clock.set('2025-11-04T11:00:00+08:00');
    await badlyRated('IN-XJ', 'kashgar');
    await badlyRated('OUT', 'urumqi-x');
    srv.clock.set('2025-12-02T10:00:00+08:00');
    // 15 working days after Tuesday 11-04: 11-25; in region xj, which rests on 11-20: 11-26.
    const inside = await admin('GET', '/cases/IN-XJ');
    const outside = await admin('GET', '/cases/OUT');
    expect(inside.body.rating.followUpDueAt).toBe('2025-11-27T00:00:00.000+08:00');
    expect(outside.body.rating.followUpDueAt).toBe('2025-11-26T00:00:00.000+08:00');
    expect(inside.body.cards.map((c: { startedAt: string }) => c.startedAt)).toContain('2025-11-27T00:00:00.000+08:00');
    const due = async (from: string, to: string) =>
      (await admin('GET', `/cases?followUpDueFrom=${from}&followUpDueTo=${to}`)).body.items.map(
        (r: { caseId: string }) => r.caseId,
      );
    expect(await due('2025-11-25', '2025-11-26')).toEqual(['OUT']);
    expect(await due('2025-11-26', '2025-11-27')).toEqual(['IN-XJ']);
    const stats = await admin('GET', '/stats?from=2025-11-26&to=2025-11-27&groupBy=center');
    expect(stats.body.ratings.followUpsDue).toBe(1);
    expect(
      stats.body.groups.map((g: { key: string; ratings: { followUpsDue: number } }) => [g.key, g.ratings.followUpsDue]),
    ).toContainEqual(['kashgar', 1]);
  });

  it('a center moved into the region after the 差评 (completed, rated, not yet due) takes its holiday', async () => {
    const put = (region?: string) =>
      admin('PUT', '/directory', {
        centers: [
          { centerId: 'kashgar', name: '喀什市政务服务中心', level: 'district', ...(region ? { region } : {}) },
        ],
        departments: [],
      });
    expect((await put()).status).toBe(200);
    const notice = await admin('PUT', '/calendar/2025', { region: 'xj', holidays: ['2025-11-20'], workdays: [] });
    expect(notice.status, notice.text).toBe(200);
    srv.clock.set('2025-11-04T11:00:00+08:00');
    await badlyRated('MOVED', 'kashgar');
    await badlyRated('OK', 'kashgar');
    const followUp = { type: 'RatingFollowedUp', occurredAt: '2025-11-05T10:00:00+08:00', note: '已回访' };
    srv.clock.set('2025-11-05T10:00:00+08:00');
    expect((await post('OK', followUp)).status).toBe(201);
    expect((await admin('GET', '/cases/MOVED')).body.rating.followUpDueAt).toBe('2025-11-26T00:00:00.000+08:00');
    srv.clock.set('2025-11-10T10:00:00+08:00');
    const moved = await put('xj');
    expect(moved.status, moved.text).toBe(200);
    srv.clock.set('2025-11-26T10:00:00+08:00');
    expect((await admin('GET', '/cases/MOVED')).body.rating.followUpDueAt).toBe('2025-11-27T00:00:00.000+08:00');
    expect((await admin('GET', '/cases/OK')).body.rating.followUpDueAt).toBe('2025-11-27T00:00:00.000+08:00');
    // Not due yet on 11-26 at 10:00: no alert, no card, not among the follow-ups due.
    expect((await admin('GET', '/alerts?rule=bad-rating-unresolved')).body.alerts).toEqual([]);
    expect((await admin('GET', '/stats?from=2025-11-01&to=2025-12-01')).body.ratings.followUpsDue).toBe(0);
    srv.clock.set('2025-11-27T00:00:00+08:00');
    const alerts = await admin('GET', '/alerts?rule=bad-rating-unresolved');
    expect(alerts.body.alerts.map((a: { caseId: string }) => a.caseId)).toEqual(['MOVED']);
    const stats = await admin('GET', '/stats?from=2025-11-01&to=2025-12-01');
    expect(stats.body.ratings).toMatchObject({ followUpsDue: 2, followedUpOnTime: 1 });
  });
});
