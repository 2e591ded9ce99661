/**
 * The register of withdrawn cards over HTTP (SPEC §3: cards are the permanent record of every alert,
 * with the instant it started and, for yellow, the instant it cleared): a yellow card's clearing the
 * board showed, then moved or erased by a back-dated write; a card withdrawn by a calendar
 * correction and put back by the next; a red card withdrawn by a write recorded in the millisecond it
 * started; and the case's history saying them (a reviewer's set-ups).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

function validator(schema: string) {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...openApiDocument, $id: 'openapi' });
  return ajv.compile({ $ref: `openapi#/components/schemas/${schema}` });
}

const get = async (path: string, token: string = TOKENS.admin) => {
  const res = await call(srv!.baseUrl, 'GET', path, { token });
  expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(200);
  return res;
};
const SEPTEMBER = 'from=2025-09-01&to=2025-10-01';
type Row = Record<string, unknown>;

describe("a yellow card's shown clearing, moved or erased by a back-dated write", () => {
  it('is listed as a changed clearing: /cards/withdrawn, its CSV, the case page, its history and the report', async () => {
    srv = await startTestServer({ now: '2025-09-01T09:00:00+08:00' });
    const { caseId: _c, ...acceptance } = accepted('Y1', '2025-09-01T09:00:00+08:00', { promisedDays: 5 });
    expect(
      (await call(srv.baseUrl, 'POST', '/cases/Y1/events', { token: TOKENS.recorder, body: acceptance })).status,
    ).toBe(201);
    srv.clock.set('2025-09-09T10:00:00+08:00');
    const shown = (await get(`/cards?${SEPTEMBER}`)).body.items.map((c: Row) => [c.rule, c.startedAt, c.clearedAt]);
    expect(shown).toEqual([
      ['deadline-warning', '2025-09-05T00:00:00.000+08:00', '2025-09-09T00:00:00.000+08:00'],
      ['overdue', '2025-09-09T00:00:00.000+08:00', undefined],
    ]);
    srv.clock.set('2025-09-09T11:00:00+08:00');
    const events = [
      { caseId: 'Y1', type: 'CasePaused', occurredAt: '2025-09-05T10:00:00+08:00', pauseId: 'p1', reason: 'testing' },
      { caseId: 'Y1', type: 'CaseResumed', occurredAt: '2025-09-08T10:00:00+08:00', pauseId: 'p1' },
    ];
    expect((await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } })).status).toBe(200);
    srv.clock.set('2025-09-09T12:00:00+08:00');
    const page = await get('/cases/Y1');

    const withdrawn = (await get(`/cards/withdrawn?${SEPTEMBER}`)).body;
    const check = validator('WithdrawnCardPage');
    expect(check(withdrawn), JSON.stringify(check.errors)).toBe(true);
    expect(withdrawn.items.map((c: Row) => [c.rule, c.clearedAt, c.clearingChanged, c.withdrawnAt])).toEqual([
      ['deadline-warning', '2025-09-09T00:00:00.000+08:00', true, '2025-09-09T11:00:00.000+08:00'],
      ['overdue', undefined, undefined, '2025-09-09T11:00:00.000+08:00'],
    ]);
    const csv = await call(srv.baseUrl, 'GET', `/cards/withdrawn?${SEPTEMBER}`, {
      token: TOKENS.admin,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text).toContain('消除时间更正（牌仍在册）');
    expect(page.body.withdrawnCards.map((c: Row) => [c.rule, c.clearingChanged])).toEqual([
      ['overdue', undefined],
      ['deadline-warning', true],
    ]);

    // The case's history: the first page's current has the withdrawn cards, as the case page does,
    // and the timeline says when each was withdrawn.
    const history = (await get('/cases/Y1/history', TOKENS.auditor)).body;
    const checkHistory = validator('CaseHistory');
    expect(checkHistory(history), JSON.stringify(checkHistory.errors)).toBe(true);
    expect(history.current.withdrawnCards).toEqual(page.body.withdrawnCards);
    const rows = history.entries.filter((e: Row) => e.kind === 'card-withdrawn');
    expect(rows.map((e: { at: string; card: Row }) => [e.at, e.card.rule])).toEqual([
      ['2025-09-09T11:00:00.000+08:00', 'overdue'],
      ['2025-09-09T11:00:00.000+08:00', 'deadline-warning'],
    ]);
    // As known before the write: nothing withdrawn, no row.
    const before = (await get(`/cases/Y1/history?asKnownAt=${encodeURIComponent('2025-09-09T10:00:00+08:00')}`)).body;
    expect(before.current.withdrawnCards).toBeUndefined();
    expect(before.entries.some((e: Row) => e.kind === 'card-withdrawn')).toBe(false);

    const report = (await get('/reports/monthly?month=2025-09')).body;
    expect(report.cards.withdrawn).toEqual({ total: 1, yellow: 0, red: 1, clearingsChanged: 1 });
  });
});

describe('a red card withdrawn by a write recorded in the very millisecond it started', () => {
  it('is in the register, the case page (as known then too) and the history; the warning its start cleared, a changed clearing', async () => {
    // A reviewer's case E3: 5 days from Monday 2025-11-03, due 11-11 00:00, when the board showed the red card;
    // a completion of 11-10 23:59:59.999 is recorded at 11-11 00:00:00.000.
    srv = await startTestServer({ now: '2025-11-03T10:00:00+08:00' });
    const post = async (body: Record<string, unknown>) =>
      expect((await call(srv!.baseUrl, 'POST', '/cases/E3/events', { token: TOKENS.recorder, body })).status).toBe(201);
    const { caseId: _c, ...acceptance } = accepted('E3', '2025-11-03T09:00:00+08:00', { promisedDays: 5 });
    await post(acceptance);
    const DUE = '2025-11-11T00:00:00.000+08:00';
    srv.clock.set(DUE);
    const NOVEMBER = 'from=2025-11-01&to=2025-12-01';
    expect((await get(`/cards?${NOVEMBER}`)).body.items.map((c: Row) => [c.rule, c.startedAt])).toContainEqual([
      'overdue',
      DUE,
    ]);
    const occurredAt = '2025-11-10T23:59:59.999+08:00';
    await post({ type: 'CaseCompleted', outcome: 'approved', occurredAt });

    const withdrawn = (await get(`/cards/withdrawn?${NOVEMBER}`)).body;
    const check = validator('WithdrawnCardPage');
    expect(check(withdrawn), JSON.stringify(check.errors)).toBe(true);
    const rows = (items: Row[]) => items.map((c) => [c.rule, c.startedAt, c.clearedAt, c.withdrawnAt, c.nowClearedAt]);
    expect(rows(withdrawn.items)).toEqual([
      ['deadline-warning', '2025-11-07T00:00:00.000+08:00', DUE, DUE, occurredAt],
      ['overdue', DUE, undefined, DUE, undefined],
    ]);
    const page = (await get('/cases/E3')).body;
    expect(page.cards.map((c: Row) => c.rule)).toEqual(['deadline-warning']);
    expect(page.withdrawnCards.map((c: Row) => [c.rule, c.clearingChanged])).toEqual([
      ['overdue', undefined],
      ['deadline-warning', true],
    ]);
    // As known at that millisecond (every write recorded by then, SPEC §3): completed, the red card withdrawn.
    const k = encodeURIComponent(DUE);
    const then = (await get(`/cases/E3?asKnownAt=${k}`)).body;
    expect(then.cards.map((c: Row) => c.rule)).toEqual(['deadline-warning']);
    expect(then.withdrawnCards).toEqual(page.withdrawnCards);
    const history = (await get('/cases/E3/history', TOKENS.auditor)).body;
    expect(
      history.entries
        .filter((e: Row) => e.kind === 'card-withdrawn')
        .map((e: { at: string; card: Row }) => [e.at, e.card.rule]),
    ).toEqual([
      [DUE, 'overdue'],
      [DUE, 'deadline-warning'],
    ]);
    // As known a millisecond before: not due yet, nothing withdrawn.
    const before = (await get(`/cases/E3?asKnownAt=${encodeURIComponent(occurredAt)}`)).body;
    expect(before.withdrawnCards).toBeUndefined();

    const report = (await get('/reports/monthly?month=2025-11')).body;
    expect(report.cards.withdrawn).toEqual({ total: 1, yellow: 0, red: 1, clearingsChanged: 1 });
  });
});

describe('a card withdrawn by a calendar correction and put back by the next', () => {
  it('is listed as reinstated, not counted as withdrawn; as known in between it was withdrawn', async () => {
    srv = await startTestServer({ now: '2025-09-22T10:00:00+08:00' });
    const { caseId: _c, ...acceptance } = accepted('C9', '2025-09-22T10:00:00+08:00', { promisedDays: 3 });
    expect(
      (await call(srv.baseUrl, 'POST', '/cases/C9/events', { token: TOKENS.recorder, body: acceptance })).status,
    ).toBe(201);
    srv.clock.set('2025-09-25T10:00:00+08:00'); // yellow since 09-25 00:00
    const year = (await get('/calendar/2025')).body;
    const put = async (holidays: string[]) =>
      expect(
        (
          await call(srv!.baseUrl, 'PUT', '/calendar/2025', {
            token: TOKENS.admin,
            body: { holidays, workdays: year.workdays },
          })
        ).status,
      ).toBe(200);
    srv.clock.set('2025-09-25T11:00:00+08:00');
    await put([...year.holidays, '2025-09-24'].sort());
    srv.clock.set('2025-09-25T12:00:00+08:00');
    await put(year.holidays);
    srv.clock.set('2025-09-25T13:00:00+08:00');

    const page = (await get('/cases/C9')).body;
    expect(page.cards.map((c: Row) => [c.rule, c.startedAt])).toEqual([
      ['deadline-warning', '2025-09-25T00:00:00.000+08:00'],
    ]);
    const withdrawn = (await get(`/cards/withdrawn?${SEPTEMBER}`)).body;
    const check = validator('WithdrawnCardPage');
    expect(check(withdrawn), JSON.stringify(check.errors)).toBe(true);
    expect(withdrawn.items.map((c: Row) => [c.rule, c.startedAt, c.withdrawnAt, c.reinstatedAt])).toEqual([
      [
        'deadline-warning',
        '2025-09-25T00:00:00.000+08:00',
        '2025-09-25T11:00:00.000+08:00',
        '2025-09-25T12:00:00.000+08:00',
      ],
    ]);
    expect(withdrawn.items[0].reinstatedBy).toEqual({
      calendarVersion: page.calendarVersion,
      previousCalendarVersion: withdrawn.items[0].withdrawnBy.calendarVersion,
    });
    expect(page.withdrawnCards[0].reinstatedAt).toBe('2025-09-25T12:00:00.000+08:00');
    const csv = await call(srv.baseUrl, 'GET', `/cards/withdrawn?${SEPTEMBER}`, {
      token: TOKENS.admin,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text).toContain('撤销，已恢复');
    // As known at 11:30 it was withdrawn and not yet put back.
    const k = encodeURIComponent('2025-09-25T11:30:00+08:00');
    const then = (await get(`/cases/C9?asKnownAt=${k}`)).body;
    expect(then.withdrawnCards.map((c: Row) => [c.withdrawnAt, c.reinstatedAt])).toEqual([
      ['2025-09-25T11:00:00.000+08:00', undefined],
    ]);
    expect((await get(`/cases/C9/history?asKnownAt=${k}`, TOKENS.auditor)).body.current.withdrawnCards).toEqual(
      then.withdrawnCards,
    );
    const report = (await get('/reports/monthly?month=2025-09')).body;
    expect(report.cards.withdrawn).toEqual({ total: 0, yellow: 0, red: 0, reinstated: 1 });
  });
});

describe("a complaint's answer warning: its shown clearing moved by an answer recorded after the fact", () => {
  it('is listed as a changed clearing: /cards/withdrawn, its CSV, the complaint page (as known then too) and the report', async () => {
    // Accepted Monday 2025-11-03: the answer warning from 11-19 00:00, the red card from 11-25 00:00,
    // which the board showed clearing the warning; the answer of 11-20 16:00 is recorded on 11-26.
    srv = await startTestServer({ now: '2025-11-03T10:00:00+08:00' });
    const post = async (type: string, occurredAt: string, extra: Record<string, unknown> = {}) =>
      expect(
        (
          await call(srv!.baseUrl, 'POST', '/complaints/Q1/events', {
            token: TOKENS.recorder,
            body: { type, occurredAt, ...extra },
          })
        ).status,
      ).toBe(201);
    await post('ComplaintReceived', '2025-11-03T09:00:00+08:00', {
      channel: 'hotline',
      centerId: 'center-A',
      subject: '窗口推诿',
    });
    await post('ComplaintAccepted', '2025-11-03T10:00:00+08:00');
    srv.clock.set('2025-11-26T10:00:00+08:00');
    await post('ComplaintAnswered', '2025-11-20T16:00:00+08:00', { finding: 'partly' });
    srv.clock.set('2025-11-26T11:00:00+08:00');
    const NOVEMBER = 'from=2025-11-01&to=2025-12-01';

    const withdrawn = (await get(`/cards/withdrawn?${NOVEMBER}`)).body;
    const check = validator('WithdrawnCardPage');
    expect(check(withdrawn), JSON.stringify(check.errors)).toBe(true);
    expect(
      withdrawn.items.map((c: Row) => [c.complaintId, c.rule, c.clearedAt, c.clearingChanged, c.nowClearedAt]),
    ).toEqual([
      ['Q1', 'complaint-answer-warning', '2025-11-25T00:00:00.000+08:00', true, '2025-11-20T16:00:00.000+08:00'],
      ['Q1', 'complaint-overdue', undefined, undefined, undefined],
    ]);
    const csv = await call(srv.baseUrl, 'GET', `/cards/withdrawn?${NOVEMBER}`, {
      token: TOKENS.admin,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text).toContain('消除时间更正（牌仍在册）');

    const page = (await get('/complaints/Q1')).body;
    const checkPage = validator('ComplaintDetail');
    expect(checkPage(page), JSON.stringify(checkPage.errors)).toBe(true);
    expect(page.withdrawnCards.map((c: Row) => [c.rule, c.clearingChanged])).toEqual([
      ['complaint-overdue', undefined],
      ['complaint-answer-warning', true],
    ]);
    // As known before the answer was recorded: nothing withdrawn.
    const k = encodeURIComponent('2025-11-26T09:00:00+08:00');
    expect((await get(`/complaints/Q1?asKnownAt=${k}`)).body.withdrawnCards).toBeUndefined();

    const report = (await get('/reports/monthly?month=2025-11')).body;
    expect(report.cards.withdrawn).toEqual({ total: 1, yellow: 0, red: 1, clearingsChanged: 1 });
  });
});
