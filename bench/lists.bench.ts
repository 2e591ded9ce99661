/**
 * The case list and the card register at district-month scale (issue 16):
 * 35,000 cases accepted over one month on the embedded sqlite store (a third
 * still open, some overdue), written day by day through POST /events as the
 * month happens (manual clock, so nothing is a late record), then, against
 * GET /healthz in the same run, the latency of the first page of
 * `GET /cases` (default sort, most overdue first, a filtered list) and of
 * `GET /cards` for the month. One client, sequential requests, in process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../src/domain/policy.js';
import { createEngine } from '../src/engine.js';
import { createManualScheduler } from '../src/projections/scheduler.js';
import type { Benchmark, BenchRow } from './types.js';

const TOKEN = 'bench-lists-admin-token-0123456789';
const MONTH_START = Date.parse('2025-10-01T00:00:00+08:00');
const DAY = 86_400_000;
const CENTERS = ['district', 'street-1', 'street-2', 'street-3', 'street-4', 'street-5'];
const DEPARTMENTS = ['health', 'market', 'housing', 'tax', 'civil', 'labour', 'land', 'water'];

const iso = (ms: number) => new Date(ms).toISOString();

/** Each day's events in time order: acceptances spread over the working day, completions a few days on. */
function monthOfEvents(cases: number): Record<string, unknown>[][] {
  const days: Record<string, unknown>[][] = Array.from({ length: 60 }, () => []);
  for (let i = 0; i < cases; i++) {
    const day = i % 31;
    const at = MONTH_START + day * DAY + 9 * 3_600_000 + ((i * 7919) % (8 * 3_600_000));
    const caseId = `DM-${String(i).padStart(6, '0')}`;
    const promisedDays = [0, 1, 3, 5, 10, 20][i % 6]!;
    days[day]!.push({
      type: 'CaseAccepted',
      caseId,
      occurredAt: iso(at),
      centerId: CENTERS[i % CENTERS.length],
      departmentId: DEPARTMENTS[(i >> 3) % DEPARTMENTS.length],
      matterCode: `M-${i % 40}`,
      kind: promisedDays === 0 ? 'instant' : 'promised',
      promisedDays,
      channel: i % 2 ? 'online' : 'window',
    });
    if (i % 3 !== 0) {
      const doneDay = day + (promisedDays === 0 ? 0 : 1 + (i % (promisedDays + 3)));
      days[doneDay]!.push({
        type: 'CaseCompleted',
        caseId,
        occurredAt: iso(at + (doneDay - day) * DAY + 60_000),
        outcome: 'approved',
      });
    }
  }
  for (const d of days) d.sort((a, b) => Date.parse(a.occurredAt as string) - Date.parse(b.occurredAt as string));
  return days;
}

async function timed(port: number, path: string, auth: boolean): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: auth ? { authorization: `Bearer ${TOKEN}` } : {} },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
  });
  return performance.now() - started;
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

const listsBench: Benchmark = async ({ quick }) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lists-'));
  const scheduler = createManualScheduler(MONTH_START);
  const engine = await createEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    storeClock: scheduler.clock,
    scheduler,
    zone: 'Asia/Shanghai',
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
  try {
    const cases = 35_000;
    for (const events of monthOfEvents(cases)) {
      for (let i = 0; i < events.length; i += 1000) {
        const batch = events.slice(i, i + 1000);
        scheduler.advanceTo(Math.max(scheduler.clock(), Date.parse(batch[batch.length - 1]!.occurredAt as string)));
        const res = await fetch(`http://127.0.0.1:${port}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch }),
        });
        if (res.status !== 200) throw new Error(`POST /events: ${res.status}`);
      }
    }
    scheduler.advanceTo(Math.max(scheduler.clock(), Date.parse('2025-12-01T10:00:00+08:00')));
    await engine.readModels.waitForPosition(await engine.store.headPosition(), 60_000);

    const reps = quick ? 60 : 300;
    const paths = {
      healthz: '/healthz',
      cases: '/cases?limit=50',
      overdue: '/cases?sort=-overdueDays&limit=50',
      filtered: '/cases?centerId=street-2&status=open&acceptedFrom=2025-10-10&acceptedTo=2025-10-20&limit=50',
      cards: '/cards?from=2025-10-01&to=2025-11-01&limit=50',
    } as const;
    const samples: Record<keyof typeof paths, number[]> = {
      healthz: [],
      cases: [],
      overdue: [],
      filtered: [],
      cards: [],
    };
    for (const [k, path] of Object.entries(paths)) await timed(port, path, k !== 'healthz'); // warm-up
    for (let r = 0; r < reps; r++) {
      for (const [k, path] of Object.entries(paths))
        samples[k as keyof typeof paths].push(await timed(port, path, k !== 'healthz'));
    }
    const total = (await (
      await fetch(`http://127.0.0.1:${port}/cases?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { total: number };
    if (total.total !== cases) throw new Error(`the list holds ${total.total} cases, not ${cases}`);
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
        target: '< 50 ms p99',
        pass: p99 < 50,
        note: `p50 ${percentile(samples[key], 0.5).toFixed(1)} ms; ${reps} sequential requests; lower is better; ${cases} cases`,
      };
    };
    return [
      row('healthz', 'GET /healthz (baseline)'),
      row('cases', 'GET /cases first page (35,000 cases, sort accepted)'),
      row('overdue', 'GET /cases first page, most overdue first'),
      row('filtered', 'GET /cases first page, center + status + accepted dates'),
      row('cards', 'GET /cards first page, the month'),
    ];
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
Object.defineProperty(listsBench, 'name', { value: 'case list and card register' });

export const benchmarks: Benchmark[] = [listsBench];
