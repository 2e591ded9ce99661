/**
 * A 差评's follow-up clock uses the policy in force on the case's acceptance date (SPEC §3 "Policy
 * versions"), not the one in force when it is rated: with B (`badRatingFollowUpDays` 5) effective from
 * 2025-11-10, a case accepted before rated the same instant as one accepted after is due after 15
 * working days, the other after 5 — in the case read, the 差评应整改 list and /stats.
 */
import { expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { parseDate } from '../../src/domain/time.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { accepted, call, startTestServer, TOKENS, ZONE, type TestServer } from './harness.js';

it("the follow-up days are the acceptance date's policy's", async () => {
  let srv: TestServer | undefined;
  const store = new MemoryEventStore({ clock: () => srv?.clock.now ?? Date.parse('2025-10-01T00:00:00+08:00') });
  const published = (version: string, effectiveFrom: string, days: number) =>
    policyEventData(
      {
        policy: { ...DEFAULT_POLICY, version, badRatingFollowUpDays: days },
        effectiveFrom: parseDate(effectiveFrom),
        publishedAt: Date.parse('2025-10-01T00:00:00+08:00'),
      },
      ZONE,
    );
  await store.append(POLICY_STREAM_ID, [published('A', '2025-01-01', 15), published('B', '2025-11-10', 5)]);
  srv = await startTestServer({ now: '2025-11-03T09:00:00+08:00', store });
  try {
    const server = srv;
    const post = (id: string, body: Record<string, unknown>) =>
      call(server.baseUrl, 'POST', `/cases/${id}/events`, { token: TOKENS.recorder, body });
    const get = (path: string) => call(server.baseUrl, 'GET', path, { token: TOKENS.admin });
    const { caseId: _e, ...early } = accepted('EARLY', '2025-11-03T09:00:00+08:00');
    expect((await post('EARLY', early)).status).toBe(201);
    server.clock.set('2025-11-11T11:00:00+08:00');
    const { caseId: _l, ...late } = accepted('LATE', '2025-11-11T09:00:00+08:00');
    expect((await post('LATE', late)).status).toBe(201);
    for (const id of ['EARLY', 'LATE']) {
      const done = { type: 'CaseCompleted', occurredAt: '2025-11-11T10:00:00+08:00', outcome: 'approved' };
      expect((await post(id, done)).status).toBe(201);
      const rating = { type: 'CaseRated', occurredAt: '2025-11-11T11:00:00+08:00', score: 1, channel: 'sms' };
      expect((await post(id, rating)).status).toBe(201);
    }
    server.clock.set('2025-12-10T09:00:00+08:00');
    const e = (await get('/cases/EARLY')).body;
    const l = (await get('/cases/LATE')).body;
    // 15 working days after Tuesday 11-11: 12-02; 5: 11-18.
    expect([e.policyVersion, e.rating.followUpDueAt]).toEqual(['A', '2025-12-03T00:00:00.000+08:00']);
    expect([l.policyVersion, l.rating.followUpDueAt]).toEqual(['B', '2025-11-19T00:00:00.000+08:00']);
    const listed = async (from: string, to: string) =>
      (await get(`/cases?followUpDueFrom=${from}&followUpDueTo=${to}`)).body.items.map(
        (r: { caseId: string }) => r.caseId,
      );
    expect(await listed('2025-11-18', '2025-11-19')).toEqual(['LATE']);
    expect(await listed('2025-12-02', '2025-12-03')).toEqual(['EARLY']);
    expect((await get('/stats?from=2025-11-18&to=2025-11-19')).body.ratings.followUpsDue).toBe(1);
    expect((await get('/stats?from=2025-12-02&to=2025-12-03')).body.ratings.followUpsDue).toBe(1);
  } finally {
    await srv.close();
  }
});
