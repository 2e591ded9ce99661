/**
 * What the in-process HTTP benches share: an engine on a fresh embedded store
 * with a manual clock, listening on a free loopback port; batches written
 * through `POST /events` with the clock moved to each batch's last instant;
 * one timed GET; percentiles and the p99 row against `/healthz` of the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochMs } from '../../src/domain/index.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { createManualScheduler, type ManualScheduler } from '../../src/projections/scheduler.js';
import type { BenchRow } from '../types.js';

export interface BenchServer {
  readonly engine: Engine;
  readonly scheduler: ManualScheduler;
  readonly port: number;
  readonly auth: { readonly authorization: string };
  /** Write events in batches of 1000 through POST /events, the clock at each batch's last instant. */
  postInTimeOrder(events: readonly Readonly<Record<string, unknown>>[]): Promise<void>;
  /** Wait until the read models hold everything written. */
  caughtUp(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchServer(
  name: string,
  token: string,
  start: EpochMs,
  zone: string,
): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const scheduler = createManualScheduler(start);
  const engine = await createEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    storeClock: scheduler.clock,
    scheduler,
    zone,
    tokens: [{ token, role: 'admin' }],
    policy: DEFAULT_POLICY,
    metrics: { defaultMetrics: false },
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const server = await new Promise<http.Server>((resolve) => {
    const s = engine.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const auth = { authorization: `Bearer ${token}` };
  return {
    engine,
    scheduler,
    port,
    auth,
    async postInTimeOrder(events) {
      for (let i = 0; i < events.length; i += 1000) {
        const batch = events.slice(i, i + 1000);
        const last = Date.parse(String(batch[batch.length - 1]!.occurredAt));
        scheduler.advanceTo(Math.max(scheduler.clock(), last));
        const res = await fetch(`http://127.0.0.1:${port}/events`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch }),
        });
        if (res.status !== 200) throw new Error(`POST /events: ${res.status}`);
      }
    },
    async caughtUp(timeoutMs) {
      await engine.readModels.waitForPosition(await engine.store.headPosition(), timeoutMs);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds for one GET answered 200, body read to the end. */
export async function timedGet(port: number, path: string, headers: Readonly<Record<string, string>>): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`GET ${path}: ${res.statusCode}`));
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
  return performance.now() - started;
}

export const percentile = (xs: readonly number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** Sequential rounds over `paths` (after one warm-up each): the samples per key. */
export async function sampleLatencies<K extends string>(
  port: number,
  paths: Readonly<Record<K, readonly [string, Readonly<Record<string, string>>]>>,
  reps: number,
): Promise<Record<K, number[]>> {
  const entries = Object.entries(paths) as [K, readonly [string, Readonly<Record<string, string>>]][];
  const samples = Object.fromEntries(entries.map(([k]) => [k, [] as number[]])) as Record<K, number[]>;
  for (const [, [path, headers]] of entries) await timedGet(port, path, headers);
  for (let r = 0; r < reps; r++) {
    for (const [k, [path, headers]] of entries) samples[k].push(await timedGet(port, path, headers));
  }
  return samples;
}

/** A p99 row of `samples` against the p99 of `baseline` (GET /healthz of the same run). */
export function p99Row(
  name: string,
  samples: readonly number[],
  baseline: readonly number[],
  note: string,
  targetMs?: number,
): BenchRow {
  const p99 = percentile(samples, 0.99);
  const base = percentile(baseline, 0.99);
  return {
    name,
    value: Math.round(p99 * 10) / 10,
    unit: 'ms p99',
    baselineName: 'GET /healthz p99, same run',
    baseline: Math.round(base * 100) / 100,
    ratio: Math.round((p99 / base) * 10) / 10,
    ...(targetMs === undefined ? {} : { target: `< ${targetMs} ms p99`, pass: p99 < targetMs }),
    note: `p50 ${percentile(samples, 0.5).toFixed(1)} ms; ${note}`,
  };
}
