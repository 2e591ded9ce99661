/** `GET /cards` (SPEC §4): the register of a period's cards; its totals equal `/stats` card counts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RULE_COLOR } from '../../src/domain/lists.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-10-20T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const get = (path: string, token: string = TOKENS.monitor, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'GET', path, { token, headers });

/** 09:00 local on 2025-09-01 plus `days`. */
const at = (days: number) => `${new Date(Date.UTC(2025, 8, 1 + days)).toISOString().slice(0, 10)}T09:00:00+08:00`;

/** 36 cases over September and early October, two centers; short promises go overdue, some are escalated. */
async function seed(): Promise<void> {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 36; i++) {
    const caseId = `K-${String(i).padStart(3, '0')}`;
    const d = i; // one case a day from 09-01 to 10-06
    events.push(
      accepted(caseId, at(d), {
        centerId: i % 2 === 0 ? 'center-A' : 'center-B',
        departmentId: i % 3 === 0 ? 'dep-1' : 'dep-2',
        promisedDays: [1, 3, 5, 10][i % 4],
      }),
    );
    if (i % 5 === 0) events.push({ type: 'CaseCompleted', caseId, occurredAt: at(d + 1), outcome: 'approved' });
    else if (i % 7 === 1)
      events.push({ type: 'CaseEscalated', caseId, occurredAt: at(d + 1), level: 'reminder', by: 'office' });
  }
  const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
  expect(res.status).toBe(200);
  for (const r of res.body.results) expect(r.status).toBe(201);
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
}

async function allRows(query: string, limit: number) {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await get(`/cards?${query}&limit=${limit}${cursor === undefined ? '' : `&cursor=${cursor}`}`);
    expect(res.status).toBe(200);
    rows.push(...res.body.items);
    if (res.body.nextCursor === undefined) return { rows, total: res.body.total as number };
    cursor = res.body.nextCursor;
  }
}

describe('GET /cards', () => {
  it('its totals equal /stats card counts for the same period, center, department and rule', async () => {
    await seed();
    const periods = [
      ['2025-09-01', '2025-10-01'],
      ['2025-09-10', '2025-09-17'],
      ['2025-10-01', '2025-11-01'],
      ['2025-08-01', '2025-12-01'],
    ];
    let seen = 0;
    for (const [from, to] of periods) {
      for (const filter of ['', '&centerId=center-A', '&centerId=center-B&departmentId=dep-2', '&departmentId=dep-1']) {
        const stats = (await get(`/stats?from=${from}&to=${to}${filter}`)).body;
        const register = await get(`/cards?from=${from}&to=${to}${filter}`);
        expect(register.body.total, `${from} ${to} ${filter}`).toBe(stats.flow.cardsTotal);
        seen += register.body.total;
        for (const c of stats.flow.cards as { rule: string; count: number }[]) {
          expect((await get(`/cards?from=${from}&to=${to}${filter}&rule=${c.rule}`)).body.total).toBe(c.count);
          const byColor = (
            await get(`/cards?from=${from}&to=${to}${filter}&color=${RULE_COLOR[c.rule as keyof typeof RULE_COLOR]}`)
          ).body.total;
          expect(byColor).toBeGreaterThanOrEqual(c.count);
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('pages through the period once each, in the order the cards started, each row explained', async () => {
    await seed();
    const { rows, total } = await allRows('from=2025-09-01&to=2025-11-01', 4);
    expect(rows).toHaveLength(total);
    // Two late records of one case start together: the explanation names which event each is about.
    const keys = rows.map(
      (r) =>
        `${r.caseId}|${r.rule}|${r.startedAt}|${r.escalation ?? ''}|${(r.explain as { revision?: number }).revision ?? ''}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const starts = rows.map((r) => Date.parse(r.startedAt as string));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const rules = new Set(rows.map((r) => r.rule));
    expect(rules).toContain('overdue');
    expect(rules).toContain('escalation-unanswered');
    const overdue = rows.find((r) => r.rule === 'overdue')!;
    expect(overdue).toMatchObject({
      color: 'red',
      centerId: expect.any(String),
      departmentId: expect.any(String),
      matterCode: 'M-1',
    });
    expect(overdue.explain).toMatchObject({ overdueDays: expect.any(Number), deadlineDate: expect.any(String) });
    expect(rows.some((r) => r.rule === 'deadline-warning' && typeof r.clearedAt === 'string')).toBe(true);
  });

  it('a cursor is refused with another period or other filters (rows were skipped silently), kept with another page size', async () => {
    await seed();
    const first = await get('/cards?from=2025-09-01&to=2025-11-01&limit=5');
    const cursor = first.body.nextCursor as string;
    for (const other of [
      'from=2025-09-01&to=2025-11-01&departmentId=dep-1',
      'from=2025-10-01&to=2025-11-01',
      'from=2025-09-01&to=2025-11-01&color=red',
    ]) {
      const res = await get(`/cards?${other}&limit=5&cursor=${cursor}`);
      expect(res.status, other).toBe(400);
      expect(res.body.error.details[0].field).toBe('cursor');
      expect(res.body.error.message).toMatch(/another period or other filters/);
    }
    expect((await get(`/cards?from=2025-09-01&to=2025-11-01&limit=7&cursor=${cursor}`)).status).toBe(200);
  });

  it('CSV: byte-order mark, Chinese headers, the explanation figures on each line', async () => {
    await seed();
    const res = await get('/cards?from=2025-09-01&to=2025-10-01&rule=overdue', TOKENS.auditor, { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain('cards-2025-09-01-2025-10-01.csv');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      '对象,编号,规则,颜色,亮牌时间,消除时间,中心编号,中心,部门编号,部门,事项编码,事项名称,说明（数字）,时限为预测',
    );
    const total = (await get('/cards?from=2025-09-01&to=2025-10-01&rule=overdue')).body.total;
    expect(lines).toHaveLength(total + 1);
    expect(lines[1]).toMatch(/,逾期,红牌,.*逾期工作日 \d+/);
  });

  it('answers 400 naming every bad parameter, 403 to a recorder', async () => {
    const bad: [string, string][] = [
      ['to=2025-10-01', 'from'],
      ['from=2025-09-01', 'to'],
      ['from=2025-09-01&to=2025-09-01', 'to'],
      ['from=2025-09-31&to=2025-10-01', 'from'],
      ['from=2025-09-01&to=2025-10-01&rule=late', 'rule'],
      ['from=2025-09-01&to=2025-10-01&color=blue', 'color'],
      ['from=2025-09-01&to=2025-10-01&subject=cases', 'subject'],
      ['from=2025-09-01&to=2025-10-01&limit=501', 'limit'],
      ['from=2025-09-01&to=2025-10-01&cursor=abc', 'cursor'],
      ['from=2025-09-01&to=2025-10-01&status=open', 'status'],
    ];
    for (const [q, field] of bad) {
      const res = await get(`/cards?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.details[0].field, q).toBe(field);
    }
    expect((await get('/cards?from=2025-09-01&to=2025-10-01', TOKENS.recorder)).status).toBe(403);
    for (const token of [TOKENS.auditor, TOKENS.admin])
      expect((await get('/cards?from=2025-09-01&to=2025-10-01', token)).status).toBe(200);
  });
});

describe('GET /cards: each card explained by its own rule', () => {
  it('a deadline warning split by an extension: each row has the warning day in force when it started, and what cleared it', async () => {
    const id = 'SPLIT-1';
    const events = [
      accepted(id, '2025-09-01T09:00:00+08:00', { promisedDays: 5 }),
      { type: 'CasePaused', caseId: id, occurredAt: '2025-09-05T10:00:00+08:00', pauseId: 'p', reason: 'supplement' },
      {
        type: 'CaseExtended',
        caseId: id,
        occurredAt: '2025-09-08T10:00:00+08:00',
        days: 5,
        approvedBy: '局长',
        reason: '需现场核查',
      },
      { type: 'CaseResumed', caseId: id, occurredAt: '2025-09-10T10:00:00+08:00', pauseId: 'p' },
      { type: 'CaseCompleted', caseId: id, occurredAt: '2025-09-17T10:00:00+08:00', outcome: 'approved' },
    ];
    const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
    const { rows } = await allRows('from=2025-09-01&to=2025-10-01&rule=deadline-warning', 10);
    const facts = rows.map((r) => {
      const x = r['explain'] as Record<string, unknown>;
      return [r['startedAt'], r['clearedAt'], x['warnAtDay'], x['warnDate'], x['extendedDays'], x['clearedBy']];
    });
    expect(facts).toEqual([
      // Counted day 4 of 5 (09-02 … 09-05), cleared by the extension that moved the day to 8 of 10.
      [
        '2025-09-05T00:00:00.000+08:00',
        '2025-09-08T10:00:00.000+08:00',
        4,
        '2025-09-05',
        0,
        'the extension at 2025-09-08T10:00:00.000+08:00, which moved the warning day past it',
      ],
      // Day 8 of 10 counting around the pause (09-05 … 09-10): 09-16; cleared by the completion. Before, this row
      // repeated the first one's explanation (cleared by the extension).
      ['2025-09-16T00:00:00.000+08:00', '2025-09-17T10:00:00.000+08:00', 8, '2025-09-16', 5, undefined],
    ]);
  });
});

describe('GET /cards: escalation cards', () => {
  it('name the escalation by its own id, beside its index (SPEC §2 escalationId)', async () => {
    await seed();
    const { rows } = await allRows('from=2025-09-01&to=2025-11-01&rule=escalation-unanswered', 50);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect([r['escalation'], r['escalationId']]).toEqual([0, 'e1']);
    const c = await get(`/cases/${rows[0]!['caseId']}`);
    const card = c.body.cards.find((x: { rule: string }) => x.rule === 'escalation-unanswered');
    expect(card).toMatchObject({ escalation: 0, escalationId: 'e1' });
  });
});

describe('complaint cards in the register (SPEC §3: the record of every alert raised; §8)', () => {
  const complaint = async (id: string, type: string, occurredAt: string, extra: Record<string, unknown> = {}) => {
    const res = await call(srv.baseUrl, 'POST', `/complaints/${id}/events`, {
      token: TOKENS.recorder,
      body: { type, occurredAt, ...extra },
    });
    expect(res.status, res.text).toBe(201);
  };

  it("are listed beside the cases', counted in /stats complaints.cards and in the month report's cards", async () => {
    await seed();
    const received = { channel: 'hotline', centerId: 'center-A', subject: '窗口推诿' };
    // Q-1: received Mon 09-01, never decided: complaint-undecided at the end of counted day 3 (09-04).
    await complaint('Q-1', 'ComplaintReceived', '2025-09-01T09:00:00+08:00', { ...received, departmentId: 'dep-1' });
    // Q-2: accepted 09-01 by dep-1, dep-2's from 09-02, answered 10-10: the warning at the start of counted
    // day 12 (09-17), overdue at the end of day 15 (09-22), cleared by the answer.
    await complaint('Q-2', 'ComplaintReceived', '2025-09-01T09:00:00+08:00', { ...received, departmentId: 'dep-1' });
    await complaint('Q-2', 'ComplaintAccepted', '2025-09-01T10:00:00+08:00');
    await complaint('Q-2', 'ComplaintAssigned', '2025-09-02T10:00:00+08:00', { departmentId: 'dep-2' });
    await complaint('Q-2', 'ComplaintAnswered', '2025-10-10T10:00:00+08:00', { finding: 'partly' });
    expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);

    const sept = 'from=2025-09-01&to=2025-10-01';
    const rows = async (q: string) => (await get(`/cards?${sept}&${q}`)).body.items as Record<string, unknown>[];
    // Before: 400, rule must be one of the case rules; and no complaint card in any listing.
    expect(await rows('rule=complaint-undecided')).toEqual([
      expect.objectContaining({
        complaintId: 'Q-1',
        color: 'red',
        startedAt: '2025-09-05T00:00:00.000+08:00',
        centerId: 'center-A',
        departmentId: 'dep-1',
      }),
    ]);
    const [warning] = await rows('rule=complaint-answer-warning');
    expect(warning).toMatchObject({
      complaintId: 'Q-2',
      startedAt: '2025-09-17T00:00:00.000+08:00',
      clearedAt: '2025-09-23T00:00:00.000+08:00',
      departmentId: 'dep-2', // in charge when it started
      explain: { acceptedDate: '2025-09-01', withinDays: 15, warnAtDay: 12, byDate: '2025-09-22' },
    });
    expect(warning).not.toHaveProperty('caseId');
    // A red card stays on record, never cleared (SPEC §3); its explanation names the answer that took it off the board.
    const [overdue] = await rows('rule=complaint-overdue');
    expect(overdue).toMatchObject({ complaintId: 'Q-2', explain: { answeredAt: '2025-10-10T10:00:00.000+08:00' } });
    expect(overdue).not.toHaveProperty('clearedAt'); // before: 2025-10-10T10:00, as if lifted
    expect(await rows('departmentId=dep-1&rule=complaint-answer-warning')).toEqual([]);

    const stats = (await get(`/stats?${sept}`)).body;
    expect(stats.complaints).toMatchObject({
      cardsTotal: 3,
      cards: [
        { rule: 'complaint-undecided', color: 'red', count: 1 },
        { rule: 'complaint-answer-warning', color: 'yellow', count: 1 },
        { rule: 'complaint-overdue', color: 'red', count: 1 },
      ],
    });
    const total = (await get(`/cards?${sept}`)).body.total;
    expect(total).toBe(stats.flow.cardsTotal + stats.complaints.cardsTotal);
    // The report's case figures (its headline 红黄牌, a center's, a department's) link with subject=case.
    expect((await get(`/cards?${sept}&subject=case`)).body.total).toBe(stats.flow.cardsTotal);
    expect((await get(`/cards?${sept}&subject=complaint`)).body.total).toBe(stats.complaints.cardsTotal);
    expect((await get(`/cards?${sept}&subject=case&rule=complaint-undecided`)).body.total).toBe(0);
    const report = (await get('/reports/monthly?month=2025-09')).body;
    expect(report.cards.total).toBe(total);
    expect(report.cards.byRule).toEqual(expect.arrayContaining(stats.complaints.cards));
    // The summary names whose cards: the cases' (the key figure 办件红黄牌) apart from the complaints' (before:
    // one 红牌{cards.red}张 of both beside a key figure of the cases' alone).
    const red = (cards: { color: string; count: number }[]) =>
      cards.filter((c) => c.color === 'red').reduce((sum, c) => sum + c.count, 0);
    expect(report.summary).toContain(`办件共出现`);
    expect(report.summary).toContain(`红牌${red(stats.flow.cards)}张，效能投诉出现黄牌1张、红牌2张。`);
    const csv = await get(`/cards?${sept}&rule=complaint-undecided`, TOKENS.auditor, { accept: 'text/csv' });
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[1]).toMatch(/^效能投诉,Q-1,投诉逾期未决定受理,红牌,/);
  });
});

describe('a card known ahead of the clock (an event recorded up to 5 minutes ahead, SPEC §4)', () => {
  it('is in the register and the counts only once it has started, for a case as for a complaint', async () => {
    const post = async (path: string, body: Record<string, unknown>) => {
      const res = await call(srv.baseUrl, 'POST', path, { token: TOKENS.recorder, body });
      expect(res.status, res.text).toBe(201);
    };
    srv.clock.set('2025-11-03T10:00:00+08:00');
    // Both due at 2025-11-07 00:00: the case promised 3 working days, the complaint's decision 3 days.
    const { caseId: _c, ...body } = accepted('A-1', '2025-11-03T09:00:00+08:00', { promisedDays: 3 });
    await post('/cases/A-1/events', body);
    await post('/complaints/Q-1/events', {
      type: 'ComplaintReceived',
      occurredAt: '2025-11-03T09:00:00+08:00',
      channel: 'hotline',
      centerId: 'center-A',
      subject: '窗口推诿',
    });
    // At 23:57 events occurring at 00:01 are recorded (4 minutes ahead): the fold reads both at 00:01.
    srv.clock.set('2025-11-06T23:57:00+08:00');
    const ahead = '2025-11-07T00:01:00+08:00';
    await post('/cases/A-1/events', { type: 'CaseEscalated', occurredAt: ahead, level: 'reminder', by: 'office' });
    await post('/complaints/Q-1/events', { type: 'ComplaintAccepted', occurredAt: ahead });
    const nov = 'from=2025-11-01&to=2025-12-01';
    const read = async () => {
      const register = (await get(`/cards?${nov}`)).body;
      const stats = (await get(`/stats?${nov}`)).body;
      const report = (await get('/reports/monthly?month=2025-11')).body;
      return {
        rows: register.items.map((r: { caseId?: string; complaintId?: string; rule: string }) => [
          r.caseId ?? r.complaintId,
          r.rule,
        ]),
        total: register.total,
        cases: stats.flow.cardsTotal,
        overdueOpenAtEnd: stats.flow.overdueOpenAtEnd,
        complaints: stats.complaints.cardsTotal,
        report: report.cards.total,
      };
    };
    // Before: the case's overdue card (00:00) was listed and counted at 23:57 (total 2, cardsTotal 2,
    // while overdueOpenAtEnd said 0), the complaint's undecided card (00:00) was not.
    expect(await read()).toEqual({
      rows: [['A-1', 'deadline-warning']],
      total: 1,
      cases: 1,
      overdueOpenAtEnd: 0,
      complaints: 0,
      report: 1,
    });
    // The case read and the board still read the case at its last event (docs/api.md "Default asOf",
    // docs/projections.md "Events ahead of the clock"), as the complaint's.
    const kase = (await get('/cases/A-1', TOKENS.auditor)).body;
    expect(kase.asOf).toBe('2025-11-07T00:01:00.000+08:00');
    expect(kase.cards.map((c: { rule: string }) => c.rule)).toEqual(['deadline-warning', 'overdue']);
    const complaint = (await get('/complaints/Q-1', TOKENS.auditor)).body;
    expect(complaint.cards.map((c: { rule: string }) => c.rule)).toEqual(['complaint-undecided']);

    srv.clock.set('2025-11-07T00:00:00+08:00');
    expect(await read()).toEqual({
      rows: [
        ['A-1', 'deadline-warning'],
        ['A-1', 'overdue'],
        ['Q-1', 'complaint-undecided'],
      ],
      total: 3,
      cases: 2,
      overdueOpenAtEnd: 1,
      complaints: 1,
      report: 3,
    });
  });
});
