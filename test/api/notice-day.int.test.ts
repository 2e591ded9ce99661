/**
 * The day the State Council's 2027 notice (国务院办公厅关于2027年部分节假日安排的通知) is published,
 * as the efficiency office lives it (SPEC §3 calendar, provisional, corrections, as-known-at; §4
 * `PUT /calendar/{year}`), on the real engine with a manual clock in December 2026: cases and a
 * complaint open with deadlines across 元旦 and 春节 2027. Every deadline is compared with a
 * working-day count of this test's own, from the days the notice (or the prediction) sets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});
const get = (path: string, token: string = TOKENS.admin, headers?: Record<string, string>) =>
  call(srv!.baseUrl, 'GET', path, { token, ...(headers ? { headers } : {}) });
const put = (path: string, body: unknown, token: string = TOKENS.admin) =>
  call(srv!.baseUrl, 'PUT', path, { token, body });
const post = (path: string, body: unknown) => call(srv!.baseUrl, 'POST', path, { token: TOKENS.recorder, body });
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes
type Row = Record<string, any>;

/** A working-day count of its own: Monday–Friday, minus the listed holidays, plus the make-up days. */
function oracle(holidays: readonly string[], workdays: readonly string[]) {
  const off = new Set(holidays);
  const on = new Set(workdays);
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const isWorking = (d: string) => {
    if (on.has(d)) return true;
    if (off.has(d)) return false;
    const w = new Date(`${d}T00:00:00Z`).getUTCDay();
    return w !== 0 && w !== 6;
  };
  /** The n-th working day after date a (the acceptance day not counted). */
  const nth = (a: string, n: number) => {
    let d = a;
    for (let i = 0; i < n; ) {
      d = next(d);
      if (isWorking(d)) i++;
    }
    return d;
  };
  return { nth, isWorking };
}

/** 2026's notice (DOMAIN.md): no day of December 2026 is off or a make-up day, so 2026 needs only weekends. */
const NOTICE_2026 = { holidays: [] as string[], workdays: [] as string[] };
/** The 2027 notice as this test publishes it: 2026-12-31 off (as the 2019 notice set 2018-12-31), 春节 2-05…2-11, two make-up Saturdays. */
const extraHolidays = ['2026-12-31', '2027-02-09', '2027-02-10', '2027-02-11'];
const makeups = ['2027-01-09', '2027-02-20'];

const CASES: readonly [id: string, acceptedAt: string, promisedDays: number][] = [
  ['A', '2026-12-24T09:00:00+08:00', 5], // due around 元旦
  ['B', '2026-12-28T09:00:00+08:00', 20], // due late January
  ['C', '2026-12-30T09:00:00+08:00', 30], // runs across 春节
  ['E', '2026-12-29T09:00:00+08:00', 2], // its warning day is 2026-12-31, which the notice makes a holiday
];

async function seed() {
  srv = await startTestServer({ now: '2026-12-24T09:00:00+08:00' });
  for (const [id, at, n] of [...CASES].sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]))) {
    srv.clock.set(at);
    const { caseId: _c, ...body } = accepted(id, at, { promisedDays: n });
    expect((await post(`/cases/${id}/events`, body)).status).toBe(201);
  }
  srv.clock.set('2026-12-30T10:00:00+08:00');
  const received = { type: 'ComplaintReceived', occurredAt: '2026-12-30T09:00:00+08:00', channel: 'hotline' };
  const complaint = { ...received, centerId: 'center-A', subject: '窗口推诿' };
  expect((await post('/complaints/Q1/events', complaint)).status).toBe(201);
  const acceptance = { type: 'ComplaintAccepted', occurredAt: '2026-12-30T09:30:00+08:00' };
  expect((await post('/complaints/Q1/events', acceptance)).status).toBe(201);
  srv.clock.set('2026-12-31T10:00:00+08:00');
}

/** Every read that states a case's deadline or a complaint's clock, against the oracle and one flag. */
async function expectEverywhere(days: { holidays: string[]; workdays: string[] }, provisional: boolean) {
  const o = oracle(days.holidays, days.workdays);
  const want = Object.fromEntries(CASES.map(([id, at, n]) => [id, o.nth(at.slice(0, 10), n)]));
  for (const [id] of CASES) {
    const c = (await get(`/cases/${id}`)).body;
    expect([id, c.deadlineDate, c.provisional]).toEqual([id, want[id], provisional]);
  }
  const rows = (await get('/cases?limit=50')).body.items as Row[];
  expect(Object.fromEntries(rows.map((r) => [r.caseId, [r.deadlineDate, r.provisional]]))).toEqual(
    Object.fromEntries(CASES.map(([id]) => [id, [want[id], provisional]])),
  );
  const csv = (await get('/cases?limit=50', TOKENS.admin, { accept: 'text/csv' })).text.trim().split(/\r?\n/);
  const header = csv[0]!.split(',');
  const [deadlineCol, flagCol] = [header.indexOf('办结期限'), header.indexOf('时限为预测')];
  for (const line of csv.slice(1)) {
    const cells = line.split(',');
    expect([cells[deadlineCol], cells[flagCol]]).toEqual([want[cells[0]!], provisional ? '是' : '否']);
  }
  const cards = (await get('/cards?from=2026-12-01&to=2027-03-01')).body.items as Row[];
  expect(cards.length).toBeGreaterThan(0);
  for (const r of cards) expect(r.provisional === true).toBe(provisional);
  const cardsCsv = (await get('/cards?from=2026-12-01&to=2027-03-01', TOKENS.admin, { accept: 'text/csv' })).text;
  const cardLines = cardsCsv.trim().split(/\r?\n/).slice(1);
  expect(cardLines).toHaveLength(cards.length);
  for (const line of cardLines) expect(line.endsWith(provisional ? ',是' : ',否')).toBe(true);
  const q = (await get('/complaints/Q1')).body;
  expect([q.decide.byDate, q.answer.byDate, q.provisional]).toEqual([
    o.nth('2026-12-30', 3),
    o.nth('2026-12-30', 15),
    provisional,
  ]);
  const qRow = (await get('/complaints')).body.items[0];
  expect(qRow.provisional).toBe(provisional);
  return want;
}

describe('the day the 2027 notice is published', () => {
  it('before: predicted and provisional everywhere; after: recomputed, final, the cards it undid withdrawn; a correction again', async () => {
    await seed();
    const predicted = (await get('/calendar/2027')).body;
    expect([predicted.status, predicted.provisional, predicted.workdays]).toEqual(['predicted', true, []]);
    const law = { holidays: [...NOTICE_2026.holidays, ...predicted.holidays], workdays: NOTICE_2026.workdays };
    const wantBefore = await expectEverywhere(law, true);
    expect(wantBefore['E']).toBe('2026-12-31');
    const eCards = (await get('/cases/E')).body.cards.map((c: Row) => [c.rule, c.startedAt]);
    expect(eCards).toContainEqual(['deadline-warning', '2026-12-31T00:00:00.000+08:00']);
    const calendarVersionBefore = (await get('/calendar/2027')).body.version;

    // The notice, published at 10:00 on 2026-12-31.
    const notice = { holidays: [...predicted.holidays, ...extraHolidays], workdays: makeups };
    const published = await put('/calendar/2027', notice);
    expect(published.status).toBe(200);
    expect(published.body.changes).toEqual({
      holidaysAdded: extraHolidays,
      holidaysRemoved: [],
      workdaysAdded: makeups,
      workdaysRemoved: [],
    });
    const noticeDays = { holidays: notice.holidays, workdays: makeups };
    const wantAfter = await expectEverywhere(noticeDays, false);
    expect(wantAfter).not.toEqual(wantBefore); // A, C and E move
    // E's warning (day 2 = 12-31, now a holiday) is withdrawn by the publication; its new one is on 01-04.
    const withdrawn = (await get('/cards/withdrawn?from=2026-12-01&to=2027-03-01')).body.items as Row[];
    expect(withdrawn.map((w) => [w.caseId, w.rule, w.startedAt, w.withdrawnAt, w.withdrawnBy])).toEqual([
      [
        'E',
        'deadline-warning',
        '2026-12-31T00:00:00.000+08:00',
        '2026-12-31T10:00:00.000+08:00',
        { calendarVersion: published.body.version, previousCalendarVersion: calendarVersionBefore },
      ],
    ]);
    // As known just before the publication, the old (predicted) answer; at its instant, the new one.
    const before = (await get('/cases/E?asKnownAt=2026-12-31T09:59:59.999%2B08:00', TOKENS.auditor)).body;
    expect([before.deadlineDate, before.provisional, before.calendarVersion]).toEqual([
      wantBefore['E'],
      true,
      calendarVersionBefore,
    ]);
    const at = (await get('/cases/E?asKnownAt=2026-12-31T10:00:00%2B08:00', TOKENS.auditor)).body;
    expect([at.deadlineDate, at.provisional, at.calendarVersion]).toEqual([
      wantAfter['E'],
      false,
      published.body.version,
    ]);
    const history = (await get('/cases/E/history?asKnownAt=2026-12-31T09:59:59.999%2B08:00', TOKENS.auditor)).body;
    expect(history.entries[0].state).toMatchObject({ deadlineDate: wantBefore['E'], provisional: true });
    const qBefore = (await get('/complaints/Q1?asKnownAt=2026-12-31T09:59:59.999%2B08:00')).body;
    expect([qBefore.decide.byDate, qBefore.provisional]).toEqual([oracle(law.holidays, []).nth('2026-12-30', 3), true]);

    // A correction at 15:00: 12-31 a working day after all, 春节 2-04…2-10, the 01-09 make-up day dropped.
    srv!.clock.set('2026-12-31T15:00:00+08:00');
    const corrected = {
      holidays: [...predicted.holidays, '2027-02-04', '2027-02-09', '2027-02-10'],
      workdays: ['2027-02-20'],
    };
    const correction = await put('/calendar/2027', corrected);
    expect(correction.status).toBe(200);
    const wantCorrected = await expectEverywhere(corrected, false);
    // E's warning holds again: its row is put back by the correction.
    const back = (await get('/cards/withdrawn?from=2026-12-01&to=2027-03-01')).body.items as Row[];
    expect(back.map((w) => [w.caseId, w.reinstatedAt, w.reinstatedBy?.calendarVersion])).toEqual([
      ['E', '2026-12-31T15:00:00.000+08:00', correction.body.version],
    ]);
    const between = (await get('/cases/C?asKnownAt=2026-12-31T14:59:59.999%2B08:00', TOKENS.auditor)).body;
    expect(between.deadlineDate).toBe(wantAfter['C']);
    const afterCorrection = (await get('/cases/C?asKnownAt=2026-12-31T15:00:00%2B08:00', TOKENS.auditor)).body;
    expect(afterCorrection.deadlineDate).toBe(wantCorrected['C']);
  });

  it('refuses, with a 4xx naming the problem and nothing recorded: malformed, partial, out-of-span years, non-admins', async () => {
    await seed();
    const predicted = (await get('/calendar/2027')).body;
    const notice = { holidays: [...predicted.holidays, ...extraHolidays], workdays: makeups };
    const refusals: [string, unknown, string, number, string][] = [
      ['/calendar/2027', { holidays: '2027-01-01', workdays: [] }, TOKENS.admin, 400, 'holidays'],
      [
        '/calendar/2027',
        { holidays: [...notice.holidays, '2027-02-30'], workdays: [] },
        TOKENS.admin,
        400,
        'holidays[17]',
      ],
      ['/calendar/2027', { holidays: notice.holidays }, TOKENS.admin, 400, 'workdays'],
      ['/calendar/2027', { holidays: ['2027-01-01'], workdays: [] }, TOKENS.admin, 400, 'holidays'],
      [
        '/calendar/2027',
        { ...notice, holidays: [...notice.holidays, '2028-01-03'] },
        TOKENS.admin,
        400,
        'holidays[17]',
      ],
      ['/calendar/2027', { ...notice, workdays: ['2027-02-22'] }, TOKENS.admin, 400, 'workdays[0]'],
      ['/calendar/2151', notice, TOKENS.admin, 400, 'year'],
      ['/calendar/1969', notice, TOKENS.admin, 400, 'year'],
      ['/calendar/20270', notice, TOKENS.admin, 400, 'year'],
      ['/calendar/2027', notice, TOKENS.monitor, 403, ''],
      ['/calendar/2027', notice, TOKENS.recorder, 403, ''],
    ];
    for (const [path, body, token, status, field] of refusals) {
      const res = await put(path, body, token);
      expect([path, res.status], JSON.stringify(body)).toEqual([path, status]);
      if (field !== '') expect(res.body.error.details.map((d: Row) => d.field)).toContain(field);
    }
    let recorded = 0;
    for await (const _e of srv!.store.readStream('calendar-CN')) recorded++;
    expect(recorded).toBe(0);
    expect((await get('/calendar/2027')).body.status).toBe('predicted');
  });

  it('a bad date in a list is named by its entry and what is wrong with it (session 25: the field was `holidays`)', async () => {
    srv = await startTestServer({ now: '2026-12-30T10:00:00+08:00' });
    const res = await put('/calendar/2027', {
      holidays: ['2027-01-01', '2027-02-06', '2027-02-30'],
      workdays: ['2027-13-06', 9],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'holidays[2]', message: '"2027-02-30" is no date: 2027-02 has 28 days' },
      { field: 'workdays[0]', message: '"2027-13-06" is no date: a month is 01–12' },
      { field: 'workdays[1]', message: 'must be a date YYYY-MM-DD; got 9' },
    ]);
  });

  it('a notice is published only for 2000–2100 (session 25: 1970–2150), refused naming the year; the span stays readable', async () => {
    srv = await startTestServer({ now: '2026-12-30T10:00:00+08:00' });
    for (const year of [1970, 1999, 2101, 2150]) {
      const law = (await get(`/calendar/${year}`)).body;
      expect(law.status).toBe('predicted');
      const res = await put(`/calendar/${year}`, { holidays: law.holidays, workdays: [] });
      expect([year, res.status, res.body.error.details[0].field]).toEqual([year, 400, 'year']);
      expect(res.body.error.message).toContain(`${year} is outside the years a notice can be published for, 2000–2100`);
    }
    expect((await put('/calendar/2101', { holidays: [], workdays: [] })).body.error.message).toContain(
      'lunar data that checks a notice',
    );
    // The first and last years: 2000's notice lists the 1999 revision's third May day, not predicted.
    for (const [year, more] of [
      [2000, ['2000-05-03']],
      [2100, []],
    ] as const) {
      const law = (await get(`/calendar/${year}`)).body;
      const res = await put(`/calendar/${year}`, { holidays: [...law.holidays, ...more], workdays: [] });
      expect([year, res.status, res.body.status], JSON.stringify(res.body)).toEqual([year, 200, 'published']);
    }
  });

  it('the same notice published twice records it once: the second answer says nothing changed', async () => {
    await seed();
    const predicted = (await get('/calendar/2027')).body;
    const notice = { holidays: [...predicted.holidays, ...extraHolidays], workdays: makeups };
    const first = await put('/calendar/2027', notice);
    expect(first.status).toBe(200);
    srv!.clock.set('2026-12-31T10:05:00+08:00');
    // The same days in another order (a form submitted twice, or a PUT retried after a timeout).
    const again = await put('/calendar/2027', { holidays: [...notice.holidays].reverse(), workdays: makeups });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ unchanged: true, version: first.body.version, status: 'published' });
    expect(again.body.position).toBeUndefined();
    let recorded = 0;
    for await (const _e of srv!.store.readStream('calendar-CN')) recorded++;
    expect(recorded).toBe(1);
    // A notice that equals the prediction is still recorded: it turns a predicted year into a published one.
    const plain = await put('/calendar/2028', { holidays: (await get('/calendar/2028')).body.holidays, workdays: [] });
    expect([plain.status, plain.body.unchanged, plain.body.status]).toEqual([200, undefined, 'published']);
  });

  it('the report and the statistics of December say their figures are provisional until the notice, and not after', async () => {
    await seed();
    const december = async () => ({
      report: (await get('/reports/monthly?month=2026-12')).body,
      stats: (await get('/stats?from=2026-12-01&to=2027-01-01')).body,
    });
    const before = await december();
    // E's warning (on 12-31, a day the 2027 notice may still set) is counted, so the figures may move.
    expect(before.report.cards.byRule).toContainEqual(
      expect.objectContaining({ rule: 'deadline-warning', color: 'yellow' }),
    );
    expect([before.report.provisional, before.stats.provisional]).toEqual([true, true]);
    expect(before.report.summary).toContain('放假通知');
    // November's figures count no day the notice can move.
    const november = (await get('/reports/monthly?month=2026-11')).body;
    expect([november.provisional, november.summary.includes('放假通知')]).toEqual([undefined, false]);
    const predicted = (await get('/calendar/2027')).body;
    expect(
      (await put('/calendar/2027', { holidays: [...predicted.holidays, ...extraHolidays], workdays: makeups })).status,
    ).toBe(200);
    const after = await december();
    expect([after.report.provisional, after.stats.provisional]).toEqual([undefined, undefined]);
    expect(after.report.summary).not.toContain('放假通知');
    expect(after.report.cards.withdrawn).toMatchObject({ total: 1, yellow: 1 });
  });
});
