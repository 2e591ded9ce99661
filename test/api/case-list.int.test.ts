/** `GET /cases` (SPEC §4): filters, sort, cursor paging under concurrent appends, CSV, 400s, roles. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2025-09-30T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const get = (path: string, token: string | undefined = TOKENS.monitor, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'GET', path, { ...(token === undefined ? {} : { token }), headers });

async function write(events: Record<string, unknown>[]): Promise<void> {
  const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
  expect(res.status).toBe(200);
  for (const r of res.body.results) expect(r.status).toBe(201);
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
}

const day = (d: number, hour = 9) =>
  `2025-09-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;

/** 30 cases accepted 09-01..09-15 in two centers; every third completed two days later. */
function seed(prefix: string, count = 30): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const caseId = `${prefix}-${String(i).padStart(3, '0')}`;
    const d = 1 + (i % 15);
    events.push(
      accepted(caseId, day(d, 9 + (i % 5)), {
        centerId: i % 2 === 0 ? 'center-A' : 'center-B',
        departmentId: i % 3 === 0 ? 'dep-1' : 'dep-2',
        promisedDays: i % 4 === 0 ? 1 : 20,
      }),
    );
    if (i % 3 === 0) events.push({ type: 'CaseCompleted', caseId, occurredAt: day(d + 2), outcome: 'approved' });
  }
  return events;
}

/** 12 cases accepted 09-01..09-12; every other one paused the next morning and never resumed. */
function everyOtherPaused(prefix: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const caseId = `${prefix}-${String(i).padStart(2, '0')}`;
    events.push(accepted(caseId, day(1 + i), { promisedDays: [3, 10, 15, 20][i % 4] }));
    if (i % 2 === 0)
      events.push({ type: 'CasePaused', caseId, occurredAt: day(2 + i, 10), pauseId: 'p1', reason: 'supplement' });
  }
  return events;
}

/** A page's rows as `caseId dueAt`: what paging must keep stable. */
const rows = (body: { items: { caseId: string; dueAt: string }[] }) => body.items.map((r) => `${r.caseId} ${r.dueAt}`);

async function pageThrough(path: string, limit: number, between?: () => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 200; n++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}limit=${limit}${cursor === undefined ? '' : `&cursor=${cursor}`}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((r: { caseId: string }) => r.caseId));
    if (res.body.nextCursor === undefined) return ids;
    cursor = res.body.nextCursor;
    await between?.();
  }
  throw new Error('paging did not end');
}

describe('GET /cases', () => {
  it('is never stored by a browser or a proxy (case data read at an instant)', async () => {
    const res = await get('/cases');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('lists every accepted case with its figures and a total, oldest accepted first by default', async () => {
    await write(seed('L'));
    const res = await get('/cases?limit=500');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(30);
    expect(res.body.sort).toBe('accepted');
    expect(res.body.nextCursor).toBeUndefined();
    const first = res.body.items[0];
    expect(first).toMatchObject({ caseId: 'L-000', centerId: 'center-A', departmentId: 'dep-1', status: 'completed' });
    for (const key of [
      'acceptedAt',
      'deadlineDate',
      'dueAt',
      'completedAt',
      'overdueDays',
      'alerts',
      'kind',
      'matterCode',
    ])
      expect(first).toHaveProperty(key);
    const accepted = res.body.items.map((r: { acceptedAt: string }) => Date.parse(r.acceptedAt));
    expect(accepted).toEqual([...accepted].sort((a, b) => a - b));
  });

  it('filters: center, department, status, overdue, rule and colour now, accepted and completed dates, id prefix', async () => {
    await write(seed('L'));
    const total = async (q: string) => (await get(`/cases?${q}`)).body.total as number;
    expect(await total('centerId=center-A')).toBe(15);
    expect(await total('centerId=center-A&departmentId=dep-1')).toBe(5);
    expect(await total('status=completed')).toBe(10);
    expect(await total('status=open')).toBe(20);
    // Open 1-day cases (i % 4 == 0, not completed) are overdue by 09-30; the 20-day ones accepted from 09-02 are not.
    const overdue = await get('/cases?overdue=true&limit=500');
    expect(overdue.body.total).toBeGreaterThan(0);
    for (const r of overdue.body.items) expect(r.alerts.some((a: { rule: string }) => a.rule === 'overdue')).toBe(true);
    expect(await total('rule=overdue')).toBe(overdue.body.total);
    expect(await total('color=red')).toBeGreaterThanOrEqual(overdue.body.total);
    expect((await total('overdue=false')) + overdue.body.total).toBe(30);
    expect(await total('acceptedFrom=2025-09-01&acceptedTo=2025-09-02')).toBe(2);
    expect(await total('acceptedTo=2025-09-08')).toBe(14);
    expect(await total('completedFrom=2025-09-03&completedTo=2025-09-04')).toBe(2); // L-000 and L-015
    // Open as 09-04 began: accepted 09-01..09-03 (6 cases) less L-000 and L-015, completed 09-03.
    expect(await total('openAt=2025-09-04')).toBe(4);
    expect(await total('q=l-00')).toBe(10);
    expect(await total('q=L-02')).toBe(10);
    expect(await total('q=nope')).toBe(0);
  });

  it("the report's 按时办结 / 超时办结 and 月末逾期未办结 of each department have their lists", async () => {
    await write(seed('L'));
    const total = async (q: string) => (await get(`/cases?${q}`)).body.total as number;
    const report = await get('/reports/monthly?month=2025-09');
    expect(report.status).toBe(200);
    const departments = report.body.departments as {
      departmentId: string;
      onTime: number;
      late: number;
      overdueOpenAtEnd: number;
    }[];
    expect(departments.map((d) => d.departmentId)).toEqual(['dep-1', 'dep-2']);
    // Some of each, so the check is not of zeros: the 1-day cases completed two days on are late.
    expect(departments.reduce((n, d) => n + d.late, 0)).toBeGreaterThan(0);
    expect(departments.reduce((n, d) => n + d.onTime, 0)).toBeGreaterThan(0);
    expect(departments.reduce((n, d) => n + d.overdueOpenAtEnd, 0)).toBeGreaterThan(0);
    for (const d of departments) {
      const month = `departmentId=${d.departmentId}&completedFrom=2025-09-01&completedTo=2025-10-01`;
      expect(await total(`${month}&timeliness=late`), d.departmentId).toBe(d.late);
      expect(await total(`${month}&timeliness=on-time`), d.departmentId).toBe(d.onTime);
      expect(await total(`departmentId=${d.departmentId}&openAt=2025-10-01&overdueBy=2025-10-01`), d.departmentId).toBe(
        d.overdueOpenAtEnd,
      );
    }
    expect(await total('timeliness=late&status=open')).toBe(0); // open cases are neither
    expect(await total('overdueBy=2025-09-01')).toBe(0); // nothing was overdue before the first acceptance
  });

  it('sorts by dueAt and by overdue days, either way', async () => {
    await write(seed('L'));
    const due = (await get('/cases?sort=-dueAt&limit=500')).body.items.map((r: { dueAt: string }) =>
      Date.parse(r.dueAt),
    );
    expect(due).toEqual([...due].sort((a, b) => b - a));
    const open = (await get('/cases?status=open&sort=-overdueDays&limit=500')).body.items;
    const days = open.map((r: { overdueDays: number }) => r.overdueDays);
    expect(days[0]).toBeGreaterThan(0);
    expect(days).toEqual([...days].sort((a, b) => b - a));
  });

  it('paging visits every case exactly once while cases are appended between and during the reads', async () => {
    await write(seed('P', 40));
    let wave = 0;
    // New cases accepted before, among and after the ones present: none may repeat or push one out.
    const appendWave = async () => {
      wave++;
      await write([
        accepted(`N-${wave}-early`, day(1, 8)),
        accepted(`N-${wave}-mid`, day(8, 11)),
        accepted(`N-${wave}-late`, day(29, 16)),
      ]);
    };
    for (const path of ['/cases', '/cases?sort=-accepted', '/cases?sort=dueAt', '/cases?sort=-overdueDays']) {
      const ids = await pageThrough(path, 7, appendWave);
      expect(new Set(ids).size).toBe(ids.length);
      for (let i = 0; i < 40; i++) expect(ids).toContain(`P-${String(i).padStart(3, '0')}`);
    }
    // Truly concurrent: the writer and the reader run at once.
    let writing = true;
    const writer = (async () => {
      while (writing) await appendWave();
    })();
    const ids = await pageThrough('/cases?centerId=center-A', 3);
    writing = false;
    await writer;
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 0; i < 40; i += 2) expect(ids).toContain(`P-${String(i).padStart(3, '0')}`);
  });

  it('paging across days with no event in between: paused cases are read at the listing instant, each sent once in order', async () => {
    await write(everyOtherPaused('W'));
    for (const sort of ['dueAt', '-dueAt']) {
      const whole = (await get(`/cases?sort=${sort}&limit=500`)).body;
      const pages = [(await get(`/cases?sort=${sort}&limit=4`)).body];
      const listedAt = pages[0].listedAt;
      expect(listedAt).toBe(whole.asOf);
      // Past the National Day holidays and two weeks of working days: every paused deadline moved on.
      srv.clock.advance(20 * 86_400_000);
      expect(rows((await get(`/cases?sort=${sort}&limit=500`)).body), sort).not.toEqual(rows(whole));
      while (pages[pages.length - 1].nextCursor !== undefined) {
        const res = await get(`/cases?sort=${sort}&limit=4&cursor=${pages[pages.length - 1].nextCursor}`);
        expect(res.status).toBe(200);
        pages.push(res.body);
        srv.clock.advance(86_400_000 + 3_600_000);
      }
      expect(pages.flatMap(rows), sort).toEqual(rows(whole));
      for (const page of pages.slice(1)) {
        expect(page.listedAt).toBe(listedAt);
        expect(page.asOf).not.toBe(listedAt);
      }
    }
  });

  it('paging back to the first page with listedAt, days later: the same rows in the same order, at the same instant', async () => {
    await write(everyOtherPaused('B'));
    for (const sort of ['dueAt', '-dueAt', 'accepted']) {
      const first = (await get(`/cases?sort=${sort}&limit=6`)).body;
      const second = await get(`/cases?sort=${sort}&limit=6&cursor=${first.nextCursor}`);
      expect(second.body.listedAt).toBe(first.listedAt);
      // Past the National Day holidays and two weeks of working days: every paused deadline moved on.
      srv.clock.advance(20 * 86_400_000);
      const fresh = (await get(`/cases?sort=${sort}&limit=6`)).body;
      expect(rows(fresh), sort).not.toEqual(rows(first));
      const again = await get(`/cases?sort=${sort}&limit=6&listedAt=${encodeURIComponent(first.listedAt)}`);
      expect(again.status, sort).toBe(200);
      expect(rows(again.body), sort).toEqual(rows(first));
      expect(again.body.listedAt).toBe(first.listedAt);
      expect(again.body.asOf).not.toBe(first.listedAt);
      // Its cursor continues the same listing: the second page as it was first read.
      const next = await get(`/cases?sort=${sort}&limit=6&cursor=${again.body.nextCursor}`);
      expect(rows(next.body), sort).toEqual(rows(second.body));
    }
  });

  it('refuses a listedAt that is not an instant to the millisecond, is ahead of the clock, too old, or not the cursor’s, naming listedAt', async () => {
    await write(seed('K', 6));
    const now = srv.clock.now;
    const iso = (at: number) => encodeURIComponent(new Date(at).toISOString());
    const cursor = (await get('/cases?sort=dueAt&limit=2')).body.nextCursor as string;
    const refused: [string, RegExp][] = [
      ['listedAt=yesterday', /ISO-8601 instant with offset/],
      [`listedAt=${now}`, /ISO-8601 instant with offset/],
      [`listedAt=${encodeURIComponent('2025-09-30T10:00:00.0005+08:00')}`, /whole number of milliseconds/],
      [`listedAt=${iso(now + 6 * 60_000)}`, /more than 5 minutes after this server's clock/],
      [`listedAt=${iso(now - 31 * 86_400_000)}`, /more than 30 days ago/],
      [`cursor=${cursor}&listedAt=${iso(now - 60_000)}`, /not the instant of the cursor's listing/],
    ];
    for (const [query, message] of refused) {
      const res = await get(`/cases?sort=dueAt&limit=2&${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].field, query).toBe('listedAt');
      expect(res.body.error.message, query).toMatch(message);
    }
    // Within the bounds, and with the cursor of its own listing, it is accepted.
    for (const query of [
      `listedAt=${iso(now + 4 * 60_000)}`,
      `listedAt=${iso(now - 29 * 86_400_000)}`,
      `listedAt=${encodeURIComponent('2025-09-30T10:00:00.123000+08:00')}`,
      `cursor=${cursor}&listedAt=${iso(now)}`,
    ])
      expect((await get(`/cases?sort=dueAt&limit=2&${query}`)).status, query).toBe(200);
  });

  it('refuses a cursor whose listing instant is not one, is ahead of the clock or too old, naming cursor', async () => {
    await write(seed('K', 6));
    const cursorOf = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const now = srv.clock.now;
    const refused: [string, unknown, RegExp][] = [
      ['dueAt', 1.5, /whole number of milliseconds/],
      ['dueAt', '2025-09-30', /whole number of milliseconds/],
      ['dueAt', null, /whole number of milliseconds/],
      ['dueAt', 1e300, /whole number of milliseconds/],
      ['dueAt', now + 3_600_000, /after this server's clock/],
      ['accepted', now + 3_600_000, /after this server's clock/],
      ['dueAt', now - 31 * 86_400_000, /more than 30 days ago/],
      ['-dueAt', -8.64e15, /more than 30 days ago/],
    ];
    for (const [sort, at, message] of refused) {
      const res = await get(`/cases?sort=${sort}&cursor=${cursorOf([sort, 0, 'K-000', 0, at])}`);
      expect(res.status, `${sort} ${at}`).toBe(400);
      expect(res.body.error.details[0].field).toBe('cursor');
      expect(res.body.error.message).toMatch(message);
    }
    // A cursor from before cursors carried the instant: kept for the sort that does not move with the clock.
    expect((await get(`/cases?sort=accepted&cursor=${cursorOf(['accepted', 0, 'K-000', 0])}`)).status).toBe(200);
    for (const sort of ['dueAt', '-overdueDays']) {
      const old = await get(`/cases?sort=${sort}&cursor=${cursorOf([sort, 0, 'K-000', 0])}`);
      expect(old.status, sort).toBe(400);
      expect(old.body.error.message).toMatch(/cursor.*start the list again without a cursor/);
    }
    // A few minutes ahead (another node's clock) and 29 days back are accepted.
    for (const at of [now + 4 * 60_000, now - 29 * 86_400_000])
      expect((await get(`/cases?sort=dueAt&cursor=${cursorOf(['dueAt', 0, 'K-000', 0, at])}`)).status).toBe(200);
  });

  it('a cursor is refused with other filters (rows were skipped silently), kept with another page size', async () => {
    await write(seed('K', 6));
    const first = await get('/cases?limit=2&sort=dueAt');
    const cursor = first.body.nextCursor as string;
    const res = await get(`/cases?limit=2&sort=dueAt&status=open&cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('cursor');
    expect(res.body.error.message).toMatch(/another period or other filters/);
    expect((await get(`/cases?limit=3&sort=dueAt&cursor=${cursor}`)).status).toBe(200);
    expect((await get(`/cases?limit=2&sort=accepted&cursor=${cursor}`)).body.error.message).toMatch(
      /made for sort dueAt/,
    );
  });

  it('CSV: UTF-8 with a byte-order mark, Chinese headers, the page as rows, the next cursor in a header', async () => {
    await write(seed('L'));
    const res = await get('/cases?centerId=center-B&limit=4', TOKENS.auditor, { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(
      await (
        await fetch(`${srv.baseUrl}/cases?limit=1`, {
          headers: { authorization: `Bearer ${TOKENS.monitor}`, accept: 'text/csv' },
        })
      ).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]?.startsWith('办件编号,中心编号,中心,部门编号,部门')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(res.headers.get('x-next-cursor')).toBeTruthy();
    const all = await get('/cases?centerId=center-B', TOKENS.monitor, { accept: 'text/csv' });
    expect(all.text.trimEnd().split('\r\n')).toHaveLength(16);
  });

  it('answers 400 naming every bad parameter', async () => {
    const bad: [string, string][] = [
      ['status=closed', 'status'],
      ['rule=late', 'rule'],
      ['color=green', 'color'],
      ['overdue=yes', 'overdue'],
      ['sort=name', 'sort'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=%25%25', 'cursor'],
      ['cursor=', 'cursor'],
      ['acceptedFrom=2025-02-30', 'acceptedFrom'],
      ['acceptedFrom=2025-09-10&acceptedTo=2025-09-10', 'acceptedTo'],
      ['completedTo=yesterday', 'completedTo'],
      ['q=', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['centreId=center-A', 'centreId'],
      ['centerId=a&centerId=b', 'centerId'],
    ];
    for (const [q, field] of bad) {
      const res = await get(`/cases?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.details[0].field, q).toBe(field);
    }
    const cursor = (await get('/cases?sort=dueAt&limit=1')).body.nextCursor;
    await write(seed('C', 3));
    const other = (await get('/cases?sort=dueAt&limit=1')).body.nextCursor as string;
    expect(cursor ?? other).toBeTruthy();
    const mixed = await get(`/cases?sort=accepted&cursor=${other}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/cursor.*sort dueAt/);
  });

  it('is for auditors, monitors and admins: a recorder is refused, no token is 401', async () => {
    for (const token of [TOKENS.auditor, TOKENS.monitor, TOKENS.admin])
      expect((await get('/cases', token)).status).toBe(200);
    expect((await get('/cases', TOKENS.recorder)).status).toBe(403);
    expect((await call(srv.baseUrl, 'GET', '/cases')).status).toBe(401);
  });
});

describe('a deadline over predicted days is flagged in the list and the register (SPEC §3 provisional)', () => {
  it('a case due in the last days of 2026, before the 2027 notice, is provisional in /cases and on its /cards rows', async () => {
    await srv.close();
    srv = await startTestServer({ now: '2026-12-02T10:00:00+08:00' });
    const events = [
      // 5 working days: due 12-09, a span the 2027 notice cannot touch.
      accepted('PR-1', '2026-12-02T09:00:00+08:00', { promisedDays: 5 }),
      // 21 working days: 12-31, which the 2027 notice may still set (as the 2019 notice set 2018-12-29 … 31).
      accepted('PR-2', '2026-12-02T09:00:00+08:00', { promisedDays: 21 }),
    ];
    const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
    expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
    const list = await call(srv.baseUrl, 'GET', '/cases?q=PR-&sort=accepted', { token: TOKENS.monitor });
    // Before: no flag on the list (only the case read had one), and 12-31 was not provisional at all.
    expect(
      list.body.items.map((r: { caseId: string; deadlineDate: string; provisional: boolean }) => [
        r.caseId,
        r.deadlineDate,
        r.provisional,
      ]),
    ).toEqual([
      ['PR-1', '2026-12-09', false],
      ['PR-2', '2026-12-31', true],
    ]);
    const csv = await call(srv.baseUrl, 'GET', '/cases?q=PR-2', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    expect(csv.text.trimEnd().split('\r\n')[1]).toMatch(/,是$/);
    srv.clock.set('2026-12-28T10:00:00+08:00');
    const cards = await call(srv.baseUrl, 'GET', '/cards?from=2026-12-01&to=2027-01-01&rule=deadline-warning', {
      token: TOKENS.monitor,
    });
    // Both spans now reach the December tail (PR-1 is overdue through today, 12-28): both rows say so.
    expect(cards.body.items.map((r: { caseId: string; provisional?: boolean }) => [r.caseId, r.provisional])).toEqual([
      ['PR-1', true],
      ['PR-2', true],
    ]);
    // The register's CSV says it too (before: no column), and a card over published days says 否.
    const cardsCsv = await call(srv.baseUrl, 'GET', '/cards?from=2026-12-01&to=2027-01-01&rule=deadline-warning', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    const csvLines = cardsCsv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csvLines[0]).toMatch(/,说明（数字）,时限为预测$/);
    expect(csvLines.slice(1).map((l) => [l.split(',')[1], l.split(',').at(-1)])).toEqual([
      ['PR-1', '是'],
      ['PR-2', '是'],
    ]);
  });
});
