/**
 * The `/metrics` exposition rendered one metric per turn of the event loop.
 * prom-client's `registry.metrics()` collects and serialises every metric in
 * one run of microtasks; with the default process metrics, 200 center labels
 * and the HTTP histograms that was one stretch of 25–42 ms under the hostile
 * suite's invented-centers attack, during which `/healthz` waited. Here each
 * metric (its collect and its text) is one turn, with `nextTurn` between two.
 * The text is the one `registry.metrics()` gives (same metrics, same order, same
 * joins); like it, the scrape is not one atomic snapshot: a counter may move
 * between two metrics.
 */
import client from 'prom-client';

const setImmediateTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function renderInTurns(
  registry: client.Registry,
  nextTurn: () => Promise<void> = setImmediateTurn,
): Promise<string> {
  // OpenMetrics renames counters and ends with `# EOF`: left to prom-client (this registry never uses it).
  if (registry.contentType !== client.Registry.PROMETHEUS_CONTENT_TYPE) return registry.metrics();
  const parts: string[] = [];
  for (const metric of registry.getMetricsAsArray()) {
    if (parts.length > 0) await nextTurn();
    parts.push(await registry.getSingleMetricAsString(metric.name));
  }
  return `${parts.join('\n\n')}\n`;
}
