import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../domain/directory.js';
import { parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { DirectoryBook } from './directoryEvents.js';
import type { MonthlyReport } from './report.js';
import { monthEvents, type MonthPlan } from './reportMonthFixture.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

/** Append events at their own instants (the store records them on time). */
async function load(events: readonly Body[]): Promise<MemoryEventStore> {
  let now = 0;
  const store = new MemoryEventStore({ clock: () => now });
  for (const e of events) {
    now = parseInstant(e.occurredAt);
    await appendBody(store, e);
  }
  return store;
}

const DISTRICT = 'wuhua-center';
const WUHUA: Directory = {
  centers: [
    { centerId: DISTRICT, name: '五华区人民政府政务服务中心', level: 'district' },
    { centerId: 'hongyun', name: '红云街道为民服务中心', level: 'street', parentId: DISTRICT },
    { centerId: 'huashan', name: '华山街道为民服务中心', level: 'street', parentId: DISTRICT },
    { centerId: 'daguan', name: '大观街道为民服务中心', level: 'street', parentId: DISTRICT },
    { centerId: 'longxiang', name: '龙翔街道为民服务中心', level: 'street', parentId: DISTRICT },
  ],
  departments: [
    { departmentId: 'health', name: '区卫计局', centerId: DISTRICT },
    { departmentId: 'agri', name: '区农林局', centerId: DISTRICT },
    { departmentId: 'market', name: '区市场监管局', centerId: DISTRICT },
    { departmentId: 'civil', name: '区民政局', centerId: DISTRICT },
  ],
};
const DEPARTMENTS = ['market', 'civil', 'health', 'agri'];

/** January 2019 as the quoted report gives it (SPEC §5). */
const JANUARY: MonthPlan = {
  month: '2019-01',
  zone: ZONE,
  centers: [
    { centerId: DISTRICT, accepted: 35_300 - 3_410 - 3_120 - 2_980 - 2_500 },
    { centerId: 'hongyun', accepted: 3_410 },
    { centerId: 'huashan', accepted: 3_120 },
    { centerId: 'daguan', accepted: 2_980 },
    { centerId: 'longxiang', accepted: 2_500 },
  ],
  inProgress: [
    { departmentId: 'health', count: 164 },
    { departmentId: 'agri', count: 3 },
  ],
  departments: DEPARTMENTS,
  licensing: 20_564,
  idPrefix: 'J19',
};
/**
 * A year earlier: 27,946 accepted, so that 35300 is +26.32 % (the brief's 27,947
 * would give +26.31 %: 7,353 / 27,947 = 0.263105…).
 */
const JANUARY_2018: MonthPlan = {
  ...JANUARY,
  month: '2018-01',
  centers: [{ centerId: DISTRICT, accepted: 27_946 }],
  inProgress: [],
  licensing: 16_000,
  idPrefix: 'J18',
};
const DECEMBER_2018: MonthPlan = {
  ...JANUARY_2018,
  month: '2018-12',
  centers: [{ centerId: DISTRICT, accepted: 32_000 }],
  licensing: 18_000,
  idPrefix: 'D18',
};

let wuhua: Rig;
beforeAll(async () => {
  wuhua = await wuhuaRig();
}, 120_000);
afterAll(async () => {
  await wuhua.projections.stop();
});

async function wuhuaRig(): Promise<Rig> {
  const events = [...monthEvents(JANUARY_2018), ...monthEvents(DECEMBER_2018), ...monthEvents(JANUARY)];
  const store = await load(events);
  const directory = new DirectoryBook();
  directory.add(0n, { ...WUHUA, publishedAt: '2018-01-01T00:00:00+08:00' });
  return makeRig('2019-02-01T09:00:00+08:00', { store, directory });
}

describe('the monthly report as centers publish it (SPEC §4–§5)', () => {
  it('a generated month with the 五华区 figures: growth, split, centers ranked, open cases by department, and the paragraph', async () => {
    const report = wuhua.projections.readModels.monthlyReport('2019-01') as MonthlyReport;

    expect(report.kpis.cohort).toMatchObject({
      accepted: 35_300,
      completed: 35_133,
      inProgress: 167,
      completionRate: 0.9953,
    });
    expect(report.kpis.flow.onTimeRate).toBe(1);
    expect(report.previousYear.month).toBe('2018-01');
    expect(report.previousYear.kpis.cohort.accepted).toBe(27_946);
    expect(report.previousYear.growth.accepted).toEqual({ unit: 'percent', value: 26.32 });
    expect(report.previousYear.growth.completionRate).toEqual({ unit: 'points', value: -0.47 });
    expect(report.previousMonth.month).toBe('2018-12');
    expect(report.previousMonth.growth.accepted).toEqual({ unit: 'percent', value: 10.31 }); // 35300 / 32000 − 1
    expect(report.categories.map((c) => [c.category, c.accepted])).toEqual([
      ['licensing', 20_564],
      ['public-service', 14_736],
      ['unspecified', 0],
    ]);
    expect(report.departments.filter((d) => d.inProgress > 0).map((d) => [d.name, d.inProgress])).toEqual([
      ['区农林局', 3],
      ['区卫计局', 164],
    ]);
    expect(report.centers.map((c) => [c.level, c.rank, c.name, c.accepted])).toEqual([
      ['district', 1, '五华区人民政府政务服务中心', 23_290],
      ['street', 1, '红云街道为民服务中心', 3_410],
      ['street', 2, '华山街道为民服务中心', 3_120],
      ['street', 3, '大观街道为民服务中心', 2_980],
      ['street', 4, '龙翔街道为民服务中心', 2_500],
    ]);
    expect(report.cards).toEqual({
      total: 0,
      yellow: 0,
      red: 0,
      byRule: [],
      withdrawn: { total: 0, yellow: 0, red: 0 },
    });

    expect(report.summary).toBe(
      '2019年1月，五华区人民政府政务服务中心各窗口共受理各类事项35300件，办结35133件，在办事项167件，' +
        '办结率99.53%，按时办结率为100%，接件总数同比增长26.32%，环比增长10.31%；' +
        '在办事项中，区卫计局164件，区农林局3件；' +
        '在所受理的各类事项中，行政许可事项20564件，公共服务事项14736件。' +
        '受理业务量前三名的是：红云街道为民服务中心3410件、华山街道为民服务中心3120件、大观街道为民服务中心2980件。' +
        '本月，中心及下属各服务中心未出现黄牌、红牌情况。全月未收到效能投诉；无好差评评价。' +
        `（统计依据：日历版本${report.calendarVersion}，政策版本${report.policyVersions.join('、')}。）`,
    );
    // Every number of the paragraph (before the versions) is one of the month's figures.
    const figures = new Set(['2019', '1', '35300', '35133', '167', '99.53', '100', '26.32', '10.31', '164', '3']);
    for (const n of ['20564', '14736', '3410', '3120', '2980']) figures.add(n);
    const text = report.summary.slice(0, report.summary.indexOf('（统计依据'));
    for (const n of text.match(/\d+(\.\d+)?/g) ?? []) expect(figures, `${n} in the summary`).toContain(n);
    expect(report.policyVersions.length).toBeGreaterThan(0);
  });

  it('CSV: every section under Chinese headers, rates as percentages, growth in words', async () => {
    const csv = wuhua.projections.readModels.monthlyReportCsv('2019-01');
    const lines = csv.split('\r\n');
    for (const title of [
      '报表',
      '概述',
      '主要指标',
      '事项类别',
      '各服务中心（按层级，受理量排名）',
      '各部门',
      '本月红黄牌',
      '效能投诉',
      '投诉查实情况（按承办部门）',
      '好差评',
      '各部门满意度（好差评）',
    ]) {
      expect(lines, title).toContain(title);
    }
    expect(lines).toContain('受理,35300,27946,增长26.32%,32000,增长10.31%');
    expect(lines).toContain('办结率,99.53%,100%,下降0.47个百分点,100%,下降0.47个百分点');
    expect(lines).toContain('行政许可,20564,20564,0,20564,100%');
    expect(lines).toContain(
      // 16 of its 3410 among the 167 left open: 3394 / 3410 = 99.53 %.
      '街道（乡镇）,1,hongyun,红云街道为民服务中心,3410,3394,16,99.53%,3394,100%,16,0,0%,0',
    );
    expect(lines).toContain('未出现黄牌、红牌情况');
    expect(csv).not.toMatch(/0\.9953/); // no raw fractions
  });

  it('default month: the latest month with data, and the report says where the data is', async () => {
    const store = await load(monthEvents({ ...JANUARY_2018, centers: [{ centerId: DISTRICT, accepted: 40 }] }));
    const rig = await makeRig('2019-06-10T09:00:00+08:00', { store });
    rigs.push(rig);
    const report = rig.projections.readModels.monthlyReport() as MonthlyReport;
    expect(report.month).toBe('2018-01');
    expect(report.kpis.cohort.accepted).toBe(40);
    const empty = rig.projections.readModels.monthlyReport('2019-06') as MonthlyReport;
    expect(empty.latestMonthWithData).toBe('2018-01');
    expect(empty.summary).toContain('未受理事项');
  });
});
