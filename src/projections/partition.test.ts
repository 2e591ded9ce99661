/**
 * Projection workers by center (issue 18, goal 5): a partition is validated
 * and fails closed; its subscription names its centers' case and complaint
 * streams and every stream all workers need; and the partitions' `/stats`
 * grouped by center, merged, is the single worker's answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService, DEFAULT_POLICY, parseInstant } from '../domain/index.js';
import { createEngine } from '../engine.js';
import { CENTERS, type Center } from '../demo/catalog.js';
import { simulateCasesAndComplaints } from '../demo/complaint-history.js';
import { recordDemoDirectory } from '../demo/directory.js';
import { inRecordOrder } from '../demo/record-order.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { type EventStore, MAX_STREAM_PREFIXES } from '../store/port.js';
import { DirectoryBook } from './directoryEvents.js';
import { STREAM_PREFIXES } from './eventRouting.js';
import { validatePrefixes } from '../store/core/validate.js';
import {
  MAX_PARTITION_PREFIXES,
  PartitionError,
  partitionStreamPrefixes,
  validatePartition,
  type ProjectionPartition,
} from './partition.js';
import { mergeStatsByCenter, StatsMergeError } from './partitionStats.js';
import { createProjections, type Projections } from './runner.js';
import { createManualScheduler } from './scheduler.js';
import type { StatsResult } from './statsFigures.js';
import { ZONE } from './testSupport.js';

describe('a partition is validated and fails closed', () => {
  const bad: Array<[unknown, string]> = [
    [undefined, 'partition'],
    [null, 'partition'],
    ['530102', 'partition'],
    [{}, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: [] }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: '530102' }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: [''] }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: ['53 01'] }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: ['case-*'] }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: ['x'.repeat(64)] }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: [530102] }, 'partition.caseIdPrefixes'],
    [{ caseIdPrefixes: ['530102', '530102'] }, 'partition.caseIdPrefixes'],
    [
      { caseIdPrefixes: Array.from({ length: MAX_PARTITION_PREFIXES + 1 }, (_, i) => `p${i}`) },
      'partition.caseIdPrefixes',
    ],
    [
      {
        caseIdPrefixes: ['530102'],
        complaintIdPrefixes: Array.from({ length: MAX_PARTITION_PREFIXES + 1 }, (_, i) => `p${i}`),
      },
      'partition.complaintIdPrefixes',
    ],
    [{ caseIdPrefixes: ['530102'], complaintIdPrefixes: ['', 'TS-'] }, 'partition.complaintIdPrefixes'],
    [{ caseIdPrefixes: ['530102'], complaintIdPrefixes: [' '] }, 'partition.complaintIdPrefixes'],
    [{ caseIdPrefixes: ['530102'], complaintIdPrefixes: 'TS-' }, 'partition.complaintIdPrefixes'],
    [{ caseIdPrefixes: ['530102'], centers: ['530102'] }, 'partition.centers'],
  ];
  it.each(bad)('%j is refused, naming %s', (value, field) => {
    let error: unknown;
    try {
      validatePartition(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PartitionError);
    expect((error as PartitionError).field).toBe(field);
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  });

  it('createProjections refuses a bad partition before touching the store', () => {
    const store = new MemoryEventStore();
    expect(() =>
      createProjections({
        store,
        calendarService: createCalendarService(ZONE),
        policy: DEFAULT_POLICY,
        clock: () => 0,
        zone: ZONE,
        partition: { caseIdPrefixes: ['53/01'] },
      }),
    ).toThrow(PartitionError);
  });
});

describe('the engine with a partition', () => {
  it('folds only its centers, and refuses a bad partition before it serves', async () => {
    const store = await seededStore(7, [CENTERS[0]!, CENTERS[1]!], 40);
    const config = { store, zone: ZONE, tokens: [], metrics: { defaultMetrics: false } };
    await expect(createEngine({ ...config, projectionPartition: { caseIdPrefixes: ['W H'] } })).rejects.toThrow(
      PartitionError,
    );
    const whole = await createEngine(config);
    const wuhua = await createEngine({ ...config, projectionPartition: partitionOf([CENTERS[0]!]) });
    try {
      await whole.start();
      await wuhua.start();
      const query = { from: '2025-03-01', to: '2025-05-01', groupBy: 'center' as const };
      const mine = wuhua.readModels.stats(query).groups!.map((g) => g.key);
      expect(mine).toEqual([CENTERS[0]!.id]);
      expect(wuhua.readModels.stats(query).groups).toStrictEqual(
        whole.readModels.stats(query).groups!.filter((g) => g.key === CENTERS[0]!.id),
      );
    } finally {
      await wuhua.projections?.stop();
      await whole.projections?.stop();
    }
  });
});

describe('the streams a partition subscribes to', () => {
  it('without a partition: every projected stream', () => {
    expect(partitionStreamPrefixes(undefined)).toBe(STREAM_PREFIXES);
  });

  it("its centers' cases and complaints, and every other projected stream (calendar, policy, directory)", () => {
    const prefixes = partitionStreamPrefixes({ caseIdPrefixes: ['530102', '530103'] });
    expect(prefixes.filter((p) => p.startsWith('case-'))).toEqual(['case-530102', 'case-530103']);
    expect(prefixes.filter((p) => p.startsWith('complaint-'))).toEqual(['complaint-530102', 'complaint-530103']);
    // Whatever is projected besides cases and complaints goes to every worker (a new kind of stream is not forgotten).
    for (const shared of STREAM_PREFIXES.filter((p) => p !== 'case-' && p !== 'complaint-'))
      expect(prefixes).toContain(shared);
    expect(prefixes).toHaveLength(4 + STREAM_PREFIXES.length - 2);
  });

  it("the largest valid partition's streams fit the store's cap on prefixes (one rule: port.ts)", () => {
    const most = Array.from({ length: MAX_PARTITION_PREFIXES }, (_, i) => `${i}`.padStart(63, 'x'));
    const prefixes = partitionStreamPrefixes({ caseIdPrefixes: most, complaintIdPrefixes: most });
    expect(prefixes.length).toBeLessThanOrEqual(MAX_STREAM_PREFIXES);
    expect(MAX_STREAM_PREFIXES - prefixes.length).toBeLessThan(2); // the cap is used, not a guess below it
    expect(validatePrefixes(prefixes)).toBe(prefixes);
  });

  it('complaint ids by their own prefixes, none, or all of them', () => {
    const own = partitionStreamPrefixes({ caseIdPrefixes: ['WH-'], complaintIdPrefixes: ['TS-WH-'] });
    expect(own.filter((p) => p.startsWith('complaint-'))).toEqual(['complaint-TS-WH-']);
    const none = partitionStreamPrefixes({ caseIdPrefixes: ['WH-'], complaintIdPrefixes: [] });
    expect(none.some((p) => p.startsWith('complaint-'))).toBe(false);
    const all = partitionStreamPrefixes({ caseIdPrefixes: ['WH-'], complaintIdPrefixes: [''] });
    expect(all.filter((p) => p.startsWith('complaint-'))).toEqual(['complaint-']);
  });
});

/** The demo's ids: cases `<code>-YYYYMMDD-nnnnn`, complaints `TS-<code>-YYYYMMDD-nnn`. */
const partitionOf = (centers: readonly Center[]): ProjectionPartition => ({
  caseIdPrefixes: centers.map((c) => `${c.code}-`),
  complaintIdPrefixes: centers.map((c) => `TS-${c.code}-`),
});

async function seededStore(seed: number, centers: readonly Center[], casesPerMonth: number): Promise<EventStore> {
  let now = parseInstant('2025-02-20T09:00:00+08:00');
  const store = new MemoryEventStore({ clock: () => now });
  await recordDemoDirectory(store, now, ZONE);
  const history = simulateCasesAndComplaints({
    seed,
    months: 2,
    startMonth: '2025-03',
    centers: centers.map((c) => c.id),
    casesPerMonth,
    zone: ZONE,
  });
  for (const batch of inRecordOrder(history)) {
    now = batch.recordedAt;
    await store.append(
      batch.streamId,
      batch.events.map((e) => ({ eventId: e.eventId!, type: e.type, data: e as unknown as Record<string, unknown> })),
    );
  }
  return store;
}

async function started(store: EventStore, at: number, partition?: ProjectionPartition): Promise<Projections> {
  const scheduler = createManualScheduler(at);
  const projections = createProjections({
    store,
    calendarService: createCalendarService(ZONE),
    policy: DEFAULT_POLICY,
    directory: new DirectoryBook(),
    clock: scheduler.clock,
    zone: ZONE,
    scheduler,
    ...(partition === undefined ? {} : { partition }),
  });
  await projections.start();
  return projections;
}

/** Everything but the total's avgUsedDays (within 0.01 day: the rows' rounding, then its own; see partitionStats.ts). */
function withoutTotalAvgDays(s: StatsResult): unknown {
  return { ...s, flow: { ...s.flow, avgUsedDays: 'compared apart' } };
}

const PERIODS = [
  { from: '2025-03-01', to: '2025-04-01' },
  { from: '2025-04-01', to: '2025-05-01' },
  { from: '2025-01-01', to: '2026-01-01' },
];

describe('two workers, each with some centers, answer /stats as one worker holding all', () => {
  it('merged by center: every center row exactly, the totals recomputed from the rows (random histories and splits)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.subarray([...CENTERS], { minLength: 2 }),
        fc.integer({ min: 40, max: 160 }),
        fc.func(fc.boolean()),
        async (seed, centers, casesPerMonth, side) => {
          const store = await seededStore(seed, centers, casesPerMonth);
          const a = centers.filter((_, i) => side(i));
          const b = centers.filter((_, i) => !side(i));
          fc.pre(a.length > 0 && b.length > 0);
          const at = parseInstant('2025-05-10T12:00:00+08:00');
          const whole = await started(store, at);
          const parts = [await started(store, at, partitionOf(a)), await started(store, at, partitionOf(b))];
          try {
            const [infoA, infoB] = parts.map((p) => p.info());
            expect(infoA!.cases + infoB!.cases).toBe(whole.info().cases);
            expect(infoA!.complaints + infoB!.complaints).toBe(whole.info().complaints);
            expect(infoA!.alerts + infoB!.alerts).toBe(whole.info().alerts);
            for (const period of PERIODS) {
              const query = { ...period, groupBy: 'center' as const };
              const single = whole.readModels.stats(query);
              const merged = mergeStatsByCenter(parts.map((p) => p.readModels.stats(query)));
              expect(merged.groups).toStrictEqual(single.groups);
              expect(withoutTotalAvgDays(merged)).toStrictEqual(withoutTotalAvgDays(single));
              if (single.flow.avgUsedDays === null) expect(merged.flow.avgUsedDays).toBeNull();
              else
                expect(Math.abs(merged.flow.avgUsedDays! - single.flow.avgUsedDays)).toBeLessThanOrEqual(0.01 + 1e-9);
            }
          } finally {
            for (const p of [whole, ...parts]) await p.stop();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it('refuses answers it cannot merge', () => {
    const s = (over: Partial<StatsResult>): StatsResult =>
      ({
        from: '2025-03-01',
        to: '2025-04-01',
        zone: ZONE,
        filter: {},
        groupBy: 'center',
        groups: [],
        calendarVersion: 'cn-2025',
        policyVersions: [],
        ...over,
      }) as StatsResult;
    expect(() => mergeStatsByCenter([])).toThrow(StatsMergeError);
    expect(() => mergeStatsByCenter([s({ groupBy: 'department' })])).toThrow(/grouped by center/);
    expect(() => mergeStatsByCenter([s({}), s({ to: '2025-05-01' })])).toThrow(/different periods/);
    expect(() => mergeStatsByCenter([s({}), s({ filter: { departmentId: 'd1' } })])).toThrow(/different filters/);
    const row = { key: 'WH' } as unknown as NonNullable<StatsResult['groups']>[number];
    expect(() => mergeStatsByCenter([s({ groups: [row] }), s({ groups: [row] })])).toThrow(/center WH is in two/);
    expect(() => mergeStatsByCenter([s({}), s({ calendarVersion: 'cn-2025b' })])).toThrow(
      /different calendar versions/,
    );
  });
});
