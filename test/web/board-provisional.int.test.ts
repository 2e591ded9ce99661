/**
 * The alert board says 暂定 provisional on an alert whose clock counts days of a year the calendar
 * only predicts (SPEC §3), as the case list and the card register pages do; and the live board learns
 * when a notice makes those days final (the stream re-raises the alert). Before, `GET /alerts`, the
 * stream and the board said nothing: the office could not tell a red card a notice may still withdraw.
 * Chromium, the real engine on a manual clock on 2026-12-18 (2027 has no notice, so from 12-20 on the
 * days are predicted), then the 2027 notice published while the board is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { TOKENS, getJson, launchBrowser, openPage, postEvents, startWebServer, type WebServer } from './harness.js';

const scheduler = createManualScheduler(Date.parse('2026-12-18T10:00:00+08:00'));
let server: WebServer;
let browser: Browser;

const accepted = (caseId: string, occurredAt: string, promisedDays: number) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId: 'center-A',
  departmentId: 'dep-permits',
  matterCode: 'M-7',
  kind: 'promised',
  promisedDays,
  channel: 'window',
});

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
  await postEvents(server.baseUrl, [
    // Due 12-16, overdue since 12-17, read on 12-18: every day counted lies before 12-20 (final).
    accepted('BP-FINAL', '2026-12-14T09:00:00+08:00', 2),
    // Due 12-22: its span reaches the December days the 2027 notice may still set (provisional).
    accepted('BP-PRED', '2026-12-15T09:00:00+08:00', 5),
  ]);
  await server.applied();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Each alert's key → whether the API row says provisional. */
async function apiFlags(): Promise<Record<string, boolean>> {
  const page = await getJson(server.baseUrl, '/alerts?limit=1000', TOKENS.monitor);
  return Object.fromEntries(
    page.alerts.map((a: { key: string; provisional?: boolean }) => [a.key, a.provisional === true]),
  );
}

describe('the alert board shows 暂定 provisional', () => {
  it('beside the alerts over predicted days only, and drops it live when the notice is published', async () => {
    const before = await apiFlags();
    const provisionalKeys = Object.keys(before).filter((k) => before[k]);
    expect(provisionalKeys.length).toBeGreaterThan(0);
    expect(provisionalKeys.every((k) => k.startsWith('BP-PRED/'))).toBe(true);
    expect(Object.keys(before).some((k) => k.startsWith('BP-FINAL/') && !before[k])).toBe(true);

    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#conn[data-state="open"]').waitFor();
    const marks = () =>
      page
        .locator('#alerts tbody tr[data-key]')
        .evaluateAll((rows) =>
          Object.fromEntries(
            rows.map((r) => [(r as HTMLElement).dataset.key!, r.querySelector('[data-provisional="true"]') !== null]),
          ),
        );
    await expect.poll(marks, { timeout: 5_000 }).toEqual(before);
    const mark = page.locator(`#alerts tbody tr[data-key="${provisionalKeys[0]}"] [data-provisional="true"]`);
    expect(await mark.textContent()).toContain('暂定');
    expect(await mark.isVisible()).toBe(true);

    // The 2027 notice, published while the board is open: the same alerts, now final, without a reload.
    const predicted = await getJson(server.baseUrl, '/calendar/2027', TOKENS.admin);
    const res = await fetch(`${server.baseUrl}/calendar/2027`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ holidays: predicted.holidays, workdays: [] }),
    });
    expect(res.status, await res.text()).toBe(200);
    await server.applied();
    const after = await apiFlags();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.values(after)).not.toContain(true);
    await expect.poll(marks, { timeout: 5_000 }).toEqual(after);
    await page.context().close();
  });
});
