/**
 * The monthly report page against the real engine in headless Chromium: the
 * opening paragraph at the top, the sections with growth and ranking, and the
 * page printed to PDF by Chromium as a document (no nav bar, no buttons, the
 * sections on their own pages). The PDF's first pages are turned into PNGs
 * with poppler's pdftoppm and kept in test/artifacts/ to be looked at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthEvents } from '../../src/projections/reportMonthFixture.js';
import {
  ARTIFACTS,
  PHONE,
  TOKENS,
  ZONE,
  getJson,
  launchBrowser,
  openPage,
  postEvents,
  screenshot,
  startWebServer,
  type WebServer,
} from './harness.js';

const MONTH = '2025-09';
/** A4 (210 mm) less the print margins (15 mm each side), in CSS pixels: the width a printed page lays out in. */
const A4_CONTENT = { width: Math.floor((180 / 25.4) * 96), height: 1000 };
const DIRECTORY = {
  centers: [
    { centerId: 'wuhua', name: '五华区人民政府政务服务中心', level: 'district' },
    { centerId: 'hongyun', name: '红云街道为民服务中心', level: 'street', parentId: 'wuhua' },
    { centerId: 'huashan', name: '华山街道为民服务中心', level: 'street', parentId: 'wuhua' },
    { centerId: 'daguan', name: '大观街道为民服务中心', level: 'street', parentId: 'wuhua' },
  ],
  departments: [
    { departmentId: 'health', name: '区卫计局', centerId: 'wuhua' },
    { departmentId: 'agri', name: '区农林局', centerId: 'wuhua' },
    { departmentId: 'market', name: '区市场监管局', centerId: 'wuhua' },
  ],
};

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  const put = await fetch(`${server.baseUrl}/directory`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(DIRECTORY),
  });
  expect(put.status).toBeLessThan(300);
  const plan = {
    zone: ZONE,
    inProgress: [
      { departmentId: 'health', count: 4 },
      { departmentId: 'agri', count: 1 },
    ],
    departments: ['market', 'health', 'agri'],
  };
  const events = [
    ...monthEvents({
      ...plan,
      month: '2024-09',
      centers: [{ centerId: 'wuhua', accepted: 76 }],
      inProgress: [],
      licensing: 40,
      idPrefix: 'Y',
    }),
    ...monthEvents({
      ...plan,
      month: '2025-08',
      centers: [{ centerId: 'wuhua', accepted: 90 }],
      inProgress: [],
      licensing: 50,
      idPrefix: 'A',
    }),
    ...monthEvents({
      ...plan,
      month: MONTH,
      centers: [
        { centerId: 'wuhua', accepted: 60 },
        { centerId: 'hongyun', accepted: 22 },
        { centerId: 'huashan', accepted: 11 },
        { centerId: 'daguan', accepted: 7 },
      ],
      licensing: 58,
      idPrefix: 'S',
    }),
  ];
  for (let i = 0; i < events.length; i += 1000) await postEvents(server.baseUrl, events.slice(i, i + 1000));
  // 好差评 of eight September cases (completed by 09-28): 5 satisfied of 8, two 差评.
  const scores = [5, 5, 4, 5, 4, 3, 2, 1];
  await postEvents(
    server.baseUrl,
    scores.map((score, i) => ({
      type: 'CaseRated',
      caseId: `S-${i + 1}`,
      occurredAt: '2025-09-30T10:00:00+08:00',
      score,
      channel: 'online',
    })),
  );
  // 效能投诉: two accepted, one answered (substantiated, 区卫计局) and closed.
  const complaint = (id: string, body: Record<string, unknown>) =>
    fetch(`${server.baseUrl}/complaints/${id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => expect(r.status, `${id} ${body.type}`).toBe(201));
  for (const [id, day] of [
    ['Q-1', '10'],
    ['Q-2', '11'],
  ] as const) {
    await complaint(id, {
      type: 'ComplaintReceived',
      occurredAt: `2025-09-${day}T09:00:00+08:00`,
      channel: 'hotline',
      centerId: 'wuhua',
      departmentId: 'health',
      subject: '窗口推诿',
    });
    await complaint(id, { type: 'ComplaintAccepted', occurredAt: `2025-09-${day}T10:00:00+08:00` });
  }
  await complaint('Q-1', {
    type: 'ComplaintAnswered',
    occurredAt: '2025-09-15T10:00:00+08:00',
    finding: 'substantiated',
  });
  await complaint('Q-1', {
    type: 'ComplaintClosed',
    occurredAt: '2025-09-16T10:00:00+08:00',
    satisfaction: 'satisfied',
  });
  // Until the projection has folded every case and complaint (POST answers once stored, not once projected).
  for (let tries = 0; tries < 100; tries++) {
    const r = await getJson(server.baseUrl, `/reports/monthly?month=${MONTH}`, TOKENS.monitor);
    if (r.kpis.cohort.accepted === 100 && r.ratings.figures.rated === 8 && r.complaints.figures.closed === 1) break;
    await new Promise((done) => setTimeout(done, 100));
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('monthly report page', () => {
  it('opens on the paragraph, shows growth, the split and the ranking, and prints as a document without the nav bar', async () => {
    const report = await getJson(server.baseUrl, `/reports/monthly?month=${MONTH}`, TOKENS.monitor);
    expect(report.kpis.cohort.accepted).toBe(100);
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports?month=${MONTH}`);
    await page.locator('#summary').filter({ hasText: '各窗口共受理' }).waitFor();

    expect(await page.locator('#summary').textContent()).toBe(report.summary);
    expect(report.summary).toContain('接件总数同比增长31.58%'); // 100 against 76
    expect(await page.locator('#kpis tr[data-kpi="accepted"] [data-role="yoy"]').textContent()).toBe('+31.58%');
    expect(await page.locator('#kpis tr[data-kpi="accepted"] [data-role="mom"]').textContent()).toBe('+11.11%'); // 100 against 90
    expect(await page.locator('#categories tr[data-category="licensing"] td').first().textContent()).toBe('58');
    // A rate reads one way on the page: the paragraph's 按时办结率 is the figures table's (it printed 99.0% beside 98.95%).
    const onTime = /按时办结率为([\d.]+%)/.exec(report.summary)?.[1];
    expect(onTime).toBe('100%');
    expect(await page.locator('#kpis tr[data-kpi="onTimeRate"] [data-role="now"]').textContent()).toBe(onTime);
    const streets = await page
      .locator('#centers tr[data-level="street"]')
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector('[data-role="rank"]')?.textContent, r.querySelector('th')?.textContent]),
      );
    expect(streets).toEqual([
      ['1', '红云街道为民服务中心'],
      ['2', '华山街道为民服务中心'],
      ['3', '大观街道为民服务中心'],
    ]);
    // 效能投诉 and 好差评: the month's figures, and satisfaction per department with the directory's names.
    // 本月办结 (the month's closures) and 本月受理且已办结 (the base of 办结率), each named for what it counts.
    expect(report.summary).toContain(
      `全月收到效能投诉2件，受理2件，本月办结${report.complaints.figures.closed}件，本月受理且已办结1件，办结率（本月受理的）50%`,
    );
    expect(report.summary).toContain('好差评评价8次，满意率62.5%，差评2件');
    const cell = (table: string, row: string, role: string) =>
      page.locator(`#${table} tr[data-figure="${row}"] [data-role="${role}"]`).textContent();
    expect(await cell('complaint-figures', 'accepted', 'now')).toBe('2');
    expect(await cell('complaint-figures', 'closedRate', 'now')).toBe('50%');
    expect(await cell('rating-figures', 'rated', 'now')).toBe('8');
    expect(await cell('rating-figures', 'satisfactionRate', 'now')).toBe('62.5%');
    expect(await cell('rating-figures', 'rated', 'yoy')).toBe('—'); // nothing rated a year earlier: no base
    expect(await page.locator('#complaint-departments tr[data-department="health"] th').textContent()).toBe('区卫计局');
    const satisfaction = await page
      .locator('#satisfaction tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.querySelector('th')?.textContent,
          r.querySelector('[data-role="satisfaction"]')?.textContent,
        ]),
      );
    // S-i is in departments[i % 3]: health rates 5, 5, 2 · agri 5, 4, 1 · market 4, 3; rows in id order.
    expect(satisfaction).toEqual([
      ['区农林局', '66.67%'],
      ['区卫计局', '66.67%'],
      ['区市场监管局', '50%'],
    ]);
    await screenshot(page, 'report-desktop');

    // Printed by Chromium: the document, not the application around it.
    mkdirSync(ARTIFACTS, { recursive: true });
    const pdfPath = `${ARTIFACTS}report-print.pdf`;
    writeFileSync(pdfPath, await page.pdf({ format: 'A4', printBackground: true }));
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ''); // pdftotext wraps lines inside names
    expect(flat).toContain('概述Summary');
    for (const section of ['效能投诉Complaints', '好差评Ratings', '各部门满意度Satisfactionbydepartment']) {
      expect(flat, `${section} is printed`).toContain(section);
    }
    // Every table printed whole: the last column of each is on the page.
    for (const lastHeader of ['同比Change', '按时办结率On', 'Cards', 'Yellow', 'Yearearlier']) {
      expect(flat, `${lastHeader} is printed`).toContain(lastHeader);
    }
    expect(flat).toContain('红云街道为');
    for (const chrome of ['告警看板', '退出', '下载CSV', '查询Show', '打印Print', '电子监察e-supervision']) {
      expect(flat, `${chrome} is not printed`).not.toContain(chrome);
    }
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))?.[1]);
    // summary and figures, centers, departments, cards, complaints, ratings: each section on its page
    expect(pages).toBeGreaterThanOrEqual(6);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', pdfPath, `${ARTIFACTS}report-print`]);

    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'report-phone');
    await page.context().close();
  }, 60_000);

  it('prints every table whole on A4: no column runs past its section, where print would cut it off', async () => {
    // A month of rates as real departments have them (95.24%, not 100%): the widths of the demo's
    // 2026-11 report, whose department table printed 办件黄牌 cut in half.
    const month = '2025-06';
    const cases = Array.from({ length: 21 }, (_, i) => i);
    await postEvents(
      server.baseUrl,
      cases.flatMap((i) => [
        {
          type: 'CaseAccepted',
          caseId: `P-${i}`,
          occurredAt: '2025-06-03T09:00:00+08:00',
          centerId: 'wuhua',
          departmentId: 'market',
          matterCode: 'M-1',
          kind: 'promised',
          promisedDays: 1,
          channel: 'window',
          category: 'licensing',
        },
        // One of 21 completed two working days late: on time 95.24%, overdue 4.76%.
        {
          type: 'CaseCompleted',
          caseId: `P-${i}`,
          occurredAt: `2025-06-0${i === 0 ? 6 : 3}T15:00:00+08:00`,
          outcome: 'approved',
        },
      ]),
    );
    await server.applied();
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor, A4_CONTENT);
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${server.baseUrl}/reports?month=${month}`);
    await page.locator('#departments tbody tr').filter({ hasText: '95.24%' }).waitFor();
    // A section clips what runs past it (its overflow is the screen's scrollbar), so a table wider
    // than its section loses its last columns on paper.
    const tooWide = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLTableElement>('.report-document table'))
        .map((table) => ({ id: table.id, width: table.scrollWidth, room: table.closest('section')?.clientWidth ?? 0 }))
        .filter((t) => t.width > t.room),
    );
    expect(tooWide).toEqual([]);
    // Session 25: the key figures' header printed the month "2025-" over "06"; a month or date is on one line.
    const broken = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.report-document thead th'))
        .flatMap((th) => {
          const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
          const dates: { head: string; date: string; lines: number }[] = [];
          for (let node = walker.nextNode(); node !== null; node = walker.nextNode())
            for (const m of (node.textContent ?? '').matchAll(/\d{4}-\d{2}(-\d{2})?/g)) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
              dates.push({ head: th.textContent ?? '', date: m[0], lines: tops.size });
            }
          return dates;
        })
        .filter((d) => d.lines !== 1),
    );
    expect(await page.locator('#kpis thead th', { hasText: `本月 ${month}` }).count()).toBe(1);
    expect(broken).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('with no month in the address shows the latest month with data', async () => {
    const page = await openPage(browser, server.baseUrl, TOKENS.monitor);
    await page.goto(`${server.baseUrl}/reports`);
    await page.locator('#summary').filter({ hasText: '各窗口共受理' }).waitFor();
    expect(await page.locator('#month').inputValue()).toBe(MONTH);
    await page.goto(`${server.baseUrl}/reports?month=2026-02`);
    await page.locator('#latest-month').waitFor();
    expect(await page.locator('#latest-month').textContent()).toBe(MONTH);
    await page.context().close();
  }, 30_000);
});
