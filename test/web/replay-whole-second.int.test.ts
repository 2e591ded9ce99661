/**
 * "As known at" an instant whose seconds are :00 and whose milliseconds are not (10:00:00.535): pressing
 * "查看 Show" with the inputs untouched keeps it whole, on the case page and on the complaint page. Chromium
 * reads a datetime-local value of 10:00:00 back as "10:00", so the case page's text comparison failed and
 * cut the instant to 10:00:00, dropping the event recorded at .535 (a CI run hit it when a test's event
 * was recorded in a minute's first second); the complaint page always cut it to the second (session 26).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { launchBrowser, openPage, postEvents, startWebServer, TOKENS, type WebServer } from './harness.js';

const ACCEPTED_AT = Date.parse('2025-09-01T09:00:00+08:00');
/** The second event is recorded here: seconds :00, milliseconds .535. */
const RECORDED = '2025-09-02T10:00:00.535+08:00';
const scheduler = createManualScheduler(ACCEPTED_AT);
let server: WebServer;
let browser: Browser;

async function postComplaint(id: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.baseUrl}/complaints/${id}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST complaint ${id}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  await postEvents(server.baseUrl, [
    {
      type: 'CaseAccepted',
      caseId: 'SEC-1',
      occurredAt: '2025-09-01T09:00:00+08:00',
      centerId: 'center-A',
      departmentId: 'dep-1',
      matterCode: 'M-1',
      kind: 'promised',
      promisedDays: 20,
      channel: 'window',
    },
  ]);
  await postComplaint('Q-SEC-1', {
    type: 'ComplaintReceived',
    occurredAt: '2025-09-01T09:00:00+08:00',
    channel: 'hotline',
    centerId: 'center-A',
    departmentId: 'dep-1',
    subject: '窗口推诿',
  });
  scheduler.advanceTo(Date.parse(RECORDED));
  await postEvents(server.baseUrl, [
    { type: 'CasePaused', caseId: 'SEC-1', occurredAt: '2025-09-02T09:30:00+08:00', pauseId: 'p1', reason: 'other' },
  ]);
  await postComplaint('Q-SEC-1', { type: 'ComplaintAccepted', occurredAt: '2025-09-02T09:30:00+08:00' });
  scheduler.advanceTo(Date.parse('2025-09-03T09:00:00+08:00'));
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);
const ASKED = { asOf: '2025-09-02T12:00:00+08:00', asKnownAt: RECORDED };
const asked = `asOf=${encodeURIComponent(ASKED.asOf)}&asKnownAt=${encodeURIComponent(ASKED.asKnownAt)}`;

describe('"Show" with the inputs untouched keeps an "as known at" of a whole second and some milliseconds', () => {
  it('on the case page: the address keeps it, and the event recorded at that instant stays known', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/SEC-1?${asked}`);
    await page.waitForFunction(() => /Showing/.test(document.getElementById('asof-status')?.textContent ?? ''));
    expect(await page.locator('#pauses tbody tr[data-pause-id="p1"]').count()).toBe(1);
    await page.getByRole('button', { name: /查看 Show/ }).click();
    await expect.poll(() => query(page)).toEqual(ASKED);
    await page.locator('#history tr[data-kind="event"]').nth(1).waitFor();
    expect(await page.locator('#pauses tbody tr[data-pause-id="p1"]').count()).toBe(1);
    await page.context().close();
  }, 30_000);

  it('on the complaint page: the address keeps it, and the complaint shows as accepted', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/complaints?id=Q-SEC-1&${asked}`);
    await page.locator('#complaint-status [data-status]').waitFor();
    const status = () => page.locator('#complaint-status [data-status]').getAttribute('data-status');
    expect(await status()).toBe('accepted');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('id')),
      page.locator('#complaint-asof-form [type="submit"]').click(),
    ]);
    await expect.poll(() => query(page)).toEqual({ id: 'Q-SEC-1', ...ASKED });
    await page.locator('#complaint-status [data-status]').waitFor();
    expect(await status()).toBe('accepted');
    await page.context().close();
  }, 30_000);
});
