/**
 * Session 17, in headless Chromium against the real engine on a manual clock (2026-12-03): the
 * 工作日历 page shows a year's days as the timing rules count them (twelve month grids, every
 * holiday and make-up day of GET /calendar/{year}), where they come from and the version cases
 * cite; a year with no notice (2027) says its deadlines are provisional, and so does the page of
 * the year before it; "as known at" shows the year as the notices recorded by then made it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualScheduler } from '../projections/scheduler.js';
import {
  PHONE,
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  screenshot,
  startWebServer,
  type WebServer,
} from '../../test/web/harness.js';

const NOW = Date.parse('2026-12-03T10:00:00+08:00');
const scheduler = createManualScheduler(NOW);
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const inYear = (year: number, dates: readonly string[]) => dates.filter((d) => d.startsWith(`${year}-`));
const cellsOf = (page: Page, kind: string) =>
  page
    .locator(`#months td.day[data-kind="${kind}"]`)
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-date')));

async function open(path: string): Promise<Page> {
  const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
  await page.goto(`${server.baseUrl}${path}`);
  await page.locator('#about [data-field="version"]').waitFor();
  return page;
}

describe('the working-day calendar page', () => {
  it("shows a published year's holidays and make-up days in month grids, its source and version", async () => {
    const api = await getJson(server.baseUrl, '/calendar/2026');
    const page = await open('/calendar?year=2026');
    expect(await page.locator('#months table.month').count()).toBe(12);
    expect(await cellsOf(page, 'holiday')).toEqual(inYear(2026, api.holidays));
    expect(await cellsOf(page, 'makeup')).toEqual(inYear(2026, api.workdays));
    expect(await page.locator('td.day[data-date="2026-10-01"]').getAttribute('data-kind')).toBe('holiday');
    expect(await page.locator('#about [data-field="version"] dd').textContent()).toBe(api.version);
    expect(await page.locator('#about [data-field="status"] dd').textContent()).toBe('已发布 published');
    // Every holiday and make-up day of the notice in the table, the December before included.
    expect(await page.locator('#days tbody tr').count()).toBe(api.holidays.length + api.workdays.length);
    expect(await page.locator('#predicted-notice').isHidden()).toBe(true);
    // 2027 has no notice yet: the page of 2026 says so (its late-December deadlines are provisional).
    expect(await page.locator('#next-year-notice').isVisible()).toBe(true);
    expect(await page.locator('#next-year-text').textContent()).toContain('2026 年 12 月 20 日起的办件为预测时限');
    await screenshot(page, 'calendar-2026');
    await page.context().close();
  });

  it("counts the days of December that the next year's notice sets (2018-12-29 to 31, set by the 2019 notice)", async () => {
    const api = await getJson(server.baseUrl, '/calendar/2018');
    expect(api.decemberOfNextNotice).toEqual({
      year: 2019,
      holidays: ['2018-12-30', '2018-12-31'],
      workdays: ['2018-12-29'],
    });
    const page = await open('/calendar?year=2018');
    const kind = (date: string) => page.locator(`td.day[data-date="${date}"]`).getAttribute('data-kind');
    expect([await kind('2018-12-29'), await kind('2018-12-30'), await kind('2018-12-31')]).toEqual([
      'makeup',
      'holiday',
      'holiday',
    ]);
    expect(await page.locator('#days tbody tr[data-date="2018-12-29"] td').last().textContent()).toBe(
      '2019 年通知所定 set by the 2019 notice',
    );
    await page.context().close();
  });

  it('says a year with no notice is predicted: the law holidays named, no make-up day, deadlines provisional', async () => {
    const api = await getJson(server.baseUrl, '/calendar/2027');
    expect(api.status).toBe('predicted');
    const page = await open('/calendar?year=2027');
    expect(await page.locator('#predicted-notice').isVisible()).toBe(true);
    expect(await page.locator('#predicted-text').textContent()).toContain('期限落在本年的办件为预测时限');
    expect(await cellsOf(page, 'makeup')).toEqual([]);
    const named = await page
      .locator('#days tbody tr')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-date'), r.lastElementChild?.textContent]));
    expect(named).toEqual(api.assumedHolidays.map((h: { date: string; name: string }) => [h.date, h.name]));
    await page.context().close();
  });

  it('shows the year as known at an earlier instant: the version cited before a correction', async () => {
    const before = await getJson(server.baseUrl, '/calendar/2026');
    const knownBefore = new Date(scheduler.clock()).toISOString();
    scheduler.advanceTo(NOW + 60_000);
    const res = await fetch(`${server.baseUrl}/calendar/2026`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ holidays: [...before.holidays, '2026-12-31'], workdays: before.workdays }),
    });
    expect(res.status).toBe(200);
    const after = await getJson(server.baseUrl, '/calendar/2026');
    expect(after.version).not.toBe(before.version);

    const now = await open('/calendar?year=2026');
    expect(await now.locator('#about [data-field="version"] dd').textContent()).toBe(after.version);
    expect(await now.locator('td.day[data-date="2026-12-31"]').getAttribute('data-kind')).toBe('holiday');
    await now.context().close();

    const then = await open(`/calendar?year=2026&asKnownAt=${encodeURIComponent(knownBefore)}`);
    expect(await then.locator('#about [data-field="version"] dd').textContent()).toBe(before.version);
    expect(await then.locator('td.day[data-date="2026-12-31"]').getAttribute('data-kind')).toBe('workday');
    expect(await then.locator('#about [data-field="asKnownAt"]').count()).toBe(1);
    // The form would publish the old days and undo the correction: not offered on a view of the past.
    expect(await then.locator('#publish-section').isHidden()).toBe(true);
    await then.context().close();
  });

  it("an admin records next year's notice from the page: the server's answer, then the year as published", async () => {
    const predicted = await getJson(server.baseUrl, '/calendar/2027');
    const page = await openPage(browser, server.baseUrl, TOKENS.admin);
    await page.goto(`${server.baseUrl}/calendar?year=2027`);
    await page.locator('#about [data-field="version"]').waitFor();
    // The form starts from the days in force: for a predicted year, the law's holidays.
    expect((await page.locator('#publish-holidays').inputValue()).split('\n')).toEqual(predicted.holidays);
    // A notice that leaves out a holiday the law fixes is refused, naming what is missing; nothing recorded.
    await page.fill('#publish-holidays', predicted.holidays.filter((d: string) => d !== '2027-10-01').join('\n'));
    await page.click('#publish-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('publish-error')?.textContent !== '');
    expect(await page.locator('#publish-error').textContent()).toContain('2027-10-01 (国庆)');
    expect((await getJson(server.baseUrl, '/calendar/2027')).status).toBe('predicted');
    // The whole notice (here the law's holidays, two more days off and a Saturday make-up day), comma-separated.
    await page.fill('#publish-holidays', [...predicted.holidays, '2027-10-04', '2027-10-05'].join(', '));
    await page.fill('#publish-workdays', '2027-09-25');
    await page.fill('#publish-note', '测试通知');
    await page.click('#publish-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('publish-result')?.textContent?.startsWith('已发布'));
    expect(await page.locator('#publish-result').textContent()).toContain(
      '新增节假日 holidays added 2027-10-04, 2027-10-05；新增调休 make-up days added 2027-09-25',
    );
    await page.waitForFunction(() => document.getElementById('predicted-notice')?.hidden === true);
    expect(await page.locator('#about [data-field="status"] dd').textContent()).toBe('已发布 published');
    expect(await page.locator('td.day[data-date="2027-09-25"]').getAttribute('data-kind')).toBe('makeup');
    const published = await getJson(server.baseUrl, '/calendar/2027');
    expect([published.status, published.source]).toEqual(['published', 'published']);
    await page.context().close();
  });

  it("a monitor's token may read the calendar but not publish: the page says so", async () => {
    const page = await open('/calendar?year=2028');
    await page.click('#publish-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('publish-error')?.textContent !== '');
    expect(await page.locator('#publish-error').textContent()).toContain('权限不足');
    expect((await getJson(server.baseUrl, '/calendar/2028')).status).toBe('predicted');
    await page.context().close();
  });

  it('fits a phone: no horizontal scrolling', async () => {
    const page = await open('/calendar?year=2026');
    await page.setViewportSize(PHONE);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    await screenshot(page, 'calendar-phone');
    await page.context().close();
  });
});
