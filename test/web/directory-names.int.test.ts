/**
 * Names where ids showed (issue 16 item 1): with a directory published, the
 * board, the monthly report and the case page show each center's and
 * department's name (the id in a title, or beside it); an id not in the
 * directory is shown as it is, marked 未登记; the report's center filter is a
 * picker of the directory's centers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  shanghaiIso,
  startWebServer,
  TOKENS,
  type WebServer,
} from './harness.js';

const DAY = 86_400_000;
let server: WebServer;
let browser: Browser;

const DIRECTORY = {
  centers: [
    { centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district' },
    { centerId: 'street-huashan', name: '华山街道为民服务中心', level: 'street', parentId: 'district-wuhua' },
  ],
  departments: [{ departmentId: 'health', name: '区卫健局', centerId: 'district-wuhua' }],
};

const accepted = (caseId: string, occurredAt: string, centerId: string, departmentId: string) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId,
  departmentId,
  matterCode: 'XK-WJW-001',
  matterName: '公共场所卫生许可',
  kind: 'promised',
  promisedDays: 1,
  channel: 'window',
});

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const put = await fetch(`${server.baseUrl}/directory`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(DIRECTORY),
  });
  expect(put.status).toBe(200);
  // Both overdue now: one of a directory center and department, one of invented ids.
  await postEvents(server.baseUrl, [
    accepted('NAMED-1', shanghaiIso(-10 * DAY), 'district-wuhua', 'health'),
    accepted('STRAY-1', shanghaiIso(-10 * DAY), 'center-invented', 'dep-invented'),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('names beside ids in the pages', () => {
  it('board: alert rows and the per-center summary show names, ids in titles; an unknown id is marked 未登记', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    const named = page.locator('#alerts tbody tr[data-case-id="NAMED-1"]').first();
    await named.waitFor();
    const centerCell = named.locator('td[data-id="district-wuhua"]');
    expect(await centerCell.textContent()).toBe('五华区政务服务中心');
    expect(await centerCell.getAttribute('title')).toBe('district-wuhua');
    expect(await named.locator('td[data-id="health"]').textContent()).toBe('区卫健局');
    const stray = page.locator('#alerts tbody tr[data-case-id="STRAY-1"]').first();
    expect(await stray.locator('td[data-id="center-invented"]').textContent()).toBe('center-invented（未登记）');
    expect(await page.locator('#centers tbody').textContent()).toContain('五华区政务服务中心');
    const options = await page.locator('#f-center option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining(['五华区政务服务中心 (district-wuhua)', '华山街道为民服务中心 (street-huashan)']),
    );
    await screenshot(page, 'board-names');
  });

  it('report: the center filter is a picker of directory centers; department rows carry names', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    const month = shanghaiIso(-10 * DAY).slice(0, 7);
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    await page.locator('#departments tbody tr[data-department="health"]').waitFor();
    expect(await page.locator('#center').evaluate((e) => e.tagName)).toBe('SELECT');
    const options = await page.locator('#center option').allTextContents();
    expect(options).toEqual([
      '全部 All',
      '五华区政务服务中心 (district-wuhua)',
      '华山街道为民服务中心 (street-huashan)',
    ]);
    expect(await page.locator('#departments tbody tr[data-department="health"] th').textContent()).toBe('区卫健局');
    expect(await page.locator('#departments tbody tr[data-department="dep-invented"] th').textContent()).toContain(
      '未登记',
    );
    await page.locator('#center').selectOption('district-wuhua');
    await page.locator('#month-form button[type="submit"]').click();
    await page.waitForURL(/centerId=district-wuhua/);
    await page.locator('#departments tbody tr[data-department="dep-invented"]').waitFor({ state: 'detached' });
    expect(await page.locator('#departments tbody tr[data-department="health"] th').textContent()).toBe('区卫健局');
    await screenshot(page, 'report-names');
  });

  it('case list and card register: the center and department filters are pickers of directory names', async () => {
    for (const path of [
      '/cases',
      `/cards?from=${shanghaiIso(-30 * DAY).slice(0, 10)}&to=${shanghaiIso(DAY).slice(0, 10)}`,
    ]) {
      const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
      await page.goto(`${server.baseUrl}${path}`);
      await page.locator('select#f-center').waitFor();
      expect(await page.locator('#f-center option').allTextContents()).toEqual([
        '全部 All',
        '五华区政务服务中心 (district-wuhua)',
        '华山街道为民服务中心 (street-huashan)',
      ]);
      expect(await page.locator('#f-department option').allTextContents()).toEqual(['全部 All', '区卫健局 (health)']);
      await page.selectOption('#f-center', { label: '五华区政务服务中心 (district-wuhua)' });
      await page.click('#filters button[type=submit]');
      await page.waitForURL(/centerId=district-wuhua/);
      await page.context().close();
    }
    // An address naming a center the directory does not know keeps it selected (a link from a count).
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/cases?centerId=center-invented`);
    await expect.poll(() => page.locator('#f-center').inputValue()).toBe('center-invented');
    await page.waitForFunction(() => document.getElementById('total')?.dataset['total'] === '1');
    await page.context().close();
  });

  it('case page: the center and department facts show name (id)', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/NAMED-1`);
    const fact = (field: string) => page.locator(`#facts [data-field="${field}"] dd`);
    await fact('center').waitFor();
    expect(await fact('center').textContent()).toBe('五华区政务服务中心 (district-wuhua)');
    expect(await fact('department').textContent()).toBe('区卫健局 (health)');
  });
});
