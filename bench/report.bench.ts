/**
 * The monthly report at district scale (issue 16): a month of 35,300 cases
 * (the quoted 五华区 month), the same month a year earlier (27,946) and the
 * month before (32,000), written through POST /events in time order on the
 * embedded sqlite store with a manual clock (nothing is a late record), with a
 * directory of a district center and four streets. Then, against GET /healthz
 * in the same run, the latency of `GET /reports/monthly` (JSON) and of its CSV.
 * One client, sequential requests, in process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInstant } from '../src/domain/index.js';
import { DEFAULT_POLICY } from '../src/domain/policy.js';
import { createEngine } from '../src/engine.js';
import { monthEvents, type MonthPlan } from '../src/projections/reportMonthFixture.js';
import { createManualScheduler } from '../src/projections/scheduler.js';
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

async function timed(port: number, path: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
  return performance.now() - started;
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const reportBench: Benchmark = async ({ quick }) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  const scheduler = createManualScheduler(parseInstant('2017-12-01T00:00:00+08:00'));
  const engine = await createEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    storeClock: scheduler.clock,
    scheduler,
    zone: ZONE,
    tokens: [{ token: TOKEN, role: 'admin' }],
    policy: DEFAULT_POLICY,
    metrics: { defaultMetrics: false },
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const server = await new Promise<http.Server>((resolve) => {
    const s = engine.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const auth = { authorization: `Bearer ${TOKEN}` };
  try {
    const put = await fetch(`http://127.0.0.1:${port}/directory`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(DIRECTORY),
    });
    if (put.status >= 300) throw new Error(`PUT /directory: ${put.status}`);
    const events = plans().flatMap(monthEvents);
    for (let i = 0; i < events.length; i += 1000) {
      const batch = events.slice(i, i + 1000);
      scheduler.advanceTo(Math.max(scheduler.clock(), parseInstant(batch[batch.length - 1]!.occurredAt)));
      const res = await fetch(`http://127.0.0.1:${port}/events`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
      });
      if (res.status !== 200) throw new Error(`POST /events: ${res.status}`);
    }
    scheduler.advanceTo(parseInstant('2019-02-01T09:00:00+08:00'));
    await engine.readModels.waitForPosition(await engine.store.headPosition(), 120_000);
    const check = engine.readModels.monthlyReport('2019-01');
    if (check.kpis.cohort.accepted !== 35_300) throw new Error(`the month holds ${check.kpis.cohort.accepted} cases`);

    const reps = quick ? 30 : 150;
    const paths = {
      healthz: ['/healthz', {}],
      json: ['/reports/monthly?month=2019-01', { ...auth, accept: 'application/json' }],
      csv: ['/reports/monthly?month=2019-01', { ...auth, accept: 'text/csv' }],
      center: ['/reports/monthly?month=2019-01&centerId=hongyun', { ...auth, accept: 'application/json' }],
    } as const;
    const samples: Record<keyof typeof paths, number[]> = { healthz: [], json: [], csv: [], center: [] };
    for (const [path, headers] of Object.values(paths)) await timed(port, path, headers); // warm-up
    for (let r = 0; r < reps; r++) {
      for (const [k, [path, headers]] of Object.entries(paths)) {
        samples[k as keyof typeof paths].push(await timed(port, path, headers));
      }
    }
    const base = percentile(samples.healthz, 0.99);
    const row = (key: keyof typeof paths, name: string): BenchRow => {
      const p99 = percentile(samples[key], 0.99);
      return {
        name,
        value: Math.round(p99 * 10) / 10,
        unit: 'ms p99',
        baselineName: 'GET /healthz p99, same run',
        baseline: Math.round(base * 100) / 100,
        ratio: Math.round((p99 / base) * 10) / 10,
        ...(key === 'healthz' ? {} : { target: `< ${TARGET_MS} ms p99`, pass: p99 < TARGET_MS }),
        note: `p50 ${percentile(samples[key], 0.5).toFixed(1)} ms; ${reps} sequential requests; lower is better; ${events.length} events, 95,246 cases`,
      };
    };
    return [
      row('healthz', 'GET /healthz (baseline)'),
      row('json', 'GET /reports/monthly, district month of 35,300 cases'),
      row('csv', 'GET /reports/monthly as CSV, same month'),
      row('center', 'GET /reports/monthly for one street center'),
    ];
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
Object.defineProperty(reportBench, 'name', { value: 'monthly report' });

export const benchmarks: Benchmark[] = [reportBench];
