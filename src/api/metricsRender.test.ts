/**
 * `/metrics` is rendered one metric per turn (metricsRender.ts): other callbacks
 * run between two metrics, and the text is prom-client's own.
 */
import { describe, expect, it } from 'vitest';
import type { ReadModels } from '../projections/types.js';
import { directoryOf } from '../../test/support/directory.js';
import { createMetrics } from './metrics.js';
import { renderInTurns } from './metricsRender.js';

const centers = Array.from({ length: 300 }, (_, i) => `center-${i}`);
const readModels = {
  openCaseCounts: () => centers.map((center) => ({ center, status: 'open' as const, count: 1 })),
  alertCounts: () => centers.map((center) => ({ rule: 'overdue' as const, color: 'red' as const, center, count: 2 })),
  withdrawnCardCounts: () =>
    centers.map((center) => ({ rule: 'overdue' as const, color: 'red' as const, center, count: 1 })),
  status: () => ({ lagEvents: 0 }),
  currentStatus: async () => ({ lagEvents: 0, behindSeconds: 0 }),
} as unknown as ReadModels;

function loadedMetrics() {
  const metrics = createMetrics(); // with the default process metrics, as the engine runs
  metrics.bind({ readModels, directory: directoryOf(centers) });
  for (const center of centers) {
    metrics.sink.caseAccepted(center, 'promised');
    metrics.sink.cardIssued('overdue', 'red', center);
  }
  return metrics;
}

/** The exposition without the process figures that move by themselves between two scrapes. */
const stable = (text: string): string =>
  text
    .split('\n')
    .filter((l) => /^(# (HELP|TYPE) )?supervision_/.test(l))
    .join('\n');

describe('the /metrics exposition, one metric per turn', () => {
  it('lets other callbacks run between the metrics (none ran during a scrape before)', async () => {
    const metrics = loadedMetrics();
    let others = 0;
    let scraping = true;
    const tick = (): void => {
      others++;
      if (scraping) setImmediate(tick);
    };
    setImmediate(tick);
    const before = others;
    const text = await metrics.render();
    scraping = false;
    const count = metrics.registry.getMetricsAsArray().length;
    expect(count).toBeGreaterThan(20);
    // One turn between two metrics: the other callback ran at least count − 1 times during the scrape.
    expect(others - before).toBeGreaterThanOrEqual(count - 1);
    expect(text).toContain('supervision_cases_accepted_total{center="center-0",kind="promised"} 1');
  });

  it("renders the text prom-client's registry.metrics() renders", async () => {
    const metrics = loadedMetrics();
    const ours = await renderInTurns(metrics.registry);
    const theirs = await metrics.registry.metrics();
    expect(stable(ours)).toBe(stable(theirs));
    expect(stable(ours).length).toBeGreaterThan(10_000);
    // Same metrics in the same order, the same joins, the same ending.
    const heads = (t: string) => t.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(heads(ours)).toEqual(heads(theirs));
    expect(ours.endsWith('\n') && !ours.endsWith('\n\n')).toBe(true);
    expect(ours.split('\n\n').length).toBe(theirs.split('\n\n').length);
  });

  it('without the default process metrics the whole text is identical', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.bind({ readModels });
    for (const center of centers) metrics.sink.caseAccepted(center, 'promised');
    expect(await renderInTurns(metrics.registry)).toBe(await metrics.registry.metrics());
  });
});
