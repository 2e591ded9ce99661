/**
 * The monthly report at district scale (issue 16): a month of 35,300 cases
 * (the quoted 五华区 month), the same month a year earlier (27,946) and the
 * month before (32,000), written through POST /events in time order on the
 * embedded sqlite store with a manual clock (nothing is a late record), with a
 * directory of a district center and four streets. Then, against GET /healthz
 * in the same run, the latency of `GET /reports/monthly` (JSON) and of its CSV.
 * One client, sequential requests, in process.
 */
import { parseInstant } from '../src/domain/index.js';
import { monthEvents, type MonthPlan } from '../src/projections/reportMonthFixture.js';
import { p99Row, sampleLatencies, startBenchServer } from './support/engineServer.js';
import type { Benchmark, BenchRow } from './types.js';

const TOKEN = 'bench-report-admin-token-0123456789';
const ZONE = 'Asia/Shanghai';
const TARGET_MS = 300;

const DIRECTORY = {
  centers: [
    { centerId: 'wuhua', name: '五华区人民政府政务服务中心', level: 'district' },
    { centerId: 'hongyun', name: '红云街道为民服务中心', level: 'street', parentId: 'wuhua' },
    { centerId: 'huashan', name: '华山街道为民服务中心', level: 'street', parentId: 'wuhua' },
    { centerId: 'daguan', name: '大观街道为民服务中心', level: 'street', parentId: 'wuhua' },
    { centerId: 'longxiang', name: '龙翔街道为民服务中心', level: 'street', parentId: 'wuhua' },
  ],
  departments: ['health', 'agri', 'market', 'civil', 'tax', 'labour', 'land', 'water'].map((id) => ({
    departmentId: id,
    name: `区${id}局`,
    centerId: 'wuhua',
  })),
};
const DEPARTMENTS = DIRECTORY.departments.map((d) => d.departmentId);

function plans(): MonthPlan[] {
  const base = { zone: ZONE, departments: DEPARTMENTS, inProgress: [] };
  return [
    { ...base, month: '2018-01', centers: [{ centerId: 'wuhua', accepted: 27_946 }], licensing: 16_000, idPrefix: 'Y' },
    { ...base, month: '2018-12', centers: [{ centerId: 'wuhua', accepted: 32_000 }], licensing: 18_000, idPrefix: 'M' },
    {
      ...base,
      month: '2019-01',
      centers: [
        { centerId: 'wuhua', accepted: 23_290 },
        { centerId: 'hongyun', accepted: 3_410 },
        { centerId: 'huashan', accepted: 3_120 },
        { centerId: 'daguan', accepted: 2_980 },
        { centerId: 'longxiang', accepted: 2_500 },
      ],
      inProgress: [
        { departmentId: 'health', count: 164 },
        { departmentId: 'agri', count: 3 },
      ],
      licensing: 20_564,
      idPrefix: 'J',
    },
  ];
}

const reportBench: Benchmark = async ({ quick }) => {
  const bench = await startBenchServer('report', TOKEN, parseInstant('2017-12-01T00:00:00+08:00'), ZONE);
  const { port, auth } = bench;
  try {
    const put = await fetch(`http://127.0.0.1:${port}/directory`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(DIRECTORY),
    });
    if (put.status >= 300) throw new Error(`PUT /directory: ${put.status}`);
    const events = plans().flatMap(monthEvents);
    await bench.postInTimeOrder(events);
    bench.scheduler.advanceTo(parseInstant('2019-02-01T09:00:00+08:00'));
    await bench.caughtUp(120_000);
    const check = bench.engine.readModels.monthlyReport('2019-01');
    if (check.kpis.cohort.accepted !== 35_300) throw new Error(`the month holds ${check.kpis.cohort.accepted} cases`);

    const reps = quick ? 30 : 150;
    const samples = await sampleLatencies(
      port,
      {
        healthz: ['/healthz', {}],
        json: ['/reports/monthly?month=2019-01', { ...auth, accept: 'application/json' }],
        csv: ['/reports/monthly?month=2019-01', { ...auth, accept: 'text/csv' }],
        center: ['/reports/monthly?month=2019-01&centerId=hongyun', { ...auth, accept: 'application/json' }],
        stats: ['/stats?from=2019-01-01&to=2019-02-01&groupBy=department', auth],
      },
      reps,
    );
    const note = `${reps} sequential requests; lower is better; ${events.length} events, 95,246 cases`;
    const row = (key: keyof typeof samples, name: string): BenchRow =>
      p99Row(name, samples[key], samples.healthz, note, key === 'healthz' ? undefined : TARGET_MS);
    return [
      row('healthz', 'GET /healthz (baseline)'),
      row('json', 'GET /reports/monthly, district month of 35,300 cases'),
      row('csv', 'GET /reports/monthly as CSV, same month'),
      row('center', 'GET /reports/monthly for one street center'),
      row('stats', 'GET /stats of the same month by department'),
    ];
  } finally {
    await bench.close();
  }
};
Object.defineProperty(reportBench, 'name', { value: 'monthly report' });

export const benchmarks: Benchmark[] = [reportBench];
