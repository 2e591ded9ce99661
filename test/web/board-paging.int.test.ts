/**
 * The board with more alerts than one screen (issue 16 item 5): the oldest
 * overdue case is reachable (it was not when the board showed "the newest 300"),
 * paging visits every alert once, and a role that may not read alerts gets a
 * message instead of a reconnect loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  ARTIFACTS,
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
const NEWER = 320; // more than the old board's 300 rows

const accepted = (caseId: string, occurredAt: string, promisedDays: number, centerId = 'center-A') => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId,
  departmentId: 'dep-permits',
  matterCode: 'M-101',
  kind: 'promised',
  promisedDays,
  channel: 'window',
});

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  // The oldest overdue case first, then many newer overdue ones (newest alerts last).
  await postEvents(server.baseUrl, [accepted('OLDEST-1', shanghaiIso(-60 * DAY), 1, 'center-Z')]);
  await postEvents(
    server.baseUrl,
    Array.from({ length: NEWER }, (_, i) =>
      accepted(`NEW-${i}`, shanghaiIso(-(6 * DAY) - i * 60_000), 1, i % 2 ? 'center-A' : 'center-B'),
    ),
  );
  // The projections apply the events after they are stored: wait until every case has its two alerts
  // (overdue and late-record), so the API and the page are compared on the same set.
  const expected = 2 * (NEWER + 1);
  for (let i = 0; i < 200 && (await getJson(server.baseUrl, '/alerts?limit=1')).total < expected; i++)
    await new Promise((r) => setTimeout(r, 50));
  expect((await getJson(server.baseUrl, '/alerts?limit=1')).total).toBe(expected);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function rowKeys(page: Page): Promise<string[]> {
  return page
    .locator('#alerts tbody tr[data-key]')
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['key'] ?? ''));
}

describe('board paging', () => {
  it('shows the oldest overdue case first by default, with its overdue days', async () => {
    const api = await getJson(server.baseUrl, '/alerts?limit=1000');
    expect(api.total).toBeGreaterThan(300);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    const first = page.locator('#alerts tbody tr[data-key]').first();
    await first.waitFor();
    expect(await first.getAttribute('data-case-id')).toBe('OLDEST-1');
    const oldest = api.alerts.find((a: { caseId: string }) => a.caseId === 'OLDEST-1');
    expect(Number(await first.getAttribute('data-overdue-days'))).toBe(oldest.overdueDays);
    expect(oldest.overdueDays).toBeGreaterThan(30);
    expect(await page.locator('#alert-count').textContent()).toContain(String(api.total));
    await screenshot(page, 'board-paging-desktop');
    await page.context().close();
  });

  it('newest first, every alert is reached by paging, each once; the oldest is on the last page', async () => {
    const api = await getJson(server.baseUrl, '/alerts?limit=1000');
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/?sort=-startedAt`);
    await page.locator('#alerts tbody tr[data-key]').first().waitFor();
    const seen: string[] = [];
    for (let guard = 0; guard < 50; guard++) {
      const keys = await rowKeys(page);
      seen.push(...keys);
      if (await page.locator('#page-next').isDisabled()) break;
      const firstKey = keys[0];
      await page.locator('#page-next').click();
      await expect.poll(async () => (await rowKeys(page))[0]).not.toBe(firstKey);
    }
    expect(seen).toHaveLength(api.total);
    expect(new Set(seen)).toEqual(new Set(api.alerts.map((a: { key: string }) => a.key)));
    expect(seen.at(-1)).toContain('OLDEST-1');
    expect(page.url()).toContain('offset=');
    await page.context().close();
  });

  it('KPI tiles and counts follow the center filter; the scope line says which filters apply', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    const api = await getJson(server.baseUrl, '/alerts?centerId=center-Z');
    expect(api.total).toBeGreaterThan(0);
    await page.goto(`${server.baseUrl}/?centerId=center-Z`);
    await expect.poll(() => page.locator('#alerts tbody tr[data-key]').count()).toBe(api.total);
    expect(new Set(await rowKeys(page))).toEqual(new Set(api.alerts.map((a: { key: string }) => a.key)));
    await expect.poll(() => page.locator('[data-kpi="openRed"]').textContent()).toBe(String(api.summary.red));
    expect(await page.locator('#kpi-scope').textContent()).toMatch(/filtered center/);
    expect(await page.locator('#centers tbody tr[data-center-id]').count()).toBe(1);
    await page.context().close();
  });

  it('has no horizontal overflow at 390 px', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor, PHONE);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#alerts tbody tr[data-key]').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await screenshot(page, 'board-paging-phone');
    await page.locator('#alerts').screenshot({ path: `${ARTIFACTS}board-alerts-phone.png` });
    expect(overflow).toBeLessThanOrEqual(0);
    // Nothing of the alert table or the summaries is cut off by its panel: every visible cell ends on screen.
    const clipped = await page
      .locator('#alerts td, #alerts th, #centers td, #centers th, #groups td, #groups th')
      .evaluateAll((els) =>
        els
          .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((e) => `${e.tagName} ${e.textContent?.slice(0, 30)}`),
      );
    expect(clipped).toEqual([]);
    await page.context().close();
  });

  it('tells an auditor the board needs a monitor token, and opens no alert stream', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    const streamRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/alerts')) streamRequests.push(r.url());
    });
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#forbidden').waitFor({ state: 'visible' });
    expect(await page.locator('#forbidden').textContent()).toMatch(/monitor/);
    await page.waitForTimeout(2500); // a reconnect loop would retry within 1–2 s
    expect(await page.locator('#conn').isVisible()).toBe(false);
    expect(await page.locator('#error').textContent()).toBe('');
    expect(streamRequests.filter((u) => u.includes('/alerts/stream'))).toEqual([]);
    expect(streamRequests).toHaveLength(1);
    await screenshot(page, 'board-auditor');
    await page.context().close();
  });
});
