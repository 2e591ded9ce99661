/**
 * The case page and the monthly report in headless Chromium against the real
 * engine, fed the worked cases of test/fixtures/timing.json.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { percentText } from '../../src/projections/summary.js';
import {
  PHONE,
  TOKENS,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  startWebServer,
  type WebServer,
} from './harness.js';

interface Scenario {
  caseId: string;
  asOf: string;
  events: Record<string, unknown>[];
  expect: {
    deadlineDate: string;
    dueAt: string;
    usedDays: number;
    cards: { rule: string; color: string; startedAt: string }[];
  };
}
const scenarios: Scenario[] = JSON.parse(
  readFileSync(new URL('../fixtures/timing.json', import.meta.url), 'utf8'),
).scenarios;
const scenario = (id: string): Scenario => {
  const s = scenarios.find((x) => x.caseId === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  await postEvents(
    server.baseUrl,
    scenarios.flatMap((s) => s.events),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Cards on the page (late-record cards depend on when the test ran, not on the calendar). */
async function pageCards(page: Page) {
  const cards = await page.locator('#cards > li[data-rule]').evaluateAll((lis) =>
    lis.map((li) => ({
      rule: (li as HTMLElement).dataset['rule'],
      color: (li as HTMLElement).dataset['color'],
      startedAt: (li as HTMLElement).dataset['startedAt'],
    })),
  );
  return cards.filter((c) => c.rule !== 'late-record').map((c) => ({ ...c, startedAt: Date.parse(c.startedAt ?? '') }));
}

const fact = (page: Page, field: string) => page.locator(`#facts [data-field="${field}"] dd`).textContent();

describe('case page', () => {
  for (const id of ['EX-03', 'EX-07']) {
    it(`shows ${id}'s deadline and cards as of the scenario instant`, async () => {
      const s = scenario(id);
      const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
      await page.goto(`${server.baseUrl}/cases/${id}?asOf=${encodeURIComponent(s.asOf)}`);
      await page.locator('#facts [data-field="deadlineDate"]').waitFor();
      expect(await fact(page, 'deadlineDate')).toContain(s.expect.deadlineDate);
      expect(await fact(page, 'dueAt')).toBe(s.expect.dueAt.slice(0, 16).replace('T', ' '));
      expect(await fact(page, 'usedDays')).toContain(`${s.expect.usedDays} `);
      expect(await pageCards(page)).toEqual(
        s.expect.cards.map((c) => ({ rule: c.rule, color: c.color, startedAt: Date.parse(c.startedAt) })),
      );

      // The timeline picture: deadline line, one flag row per card, one span per pause.
      const svg = page.locator('#timeline svg');
      expect(await svg.locator('[data-line="deadline"]').count()).toBe(1);
      expect(await svg.locator('g[data-row="card"]').count()).toBe(
        await page.locator('#cards > li[data-rule]').count(),
      );
      expect(await svg.locator('g[data-row="pause"]').count()).toBe(
        s.events.filter((e) => e['type'] === 'CasePaused').length,
      );
      // Every card is explained in numbers: the deadline cards name the deadline date.
      expect(await page.locator('#cards > li[data-rule] .explain > dl').count()).toBe(
        await page.locator('#cards > li[data-rule]').count(),
      );
      const deadlineCard = page
        .locator('#cards > li[data-rule="overdue"] .explain, #cards > li[data-rule="deadline-warning"] .explain')
        .first();
      if ((await deadlineCard.count()) > 0) expect(await deadlineCard.textContent()).toContain(s.expect.deadlineDate);

      // Event history: one row per event, revisions in order, recordedAt shown.
      const revisions = await page
        .locator('#history tr[data-kind="event"]')
        .evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset['revision'])));
      expect(revisions).toEqual(s.events.map((_, i) => i));
      await screenshot(page, `case-${id}-desktop`);
      await page.setViewportSize(PHONE);
      await page.waitForTimeout(300); // the timeline redraws for the new width
      await screenshot(page, `case-${id}-phone`);
      await page.context().close();
    });
  }

  it('replays the case to an earlier instant with the as-of control', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/EX-01?asOf=${encodeURIComponent('2024-03-01T12:00:00+08:00')}`);
    await page.locator('#cards > li[data-rule="overdue"]').waitFor();
    const earlier = '2024-02-20T12:00';
    await page.getByLabel(/查看时点 As of/).fill(earlier);
    await page.getByRole('button', { name: /查看 Show/ }).click();
    const api = await getJson(
      server.baseUrl,
      `/cases/EX-01?asOf=${encodeURIComponent(`${earlier}:00+08:00`)}`,
      TOKENS.auditor,
    );
    await expect.poll(() => fact(page, 'usedDays')).toContain(`${api.usedDays} `);
    expect(api.cards.filter((c: { rule: string }) => c.rule !== 'late-record')).toEqual([]);
    expect(await pageCards(page)).toEqual([]);
    expect(page.url()).toContain(encodeURIComponent('2024-02-20T12:00:00+08:00'));

    // The slider moves through the case's life from the keyboard.
    const before = await fact(page, 'usedDays');
    await page.getByLabel(/案件生命周期/).focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('PageUp');
    await expect.poll(() => fact(page, 'usedDays'), { timeout: 5000 }).not.toBe(before);
    await page.context().close();
  });

  it('says so when the case does not exist', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.auditor);
    await page.goto(`${server.baseUrl}/cases/NO-SUCH-CASE`);
    await expect.poll(() => page.locator('#error').textContent()).toMatch(/未找到案件/);
    await page.context().close();
  });

  it('leaves the JSON API on the same path to API clients', async () => {
    const json = await getJson(server.baseUrl, '/cases/EX-01', TOKENS.auditor);
    expect(json.caseId).toBe('EX-01');
    const html = await fetch(`${server.baseUrl}/cases/EX-01`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('id="timeline"');
  });
});

describe('monthly report page', () => {
  const month = '2024-10';
  it('shows the same numbers as GET /stats for the month and a year earlier', async () => {
    const [now, before] = await Promise.all([
      getJson(server.baseUrl, '/stats?from=2024-10-01&to=2024-11-01', TOKENS.monitor),
      getJson(server.baseUrl, '/stats?from=2023-10-01&to=2023-11-01', TOKENS.monitor),
    ]);
    expect(now.flow.completedInPeriod).toBeGreaterThan(0);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    await page.locator('#kpis tbody tr[data-kpi]').first().waitFor();
    const shown = await page.locator('#kpis tbody tr[data-kpi]').evaluateAll((rows) =>
      rows.map((r) => ({
        kpi: (r as HTMLElement).dataset['kpi'] ?? '',
        now: (r.querySelector('[data-role="now"]') as HTMLElement).dataset['value'] ?? '',
        before: (r.querySelector('[data-role="before"]') as HTMLElement).dataset['value'] ?? '',
      })),
    );
    const expected = (stats: { cohort: Record<string, unknown>; flow: Record<string, unknown> }, kpi: string) => {
      const v = kpi in stats.cohort ? stats.cohort[kpi] : stats.flow[kpi];
      const n = v !== null && typeof v === 'object' ? (v as { total: number }).total : v;
      return n === null || n === undefined ? '' : String(n);
    };
    expect(shown.length).toBeGreaterThanOrEqual(12);
    expect(shown.map((r) => r.kpi)).toContain('answeredOnTimeRate'); // in the JSON and CSV before, not on the page
    for (const row of shown) {
      expect({ kpi: row.kpi, now: row.now }).toEqual({ kpi: row.kpi, now: expected(now, row.kpi) });
      expect({ kpi: row.kpi, before: row.before }).toEqual({ kpi: row.kpi, before: expected(before, row.kpi) });
    }
    // The visible text agrees too (e.g. completions and the on-time rate).
    const text = (kpi: string) => page.locator(`#kpis tr[data-kpi="${kpi}"] [data-role="now"]`).textContent();
    expect(await text('completedInPeriod')).toBe(String(now.flow.completedInPeriod));
    expect(await text('onTimeRate')).toBe(now.flow.onTimeRate === null ? '—' : percentText(now.flow.onTimeRate));
    // One bar per department of the report.
    const report = await getJson(server.baseUrl, `/reports/monthly?month=${month}`, TOKENS.monitor);
    expect(await page.locator('#bars .bar-row').count()).toBe(report.departments.length);

    await screenshot(page, 'report-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'report-phone');
    await page.context().close();
  });

  it("links the worst departments' red cards and each bar's completions to lists of the same total (SPEC §4)", async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    await page.locator('#bars .bar-row').first().waitFor();
    const links = await page
      .locator('#worst a.count-link, #bars a.count-link')
      .evaluateAll((as) => as.map((a) => [a.textContent ?? '', a.getAttribute('href') ?? '']));
    const report = await getJson(server.baseUrl, `/reports/monthly?month=${month}`, TOKENS.monitor);
    // Plain text before: one link per bar and per worst department with a count.
    expect(links.length).toBe(report.departments.length + report.worstDepartments.length);
    for (const [text, href] of links) {
      // The page and the API share the path: JSON for an API client.
      expect((await getJson(server.baseUrl, href!, TOKENS.monitor)).total, `${text} → ${href}`).toBe(
        Number(text!.replace(/\D/g, '')),
      );
    }
    await page.context().close();
  });

  it('downloads the CSV with the token', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    await page.locator('#kpis tbody tr[data-kpi]').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载 CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`report-${month}.csv`);
    const file = await download.path();
    const csv = await fetch(`${server.baseUrl}/reports/monthly?month=${month}`, {
      headers: { authorization: `Bearer ${TOKENS.monitor}`, accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    // Bytes, not text: the download keeps the UTF-8 BOM that fetch's text() strips.
    expect(readFileSync(file)).toEqual(Buffer.from(await csv.arrayBuffer()));
    await page.context().close();
  });

  it("marks a department below the watch base with the report's own base, not a number of its own", async () => {
    const report = await getJson(server.baseUrl, `/reports/monthly?month=${month}`, TOKENS.monitor);
    const marked = report.worstDepartments.filter((d: { belowWatchBase?: true }) => d.belowWatchBase === true);
    expect(marked.length).toBeGreaterThan(0);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    // The same report with another base: the page must say that one.
    await page.route('**/reports/monthly?*', async (route) => {
      const answer = await route.fetch();
      await route.fulfill({ response: answer, json: { ...(await answer.json()), watchBase: 7 } });
    });
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    await page.locator('#worst li').first().waitFor();
    const notes = await page.locator('#worst li [data-note="below-watch-base"]').allTextContents();
    expect(notes).toHaveLength(marked.length);
    for (const note of notes) expect(note).toContain('办件不足 7 件');
    await page.context().close();
  });
});
