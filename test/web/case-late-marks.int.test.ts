/**
 * The case page marks "迟记 recorded late" exactly on the events the engine made a late-record card
 * of (SPEC §3: recorded MORE than 24 h after occurring), so an auditor comparing the history's rows
 * with the cards finds one mark per card: an event recorded exactly 24 h later has neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { getJson, launchBrowser, openPage, postEvents, startWebServer, TOKENS, type WebServer } from './harness.js';

const scheduler = createManualScheduler(Date.parse('2025-09-01T09:00:00+08:00'));
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  await postEvents(server.baseUrl, [
    {
      type: 'CaseAccepted',
      caseId: 'LATE-1',
      occurredAt: '2025-09-01T09:00:00+08:00',
      centerId: 'center-A',
      departmentId: 'dep-health',
      matterCode: 'M-7',
      kind: 'promised',
      promisedDays: 20,
      channel: 'window',
    },
  ]);
  scheduler.advanceTo(Date.parse('2025-09-03T10:00:00+08:00'));
  await postEvents(server.baseUrl, [
    // Recorded 25 h after it occurred: late. Then 24 h exactly: not late.
    { type: 'CasePaused', caseId: 'LATE-1', occurredAt: '2025-09-02T09:00:00+08:00', pauseId: 'p1', reason: 'testing' },
    { type: 'CaseResumed', caseId: 'LATE-1', occurredAt: '2025-09-02T10:00:00+08:00', pauseId: 'p1' },
  ]);
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the case page’s late marks', () => {
  it('mark the events of the late-record cards, and only those', async () => {
    const read = await getJson(server.baseUrl, '/cases/LATE-1', TOKENS.auditor);
    const lateRevisions = read.cards
      .filter((c: { rule: string }) => c.rule === 'late-record')
      .map((c: { details: { revision: number } }) => String(c.details.revision));
    expect(lateRevisions).toEqual(['1']);
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/LATE-1`);
    const rows = page.locator('#history tbody tr[data-kind="event"]');
    await rows.nth(2).waitFor();
    const marked: string[] = [];
    for (const row of await rows.all()) {
      if ((await row.textContent())?.includes('迟记')) marked.push((await row.getAttribute('data-revision')) ?? '');
    }
    expect(marked).toEqual(lateRevisions);
    await page.context().close();
  });
});
