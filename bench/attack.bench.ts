/**
 * `/healthz` while the engine is under a write attack (issue 13): the engine in
 * a child process (bench/http.bench.ts in its `--serve` mode: sqlite, the
 * projections running), probed on `/healthz` every 5 ms from this process,
 * first idle and then while two clients post 1000-event batches (`POST /events`)
 * back to back. The row is the p99 under attack against the idle p99 of the
 * same run; a long synchronous stretch in the engine (deciding, appending or
 * folding a batch) shows up here as a probe that waited for it.
 *
 * HTTP_BENCH_NODE_ARGS adds node flags to the engine, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under the attack.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchOptions, BenchRow } from './types.js';
import { batchBody } from './support/batchBody.js';

const SERVER_FILE = fileURLToPath(new URL('./http.bench.ts', import.meta.url));
/** One of the admin tokens http.bench.ts's server accepts. */
const TOKEN = 'bench-admin-token-00-0123456789';
const PROBE_EVERY_MS = 5;
const TARGET_P99_MS = 100;

interface Child {
  readonly port: number;
  close(): Promise<void>;
}

async function startEngine(dir: string): Promise<Child> {
  const extra = (process.env['HTTP_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', SERVER_FILE, '--serve', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`attack bench engine exited early (${code})`)));
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

function send(agent: http.Agent, port: number, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers:
          body === undefined
            ? {}
            : {
                authorization: `Bearer ${TOKEN}`,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
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

/** Probes `/healthz` every PROBE_EVERY_MS until `until` settles; the latencies in ms. */
async function probeWhile(port: number, until: Promise<unknown>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const t0 = performance.now();
    await send(agent, port, 'GET', '/healthz');
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  agent.destroy();
  return latencies;
}

const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
};

async function attack(port: number, bodies: readonly string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  let failures = 0;
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        if ((await send(agent, port, 'POST', '/events', body)) !== 200) failures++;
      }
    }),
  );
  agent.destroy();
  return failures;
}

async function attackBench(options: BenchOptions): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-attack-bench-'));
  const engine = await startEngine(dir);
  const runId = randomUUID().slice(0, 8);
  try {
    const batches = options.quick ? 40 : 120;
    const bodies = Array.from({ length: batches + 2 }, (_, n) => batchBody(`${runId}-${n}`));
    await attack(engine.port, bodies.slice(0, 2)); // warm-up (JIT, sqlite page cache)

    const idleMs = options.quick ? 3_000 : 10_000;
    const idle = await probeWhile(engine.port, new Promise((r) => setTimeout(r, idleMs)));
    const started = performance.now();
    const attacking = attack(engine.port, bodies.slice(2));
    const [loaded, failures] = await Promise.all([probeWhile(engine.port, attacking), attacking]);
    const seconds = (performance.now() - started) / 1000;

    const idleP99 = quantile(idle, 0.99);
    const loadedP99 = quantile(loaded, 0.99);
    return [
      {
        name: 'http GET /healthz p99, idle (baseline)',
        value: Number(idleP99.toFixed(1)),
        unit: 'ms',
        note: `${idle.length} probes; median ${quantile(idle, 0.5).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms`,
      },
      {
        name: 'http GET /healthz p99 during 1000-event POST /events',
        value: Number(loadedP99.toFixed(1)),
        unit: 'ms',
        baselineName: 'http GET /healthz p99, idle (baseline)',
        baseline: Number(idleP99.toFixed(1)),
        ratio: Number((loadedP99 / Math.max(idleP99, 0.001)).toFixed(2)),
        target: `p99 < ${TARGET_P99_MS} ms (issue 13); ratio: lower is better`,
        pass: loadedP99 < TARGET_P99_MS && failures === 0,
        note:
          `${loaded.length} probes; median ${quantile(loaded, 0.5).toFixed(1)} ms, max ${Math.max(...loaded).toFixed(1)} ms; ` +
          `${batches} batches by 2 clients in ${seconds.toFixed(1)} s (${Math.round((batches * 1000) / seconds)} events/s), ${failures} failed`,
      },
    ];
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [attackBench];

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  // Run directly: `npx tsx bench/attack.bench.ts [--quick]`
  attackBench({ quick: process.argv.includes('--quick') }).then(
    (rows) => console.table(rows),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
