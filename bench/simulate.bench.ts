/**
 * Demo tooling benchmarks (issue #7):
 *   - history generator throughput (events/s), baseline: JSON.parse of the same
 *     events (what reading them back from a file would cost);
 *   - the simulator end to end into the memory store, in recording order,
 *     baseline: the generator alone (ratio = share of time left to the store).
 */
import { simulateHistory } from '../src/demo/history.js';
import { inRecordOrder } from '../src/demo/record-order.js';
import { openStore } from '../src/store/open.js';
import { caseStreamId } from '../src/domain/streams.js';
import type { Benchmark, BenchRow } from './types.js';
import { median } from './support/median.js';

const opts = (quick: boolean) => ({ seed: 42, months: 1, casesPerMonth: quick ? 8000 : 35_000, startMonth: '2025-09' });

/** JIT warm-up so the first figure is not a cold-start figure. */
function warmUp(): void {
  for (const c of simulateHistory({ ...opts(true), casesPerMonth: 3000 })) JSON.parse(JSON.stringify(c.events));
}

/** Generated events and seconds, and JSON.parse of their texts (events, seconds): one round. */
function generatorRound(quick: boolean): { events: number; genSeconds: number; parsed: number; parseSeconds: number } {
  const t0 = performance.now();
  let events = 0;
  const texts: string[] = [];
  for (const c of simulateHistory(opts(quick))) {
    events += c.events.length;
    texts.push(JSON.stringify(c.events));
  }
  const genSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let parsed = 0;
  for (const t of texts) parsed += (JSON.parse(t) as unknown[]).length;
  return { events, genSeconds, parsed, parseSeconds: (performance.now() - t1) / 1000 };
}

/** Rounds of the generator row: the quick month is ≈ 0.2 s, and its first run after the warm-up is still partly cold. */
const GENERATOR_ROUNDS = 3;

const generator: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  warmUp();
  const rounds = Array.from({ length: GENERATOR_ROUNDS }, () => generatorRound(quick));
  const events = rounds[0]!.events;
  const value = median(rounds.map((r) => r.events / r.genSeconds));
  const baseline = median(rounds.map((r) => r.parsed / r.parseSeconds));
  return [
    {
      name: 'history generator',
      value,
      unit: 'events/s',
      baselineName: 'JSON.parse same events',
      baseline,
      ratio: value / baseline,
      target: '≥ 100,000 events/s (a district-month in < 1 s)',
      pass: value >= 100_000,
      note: `${events.toLocaleString('en')} events of a ${opts(quick).casesPerMonth.toLocaleString('en')}-case month, the median of ${GENERATOR_ROUNDS} rounds; generation includes JSON.stringify`,
    },
  ];
};

const simulator: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const t0 = performance.now();
  let genEvents = 0;
  for (const c of simulateHistory(opts(quick))) genEvents += c.events.length;
  const genRate = genEvents / ((performance.now() - t0) / 1000);

  let recordedAt = 0;
  const store = await openStore('memory', { clock: () => recordedAt });
  const t1 = performance.now();
  let events = 0;
  try {
    for (const b of inRecordOrder(simulateHistory(opts(quick)))) {
      recordedAt = b.recordedAt;
      await store.append(
        caseStreamId(b.caseId),
        b.events.map((e) => ({
          eventId: e.eventId as string,
          type: e.type,
          data: e as unknown as Record<string, unknown>,
        })),
        { expectedRevision: b.firstRevision === 0 ? 'no_stream' : BigInt(b.firstRevision - 1) },
      );
      events += b.events.length;
    }
  } finally {
    await store.close();
  }
  const value = events / ((performance.now() - t1) / 1000);
  return [
    {
      name: 'simulate → memory store (record order)',
      value,
      unit: 'events/s',
      baselineName: 'generator alone',
      baseline: genRate,
      ratio: value / genRate,
      target: '≥ 20,000 events/s (3 district-months in < 15 s)',
      pass: value >= 20_000,
    },
  ];
};

export const benchmarks: Benchmark[] = [generator, simulator];
