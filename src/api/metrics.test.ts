/**
 * Issue 13 defect 3: invented centers must not grow the metrics series without bound; the
 * operations review: without a directory no centerId is a label value, and a center that leaves
 * the directory leaves the counters.
 */
import client from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type { ReadModels } from '../projections/types.js';
import { DirectoryBook } from '../projections/directoryEvents.js';
import { directoryOf, publishCenters } from '../../test/support/directory.js';
import { createMetrics } from './metrics.js';

const INVENTED = 3_000;
const centers = Array.from({ length: INVENTED }, (_, i) => `invented-${i}`);
/** A directory of the first 200 of them. */
const DIRECTORY_SIZE = 200;
const directory = directoryOf(centers.slice(0, DIRECTORY_SIZE));

const readModelsWith = (rows: readonly string[]): ReadModels =>
  ({
    openCaseCounts: () => rows.map((center) => ({ center, status: 'open' as const, count: 1 })),
    alertCounts: () => rows.map((center) => ({ rule: 'overdue' as const, color: 'red' as const, center, count: 2 })),
    withdrawnCardCounts: () =>
      rows.map((center) => ({ rule: 'complaint-undecided' as const, color: 'red' as const, center, count: 3 })),
    status: () => ({ lagEvents: 0 }),
    currentStatus: async () => ({ lagEvents: 0, behindSeconds: 0 }),
  }) as unknown as ReadModels;

/** The center label values of one metric's series. */
function centerValues(exposition: string, metric: string): string[] {
  const re = new RegExp(`^${metric}\\{[^}]*center="([^"]*)"`, 'gm');
  return [...exposition.matchAll(re)].map((m) => m[1] ?? '');
}

const sampleOf = (exposition: string, metric: string, center: string): number => {
  const line = exposition.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(`center="${center}"`));
  return Number(line?.split(' ').at(-1));
};

const CENTER_METRICS = [
  'supervision_cases_accepted_total',
  'supervision_cases_completed_total',
  'supervision_cards_issued_total',
  'supervision_ratings_total',
  'supervision_complaints_total',
  'supervision_cards_withdrawn_total',
  'supervision_cases_open',
  'supervision_alerts_active',
  'supervision_cards_withdrawn',
];

/** One count of each center-labelled counter for `center`. */
function feedEveryCounter(metrics: ReturnType<typeof createMetrics>, center: string): void {
  metrics.sink.caseAccepted(center, 'promised');
  metrics.sink.caseCompleted(center, 'promised', 'late', false);
  metrics.sink.cardIssued('overdue', 'red', center);
  metrics.sink.caseRated(center, 5);
  metrics.sink.complaintStage(center, 'received');
  metrics.sink.cardWithdrawn('overdue', 'red', center);
}

describe('the center label', () => {
  it(`with a directory of ${DIRECTORY_SIZE} centers, ${INVENTED} centers make ${DIRECTORY_SIZE} + 1 center series per metric; the rest add up under "unregistered"`, async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ readModels: readModelsWith(centers), directory });
    for (const center of centers) feedEveryCounter(metrics, center);
    const text = await metrics.render();
    for (const metric of CENTER_METRICS) {
      const values = centerValues(text, metric);
      expect(new Set(values).size, metric).toBe(DIRECTORY_SIZE + 1);
      expect(values).toContain('unregistered');
    }
    const rest = INVENTED - DIRECTORY_SIZE;
    expect(sampleOf(text, 'supervision_cases_accepted_total', 'unregistered')).toBe(rest);
    expect(sampleOf(text, 'supervision_cases_open', 'unregistered')).toBe(rest);
    expect(text).toContain(`supervision_ratings_total{center="unregistered",score="5"} ${rest}`);
    expect(text).toContain(`supervision_complaints_total{center="unregistered",stage="received"} ${rest}`);
    expect(sampleOf(text, 'supervision_alerts_active', 'unregistered')).toBe(2 * rest);
    expect(sampleOf(text, 'supervision_cards_withdrawn', 'unregistered')).toBe(3 * rest);
    expect(text).toContain('supervision_cards_withdrawn{rule="complaint-undecided",color="red",center="invented-0"} 3');
    expect(sampleOf(text, 'supervision_cases_open', 'invented-0')).toBe(1);
    expect(text.length).toBeLessThan(200_000);
  });

  it('without a directory (the default label), every center counts under "unregistered", none under its id', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ readModels: readModelsWith(['张三-13800138000', 'center-A']) });
    for (const center of ['张三-13800138000', 'center-A']) feedEveryCounter(metrics, center);
    const text = await metrics.render();
    for (const metric of CENTER_METRICS) expect(centerValues(text, metric), metric).toEqual(['unregistered']);
    expect(text).not.toContain('13800138000');
    expect(sampleOf(text, 'supervision_cases_accepted_total', 'unregistered')).toBe(2);
  });

  it('follows the directory bound: unregistered before a publication, its centers after, and a center that leaves it leaves the counters', async () => {
    const book = new DirectoryBook();
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ directory: book });
    feedEveryCounter(metrics, 'center-A');
    const counters = CENTER_METRICS.filter((m) => m.endsWith('_total'));
    const labels = async () => {
      const text = await metrics.render();
      return counters.map((metric) => [metric, [...new Set(centerValues(text, metric))].sort()]);
    };
    expect(await labels()).toEqual(counters.map((m) => [m, ['unregistered']]));

    publishCenters(book, ['center-A', 'center-B']);
    for (const center of ['center-A', 'center-B', 'invented']) feedEveryCounter(metrics, center);
    expect(await labels()).toEqual(counters.map((m) => [m, ['center-A', 'center-B', 'unregistered']]));

    publishCenters(book, ['center-A']); // center-B leaves the directory
    expect(await labels()).toEqual(counters.map((m) => [m, ['center-A', 'unregistered']]));
    const text = await metrics.render();
    expect(sampleOf(text, 'supervision_cases_accepted_total', 'center-A')).toBe(1);
    // Counted before the first publication, and the invented center's: B's counts are dropped, not moved.
    expect(sampleOf(text, 'supervision_cases_accepted_total', 'unregistered')).toBe(2);
  });

  it('a scrape sets each gauge series once, however many centers share it (not one labelled inc per row)', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ readModels: readModelsWith(centers), directory });
    const set = vi.spyOn(client.Gauge.prototype, 'set');
    const inc = vi.spyOn(client.Gauge.prototype, 'inc');
    try {
      const text = await metrics.render();
      // Three per-center gauges of 201 series each, plus the lag, the time behind, two store gauges and the
      // access trail's; 9,000 labelled incs before.
      expect(set.mock.calls.length + inc.mock.calls.length).toBeLessThanOrEqual(3 * (DIRECTORY_SIZE + 1) + 5);
      expect(sampleOf(text, 'supervision_cases_open', 'unregistered')).toBe(INVENTED - DIRECTORY_SIZE);
      expect(sampleOf(text, 'supervision_alerts_active', 'unregistered')).toBe(2 * (INVENTED - DIRECTORY_SIZE));
    } finally {
      set.mockRestore();
      inc.mockRestore();
    }
  });
});
