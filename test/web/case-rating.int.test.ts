/**
 * The case page shows the 好差评 rating and its follow-up (issue 17 item 4), on
 * worked cases E2-07 (差评 not followed up: red card) and E2-08 (差评 followed
 * up in time) of test/fixtures/timing-edition2.json.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { TOKENS, launchBrowser, openPage, postEvents, startWebServer, type WebServer } from './harness.js';

interface Scenario {
  caseId: string;
  asOf: string;
  events: Record<string, unknown>[];
}
const scenarios: Scenario[] = JSON.parse(
  readFileSync(new URL('../fixtures/timing-edition2.json', import.meta.url), 'utf8'),
).scenarios;
const cases = ['E2-07', 'E2-08'].map((id) => scenarios.find((s) => s.caseId === id)!);

let server: WebServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  for (const sc of cases) await postEvents(server.baseUrl, sc.events);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function factsOf(caseId: string, asOf: string): Promise<Record<string, string>> {
  const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
  await page.goto(`${server.baseUrl}/cases/${caseId}?asOf=${encodeURIComponent(asOf)}`);
  await page.locator('#facts [data-field="rating"]').waitFor();
  const facts = await page
    .locator('#facts [data-field]')
    .evaluateAll((divs) =>
      Object.fromEntries(
        divs.map((d) => [(d as HTMLElement).dataset['field'], d.querySelector('dd')?.textContent ?? '']),
      ),
    );
  await page.context().close();
  return facts;
}

describe('case page: rating and follow-up', () => {
  it('E2-07: a 1-point 差评 by SMS, follow-up missing and overdue since 2024-11-28', async () => {
    const f = await factsOf('E2-07', cases[0]!.asOf);
    expect(f['rating']).toContain('1 分 非常不满意');
    expect(f['rating']).toContain('短信');
    expect(f['rating']).toContain('差评');
    expect(f['ratingFollowUp']).toContain('未回访，已逾期');
    expect(f['ratingFollowUp']).toContain('2024-11-28');
  });
  it('E2-08: followed up on time with its note', async () => {
    const f = await factsOf('E2-08', cases[1]!.asOf);
    expect(f['rating']).toContain('2 分 不满意');
    expect(f['ratingFollowUp']).toContain('已回访');
    expect(f['ratingFollowUp']).toContain('按时 on time');
  });
});

describe('the monthly report: rating counts', () => {
  it("the ratings given, the 差评 and the follow-ups due of the month, and each department's, link to the case list with the same total", async () => {
    const ratedAt = cases[0]!.events.find((e) => e['type'] === 'CaseRated')!['occurredAt'] as string;
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=${ratedAt.slice(0, 7)}`);
    const byDepartment = (n: number) => `#satisfaction tbody tr:first-child td:nth-child(${n}) a`;
    for (const [figure, selector] of [
      ...['rated', 'badRatings', 'followUpsDue'].map((f) => [
        f,
        `#rating-figures tr[data-figure="${f}"] td[data-role="now"] a`,
      ]),
      ['department rated', byDepartment(2)],
      ['department badRatings', byDepartment(4)],
      ['department followUpsDue', byDepartment(6)],
    ]) {
      const link = page.locator(selector!);
      await link.waitFor();
      const shown = Number(await link.textContent());
      expect(shown, figure).toBeGreaterThan(0);
      const href = (await link.getAttribute('href')) ?? '';
      await page.goto(`${server.baseUrl}${href}`);
      await expect
        .poll(() => page.locator('#total').getAttribute('data-total'), { message: figure })
        .toBe(String(shown));
      await page.goBack();
    }
    await page.context().close();
  });
});
