/**
 * HTTP benchmarks (issue #5): the engine in a child process (its own event loop,
 * as in production) on the embedded sqlite store (temp dir) with its
 * projections running, driven over keep-alive connections from this process.
 *   - baseline: GET /healthz, 16 concurrent clients;
 *   - single-event appends: POST /cases/{id}/events, 16 concurrent clients;
 *   - batch appends: POST /events with 1000 events per request.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY } from '../src/domain/policy.js';
import { createEngine } from '../src/engine.js';
import type { Benchmark, BenchOptions, BenchRow } from './types.js';
import { batchBody } from './support/batchBody.js';

const CLIENTS = 16;
/**
 * One token per client, as separate recorders would have: the engine limits
 * requests per token (src/api/rateLimit.ts, 500/s by default), and the limiter
 * stays on, so its cost is measured. /healthz is sent without a token, as
 * probes do (open route, not limited).
 */
const TOKENS = Array.from({ length: CLIENTS }, (_, i) => `bench-admin-token-${String(i).padStart(2, '0')}-0123456789`);

interface Server {
  readonly port: number;
  close(): Promise<void>;
}

async function startServer(dir: string): Promise<Server> {
  const engine = await createEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    zone: 'Asia/Shanghai',
    tokens: TOKENS.map((token) => ({ token, role: 'admin' as const })),
    policy: DEFAULT_POLICY,
    metrics: { defaultMetrics: false },
  });
  await engine.start();
  const { app } = engine;
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      app.closeStreams();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await engine.close();
    },
  };
}

/** The engine as a child process running this file with `--serve <dir>`. */
async function startChildServer(dir: string): Promise<Server> {
  // HTTP_BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env['HTTP_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function request(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  token: string | undefined,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

interface Load {
  readonly count: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly failures: number;
}

/** `clients` loops, each issuing `next(client, i)` until `perClient` requests are done. */
async function drive(
  port: number,
  clients: number,
  perClient: number,
  next: (
    client: number,
    i: number,
  ) => { method: string; path: string; body?: string; ok: number[]; anonymous?: boolean },
): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latenciesMs: number[] = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        const r = next(client, i);
        const t0 = process.hrtime.bigint();
        const status = await request(
          agent,
          port,
          r.method,
          r.path,
          r.anonymous === true ? undefined : TOKENS[client],
          r.body,
        );
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (!r.ok.includes(status)) failures++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { count: clients * perClient, seconds, latenciesMs, failures };
}

const p99 = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
};

/** A case's life as single events: accept, escalate ×3, complete (5 requests per case). */
function singleEvent(
  runId: string,
  client: number,
  i: number,
): { method: string; path: string; body: string; ok: number[] } {
  const caseId = `${runId}-${client}-${Math.floor(i / 5)}`;
  const at = new Date(Date.now() - 60_000).toISOString();
  const step = i % 5;
  const event =
    step === 0
      ? {
          type: 'CaseAccepted',
          occurredAt: at,
          centerId: `c${client % 4}`,
          departmentId: 'd1',
          matterCode: 'M1',
          kind: 'promised',
          promisedDays: 5,
          channel: 'window',
        }
      : step < 4
        ? { type: 'CaseEscalated', occurredAt: at, level: 'reminder', by: 'office' }
        : { type: 'CaseCompleted', occurredAt: at, outcome: 'approved' };
  return { method: 'POST', path: `/cases/${caseId}/events`, body: JSON.stringify(event), ok: [201] };
}

async function httpBench(options: BenchOptions): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-http-bench-'));
  const server = await startChildServer(dir);
  const runId = randomUUID().slice(0, 8);
  try {
    const scale = options.quick ? 1 : 4;
    // Warm-up (JIT, sqlite page cache).
    await drive(server.port, CLIENTS, 20, (c, i) => singleEvent(`w${runId}`, c, i));

    const health = await drive(server.port, CLIENTS, 250 * scale, () => ({
      method: 'GET',
      path: '/healthz',
      ok: [200],
      anonymous: true,
    }));
    const healthRate = health.count / health.seconds;

    const single = await drive(server.port, CLIENTS, 125 * scale, (c, i) => singleEvent(runId, c, i));
    const singleRate = single.count / single.seconds;
    const singleP99 = p99(single.latenciesMs);

    const batches = 2 * scale;
    const bodies = Array.from({ length: batches * 2 }, (_, n) => batchBody(`${runId}-b${n}`));
    const batch = await drive(server.port, 2, batches, (c, i) => ({
      method: 'POST',
      path: '/events',
      body: bodies[c * batches + i] as string,
      ok: [200],
    }));
    const batchRate = (batch.count * 1000) / batch.seconds;

    const ratio = singleRate / healthRate;
    return [
      {
        name: 'http GET /healthz, 16 clients (baseline)',
        value: Math.round(healthRate),
        unit: 'req/s',
        note: `p99 ${p99(health.latenciesMs).toFixed(2)} ms; ${health.failures} failures of ${health.count}`,
      },
      {
        name: 'http POST /cases/{id}/events, 16 clients, sqlite',
        value: Math.round(singleRate),
        unit: 'events/s',
        baselineName: 'http GET /healthz, 16 clients (baseline)',
        baseline: Math.round(healthRate),
        ratio: Number(ratio.toFixed(3)),
        target: '>= 2,000 events/s, p99 < 25 ms, >= 0.25x /healthz',
        pass: singleRate >= 2000 && singleP99 < 25 && ratio >= 0.25 && single.failures === 0,
        note: `p99 ${singleP99.toFixed(2)} ms; ${single.failures} failures of ${single.count}`,
      },
      {
        name: 'http POST /events (1000 per request), sqlite',
        value: Math.round(batchRate),
        unit: 'events/s',
        baselineName: 'http POST /cases/{id}/events, 16 clients, sqlite',
        baseline: Math.round(singleRate),
        ratio: Number((batchRate / singleRate).toFixed(2)),
        target: '>= 30,000 events/s',
        pass: batchRate >= 30_000 && batch.failures === 0,
        note: `${batch.count} requests, 2 clients; 200 cases x 5 events each`,
      },
    ];
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [httpBench];

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly && process.argv[2] === '--serve') {
  // Child mode: serve until SIGTERM.
  const server = await startServer(process.argv[3] as string);
  process.stdout.write(`listening ${server.port}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
} else if (invokedDirectly) {
  // Run directly: `npx tsx bench/http.bench.ts [--quick]`
  httpBench({ quick: process.argv.includes('--quick') }).then(
    (rows) => {
      console.table(rows);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
