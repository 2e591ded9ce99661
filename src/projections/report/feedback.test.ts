/**
 * The report's complaint (效能投诉) and rating (好差评) sections: the Haikou check
 * through the report, 同比 / 环比 growth on hand-checked months, satisfaction per
 * department with the directory's names, the CSV sections and the summary's
 * sentence built from the figures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../domain/calendar/index.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { acceptedC, answeredC, received } from '../../domain/complaints/testing.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';
import { parseInstant } from '../../domain/time.js';
import { ComplaintProjection } from '../complaints/complaintProjection.js';
import { haikou } from '../complaints/haikouFixture.js';
import { computeMonthlyReport, monthlyReportToCsv, type MonthlyReport } from '../report.js';
import { makeRig, ZONE, type Body, type Rig } from '../testSupport.js';
import { complaintsOn, feedbackStore, RATED_CASES, ratedCase } from './feedbackFixture.js';
import type { ReportNames } from './tables.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

const cal = defaultCalendar(ZONE);
const NAMES: ReportNames = {
  center: () => undefined,
  department: (id) => (id === 'd1' ? { name: '区卫健局' } : undefined),
};
const VERSIONS = { calendarVersion: 'cal@test', policyVersionOf: () => 'policy@test' };
const ASOF = parseInstant('2025-04-20T09:00:00+08:00');

function projectionOf(events: readonly ComplaintEvent[]): ComplaintProjection {
  const p = new ComplaintProjection({ calendar: () => cal, policyFor: () => DEFAULT_POLICY });
  events.forEach((e, i) => {
    p.apply({ streamId: `complaint-${e.complaintId}`, position: BigInt(i + 1), data: e });
  });
  return p;
}

const reportWith = (complaints: ComplaintProjection, filter?: { centerId?: string }): MonthlyReport =>
  computeMonthlyReport(() => [], '2025-03', filter, ZONE, ASOF, VERSIONS, NAMES, complaints);

describe('the complaint section of the monthly report', () => {
  const events = [
    ...haikou(20), // March 2025, center c1
    ...complaintsOn('2024-03-12', 4, 2, 'y'), // March 2024: 4 accepted, 2 closed
    ...complaintsOn('2025-02-11', 1, 0, 'm'), // February 2025: 1 accepted, none closed
    // Center c2 in March 2025: findings by department, one with no department in charge.
    received('2025-03-04T09:00:00+08:00', { centerId: 'c2', departmentId: 'd1' }, 's1'),
    acceptedC('2025-03-04T10:00:00+08:00', 's1'),
    answeredC('2025-03-10T10:00:00+08:00', 'substantiated', 's1'),
    received('2025-03-04T09:00:00+08:00', { centerId: 'c2' }, 's2'),
    acceptedC('2025-03-04T10:00:00+08:00', 's2'),
    answeredC('2025-03-11T10:00:00+08:00', 'partly', 's2'),
  ].sort((a, b) => parseInstant(a.occurredAt) - parseInstant(b.occurredAt));
  const p = projectionOf(events);

  it('the Haikou check holds through the report: 2,344 accepted, 2,333 closed → closedRate 0.9953, in the summary too', () => {
    const r = reportWith(p, { centerId: 'c1' });
    const c = r.complaints.figures;
    expect([c.received, c.accepted, c.closedOfAccepted, c.closedRate]).toEqual([2344, 2344, 2333, 0.9953]);
    // 按时答复率 is over the answers due in March (SPEC §5's base for replies): the complaints accepted
    // 03-03 to 03-10 (940, i % 20 < 8), due by the end of 03-31, 4 of the 11 never answered among them;
    // and February's one complaint, never answered, due in March: 936 on time of 941.
    expect([c.answersDue, c.answeredOnTime, c.answeredOnTimeRate]).toEqual([941, 936, 0.9947]);
    // 本月办结: the closures of March; the cohort's closed, the base of 办结率, named as one.
    expect(c.closed).toBe(2333);
    expect(r.summary).toContain(
      '全月收到效能投诉2344件，受理2344件，本月办结2333件，本月受理且已办结2333件，办结率（本月受理的）99.53%，' +
        '按时答复率99.47%，投诉人满意率89.97%；无好差评评价。',
    );
  });

  it('同比 and 环比: percent change for counts, percentage points for rates (hand-checked)', () => {
    const r = reportWith(p, { centerId: 'c1' });
    const { previousYear: py, previousMonth: pm } = r.complaints;
    expect([py.month, py.from, py.to, pm.month]).toEqual(['2024-03', '2024-03-01', '2024-04-01', '2025-02']);
    expect([py.figures.accepted, py.figures.closedOfAccepted, py.figures.closedRate]).toEqual([4, 2, 0.5]);
    expect(py.growth.accepted).toEqual({ unit: 'percent', value: 58_500 }); // (2344 − 4) / 4
    expect(py.growth.closedRate).toEqual({ unit: 'points', value: 49.53 }); // 99.53 % − 50 %
    expect(py.growth.rejected).toEqual({ unit: 'percent', value: null }); // 0 a year earlier: no base
    expect([pm.figures.accepted, pm.figures.closedRate]).toEqual([1, 0]);
    expect(pm.growth.closedRate).toEqual({ unit: 'points', value: 99.53 });
    expect(pm.growth.satisfactionRate).toEqual({ unit: 'points', value: null }); // no satisfaction in February
  });

  it('substantiated by department with the directory’s names; no department in charge is its own row', () => {
    const r = reportWith(p);
    expect(r.complaints.departments).toEqual([
      { departmentId: '', registered: false, substantiated: 0, partly: 1 },
      { departmentId: 'd1', name: '区卫健局', registered: true, substantiated: 1, partly: 0 },
    ]);
    expect(r.complaints.figures.accepted).toBe(2346);
    expect(reportWith(p, { centerId: 'c2' }).complaints.figures.accepted).toBe(2);
  });

  it('CSV: the two sections under Chinese headers, rates as percentages, growth in words', () => {
    const csv = monthlyReportToCsv(reportWith(p, { centerId: 'c1' }));
    const lines = csv.split('\r\n');
    for (const title of ['效能投诉', '投诉查实情况（按承办部门）', '好差评', '各部门满意度（好差评）'])
      expect(lines, title).toContain(title);
    expect(lines).toContain('指标,本月 2025-03,去年同月 2024-03,同比,上月 2025-02,环比');
    expect(lines).toContain('受理,2344,4,增长58500%,1,增长234300%');
    expect(lines).toContain('办结率（本月受理的）,99.53%,50%,上升49.53个百分点,0%,上升99.53个百分点');
    // Before: one row 办结 of the cohort figure; the month's closures were nowhere.
    expect(lines).toContain('本月办结,2333,2,增长116550%,0,');
    expect(lines).toContain('本月受理且已办结,2333,2,增长116550%,0,');
    expect(lines).toContain('本月无查实或部分查实的投诉');
    expect(lines).toContain('本月无好差评评价');
    const all = monthlyReportToCsv(reportWith(p));
    expect(all.split('\r\n')).toContain('部门编号,部门名称,查实,部分查实');
    expect(all.split('\r\n')).toContain(',（未指定承办部门）,0,1');
    expect(all.split('\r\n')).toContain('d1,区卫健局,1,0');
  });

  it("CSV: the cards' 合计 is the cases' and the complaints' subtotals, the key figure the cases' alone", () => {
    const r = reportWith(p);
    const lines = monthlyReportToCsv(r).split('\r\n');
    const cases = r.kpis.flow.cardsTotal;
    const complaints = r.complaints.figures.cardsTotal;
    expect(complaints).toBeGreaterThan(0);
    expect(r.cards.total).toBe(cases + complaints);
    // Before: 红黄牌,{cases} among the key figures and 合计,,{cases + complaints} under the cards, unexplained.
    expect(lines.some((l) => l.startsWith(`办件红黄牌,${cases},`))).toBe(true);
    expect(lines.some((l) => l.startsWith('红黄牌,'))).toBe(false);
    const at = lines.indexOf(`合计,,${r.cards.total}`);
    expect(lines.slice(at - 2, at + 1)).toEqual([
      `办件小计,,${cases}`,
      `投诉小计,,${complaints}`,
      `合计,,${r.cards.total}`,
    ]);
  });
});

// ——— ratings, through the real case fold ———

async function rigWith(bodies: readonly Body[], complaints: readonly ComplaintEvent[] = []): Promise<Rig> {
  const rig = await makeRig('2025-04-20T09:00:00+08:00', { ...(await feedbackStore(bodies, complaints)) });
  rigs.push(rig);
  return rig;
}

describe('the rating section of the monthly report', () => {
  it('the month with 同比 and 环比 (hand-checked), satisfaction per department named, equal to /stats', async () => {
    const rig = await rigWith(RATED_CASES);
    const rm = rig.projections.readModels;
    const r = rm.monthlyReport('2025-03');
    const f = r.ratings.figures;
    expect([f.rated, f.satisfied, f.satisfactionRate, f.badRatings]).toEqual([6, 3, 0.5, 2]);
    expect([f.followUpsDue, f.followedUpOnTime, f.followedUpOnTimeRate]).toEqual([2, 1, 0.5]);
    expect([f.completedInPeriod, f.ratedShare]).toEqual([4, 1]);
    const { previousYear: py, previousMonth: pm } = r.ratings;
    expect([py.month, py.figures.rated, py.figures.satisfactionRate]).toEqual(['2024-03', 3, 0.3333]);
    expect(py.growth.rated).toEqual({ unit: 'percent', value: 100 }); // 6 against 3
    expect(py.growth.satisfactionRate).toEqual({ unit: 'points', value: 16.67 }); // 50 % − 33.33 %
    expect(py.growth.badRatings).toEqual({ unit: 'percent', value: 100 }); // 2 against 1
    expect([pm.month, pm.figures.rated, pm.figures.satisfactionRate]).toEqual(['2025-02', 2, 1]);
    expect(pm.growth.rated).toEqual({ unit: 'percent', value: 200 });
    expect(pm.growth.satisfactionRate).toEqual({ unit: 'points', value: -50 });
    expect(pm.growth.badRatings).toEqual({ unit: 'percent', value: null }); // none in February
    expect(r.ratings.departments).toEqual([
      {
        departmentId: 'd1',
        name: '区卫健局',
        registered: true,
        rated: 4,
        satisfied: 3,
        satisfactionRate: 0.75,
        badRatings: 1,
        completedInPeriod: 4,
        ratedShare: 1,
        followUpsDue: 1,
        followedUpOnTime: 1,
        followedUpOnTimeRate: 1,
      },
      {
        departmentId: 'd2',
        registered: false,
        rated: 2,
        satisfied: 0,
        satisfactionRate: 0,
        badRatings: 1,
        completedInPeriod: 0,
        ratedShare: null,
        followUpsDue: 1,
        followedUpOnTime: 0,
        followedUpOnTimeRate: 0,
      },
    ]);
    // The same figures as /stats for each month and department.
    expect(f).toEqual(rm.stats({ from: '2025-03-01', to: '2025-04-01' }).ratings);
    expect(py.figures).toEqual(rm.stats({ from: '2024-03-01', to: '2024-04-01' }).ratings);
    expect(pm.figures).toEqual(rm.stats({ from: '2025-02-01', to: '2025-03-01' }).ratings);
    const byDept = rm.stats({ from: '2025-03-01', to: '2025-04-01', groupBy: 'department' }).groups ?? [];
    for (const d of r.ratings.departments) {
      expect(byDept.find((g) => g.key === d.departmentId)?.ratings?.satisfactionRate).toBe(d.satisfactionRate);
    }
    expect(r.summary).toContain('好差评评价6次，满意率50%，差评2件，按期整改率50%。');
    const lines = rm.monthlyReportCsv('2025-03').split('\r\n');
    expect(lines).toContain(
      '部门编号,部门名称,评价次数,满意（4–5分）,满意率,差评（1–2分）,本月办结,评价率,差评应整改,按期整改,按期整改率',
    );
    expect(lines).toContain('d1,区卫健局,4,3,75%,1,4,100%,1,1,100%');
    expect(lines).toContain('d2,（未登记）,2,0,0%,1,0,,1,0,0%');
    expect(lines).toContain('满意率（4–5分）,50%,33.33%,上升16.67个百分点,100%,下降50个百分点');
  });

  it('各部门满意度 has no all-zero row for a department whose only figure is a follow-up (session 16)', async () => {
    // d3's 差评 of 01-06 fell due in January and was followed up late, on 03-03: March's only figure of d3
    // is that follow-up, which no column of the table shows (/stats still counts it as followedUp).
    const late = ratedCase('L1', 'd3', '2025-01-06', { at: '2025-01-06', score: 1, followUp: '2025-03-03' });
    const rig = await rigWith([...RATED_CASES, ...late]);
    const rm = rig.projections.readModels;
    const r = rm.monthlyReport('2025-03');
    expect(r.ratings.departments.map((d) => d.departmentId)).toEqual(['d1', 'd2']);
    const csv = rm.monthlyReportCsv('2025-03').split('\r\n');
    expect(csv.some((line) => line.startsWith('d3,'))).toBe(false);
    const byDept = rm.stats({ from: '2025-03-01', to: '2025-04-01', groupBy: 'department' }).groups ?? [];
    expect(byDept.find((g) => g.key === 'd3')?.ratings?.followedUp).toBe(1);
  });

  it('complaints reach /stats and the report through the engine’s read models', async () => {
    const rig = await rigWith(RATED_CASES, complaintsOn('2025-03-12', 3, 2, 'q'));
    const rm = rig.projections.readModels;
    const s = rm.stats({ from: '2025-03-01', to: '2025-04-01', groupBy: 'center' });
    expect([s.complaints.accepted, s.complaints.closedOfAccepted, s.complaints.closedRate]).toEqual([3, 2, 0.6667]);
    expect(s.groups?.find((g) => g.key === 'c1')?.complaints?.accepted).toBe(3);
    const r = rm.monthlyReport('2025-03');
    expect(r.complaints.figures).toEqual(s.complaints);
    expect(r.summary).toContain(
      '全月收到效能投诉3件，受理3件，本月办结2件，本月受理且已办结2件，办结率（本月受理的）66.67%',
    );
  });
});

describe('unregistered centers of the report', () => {
  it('counts a center with complaints only, not in the directory, as /stats grouped by center does (session 16)', async () => {
    const elsewhere = [
      received('2025-03-12T09:00:00+08:00', { centerId: 'cX' }, 'x1'),
      acceptedC('2025-03-12T10:00:00+08:00', 'x1'),
    ];
    const rig = await rigWith(RATED_CASES, [...complaintsOn('2025-03-12', 2, 1, 'q'), ...elsewhere]);
    const rm = rig.projections.readModels;
    const r = rm.monthlyReport('2025-03');
    expect(r.complaints.figures.received).toBe(3);
    expect(r.centers.map((c) => c.centerId)).toEqual(['c1']);
    expect(r.unregisteredCenters).toEqual({ groups: 1, accepted: 0 });
    expect(r.unregisteredCenters).toEqual(
      rm.stats({ from: '2025-03-01', to: '2025-04-01', groupBy: 'center' }).unregistered,
    );
    // A month where cX has nothing counts it nowhere.
    expect(rm.monthlyReport('2025-02').unregisteredCenters).toEqual({ groups: 0, accepted: 0 });
  });
});

describe('the default month of the report', () => {
  it('is the latest month with cases or complaints: a month of complaints alone is data (regression: it looked at cases only)', async () => {
    // Cases up to March 2025, complaints received in April: the report opens on April.
    const rig = await rigWith(RATED_CASES, complaintsOn('2025-04-08', 3, 1, 'A'));
    const r = rig.projections.readModels.monthlyReport();
    expect(r.month).toBe('2025-04');
    expect(r.complaints.figures.received).toBe(3);
    expect(rig.projections.readModels.monthlyReport('2025-01').latestMonthWithData).toBe('2025-04');
    // A center filter counts that center's complaints only: d1's cases are c1's, and so are the complaints.
    expect(rig.projections.readModels.monthlyReport(undefined, { centerId: 'c1' }).month).toBe('2025-04');
    expect(rig.projections.readModels.monthlyReport(undefined, { centerId: 'elsewhere' }).month).toBe('2025-04'); // no data: the current month
  });
});
