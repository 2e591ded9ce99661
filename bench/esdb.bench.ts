/**
 * EventStoreDB appendMany (src/store/esdb/appendMany.ts): a group commit of single-event cases,
 * each a request of several round trips (stream read, eventId claim, append, read-back), on the
 * wire-level test server (test/store/esdb-wire) answering every call after `delayMs` (a network's
 * latency). Requests for different streams concurrently (16 at once, the default) against the same
 * requests one at a time (`appendConcurrency: 1`, what appendMany did before), in the same run,
 * rounds alternating. The server runs in this process: its own CPU is part of both figures.
 */
import { randomUUID } from 'node:crypto';
import { openEsdbStore } from '../src/store/esdb/open-esdb.js';
import type { EventStore, StreamAppend } from '../src/store/port.js';
import { WireServer } from '../test/store/esdb-wire/server.js';
import type { Benchmark, BenchRow } from './types.js';
import { median } from './support/median.js';

const DELAY_MS = 2;

const cases = (n: number): StreamAppend[] =>
  Array.from({ length: n }, () => {
    const caseId = `bench-${randomUUID().slice(0, 8)}`;
    return {
      streamId: `case-${caseId}`,
      events: [{ eventId: randomUUID(), type: 'CaseEscalated', data: { type: 'CaseEscalated', caseId } }],
      expectedRevision: 'no_stream' as const,
    };
  });

/** Milliseconds one appendMany of `n` fresh single-event cases takes. */
async function appendManyMs(store: EventStore, n: number): Promise<number> {
  const requests = cases(n);
  const t0 = performance.now();
  const outcomes = await store.appendMany(requests);
  const ms = performance.now() - t0;
  if (!outcomes.every((o) => o.ok)) throw new Error('appendMany refused a request');
  return ms;
}

const appendManyLatency: Benchmark = async ({ quick }): Promise<BenchRow[]> => {
  const n = 200;
  const rounds = quick ? 1 : 3;
  const server = await WireServer.start();
  const concurrent = await openEsdbStore(server.connectionString);
  const oneAtATime = await openEsdbStore(server.connectionString, { appendConcurrency: 1 });
  try {
    await appendManyMs(concurrent, 16); // warm both clients' connections and batch-append streams
    await appendManyMs(oneAtATime, 16);
    server.delayMs = DELAY_MS;
    const ms = { concurrent: [] as number[], oneAtATime: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      ms.oneAtATime.push(await appendManyMs(oneAtATime, n));
      ms.concurrent.push(await appendManyMs(concurrent, n));
    }
    const value = median(ms.concurrent);
    const baseline = median(ms.oneAtATime);
    return [
      {
        name: `esdb appendMany of ${n} single-event cases, wire server delayMs=${DELAY_MS}, concurrent (16)`,
        value: Math.round(value),
        unit: 'ms/call',
        baselineName: 'the same requests one at a time (appendConcurrency 1), same run',
        baseline: Math.round(baseline),
        ratio: baseline / value,
        // 16 in flight against 2 ms a call; the in-process server shares the 2 cores, so far below 16×.
        target: '≥ 3× one at a time',
        pass: baseline / value >= 3,
        note: `lower is better; ratio = one at a time / concurrent; median of ${rounds} round(s), alternating; server in-process`,
      },
    ];
  } finally {
    await concurrent.close();
    await oneAtATime.close();
    await server.stop();
  }
};

export const benchmarks: Benchmark[] = [appendManyLatency];
