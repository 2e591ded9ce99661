/**
 * Session 16, in headless Chromium against the real engine on a manual clock: a red card the board
 * showed, withdrawn by a completion recorded four days after the fact, is on the case page under
 * 已撤销的红黄牌 Withdrawn cards (when, by what) and in the card register's withdrawn view (total,
 * paging, CSV); a 延期 recorded two weeks after the case was due without it is flagged 补录 back-dated
 * in the case's extensions table (and on its history row). Session 17: a complaint's red card,
 * withdrawn by an acceptance recorded after the fact, is in the withdrawn view too, linked to the
 * complaint's page.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualScheduler } from '../projections/scheduler.js';
import {
  PHONE,
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  startWebServer,
  type WebServer,
} from '../../test/web/harness.js';

const at = (s: string) => Date.parse(s);
const scheduler = createManualScheduler(at('2025-11-03T09:00:00+08:00'));
const NOVEMBER = 'from=2025-11-01&to=2025-12-01';

/** One complaint event through its own route (SPEC §8). */
async function postComplaint(complaintId: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.baseUrl}/complaints/${complaintId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST complaint ${complaintId}: ${res.status} ${await res.text()}`);
}

let server: WebServer;
let browser: Browser;

const accepted = (caseId: string, occurredAt: string, promisedDays: number) => ({
  caseId,
  type: 'CaseAccepted',
  occurredAt,
  centerId: 'center-A',
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays,
  channel: 'window',
});

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  // EXT-1: accepted Mon 11-03, 5 working days: due at the end of Mon 11-10, red from 11-11 00:00.
  await postEvents(server.baseUrl, [accepted('EXT-1', '2025-11-03T09:00:00+08:00', 5)]);
  await server.applied();
  // WD-1: accepted Mon 11-17, 3 working days: due at the end of Thu 11-20, red from 11-21 00:00.
  scheduler.advanceTo(at('2025-11-17T09:00:00+08:00'));
  await postEvents(server.baseUrl, [accepted('WD-1', '2025-11-17T09:00:00+08:00', 3)]);
  // QW-1: a complaint received then, to be decided by the end of Thu 11-20: red from 11-21 00:00.
  await postComplaint('QW-1', {
    type: 'ComplaintReceived',
    occurredAt: '2025-11-17T09:00:00+08:00',
    channel: 'hotline',
    centerId: 'center-A',
    departmentId: 'dep-1',
    subject: '窗口推诿',
  });
  await server.applied();
  // Monday 11-24: both red cards are on the board.
  scheduler.advanceTo(at('2025-11-24T10:00:00+08:00'));
  await server.applied();
  const held = await getJson(server.baseUrl, `/cards?${NOVEMBER}&color=red`);
  expect(held.items.map((c: { caseId?: string; complaintId?: string }) => c.caseId ?? c.complaintId).sort()).toEqual([
    'EXT-1',
    'QW-1',
    'WD-1',
  ]);
  // Then, recorded now: WD-1's completion of Thursday 16:00 (before its due), and EXT-1's 3-day 延期
  // of Monday 11-10 16:00 (before its due, recorded two weeks after it).
  await postEvents(server.baseUrl, [
    { caseId: 'WD-1', type: 'CaseCompleted', occurredAt: '2025-11-20T16:00:00+08:00', outcome: 'approved' },
  ]);
  await postEvents(server.baseUrl, [
    {
      caseId: 'EXT-1',
      type: 'CaseExtended',
      occurredAt: '2025-11-10T16:00:00+08:00',
      days: 3,
      approvedBy: '分管局长',
      reason: '需现场核查',
    },
  ]);
  await postComplaint('QW-1', { type: 'ComplaintAccepted', occurredAt: '2025-11-20T11:00:00+08:00' });
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const texts = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((nodes) => nodes.map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim()));

describe('the case page', () => {
  it('shows the red card a back-dated completion withdrew: when it started, when and by what it was withdrawn', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/WD-1`);
    const row = page.locator('#withdrawn-cards tbody tr[data-rule="overdue"]');
    await row.waitFor();
    expect(await page.locator('#withdrawn-section').isVisible()).toBe(true);
    expect(await row.getAttribute('data-color')).toBe('red');
    const cells = await texts(page, '#withdrawn-cards tbody tr[data-rule="overdue"] td');
    expect(cells[0]).toBe('红牌 red 逾期 overdue');
    expect(cells[1]).toBe('2025-11-21 00:00'); // started
    expect(cells[3]).toBe('2025-11-24 10:00'); // withdrawn (recorded)
    expect(cells[4]).toBe('不再亮牌 no longer shown');
    expect(cells[5]).toBe('办结 completed · 发生 occurred 2025-11-20 16:00 · 版本号 revision 1');
    expect(await row.locator('li[data-event-type="CaseCompleted"]').count()).toBe(1);
    expect(await texts(page, '#withdrawn-cards thead th')).toEqual([
      '牌 Card',
      '亮牌 Started',
      '消除 Cleared',
      '撤销 Withdrawn',
      '现状 Now',
      '撤销原因 Withdrawn by',
    ]);
    // The card is gone from the cards of the record; the late completion's own yellow card is there.
    expect(await page.locator('#cards > li[data-rule="overdue"]').count()).toBe(0);
    expect(await page.locator('#cards > li[data-rule="late-record"]').count()).toBe(1);
    await screenshot(page, 'case-withdrawn-card');
    await page.context().close();
  });

  it('hides the section for a case with no withdrawn card, and has an empty extensions table', async () => {
    await postEvents(server.baseUrl, [accepted('PLAIN-1', '2025-11-24T09:00:00+08:00', 5)]);
    await server.applied();
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/PLAIN-1`);
    await page.locator('#extensions tbody tr').first().waitFor();
    expect(await texts(page, '#extensions tbody tr')).toEqual(['无 None']);
    expect(await page.locator('#withdrawn-section').isHidden()).toBe(true);
    await page.context().close();
  });

  it('flags a 延期 recorded after the case was due without it as 补录 back-dated, in the table and the history', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/EXT-1`);
    const ext = page.locator('#extensions tbody tr[data-index="0"]');
    await ext.waitFor();
    expect(await ext.getAttribute('data-retroactive')).toBe('true');
    expect(await ext.getAttribute('data-voided')).toBeNull();
    const cells = await texts(page, '#extensions tbody tr[data-index="0"] td');
    expect(cells).toEqual(['2025-11-10 16:00 (补录 back-dated)', '3', '分管局长', '需现场核查']);
    expect(await page.locator('#ext-note').isVisible()).toBe(true);
    // The history's CaseExtended row is marked as a back-dated pause's is.
    const historyRow = page.locator('#history tr[data-kind="event"][data-revision="1"]');
    await historyRow.waitFor();
    expect(await historyRow.getAttribute('data-back-dated')).toBe('true');
    expect(await historyRow.textContent()).toContain('补录 back-dated');
    // Its red card moved: withdrawn at 11-11 00:00, the record now starts it 3 working days later.
    const moved = page.locator('#withdrawn-cards tbody tr[data-rule="overdue"]');
    expect(await moved.getAttribute('data-now-started-at')).toBe('2025-11-14T00:00:00.000+08:00');
    expect(await moved.locator('td').nth(4).textContent()).toBe('现亮牌 now starts 2025-11-14 00:00');
    expect(await moved.locator('td').nth(5).textContent()).toContain('延期 extended');
    await screenshot(page, 'case-extension-back-dated');

    // At phone width nothing of the new tables makes the page scroll sideways.
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.locator('#extensions tbody tr[data-index="0"]').waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    await page.context().close();
  });
});

describe("the complaint's page", () => {
  it('shows the red card an acceptance recorded after the fact withdrew, and by what', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/complaints?id=QW-1`);
    const row = page.locator('#withdrawn-cards tbody tr[data-rule="complaint-undecided"]');
    await row.waitFor();
    expect(await page.locator('#withdrawn-section').isVisible()).toBe(true);
    expect(await row.getAttribute('data-complaint-id')).toBe('QW-1');
    const cells = await texts(page, '#withdrawn-cards tbody tr td');
    expect(cells[1]).toBe('2025-11-21 00:00'); // started
    expect(cells[3]).toBe('2025-11-24 10:00'); // withdrawn (recorded)
    expect(cells[4]).toBe('不再亮牌 no longer shown');
    expect(cells[5]).toBe('受理 accepted · 发生 occurred 2025-11-20 11:00 · 版本号 revision 1');
    await screenshot(page, 'complaint-withdrawn-card');
    await page.context().close();
  });

  it('replays the complaint as known before the late acceptance: undecided, its red card shown, nothing withdrawn yet', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/complaints?id=QW-1`);
    await page.locator('#withdrawn-cards tbody tr').first().waitFor();
    // The auditor picks 2025-11-24 09:00 as of and as known at: an hour before the acceptance was recorded.
    await page.fill('#complaint-asof', '2025-11-24T09:00');
    await page.fill('#complaint-asknown', '2025-11-24T09:00:00');
    await page.click('#complaint-asof-form button[type="submit"]');
    await page.waitForURL(/asKnownAt=/);
    await page.waitForFunction(() =>
      document.getElementById('complaint-asof-status')?.textContent?.includes('as known at'),
    );
    expect(page.url()).toContain('asOf=2025-11-24T09%3A00%3A00%2B08%3A00');
    expect(await page.locator('#complaint-status [data-status]').getAttribute('data-status')).toBe('received');
    expect(await page.locator('#cards li[data-rule="complaint-undecided"]').count()).toBe(1);
    expect(await page.locator('#withdrawn-section').isHidden()).toBe(true);
    // Back to now and everything recorded: accepted, the card withdrawn.
    await page.click('#complaint-asof-clear');
    await page.waitForURL((url) => !url.search.includes('asOf'));
    await page.locator('#withdrawn-cards tbody tr').first().waitFor();
    expect(await page.locator('#complaint-status [data-status]').getAttribute('data-status')).toBe('accepted');
    await page.context().close();
  });
});

describe('the monthly report', () => {
  it("says beside the month's cards how many were shown and then withdrawn, linked to the withdrawn view", async () => {
    const report = await getJson(server.baseUrl, '/reports/monthly?month=2025-11');
    expect(report.cards.withdrawn.total).toBeGreaterThanOrEqual(2);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=2025-11`);
    const note = page.locator('#withdrawn-note');
    await note.waitFor();
    expect(await note.textContent()).toContain(
      `亮出后撤销的红黄牌（不计入上表）Also shown, then withdrawn (not counted above): ${report.cards.withdrawn.total}`,
    );
    // The cards withdrawn (the view lists the changed clearings and rows put back too: `kind` keeps them apart).
    expect(await note.locator('a').first().getAttribute('href')).toBe(
      '/cards?view=withdrawn&kind=withdrawn&from=2025-11-01&to=2025-12-01',
    );
    await page.context().close();
  });
  it('links every count of that line to the withdrawn view listing exactly them (SPEC §4)', async () => {
    const { withdrawn } = (await getJson(server.baseUrl, '/reports/monthly?month=2025-11')).cards;
    // EXT-1's 延期 moved its warning's clearing the board had shown: listed in the view, not a card withdrawn.
    expect(withdrawn.clearingsChanged).toBeGreaterThanOrEqual(1);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=2025-11`);
    await page.locator('#withdrawn-note a').first().waitFor();
    const links = await page
      .locator('#withdrawn-note a')
      .evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
    for (const [text, href] of links) {
      const api = href!.replace(/^\/cards\?view=withdrawn&/, '/cards/withdrawn?');
      expect((await getJson(server.baseUrl, api)).total, `${text} → ${href}`).toBe(Number(text!.replace(/\D/g, '')));
      await page.goto(`${server.baseUrl}${href}`);
      await page.waitForFunction(() => (document.getElementById('total')?.dataset['total'] ?? '') !== '');
      expect(await page.locator('#total').getAttribute('data-total'), `${text} → ${href}`).toBe(
        String(Number(text!.replace(/\D/g, ''))),
      );
      await page.goBack();
    }
    // The withdrawn, the red and the yellow of them, and the changed clearings: each count a link.
    const shown = [withdrawn.total, withdrawn.red, withdrawn.yellow, withdrawn.clearingsChanged];
    expect(links.map(([text]) => Number(text!.replace(/\D/g, '')))).toEqual(shown);
    await page.context().close();
  });
});

describe("the card register's withdrawn view", () => {
  it('lists the withdrawn cards of the period with their total, pages them, and downloads them as CSV', async () => {
    const api = await getJson(server.baseUrl, `/cards/withdrawn?${NOVEMBER}`);
    expect(api.total).toBeGreaterThanOrEqual(2);
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cards?view=withdrawn&${NOVEMBER}&limit=1`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('第 1–1 条'));
    expect(await page.locator('#total').getAttribute('data-total')).toBe(String(api.total));
    expect(await page.locator('h1').textContent()).toContain('已撤销的红黄牌');
    expect(await page.locator('#tab-withdrawn').getAttribute('aria-current')).toBe('page');
    expect(await texts(page, '#rows thead th')).toContain('撤销原因 Withdrawn by');

    // Every page, one row each, until Next is disabled: every withdrawn card of the API once.
    const seen: Array<{ caseId: string; complaintId: string; rule: string; color: string; withdrawnAt: string }> = [];
    for (let i = 1; ; i++) {
      await page.waitForFunction((k) => document.getElementById('status')?.textContent?.startsWith(`第 ${k}–`), i);
      const row = page.locator('#rows tbody tr');
      expect(await row.count()).toBe(1);
      seen.push({
        caseId: (await row.getAttribute('data-case-id')) ?? '',
        complaintId: (await row.getAttribute('data-complaint-id')) ?? '',
        rule: (await row.getAttribute('data-rule')) ?? '',
        color: (await row.getAttribute('data-color')) ?? '',
        withdrawnAt: (await row.getAttribute('data-withdrawn-at')) ?? '',
      });
      if (await page.locator('#next').isDisabled()) break;
      await page.click('#next');
    }
    expect(seen).toHaveLength(api.total);
    expect(seen).toContainEqual({
      caseId: 'WD-1',
      complaintId: '',
      rule: 'overdue',
      color: 'red',
      withdrawnAt: '2025-11-24T10:00:00.000+08:00',
    });
    // The complaint's card, its row linking to the complaint's page.
    expect(seen).toContainEqual({
      caseId: '',
      complaintId: 'QW-1',
      rule: 'complaint-undecided',
      color: 'red',
      withdrawnAt: '2025-11-24T10:00:00.000+08:00',
    });
    expect(page.url()).toContain('view=withdrawn');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(download.suggestedFilename()).toBe('withdrawn-cards-2025-11-01-2025-12-01.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('撤销时间');
    expect(csv).toContain('WD-1');
    expect(csv).toContain('效能投诉,QW-1,投诉逾期未决定受理,红牌,');
    await screenshot(page, 'cards-withdrawn');

    // The other tab: the register of the same period and filters.
    await page.click('#tab-register');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('第 1–1 条'));
    expect(page.url()).not.toContain('view=withdrawn');
    expect(page.url()).toContain('from=2025-11-01');
    expect(await page.locator('#tab-register').getAttribute('aria-current')).toBe('page');
    const register = await getJson(server.baseUrl, `/cards?${NOVEMBER}`);
    expect(await page.locator('#total').getAttribute('data-total')).toBe(String(register.total));
    await page.context().close();
  });

  it('filters as the register does (a rule and colour), and says when nothing matches', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/cards?view=withdrawn&${NOVEMBER}&rule=overdue&color=red`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('第 1–'));
    const api = await getJson(server.baseUrl, `/cards/withdrawn?${NOVEMBER}&rule=overdue&color=red`);
    expect(await page.locator('#total').getAttribute('data-total')).toBe(String(api.total));
    expect((await texts(page, '#rows tbody tr')).every((t) => t.includes('逾期 overdue'))).toBe(true);
    // Complaint rules are offered too: a complaint's withdrawn red card is listed under its rule.
    expect(await page.locator('#f-rule option[value="complaint-undecided"]').count()).toBe(1);
    await page.selectOption('#f-rule', 'complaint-undecided');
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('第 1–1 条'));
    const complaintRow = page.locator('#rows tbody tr[data-complaint-id="QW-1"]');
    expect(await complaintRow.locator('a').first().getAttribute('href')).toBe('/complaints?id=QW-1');
    await page.selectOption('#f-rule', 'escalation-unanswered');
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('Nothing matches'));
    expect(await page.locator('#total').getAttribute('data-total')).toBe('0');
    await page.context().close();
  });
});
