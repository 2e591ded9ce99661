import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARD_COLORS, CARD_RULES } from '../domain/lists.js';
import type { AlertView, ComplaintAlertView } from '../projections/types.js';
import { ALERT_SORTS, alertPage, alertSubjectId, summarise } from './alertPage.js';

interface RawAlert {
  readonly caseNo: number;
  readonly rule: (typeof CARD_RULES)[number];
  readonly color: (typeof CARD_COLORS)[number];
  readonly center: string;
  readonly dept: string;
  readonly startedMinute: number;
}

const alertArb: fc.Arbitrary<RawAlert> = fc.record({
  caseNo: fc.integer({ min: 1, max: 30 }),
  rule: fc.constantFrom(...CARD_RULES),
  color: fc.constantFrom(...CARD_COLORS),
  center: fc.constantFrom('c1', 'c2', 'c3'),
  dept: fc.constantFrom('d1', 'd2'),
  startedMinute: fc.integer({ min: 0, max: 50 }),
});

function toAlerts(raw: readonly RawAlert[]): AlertView[] {
  const byKey = new Map<string, AlertView>();
  for (const r of raw) {
    const caseId = `C-${r.caseNo}`;
    const key = `${caseId}/${r.rule}/${r.startedMinute}`; // two escalations of a case: two alerts of one rule
    byKey.set(key, {
      key,
      subject: 'case',
      caseId,
      rule: r.rule,
      color: r.color,
      centerId: r.center,
      departmentId: r.dept,
      matterCode: 'm',
      startedAt: new Date(Date.UTC(2025, 8, 1, 0, r.startedMinute)).toISOString(),
      calendarVersion: 'v',
      policyVersion: 'p',
    });
  }
  return [...byKey.values()];
}

const overdueOf = (caseId: string): number => Number(caseId.slice(2)) % 7;

describe('alertPage', () => {
  it('law: walking the pages visits every alert exactly once, in the sort order, whatever the page size', () => {
    fc.assert(
      fc.property(
        fc.array(alertArb, { maxLength: 60 }),
        fc.constantFrom(...ALERT_SORTS),
        fc.integer({ min: 1, max: 17 }),
        (raw, sort, limit) => {
          const alerts = toAlerts(raw);
          const seen: string[] = [];
          const values: number[] = [];
          for (let offset = 0; offset < alerts.length + limit; offset += limit) {
            const page = alertPage(alerts, overdueOf, { sort, offset, limit });
            expect(page.total).toBe(alerts.length);
            expect(page.count).toBe(page.alerts.length);
            expect(page.count).toBeLessThanOrEqual(limit);
            for (const a of page.alerts) {
              seen.push(a.key);
              expect(a.overdueDays).toBe(overdueOf(alertSubjectId(a)));
              values.push(sort.endsWith('overdueDays') ? a.overdueDays : Date.parse(a.startedAt));
            }
          }
          expect([...seen].sort()).toEqual(alerts.map((a) => a.key).sort());
          const sign = sort.startsWith('-') ? -1 : 1;
          for (let i = 1; i < values.length; i++)
            expect(sign * (values[i]! - values[i - 1]!)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('law: the summary counts each case once per cell (colour, rule, center, department), as the case list it links to does', () => {
    fc.assert(
      fc.property(fc.array(alertArb, { maxLength: 60 }), (raw) => {
        const alerts = toAlerts(raw);
        const s = summarise(alerts);
        const cases = (xs: readonly AlertView[]) => new Set(xs.map((a) => a.caseId)).size;
        for (const color of ['red', 'yellow'] as const) {
          expect(s[color]).toBe(cases(alerts.filter((a) => a.color === color)));
          for (const c of s.byCenter) {
            expect(c[color]).toBe(cases(alerts.filter((a) => a.centerId === c.centerId && a.color === color)));
          }
          for (const d of s.byDepartment) {
            const mine = alerts.filter(
              (a) => a.centerId === d.centerId && a.departmentId === d.departmentId && a.color === color,
            );
            expect(d[color]).toBe(cases(mine));
          }
        }
        for (const r of s.byRule) {
          expect(r.count).toBe(cases(alerts.filter((a) => a.rule === r.rule && a.color === r.color)));
        }
        expect(new Set(s.byRule.map((r) => `${r.rule}/${r.color}`))).toEqual(
          new Set(alerts.map((a) => `${a.rule}/${a.color}`)),
        );
      }),
    );
  });

  it('counts a case with two alerts of one rule once (the case list it links to counts cases)', () => {
    const alerts = toAlerts([
      { caseNo: 1, rule: 'escalation-unanswered', color: 'red', center: 'c1', dept: 'd1', startedMinute: 1 },
      { caseNo: 1, rule: 'escalation-unanswered', color: 'red', center: 'c1', dept: 'd1', startedMinute: 2 },
    ]);
    const s = summarise(alerts);
    expect(s.red).toBe(1);
    expect(s.byRule).toEqual([{ rule: 'escalation-unanswered', color: 'red', count: 1 }]);
    expect(s.byCenter[0]?.red).toBe(1);
  });

  it('asks for the overdue days of the page only when sorting by start', () => {
    const alerts = toAlerts(
      Array.from({ length: 20 }, (_, i) => ({
        caseNo: i + 1,
        rule: 'overdue' as const,
        color: 'red' as const,
        center: 'c1' as const,
        dept: 'd1' as const,
        startedMinute: i,
      })),
    );
    const asked: string[] = [];
    const page = alertPage(
      alerts,
      (id) => {
        asked.push(id);
        return 1;
      },
      { sort: '-startedAt', offset: 0, limit: 5 },
    );
    expect(page.alerts.map((a) => a.caseId)).toEqual(['C-20', 'C-19', 'C-18', 'C-17', 'C-16']);
    expect(asked).toHaveLength(5);
  });

  it('sorts the most overdue first with -overdueDays (the oldest overdue case on page one)', () => {
    const alerts = toAlerts(
      [3, 9, 14, 1].map((caseNo, i) => ({
        caseNo,
        rule: 'overdue' as const,
        color: 'red' as const,
        center: 'c1' as const,
        dept: 'd1' as const,
        startedMinute: i,
      })),
    );
    const page = alertPage(alerts, (id) => Number(id.slice(2)), { sort: '-overdueDays', offset: 0, limit: 2 });
    expect(page.alerts.map((a) => [a.caseId, a.overdueDays])).toEqual([
      ['C-14', 14],
      ['C-9', 9],
    ]);
    expect(page.total).toBe(4);
  });

  it('says how many of each cell are complaints, each counted once (a complaint id equal to a case id is another subject)', () => {
    const cases = toAlerts([
      { caseNo: 1, rule: 'overdue', color: 'red', center: 'c1', dept: 'd1', startedMinute: 1 },
      { caseNo: 2, rule: 'deadline-warning', color: 'yellow', center: 'c1', dept: 'd1', startedMinute: 2 },
    ]);
    const complaint = (id: string, rule: ComplaintAlertView['rule'], color: 'red' | 'yellow'): ComplaintAlertView => ({
      key: `complaint-${id}/${rule}`,
      subject: 'complaint',
      complaintId: id,
      rule,
      color,
      centerId: 'c1',
      departmentId: 'd1',
      startedAt: '2025-09-01T00:00:00.000Z',
      calendarVersion: 'v',
      policyVersion: 'p',
    });
    const s = summarise([
      ...cases,
      complaint('C-1', 'complaint-undecided', 'red'),
      complaint('C-2', 'complaint-overdue', 'red'),
      complaint('C-2', 'complaint-undecided', 'red'),
      complaint('C-3', 'complaint-answer-warning', 'yellow'),
    ]);
    expect([s.red, s.yellow, s.complaints]).toEqual([3, 2, { red: 2, yellow: 1 }]);
    expect(s.byCenter).toEqual([{ centerId: 'c1', red: 3, yellow: 2, complaints: { red: 2, yellow: 1 } }]);
    expect(s.byDepartment[0]?.complaints).toEqual({ red: 2, yellow: 1 });
    expect(s.byRule.find((r) => r.rule === 'complaint-undecided')?.count).toBe(2);
  });
});
