/**
 * Complaints (效能投诉, SPEC §8) in headless Chromium against the real engine,
 * whose clock is a manual scheduler: a complaint whose answer falls due while
 * the board is open turns from complaint-answer-warning to complaint-overdue on
 * the board without a reload (the due timer raises it, /alerts/stream carries
 * it); the complaints page lists it, filters by the alert, and shows its view
 * with the clocks and cards in the API's numbers, on a desktop and at 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import {
  PHONE,
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  screenshot,
  startWebServer,
  type WebServer,
} from './harness.js';

// Accepted on Monday 2025-11-03: warning from 00:00 of counted day 12 (11-19), due at the end of day 15 (11-24).
const DUE = Date.parse('2025-11-25T00:00:00+08:00');
const START = DUE - 60_000;
const scheduler = createManualScheduler(START);

let server: WebServer;
let browser: Browser;

async function postComplaint(id: string, events: readonly Record<string, unknown>[]): Promise<void> {
  for (const body of events) {
    const res = await fetch(`${server.baseUrl}/complaints/${id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201)
      throw new Error(`POST complaint ${id} ${String(body['type'])}: ${res.status} ${await res.text()}`);
  }
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  const received = {
    type: 'ComplaintReceived',
    channel: 'hotline',
    centerId: 'center-A',
    departmentId: 'dep-permits',
    subject: '办件超过承诺时限未办结',
  };
  await postComplaint('Q-LATE-1', [
    { ...received, occurredAt: '2025-11-03T09:30:00+08:00', caseId: 'CASE-7' },
    { type: 'ComplaintAccepted', occurredAt: '2025-11-03T10:00:00+08:00' },
  ]);
  await postComplaint('Q-DONE-1', [
    { ...received, channel: 'online', occurredAt: '2025-11-04T09:00:00+08:00', subject: '窗口工作人员态度生硬' },
    { type: 'ComplaintAccepted', occurredAt: '2025-11-04T11:00:00+08:00' },
    { type: 'ComplaintAnswered', occurredAt: '2025-11-10T15:00:00+08:00', finding: 'partly', note: '已督促部门改进' },
    { type: 'ComplaintClosed', occurredAt: '2025-11-12T10:00:00+08:00', satisfaction: 'basically' },
  ]);
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('complaints', () => {
  it('a complaint whose answer falls due shows as overdue on the open board, without a reload, linking to its page', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#conn[data-state="open"]').waitFor();
    const warning = page.locator(
      '#alerts tbody tr[data-complaint-id="Q-LATE-1"][data-rule="complaint-answer-warning"]',
    );
    await warning.waitFor();
    expect(await warning.getAttribute('data-color')).toBe('yellow');
    expect(await warning.locator('a').getAttribute('href')).toBe('/complaints?id=Q-LATE-1');
    expect(await page.locator('#alerts tbody tr[data-complaint-id="Q-DONE-1"]').count()).toBe(0);
    let reloaded = false;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) reloaded = true;
    });

    scheduler.advanceTo(DUE);
    const overdue = page.locator('#alerts tbody tr[data-complaint-id="Q-LATE-1"][data-rule="complaint-overdue"]');
    await overdue.waitFor({ timeout: 5000 });
    expect(await overdue.getAttribute('data-color')).toBe('red');
    await expect.poll(() => warning.count()).toBe(0); // the warning clears when the red card starts
    expect(await page.locator('#announcer').textContent()).toContain('Q-LATE-1');
    expect(reloaded).toBe(false);
    // The rule's count links to the complaints list with that alert.
    const count = page.locator('#rule-counts li[data-rule="complaint-overdue"] a');
    expect(await count.getAttribute('href')).toContain('/complaints?');
    expect(await count.getAttribute('href')).toContain('rule=complaint-overdue');
    // The per-center red count splits by subject: the complaint links to the complaints list reproducing it.
    // (The red one: the store records at the real clock, so each event is also a yellow complaint-late-record.)
    const centerRed = page.locator('#centers tbody tr[data-center-id="center-A"] td a.red[data-subject="complaint"]');
    await expect.poll(() => centerRed.textContent()).toBe('投诉 1');
    expect(await page.locator('#centers tbody tr[data-center-id="center-A"] a[data-subject="case"]').count()).toBe(0);
    await screenshot(page, 'board-complaint-overdue');
    await centerRed.first().click();
    await page.waitForURL(/\/complaints\?.*centerId=center-A/);
    expect(page.url()).toContain('color=red');
    await expect.poll(() => page.locator('#total').getAttribute('data-total')).toBe('1');
    await page.context().close();
  });

  it('the complaints page lists them, filters by the alert in force, and opens one with its clocks and cards in numbers', async () => {
    scheduler.advanceTo(Math.max(scheduler.clock(), DUE));
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/complaints`);
    const rows = page.locator('#rows tbody tr[data-complaint-id]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('#total').getAttribute('data-total')).toBe('2');
    const late = page.locator('#rows tbody tr[data-complaint-id="Q-LATE-1"]');
    await expect(late.locator('[data-rule="complaint-overdue"]').textContent()).resolves.toContain('投诉答复逾期');

    await page.getByLabel('当前告警 Alert now').selectOption('complaint-overdue');
    await page.getByRole('button', { name: /查询/ }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(page.url()).toContain('rule=complaint-overdue');
    await screenshot(page, 'complaints-list');
    // Filters and sorts as the case list: overdue now, sorted by since when past due; the due cell names its step.
    await page.getByLabel('当前告警 Alert now').selectOption('');
    await page.getByLabel('逾期 Overdue now').selectOption('true');
    await page.getByLabel('排序 Sort').selectOption('-overdueDays');
    await page.getByRole('button', { name: /查询/ }).click();
    await page.waitForURL(/overdue=true/);
    expect(page.url()).toContain('sort=-overdueDays');
    await expect.poll(() => rows.count()).toBe(1);
    // The last day to answer on (the due instant is the end of it, 2025-11-25 00:00), as the complaint page says.
    expect(await late.locator('time').nth(1).textContent()).toBe('2025-11-24');
    expect(await late.textContent()).toContain('答复 answer');
    expect(await late.textContent()).toContain('已逾期 overdue');
    expect(await page.locator('#csv').isVisible()).toBe(true);
    // The status line is written after the rows (a reviewer saw 加载中 Loading… here under load): wait for it.
    await expect.poll(() => page.locator('#status').textContent()).toContain('逾期排序按此时点计算');

    // Back from a complaint shows the list again, not the JSON it fetched at the same address.
    await late.locator('a').first().click();
    await page.waitForURL(/\/complaints\?id=Q-LATE-1$/);
    await page.goBack();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.locator('#filters').isVisible()).toBe(true);
    await late.locator('a').first().click();
    await page.waitForURL(/\/complaints\?id=Q-LATE-1$/);
    const api = await getJson(server.baseUrl, '/complaints/Q-LATE-1');
    const dd = (list: string, field: string) => page.locator(`#${list} [data-field="${field}"] dd`);
    await expect.poll(() => dd('answer-clock', 'byDate').textContent()).toBe(api.answer.byDate);
    expect(api.answer.byDate).toBe('2025-11-24');
    expect(await dd('answer-clock', 'dueAt').textContent()).toBe('2025-11-25 00:00');
    expect(await dd('answer-clock', 'usedDays').textContent()).toBe(String(api.answer.usedDays));
    expect(await dd('answer-clock', 'remainingDays').textContent()).toBe(String(api.answer.remainingDays));
    expect(await dd('answer-clock', 'overdueDays').textContent()).toBe(String(api.answer.overdueDays));
    expect(await dd('decide-clock', 'byDate').textContent()).toBe(api.decide.byDate);
    expect(await dd('about', 'case').textContent()).toBe('CASE-7');

    const cards = page.locator('#cards li[data-rule]');
    expect(await cards.count()).toBe(api.cards.length);
    const red = page.locator('#cards li[data-rule="complaint-overdue"]');
    expect(await red.getAttribute('data-in-force')).toBe('true');
    expect(await red.locator('[data-key="dueAt"]').textContent()).toBe('2025-11-25 00:00');
    expect(await red.textContent()).toContain('第 15 个工作日');
    const yellow = page.locator('#cards li[data-rule="complaint-answer-warning"]');
    expect(await yellow.locator('[data-key="warnAtDay"]').textContent()).toBe('12');
    expect(await yellow.locator('[data-key="warnAt"]').textContent()).toBe('2025-11-19 00:00');
    // A monitor's answer has no events (the record with its actors is a history, for auditors): the timeline says so.
    expect(await page.locator('#events tbody').textContent()).toBe(
      '逐条事件记录仅供审计人员查看 The event-by-event record is for auditors',
    );
    expect(await page.locator('#detail-error').textContent()).toBe('');
    await screenshot(page, 'complaint-view');
    await page.context().close();
  });

  it("an auditor's complaint page shows its events; a monitor's says the event record is for auditors, the rest alike", async () => {
    const api = await getJson(server.baseUrl, '/complaints/Q-DONE-1', TOKENS.auditor);
    expect(api.events).toHaveLength(4);
    const pages = [];
    for (const token of [TOKENS.auditor, TOKENS.monitor]) {
      const page = await openPage(browser, server.baseUrl, token);
      await page.goto(`${server.baseUrl}/complaints?id=Q-DONE-1`);
      await page.locator('#events tbody tr').first().waitFor();
      pages.push(page);
    }
    const [auditor, monitor] = pages as [(typeof pages)[number], (typeof pages)[number]];
    const rows = auditor.locator('#events tbody tr[data-type]');
    expect(await rows.count()).toBe(api.events.length);
    expect(await rows.first().getAttribute('data-type')).toBe('ComplaintReceived');
    expect(await monitor.locator('#events tbody tr[data-type]').count()).toBe(0);
    expect(await monitor.locator('#events tbody tr').textContent()).toMatch(/仅供审计人员查看.*for auditors/);
    for (const page of pages) {
      expect(await page.locator('#detail-error').textContent()).toBe('');
      expect(await page.locator('#about [data-field="closed"] dd').textContent()).toContain('基本满意');
      await page.context().close();
    }
  });

  it("the monthly report's complaint counts link to the complaint list with the same total", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=2025-11`);
    const links: [string, number, string][] = [];
    for (const figure of ['received', 'accepted', 'rejected', 'answered', 'closed', 'closedOfAccepted']) {
      const link = page.locator(`#complaint-figures tr[data-figure="${figure}"] td[data-role="now"] a`);
      await link.waitFor();
      links.push([figure, Number(await link.textContent()), (await link.getAttribute('href')) ?? '']);
    }
    const figures = (await getJson(server.baseUrl, '/reports/monthly?month=2025-11')).complaints.figures;
    expect(links.map(([figure, n]) => [figure, n])).toEqual([
      ['received', 2],
      ['accepted', 2],
      ['rejected', 0],
      ['answered', 1],
      ['closed', figures.closed],
      ['closedOfAccepted', 1],
    ]);
    // Each 办结 figure named for what it counts (before: one row "办结 closed" of the cohort figure, and the
    // month's closures nowhere), the rate on its base.
    const name = (figure: string) => page.locator(`#complaint-figures tr[data-figure="${figure}"] th`).textContent();
    expect(await name('closed')).toMatch(/^本月办结 /);
    expect(await name('closedOfAccepted')).toMatch(/^本月受理且已办结 /);
    expect(await name('closedRate')).toMatch(/^办结率（本月受理的） /);
    expect(await page.locator('#summary').textContent()).toContain(
      `本月办结${figures.closed}件，本月受理且已办结${figures.closedOfAccepted}件`,
    );
    // The department's 部分查实 (Q-DONE-1, answered 11-10) links to its complaints too.
    const partly = page.locator('#complaint-departments td a').nth(1); // after 查实 (0)
    links.push(['partly', Number(await partly.textContent()), (await partly.getAttribute('href')) ?? '']);
    expect(links.at(-1)![1]).toBe(1);
    for (const [figure, shown, href] of links) {
      await page.goto(`${server.baseUrl}${href}`);
      await expect
        .poll(() => page.locator('#total').getAttribute('data-total'), { message: figure })
        .toBe(String(shown));
    }
    await page.context().close();
  });

  it("a complaint's card is in the report's cards of the month and in the card register, linking to the complaint", async () => {
    scheduler.advanceTo(Math.max(scheduler.clock(), DUE));
    await server.applied();
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=2025-11`);
    // Q-LATE-1's answer warning (11-19) and overdue card (11-25 00:00) are November's; before, the report's
    // cards held case rules only and the register refused complaint rules.
    const warning = page.locator('#card-counts tr[data-rule="complaint-answer-warning"] td a').first();
    await warning.waitFor();
    expect(await page.locator('#card-counts tr[data-rule="complaint-answer-warning"] td').first().textContent()).toBe(
      '投诉答复临期 complaint answer warning',
    );
    expect(await warning.textContent()).toBe('1');
    // 合计 is shown as the cases' and the complaints' subtotals; the key figure names the cases' alone.
    const report = await getJson(server.baseUrl, '/reports/monthly?month=2025-11');
    const foot = async (role: string) =>
      Number(await page.locator(`#card-counts tfoot tr[data-total="${role}"] td`).first().textContent());
    expect(await foot('cases')).toBe(report.kpis.flow.cardsTotal);
    expect(await foot('complaints')).toBe(report.complaints.figures.cardsTotal);
    expect(await foot('total')).toBe(report.cards.total);
    expect(report.cards.total).toBe(report.kpis.flow.cardsTotal + report.complaints.figures.cardsTotal);
    expect(report.complaints.figures.cardsTotal).toBeGreaterThan(0);
    expect(await page.locator('#kpis tr[data-kpi="cardsTotal"] th').textContent()).toMatch(/^办件红黄牌 /);
    // The summary says whose cards: 办件 apart from 效能投诉.
    expect(await page.locator('#summary').textContent()).toContain('效能投诉出现');
    await warning.click();
    const link = page.locator('#rows tbody tr td a[href^="/complaints?id="]');
    await link.waitFor();
    expect(await link.textContent()).toBe('Q-LATE-1');
    expect(await page.locator('#total').getAttribute('data-total')).toBe('1');
    await page.context().close();
  });

  it('Next pages the listing shown, not filters changed in the form without pressing Show', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/complaints?limit=1`);
    const rows = page.locator('#rows tbody tr[data-complaint-id]');
    await expect.poll(() => rows.first().getAttribute('data-complaint-id')).toBe('Q-DONE-1');
    await page.getByLabel('排序 Sort').selectOption('received');
    await page.getByLabel('状态 Status').selectOption('closed');
    await page.locator('#next').click();
    await expect.poll(() => rows.first().getAttribute('data-complaint-id')).toBe('Q-LATE-1');
    expect(await page.locator('#error').textContent()).toBe('');
    expect(await page.getByLabel('排序 Sort').inputValue()).toBe('-received');
    expect(await page.getByLabel('状态 Status').inputValue()).toBe('');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-received');
    await page.context().close();
  });

  it('Back to the list shows the page it showed, with the filters it was listed by (not ones typed and left)', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/complaints?limit=1`);
    const rows = page.locator('#rows tbody tr[data-complaint-id]');
    await expect.poll(() => rows.first().getAttribute('data-complaint-id')).toBe('Q-DONE-1');
    await page.locator('#next').click();
    await expect.poll(() => rows.first().getAttribute('data-complaint-id')).toBe('Q-LATE-1');
    await page.getByLabel('状态 Status').selectOption('closed'); // typed, never submitted
    await rows.first().locator('a').first().click();
    await page.waitForURL(/id=Q-LATE-1/);
    await page.goBack();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^第 2–2 条/);
    expect(await rows.first().getAttribute('data-complaint-id')).toBe('Q-LATE-1');
    expect(await page.getByLabel('状态 Status').inputValue()).toBe('');
    expect(await page.locator('#first').isDisabled()).toBe(false);
    await page.locator('#first').click();
    await expect.poll(() => rows.first().getAttribute('data-complaint-id')).toBe('Q-DONE-1');
    await page.context().close();
  });

  it("filters by the closure's satisfaction, from the address and from the form (the lists behind /stats' satisfaction)", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    const rows = page.locator('#rows tbody tr[data-complaint-id]');
    // Q-DONE-1 was closed basically satisfied; Q-LATE-1 is not closed. Before, the page dropped the filter.
    await page.goto(`${server.baseUrl}/complaints?satisfaction=content`);
    await expect.poll(() => page.locator('#total').getAttribute('data-total')).toBe('1');
    expect(await rows.first().getAttribute('data-complaint-id')).toBe('Q-DONE-1');
    expect(await page.getByLabel('投诉人满意度 Satisfaction').inputValue()).toBe('content');
    await page.getByLabel('投诉人满意度 Satisfaction').selectOption('unsatisfied');
    await page.getByRole('button', { name: /查询/ }).click();
    await page.waitForURL(/satisfaction=unsatisfied/);
    await expect.poll(() => page.locator('#total').getAttribute('data-total')).toBe('0');
    await page.context().close();
  });

  it('fits a 390 px phone: list and view without sideways scrolling of the page', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor, PHONE);
    for (const path of ['/complaints', '/complaints?id=Q-DONE-1']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page
        .locator(path.includes('id=') ? '#events tbody tr' : '#rows tbody tr[data-complaint-id]')
        .first()
        .waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(PHONE.width);
      if (!path.includes('id=')) {
        // The list's due and alerts columns are on screen, not behind the table's own sideways scroll.
        const table = await page.evaluate(() => {
          const t = document.querySelector('#rows') as HTMLElement;
          return t.scrollWidth - (t.parentElement as HTMLElement).clientWidth;
        });
        expect(table, 'the table is wider than its box').toBeLessThanOrEqual(0);
      }
    }
    await expect(page.locator('#about [data-field="closed"] dd').textContent()).resolves.toContain('基本满意');
    await screenshot(page, 'complaint-view-phone');
    await page.context().close();
  });

  it("a complaint's id typed in the case lookup links to the complaint", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#case-jump-id').fill('Q-DONE-1');
    await page.locator('#case-jump-id').press('Enter');
    await page.waitForURL(/\/cases\/Q-DONE-1$/);
    await page.locator('#complaint-link').click();
    await page.waitForURL(/\/complaints\?id=Q-DONE-1$/);
    await expect.poll(() => page.locator('#detail-view').isVisible()).toBe(true);
    await page.context().close();
  });

  it('a list with nothing recorded says so, and a filter that matches nothing says that', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/cases`); // no case recorded on this engine
    await expect.poll(() => page.locator('#status').textContent()).toBe('尚无记录 Nothing recorded yet');
    await page.goto(`${server.baseUrl}/complaints?q=ZZZ`);
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe('没有符合条件的记录 Nothing matches these filters');
    await page.context().close();
  });

  it('says so when the complaint does not exist', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/complaints?id=NO-SUCH-1`);
    await expect.poll(() => page.locator('#detail-error').textContent()).toMatch(/未找到|Not found/);
    // No empty headings and tables of a complaint that is not there.
    expect(await page.locator('#detail-view section:visible').count()).toBe(0);
    await page.context().close();
  });

  it('an address filter the form cannot hold (an impossible date) is named, not dropped silently', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/complaints?closedFrom=2026-13-01`);
    await expect.poll(() => page.locator('#error').textContent()).toContain('closedFrom=2026-13-01');
    await page.context().close();
  });
});
