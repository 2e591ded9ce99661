/**
 * `/healthz` latencies measured by a separate node process, so the caller's own
 * work (building attack bodies, reading answers) never delays a probe. Used by
 * the hostile process test and the attack bench.
 *
 * `ready` resolves once the probe has warmed up: a fresh process's first request
 * loads and compiles its HTTP client and opens the connection, 100–500 ms of the
 * probe's own start on a busy machine. Timed from the first probe of an attack,
 * that was the maximum — so the p99 — of every attack in earlier runs
 * (docs/reliability.md §8, fourth pass).
 */
import { spawn } from 'node:child_process';

/** Untimed requests a probe sends before it is ready. */
const PROBE_WARM_UP = 5;

export interface ProbeOptions {
  /** Pause between two probes (ms). */
  readonly everyMs: number;
  /** A probe slower than this is listed with its wall-clock start, to line it up with an engine profile. */
  readonly slowMs?: number;
  /** Called with the probe process's pid once spawned (e.g. to renice it). */
  readonly onSpawn?: (pid: number | undefined) => void;
}

export interface ProbeResult {
  /** Latency of every probe sent after the warm-up (ms); a failed probe counts 10 s. */
  readonly latencies: number[];
  /** `[wall-clock start (epoch ms), latency (ms)]` of every probe over `slowMs`. */
  readonly slow: [number, number][];
}

export interface Probe {
  readonly ready: Promise<void>;
  /** Stops probing; what was measured. */
  stop(): Promise<ProbeResult>;
}

export function startProbe(url: string, options: ProbeOptions): Probe {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const lat = [];
    const slow = [];
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
        const wall = Date.now();
        const ms = await once();
        lat.push(ms);
        if (ms > ${options.slowMs ?? Number.POSITIVE_INFINITY}) slow.push([wall, Math.round(ms)]);
        await new Promise((r) => setTimeout(r, ${options.everyMs}));
      }
      process.stdout.write(JSON.stringify({ lat, slow }));
      process.exit(0);
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  options.onSpawn?.(child.pid);
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => markReady());
  return {
    ready,
    async stop() {
      child.stdin.write('stop\n');
      await exited;
      const { lat, slow } = JSON.parse(out.slice('ready\n'.length)) as { lat: number[]; slow: [number, number][] };
      return { latencies: lat, slow };
    },
  };
}
