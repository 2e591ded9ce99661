/**
 * The live alert board in headless Chromium against the real engine:
 * loads with data, updates live from /alerts/stream, survives a dropped
 * connection, asks for a token and asks again after a 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  DESKTOP,
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

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const accepted = (caseId: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId: 'center-A',
  departmentId: 'dep-permits',
  matterCode: 'M-101',
  matterName: '食品经营许可',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
  ...extra,
});

let server: WebServer;
let browser: Browser;

/** Names as long as real ones (the demo's), so the phone-width check sees what an office sees. */
const DIRECTORY = {
  centers: [
    { centerId: 'center-A', name: '昆明市五华区人民政府政务服务中心综合受理窗口', level: 'district' },
    { centerId: 'center-B', name: '石林彝族自治县人民政府政务服务中心', level: 'district' },
    { centerId: 'street-A', name: '五华区华山街道为民服务中心', level: 'street', parentId: 'center-A' },
  ],
  departments: [
    { departmentId: 'dep-permits', name: '五华区市场监督管理局食品经营许可科' },
    { departmentId: 'dep-health', name: '五华区卫生健康局公共卫生许可科' },
    { departmentId: 'dep-tax', name: '国家税务总局昆明市五华区税务局第一税务所' },
  ],
};

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const put = await fetch(`${server.baseUrl}/directory`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(DIRECTORY),
  });
  expect(put.status, await put.text()).toBe(200);
  const recent = shanghaiIso(-60_000);
  await postEvents(server.baseUrl, [
    accepted('DEMO-1', recent),
    accepted('DEMO-2', recent, { kind: 'instant', promisedDays: 0, centerId: 'center-B', departmentId: 'dep-tax' }),
    { type: 'CaseCompleted', caseId: 'DEMO-2', occurredAt: shanghaiIso(-30_000), outcome: 'approved' },
    accepted('DEMO-3', shanghaiIso(-20 * DAY), { promisedDays: 3, departmentId: 'dep-health' }),
    accepted('DEMO-4', shanghaiIso(-12 * DAY), { promisedDays: 8, centerId: 'center-B', departmentId: 'dep-tax' }),
    accepted('DEMO-5', shanghaiIso(-9 * DAY), { promisedDays: 15 }),
    {
      type: 'CasePaused',
      caseId: 'DEMO-5',
      occurredAt: shanghaiIso(-8 * DAY),
      pauseId: 'p1',
      reason: 'testing',
      declaredDays: 2,
    },
    accepted('DEMO-6', shanghaiIso(-10 * DAY), { promisedDays: 2, centerId: 'street-A' }),
  ]);
  // The projections apply stored events asynchronously: compare the API and the page once they caught up.
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('alert board', () => {
  it("shows every active alert from /alerts, grouped and counted, with today's KPI tiles", async () => {
    const api = await getJson(server.baseUrl, '/alerts');
    expect(api.alerts.length).toBeGreaterThan(0);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#conn[data-state="open"]').waitFor();
    await expect.poll(() => page.locator('#alerts tbody tr[data-key]').count()).toBe(api.alerts.length);
    expect(await page.locator('#error').textContent()).toBe('');

    const keys = await page
      .locator('#alerts tbody tr[data-key]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['key']));
    expect(new Set(keys)).toEqual(new Set(api.alerts.map((a: { key: string }) => a.key)));
    // Most overdue first (the default sort), each row with its overdue days.
    const overdue = await page
      .locator('#alerts tbody tr[data-key]')
      .evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset['overdueDays'])));
    expect([...overdue].sort((a, b) => b - a)).toEqual(overdue);
    expect(overdue[0]).toBeGreaterThan(0);
    expect(await page.locator('#page-status').textContent()).toContain(`of ${api.total}`);

    // Counts are of cases (each links to the case list, which counts cases): a case with two red alerts is one.
    type Row = { caseId: string; color: string; rule: string };
    const casesOf = (rows: Row[]) => new Set(rows.map((a) => a.caseId)).size;
    const reds = casesOf(api.alerts.filter((a: Row) => a.color === 'red'));
    expect(reds).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-kpi="openRed"]').textContent()).toBe(String(reds));
    // It counts every case with a red alert in force, a completed case's 差评 not followed up too: the tile
    // says so (it read 有红牌的在办件, open cases, which those are not).
    expect(await page.locator('#open-red-name').textContent()).toMatch(/^有红牌未解除的办件、投诉 /);
    expect(await page.locator('#open-red-name').textContent()).not.toContain('在办');
    const today = shanghaiIso(0).slice(0, 10);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const stats = await getJson(server.baseUrl, `/stats?from=${today}&to=${tomorrow}`);
    await expect.poll(() => page.locator('[data-kpi="accepted"]').textContent()).toBe(String(stats.cohort.accepted));
    expect(await page.locator('[data-kpi="completedInPeriod"]').textContent()).toBe(
      String(stats.flow.completedInPeriod),
    );

    // Counts per rule add up to the cases per rule.
    const counts = await page.locator('#rule-counts li .n').allTextContents();
    const rules = new Set(api.alerts.map((a: Row) => `${a.rule}/${a.color}`));
    const perRule = [...rules].map((r) => casesOf(api.alerts.filter((a: Row) => `${a.rule}/${a.color}` === r)));
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(perRule.reduce((a, b) => a + b, 0));
    // The per-center summary adds up too, and names every center with alerts.
    const centerRows = await page.locator('#centers tbody tr[data-center-id]').count();
    expect(centerRows).toBe(api.summary.byCenter.length);

    await screenshot(page, 'board-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'board-phone');
    // On a phone the summary tables fit their boxes: their 只看 buttons are not cut off at the edge.
    for (const id of ['centers', 'groups']) {
      const over = await page.evaluate(
        (t) => (document.getElementById(t) as HTMLElement).getBoundingClientRect().right - window.innerWidth,
        id,
      );
      expect(over, id).toBeLessThanOrEqual(0);
    }
    await page.context().close();
  });

  it('filters by colour, center and rule, and keeps the filter in the address', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#alerts tbody tr[data-key]').first().waitFor();
    await page.getByLabel('颜色 Colour').selectOption('red');
    const colors = await page
      .locator('#alerts tbody tr[data-key]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset['color']));
    expect(colors.length).toBeGreaterThan(0);
    expect(new Set(colors)).toEqual(new Set(['red']));
    expect(page.url()).toContain('color=red');

    await page.getByLabel('服务中心 Center').selectOption('center-B');
    const api = await getJson(server.baseUrl, '/alerts?color=red&centerId=center-B');
    await expect.poll(() => page.locator('#alerts tbody tr[data-key]').count()).toBe(api.alerts.length);
    await page.getByRole('button', { name: /清除筛选/ }).click();
    const all = await getJson(server.baseUrl, '/alerts');
    await expect.poll(() => page.locator('#alerts tbody tr[data-key]').count()).toBe(all.alerts.length);
    await page.context().close();
  });

  it('含下级中心 adds the alerts of the centers under the chosen one; a center row and its 只看 are that center alone', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/?centerId=center-A`);
    const rows = page.locator('#alerts tbody tr[data-key]');
    const alone = await getJson(server.baseUrl, '/alerts?centerId=center-A');
    await expect.poll(() => rows.count()).toBe(alone.alerts.length);
    expect(await page.locator('#alerts tbody tr[data-case-id="DEMO-6"]').count()).toBe(0);

    await page.getByLabel('含下级中心 With the centers under it').check();
    const subtree = await getJson(server.baseUrl, '/alerts?centerId=center-A&scope=subtree');
    await expect.poll(() => rows.count()).toBe(subtree.alerts.length);
    expect(subtree.alerts.length).toBeGreaterThan(alone.alerts.length);
    await page.locator('#alerts tbody tr[data-case-id="DEMO-6"]').first().waitFor();
    expect(page.url()).toContain('scope=subtree');
    // The tiles follow it (the lists they link to take scope too); a row of the street is the street alone.
    await expect.poll(() => page.locator('#kpi-scope').textContent()).toContain('含下级中心');
    expect(await page.locator('[data-kpi="openRed"] a').first().getAttribute('href')).toContain('scope=subtree');
    const street = page.locator('#centers tbody tr[data-center-id="street-A"]');
    const href = await street.locator('a').first().getAttribute('href');
    expect(href).toContain('centerId=street-A');
    expect(href).not.toContain('scope=');

    // The address keeps it: opened again, the box is ticked.
    await page.goto(page.url());
    await expect.poll(() => page.getByLabel('含下级中心 With the centers under it').isChecked()).toBe(true);
    await expect.poll(() => rows.count()).toBe(subtree.alerts.length);
    await street.getByRole('button').click();
    await expect.poll(() => page.url()).toContain('centerId=street-A');
    expect(page.url()).not.toContain('scope=');
    expect(await page.getByLabel('含下级中心 With the centers under it').isChecked()).toBe(false);
    await page.context().close();
  });

  it('shows an overdue case posted through the API within 2 s, without a reload', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#conn[data-state="open"]').waitFor();
    await page.locator('#alerts tbody tr[data-key]').first().waitFor();
    let reloaded = false;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) reloaded = true;
    });

    await postEvents(server.baseUrl, [
      accepted('LIVE-1', shanghaiIso(-10 * DAY), { promisedDays: 2, departmentId: 'dep-live' }),
    ]);
    const row = page.locator('#alerts tbody tr[data-case-id="LIVE-1"][data-rule="overdue"]');
    await row.waitFor({ timeout: 2000 });
    expect(await row.getAttribute('data-color')).toBe('red');
    expect(await page.locator('#announcer').textContent()).toContain('LIVE-1');
    expect(reloaded).toBe(false);
    await page.context().close();
  });

  it('says when the stream drops, reconnects, and catches up on what it missed', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#conn[data-state="open"]').waitFor();

    server.app.closeStreams();
    await page.locator('#conn[data-state="reconnecting"]').waitFor({ timeout: 3000 });
    expect(await page.locator('#conn').textContent()).toMatch(/连接中断|重新连接/);
    // Raised while the board was disconnected: only the resync after reconnecting can show it.
    await postEvents(server.baseUrl, [accepted('MISSED-1', shanghaiIso(-10 * DAY), { promisedDays: 1 })]);
    await page.locator('#conn[data-state="open"]').waitFor({ timeout: 10_000 });
    await page.locator('#alerts tbody tr[data-case-id="MISSED-1"][data-rule="overdue"]').waitFor({ timeout: 3000 });
    await page.context().close();
  });
});

describe('sign-in', () => {
  it('asks for a token once, keeps it for the session, and asks again after a 401', async () => {
    const page = await openPage(browser, server.baseUrl, null, DESKTOP);
    await page.goto(`${server.baseUrl}/`);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.screenshot({ path: `${(await import('./harness.js')).ARTIFACTS}sign-in.png` });
    await page.getByLabel('访问令牌 Access token').fill('not-a-valid-token-000000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#token-message').textContent()).toMatch(/令牌无效/);
    expect(await dialog.isVisible()).toBe(true);
    await page.getByLabel('访问令牌 Access token').fill(TOKENS.monitor);
    await page.getByRole('button', { name: /确定/ }).click();
    await page.locator('#conn[data-state="open"]').waitFor();
    await page.locator('#alerts tbody tr[data-key]').first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('supervision.token'))).toBe(TOKENS.monitor);

    // Same session, another page: no second prompt.
    await page.goto(`${server.baseUrl}/reports?month=2024-10`);
    await page.locator('#kpis tbody tr').first().waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.context().close();
  });

  it('is usable from the keyboard: skip link first, labelled controls, visible focus', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#alerts tbody tr[data-key]').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/跳到内容/);
    // Every form control has a label.
    const unlabelled = await page
      .locator('select, input')
      .evaluateAll((els) =>
        els
          .filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute('aria-label'))
          .map((e) => e.id),
      );
    expect(unlabelled).toEqual([]);
    // The colour filter can be reached and changed with the keyboard alone.
    await page.getByLabel('颜色 Colour').focus();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('ArrowDown'); // → red
    await expect.poll(() => page.url()).toContain('color=red');
    expect(await page.locator('#announcer').getAttribute('aria-live')).toBe('polite');
    await page.context().close();
  });
});
