/**
 * The case list and the card register in Chromium (issue 16 items 2, 3): a count
 * on the board and a cell of the monthly report each link to the list that
 * reproduces it, and the list's total is the number that was on the page. Paging
 * back to page 1 shows the listing first shown, at its instant, though the engine's
 * clock (a manual scheduler there) moved on meanwhile.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import {
  PHONE,
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  shanghaiIso,
  startWebServer,
  type WebServer,
} from './harness.js';

const DAY = 24 * 3_600_000;

const accepted = (caseId: string, daysAgo: number, promisedDays: number, centerId: string, departmentId: string) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt: shanghaiIso(-daysAgo * DAY),
  centerId,
  departmentId,
  matterCode: 'M-7',
  kind: 'promised',
  promisedDays,
  channel: 'window',
});

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 24; i++) {
    const daysAgo = 1 + (i % 12);
    const c = accepted(`CL-${i}`, daysAgo, i % 3 === 0 ? 1 : 30, i % 2 ? 'center-A' : 'center-B', `dep-${i % 3}`);
    events.push(c);
    if (i % 4 === 1)
      events.push({
        type: 'CaseCompleted',
        caseId: c.caseId,
        occurredAt: shanghaiIso(-(daysAgo - 1) * DAY + 3_600_000),
        outcome: 'approved',
      });
  }
  await postEvents(server.baseUrl, events);
  // Complaints never decided: red complaint-undecided cards, in the register and the report's card section
  // but not in its case figures (红黄牌 of the KPIs, a center's, a department's), whose links say subject=case.
  for (let daysAgo = 4; daysAgo <= 9; daysAgo++) {
    const res = await fetch(`${server.baseUrl}/complaints/CQ-${daysAgo}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'ComplaintReceived',
        occurredAt: shanghaiIso(-daysAgo * DAY),
        channel: 'hotline',
        centerId: 'center-A',
        departmentId: 'dep-0',
        subject: '窗口推诿',
      }),
    });
    if (res.status !== 201) throw new Error(`POST complaint: ${res.status} ${await res.text()}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The list page's total once it has loaded. */
async function listTotal(page: Page): Promise<number> {
  await page.waitForFunction(() => document.getElementById('total')?.dataset['total'] !== '');
  return Number(await page.locator('#total').getAttribute('data-total'));
}

describe('case list and card register pages', () => {
  it('a board count links to the case list with the same total', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    const link = page.locator('#rule-counts a').first();
    await link.waitFor();
    const shown = Number((await link.textContent())?.replace(/\D/g, ''));
    expect(shown).toBeGreaterThan(0);
    const href = (await link.getAttribute('href')) ?? '';
    expect(href.startsWith('/cases?')).toBe(true);
    await link.click();
    await page.waitForURL(/\/cases\?/);
    expect(await listTotal(page)).toBe(shown);
    expect(await page.locator('#rows tbody tr').count()).toBe(Math.min(shown, 50));
    await screenshot(page, 'case-list-from-board');
    await page.context().close();
  });

  it("the board's tiles of today and of open red cards link to the list with the same total", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    const hrefs: [string, number, string][] = [];
    for (const kpi of ['accepted', 'completedInPeriod', 'openRed']) {
      const link = page.locator(`[data-kpi="${kpi}"] a`).first();
      await link.waitFor();
      hrefs.push([
        kpi,
        Number((await link.textContent())?.replace(/\D/g, '')),
        (await link.getAttribute('href')) ?? '',
      ]);
    }
    expect(hrefs.find(([kpi]) => kpi === 'openRed')![1]).toBeGreaterThan(0);
    for (const [kpi, shown, href] of hrefs) {
      expect(href.startsWith('/cases?'), kpi).toBe(true);
      await page.goto(`${server.baseUrl}${href}`);
      expect(await listTotal(page), kpi).toBe(shown);
    }
    await page.context().close();
  });

  it('a monthly report cell links to the case list with the same total', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    // A month holding both an acceptance (k days ago) and a completion (k days ago + 1 h): the current
    // month has neither in its first days, and a month boundary can fall between the two of one k only.
    const month = [1, 5, 9]
      .map((k) => [shanghaiIso(-k * DAY).slice(0, 7), shanghaiIso(-k * DAY + 3_600_000).slice(0, 7)])
      .find(([acceptedIn, completedIn]) => acceptedIn === completedIn)?.[0];
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    for (const kpi of ['accepted', 'completedInPeriod', 'inProgress']) {
      const link = page.locator(`[data-kpi="${kpi}"] a`).first();
      await link.waitFor();
      const shown = Number((await link.textContent())?.replace(/\D/g, ''));
      expect(shown, kpi).toBeGreaterThan(0);
      await link.click();
      await page.waitForURL(/\/cases\?/);
      expect(await listTotal(page), kpi).toBe(shown);
      await page.goBack();
    }
    await page.context().close();
  });

  // Five days ago, and today's month: still running, compared with the same first days of the earlier months.
  it.each([
    ['five days ago', -5 * DAY],
    ['today (a month still running)', 0],
  ])(
    "every count the report links reproduces its number: the compared months, categories, centers', departments' and cards' counts (%s)",
    async (_, offset) => {
      const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
      const month = shanghaiIso(offset).slice(0, 7);
      await page.goto(`${server.baseUrl}/reports?month=${month}`);
      await page.locator('#kpis a.count-link').first().waitFor();
      const links = await page
        .locator('main a.count-link')
        .evaluateAll((as) =>
          as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '', a.closest('table')?.id]),
        );
      // Counts of every table and column link, not only this month's KPIs.
      const tables = new Set(links.map(([, , table]) => table));
      for (const table of ['kpis', 'categories', 'centers', 'departments', 'card-counts'])
        expect(tables, table).toContain(table);
      const roles = await page
        .locator('#kpis a.count-link')
        .evaluateAll((as) => as.map((a) => a.closest('td')?.dataset['role']));
      expect(new Set(roles)).toEqual(new Set(['now', 'month', 'before']));
      for (const [text, href] of links) {
        const shown = Number((text ?? '').replace(/\D/g, ''));
        // The page's withdrawn view reads GET /cards/withdrawn (the note under the cards table links it).
        const api = href!.replace(/^\/cards\?view=withdrawn&/, '/cards/withdrawn?');
        expect((await getJson(server.baseUrl, api)).total, `${text} → ${href}`).toBe(shown);
      }
      await page.context().close();
    },
  );

  it('the case list pages through every case once, and sorts most overdue first', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases?limit=50&sort=-overdueDays`);
    expect(await listTotal(page)).toBe(24);
    const api = await getJson(server.baseUrl, '/cases?sort=-overdueDays&limit=1');
    await expect(page.locator('#rows tbody tr').first().locator('a').textContent()).resolves.toBe(api.items[0].caseId);
    await page.selectOption('#f-limit', '50');
    await page.fill('#f-q', 'cl-1');
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/q=cl-1/);
    await page.waitForFunction(() => document.getElementById('total')?.dataset['total'] === '11');
    await screenshot(page, 'case-list-desktop');
    await page.context().close();
  });

  it('pages of one listing (sort dueAt) show the instant it was read at, the same on every page, and every case once', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases?limit=10&sort=dueAt`);
    expect(await listTotal(page)).toBe(24);
    const seen: string[] = [];
    const listedAts: string[] = [];
    for (let n = 1; n <= 3; n++) {
      await page.waitForFunction(
        (k) => document.getElementById('status')?.textContent?.startsWith(`第 ${k}`),
        1 + 10 * (n - 1),
      );
      listedAts.push((await page.locator('#status').getAttribute('data-listed-at')) ?? '');
      expect(await page.locator('#status').textContent()).toContain('列表时点');
      seen.push(...(await page.locator('#rows tbody tr td:first-child a').allTextContents()));
      if (n < 3) await page.click('#next');
    }
    expect(listedAts[0]).not.toBe('');
    expect(new Set(listedAts).size).toBe(1);
    expect(seen.length).toBe(24);
    expect(new Set(seen).size).toBe(24);
    await page.context().close();
  });

  it('a search the API refuses shows no rows, no total and no next page of the previous search', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases?limit=10`);
    expect(await listTotal(page)).toBe(24);
    await expect.poll(() => page.locator('#next').isDisabled()).toBe(false);
    await page.fill('#f-accepted-from', '2026-11-20');
    await page.fill('#f-accepted-to', '2026-11-10');
    await page.click('#filters button[type=submit]');
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/^查询条件有误 Invalid request: acceptedTo/);
    expect(await page.locator('#rows tbody tr').count()).toBe(0);
    expect(await page.locator('#total').getAttribute('data-total')).toBe('');
    expect(await page.locator('#next').isDisabled()).toBe(true);
    // The same search fixed reads again.
    await page.fill('#f-accepted-from', '');
    await page.fill('#f-accepted-to', '');
    await page.click('#filters button[type=submit]');
    expect(await listTotal(page)).toBe(24);
    expect(await page.locator('#error').textContent()).toBe('');
    await page.context().close();
  });

  it('paging by keyboard: on the last page the focus moves from the disabled Next to Previous', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases?limit=10`);
    expect(await listTotal(page)).toBe(24);
    await expect.poll(() => page.locator('#next').isDisabled()).toBe(false);
    await page.locator('#next').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('第 11'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('第 21'));
    expect(await page.locator('#next').isDisabled()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('prev');
    await page.context().close();
  });

  it("the header's card register link opens on this month's cards, not on an error", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/cases`);
    await page.locator('header a[href="/cards"]').click();
    await page.waitForURL(/\/cards/);
    const from = `${shanghaiIso(0).slice(0, 8)}01`;
    const to = shanghaiIso(DAY).slice(0, 10);
    const api = await getJson(server.baseUrl, `/cards?from=${from}&to=${to}`);
    await page.waitForFunction(() => document.getElementById('total')?.textContent !== '…'); // read or refused
    expect(await page.locator('#error').textContent()).toBe('');
    expect(await page.inputValue('#f-from')).toBe(from);
    expect(await page.inputValue('#f-to')).toBe(to);
    expect(await listTotal(page)).toBe(api.total);
    await page.context().close();
  });

  it('the card register lists the period with explanations; 390 px has no page-wide horizontal scroll', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor, PHONE);
    const from = shanghaiIso(-20 * DAY).slice(0, 10);
    const to = shanghaiIso(2 * DAY).slice(0, 10);
    await page.goto(`${server.baseUrl}/cards?from=${from}&to=${to}&limit=50`);
    const stats = await getJson(server.baseUrl, `/stats?from=${from}&to=${to}`);
    expect(await listTotal(page)).toBe(stats.flow.cardsTotal + stats.complaints.cardsTotal);
    // The figures named in Chinese, instants in the zone: not raw keys and ISO strings.
    const figures = (await page.locator('#rows tbody tr').first().locator('.explain-figures').textContent()) ?? '';
    expect(figures).toMatch(/受理/);
    expect(figures).not.toMatch(/=|acceptedDate|T\d{2}:\d{2}:\d{2}/);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Each card a block: the figures at the width of the page, not a column squeezed to a word a line.
    const figuresWidth = await page
      .locator('#rows tbody tr:first-child td.explain-figures')
      .evaluate((td) => td.getBoundingClientRect().width);
    expect(figuresWidth).toBeGreaterThan(PHONE.width * 0.8);
    await screenshot(page, 'card-register-phone');
    await page.context().close();
  });
});

describe('the case list paged back to page 1 after the clock moved on', () => {
  // Twelve cases accepted 09-01..09-12; every other one paused the next morning and never resumed,
  // so its deadline moves on with every working day the clock passes.
  const scheduler = createManualScheduler(Date.parse('2025-09-30T10:00:00+08:00'));
  let clocked: WebServer;
  const day = (d: number, hour = 9) =>
    `2025-09-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;

  beforeAll(async () => {
    clocked = await startWebServer({ scheduler });
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 12; i++) {
      const caseId = `BK-${String(i).padStart(2, '0')}`;
      events.push({ ...accepted(caseId, 0, [3, 10, 15, 20][i % 4]!, 'center-A', 'dep-1'), occurredAt: day(1 + i) });
      if (i % 2 === 0)
        events.push({ type: 'CasePaused', caseId, occurredAt: day(2 + i, 10), pauseId: 'p1', reason: 'supplement' });
    }
    await postEvents(clocked.baseUrl, events);
    for (let i = 0; i < 200 && (await getJson(clocked.baseUrl, '/cases?limit=1')).total !== 12; i++)
      await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await clocked?.close();
  });

  /** The status line, its listing instant and the rows' cells, once the page from row `from` shows. */
  async function shown(page: Page, from: number): Promise<{ listedAt: string; status: string; rows: string[][] }> {
    await page.waitForFunction((k) => document.getElementById('status')?.textContent?.startsWith(`第 ${k}–`), from);
    return {
      listedAt: (await page.locator('#status').getAttribute('data-listed-at')) ?? '',
      status: (await page.locator('#status').textContent()) ?? '',
      rows: await page
        .locator('#rows tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (td) => td.textContent ?? '')),
        ),
    };
  }
  /** Case id and deadline date (the first and seventh columns). */
  const idAndDeadline = (cells: readonly string[]) => `${cells[0]} ${cells[6]}`;

  for (const [button, sort] of [
    ['#prev', 'dueAt'],
    ['#first', '-dueAt'],
  ] as const)
    it(`${button} back to page 1 (sort ${sort}) shows the same rows at the same 列表时点 though 20 days passed`, async () => {
      const page = await openPage(browser, clocked.baseUrl, TOKENS.auditor);
      await page.goto(`${clocked.baseUrl}/cases?limit=6&sort=${sort}`);
      const first = await shown(page, 1);
      expect(first.listedAt).not.toBe('');
      expect(first.status).toContain('列表时点');
      expect(first.rows).toHaveLength(6);
      await page.click('#next');
      const second = await shown(page, 7);
      expect(second.listedAt).toBe(first.listedAt);
      // Past the National Day holidays and two weeks of working days: a new listing's page 1 differs.
      scheduler.advanceBy(20 * DAY);
      const fresh = await getJson(clocked.baseUrl, `/cases?limit=6&sort=${sort}`);
      const freshRows = fresh.items.map(
        (r: { caseId: string; deadlineDate: string }) => `${r.caseId} ${r.deadlineDate}`,
      );
      expect(freshRows).not.toEqual(first.rows.map(idAndDeadline));
      await page.click(button);
      const again = await shown(page, 1);
      expect(again.listedAt).toBe(first.listedAt);
      expect(again.status).toBe(first.status);
      // The same cases in the same order, paused ones with the deadline first shown; overdue days and
      // alerts are today's (docs/api.md: only paused cases and the overdue key are read at listedAt).
      expect(again.rows.map(idAndDeadline)).toEqual(first.rows.map(idAndDeadline));
      // The CSV of the listing on screen is read at its instant too, not now.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
      const csvAt = async (extra: string) => {
        const res = await fetch(`${clocked.baseUrl}/cases?sort=${sort}${extra}`, {
          headers: { authorization: `Bearer ${TOKENS.auditor}`, accept: 'text/csv' },
        });
        expect(res.status).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      };
      const downloaded = readFileSync(await download.path());
      expect(downloaded).toEqual(await csvAt(`&listedAt=${encodeURIComponent(first.listedAt)}`));
      expect(downloaded).not.toEqual(await csvAt(''));
      // Submitting the filters starts a new listing, read now.
      await page.click('#filters button[type=submit]');
      await page.waitForFunction((at) => document.getElementById('status')?.dataset['listedAt'] !== at, first.listedAt);
      expect(await page.locator('#status').getAttribute('data-listed-at')).toBe(fresh.listedAt);
      expect((await shown(page, 1)).rows.map(idAndDeadline)).toEqual(freshRows);
      await page.context().close();
    });
});

describe("a district's report covers its streets (scope=subtree), and every count links to the list that reproduces it", () => {
  let tree: WebServer;
  const DIRECTORY = {
    centers: [
      { centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district' },
      { centerId: 'street-huashan', name: '华山街道为民服务中心', level: 'street', parentId: 'district-wuhua' },
      { centerId: 'street-huguo', name: '护国街道为民服务中心', level: 'street', parentId: 'district-wuhua' },
      { centerId: 'district-panlong', name: '盘龙区政务服务中心', level: 'district' },
    ],
    departments: [],
  };
  const centers = DIRECTORY.centers.map((c) => c.centerId);

  beforeAll(async () => {
    tree = await startWebServer();
    const put = await fetch(`${tree.baseUrl}/directory`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(DIRECTORY),
    });
    if (put.status !== 200) throw new Error(`PUT /directory: ${put.status} ${await put.text()}`);
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      const daysAgo = 1 + (i % 10);
      const c = accepted(`ST-${i}`, daysAgo, i % 3 === 0 ? 1 : 30, centers[i % 4]!, `dep-${i % 2}`);
      events.push(c);
      if (i % 4 === 1)
        events.push({
          type: 'CaseCompleted',
          caseId: c.caseId,
          occurredAt: shanghaiIso(-(daysAgo - 1) * DAY),
          outcome: 'approved',
        });
    }
    await postEvents(tree.baseUrl, events);
    for (const [n, centerId] of ['street-huguo', 'district-wuhua', 'district-panlong'].entries()) {
      const res = await fetch(`${tree.baseUrl}/complaints/SQ-${n}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'ComplaintReceived',
          occurredAt: shanghaiIso(-(4 + n) * DAY),
          channel: 'hotline',
          centerId,
          subject: '窗口推诿',
        }),
      });
      if (res.status !== 201) throw new Error(`POST complaint: ${res.status} ${await res.text()}`);
    }
    for (let i = 0; i < 200 && (await getJson(tree.baseUrl, '/cases?limit=1')).total !== 20; i++)
      await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await tree?.close();
  });

  /** Every count link of the report on screen, each total read from the API the link names. */
  async function expectLinksReproduce(page: Page): Promise<string[]> {
    await page.locator('#kpis a.count-link').first().waitFor();
    const links = await page
      .locator('main a.count-link')
      .evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
    expect(links.length).toBeGreaterThan(0);
    for (const [text, href] of links) {
      const shown = Number((text ?? '').replace(/\D/g, ''));
      const api = href!.replace(/^\/cards\?view=withdrawn&/, '/cards/withdrawn?');
      expect((await getJson(tree.baseUrl, api)).total, `${text} → ${href}`).toBe(shown);
    }
    return links.map(([, href]) => href!);
  }

  it('the district with its streets by default; 含下级中心 cleared, the district alone; links match either way', async () => {
    const page = await openPage(browser, tree.baseUrl, TOKENS.monitor);
    const month = shanghaiIso(-5 * DAY).slice(0, 7);
    await page.goto(`${tree.baseUrl}/reports?month=${month}&centerId=district-wuhua`);
    await page.locator('#kpis a.count-link').first().waitFor();
    expect(await page.locator('#scope').isChecked()).toBe(true);
    const api = await getJson(tree.baseUrl, `/reports/monthly?month=${month}&centerId=district-wuhua`);
    expect(api.filter.scope).toBe('subtree');
    const rows = await page
      .locator('#centers tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-center')));
    expect(rows.length).toBeGreaterThan(1);
    for (const id of rows) expect(['district-wuhua', 'street-huashan', 'street-huguo']).toContain(id);
    const hrefs = await expectLinksReproduce(page);
    // The report's own counts carry the scope; a row of the per-center table is that center's alone.
    expect(hrefs.some((h) => h.includes('centerId=district-wuhua') && h.includes('scope=subtree'))).toBe(true);
    expect(hrefs.some((h) => h.includes('centerId=street-') && h.includes('scope='))).toBe(false);

    // The list a count opens keeps the scope (its 含下级中心 ticked) and shows the same total.
    const link = page.locator('[data-kpi="accepted"] a').first();
    const shown = Number((await link.textContent())?.replace(/\D/g, ''));
    expect(shown).toBe(api.kpis.cohort.accepted);
    await link.click();
    await page.waitForURL(/\/cases\?.*scope=subtree/);
    expect(await listTotal(page)).toBe(shown);
    expect(await page.locator('#f-scope').isChecked()).toBe(true);
    await page.goBack();

    // 含下级中心 cleared: the district's own figures, its links without the streets.
    await page.locator('#kpis a.count-link').first().waitFor();
    await page.locator('#scope').uncheck();
    await page.click('#month-form button[type=submit]');
    await page.waitForURL(/scope=center/);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#centers tbody tr')).every(
        (tr) => tr.getAttribute('data-center') === 'district-wuhua',
      ),
    );
    const alone = await getJson(tree.baseUrl, `/reports/monthly?month=${month}&centerId=district-wuhua&scope=center`);
    expect(alone.kpis.cohort.accepted).toBeLessThan(api.kpis.cohort.accepted);
    const aloneHrefs = await expectLinksReproduce(page);
    expect(aloneHrefs.some((h) => h.includes('scope='))).toBe(false);
    await page.context().close();
  });
});
