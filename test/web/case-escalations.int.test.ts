/**
 * The case page lists each escalation with its id and its reply (回告), or says
 * the reply is missing (issue 15 item 2), on worked case E2-06 of
 * test/fixtures/timing-edition2.json.
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
const e206 = scenarios.find((s) => s.caseId === 'E2-06')!;

let server: WebServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  await postEvents(server.baseUrl, e206.events);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('case page: escalations and replies', () => {
  it('shows e1 answered on time with its note and e2 with its reply missing', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/E2-06?asOf=${encodeURIComponent(e206.asOf)}`);
    const rows = page.locator('#escalations tbody tr[data-escalation-id]');
    await rows.first().waitFor();
    const seen = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        id: (tr as HTMLElement).dataset['escalationId'],
        reply: (tr.lastElementChild as HTMLElement).dataset['reply'],
        text: tr.lastElementChild?.textContent ?? '',
      })),
    );
    expect(seen.map((r) => [r.id, r.reply])).toEqual([
      ['e1', 'on-time'],
      ['e2', 'missing'],
    ]);
    expect(seen[0]!.text).toContain('已书面回告');
    expect(seen[1]!.text).toContain('未回告');
    await page.context().close();
  });

  it("the event history names who escalated (the escalation's `by`), not —", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/E2-06?asOf=${encodeURIComponent(e206.asOf)}`);
    const events = page.locator('#history tbody tr[data-kind="event"]');
    await expect.poll(() => events.count()).toBe(e206.events.length);
    const rows = await events.evaluateAll((trs) =>
      trs.map((tr) => ({ what: tr.children[2]?.textContent ?? '', actor: tr.querySelector('td.actor')?.textContent })),
    );
    const escalations = rows.filter((r) => r.what.startsWith('催办/督办'));
    expect(escalations).toHaveLength(2);
    // Before: the actor column read — on both, though each names who escalated.
    expect(escalations.map((r) => r.actor)).toEqual(['efficiency-office', 'efficiency-office']);
    await page.context().close();
  });
});
