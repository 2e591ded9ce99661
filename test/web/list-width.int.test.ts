/**
 * The case list and the complaint list at the office's usual screen, 1280 px wide (session 25): a
 * browser review needed a sideways scroll to see the whole 当前告警 column, whose badges ("逾期 overdue",
 * "督办未回复 escalation unanswered", "投诉答复逾期 complaint answer overdue") never wrapped, beside
 * headers that never wrapped either. Rows as the demo has them: its directory's names, cases overdue,
 * escalated and unanswered, recorded late, complaints unanswered past their limit.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDirectory } from '../../src/demo/directory.js';
import {
  DESKTOP,
  TOKENS,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  shanghaiIso,
  startWebServer,
  type WebServer,
} from './harness.js';

const DAY = 24 * 3_600_000;

/** The list table's width, the room its panel gives it, and the page's width. */
const tableFit = (page: Page) =>
  page.evaluate(() => {
    const table = document.querySelector<HTMLTableElement>('#rows')!;
    return {
      table: table.scrollWidth,
      room: table.parentElement!.clientWidth,
      page: document.documentElement.scrollWidth,
    };
  });

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const directory = demoDirectory();
  const put = await fetch(`${server.baseUrl}/directory`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(directory),
  });
  expect(put.status, await put.text()).toBe(200);
  // The longest-named department of a street (华山街道派出所户籍窗口 and the like), under its center.
  const department = [...directory.departments]
    .filter((d) => d.centerId?.startsWith('street-'))
    .sort((a, b) => b.name.length - a.name.length)[0]!;
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const caseId = `WH-20261102-${String(i + 1).padStart(5, '0')}`;
    events.push({
      type: 'CaseAccepted',
      caseId,
      occurredAt: shanghaiIso(-(20 + i) * DAY),
      centerId: department.centerId,
      departmentId: department.departmentId,
      matterCode: 'M-real-estate',
      matterName: '不动产登记资料查询',
      kind: 'promised',
      promisedDays: 3,
      channel: 'window',
    });
    // Escalated and never replied to: 逾期 overdue, 督办未回复 escalation unanswered, 迟录 late record.
    events.push({
      type: 'CaseEscalated',
      caseId,
      occurredAt: shanghaiIso(-(12 + i) * DAY),
      level: 'supervision',
      by: '市效能办',
      respondWithinDays: 3,
    });
  }
  await postEvents(server.baseUrl, events);
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${server.baseUrl}/complaints/TS-WH-20261102-00${i + 1}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'ComplaintReceived',
        occurredAt: shanghaiIso(-(30 + i) * DAY),
        channel: 'hotline',
        centerId: department.centerId,
        departmentId: department.departmentId,
        subject: '办件超过承诺时限未办结，多次往返',
      }),
    });
    expect(res.status, await res.text()).toBe(201);
  }
  await server.applied();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the lists at 1280 px', () => {
  it.each([
    ['/cases', '逾期', 'case-list-1280'],
    ['/complaints', '投诉', 'complaint-list-1280'],
  ])(
    '%s shows every column, the alert badges whole, without a sideways scroll',
    async (path, badge, shot) => {
      const page = await openPage(browser, server.baseUrl, TOKENS.monitor, DESKTOP);
      await page.goto(`${server.baseUrl}${path}`);
      const alerts = page.locator('#rows tbody td:last-child .badge', { hasText: badge });
      await alerts.first().waitFor();
      // Rows with two or more badges, as the review saw.
      expect(
        await page
          .locator('#rows tbody td:last-child')
          .evaluateAll((cells) => Math.max(...cells.map((c) => c.querySelectorAll('.badge').length))),
      ).toBeGreaterThanOrEqual(2);
      const fit = await tableFit(page);
      expect(fit.table).toBeLessThanOrEqual(fit.room);
      expect(fit.page).toBeLessThanOrEqual(DESKTOP.width);
      // Nothing hidden to make it fit: every header and every badge is shown, inside the table's box.
      const box = (await page.locator('#rows').boundingBox())!;
      for (const b of await alerts.all()) {
        const r = (await b.boundingBox())!;
        expect(r.x + r.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
      }
      expect(await page.locator('#rows thead th:visible').count()).toBe(await page.locator('#rows thead th').count());
      await screenshot(page, shot);
      await page.context().close();
    },
    30_000,
  );
});

describe('the card register at 1280 px', () => {
  it('never breaks a date or a case id across lines, and fits without a sideways scroll', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor, DESKTOP);
    // The fixture's cards started 9 to 31 days ago: a period of the last 60 days holds them all.
    const day = (offset: number) => shanghaiIso(offset * DAY).slice(0, 10);
    await page.goto(`${server.baseUrl}/cards?from=${day(-60)}&to=${day(1)}`);
    await page.locator('#rows tbody td.explain-figures').first().waitFor();
    const broken = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#rows tbody td')).flatMap((td) => {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        const found: { token: string; lines: number }[] = [];
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode())
          // A date (2026-11-02), an instant (2026-11-02 09:30) or a case or complaint id (WH-20261102-00001, TS-WH-20261102-001).
          for (const m of (node.textContent ?? '').matchAll(
            /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?|[A-Z]+(?:-[A-Z0-9]+)+/g,
          )) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            found.push({
              token: m[0],
              lines: new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size,
            });
          }
        return found;
      }),
    );
    // The rows as the review saw them: case ids and many dates in the figures.
    expect(broken.filter((b) => /^[A-Z]/.test(b.token)).length).toBeGreaterThanOrEqual(12);
    expect(broken.filter((b) => /^\d/.test(b.token)).length).toBeGreaterThanOrEqual(24);
    expect(broken.filter((b) => b.lines !== 1)).toEqual([]);
    const fit = await tableFit(page);
    expect(fit.table).toBeLessThanOrEqual(fit.room);
    expect(fit.page).toBeLessThanOrEqual(DESKTOP.width);
    expect(await page.locator('#rows thead th:visible').count()).toBe(await page.locator('#rows thead th').count());
    await screenshot(page, 'card-register-1280');
    await page.context().close();
  }, 30_000);
});
