/**
 * The complaint read side over HTTP (SPEC §4, §8; issue 17): GET /complaints
 * (filters, paging, 400 naming a bad filter), GET /complaints/{id} (clocks in
 * numbers, cards, events, asOf, 404), the access trail of auditor reads, and
 * complaint alerts on GET /alerts and /alerts/stream raised by the passing of
 * time with no new event; the metric supervision_complaints_total.
 */
import { spawnSync } from 'node:child_process';
import { openSse } from '../support/sse.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { encodeCursor } from '../../src/projections/keysetPage.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  // Q-4's receipt and acceptance are recorded as they happen (seed); the rest at 2025-11-03 12:00.
  srv = await startTestServer({ now: '2025-10-31T09:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const get = (path: string, token: string = TOKENS.monitor) => call(srv.baseUrl, 'GET', path, { token });
async function post(id: string, type: string, occurredAt: string, extra: Record<string, unknown> = {}) {
  const res = await call(srv.baseUrl, 'POST', `/complaints/${id}/events`, {
    token: TOKENS.recorder,
    body: { type, occurredAt, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res;
}
const receivedBody = (centerId: string, departmentId?: string) => ({
  channel: 'hotline',
  centerId,
  subject: '窗口推诿',
  ...(departmentId === undefined ? {} : { departmentId }),
});

/** Four complaints: Q-1 accepted, Q-2 undecided (no department), Q-3 rejected and closed, Q-4 answered. */
async function seed(): Promise<void> {
  const dir = await call(srv.baseUrl, 'PUT', '/directory', {
    token: TOKENS.admin,
    body: {
      centers: [{ centerId: 'center-A', name: '五华区政务服务中心', level: 'district' }],
      departments: [{ departmentId: 'd1', name: '区市场监管局' }],
    },
  });
  expect(dir.status, dir.text).toBe(200);
  // Recorded as they happen: recorded days later, each would be a complaint-late-record card.
  await post('Q-4', 'ComplaintReceived', '2025-10-31T09:00:00+08:00', receivedBody('center-A', 'd1'));
  srv.clock.set('2025-10-31T10:00:00+08:00');
  await post('Q-4', 'ComplaintAccepted', '2025-10-31T10:00:00+08:00');
  srv.clock.set('2025-11-03T12:00:00+08:00');
  await post('Q-4', 'ComplaintAnswered', '2025-11-03T09:00:00+08:00', { finding: 'partly' });
  await post('Q-1', 'ComplaintReceived', '2025-11-03T09:00:00+08:00', receivedBody('center-A', 'd1'));
  await post('Q-1', 'ComplaintAccepted', '2025-11-03T10:00:00+08:00');
  await post('Q-2', 'ComplaintReceived', '2025-11-03T09:30:00+08:00', receivedBody('center-B'));
  await post('Q-3', 'ComplaintReceived', '2025-11-03T10:00:00+08:00', receivedBody('center-A'));
  await post('Q-3', 'ComplaintRejected', '2025-11-03T11:00:00+08:00', { reason: '不属于受理范围' });
  await post('Q-3', 'ComplaintClosed', '2025-11-03T11:30:00+08:00', { satisfaction: 'basically' });
  await caughtUp();
}

/** The projections fold asynchronously: wait until they reached the store's head. */
async function caughtUp(): Promise<void> {
  const head = await srv.store.headPosition();
  expect(await srv.readModels.waitForPosition(head, 2_000)).toBe(true);
}

const ids = (body: { items: { complaintId: string }[] }) => body.items.map((c) => c.complaintId);

describe('GET /complaints', () => {
  it('lists complaints newest receipt first with their clocks, names and alerts; pages with an opaque cursor', async () => {
    await seed();
    const all = await get('/complaints');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    expect(ids(all.body)).toEqual(['Q-3', 'Q-2', 'Q-1', 'Q-4']);
    expect(all.body.items[2]).toEqual({
      complaintId: 'Q-1',
      status: 'accepted',
      channel: 'hotline',
      centerId: 'center-A',
      centerName: '五华区政务服务中心',
      departmentId: 'd1',
      departmentName: '区市场监管局',
      subject: '窗口推诿',
      receivedAt: '2025-11-03T09:00:00.000+08:00',
      acceptedAt: '2025-11-03T10:00:00.000+08:00',
      decideDueAt: '2025-11-07T00:00:00.000+08:00',
      answerDueAt: '2025-11-25T00:00:00.000+08:00',
      alerts: [],
      provisional: false,
    });
    expect(all.body.items[1]).not.toHaveProperty('departmentId');

    const first = await get('/complaints?limit=2');
    expect(ids(first.body)).toEqual(['Q-3', 'Q-2']);
    expect(first.body.total).toBe(4);
    const second = await get(`/complaints?limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).toEqual(['Q-1', 'Q-4']);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('answers CSV on Accept: text/csv (Chinese headers, the same rows, the next cursor in a header)', async () => {
    await seed();
    const res = await call(srv.baseUrl, 'GET', '/complaints?limit=3', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toMatch(/^投诉编号,状态,渠道,中心编号,中心,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['Q-3', 'Q-2', 'Q-1']);
    expect(lines[3]).toContain('五华区政务服务中心');
    const next = res.headers.get('x-next-cursor');
    expect(ids((await get(`/complaints?cursor=${next}`)).body)).toEqual(['Q-4']);
  });

  it('filters by center, department, status, receipt dates and id prefix', async () => {
    await seed();
    expect(ids((await get('/complaints?centerId=center-B')).body)).toEqual(['Q-2']);
    expect(ids((await get('/complaints?departmentId=d1')).body)).toEqual(['Q-1', 'Q-4']);
    expect(ids((await get('/complaints?status=closed')).body)).toEqual(['Q-3']);
    expect(ids((await get('/complaints?status=answered')).body)).toEqual(['Q-4']);
    expect(ids((await get('/complaints?receivedFrom=2025-11-03')).body)).toEqual(['Q-3', 'Q-2', 'Q-1']);
    expect(ids((await get('/complaints?receivedTo=2025-11-03')).body)).toEqual(['Q-4']);
    expect(ids((await get('/complaints?q=q-1')).body)).toEqual(['Q-1']);
    expect((await get('/complaints?rule=complaint-undecided')).body.total).toBe(0);
  });

  it('filters and sorts as /cases (SPEC §8): overdue now, closure dates, the pending due, since when past due', async () => {
    await seed();
    // Pending: Q-2's decision (due at the end of counted day 3, 11-07 00:00), Q-1's answer (day 15, 11-25 00:00).
    expect(ids((await get('/complaints?sort=dueAt')).body)).toEqual(['Q-2', 'Q-1', 'Q-3', 'Q-4']);
    // Nothing pending (Q-3 rejected and closed, Q-4 answered) comes after the pending ones either way.
    expect(ids((await get('/complaints?sort=-dueAt')).body)).toEqual(['Q-1', 'Q-2', 'Q-4', 'Q-3']);
    expect(ids((await get('/complaints?sort=received')).body)).toEqual(['Q-4', 'Q-1', 'Q-2', 'Q-3']);
    expect(ids((await get('/complaints?closedFrom=2025-11-03')).body)).toEqual(['Q-3']);
    // The report's flow counts, each reproduced by a list (SPEC §4): decisions and answers by their dates.
    expect(ids((await get('/complaints?decided=accepted')).body)).toEqual(['Q-1', 'Q-4']);
    expect(ids((await get('/complaints?decided=rejected&decidedFrom=2025-11-03&decidedTo=2025-11-04')).body)).toEqual([
      'Q-3',
    ]);
    expect(ids((await get('/complaints?decided=accepted&decidedFrom=2025-11-01')).body)).toEqual(['Q-1']);
    expect(ids((await get('/complaints?answeredFrom=2025-11-03&answeredTo=2025-11-04')).body)).toEqual(['Q-4']);
    expect(ids((await get('/complaints?decided=accepted&closedFrom=2025-11-03')).body)).toEqual([]);
    expect(ids((await get('/complaints?finding=partly&departmentId=d1')).body)).toEqual(['Q-4']);
    // Reassigned after its answer: the finding stays d1's (the report's 查实), its list by answeredBy.
    await post('Q-4', 'ComplaintAssigned', '2025-11-03T11:00:00+08:00', { departmentId: 'd2' });
    await caughtUp();
    const stats = await get('/stats?from=2025-11-01&to=2025-12-01');
    expect(stats.body.complaints.substantiated).toEqual({ d1: { substantiated: 0, partly: 1 } }); // before: d2
    expect(ids((await get('/complaints?answeredBy=d1&finding=partly')).body)).toEqual(['Q-4']);
    expect(ids((await get('/complaints?departmentId=d2')).body)).toEqual(['Q-4']);
    // The report's row of complaints with no department in charge has its list too.
    expect(ids((await get('/complaints?hasDepartment=false')).body)).toEqual(['Q-3', 'Q-2']);
    expect(ids((await get('/complaints?hasDepartment=true&sort=received')).body)).toEqual(['Q-4', 'Q-1']);
    // Answered with no department in charge: none here (Q-4 was d1's); a complaint not answered never matches.
    expect((await get('/complaints?answeredBy=')).body.total).toBe(0);
    expect((await get('/complaints?finding=substantiated')).body.total).toBe(0);
    expect((await get('/complaints?closedTo=2025-11-03')).body.total).toBe(0);
    expect((await get('/complaints?overdue=true')).body.total).toBe(0);

    srv.clock.set('2025-11-07T00:00:00+08:00');
    expect(ids((await get('/complaints?overdue=true')).body)).toEqual(['Q-2']);
    expect(ids((await get('/complaints?overdue=false')).body)).toEqual(['Q-3', 'Q-1', 'Q-4']);

    srv.clock.set('2025-11-26T10:00:00+08:00');
    const worst = await get('/complaints?sort=-overdueDays');
    expect(ids(worst.body)).toEqual(['Q-2', 'Q-1', 'Q-4', 'Q-3']);
    expect(worst.body).toMatchObject({ sort: '-overdueDays', listedAt: '2025-11-26T10:00:00.000+08:00' });
    expect(ids((await get('/complaints?overdue=true&sort=-overdueDays')).body)).toEqual(['Q-2', 'Q-1']);

    // Answered with no department in charge, assigned after: the 查实 row of none lists it by answeredBy=.
    await post('Q-2', 'ComplaintAccepted', '2025-11-26T09:00:00+08:00');
    await post('Q-2', 'ComplaintAnswered', '2025-11-26T09:30:00+08:00', { finding: 'substantiated' });
    await post('Q-2', 'ComplaintAssigned', '2025-11-26T09:45:00+08:00', { departmentId: 'd1' });
    await caughtUp();
    expect(ids((await get('/complaints?answeredBy=&finding=substantiated')).body)).toEqual(['Q-2']);
    expect(ids((await get('/complaints?hasDepartment=false')).body)).toEqual(['Q-3']);
  });

  it("reproduces /stats' complaint satisfaction (SPEC §4): rows carry finding and satisfaction, filtered by closure", async () => {
    await seed(); // rejected, closed 11-03 basically satisfied, no department
    const closedAfterAnswer = async (id: string, centerId: string, day: string, finding: string, extra = {}) => {
      await post(id, 'ComplaintReceived', `2025-10-${day}T09:00:00+08:00`, receivedBody(centerId, 'd1'));
      await post(id, 'ComplaintAccepted', `2025-10-${day}T10:00:00+08:00`);
      await post(id, 'ComplaintAnswered', `2025-10-${day}T11:00:00+08:00`, { finding });
      return (closedAt: string) => post(id, 'ComplaintClosed', closedAt, extra);
    };
    await (await closedAfterAnswer('Q-5', 'center-A', '20', 'substantiated', { satisfaction: 'satisfied' }))(
      '2025-10-29T09:00:00+08:00',
    );
    await (await closedAfterAnswer('Q-6', 'center-A', '21', 'unsubstantiated', { satisfaction: 'unsatisfied' }))(
      '2025-11-03T08:00:00+08:00',
    );
    await (await closedAfterAnswer('Q-7', 'center-B', '22', 'partly'))('2025-10-31T09:00:00+08:00'); // none given
    await (await closedAfterAnswer('Q-8', 'center-A', '23', 'unsubstantiated', { satisfaction: 'basically' }))(
      '2025-10-31T10:00:00+08:00',
    );
    await caughtUp();

    // Each row says its finding once answered and its satisfaction once closed with one.
    const rows = (await get('/complaints?sort=received')).body.items as Record<string, unknown>[];
    const of = (id: string) => rows.find((r) => r['complaintId'] === id)!;
    expect(of('Q-5')).toMatchObject({ finding: 'substantiated', satisfaction: 'satisfied' });
    expect(of('Q-7')).toMatchObject({ finding: 'partly' });
    expect(of('Q-7')).not.toHaveProperty('satisfaction');
    expect(of('Q-3')).toMatchObject({ satisfaction: 'basically' });
    expect(of('Q-3')).not.toHaveProperty('finding'); // rejected, never answered
    expect(of('Q-1')).not.toHaveProperty('finding');
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...openApiDocument, $id: 'openapi' });
    const row = ajv.compile({ $ref: 'openapi#/components/schemas/ComplaintListRow' });
    for (const r of rows) expect(row(r), JSON.stringify(row.errors)).toBe(true);

    // The CSV carries both under Chinese headers.
    const csv = await call(srv.baseUrl, 'GET', '/complaints?q=Q-5', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    const [header, line] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','));
    expect(line![header!.indexOf('答复结论')]).toBe('属实');
    expect(line![header!.indexOf('投诉人满意度')]).toBe('满意');

    // One level each; content = satisfied or basically; given = any.
    expect(ids((await get('/complaints?satisfaction=satisfied')).body)).toEqual(['Q-5']);
    expect(ids((await get('/complaints?satisfaction=basically')).body)).toEqual(['Q-3', 'Q-8']);
    expect(ids((await get('/complaints?satisfaction=unsatisfied')).body)).toEqual(['Q-6']);
    expect(ids((await get('/complaints?satisfaction=content')).body)).toEqual(['Q-3', 'Q-8', 'Q-5']);
    expect(ids((await get('/complaints?satisfaction=given')).body)).toEqual(['Q-3', 'Q-8', 'Q-6', 'Q-5']);

    // With the closure dates (and the same center or department), the lists' totals are /stats' counts.
    for (const [from, to, where, withSatisfaction, satisfied] of [
      ['2025-10-01', '2025-11-01', '', 2, 2],
      ['2025-11-01', '2025-12-01', '', 2, 1],
      ['2025-10-01', '2025-12-01', '&departmentId=d1', 3, 2],
      ['2025-10-01', '2025-12-01', '&centerId=center-A', 4, 3],
      ['2025-10-01', '2025-12-01', '&centerId=center-B', 0, 0],
    ] as const) {
      const stats = (await get(`/stats?from=${from}&to=${to}${where}`)).body.complaints;
      expect([stats.withSatisfaction, stats.satisfied], `${from}${where}`).toEqual([withSatisfaction, satisfied]);
      const total = async (value: string) =>
        (await get(`/complaints?closedFrom=${from}&closedTo=${to}${where}&satisfaction=${value}`)).body.total;
      expect([await total('given'), await total('content')], `${from}${where}`).toEqual([withSatisfaction, satisfied]);
    }
  });

  it('sorted by overdueDays, a listing keeps its order while the clock raises alerts between its pages', async () => {
    await seed();
    srv.clock.set('2025-11-20T09:00:00+08:00'); // Q-2 past due; Q-1 not yet
    const first = await get('/complaints?sort=-overdueDays&limit=2');
    expect(ids(first.body)).toEqual(['Q-2', 'Q-4']);
    srv.clock.set('2025-11-26T10:00:00+08:00'); // Q-1's answer is now overdue too
    const second = await get(`/complaints?sort=-overdueDays&limit=2&cursor=${first.body.nextCursor}`);
    // Q-1's alert started after the listing's instant: it keeps its place, so no page skips it.
    expect(ids(second.body)).toEqual(['Q-3', 'Q-1']);
    expect(second.body.listedAt).toBe(first.body.listedAt);
    // A cursor of one sort is refused for another.
    const other = await get(`/complaints?sort=dueAt&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe('cursor');
  });

  it('a cursor made before the list had sorts still reads the next page of the default order', async () => {
    await seed();
    const old = encodeCursor('complaints:-received', {
      primary: Date.parse('2025-11-03T09:30:00+08:00'),
      caseId: 'Q-2',
      ordinal: 0,
    });
    expect(ids((await get(`/complaints?cursor=${old}`)).body)).toEqual(['Q-1', 'Q-4']);
  });

  it('a complaint whose answer falls due in a predicted year is provisional in /complaints (and its CSV) and on its /cards rows, as on its own read', async () => {
    await srv.close();
    srv = await startTestServer({ now: '2026-11-02T10:00:00+08:00' });
    const at = async (id: string, type: string, occurredAt: string, extra: Record<string, unknown> = {}) => {
      srv.clock.set(occurredAt); // recorded as it happens: no late-record card
      await post(id, type, occurredAt, extra);
    };
    // P-0: every day in 2026, published (received Mon 11-02, accepted late on 11-09: its complaint-undecided
    // card; answered and closed 11-10, long before the December days the 2027 notice may still set).
    await at('P-0', 'ComplaintReceived', '2026-11-02T10:00:00+08:00', receivedBody('center-A'));
    await at('P-0', 'ComplaintAccepted', '2026-11-09T10:00:00+08:00');
    await at('P-0', 'ComplaintAnswered', '2026-11-10T10:00:00+08:00', { finding: 'partly' });
    await at('P-0', 'ComplaintClosed', '2026-11-10T11:00:00+08:00', { satisfaction: 'satisfied' });
    // P-1: accepted Tue 12-22, its 15 working days to answer end in January 2027, a year only predicted.
    await at('P-1', 'ComplaintReceived', '2026-12-21T10:00:00+08:00', receivedBody('center-A'));
    await at('P-1', 'ComplaintAccepted', '2026-12-22T10:00:00+08:00');
    srv.clock.set('2027-01-20T10:00:00+08:00');
    await caughtUp();

    expect((await get('/complaints/P-1')).body.provisional).toBe(true);
    const list = await get('/complaints?q=P-');
    // Before: the detail said provisional, the list's rows had no such field.
    expect(
      list.body.items.map((r: { complaintId: string; provisional: boolean }) => [r.complaintId, r.provisional]),
    ).toEqual([
      ['P-1', true],
      ['P-0', false],
    ]);
    const csv = await call(srv.baseUrl, 'GET', '/complaints?q=P-', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/,时限为预测$/);
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['是', '否']);

    const cards = await get('/cards?from=2026-11-01&to=2027-02-01&subject=complaint');
    // Present (true) on the provisional complaint's cards, absent on the other's: a case card's rule.
    expect(
      cards.body.items.map((r: { complaintId: string; rule: string; provisional?: boolean }) => [
        r.complaintId,
        r.rule,
        r.provisional,
      ]),
    ).toEqual([
      ['P-0', 'complaint-undecided', undefined],
      ['P-1', 'complaint-answer-warning', true],
      ['P-1', 'complaint-overdue', true],
    ]);
    expect(cards.body.items[0]).not.toHaveProperty('provisional');
  });

  it('400 names the bad filter; 403 for a recorder', async () => {
    for (const [query, field] of [
      ['state=open', 'state'],
      ['status=open', 'status'],
      ['rule=overdue', 'rule'],
      ['color=blue', 'color'],
      ['receivedFrom=2025-13-01', 'receivedFrom'],
      ['receivedFrom=2025-11-03&receivedTo=2025-11-03', 'receivedTo'],
      ['closedFrom=2025-11-04&closedTo=2025-11-03', 'closedTo'],
      ['overdue=maybe', 'overdue'],
      ['decided=maybe', 'decided'],
      ['finding=true', 'finding'],
      ['satisfaction=happy', 'satisfaction'],
      ['satisfaction=satisfied,basically', 'satisfaction'],
      ['answeredFrom=2025-11-04&answeredTo=2025-11-03', 'answeredTo'],
      ['sort=subject', 'sort'],
      ['listedAt=yesterday', 'listedAt'],
      ['limit=501', 'limit'],
      ['cursor=not-ours', 'cursor'],
    ]) {
      const res = await get(`/complaints?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].field, query).toBe(field);
    }
    expect((await get('/complaints', TOKENS.recorder)).status).toBe(403);
    expect((await get('/complaints/Q-1', TOKENS.recorder)).status).toBe(403);
  });
});

describe('GET /complaints/{complaintId}', () => {
  it('gives both clocks in numbers, the cards and the events, as of now or as of an earlier instant', async () => {
    await seed();
    srv.clock.set('2025-11-25T10:00:00+08:00');
    await caughtUp();
    const now = await get('/complaints/Q-1', TOKENS.auditor);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({
      complaintId: 'Q-1',
      status: 'accepted',
      centerName: '五华区政务服务中心',
      decide: { withinDays: 3, byDate: '2025-11-06', decidedAt: '2025-11-03T10:00:00.000+08:00', onTime: true },
      answer: {
        withinDays: 15,
        warnAtDay: 12,
        warnAt: '2025-11-19T00:00:00.000+08:00',
        byDate: '2025-11-24',
        dueAt: '2025-11-25T00:00:00.000+08:00',
        usedDays: 16,
        remainingDays: 0,
        overdueDays: 1,
        onTime: false,
      },
      cards: [
        {
          rule: 'complaint-answer-warning',
          color: 'yellow',
          startedAt: '2025-11-19T00:00:00.000+08:00',
          clearedAt: '2025-11-25T00:00:00.000+08:00',
        },
        { rule: 'complaint-overdue', color: 'red', startedAt: '2025-11-25T00:00:00.000+08:00' },
      ],
      alerts: ['complaint-overdue'],
      asOf: '2025-11-25T10:00:00.000+08:00',
    });
    expect(now.body.events.map((e: { type: string; revision: number }) => [e.type, e.revision])).toEqual([
      ['ComplaintReceived', 0],
      ['ComplaintAccepted', 1],
    ]);

    srv.clock.set('2025-11-25T12:00:00+08:00');
    await post('Q-1', 'ComplaintAnswered', '2025-11-25T11:00:00+08:00', { finding: 'substantiated' });
    const answered = await get('/complaints/Q-1');
    expect(answered.body.status).toBe('answered');
    expect(answered.body.alerts).toEqual([]);
    // Off the board, but on record with no clearedAt (SPEC §3: red cards never clear; before, 11:00).
    expect(answered.body.cards[1]).toEqual({
      rule: 'complaint-overdue',
      color: 'red',
      startedAt: '2025-11-25T00:00:00.000+08:00',
    });

    const earlier = await get(
      `/complaints/Q-1?asOf=${encodeURIComponent('2025-11-10T00:00:00+08:00')}`,
      TOKENS.auditor,
    );
    expect(earlier.body).toMatchObject({ status: 'accepted', cards: [], alerts: [] });
    expect(earlier.body.events).toHaveLength(2);
    expect(earlier.body.answer).toMatchObject({ usedDays: 5, remainingDays: 10, onTime: null });
  });

  it('a monitor gets the complaint with its timing and cards but not its events: those are a history (case:history)', async () => {
    await seed();
    srv.clock.set('2025-11-25T10:00:00+08:00');
    await caughtUp();
    const monitor = await get('/complaints/Q-1', TOKENS.monitor);
    const auditor = await get('/complaints/Q-1', TOKENS.auditor);
    const admin = await get('/complaints/Q-1', TOKENS.admin);
    expect([monitor.status, auditor.status, admin.status]).toEqual([200, 200, 200]);
    // The event-by-event record, each with its revision, position, recordedAt and actor: as GET /cases/{id}/history.
    expect(monitor.body).not.toHaveProperty('events');
    expect(auditor.body.events).toHaveLength(2);
    expect(admin.body.events).toEqual(auditor.body.events);
    // Everything else alike: SPEC §4, a monitor reads one complaint with its timing and cards.
    const { events: _, ...withoutEvents } = auditor.body;
    expect(monitor.body).toEqual(withoutEvents);
    expect(monitor.body.cards).toHaveLength(2);
    // As known at K too, and the read that disclosed the events is the one on the trail.
    const known = `/complaints/Q-1?asKnownAt=${encodeURIComponent('2025-11-25T09:00:00+08:00')}`;
    expect((await get(known, TOKENS.monitor)).body).not.toHaveProperty('events');
    expect(srv.accessTrail.entries.map((e) => [e.role, e.revisions])).toEqual([
      ['auditor', [0, 1]],
      ['admin', [0, 1]],
    ]);
  });

  it('404 complaint-not-found for an unknown complaint or one not received by asOf; 400 for a bad id or asOf', async () => {
    await seed();
    const before = await get(`/complaints/Q-1?asOf=${encodeURIComponent('2025-11-01T00:00:00+08:00')}`);
    expect([before.status, before.body.error.code]).toEqual([404, 'complaint-not-found']);
    // The instants named with the zone's offset, as every instant of the API (before: 2025-10-31T16:00:00.000Z).
    expect(before.body.error.message).toBe('no complaint Q-1 received by 2025-11-01T00:00:00.000+08:00');
    const unknownThen = await get(`/complaints/Q-1?asKnownAt=${encodeURIComponent('2025-11-01T00:00:00+08:00')}`);
    expect(unknownThen.body.error.message).toBe('no complaint Q-1 received as known at 2025-11-01T00:00:00.000+08:00');
    const none = await get('/complaints/NO-SUCH');
    expect([none.status, none.body.error.code]).toEqual([404, 'complaint-not-found']);
    expect((await get('/complaints/bad%20id')).body.error.details[0].field).toBe('complaintId');
    expect((await get('/complaints/Q-1?asOf=yesterday')).body.error.details[0].field).toBe('asOf');
    expect((await get('/complaints/Q-1?as=x')).body.error.details[0].field).toBe('as');
  });

  it('asKnownAt: only the events recorded by then; a back-dated answer recorded later changes the past', async () => {
    await seed();
    srv.clock.set('2025-11-26T09:00:00+08:00');
    await post('Q-1', 'ComplaintAnswered', '2025-11-24T16:00:00+08:00', { finding: 'partly' });
    const asOf = encodeURIComponent('2025-11-25T10:00:00+08:00');
    const nowKnown = await get(`/complaints/Q-1?asOf=${asOf}`);
    expect(nowKnown.body).toMatchObject({ status: 'answered', alerts: [], answer: { onTime: true } });
    const known = encodeURIComponent('2025-11-25T12:00:00+08:00');
    const then = await get(`/complaints/Q-1?asOf=${asOf}&asKnownAt=${known}`, TOKENS.auditor);
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({
      status: 'accepted',
      alerts: ['complaint-overdue'],
      answer: { onTime: false, overdueDays: 1 },
      asKnownAt: '2025-11-25T12:00:00.000+08:00',
      calendarVersion: srv.calendarService.current().version,
    });
    expect(then.body.events).toHaveLength(2);
    expect(srv.accessTrail.entries.at(-1)).toMatchObject({
      what: 'complaint',
      complaintId: 'Q-1',
      asOf: '2025-11-25T10:00:00+08:00',
      asKnownAt: '2025-11-25T12:00:00+08:00',
    });
    const before = await get(`/complaints/Q-1?asKnownAt=${encodeURIComponent('2025-11-01T00:00:00+08:00')}`);
    expect([before.status, before.body.error.code]).toEqual([404, 'complaint-not-found']);
    expect((await get('/complaints/Q-1?asKnownAt=soon')).body.error.details[0].field).toBe('asKnownAt');
  });

  it('auditor and admin reads leave a line on the access trail; monitor reads do not', async () => {
    await seed();
    await get('/complaints/Q-1', TOKENS.monitor);
    await get('/complaints?centerId=center-A', TOKENS.monitor);
    await get('/complaints/Q-1', TOKENS.auditor);
    await get('/complaints?centerId=center-A&limit=2', TOKENS.auditor);
    await get(`/complaints/Q-2?asOf=${encodeURIComponent('2025-11-03T10:00:00+08:00')}`, TOKENS.admin);
    const csv = await call(srv.baseUrl, 'GET', '/complaints?centerId=center-A&limit=2', {
      token: TOKENS.auditor,
      headers: { accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    // Session 17: a line says what was disclosed, as a case read's does: the instant the answer was
    // computed at (the default when no asOf was sent), the revisions of the events shown, the query as sent.
    expect(srv.accessTrail.entries.map(({ at: _, token: __, ...e }) => e)).toEqual([
      {
        role: 'auditor',
        what: 'complaint',
        complaintId: 'Q-1',
        status: 200,
        answeredAsOf: '2025-11-03T12:00:00.000+08:00',
        revisions: [0, 1],
      },
      {
        role: 'auditor',
        what: 'complaint-list',
        status: 200,
        query: 'centerId=center-A&limit=2',
        complaintIds: ['Q-3', 'Q-1'],
      },
      {
        role: 'admin',
        what: 'complaint',
        complaintId: 'Q-2',
        status: 200,
        query: 'asOf=2025-11-03T10%3A00%3A00%2B08%3A00',
        asOf: '2025-11-03T10:00:00+08:00',
        answeredAsOf: '2025-11-03T10:00:00.000+08:00',
        revisions: [0, 0],
      },
      {
        role: 'auditor',
        what: 'complaint-list',
        status: 200,
        query: 'centerId=center-A&limit=2',
        format: 'csv',
        complaintIds: ['Q-3', 'Q-1'],
      },
    ]);
  });
});

describe('complaint alerts on /alerts and /alerts/stream, raised by time', () => {
  it('undecided at the end of counted day 3, the warning at 00:00 of day 12, the red card at the end of day 15', async () => {
    await seed();
    const stream = await openStream('/alerts/stream?centerId=center-A');
    await stream.waitFor(': connected');

    srv.clock.set('2025-11-07T00:00:00+08:00');
    const undecided = await get('/alerts?rule=complaint-undecided');
    expect(undecided.body.alerts).toEqual([
      {
        key: 'complaint-Q-2/complaint-undecided',
        subject: 'complaint',
        complaintId: 'Q-2',
        rule: 'complaint-undecided',
        color: 'red',
        centerId: 'center-B',
        departmentId: '',
        startedAt: '2025-11-07T00:00:00.000+08:00',
        calendarVersion: srv.calendarService.current().version,
        policyVersion: expect.any(String),
        details: {
          receivedAt: '2025-11-03T09:30:00.000+08:00',
          withinDays: 3,
          dueAt: '2025-11-07T00:00:00.000+08:00',
        },
        overdueDays: 0,
      },
    ]);
    expect(ids((await get('/complaints?rule=complaint-undecided&color=red')).body)).toEqual(['Q-2']);

    srv.clock.set('2025-11-19T00:00:00+08:00');
    const warning = await get('/alerts?centerId=center-A&color=yellow');
    expect(warning.body.alerts.map((a: { key: string }) => a.key)).toEqual(['complaint-Q-1/complaint-answer-warning']);
    expect(warning.body.summary.byRule).toEqual([{ rule: 'complaint-answer-warning', color: 'yellow', count: 1 }]);
    expect(warning.body.summary.byCenter).toEqual([
      { centerId: 'center-A', red: 0, yellow: 1, complaints: { red: 0, yellow: 1 } },
    ]);

    srv.clock.set('2025-11-26T10:00:00+08:00');
    const red = await get('/alerts?rule=complaint-overdue&departmentId=d1');
    expect(red.body.alerts.map((a: { key: string; overdueDays: number }) => [a.key, a.overdueDays])).toEqual([
      ['complaint-Q-1/complaint-overdue', 2],
    ]);
    await post('Q-1', 'ComplaintAnswered', '2025-11-26T10:00:00+08:00', { finding: 'unsubstantiated' });
    await waitUntil(async () => (await get('/alerts?centerId=center-A')).body.total === 0);
    await stream.waitFor('"at":"2025-11-26T10:00:00.000+08:00"');
    stream.close();
    expect(stream.messages().map((m) => `${m.event}:${m.data.rule}@${m.data.at}`)).toEqual([
      'alert-raised:complaint-answer-warning@2025-11-19T00:00:00.000+08:00',
      'alert-cleared:complaint-answer-warning@2025-11-25T00:00:00.000+08:00',
      'alert-raised:complaint-overdue@2025-11-25T00:00:00.000+08:00',
      'alert-cleared:complaint-overdue@2025-11-26T10:00:00.000+08:00',
    ]);
    expect(stream.messages().every((m) => m.data.subject === 'complaint' && m.data.complaintId === 'Q-1')).toBe(true);
  });

  // The center label is the case metrics' (centerLabels.ts: directory centers only, tested in metrics.test.ts).
  it('counts supervision_complaints_total{center,stage}, one per stage reached; promtool accepts it', async () => {
    await seed();
    const text = await srv.metrics.render();
    const sample = (center: string, stage: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`supervision_complaints_total{center="${center}",stage="${stage}"}`))
          ?.split(' ')
          .at(-1) ?? 0,
      );
    expect(sample('center-A', 'received')).toBe(3);
    expect(sample('center-A', 'accepted')).toBe(2);
    expect(sample('center-A', 'rejected')).toBe(1);
    expect(sample('center-A', 'answered')).toBe(1);
    expect(sample('center-A', 'closed')).toBe(1);
    // center-B is not in the directory: counted under "unregistered", never under its id (SPEC §7).
    expect(sample('unregistered', 'received')).toBe(1);
    expect(sample('unregistered', 'accepted')).toBe(0);
    expect(text).not.toContain('center="center-B"');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error === undefined) expect(promtool.stdout + promtool.stderr).toBe('');
  });
});

async function waitUntil(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

const openStream = (path: string) => openSse(srv.baseUrl, path, TOKENS.monitor);
