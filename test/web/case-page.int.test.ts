/**
 * The case page as an auditor uses it (issue 16 item 6): its address keeps "now"
 * unless an instant is picked (a reload later shows the later instant), a case
 * completed long ago fills the timeline, each event names who recorded it, every
 * explanation key is in Chinese with English, and nothing overflows at 390 px
 * (case page and report page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  ARTIFACTS,
  PHONE,
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
const ACTOR = '窗口07 王芳';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const base = -420 * DAY; // about 14 months ago
  await postEvents(server.baseUrl, [
    {
      type: 'CaseAccepted',
      caseId: 'OLD-1',
      occurredAt: shanghaiIso(base),
      centerId: 'center-A',
      departmentId: 'dep-health',
      matterCode: 'M-7',
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
      actor: ACTOR,
    },
    {
      type: 'CasePaused',
      caseId: 'OLD-1',
      occurredAt: shanghaiIso(base + 2 * DAY),
      pauseId: 'p1',
      reason: 'testing',
      actor: ACTOR,
    },
    { type: 'CaseResumed', caseId: 'OLD-1', occurredAt: shanghaiIso(base + 62 * DAY), pauseId: 'p1', actor: ACTOR },
    {
      type: 'CaseCompleted',
      caseId: 'OLD-1',
      occurredAt: shanghaiIso(base + 75 * DAY),
      outcome: 'approved',
      actor: '审批科 李强',
    },
  ]);
  // The projections apply stored events asynchronously (the report page reads them).
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A case accepted at `occurredAt` with 20 working days promised: open for the tests below. */
const accepted20 = (caseId: string, occurredAt: string) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId: 'center-A',
  departmentId: 'dep-health',
  matterCode: 'M-7',
  kind: 'promised',
  promisedDays: 20,
  channel: 'window',
});

/** The `asOf` the page asked the history for (the instant it shows). */
function historyAsOf(page: Page): Promise<number> {
  return new Promise((resolve) => {
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('/history') && url.searchParams.has('asOf'))
        resolve(Date.parse(url.searchParams.get('asOf') ?? ''));
    });
  });
}

describe('case page', () => {
  it('keeps "now" in the address: a reload later shows the later instant; a picked instant stays', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    const first = historyAsOf(page);
    await page.goto(`${server.baseUrl}/cases/OLD-1`);
    await page.locator('#history tbody tr[data-kind="event"]').first().waitFor();
    const firstAsOf = await first;
    expect(new URL(page.url()).searchParams.has('asOf')).toBe(false);
    expect(await page.locator('#asof-status').textContent()).toMatch(/现在 now/);

    await page.waitForTimeout(1500);
    const second = new Promise<number>((resolve) => {
      page.on('request', (r) => {
        const url = new URL(r.url());
        const t = Date.parse(url.searchParams.get('asOf') ?? '');
        if (url.pathname.endsWith('/history') && t > firstAsOf) resolve(t);
      });
    });
    await page.reload();
    expect((await second) - firstAsOf).toBeGreaterThanOrEqual(1000);
    await page.locator('#history tbody tr[data-kind="event"]').first().waitFor();
    expect(new URL(page.url()).searchParams.has('asOf')).toBe(false);

    // Picking an instant puts it in the address, and a reload keeps it; "Now" takes it out again.
    await page.getByLabel(/查看时点 As of/).fill(shanghaiIso(-400 * DAY).slice(0, 16));
    await page.getByRole('button', { name: /查看 Show/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('asOf')).toMatch(/\+08:00$/);
    const pinned = new URL(page.url()).searchParams.get('asOf');
    await page.reload();
    await page.locator('#history tbody tr[data-kind="event"]').first().waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(pinned);
    await page.getByRole('button', { name: /现在 Now/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('asOf')).toBe(false);
    await page.context().close();
  });

  it('an instant before the case shows the error alone, not the figures of the instant shown before', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/OLD-1`);
    await page.locator('#history tbody tr[data-kind="event"]').first().waitFor();
    expect(await page.locator('#case-view').isVisible()).toBe(true);
    expect(await page.locator('#case-status').textContent()).not.toBe('');
    await page.getByLabel(/查看时点 As of/).fill(shanghaiIso(-500 * DAY).slice(0, 16));
    await page.getByRole('button', { name: /查看 Show/ }).click();
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/No such case as of/);
    expect(await page.locator('#case-view').isVisible()).toBe(false);
    expect(await page.locator('#case-status').textContent()).toBe('');
    await page.getByRole('button', { name: /现在 Now/ }).click();
    await page.locator('#case-view').waitFor({ state: 'visible' });
    expect(await page.locator('#error').textContent()).toBe('');
    await page.context().close();
  });

  it('an unknown case id says so, with nothing to replay', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/NOPE-00000`);
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/No case NOPE-00000/);
    // The replay form and the case sections are hidden (they showed, empty, before).
    expect(await page.locator('#asof-form').isVisible()).toBe(false);
    expect(await page.locator('#history').isVisible()).toBe(false);
    await page.context().close();
  });

  it('the header lookup opens a case id pasted with spaces around it, and says the id format', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/NOPE-00000`);
    expect(await page.locator('#case-jump-id').getAttribute('title')).toMatch(/1–64 characters/);
    await page.locator('#case-jump-id').fill('  OLD-1 ');
    await page.locator('#case-jump-id').press('Enter');
    await page.waitForURL(/\/cases\/OLD-1$/);
    await page.locator('#case-view').waitFor({ state: 'visible' });
    await page.context().close();
  });

  it("the slider's end of an open case's life is now, not the instant the page loaded", async () => {
    await postEvents(server.baseUrl, [accepted20('OPEN-1', shanghaiIso(-3 * DAY))]);
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/OPEN-1`);
    await page.locator('#case-view').waitFor({ state: 'visible' });
    await page.locator('#asof-slider').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => new URL(page.url()).searchParams.has('asOf')).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => new URL(page.url()).searchParams.has('asOf')).toBe(false);
    expect(await page.locator('#asof-status').textContent()).toMatch(/现在 now/);
    await page.context().close();
  });

  it('a monitor, who may not read the history, is told so once: moving the slider does not ask again', async () => {
    await postEvents(server.baseUrl, [accepted20('MON-1', shanghaiIso(-3 * DAY))]);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    const refused: string[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.endsWith('/history') && r.status() === 403) refused.push(r.url());
    });
    await page.goto(`${server.baseUrl}/cases/MON-1`);
    await page.locator('#case-view').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#history').textContent()).toMatch(/History unavailable/);
    await page.locator('#asof-slider').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => new URL(page.url()).searchParams.has('asOf')).toBe(true);
    await page.keyboard.press('End');
    await expect.poll(() => new URL(page.url()).searchParams.has('asOf')).toBe(false);
    expect(await page.locator('#history').textContent()).toMatch(/History unavailable/);
    expect(refused).toHaveLength(1);
    await page.context().close();
  });

  it('two late-record cards raised by one batch each show the explanation of their own event', async () => {
    await postEvents(server.baseUrl, [
      accepted20('LATE-2', shanghaiIso(-50 * 3_600_000)),
      {
        type: 'CasePaused',
        caseId: 'LATE-2',
        occurredAt: shanghaiIso(-30 * 3_600_000),
        pauseId: 'p1',
        reason: 'testing',
      },
    ]);
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/LATE-2`);
    const late = page.locator('#cards > li', { hasText: /late-record|迟录/ });
    await expect.poll(() => late.count()).toBe(2);
    await late.nth(1).locator('.explain').waitFor();
    const [first, second] = await late.locator('.explain').allTextContents();
    expect(first).not.toBe(second);
    expect(first).toMatch(/受理|CaseAccepted/);
    expect(second).toMatch(/停止计时|CasePaused/);
    await page.context().close();
  });

  it('zooms the timeline to the case life, not to today', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/OLD-1`);
    const done = page.locator('#timeline [data-mark="completed"]');
    await done.waitFor();
    const width = Number(await page.locator('#timeline svg').getAttribute('width'));
    const xa = Number(await page.locator('#timeline [data-mark="accepted"]').getAttribute('cx'));
    const xc = Number(await done.getAttribute('x')) + 6;
    expect((xc - xa) / width).toBeGreaterThan(0.6);
    // "As of" (today) lies beyond the picture: an arrow says so instead of a line.
    expect(await page.locator('#timeline [data-line="asof-beyond"]').count()).toBe(1);
    await screenshot(page, 'case-old-desktop');
    await page.context().close();
  });

  it('names the actor of each event, and explains every card in Chinese with English', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/OLD-1`);
    await page.locator('#history tbody tr[data-kind="event"]').first().waitFor();
    const actors = await page.locator('#history tbody tr[data-kind="event"] td.actor').allTextContents();
    expect(actors).toEqual([ACTOR, ACTOR, ACTOR, '审批科 李强']);
    await page.locator('#cards .explain dt').first().waitFor();
    const keys = await page.locator('#cards .explain dt').allTextContents();
    expect(keys.length).toBeGreaterThan(10);
    const bare = keys.filter((k) => !/\p{Script=Han}/u.test(k) || !/[a-z]/i.test(k));
    expect(bare).toEqual([]);
    const source = page
      .locator('#cards .explain dt', { hasText: 'allowance source' })
      .locator('xpath=following-sibling::dd[1]');
    expect(await source.first().textContent()).toMatch(/规则默认（检测）/);
    // A deadline card of a case never extended (session 25): one figure, 未延期, where it read
    // "延期天数 extended days 0" beside "延期 extensions 无 none".
    const deadline = page.locator('#cards .explain', { has: page.locator('dt', { hasText: 'deadline date' }) });
    expect(await deadline.count()).toBeGreaterThan(0);
    for (const explain of await deadline.all()) {
      const figures = await explain.locator(':scope > dl > dt').allTextContents();
      expect(figures.filter((k) => k.includes('延期'))).toEqual(['延期 extensions']);
      expect(await explain.locator(':scope > dl > dt:has-text("延期") + dd').textContent()).toBe('未延期 not extended');
    }
    await page.context().close();
  });

  it('the monthly report tells an auditor token it may not read it, with the way to another token', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/reports`);
    await page.locator('#forbidden').waitFor({ state: 'visible' });
    expect(await page.locator('#forbidden h2').textContent()).toMatch(/may not read the monthly report/);
    expect(await page.locator('#forbidden-switch').isVisible()).toBe(true);
    expect(await page.locator('#summary').isVisible()).toBe(false);
    expect(await page.locator('#csv').isVisible()).toBe(false);
    await page.context().close();
  });

  it('the report says when its month is still running, and when the address month is not one', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    const thisMonth = shanghaiIso(0).slice(0, 7);
    await page.goto(`${server.baseUrl}/reports?month=${thisMonth}`);
    await expect.poll(() => page.locator('#status').getAttribute('data-month-to-date')).toBe('true');
    expect(await page.locator('#status').textContent()).toMatch(/Month to date/);
    expect(await page.locator('#month').getAttribute('max')).toBe(thisMonth);
    await page.goto(`${server.baseUrl}/reports?month=${shanghaiIso(-420 * DAY).slice(0, 7)}`);
    await expect.poll(() => page.locator('#status').getAttribute('data-month-to-date')).toBe('false');
    await page.goto(`${server.baseUrl}/reports?month=2026-13`);
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/Not a month: 2026-13/);
    await page.context().close();
  });

  for (const [name, path] of [
    ['case page', '/cases/OLD-1'],
    ['report page', `/reports?month=${shanghaiIso(-420 * DAY).slice(0, 7)}`],
  ] as const) {
    it(`has no horizontal overflow at 390 px: ${name}`, async () => {
      const page = await openPage(browser, server.baseUrl, TOKENS.admin, PHONE);
      await page.goto(`${server.baseUrl}${path}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      await screenshot(page, `overflow-${name.replace(' ', '-')}-phone`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (name === 'case page') {
        // Explanation values wrap inside their card instead of being cut off.
        await page
          .locator('#cards > li')
          .first()
          .screenshot({ path: `${ARTIFACTS}case-card-phone.png` });
        const clipped = await page
          .locator('#cards > li *, #facts *')
          .evaluateAll((els) =>
            els
              .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > window.innerWidth + 0.5)
              .map((e) => `${e.tagName} ${e.textContent?.slice(0, 40)}`),
          );
        expect(clipped).toEqual([]);
      }
      await page.context().close();
    });
  }
});
