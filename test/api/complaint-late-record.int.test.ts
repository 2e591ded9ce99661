/**
 * complaint-late-record over HTTP (SPEC §3 late-record for complaint events; §8 is silent, see
 * docs/complaints.md): a back-dated ComplaintAnswered recorded 3 days after it occurred, after the
 * answer deadline, withdraws the complaint's red card — and the late record itself is on record as a
 * yellow card: in GET /cards, on the complaint, on the board until closure, in /stats and the monthly
 * report's cards by rule; not as known before its recording.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-11-03T12:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const get = (path: string, token: string = TOKENS.auditor, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'GET', path, { token, headers });
async function post(type: string, occurredAt: string, extra: Record<string, unknown> = {}) {
  const res = await call(srv.baseUrl, 'POST', '/complaints/Q-L/events', {
    token: TOKENS.recorder,
    body: { type, occurredAt, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
}

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...openApiDocument, $id: 'openapi' });
const valid = (schema: string, body: unknown) => {
  const check = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
  expect(check(body), JSON.stringify(check.errors)).toBe(true);
};

const NOVEMBER = 'from=2025-11-01&to=2025-12-01';
const RECORDED = '2025-11-27T09:00:00.000+08:00';

describe('complaint-late-record (SPEC §3 late-record, for complaints)', () => {
  it('a ComplaintAnswered recorded 3 days after it occurred, after the answer deadline, is a yellow card on record', async () => {
    // Received and accepted Monday 11-03, recorded at once: answer due by the end of 11-24, red from 11-25 00:00.
    await post('ComplaintReceived', '2025-11-03T09:00:00+08:00', {
      channel: 'hotline',
      centerId: 'center-A',
      departmentId: 'd1',
      subject: '窗口推诿',
    });
    await post('ComplaintAccepted', '2025-11-03T10:00:00+08:00');
    srv.clock.set('2025-11-27T09:00:00+08:00');
    await post('ComplaintAnswered', '2025-11-24T09:00:00+08:00', { finding: 'partly' });

    // The red card it took away is in the register of withdrawn cards (as before) …
    const withdrawn = (await get(`/cards/withdrawn?${NOVEMBER}`)).body.items;
    expect(withdrawn.map((c: { rule: string }) => c.rule)).toContain('complaint-overdue');
    // … and the late record itself is a card (before: none).
    const register = await get(`/cards?${NOVEMBER}&rule=complaint-late-record`);
    expect(register.status).toBe(200);
    expect(register.body.items).toEqual([
      {
        complaintId: 'Q-L',
        rule: 'complaint-late-record',
        color: 'yellow',
        startedAt: RECORDED,
        centerId: 'center-A',
        departmentId: 'd1',
        explain: {
          rule: 'complaint-late-record',
          eventType: 'ComplaintAnswered',
          revision: 2,
          occurredAt: '2025-11-24T09:00:00.000+08:00',
          recordedAt: RECORDED,
          delayHours: 72,
          thresholdHours: 24,
        },
      },
    ]);
    for (const row of register.body.items) valid('CardRegisterRow', row);
    const csv = await get(`/cards?${NOVEMBER}&rule=complaint-late-record`, TOKENS.auditor, { accept: 'text/csv' });
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[1]).toMatch(
      /^效能投诉,Q-L,投诉迟录,黄牌,.*事件 答复；版本号 2；/,
    );

    // On the complaint, with the late event; in force (the complaint is not closed), as a case's late-record until completion.
    const detail = await get('/complaints/Q-L');
    expect(detail.body.cards).toContainEqual({
      rule: 'complaint-late-record',
      color: 'yellow',
      startedAt: RECORDED,
      details: { eventType: 'ComplaintAnswered', revision: 2, delayHours: 72 },
    });
    expect(detail.body.alerts).toEqual(['complaint-late-record']);
    valid('ComplaintDetail', detail.body);
    const alerts = (await get('/alerts?rule=complaint-late-record', TOKENS.monitor)).body.alerts;
    expect(alerts).toEqual([
      expect.objectContaining({
        key: 'complaint-Q-L/complaint-late-record/0',
        subject: 'complaint',
        complaintId: 'Q-L',
        color: 'yellow',
        startedAt: RECORDED,
        details: { eventType: 'ComplaintAnswered', revision: 2, delayHours: 72 },
      }),
    ]);
    valid('ComplaintAlert', alerts[0]);
    const list = (await get('/complaints?rule=complaint-late-record', TOKENS.monitor)).body.items;
    expect(list.map((r: { alerts: unknown }) => r.alerts)).toEqual([
      [{ rule: 'complaint-late-record', color: 'yellow', startedAt: RECORDED }],
    ]);

    // As known before its recording, there was no such card (nor the answer).
    const before = await get(`/complaints/Q-L?asKnownAt=${encodeURIComponent('2025-11-26T12:00:00+08:00')}`);
    expect(before.body.cards.map((c: { rule: string }) => c.rule)).toEqual([
      'complaint-answer-warning',
      'complaint-overdue',
    ]);

    // Counted as the other complaint cards: /stats, the register's total, the month report's cards by rule.
    const stats = (await get(`/stats?${NOVEMBER}`, TOKENS.monitor)).body;
    expect(stats.complaints.cards).toContainEqual({ rule: 'complaint-late-record', color: 'yellow', count: 1 });
    const report = (await get('/reports/monthly?month=2025-11', TOKENS.monitor)).body;
    expect(report.cards.byRule).toContainEqual({ rule: 'complaint-late-record', color: 'yellow', count: 1 });
    expect(report.cards.total).toBe((await get(`/cards?${NOVEMBER}`)).body.total);

    // Closed: off the board, on record, never cleared.
    srv.clock.set('2025-11-27T10:00:00+08:00');
    await post('ComplaintClosed', '2025-11-27T10:00:00+08:00', { satisfaction: 'satisfied' });
    expect((await get('/alerts?rule=complaint-late-record', TOKENS.monitor)).body.alerts).toEqual([]);
    const closed = await get(`/cards?${NOVEMBER}&rule=complaint-late-record`);
    expect(closed.body.items).toEqual([expect.not.objectContaining({ clearedAt: expect.anything() })]);
    expect(closed.body.total).toBe(1);
  });
});
