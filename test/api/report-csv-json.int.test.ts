/**
 * GET /reports/monthly: the CSV carries the JSON's figures, section by section (session 25). A small
 * October 2025 with a holiday week (1–8 Oct) and a make-up Saturday (11 Oct), a late completion, an
 * early one, an overdue case left open and cases of a street under the district; every headline figure,
 * center row and department row of the CSV is compared with the JSON of the same report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyReport } from '../../src/projections/report.js';
import type { KpiSet } from '../../src/projections/stats.js';
import { headline } from '../../src/projections/report/growth.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;

const EVENTS: [string, Record<string, unknown>][] = [
  ['H', accepted('H', '2024-10-15T09:00:00+08:00', { centerId: 'D', departmentId: 'market' })],
  ['H', { type: 'CaseCompleted', occurredAt: '2024-10-16T09:00:00+08:00', outcome: 'approved' }],
  ['B', accepted('B', '2025-09-30T10:00:00+08:00', { centerId: 'D', departmentId: 'health', promisedDays: 3 })],
  [
    'A',
    accepted('A', '2025-10-09T09:00:00+08:00', {
      centerId: 'D',
      departmentId: 'health',
      kind: 'instant',
      promisedDays: 0,
      category: 'public-service',
    }),
  ],
  [
    'C',
    accepted('C', '2025-10-09T09:00:00+08:00', {
      centerId: 'D',
      departmentId: 'agri',
      promisedDays: 2,
      category: 'licensing',
    }),
  ],
  ['A', { type: 'CaseCompleted', occurredAt: '2025-10-09T10:00:00+08:00', outcome: 'approved' }],
  ['B', { type: 'CaseCompleted', occurredAt: '2025-10-11T15:00:00+08:00', outcome: 'approved' }],
  ['C', { type: 'CaseCompleted', occurredAt: '2025-10-13T09:00:00+08:00', outcome: 'approved' }],
  ['DD', accepted('DD', '2025-10-20T09:00:00+08:00', { centerId: 'S', departmentId: 'agri', category: 'licensing' })],
  ['DD', { type: 'CaseCompleted', occurredAt: '2025-10-22T09:00:00+08:00', outcome: 'approved' }],
  ['F', accepted('F', '2025-10-27T09:00:00+08:00', { centerId: 'D', departmentId: 'health', promisedDays: 2 })],
  ['E', accepted('E', '2025-10-31T23:59:00+08:00', { centerId: 'S', departmentId: 'health', promisedDays: 1 })],
  ['E', { type: 'CaseCompleted', occurredAt: '2025-11-01T00:00:00+08:00', outcome: 'approved' }],
];

beforeAll(async () => {
  srv = await startTestServer({ now: '2024-10-01T08:00:00+08:00' });
  const put = await call(srv.baseUrl, 'PUT', '/directory', {
    token: TOKENS.admin,
    body: {
      centers: [
        { centerId: 'D', name: '五华区政务服务中心', level: 'district' },
        { centerId: 'S', name: '红云街道为民服务中心', level: 'street', parentId: 'D' },
      ],
      departments: [
        { departmentId: 'health', name: '区卫计局', centerId: 'D' },
        { departmentId: 'agri', name: '区农林局', centerId: 'D' },
        { departmentId: 'market', name: '区市场监管局', centerId: 'D' },
      ],
    },
  });
  expect(put.status, put.text).toBe(200);
  for (const [caseId, body] of EVENTS) {
    srv.clock.set(body.occurredAt as string);
    const res = await call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
    expect(res.status, res.text).toBe(201);
  }
  srv.clock.set('2025-12-15T09:00:00+08:00');
}, 60_000);
afterAll(async () => {
  await srv.close();
});

/** The CSV's sections: title → rows of cells (the CSV has no quoted commas in these sections). */
function sections(csv: string): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  for (const block of csv.replace(/^\uFEFF/, '').split('\r\n\r\n')) {
    const [title, ...rows] = block.split('\r\n').filter((l) => l !== '');
    out.set(
      title!,
      rows.map((r) => r.split(',')),
    );
  }
  return out;
}

const pct = (rate: unknown) => (rate === null ? '' : `${Number(((rate as number) * 100).toFixed(2))}%`);
const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));

describe('GET /reports/monthly: the CSV carries the JSON figures', () => {
  it('headline figures, centers, departments and cards agree, and are the figures worked out by hand', async () => {
    const json = await call(srv.baseUrl, 'GET', '/reports/monthly?month=2025-10&centerId=D', { token: TOKENS.monitor });
    expect(json.status, json.text).toBe(200);
    const report = json.body as MonthlyReport;
    const csvRes = await call(srv.baseUrl, 'GET', '/reports/monthly?month=2025-10&centerId=D', {
      token: TOKENS.monitor,
      headers: { accept: 'text/csv' },
    });
    expect(csvRes.status).toBe(200);
    const csv = sections(csvRes.text);

    // By hand (src/projections/reportHandChecked.test.ts has the working).
    expect(report.filter).toMatchObject({ centerId: 'D', scope: 'subtree', centers: ['D', 'S'] });
    expect(report.kpis.cohort).toMatchObject({ accepted: 5, completed: 3, inProgress: 2, completionRate: 0.6 });
    expect(report.kpis.flow).toMatchObject({
      completedInPeriod: 4,
      onTimeRate: 0.75,
      earlyRate: 0.3333,
      cardsTotal: 5,
    });

    const main = csv.get('主要指标')!;
    const byName = new Map(main.slice(1).map((r) => [r[0]!, r]));
    const FIGURES: [string, 'cohort' | 'flow', string, 'count' | 'rate'][] = [
      ['受理', 'cohort', 'accepted', 'count'],
      ['办结（本月受理）', 'cohort', 'completed', 'count'],
      ['在办', 'cohort', 'inProgress', 'count'],
      ['办结率', 'cohort', 'completionRate', 'rate'],
      ['现场办结率', 'cohort', 'instantCompletionRate', 'rate'],
      ['即办件率', 'cohort', 'instantShare', 'rate'],
      ['本月办结', 'flow', 'completedInPeriod', 'count'],
      ['按时办结率', 'flow', 'onTimeRate', 'rate'],
      ['提前办结率', 'flow', 'earlyRate', 'rate'],
      ['逾期率', 'flow', 'overdueRate', 'rate'],
      ['承诺件平均用时（工作日）', 'flow', 'avgUsedDays', 'count'],
      ['办件红黄牌', 'flow', 'cardsTotal', 'count'],
    ];
    for (const [name, part, field, kind] of FIGURES) {
      const row = byName.get(name);
      expect(row, name).toBeDefined();
      const show = (k: KpiSet) => (kind === 'rate' ? pct(headline(k, part, field)) : cell(headline(k, part, field)));
      expect(row![1], `${name} 本月`).toBe(show(report.kpis));
      expect(row![2], `${name} 去年同月`).toBe(show(report.previousYear.kpis));
      expect(row![4], `${name} 上月`).toBe(show(report.previousMonth.kpis));
      const growth = (g: { unit: string; value: number | null }) =>
        g.value === null
          ? ''
          : g.value === 0
            ? '持平'
            : `${g.value > 0 ? (g.unit === 'percent' ? '增长' : '上升') : '下降'}${Math.abs(g.value)}${g.unit === 'percent' ? '%' : '个百分点'}`;
      expect(row![3], `${name} 同比`).toBe(growth(report.previousYear.growth[field as keyof MonthlyReport['deltas']]));
      expect(row![5], `${name} 环比`).toBe(growth(report.previousMonth.growth[field as keyof MonthlyReport['deltas']]));
    }

    const centers = csv.get('各服务中心（按层级，受理量排名）')!;
    expect(centers.slice(1).map((r) => [r[2], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13]])).toEqual(
      report.centers.map((c) => [
        c.centerId,
        cell(c.accepted),
        cell(c.completed),
        cell(c.inProgress),
        pct(c.completionRate),
        cell(c.completedInPeriod),
        pct(c.onTimeRate),
        cell(c.openAtEnd),
        cell(c.overdueOpenAtEnd),
        pct(c.overdueRate),
        cell(c.cardsTotal),
      ]),
    );
    const departments = csv.get('各部门')!;
    expect(
      departments.slice(1).map((r) => [r[0], r[2], r[4], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[16]]),
    ).toEqual(
      report.departments.map((d) => [
        d.departmentId,
        cell(d.accepted),
        cell(d.inProgress),
        cell(d.completedInPeriod),
        cell(d.onTime),
        cell(d.late),
        pct(d.onTimeRate),
        pct(d.earlyRate),
        cell(d.openAtEnd),
        cell(d.overdueOpenAtEnd),
        cell(d.avgUsedDays),
      ]),
    );
    const cards = csv.get('本月红黄牌')!;
    expect(cards.find((r) => r[0] === '合计')?.[2]).toBe(String(report.cards.total));
    expect(cards.find((r) => r[0] === '办件小计')?.[2]).toBe(String(report.kpis.flow.cardsTotal));
    expect(csv.get('概述')![1]!.join(',')).toBe(report.summary);
  });
});

describe('GET /reports/monthly: a month the report cannot compare', () => {
  it('a month before 1971 is refused naming month and why', async () => {
    const res = await call(srv.baseUrl, 'GET', '/reports/monthly?month=1970-06', { token: TOKENS.monitor });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'month', message: 'must be 1971-01 or later (it is compared with a year earlier)' },
    ]);
    // A malformed month keeps its own message.
    const bad = await call(srv.baseUrl, 'GET', '/reports/monthly?month=2025-13', { token: TOKENS.monitor });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('month');
    expect(bad.body.error.details[0].message).toMatch(/must be a month YYYY-MM/);
  });
});
