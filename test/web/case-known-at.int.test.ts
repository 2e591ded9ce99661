/**
 * The case page's "as known at" control and its paged history, in headless
 * Chromium against the real engine (real clock: the events are recorded a few
 * seconds apart, and "as known at" picks an instant between them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatInstant } from '../../src/domain/time.js';
import {
  TOKENS,
  ZONE,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  startWebServer,
  type WebServer,
} from './harness.js';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const DAY = 86_400_000;
const local = (ms: number) => formatInstant(ms, ZONE);
const eventRows = (page: Page) =>
  page.locator('#history tr[data-kind="event"]').evaluateAll((rows) =>
    rows.map((r) => ({
      revision: Number((r as HTMLElement).dataset['revision']),
      backDated: (r as HTMLElement).dataset['backDated'] === 'true',
      text: r.textContent ?? '',
    })),
  );

const accepted = (caseId: string, occurredAt: number) => ({
  caseId,
  type: 'CaseAccepted',
  occurredAt: local(occurredAt),
  centerId: 'center-A',
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays: 3,
  channel: 'window',
});

describe('case page: as known at', () => {
  it('shows the case as recorded by an instant, and a back-dated pause as such once it is known', async () => {
    const now = Date.now();
    await postEvents(server.baseUrl, [accepted('KA-1', now - 20 * DAY)]);
    const acceptedKnown = Date.now();
    await new Promise((r) => setTimeout(r, 2100));
    // A 停止计时 dated 18 days back, recorded now: the case was long overdue by then.
    await postEvents(server.baseUrl, [
      { caseId: 'KA-1', type: 'CasePaused', occurredAt: local(now - 18 * DAY), pauseId: 'p1', reason: 'other' },
    ]);
    const knownAt = Math.ceil(acceptedKnown / 1000) * 1000 + 1000; // a whole second after the acceptance was stored
    const asOf = Date.now();

    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(
      `${server.baseUrl}/cases/KA-1?asOf=${encodeURIComponent(local(asOf))}&asKnownAt=${encodeURIComponent(local(knownAt))}`,
    );
    await expect.poll(() => page.locator('#asof-status').textContent()).toMatch(/as known at/);
    expect(await page.getByLabel(/已知时点 As known at/).inputValue()).toBe(local(knownAt).slice(0, 19));
    expect((await eventRows(page)).map((r) => r.revision)).toEqual([0]);
    expect(await page.locator('#pauses tbody tr[data-pause-id]').count()).toBe(0);
    expect(await page.locator('#cards > li[data-rule="overdue"]').count()).toBe(1);

    await page.getByRole('button', { name: /全部已记录 Everything recorded/ }).click();
    await expect.poll(async () => (await eventRows(page)).length).toBe(2);
    const [, pause] = await eventRows(page);
    expect(pause).toMatchObject({ revision: 1, backDated: true });
    expect(pause?.text).toContain('补录 back-dated');
    expect(pause?.text).toMatch(/recorded 18 天 days later/);
    expect(await page.locator('#pauses tbody tr[data-pause-id="p1"]').textContent()).toContain('补录 retroactive');
    expect(await page.locator('#asof-status').textContent()).not.toMatch(/as known at/);
    expect(page.url()).not.toContain('asKnownAt');
    await screenshot(page, 'case-known-at-everything');

    // Back to what was known, with the control itself.
    await page.getByLabel(/已知时点 As known at/).fill(local(knownAt).slice(0, 19));
    await page.getByRole('button', { name: /查看 Show/ }).click();
    await expect.poll(async () => (await eventRows(page)).length).toBe(1);
    expect(page.url()).toContain(`asKnownAt=${encodeURIComponent(local(knownAt).replace('.000', ''))}`);
    await page.context().close();
  });

  it('pages a long history: 200 events, then the rest on "load more"', async () => {
    const start = Date.now() - 2 * DAY;
    await postEvents(server.baseUrl, [
      accepted('LONG-1', start),
      ...Array.from({ length: 249 }, (_, i) => ({
        caseId: 'LONG-1',
        type: 'CaseEscalated',
        occurredAt: local(start + (i + 1) * 60_000),
        level: 'reminder',
        by: 'office',
      })),
    ]);
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/LONG-1`);
    await expect.poll(async () => (await eventRows(page)).length).toBe(200);
    expect(await page.locator('#history-count').textContent()).toMatch(/200 events shown, more to load/);
    await page.getByRole('button', { name: /加载更多 Load more/ }).click();
    await expect.poll(async () => (await eventRows(page)).length).toBe(250);
    expect((await eventRows(page)).map((r) => r.revision)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(await page.getByRole('button', { name: /加载更多 Load more/ }).isHidden()).toBe(true);
    expect(await page.locator('#history-count').textContent()).toMatch(/250 events/);
    await page.context().close();
  });
});
