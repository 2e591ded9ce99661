import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import type { CardColor, CardRule } from '../domain/types.js';
import { alertsByRule, CASE_SORT_VALUES, type CaseListFilter, type CaseListRow, type CaseSort } from './caseList.js';
import { caseListToCsv } from './caseListCsv.js';
import { CASE_STATUS_NAMES, COLOR_NAMES, KIND_NAMES, RULE_NAMES } from './report/labels.js';
import { CENTERS, DAY, DEPARTMENTS, listFixture, NOW, START } from './listFixture.js';
import { makeRig, ZONE, type Rig } from './testSupport.js';
import type { ReadModels } from './types.js';

let rig: Rig;
let rm: ReadModels;
beforeAll(async () => {
  rig = await makeRig(START - DAY);
  for (const body of listFixture()) {
    rig.scheduler.advanceTo(Math.max(rig.scheduler.clock(), parseInstant(body.occurredAt)));
    await rig.append(body);
  }
  rig.scheduler.advanceTo(NOW);
  rm = rig.projections.readModels;
});
afterAll(async () => {
  await rig.projections.stop();
});

function allPages(filter: CaseListFilter, sort: CaseSort, limit: number): { rows: CaseListRow[]; totals: number[] } {
  const rows: CaseListRow[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = rm.caseList({ ...filter, sort, limit, ...(cursor === undefined ? {} : { cursor }) });
    rows.push(...page.items);
    totals.push(page.total);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor === undefined) return { rows, totals };
    cursor = page.nextCursor;
  }
}

/** The oracle: every case evaluated at now, tested field by field. */
function expectedIds(f: CaseListFilter): string[] {
  const day = (d: string) => parseInstant(`${d}T00:00:00+08:00`);
  const out: string[] = [];
  for (const s of rig.projections.readModels.caseList({ limit: 500 }).items) {
    const alerts = rm.activeAlerts().filter((a) => a.caseId === s.caseId);
    const acceptedAt = Date.parse(s.acceptedAt);
    const completedAt = s.completedAt === null ? undefined : Date.parse(s.completedAt);
    const ok =
      (f.centerId === undefined || s.centerId === f.centerId) &&
      (f.departmentId === undefined || s.departmentId === f.departmentId) &&
      (f.matterCode === undefined || s.matterCode === f.matterCode) &&
      (f.status === undefined || s.status === f.status) &&
      (f.rule === undefined && f.color === undefined
        ? true
        : alerts.some((a) => (f.rule ?? a.rule) === a.rule && (f.color ?? a.color) === a.color)) &&
      (f.overdue === undefined || alerts.some((a) => a.rule === 'overdue') === f.overdue) &&
      (f.acceptedFrom === undefined || acceptedAt >= day(f.acceptedFrom)) &&
      (f.acceptedTo === undefined || acceptedAt < day(f.acceptedTo)) &&
      (f.completedFrom === undefined || (completedAt !== undefined && completedAt >= day(f.completedFrom))) &&
      (f.completedTo === undefined || (completedAt !== undefined && completedAt < day(f.completedTo))) &&
      (f.q === undefined || s.caseId.toLowerCase().startsWith(f.q.toLowerCase())) &&
      (f.openAt === undefined ||
        (acceptedAt < day(f.openAt) && (completedAt === undefined || completedAt >= day(f.openAt))));
    if (ok) out.push(s.caseId);
  }
  return out.sort();
}

const dateArb = fc.integer({ min: 0, max: 100 }).map((d) => formatInstant(START + d * DAY, ZONE).slice(0, 10));
/** Each filter absent four times in five, so most queries combine two or three and match something. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
const filterArb: fc.Arbitrary<CaseListFilter> = fc
  .record({
    centerId: maybe(fc.constantFrom(...CENTERS, 'nowhere')),
    departmentId: maybe(fc.constantFrom(...DEPARTMENTS)),
    matterCode: maybe(fc.constantFrom('m0', 'm1', 'm2')),
    status: maybe(fc.constantFrom('open' as const, 'completed' as const)),
    rule: maybe(fc.constantFrom<CardRule>('overdue', 'deadline-warning', 'escalation-unanswered')),
    color: maybe(fc.constantFrom<CardColor>('red', 'yellow')),
    overdue: maybe(fc.boolean()),
    acceptedFrom: maybe(dateArb),
    acceptedTo: maybe(dateArb),
    completedFrom: maybe(dateArb),
    completedTo: maybe(dateArb),
    q: maybe(fc.constantFrom('wh', 'GD-0', 'gd-01', 'x')),
    openAt: maybe(dateArb),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as CaseListFilter)
  .filter(
    (f) =>
      (f.acceptedFrom === undefined || f.acceptedTo === undefined || f.acceptedTo > f.acceptedFrom) &&
      (f.completedFrom === undefined || f.completedTo === undefined || f.completedTo > f.completedFrom),
  );

describe('the case list', () => {
  it('has the fixture it needs: open, completed, overdue and warned cases', () => {
    const all = rm.caseList({ limit: 500 });
    expect(all.total).toBe(62);
    expect(all.items.some((r) => r.status === 'completed')).toBe(true);
    expect(all.items.some((r) => r.alerts.some((a) => a.rule === 'overdue'))).toBe(true);
    expect(all.items.some((r) => r.overdueDays === 0 && r.status === 'open')).toBe(true);
  });

  it('law: the pages of any filter, sort and page size are exactly the matching cases, each once, in order', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(
        filterArb,
        fc.constantFrom(...CASE_SORT_VALUES),
        fc.integer({ min: 1, max: 13 }),
        (f, sort, limit) => {
          const { rows, totals } = allPages(f, sort, limit);
          const ids = rows.map((r) => r.caseId);
          if (ids.length > 0) nonEmpty++;
          expect(new Set(ids).size).toBe(ids.length);
          expect([...ids].sort()).toEqual(expectedIds(f));
          for (const t of totals) expect(t).toBe(ids.length);
          const dir = sort.startsWith('-') ? -1 : 1;
          for (let i = 1; i < rows.length; i++) {
            const [a, b] = [rows[i - 1]!, rows[i]!];
            if (sort.endsWith('accepted'))
              expect(dir * (Date.parse(b.acceptedAt) - Date.parse(a.acceptedAt))).toBeGreaterThanOrEqual(0);
            if (sort.endsWith('dueAt'))
              expect(dir * (Date.parse(b.dueAt) - Date.parse(a.dueAt))).toBeGreaterThanOrEqual(0);
            // Every row, completed late ones too (before, only open rows were in overdue-days order).
            if (sort.endsWith('overdueDays')) expect(dir * (b.overdueDays - a.overdueDays)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(nonEmpty).toBeGreaterThan(50); // the law is not checked on empty lists only
  });

  it('most overdue first: -overdueDays opens on the case overdue longest', () => {
    const open = rm.caseList({ status: 'open', limit: 500 }).items;
    const most = Math.max(...open.map((r) => r.overdueDays));
    expect(most).toBeGreaterThan(0);
    expect(rm.caseList({ status: 'open', sort: '-overdueDays', limit: 1 }).items[0]?.overdueDays).toBe(most);
  });

  it('refuses a bad date naming it, and an empty period naming its end', () => {
    expect(() => rm.caseList({ acceptedFrom: '2025-13-01', limit: 5 })).toThrow(/acceptedFrom/);
    expect(() => rm.caseList({ completedFrom: '2025-04-02', completedTo: '2025-04-02', limit: 5 })).toThrow(
      /completedTo: must be after completedFrom/,
    );
  });

  it('CSV: Chinese headers and one line per row', () => {
    const page = rm.caseList({ limit: 3 });
    const lines = caseListToCsv(page.items).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '办件编号,中心编号,中心,部门编号,部门,事项编码,事项名称,办件类型,状态,受理时间,办结期限,到期时间,办结时间,逾期天数,当前告警,日历版本,政策版本,时限为预测',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]?.startsWith(page.items[0]!.caseId)).toBe(true);
    // Each row names the versions its deadline was computed under (SPEC §3), as the case read does.
    const item = page.items[0]!;
    const read = rm.evaluateCase(item.caseId, Date.parse(page.asOf))!;
    expect([item.calendarVersion, item.policyVersion]).toEqual([read.calendarVersion, read.policyVersion]);
    expect(lines[1]?.endsWith(`,${item.calendarVersion},${item.policyVersion},${item.provisional ? '是' : '否'}`)).toBe(
      true,
    );
    expect(item.provisional).toBe(read.provisional);
  });

  it('CSV: kind, status and alerts by their Chinese names, as the page shows them, never codes', () => {
    const items = rm.caseList({ limit: 500 }).items;
    const csv = caseListToCsv(items);
    // Before: `promised,completed,…,overdue/red`.
    for (const code of [',promised,', ',instant,', ',open,', ',paused,', ',completed,', '/red', '/yellow', 'overdue'])
      expect(csv, code).not.toContain(code);
    const flagged = items.find((r) => r.alerts.length > 0)!;
    const line = csv.split('\r\n').find((l) => l.startsWith(`${flagged.caseId},`))!;
    expect(line).toContain(
      `,${KIND_NAMES[flagged.kind as keyof typeof KIND_NAMES]},${CASE_STATUS_NAMES[flagged.status]},`,
    );
    const alert = flagged.alerts[0]!;
    expect(line).toContain(`${RULE_NAMES[alert.rule]}（${COLOR_NAMES[alert.color]}）`);
  });
});

describe('a row’s alerts', () => {
  it('are one a rule: the first to start, and how many when more than one (999 late records were 999 entries)', () => {
    const at = (h: number) => `2025-09-0${1 + Math.floor(h / 24)}T${String(h % 24).padStart(2, '0')}:00:00.000+08:00`;
    const lateRecords = Array.from({ length: 999 }, (_, i) => ({
      rule: 'late-record' as const,
      color: 'yellow' as const,
      startedAt: at(48 - (i % 40)),
    }));
    const alerts = alertsByRule([{ rule: 'overdue', color: 'red', startedAt: at(30) }, ...lateRecords]);
    expect(alerts).toEqual([
      { rule: 'overdue', color: 'red', startedAt: at(30) },
      { rule: 'late-record', color: 'yellow', startedAt: at(9), count: 999 },
    ]);
  });
});
