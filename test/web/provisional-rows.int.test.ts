/**
 * `provisional` (SPEC §3: a deadline or a card's clock counts days of a year the calendar only predicts)
 * is on each `GET /cases` row and on a card of `GET /cards`; the complaint list page showed it, the case
 * list page and the card register page did not. Chromium, the real engine on a manual clock in 2035 (a
 * predicted year), one case over predicted days and one closed in 2025 (published days only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { TOKENS, getJson, launchBrowser, openPage, postEvents, startWebServer, type WebServer } from './harness.js';

const scheduler = createManualScheduler(Date.parse('2035-06-20T10:00:00+08:00'));
let server: WebServer;
let browser: Browser;

const accepted = (caseId: string, occurredAt: string) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId: 'center-A',
  departmentId: 'dep-permits',
  matterCode: 'M-7',
  kind: 'promised',
  promisedDays: 2,
  channel: 'window',
});

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  await postEvents(server.baseUrl, [
    // Due 2035-06-06, overdue since: every day counted lies in 2035.
    accepted('PV-2035', '2035-06-04T09:00:00+08:00'),
    // Due 2025-03-05, completed late on 03-10: every day lies in a published year.
    accepted('PV-2025', '2025-03-03T09:00:00+08:00'),
    { type: 'CaseCompleted', caseId: 'PV-2025', occurredAt: '2025-03-10T10:00:00+08:00', outcome: 'approved' },
  ]);
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The table row whose first cell links to the case. */
const rowOf = (rows: Locator, caseId: string) => rows.filter({ has: rows.page().locator(`a:text-is("${caseId}")`) });

describe('the case list and the card register pages say provisional as the API does', () => {
  it('the case list: beside the deadline of a case over predicted days, not beside the other', async () => {
    const api = await getJson(server.baseUrl, '/cases?q=PV-', TOKENS.monitor);
    const flags = Object.fromEntries(
      api.items.map((r: { caseId: string; provisional: boolean }) => [r.caseId, r.provisional]),
    );
    expect(flags).toEqual({ 'PV-2035': true, 'PV-2025': false });
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/cases?q=PV-`);
    const rows = page.locator('table tbody tr');
    await rowOf(rows, 'PV-2035').waitFor();
    // Before: no mark on either row.
    expect(await rowOf(rows, 'PV-2035').locator('[data-provisional="true"]').textContent()).toContain('暂定');
    expect(await rowOf(rows, 'PV-2025').locator('[data-provisional]').count()).toBe(0);
    await page.context().close();
  });

  it('the card register: beside the start of a card over predicted days, not beside the other', async () => {
    const query = 'from=2025-01-01&to=2035-07-01&rule=overdue';
    const api = await getJson(server.baseUrl, `/cards?${query}`, TOKENS.monitor);
    expect(api.items.map((r: { caseId: string; provisional?: boolean }) => [r.caseId, r.provisional === true])).toEqual(
      [
        ['PV-2025', false],
        ['PV-2035', true],
      ],
    );
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/cards?${query}`);
    const rows = page.locator('table tbody tr');
    await rowOf(rows, 'PV-2035').waitFor();
    expect(await rowOf(rows, 'PV-2035').locator('[data-provisional="true"]').textContent()).toContain('暂定');
    expect(await rowOf(rows, 'PV-2025').locator('[data-provisional]').count()).toBe(0);
    await page.context().close();
  });
});
