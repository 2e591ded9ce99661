/**
 * `GET /cases/{id}/history` cost (issue 13 defect 1): a 1000-event case (the
 * SPEC's cap: one acceptance, 998 escalations a minute apart, the completion)
 * against a 10-event case in the same run, on the embedded sqlite store. Time
 * and bytes of the first page (default limit 200, with `current` explained) and
 * of all pages walked with the `next` cursor. Measured as the route does it:
 * `buildHistoryPage` then `JSON.stringify` (what res.json sends); median of
 * several repetitions. Before paging, the 1000-event case took 6.3 s and 72 MB.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHistoryPage, HISTORY_DEFAULT_LIMIT, type HistoryDeps } from '../src/api/history.js';
import { createCalendarService, DEFAULT_POLICY } from '../src/domain/index.js';
import { openStore } from '../src/store/open.js';
import { caseStreamId } from '../src/domain/streams.js';
import type { EventData } from '../src/store/port.js';
import type { Benchmark, BenchRow } from './types.js';
import { median } from './support/median.js';

const ACCEPTED_AT = Date.parse('2025-09-01T09:00:00+08:00');
const NOW = Date.parse('2025-10-15T10:00:00+08:00');

function caseEvents(caseId: string, n: number): EventData[] {
  const at = (i: number) => new Date(ACCEPTED_AT + i * 60_000).toISOString();
  const event = (type: string, i: number, rest: Record<string, unknown>): EventData => ({
    eventId: randomUUID(),
    type,
    data: { type, caseId, occurredAt: at(i), ...rest },
  });
  const events = [
    event('CaseAccepted', 0, {
      centerId: 'c1',
      departmentId: 'd1',
      matterCode: 'M1',
      kind: 'promised',
      promisedDays: 10,
      channel: 'window',
    }),
  ];
  for (let i = 1; i < n - 1; i++) events.push(event('CaseEscalated', i, { level: 'reminder', by: 'office' }));
  events.push(event('CaseCompleted', n - 1, { outcome: 'approved' }));
  return events;
}

interface Figures {
  readonly firstMs: number;
  readonly firstBytes: number;
  readonly allMs: number;
  readonly allBytes: number;
  readonly pages: number;
}

async function measure(deps: HistoryDeps, caseId: string): Promise<Figures> {
  const query = { asOf: undefined, knownAt: undefined, now: NOW, limit: HISTORY_DEFAULT_LIMIT };
  let after: number | undefined;
  let pages = 0;
  let allBytes = 0;
  let firstBytes = 0;
  let firstMs = 0;
  const started = performance.now();
  do {
    const t0 = performance.now();
    const page = await buildHistoryPage(deps, caseId, { ...query, after });
    if (page === undefined) throw new Error(`no history for ${caseId}`);
    const bytes = Buffer.byteLength(JSON.stringify(page));
    if (pages === 0) {
      firstMs = performance.now() - t0;
      firstBytes = bytes;
    }
    allBytes += bytes;
    pages++;
    after = page.next ?? undefined;
  } while (after !== undefined);
  return { firstMs, firstBytes, allMs: performance.now() - started, allBytes, pages };
}

const historyBench: Benchmark = async ({ quick }) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const store = await openStore(`sqlite:${join(dir, 'events.db')}`, { clock: () => ACCEPTED_AT + 1_000 * 60_000 });
  try {
    await store.append(caseStreamId('BIG'), caseEvents('BIG', 1000));
    await store.append(caseStreamId('SMALL'), caseEvents('SMALL', 10));
    const deps: HistoryDeps = {
      store,
      calendarService: createCalendarService('Asia/Shanghai'),
      policy: DEFAULT_POLICY,
    };
    await measure(deps, 'BIG'); // warm-up
    await measure(deps, 'SMALL');
    const reps = quick ? 3 : 9;
    const big: Figures[] = [];
    const small: Figures[] = [];
    for (let i = 0; i < reps; i++) {
      big.push(await measure(deps, 'BIG'));
      small.push(await measure(deps, 'SMALL'));
    }
    const b = (k: keyof Figures) => median(big.map((f) => f[k]));
    const s = (k: keyof Figures) => median(small.map((f) => f[k]));
    const row = (name: string, k: keyof Figures, unit: string, target: string, pass: boolean): BenchRow => ({
      name,
      value: Math.round(b(k) * 10) / 10,
      unit,
      baselineName: '10-event case, same run',
      baseline: Math.round(s(k) * 10) / 10,
      ratio: Math.round((b(k) / s(k)) * 10) / 10,
      target,
      pass,
      note: 'lower is better; before paging: 6.3 s and 72 MB in one answer',
    });
    return [
      row(
        'history 1000-event case, first page (200 events, current explained)',
        'firstMs',
        'ms',
        '< 1 s',
        b('firstMs') < 1000,
      ),
      row('history 1000-event case, first page bytes', 'firstBytes', 'B', '< 4 MB', b('firstBytes') < 4e6),
      row(`history 1000-event case, all ${b('pages')} pages`, 'allMs', 'ms', '< 2 s', b('allMs') < 2000),
      row('history 1000-event case, all pages bytes', 'allBytes', 'B', '< 8 MB', b('allBytes') < 8e6),
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
Object.defineProperty(historyBench, 'name', { value: 'history paging' });

export const benchmarks: Benchmark[] = [historyBench];
