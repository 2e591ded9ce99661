/**
 * Laws of the monthly report: growth is a percentage change for counts and
 * percentage points for rates; the split, the center table and the open cases
 * by department add up to the month's totals; each level is ranked by cases
 * accepted; every number of the summary is one of the report's figures.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Directory } from '../domain/directory.js';
import { parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { DirectoryBook } from './directoryEvents.js';
import { percentChange, pointChange } from './report/growth.js';
import { REPORT_CATEGORIES } from './report/tables.js';
import type { MonthlyReport } from './report.js';
import type { KpiSet } from './stats.js';
import { percentText } from './summary.js';
import { appendBody, makeRig, type Body, type Rig } from './testSupport.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

describe('growth', () => {
  it('a count grows by (now − before) / before × 100 %, null from 0; the sign follows the change', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (now, before) => {
        const g = percentChange(now, before);
        if (before === 0) {
          expect(g).toBeNull();
          return;
        }
        expect(g).not.toBeNull();
        if (now > before) expect(g!).toBeGreaterThanOrEqual(0);
        if (now < before) expect(g!).toBeLessThanOrEqual(0);
        if (now === before) expect(g).toBe(0);
        // Back from the percentage to the count, within the rounding of 2 decimals.
        expect(Math.abs(before * (1 + g! / 100) - now)).toBeLessThanOrEqual(before * 0.00005 + 1e-9);
      }),
    );
  });

  it('a rate moves by percentage points: (now − before) × 100, null when either is null', () => {
    const rate = fc.option(fc.integer({ min: 0, max: 10_000 }).map((x) => x / 10_000));
    fc.assert(
      fc.property(rate, rate, (now, before) => {
        const p = pointChange(now, before);
        if (now === null || before === null) {
          expect(p).toBeNull();
          return;
        }
        expect(p).toBeCloseTo((now - before) * 100, 6);
      }),
    );
  });

  it('percentText shows a rate with at most 2 decimals and no trailing zeros', () => {
    expect(percentText(0.9953)).toBe('99.53%');
    expect(percentText(1)).toBe('100%');
    expect(percentText(0.5)).toBe('50%');
  });
});

const CENTERS = ['city', 'east', 'west', 'north', 'ghost'] as const;
const DIRECTORY: Directory = {
  centers: [
    { centerId: 'city', name: '市政务服务中心', level: 'district' },
    { centerId: 'east', name: '东街道为民服务中心', level: 'street', parentId: 'city' },
    { centerId: 'west', name: '西街道为民服务中心', level: 'street', parentId: 'city' },
    { centerId: 'north', name: '北社区服务站', level: 'community', parentId: 'east' },
  ],
  departments: [{ departmentId: 'd1', name: '区卫健局' }],
};

const caseArb = fc.record({
  center: fc.constantFrom(...CENTERS),
  department: fc.constantFrom('d1', 'd2', 'd3'),
  category: fc.constantFrom('licensing', 'public-service', undefined),
  month: fc.constantFrom('2024-03', '2025-02', '2025-03', '2025-03'),
  day: fc.integer({ min: 1, max: 28 }),
  doneAfterDays: fc.option(fc.integer({ min: 0, max: 12 })),
  promisedDays: fc.integer({ min: 1, max: 8 }),
  rating: fc.option(
    fc.record({
      afterDays: fc.integer({ min: 0, max: 40 }),
      score: fc.integer({ min: 1, max: 5 }),
      followUpAfterDays: fc.option(fc.integer({ min: 0, max: 30 })),
    }),
  ),
});

function eventsOf(cases: readonly CaseSpec[]): Body[] {
  const out: Body[] = [];
  cases.forEach((c, i) => {
    const at = parseInstant(`${c.month}-${String(c.day).padStart(2, '0')}T10:00:00+08:00`);
    out.push({
      type: 'CaseAccepted',
      caseId: `P-${i}`,
      occurredAt: new Date(at).toISOString(),
      centerId: c.center,
      departmentId: c.department,
      matterCode: 'M1',
      kind: 'promised',
      promisedDays: c.promisedDays,
      channel: 'window',
      ...(c.category === undefined ? {} : { category: c.category }),
    });
    if (c.doneAfterDays !== null) {
      out.push({
        type: 'CaseCompleted',
        caseId: `P-${i}`,
        occurredAt: new Date(at + c.doneAfterDays * 86_400_000 + 3_600_000).toISOString(),
        outcome: 'approved',
      });
      if (c.rating !== null) {
        const ratedAt = at + (c.doneAfterDays + c.rating.afterDays) * 86_400_000 + 7_200_000;
        out.push({
          type: 'CaseRated',
          caseId: `P-${i}`,
          occurredAt: new Date(ratedAt).toISOString(),
          score: c.rating.score,
          channel: 'online',
        });
        if (c.rating.score <= 2 && c.rating.followUpAfterDays !== null) {
          out.push({
            type: 'RatingFollowedUp',
            caseId: `P-${i}`,
            occurredAt: new Date(ratedAt + c.rating.followUpAfterDays * 86_400_000 + 3_600_000).toISOString(),
            note: '已回访',
          });
        }
      }
    }
  });
  return out.sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));
}

interface CaseSpec {
  readonly month: string;
  readonly center: string;
  readonly department: string;
  readonly category: string | undefined;
  readonly day: number;
  readonly doneAfterDays: number | null;
  readonly promisedDays: number;
  readonly rating: { afterDays: number; score: number; followUpAfterDays: number | null } | null;
}

async function reportOf(cases: readonly CaseSpec[]): Promise<MonthlyReport> {
  let now = 0;
  const store = new MemoryEventStore({ clock: () => now });
  for (const e of eventsOf(cases)) {
    now = parseInstant(e.occurredAt);
    await appendBody(store, e);
  }
  const directory = new DirectoryBook();
  directory.add(0n, { ...DIRECTORY, publishedAt: '2025-01-01T00:00:00+08:00' });
  const rig = await makeRig('2025-04-20T09:00:00+08:00', { store, directory });
  rigs.push(rig);
  const rm = rig.projections.readModels;
  const report = rm.monthlyReport('2025-03');
  // The one-pass figures equal /stats for each month and table.
  const stats = (from: string, to: string, groupBy?: 'department' | 'center' | 'category') =>
    rm.stats({ from, to, ...(groupBy === undefined ? {} : { groupBy }) });
  const strip = ({ cohort, flow }: { cohort: unknown; flow: unknown }) => ({ cohort, flow });
  expect(report.kpis).toEqual(strip(stats('2025-03-01', '2025-04-01')));
  expect(report.previousYear.kpis).toEqual(strip(stats('2024-03-01', '2024-04-01')));
  expect(report.previousMonth.kpis).toEqual(strip(stats('2025-02-01', '2025-03-01')));
  // The ratings section: the same figures as /stats, for each month and each department (one pass too).
  expect(report.ratings.figures).toEqual(stats('2025-03-01', '2025-04-01').ratings);
  expect(report.ratings.previousYear.figures).toEqual(stats('2024-03-01', '2024-04-01').ratings);
  expect(report.ratings.previousMonth.figures).toEqual(stats('2025-02-01', '2025-03-01').ratings);
  const rated = (stats('2025-03-01', '2025-04-01', 'department').groups ?? []).filter(
    // A follow-up recorded alone (due in another month) is no row of the table (feedback.ts hasSatisfactionRow).
    (g) => g.ratings !== undefined && g.ratings.rated + g.ratings.followUpsDue > 0,
  );
  expect(report.ratings.departments.map((d) => [d.departmentId, d.rated, d.badRatings, d.followUpsDue])).toEqual(
    rated.map((g) => [g.key, g.ratings?.rated, g.ratings?.badRatings, g.ratings?.followUpsDue]),
  );
  // /stats also lists groups with ratings only; the report's case tables have the groups with case figures.
  const caseActive = (g: { cohort: { accepted: number }; flow: KpiSet['flow'] }) =>
    g.cohort.accepted + g.flow.completedInPeriod + g.flow.openAtEnd + g.flow.cardsTotal + g.flow.escalations.total > 0;
  const keys = (by: 'department' | 'center' | 'category') =>
    (stats('2025-03-01', '2025-04-01', by).groups ?? [])
      .filter(caseActive)
      .map((g) => [g.key, g.cohort.accepted, g.flow.openAtEnd]);
  expect(report.departments.map((d) => [d.departmentId, d.accepted, d.openAtEnd])).toEqual(keys('department'));
  expect(
    [...report.centers]
      .sort((a, b) => (a.centerId < b.centerId ? -1 : 1))
      .map((c) => [c.centerId, c.accepted, c.openAtEnd]),
  ).toEqual(keys('center'));
  await rig.projections.stop();
  rigs.pop();
  return report;
}

/** The report's figures as the summary would print them. */
function figureTexts(r: MonthlyReport): Set<string> {
  const out = new Set<string>(['2025', '3']);
  const add = (x: unknown): void => {
    if (typeof x === 'number') {
      // A fall is printed as its size after 下降 ("同比下降50%"), so -50 is the figure behind "50".
      out.add(String(Math.abs(x)));
      if (x >= 0 && x <= 1) out.add(percentText(x).replace('%', ''));
    } else if (Array.isArray(x)) x.forEach(add);
    else if (typeof x === 'object' && x !== null) Object.values(x).forEach(add);
  };
  add({ ...r, summary: undefined, asOf: undefined });
  return out;
}

describe('the report adds up (random months through the real fold)', () => {
  it('split, centers and open cases by department sum to the totals; levels ranked; summary numbers are figures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 0, maxLength: 30 }), async (cases) => {
        const r = await reportOf(cases);
        const { accepted, inProgress } = r.kpis.cohort;
        expect(r.categories.map((c) => c.category)).toEqual([...REPORT_CATEGORIES]);
        expect(r.categories.reduce((s, c) => s + c.accepted, 0)).toBe(accepted);
        expect(r.centers.reduce((s, c) => s + c.accepted, 0)).toBe(accepted);
        expect(r.departments.reduce((s, d) => s + d.inProgress, 0)).toBe(inProgress);
        expect(r.unregisteredCenters.accepted).toBe(
          r.centers.filter((c) => c.centerId === 'ghost').reduce((s, c) => s + c.accepted, 0),
        );
        for (const level of new Set(r.centers.map((c) => c.level))) {
          const rows = r.centers.filter((c) => c.level === level);
          expect(rows.map((c) => c.rank)).toEqual(rows.map((_, i) => i + 1));
          for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.accepted).toBeGreaterThanOrEqual(rows[i]!.accepted);
        }
        expect(r.cards.total).toBe(r.cards.yellow + r.cards.red);
        expect(r.summary.includes('未出现黄牌、红牌情况')).toBe(r.cards.total === 0);
        const figures = figureTexts(r);
        // Ids not in the directory are quoted (“d3”), so their digits are no figure.
        const text = r.summary.slice(0, r.summary.indexOf('（统计依据')).replace(/“[^”]*”/g, '');
        for (const n of text.match(/\d+(\.\d+)?/g) ?? []) expect(figures, `${n} in: ${text}`).toContain(n);
      }),
      {
        numRuns: 30,
        // CI found it (session 20): a 差评 of February followed up in March, and nothing else in March.
        examples: [
          [
            [
              {
                center: 'city',
                department: 'd1',
                category: 'licensing',
                month: '2025-02',
                day: 1,
                doneAfterDays: 0,
                promisedDays: 1,
                rating: { afterDays: 4, score: 1, followUpAfterDays: 24 },
              },
            ],
          ],
        ],
      },
    );
  }, 120_000);
});
