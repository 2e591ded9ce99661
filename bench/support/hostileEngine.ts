/**
 * What the attack bench drives: the engine as `npm start` composes it
 * (`src/main.ts` on a sqlite file in a temp dir, DEMO off, rate limit off so an
 * attack is not simply throttled) in a child process, and a `/healthz` probe in
 * another child process, so the bench's own work (building bodies, reading
 * answers) never delays a probe. The same arrangement as
 * test/reliability/hostile-process.int.test.ts.
 *
 * HTTP_BENCH_NODE_ARGS adds node flags to the engine, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under the attacks.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const TOKENS = {
  admin: 'attack-admin-token-0123456789',
  recorder: 'attack-recorder-token-0123456789',
  monitors: Array.from({ length: 3 }, (_, i) => `attack-monitor-${i}-token-0123456789`),
  auditor: 'attack-auditor-token-0123456789',
} as const;

export interface HostileEngine {
  readonly url: string;
  readonly port: number;
  /** The engine's peak resident memory so far (VmHWM), MB. */
  peakRssMb(): number;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export async function startHostileEngine(): Promise<HostileEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-attack-bench-'));
  const port = await freePort();
  const extra = (process.env['HTTP_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const output: string[] = [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      STORE: `sqlite:${join(dir, 'events.db')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: 'off',
      AUDIT_LOG: join(dir, 'audit.log'),
      RATE_LIMIT_PER_SECOND: '0',
      SUPERVISION_TOKENS: JSON.stringify([
        { token: TOKENS.admin, role: 'admin' },
        { token: TOKENS.recorder, role: 'recorder' },
        { token: TOKENS.auditor, role: 'auditor' },
        ...TOKENS.monitors.map((token) => ({ token, role: 'monitor' })),
      ]),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  let gone = false;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => {
    gone = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (!gone) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`attack bench engine exited early:\n${output.join('').slice(-2000)}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      })
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`attack bench engine not ready in 60 s:\n${output.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    close,
  };
}

export interface Probe {
  /** Resolves once the probe has warmed up (its connection open, its code compiled): start the attack then. */
  readonly ready: Promise<void>;
  /** Stops probing; the latencies (ms) of every probe sent. */
  stop(): Promise<number[]>;
}

/** Untimed requests a probe sends before it is ready: a fresh process's first requests time its own start. */
const PROBE_WARM_UP = 5;

/** `/healthz` asked every `everyMs` by a separate node process until stopped. */
export function startProbe(url: string, everyMs: number): Probe {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const lat = [];
    let running = true;
    process.stdin.on('data', () => { running = false; });
    const once = () => new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.get(${JSON.stringify(`${url}/healthz`)}, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      });
      req.on('error', () => resolve(10000));
    });
    (async () => {
      for (let i = 0; i < ${PROBE_WARM_UP}; i++) await once();
      process.stdout.write('ready\\n');
      while (running) {
        lat.push(await once());
        await new Promise((r) => setTimeout(r, ${everyMs}));
      }
      process.stdout.write(JSON.stringify(lat));
      process.exit(0);
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => markReady());
  return {
    ready,
    async stop() {
      child.stdin.write('stop\n');
      await exited;
      return JSON.parse(out.slice('ready\n'.length)) as number[];
    },
  };
}
