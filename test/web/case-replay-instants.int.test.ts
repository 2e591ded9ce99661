/**
 * The case page shows the instants the address and the API name, to the second and the millisecond
 * (review session 24): pressing "查看 Show" with the inputs untouched kept the view, where it cut "as of"
 * to its minute and "as known at" to its second (dropping an event recorded in that second); the
 * slider's end of a completed case is its completion (it fell up to 30 s before it, so the case showed
 * open); an escalation whose case completed before its reply was due is not "missing" (the engine
 * raises no card for it, SPEC §3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatInstant } from '../../src/domain/time.js';
import {
  TOKENS,
  ZONE,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
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
const MINUTE = 60_000;
const local = (ms: number) => formatInstant(ms, ZONE);
const accepted = (caseId: string, at: number, promisedDays = 3) => ({
  caseId,
  type: 'CaseAccepted',
  occurredAt: local(at),
  centerId: 'center-A',
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays,
  channel: 'window',
});
const shown = (page: Page) =>
  page.waitForFunction(() => /Showing/.test(document.getElementById('asof-status')?.textContent ?? ''));
const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

describe('case page: the instants asked are the instants shown', () => {
  it('"Show" with the inputs untouched keeps "as of" to the second and "as known at" to the millisecond', async () => {
    const start = Math.floor((Date.now() - 20 * DAY) / MINUTE) * MINUTE;
    await postEvents(server.baseUrl, [accepted('RI-1', start)]);
    const pausedAt = start + DAY + 30_000; // half a minute past the minute
    await postEvents(server.baseUrl, [
      { caseId: 'RI-1', type: 'CasePaused', occurredAt: local(pausedAt), pauseId: 'p1', reason: 'other' },
    ]);
    const history = await getJson(server.baseUrl, '/cases/RI-1/history');
    const recordedAt = Date.parse(history.entries.filter((e: { kind: string }) => e.kind === 'event')[1].recordedAt);
    // As known the instant the pause was recorded (milliseconds and all), as of the instant it occurred.
    const asOf = local(pausedAt);
    const asKnownAt = local(recordedAt);
    const api = await getJson(
      server.baseUrl,
      `/cases/RI-1?asOf=${encodeURIComponent(asOf)}&asKnownAt=${encodeURIComponent(asKnownAt)}`,
    );
    expect(api.pauses.map((p: { pauseId: string }) => p.pauseId)).toEqual(['p1']);

    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(
      `${server.baseUrl}/cases/RI-1?asOf=${encodeURIComponent(asOf)}&asKnownAt=${encodeURIComponent(asKnownAt)}`,
    );
    await shown(page);
    expect(await page.locator('#pauses tbody tr[data-pause-id]').count()).toBe(1);

    await page.getByRole('button', { name: /查看 Show/ }).click();
    await expect.poll(() => query(page)).toEqual({ asOf, asKnownAt });
    await shown(page);
    expect(await page.locator('#facts [data-field="status"] dd').textContent()).toBe('暂停计时 paused');
    expect(await page.locator('#pauses tbody tr[data-pause-id="p1"]').count()).toBe(1);
    expect(await page.locator('#history tr[data-kind="event"]').count()).toBe(2);

    // A day later, to the millisecond, as known at the same instant.
    await page.getByRole('button', { name: /向后一天/ }).click();
    await expect.poll(() => Date.parse(query(page).asOf ?? '')).toBe(pausedAt + DAY);
    expect(query(page).asKnownAt).toBe(asKnownAt);
    await page.context().close();
  });

  it("the slider's end of a completed case shows it completed", async () => {
    const start = Math.floor((Date.now() - 20 * DAY) / MINUTE) * MINUTE;
    const completedAt = start + 2 * DAY + 20_000; // 20 s past a whole minute from acceptance
    await postEvents(server.baseUrl, [
      accepted('RI-2', start),
      { caseId: 'RI-2', type: 'CaseCompleted', occurredAt: local(completedAt), outcome: 'approved' },
    ]);
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/RI-2?asOf=${encodeURIComponent(local(start + DAY))}`);
    await shown(page);
    expect(await page.locator('#facts [data-field="status"] dd').textContent()).toBe('办理中 open');
    const slider = page.locator('#asof-slider');
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(() => query(page).asOf).toBe(local(completedAt));
    await shown(page);
    expect(await page.locator('#facts [data-field="status"] dd').textContent()).toBe('已办结 completed');
    await page.context().close();
  });

  it('an escalation unanswered when its case completed, before the reply was due, is not "missing"', async () => {
    const start = Math.floor((Date.now() - 20 * DAY) / MINUTE) * MINUTE;
    await postEvents(server.baseUrl, [
      accepted('RI-3', start, 10),
      { caseId: 'RI-3', type: 'CaseEscalated', occurredAt: local(start + DAY), level: 'reminder', by: 'office' },
      { caseId: 'RI-3', type: 'CaseCompleted', occurredAt: local(start + DAY + 3_600_000), outcome: 'approved' },
    ]);
    const api = await getJson(server.baseUrl, '/cases/RI-3');
    expect(Date.parse(api.completedAt)).toBeLessThan(Date.parse(api.escalations[0].respondBy));
    expect(Date.parse(api.asOf)).toBeGreaterThan(Date.parse(api.escalations[0].respondBy));
    expect(api.cards.filter((c: { rule: string }) => c.rule === 'escalation-unanswered')).toEqual([]);

    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/RI-3`);
    await shown(page);
    const reply = page.locator('#escalations tbody tr[data-escalation-id="e1"] td[data-reply]');
    expect(await reply.getAttribute('data-reply')).toBe('not-due');
    expect(await reply.textContent()).not.toContain('未回告');
    await page.context().close();
  });
});
