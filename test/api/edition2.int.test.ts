import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-01T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const post = (caseId: string, body: Record<string, unknown>) =>
  call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
const get = (path: string) => call(srv.baseUrl, 'GET', path, { token: TOKENS.monitor });
const put = (path: string, body: unknown) => call(srv.baseUrl, 'PUT', path, { token: TOKENS.admin, body });
const extension = (occurredAt: string, days = 2) => ({
  type: 'CaseExtended',
  occurredAt,
  days,
  approvedBy: '分管局长',
  reason: '需现场核查',
});
/** A promised 3-day case accepted Mon 2025-09-01: deadline Thu 09-04, due 2025-09-05T00:00+08:00. */
async function seed(caseId: string) {
  const { caseId: _c, ...body } = accepted(caseId, '2025-09-01T09:00:00+08:00', { promisedDays: 3 });
  expect((await post(caseId, body)).status).toBe(201);
}

describe('CaseExtended and CaseEscalationAnswered over HTTP', () => {
  it('an extension at or after dueAt is 409 extension-after-deadline; decide uses the calendar in force', async () => {
    await seed('X-1');
    await seed('X-2');
    srv.clock.set('2025-09-05T12:00:00+08:00');
    const late = await post('X-1', extension('2025-09-05T12:00:00+08:00'));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('extension-after-deadline');
    // A correction of 2025 makes Tue 09-02 a holiday: X-2 is now due 2025-09-06T00:00, so the same extension is in time.
    const year = await get('/calendar/2025');
    const corrected = await put('/calendar/2025', {
      holidays: [...year.body.holidays, '2025-09-02'],
      workdays: year.body.workdays,
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body.changes).toEqual({
      holidaysAdded: ['2025-09-02'],
      holidaysRemoved: [],
      workdaysAdded: [],
      workdaysRemoved: [],
    });
    expect((await post('X-2', extension('2025-09-05T12:00:00+08:00'))).status).toBe(201);
    const x2 = await get('/cases/X-2');
    expect(x2.body).toMatchObject({ deadlineDate: '2025-09-09', extendedDays: 2, promisedDays: 3 });
    expect(x2.body.extensions).toEqual([
      { at: '2025-09-05T12:00:00.000+08:00', days: 2, approvedBy: '分管局长', reason: '需现场核查' },
    ]);
  });

  it('over the limit is 409 extension-limit; a bad days value is 400 naming days', async () => {
    await seed('X-3');
    srv.clock.set('2025-09-02T12:00:00+08:00');
    expect((await post('X-3', extension('2025-09-02T10:00:00+08:00', 8))).status).toBe(201);
    const over = await post('X-3', extension('2025-09-02T11:00:00+08:00', 3));
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('extension-limit');
    const bad = await post('X-3', extension('2025-09-02T11:00:00+08:00', 31));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('days');
  });

  it('escalations carry ids and replies; answering twice or an unknown id is 409', async () => {
    await seed('X-4');
    srv.clock.set('2025-09-03T12:00:00+08:00');
    const esc = { type: 'CaseEscalated', occurredAt: '2025-09-01T15:00:00+08:00', level: 'supervision', by: 'office' };
    expect((await post('X-4', esc)).status).toBe(201);
    const reply = { type: 'CaseEscalationAnswered', occurredAt: '2025-09-02T10:00:00+08:00', escalationId: 'e1' };
    expect((await post('X-4', reply)).status).toBe(201);
    expect((await post('X-4', { ...reply, occurredAt: '2025-09-02T11:00:00+08:00' })).status).toBe(409);
    expect((await post('X-4', { ...reply, escalationId: 'e7', occurredAt: '2025-09-02T11:00:00+08:00' })).status).toBe(
      409,
    );
    const c = await get('/cases/X-4');
    expect(c.body.escalations).toEqual([
      expect.objectContaining({
        escalationId: 'e1',
        respondBy: '2025-09-04T00:00:00.000+08:00',
        answeredAt: '2025-09-02T10:00:00.000+08:00',
        answeredOnTime: true,
      }),
    ]);
  });
});

describe('PUT and GET /calendar/{year}: notices as published, predicted years', () => {
  it('a partial notice is 400 naming the missing law holidays; nothing stored', async () => {
    const partial = await put('/calendar/2027', { holidays: ['2027-01-01'], workdays: [] });
    expect(partial.status).toBe(400);
    expect(partial.body.error.details[0]).toMatchObject({ field: 'holidays' });
    expect(partial.body.error.message).toContain('2027-02-05 (除夕)');
    expect((await get('/calendar/2027')).body).toMatchObject({ status: 'predicted', provisional: true });
  });

  it('a weekday make-up day is 400 naming it', async () => {
    const year = await get('/calendar/2027');
    const res = await put('/calendar/2027', { holidays: year.body.holidays, workdays: ['2027-02-20', '2027-02-22'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('workdays[1]');
  });

  it('GET of a predicted year lists the law holidays assumed; publishing it says what changed', async () => {
    const predicted = await get('/calendar/2027');
    expect(predicted.body).toMatchObject({ status: 'predicted', source: 'predicted', workdays: [] });
    expect(predicted.body.assumedHolidays).toContainEqual({ date: '2027-02-05', name: '除夕' });
    // A notice in the form the State Council publishes: its law days plus bridging days and a make-up Saturday.
    const notice = {
      holidays: [...predicted.body.holidays, '2027-02-09', '2027-02-10', '2026-12-31'],
      workdays: ['2027-02-20'],
    };
    const res = await put('/calendar/2027', notice);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'published', source: 'published', provisional: false });
    expect(res.body.holidays[0]).toBe('2026-12-31');
    expect(res.body.changes).toEqual({
      holidaysAdded: ['2026-12-31', '2027-02-09', '2027-02-10'],
      holidaysRemoved: [],
      workdaysAdded: ['2027-02-20'],
      workdaysRemoved: [],
    });
  });
});
