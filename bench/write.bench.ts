/**
 * The write side's cost does not grow with the case (issue 13 defect 1): one
 * single-event append to a case's 1000th event against one to a new case's
 * 1st, on the sqlite store (one commit each), in the same run and interleaved
 * (round k appends to case k of each kind, so the machine's load hits both).
 *
 * - `1st`: CaseAccepted of a new case (no read: appended with no_stream).
 * - `1000th, cached`: an escalation to a case holding 999 events that this
 *   process wrote (in the write cache: no read).
 * - `1000th, cold`: the same to a case not in the cache (one read of 999 events,
 *   then cached) — the one-off price after a restart or an eviction.
 * Before this change the cached row paid a copy of the case's eventIds and a
 * second fold per append (20 batches of 1000 escalations took 21.6 s in the
 * write-path test; now ~2 s with the refusals past the cap).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCaseEvent } from '../src/domain/events.js';
import { SqliteEventStore } from '../src/store/sqlite/sqlite-store.js';
import { CaseWriteCache, createWriteSide, GroupCommitter, withEventId, type WriteEvent } from '../src/write/index.js';
import type { Benchmark, BenchRow } from './types.js';
import { median } from './support/median.js';

const NOW = Date.parse('2026-11-30T12:00:00+08:00');
const LONG = 999;

const event = (body: Record<string, unknown>): WriteEvent => {
  const decoded = decodeCaseEvent(body);
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  return withEventId(decoded.event);
};
const acceptance = (caseId: string) =>
  event({
    type: 'CaseAccepted',
    caseId,
    occurredAt: '2026-11-30T09:00:00+08:00',
    centerId: 'center-1',
    departmentId: 'dep-1',
    matterCode: 'M-1',
    kind: 'promised',
    promisedDays: 5,
    channel: 'window',
  });
const escalation = (caseId: string) =>
  event({ type: 'CaseEscalated', caseId, occurredAt: '2026-11-30T10:00:00+08:00', level: 'reminder', by: 'office' });

async function appendCost({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const rounds = quick ? 30 : 150;
  const dir = await mkdtemp(join(tmpdir(), 'write-bench-'));
  const store = new SqliteEventStore(join(dir, 'events.db'), { clock: () => NOW });
  const sideWith = (cache: CaseWriteCache) =>
    createWriteSide({
      store,
      cache,
      committer: new GroupCommitter(store),
      clock: () => NOW,
      futureToleranceMinutes: 5,
      zone: 'Asia/Shanghai',
    });
  try {
    const warm = sideWith(new CaseWriteCache());
    const setup = sideWith(new CaseWriteCache(0));
    for (let k = 0; k < rounds; k++) {
      const events = (caseId: string) => [
        acceptance(caseId),
        ...Array.from({ length: LONG - 1 }, () => escalation(caseId)),
      ];
      await warm.appendGroups([{ caseId: `warm-${k}`, events: events(`warm-${k}`) }]);
      await setup.appendGroups([{ caseId: `cold-${k}`, events: events(`cold-${k}`) }]);
    }
    const cold = sideWith(new CaseWriteCache());
    const ms = { first: [] as number[], warm: [] as number[], cold: [] as number[] };
    const time = async (into: number[], append: () => Promise<unknown>) => {
      const t0 = performance.now();
      await append();
      into.push(performance.now() - t0);
    };
    for (let k = 0; k < rounds; k++) {
      await time(ms.first, () => warm.appendGroups([{ caseId: `new-${k}`, events: [acceptance(`new-${k}`)] }]));
      await time(ms.warm, () => warm.appendGroups([{ caseId: `warm-${k}`, events: [escalation(`warm-${k}`)] }]));
      await time(ms.cold, () => cold.appendGroups([{ caseId: `cold-${k}`, events: [escalation(`cold-${k}`)] }]));
    }
    const first = median(ms.first) * 1000;
    const warmUs = median(ms.warm) * 1000;
    const coldUs = median(ms.cold) * 1000;
    const baselineName = "append a case's 1st event (new case), same run";
    return [
      {
        name: "append to a case's 1000th event (cached), median",
        value: Math.round(warmUs),
        unit: 'µs/append',
        baselineName,
        baseline: Math.round(first),
        ratio: warmUs / first,
        target: '≤ 2× the 1st (does not grow with the case)',
        pass: warmUs <= 2 * first,
        note: `lower is better; ratio = 1000th / 1st; ${rounds} appends each, sqlite, one commit per append`,
      },
      {
        name: "append to a case's 1000th event (not cached: one read of 999 events), median",
        value: Math.round(coldUs),
        unit: 'µs/append',
        baselineName,
        baseline: Math.round(first),
        ratio: coldUs / first,
        note: 'lower is better; the one-off price of a case after a restart or an eviction, linear in its events',
      },
    ];
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [appendCost];
