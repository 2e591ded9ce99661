/**
 * What the attack bench drives: the engine as `npm start` composes it
 * (`src/main.ts` on a sqlite file in a temp dir, DEMO off, rate limit off so an
 * attack is not simply throttled) in a child process, and a `/healthz` probe in
 * another child process, so the bench's own work (building bodies, reading
 * answers) never delays a probe. The same process and probe as
 * test/reliability/hostile-process.int.test.ts (its support/ modules).
 *
 * HTTP_BENCH_NODE_ARGS adds node flags to the engine, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under the attacks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEngine } from '../../test/reliability/support/engine-process.js';
import { startProbe as startHealthzProbe } from '../../test/reliability/support/healthzProbe.js';

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

export async function startHostileEngine(): Promise<HostileEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-attack-bench-'));
  const port = await freePort();
  const engine = await startEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    port,
    auditLog: join(dir, 'audit.log'),
    tokens: [
      { token: TOKENS.admin, role: 'admin' },
      { token: TOKENS.recorder, role: 'recorder' },
      { token: TOKENS.auditor, role: 'auditor' },
      ...TOKENS.monitors.map((token) => ({ token, role: 'monitor' })),
    ],
    env: { RATE_LIMIT_PER_SECOND: '0' },
    nodeArgs: (process.env['HTTP_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: engine.url,
    port,
    peakRssMb: () => {
      const status = readFileSync(`/proc/${engine.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    close: async () => {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Probe {
  /** Resolves once the probe has warmed up (its connection open, its code compiled): start the attack then. */
  readonly ready: Promise<void>;
  /** Stops probing; the latencies (ms) of every probe sent. */
  stop(): Promise<number[]>;
}

/** `/healthz` asked every `everyMs` by a separate node process until stopped. */
export function startProbe(url: string, everyMs: number): Probe {
  const probe = startHealthzProbe(url, { everyMs });
  return { ready: probe.ready, stop: async () => (await probe.stop()).latencies };
}
