/**
 * Session 17, in headless Chromium against the real engine: the 规则版本 page resolves the
 * `policyVersion` a case cites to its rules, effective date and status (the configured policy
 * while none is on record, then each recorded version), and the case page links both versions
 * it was computed under to where they can be read.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy } from '../domain/policy.js';
import { parseDate } from '../domain/time.js';
import { POLICY_STREAM_ID, policyEventData } from '../projections/policyEvents.js';
import { createManualScheduler } from '../projections/scheduler.js';
import {
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  startWebServer,
  type WebServer,
} from '../../test/web/harness.js';

const scheduler = createManualScheduler(Date.parse('2026-12-03T10:00:00+08:00'));
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer({ scheduler }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<Page> {
  const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
  await page.goto(`${server.baseUrl}${path}`);
  await page.locator('#now [data-field="inForce"]').waitFor();
  return page;
}

const rule = (page: Page, version: string, field: string) =>
  page.locator(`section[data-version="${version}"] [data-field="${field}"] dd`).textContent();

describe('the policy versions page', () => {
  it('shows the configured policy while none is on record, with its rules in words', async () => {
    const page = await open('/policies');
    expect(await page.locator('#now [data-field="inForce"] dd').textContent()).toBe(DEFAULT_POLICY.version);
    expect(await page.locator('#configured-note').isVisible()).toBe(true);
    expect(await page.locator(`section[data-version="${DEFAULT_POLICY.version}"]`).getAttribute('data-status')).toBe(
      'configured',
    );
    expect(await rule(page, DEFAULT_POLICY.version, 'complaintDecideDays')).toBe('3 个工作日 working days');
    expect(await rule(page, DEFAULT_POLICY.version, 'respondWithinDays')).toContain(
      '督办 supervision: 2 个工作日 working days',
    );
    await page.context().close();
  });

  it('shows each recorded version with its status, and a case page links the versions it cites', async () => {
    const stricter = parsePolicy({ complaintDecideDays: 2 });
    if (stricter._tag === 'Left') throw new Error(JSON.stringify(stricter.left));
    const now = scheduler.clock();
    await server.store.append(POLICY_STREAM_ID, [
      policyEventData(
        { policy: DEFAULT_POLICY, effectiveFrom: parseDate('2026-01-01'), publishedAt: now },
        'Asia/Shanghai',
      ),
    ]);
    await server.store.append(POLICY_STREAM_ID, [
      policyEventData(
        { policy: stricter.right, effectiveFrom: parseDate('2027-01-01'), publishedAt: now },
        'Asia/Shanghai',
      ),
    ]);
    const book = await getJson(server.baseUrl, '/policies');
    expect(book.pending).toEqual([stricter.right.version]);

    const page = await open('/policies');
    expect(await page.locator('#configured-note').isHidden()).toBe(true);
    const statuses = await page
      .locator('#versions section')
      .evaluateAll((ss) => ss.map((s) => [s.getAttribute('data-version'), s.getAttribute('data-status')]));
    expect(statuses).toEqual([
      [stricter.right.version, 'pending'],
      [DEFAULT_POLICY.version, 'in-force'],
    ]);
    expect(await rule(page, stricter.right.version, 'complaintDecideDays')).toBe('2 个工作日 working days');
    await screenshot(page, 'policies');
    await page.context().close();

    await postEvents(server.baseUrl, [
      {
        caseId: 'POL-1',
        type: 'CaseAccepted',
        occurredAt: '2026-12-03T09:00:00+08:00',
        centerId: 'center-A',
        departmentId: 'dep-1',
        matterCode: 'M-1',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      },
    ]);
    await server.applied();
    const casePage = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await casePage.goto(`${server.baseUrl}/cases/POL-1`);
    const policyLink = casePage.locator('[data-field="versions"] a[data-policy-version]');
    await policyLink.waitFor();
    expect(await policyLink.getAttribute('href')).toBe(
      `/policies#policy-${encodeURIComponent(DEFAULT_POLICY.version)}`,
    );
    expect(await casePage.locator('[data-field="versions"] a[data-calendar-version]').getAttribute('href')).toBe(
      '/calendar?year=2026',
    );
    await policyLink.click();
    await casePage.waitForURL(/\/policies#policy-/);
    await casePage.locator(`section[data-version="${DEFAULT_POLICY.version}"]`).waitFor();
    await casePage.context().close();
  });

  it('a version recorded twice is listed twice, with one anchor (no two elements share an id)', async () => {
    await server.store.append(POLICY_STREAM_ID, [
      policyEventData(
        { policy: DEFAULT_POLICY, effectiveFrom: parseDate('2027-06-01'), publishedAt: scheduler.clock() },
        'Asia/Shanghai',
      ),
    ]);
    const page = await open('/policies');
    expect(await page.locator(`section[data-version="${DEFAULT_POLICY.version}"]`).count()).toBe(2);
    const ids = await page.locator('[id]').evaluateAll((nodes) => nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);
    // The anchor the case page links to is the version's latest publication.
    expect(await page.locator(`[id="policy-${DEFAULT_POLICY.version}"]`).getAttribute('data-publication')).toBe('3');
    await page.context().close();
  });
});
