import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';
import type { MonthlyReport } from './report.js';
import { WATCH_BASE } from './report/tables.js';
import type { StatsResult } from './stats.js';

const H = 3_600_000;
const D = 24 * H;

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

/** Append events at their own instants (the store records them on time). */
async function load(events: Body[]): Promise<MemoryEventStore> {
  let now = 0;
  const store = new MemoryEventStore({ clock: () => now });
  for (const e of events.sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt))) {
    now = parseInstant(e.occurredAt);
    await appendBody(store, e);
  }
  return store;
}

const accept = (caseId: string, at: number, extra: Partial<Body> = {}): Body => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt: formatInstant(at, ZONE),
  centerId: 'wuhua',
  departmentId: 'dept',
  matterCode: 'M1',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
  ...extra,
});
const complete = (caseId: string, at: number): Body => ({
  type: 'CaseCompleted',
  caseId,
  occurredAt: formatInstant(at, ZONE),
  outcome: 'approved',
});

describe('statistics (SPEC §5)', () => {
  it('a district month: accepted 35300, completed 35133, in progress 167 → completionRate 0.9953; a carried-over case counts in flow only', async () => {
    const events: Body[] = [];
    const march = parseInstant('2025-03-01T09:00:00+08:00');
    for (let i = 0; i < 35_300; i++) {
      const at = march + (i % 27) * D + (i % 8) * H; // 2025-03-01 … 03-27, 09:00–16:00
      const instant = i % 5 === 0;
      events.push(accept(`W-${i}`, at, instant ? { kind: 'instant', promisedDays: 0 } : {}));
      if (i < 35_133) events.push(complete(`W-${i}`, at + (instant ? 30 * 60_000 : (i % 4) * D + H)));
    }
    // Accepted in February, completed in March.
    events.push(accept('CARRY', parseInstant('2025-02-24T10:00:00+08:00')));
    events.push(complete('CARRY', parseInstant('2025-03-04T10:00:00+08:00')));
    const store = await load(events);

    const rig = await makeRig('2025-04-15T12:00:00+08:00', { store });
    rigs.push(rig);
    const s = rig.projections.readModels.stats({ from: '2025-03-01', to: '2025-04-01' }) as StatsResult;
    expect(s.cohort).toMatchObject({ accepted: 35_300, completed: 35_133, inProgress: 167, completionRate: 0.9953 });
    expect(s.flow.completedInPeriod).toBe(35_133 + 1);

    const feb = rig.projections.readModels.stats({ from: '2025-02-01', to: '2025-03-01' }) as StatsResult;
    expect(feb.cohort).toMatchObject({ accepted: 1, completed: 0, inProgress: 1, completionRate: 0 });
    expect(feb.flow).toMatchObject({
      completedInPeriod: 0,
      onTimeRate: null,
      earlyRate: null,
      avgUsedDays: null,
      openAtEnd: 1,
    });
  });

  it('separates the bases and computes each rate on its own base', async () => {
    const t = (s: string) => parseInstant(s);
    const store = await load([
      // On time and early: accepted Mon 03-03, 5 days → deadline Mon 03-10; done Wed 03-05 (2 days used).
      accept('A', t('2025-03-03T09:00:00+08:00')),
      complete('A', t('2025-03-05T15:00:00+08:00')),
      // Instant, done on the spot.
      accept('B', t('2025-03-04T09:00:00+08:00'), { kind: 'instant', promisedDays: 0, departmentId: 'other' }),
      complete('B', t('2025-03-04T09:20:00+08:00')),
      // Late: 1 day, accepted Mon 03-10 → due end of Tue 03-11; done Thu 03-13 (3 days used).
      accept('C', t('2025-03-10T09:00:00+08:00'), { promisedDays: 1 }),
      complete('C', t('2025-03-13T09:00:00+08:00')),
      // Open and overdue at the end of March: 2 days from Tue 03-25 → due end of Thu 03-27.
      accept('D', t('2025-03-25T09:00:00+08:00'), { promisedDays: 2 }),
      // Open, not yet due at the end of March.
      accept('E', t('2025-03-31T09:00:00+08:00'), { promisedDays: 10 }),
      { type: 'CaseEscalated', caseId: 'E', occurredAt: '2025-03-31T10:00:00+08:00', level: 'reminder', by: 'office' },
    ]);
    const rig = await makeRig('2025-04-01T00:00:00+08:00', { store });
    rigs.push(rig);
    const s = rig.projections.readModels.stats({
      from: '2025-03-01',
      to: '2025-04-01',
      groupBy: 'department',
    }) as StatsResult;
    expect(s.cohort).toEqual({
      accepted: 5,
      completed: 3,
      inProgress: 2,
      completionRate: 0.6,
      completedSameDay: 1,
      instantCompletionRate: 0.2,
      instantKind: 1,
      instantShare: 0.2,
    });
    expect(s.flow).toMatchObject({
      completedInPeriod: 3,
      onTime: 2,
      late: 1,
      onTimeRate: 0.6667,
      promisedCompleted: 2,
      early: 1,
      earlyRate: 0.5,
      openAtEnd: 2,
      overdueOpenAtEnd: 1,
      overdueRate: 0.4, // (1 late + 1 overdue open) / (3 + 2)
      avgUsedDays: 2.5,
      escalations: { total: 1, reminder: 1, supervision: 0, referral: 0 },
    });
    expect(s.flow.cards).toEqual(expect.arrayContaining([{ rule: 'overdue', color: 'red', count: 2 }]));
    expect(s.groups!.map((g) => [g.key, g.cohort.accepted])).toEqual([
      ['dept', 4],
      ['other', 1],
    ]);
  });

  it('monthly report: 同比 with deltas, per-department table, worst departments, CSV with header and escaping', async () => {
    const t = (s: string) => parseInstant(s);
    const evil = 'Dept, "Quoted"';
    const store = await load([
      // March 2024: one case, on time.
      accept('Y1', t('2024-03-04T09:00:00+08:00'), { departmentId: 'good' }),
      complete('Y1', t('2024-03-05T09:00:00+08:00')),
      // March 2025: 'good' on time; 'bad' late; evil-named department open and overdue; 'fine' open, not due.
      accept('G', t('2025-03-03T09:00:00+08:00'), { departmentId: 'good' }),
      complete('G', t('2025-03-04T09:00:00+08:00')),
      accept('B', t('2025-03-03T09:00:00+08:00'), { departmentId: 'bad', promisedDays: 1 }),
      complete('B', t('2025-03-07T09:00:00+08:00')),
      accept('X', t('2025-03-03T09:00:00+08:00'), { departmentId: evil, promisedDays: 1 }),
      accept('F', t('2025-03-31T09:00:00+08:00'), { departmentId: '=fine', promisedDays: 10 }),
    ]);
    const rig = await makeRig('2025-04-02T00:00:00+08:00', { store });
    rigs.push(rig);
    const report = rig.projections.readModels.monthlyReport('2025-03') as MonthlyReport;
    expect(report.previousYear.month).toBe('2024-03');
    expect(report.previousYear.kpis.cohort.completionRate).toBe(1);
    expect(report.kpis.cohort.completionRate).toBe(0.5);
    expect(report.deltas['completionRate']).toBe(-0.5);
    expect(report.deltas['accepted']).toBe(3);
    // Overdue rate desc, then on-time rate asc (null last); 'good' and '=fine' have nothing overdue (listed at 0% before).
    expect(report.worstDepartments.map((d) => d.departmentId)).toEqual(['bad', evil]);
    // March 2024: one department, on time: none to watch, and the CSV says so.
    expect((rig.projections.readModels.monthlyReport('2024-03') as MonthlyReport).worstDepartments).toEqual([]);
    expect(rig.projections.readModels.monthlyReportCsv('2024-03')).toContain('本月各部门无逾期');
    const csv = rig.projections.readModels.monthlyReportCsv('2025-03');
    // The department section of the CSV (report/csv.ts): Chinese headers, rates as percentages, escaping.
    const lines = csv.split('\r\n');
    const at = lines.indexOf('各部门');
    expect(lines[at + 1]!.startsWith('部门编号,部门名称,受理,办结,在办,办结率')).toBe(true);
    expect(csv).toContain('"Dept, ""Quoted"""');
    expect(csv).toContain("'=fine,");
    expect(lines.find((l) => l.startsWith('good,'))).toBe(
      'good,（未登记）,1,1,0,100%,0%,0%,1,1,0,100%,100%,0,0,0%,1,0,0,0',
    );
  });

  it(`需关注部门: a department whose rate rests on fewer than ${WATCH_BASE} cases comes after those with at least ${WATCH_BASE}, marked`, async () => {
    const t = (s: string) => parseInstant(s);
    const events: Body[] = [];
    // 'busy': 12 cases in March 2025, 2 completed late (overdue rate 1/6); 'tiny': 1 case, late (100%).
    for (let i = 0; i < 12; i++) {
      events.push(accept(`B${i}`, t('2025-03-03T09:00:00+08:00'), { departmentId: 'busy', promisedDays: 1 }));
      events.push(complete(`B${i}`, t(i < 2 ? '2025-03-07T09:00:00+08:00' : '2025-03-03T15:00:00+08:00')));
    }
    events.push(accept('T', t('2025-03-03T09:00:00+08:00'), { departmentId: 'tiny', promisedDays: 1 }));
    events.push(complete('T', t('2025-03-07T09:00:00+08:00')));
    const rig = await makeRig('2025-04-02T00:00:00+08:00', { store: await load(events) });
    rigs.push(rig);
    const report = rig.projections.readModels.monthlyReport('2025-03') as MonthlyReport;
    expect(report.worstDepartments.map((d) => [d.departmentId, d.overdueRate, d.belowWatchBase])).toEqual([
      ['busy', 0.1667, undefined], // rates are rounded to 4 places
      ['tiny', 1, true],
    ]);
    const csv = rig.projections.readModels.monthlyReportCsv('2025-03').split('\r\n');
    expect(csv.find((l) => l.startsWith('2,tiny,'))).toBe(
      `2,tiny,（未登记）,100%,0%,办件不足${WATCH_BASE}件，排在其后`,
    );
  });
});
