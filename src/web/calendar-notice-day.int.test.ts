/**
 * The day the 2027 notice is published, in headless Chromium against the real engine on a manual
 * clock (2026-12-31 10:00): the office's case list marks deadlines running into 2027 暂定
 * (provisional); an admin enters the notice on the calendar page; the list then shows every
 * deadline recomputed (checked against a working-day count of this test's own) and none
 * provisional; submitting the same form again (a double click) records nothing and says so.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualScheduler } from '../projections/scheduler.js';
import {
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
  startWebServer,
  type WebServer,
} from '../../test/web/harness.js';

const scheduler = createManualScheduler(Date.parse('2026-12-31T10:00:00+08:00'));
let server: WebServer;
let browser: Browser;

const CASES: readonly [string, string, number][] = [
  ['N-A', '2026-12-24', 5],
  ['N-B', '2026-12-28', 20],
  ['N-C', '2026-12-30', 30],
];

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  await postEvents(
    server.baseUrl,
    CASES.map(([caseId, date, promisedDays]) => ({
      caseId,
      type: 'CaseAccepted',
      occurredAt: `${date}T09:00:00+08:00`,
      centerId: 'center-A',
      departmentId: 'dep-1',
      matterCode: 'M-1',
      kind: 'promised',
      promisedDays,
      channel: 'window',
    })),
  );
  await server.applied();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The n-th working day after `a`: Monday–Friday minus `holidays` plus `workdays` (December 2026 has neither). */
function nth(a: string, n: number, holidays: readonly string[], workdays: readonly string[]): string {
  let d = a;
  for (let i = 0; i < n; ) {
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const w = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (workdays.includes(d) || (!holidays.includes(d) && w !== 0 && w !== 6)) i++;
  }
  return d;
}

/** Each row of the case list page: [caseId, deadline cell, marked provisional]. */
async function listRows(page: Page): Promise<[string, string, boolean][]> {
  await page.goto(`${server.baseUrl}/cases?sort=accepted`);
  await page.locator('#rows tbody tr').first().waitFor();
  return page.locator('#rows tbody tr').evaluateAll((rows) =>
    rows.map((r) => {
      const cell = r.children[6]!;
      return [
        r.children[0]!.textContent ?? '',
        cell.firstChild?.textContent ?? '',
        cell.querySelector('[data-provisional="true"]') !== null,
      ] as [string, string, boolean];
    }),
  );
}

describe('the day the 2027 notice is published, on the pages', () => {
  it('provisional before; the admin enters the notice on the calendar page; recomputed and final after; a second submit records nothing', async () => {
    const predicted = await getJson(server.baseUrl, '/calendar/2027');
    const monitor = await openPage(browser, server.baseUrl, TOKENS.monitor);
    const wanted = (holidays: string[], workdays: string[]) =>
      CASES.map(([id, date, n]) => [id, nth(date, n, holidays, workdays)]);
    const before = await listRows(monitor);
    expect(before.map(([id, d]) => [id, d])).toEqual(wanted(predicted.holidays, []));
    expect(before.every(([, , p]) => p)).toBe(true);

    const admin = await openPage(browser, server.baseUrl, TOKENS.admin);
    await admin.goto(`${server.baseUrl}/calendar?year=2027`);
    await admin.locator('#about [data-field="version"]').waitFor();
    const holidays = [...predicted.holidays, '2026-12-31', '2027-02-09', '2027-02-10', '2027-02-11'];
    const workdays = ['2027-01-09', '2027-02-20'];
    await admin.fill('#publish-holidays', holidays.join('\n'));
    await admin.fill('#publish-workdays', workdays.join('\n'));
    await admin.click('#publish-form button[type="submit"]');
    await admin.waitForFunction(() => document.getElementById('publish-result')?.textContent?.startsWith('已发布'));
    expect(await admin.locator('#publish-result').textContent()).toContain(
      '新增节假日 holidays added 2026-12-31, 2027-02-09, 2027-02-10, 2027-02-11',
    );
    await admin.waitForFunction(() => document.getElementById('predicted-notice')?.hidden === true);

    const after = await listRows(monitor);
    expect(after.map(([id, d]) => [id, d])).toEqual(wanted(holidays, workdays));
    expect(after.map(([id, , p]) => [id, p])).toEqual(CASES.map(([id]) => [id, false]));
    expect(after).not.toEqual(before);

    // The form again, unchanged (a double click): nothing recorded, and the page says so.
    await admin.click('#publish-form button[type="submit"]');
    await admin.waitForFunction(() => document.getElementById('publish-result')?.textContent?.startsWith('未重复'));
    let recorded = 0;
    for await (const _e of server.store.readStream('calendar-CN')) recorded++;
    expect(recorded).toBe(1);
    await monitor.context().close();
    await admin.context().close();
  });
});
