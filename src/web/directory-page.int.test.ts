/**
 * Session 17, in headless Chromium against the real engine: the 机构目录 page edits the directory
 * row by row and publishes it whole (PUT /directory with the version read); the server's refusal
 * names the wrong entry; a publication made by someone else in between is refused, not overwritten;
 * a monitor's token may read it but not publish.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../../test/web/harness.js';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(token: string): Promise<Page> {
  const page = await openPage(browser, server.baseUrl, token);
  await page.goto(`${server.baseUrl}/directory`);
  await page.waitForFunction(() => document.getElementById('directory-version')?.textContent !== '');
  return page;
}

const publishAnswer = async (page: Page, id: 'publish-result' | 'publish-error') => {
  await page.click('#publish');
  await page.waitForFunction((which) => document.getElementById(which)?.textContent !== '', id);
  return page.locator(`#${id}`).textContent();
};

describe('the directory page', () => {
  it('an admin adds a center and a department and publishes; a refusal names the wrong entry', async () => {
    const page = await open(TOKENS.admin);
    const before = await getJson(server.baseUrl, '/directory');
    expect(await page.locator('#centers tbody tr').count()).toBe(before.centers.length);

    await page.click('#add-center');
    const center = page.locator('#centers tbody tr').last();
    await center.locator('[data-field="centerId"]').fill('五华区中心');
    await center.locator('[data-field="name"]').fill('五华区政务服务中心');
    await center.locator('[data-field="level"]').selectOption('district');
    await page.click('#add-department');
    const department = page.locator('#departments tbody tr').last();
    await department.locator('[data-field="departmentId"]').fill('五华-市场监管');
    await department.locator('[data-field="name"]').fill('市场监管窗口');
    await department.locator('[data-field="centerId"]').fill('未知中心');
    // A department of a center the directory does not have: refused, naming the entry; nothing recorded.
    expect(await publishAnswer(page, 'publish-error')).toContain('departments[');
    expect((await getJson(server.baseUrl, '/directory')).version).toBe(before.version);

    await department.locator('[data-field="centerId"]').fill('五华区中心');
    expect(await publishAnswer(page, 'publish-result')).toBe(`已发布 Published: 版本 version ${before.version + 1}`);
    const after = await getJson(server.baseUrl, '/directory');
    expect(after.centers).toContainEqual({ centerId: '五华区中心', name: '五华区政务服务中心', level: 'district' });
    expect(after.departments).toContainEqual({
      departmentId: '五华-市场监管',
      name: '市场监管窗口',
      centerId: '五华区中心',
    });
    expect(await page.locator('#directory-version').textContent()).toContain(`版本 version ${after.version}`);
    await screenshot(page, 'directory');

    // Someone else publishes meanwhile: this page's next publication is refused (409), not written over theirs.
    const res = await fetch(`${server.baseUrl}/directory`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ centers: after.centers, departments: [] }),
    });
    expect(res.status).toBe(200);
    await center.locator('[data-field="name"]').fill('五华区政务服务大厅');
    expect(await publishAnswer(page, 'publish-error')).toContain('他人已先发布');
    expect((await getJson(server.baseUrl, '/directory')).departments).toEqual([]);
    await page.context().close();
  });

  it('lists the centers and departments of recent cases the directory lacks, and adds one as a row', async () => {
    await postEvents(server.baseUrl, [
      {
        caseId: 'DIR-1',
        type: 'CaseAccepted',
        occurredAt: shanghaiIso(-60_000),
        centerId: '盘龙区中心',
        departmentId: '盘龙-公安',
        matterCode: 'M-1',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      },
    ]);
    await server.applied();
    const page = await open(TOKENS.admin);
    const item = page.locator('#unregistered li[data-kind="center"][data-id="盘龙区中心"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('近一年受理 1 件');
    expect(await page.locator('#unregistered li[data-kind="department"][data-id="盘龙-公安"]').count()).toBe(1);
    await item.locator('button').click();
    const row = page.locator('#centers tbody tr').last();
    expect(await row.locator('[data-field="centerId"]').inputValue()).toBe('盘龙区中心');
    await row.locator('[data-field="name"]').fill('盘龙区政务服务中心');
    expect(await publishAnswer(page, 'publish-result')).toContain('已发布 Published');
    // Registered now: the list keeps the department only.
    await page.waitForFunction(() => !document.querySelector('#unregistered li[data-kind="center"]'));
    expect(
      await page.locator('#unregistered li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-id'))),
    ).toEqual(['盘龙-公安']);
    await page.context().close();
  });

  it("a monitor's token reads the directory but may not publish it; the page fits a phone", async () => {
    const page = await open(TOKENS.monitor);
    const directory = await getJson(server.baseUrl, '/directory');
    expect(await page.locator('#centers tbody tr').count()).toBe(directory.centers.length);
    expect(await publishAnswer(page, 'publish-error')).toContain('权限不足');
    await page.setViewportSize(PHONE);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    await page.context().close();
  });
});
