/** Issue 13 defect 3: invented centers must not grow the metrics series without bound. */
import client from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type { ReadModels } from '../projections/types.js';
import { DEFAULT_MAX_CENTER_LABELS } from './centerLabels.js';
import { createMetrics } from './metrics.js';

const INVENTED = 3_000;
const centers = Array.from({ length: INVENTED }, (_, i) => `invented-${i}`);

const readModelsWith = (rows: readonly string[]): ReadModels =>
  ({
    openCaseCounts: () => rows.map((center) => ({ center, status: 'open' as const, count: 1 })),
    alertCounts: () => rows.map((center) => ({ rule: 'overdue' as const, color: 'red' as const, center, count: 2 })),
    withdrawnCardCounts: () =>
      rows.map((center) => ({ rule: 'complaint-undecided' as const, color: 'red' as const, center, count: 3 })),
    status: () => ({ lagEvents: 0 }),
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

describe('the center label', () => {
  it(`${INVENTED} invented centers make at most ${DEFAULT_MAX_CENTER_LABELS} + 1 center series per metric; the rest add up under "unregistered"`, async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ readModels: readModelsWith(centers) });
    for (const center of centers) {
      metrics.sink.caseAccepted(center, 'promised');
      metrics.sink.caseCompleted(center, 'promised', 'late', false);
      metrics.sink.cardIssued('overdue', 'red', center);
      metrics.sink.caseRated(center, 5);
      metrics.sink.complaintStage(center, 'received');
      metrics.sink.cardWithdrawn('overdue', 'red', center);
    }
    const text = await metrics.render();
    for (const metric of [
      'supervision_cases_accepted_total',
      'supervision_cases_completed_total',
      'supervision_cards_issued_total',
      'supervision_ratings_total',
      'supervision_complaints_total',
      'supervision_cases_open',
      'supervision_alerts_active',
      'supervision_cards_withdrawn',
      'supervision_cards_withdrawn_total',
    ]) {
      const values = centerValues(text, metric);
      expect(new Set(values).size, metric).toBe(DEFAULT_MAX_CENTER_LABELS + 1);
      expect(values).toContain('unregistered');
    }
    const rest = INVENTED - DEFAULT_MAX_CENTER_LABELS;
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

  it('the label function is replaceable (the directory will pass its own)', async () => {
    const metrics = createMetrics({
      defaultMetrics: false,
      centerLabel: (id) => (id === 'center-A' ? id : 'unregistered'),
    });
    metrics.sink.caseAccepted('center-A', 'instant');
    metrics.sink.caseAccepted('center-B', 'instant');
    const text = await metrics.render();
    expect(centerValues(text, 'supervision_cases_accepted_total').sort()).toEqual(['center-A', 'unregistered']);
  });

  it('a scrape sets each gauge series once, however many centers share it (not one labelled inc per row)', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ readModels: readModelsWith(centers) });
    const set = vi.spyOn(client.Gauge.prototype, 'set');
    const inc = vi.spyOn(client.Gauge.prototype, 'inc');
    try {
      const text = await metrics.render();
      // Three per-center gauges of 201 series each, plus the lag and two store gauges; 9,000 labelled incs before.
      expect(set.mock.calls.length + inc.mock.calls.length).toBeLessThanOrEqual(
        3 * (DEFAULT_MAX_CENTER_LABELS + 1) + 3,
      );
      expect(sampleOf(text, 'supervision_cases_open', 'unregistered')).toBe(INVENTED - DEFAULT_MAX_CENTER_LABELS);
      expect(sampleOf(text, 'supervision_alerts_active', 'unregistered')).toBe(
        2 * (INVENTED - DEFAULT_MAX_CENTER_LABELS),
      );
    } finally {
      set.mockRestore();
      inc.mockRestore();
    }
  });
});
