/**
 * The complaint pages against the API, for two things a crawl found the pages lost (Chromium, the real
 * engine on a manual clock in 2035, a year the calendar only predicts):
 * - the monthly report's 查实 row of no department in charge links to `answeredBy=` (empty: answered
 *   with none in charge); the list page read the empty value as "all" and dropped it from its address,
 *   so the link listed every substantiated complaint of the month, not the count it came from;
 * - `provisional` (SPEC §3: the clocks use days of a predicted year) was in GET /complaints and
 *   GET /complaints/{id} but on neither page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { TOKENS, getJson, launchBrowser, openPage, startWebServer, type WebServer } from './harness.js';

const scheduler = createManualScheduler(Date.parse('2035-06-20T10:00:00+08:00'));
let server: WebServer;
let browser: Browser;

async function postComplaint(id: string, events: readonly Record<string, unknown>[]): Promise<void> {
  for (const body of events) {
    const res = await fetch(`${server.baseUrl}/complaints/${id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${id} ${String(body['type'])}: ${res.status} ${await res.text()}`);
  }
}

const answered = (id: string, departmentId?: string) =>
  postComplaint(id, [
    {
      type: 'ComplaintReceived',
      channel: 'hotline',
      centerId: 'center-A',
      ...(departmentId === undefined ? {} : { departmentId }),
      subject: '窗口推诿',
      occurredAt: '2035-06-04T09:00:00+08:00',
    },
    { type: 'ComplaintAccepted', occurredAt: '2035-06-04T10:00:00+08:00' },
    { type: 'ComplaintAnswered', occurredAt: '2035-06-11T10:00:00+08:00', finding: 'substantiated' },
  ]);

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  await answered('Q-NONE-1');
  await answered('Q-DEP-1', 'dep-permits');
  await postComplaint('Q-OPEN-1', [
    {
      type: 'ComplaintReceived',
      channel: 'online',
      centerId: 'center-A',
      subject: '办件超时',
      occurredAt: '2035-06-18T09:00:00+08:00',
    },
    { type: 'ComplaintAccepted', occurredAt: '2035-06-18T10:00:00+08:00' },
  ]);
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('complaint pages against the API', () => {
  it("the report's 查实 count of no department in charge opens a list of that many (answeredBy= kept)", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=2035-06`);
    const link = page.locator('#complaint-departments tr[data-department=""] td a').first();
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toContain('answeredBy=&');
    expect(await link.textContent()).toBe('1');
    expect((await getJson(server.baseUrl, href, TOKENS.monitor)).total).toBe(1);
    await link.click();
    await page.waitForURL(/\/complaints\?/);
    await expect.poll(() => page.locator('#total').getAttribute('data-total')).toBe('1');
    expect(await page.locator('#rows tbody tr[data-complaint-id]').getAttribute('data-complaint-id')).toBe('Q-NONE-1');
    expect(new URL(page.url()).searchParams.get('answeredBy')).toBe('');
    // The form says it (none in charge, not all), and Show lists the same again.
    expect(await page.locator('#f-answered-by option:checked').textContent()).toContain('无承办部门');
    await page.getByRole('button', { name: /查询/ }).click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^第 1–1 条，共 1 条/);
    expect(new URL(page.url()).searchParams.get('answeredBy')).toBe('');
    await page.context().close();
  });

  it('a complaint whose clocks use a predicted year says so, on its page and in the list', async () => {
    const api = await getJson(server.baseUrl, '/complaints/Q-OPEN-1', TOKENS.monitor);
    expect(api.provisional).toBe(true);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/complaints?id=Q-OPEN-1`);
    await page.locator('#complaint-status [data-status]').waitFor();
    await expect.poll(() => page.locator('#clocks-provisional').isVisible()).toBe(true);
    expect(await page.locator('#clocks-provisional').textContent()).toContain('暂定 provisional');

    await page.goto(`${server.baseUrl}/complaints?q=Q-OPEN`);
    const row = page.locator('#rows tbody tr[data-complaint-id="Q-OPEN-1"]');
    await row.waitFor();
    const listed = await getJson(server.baseUrl, '/complaints?q=Q-OPEN', TOKENS.monitor);
    expect(listed.items[0].provisional).toBe(true);
    expect(await row.locator('[data-provisional="true"]').count()).toBe(1);
    await page.context().close();
  });
});
