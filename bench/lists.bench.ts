/**
 * The case list and the card register at district-month scale (issue 16):
 * 35,000 cases accepted over one month on the embedded sqlite store (a third
 * still open, some overdue), written day by day through POST /events as the
 * month happens (manual clock, so nothing is a late record), then, against
 * GET /healthz in the same run, the latency of the first page of
 * `GET /cases` (default sort, most overdue first, due soonest first for open
 * and for paused cases, a filtered list) and of
 * `GET /cards` for the month. One client, sequential requests, in process.
 */
import { p99Row, sampleLatencies, startBenchServer } from './support/engineServer.js';
import type { Benchmark, BenchRow } from './types.js';

const TOKEN = 'bench-lists-admin-token-0123456789';
const MONTH_START = Date.parse('2025-10-01T00:00:00+08:00');
const DAY = 86_400_000;
const CENTERS = ['district', 'street-1', 'street-2', 'street-3', 'street-4', 'street-5'];
const DEPARTMENTS = ['health', 'market', 'housing', 'tax', 'civil', 'labour', 'land', 'water'];

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Each day's events in time order: acceptances spread over the working day, completions a few days on,
 * and one open case in ten paused the next morning (1,167 paused at the end: a `sort=dueAt` list
 * reads their deadlines at the query).
 */
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
    if (i % 15 === 0 && promisedDays > 0) {
      // One open case in ten (every 15th case, those promised 5 days) waits for the applicant's supplement
      // from the next morning on, never resumed.
      days[day + 1]!.push({
        type: 'CasePaused',
        caseId,
        occurredAt: iso(MONTH_START + (day + 1) * DAY + 10 * 3_600_000 + (i % 3_600_000)),
        pauseId: 'p1',
        reason: 'supplement',
      });
    }
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

const listsBench: Benchmark = async ({ quick }) => {
  const bench = await startBenchServer('lists', TOKEN, MONTH_START, 'Asia/Shanghai');
  const { port, auth } = bench;
  try {
    const cases = 35_000;
    for (const events of monthOfEvents(cases)) await bench.postInTimeOrder(events);
    bench.scheduler.advanceTo(Math.max(bench.scheduler.clock(), Date.parse('2025-12-01T10:00:00+08:00')));
    await bench.caughtUp(60_000);

    const reps = quick ? 60 : 300;
    const samples = await sampleLatencies(
      port,
      {
        healthz: ['/healthz', {}],
        cases: ['/cases?limit=50', auth],
        overdue: ['/cases?sort=-overdueDays&limit=50', auth],
        due: ['/cases?sort=dueAt&status=open&limit=50', auth],
        paused: ['/cases?sort=dueAt&status=paused&limit=50', auth],
        filtered: ['/cases?centerId=street-2&status=open&acceptedFrom=2025-10-10&acceptedTo=2025-10-20&limit=50', auth],
        cards: ['/cards?from=2025-10-01&to=2025-11-01&limit=50', auth],
      },
      reps,
    );
    const total = (await (await fetch(`http://127.0.0.1:${port}/cases?limit=1`, { headers: auth })).json()) as {
      total: number;
    };
    if (total.total !== cases) throw new Error(`the list holds ${total.total} cases, not ${cases}`);
    const note = `${reps} sequential requests; lower is better; ${cases} cases`;
    const row = (key: keyof typeof samples, name: string): BenchRow =>
      p99Row(name, samples[key], samples.healthz, note, 50);
    return [
      row('healthz', 'GET /healthz (baseline)'),
      row('cases', 'GET /cases first page (35,000 cases, sort accepted)'),
      row('overdue', 'GET /cases first page, most overdue first'),
      row('due', 'GET /cases first page, open cases due soonest first'),
      row('paused', 'GET /cases first page, paused cases due soonest first (deadlines read at the query)'),
      row('filtered', 'GET /cases first page, center + status + accepted dates'),
      row('cards', 'GET /cards first page, the month'),
    ];
  } finally {
    await bench.close();
  }
};
Object.defineProperty(listsBench, 'name', { value: 'case list and card register' });

export const benchmarks: Benchmark[] = [listsBench];
