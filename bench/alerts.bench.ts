/**
 * Alert latency (issue #4): "an event-driven alert reaches an SSE client within
 * 50 ms (p99) of its 201; a time-driven alert within 1 s of its instant."
 *
 * The engine runs in a child process (its own event loop, as in production) on
 * the embedded sqlite store (temp dir) with its real projections and the real
 * scheduler; this process is the recorder(s) and one SSE client on
 * /alerts/stream (fetch + stream reader, bearer token).
 *   - event-driven: POST /cases/{id}/events of an instant case accepted
 *     yesterday 23:59 local (overdue since midnight); per case, the time from
 *     receiving the 201 to receiving its `alert-raised` (rule `overdue`).
 *     Baseline: the 201 round trip itself, same requests.
 *   - time-driven: the engine's clock is the real clock shifted so that a local
 *     midnight (Asia/Shanghai) falls a few seconds after start; M instant
 *     cases accepted that day become overdue at that midnight with no new
 *     event; per case, boundary → receipt of its `alert-raised`, both on the
 *     shifted clock; the batch runs twice (two engines, pooled). Baseline: one
 *     case alone at its midnight (its own engine). The engine also reports when
 *     it published the alerts, to tell its own time from delivery.
 *
 * The per-token rate limit is off in this server (one recorder sending
 * sequentially exceeds 500 req/s); its cost is measured in bench/http.bench.ts.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { DEFAULT_POLICY } from '../src/domain/policy.js';
import { createEngine } from '../src/engine.js';
import type { Benchmark, BenchOptions, BenchRow } from './types.js';

const ZONE = 'Asia/Shanghai';
const CLIENTS = 16;
const TOKEN = 'bench-alerts-admin-token-0123456789';
const EVENT_TARGET_MS = 50;
const TIME_TARGET_MS = 1000;

// ---------------------------------------------------------------- server (child)

/** Child mode: load modules, print `ready`, read `{offsetMs}` on stdin, serve until SIGTERM. */
async function serveChild(dir: string): Promise<void> {
  process.stdout.write('ready\n');
  const line = await new Promise<string>((resolve) => {
    createInterface({ input: process.stdin }).once('line', resolve);
  });
  const { offsetMs } = JSON.parse(line) as { offsetMs: number };
  const clock = (): number => Date.now() + offsetMs;
  const engine = await createEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    clock,
    zone: ZONE,
    tokens: [{ token: TOKEN, role: 'admin' }],
    policy: DEFAULT_POLICY,
    metrics: { defaultMetrics: false },
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const { app, readModels } = engine;
  // When the engine itself publishes time-driven alerts (clock − the alert's instant), to tell server time from delivery.
  const emitted: number[] = [];
  readModels.onAlert((e) => {
    const late = clock() - Date.parse(e.at);
    if (e.type === 'alert-raised' && late >= 0 && late < 60_000) emitted.push(late);
  });
  const server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  process.once('SIGTERM', () => {
    if (emitted.length > 0)
      process.stdout.write(
        `emitted ${JSON.stringify({ count: emitted.length, first: emitted[0], last: emitted[emitted.length - 1] })}\n`,
      );
    app.closeStreams();
    server.closeAllConnections();
    server.close(() => {
      void engine.close().then(() => process.exit(0));
    });
  });
}

interface Emitted {
  readonly count: number;
  readonly first: number;
  readonly last: number;
}
interface Server {
  readonly base: string;
  close(): Promise<Emitted | undefined>;
}

/** Starts the child; `offsetFor()` is called once its modules are loaded, just before it opens the store. */
async function startServer(dir: string, offsetFor: () => number): Promise<Server> {
  // ALERTS_BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env['ALERTS_BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!sent && out.includes('ready\n')) {
        sent = true;
        child.stdin.write(`${JSON.stringify({ offsetMs: offsetFor() })}\n`);
      }
      const m = /listening (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`alerts bench server exited early (${code})`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<Emitted | undefined>((resolve) => {
        const emitted = (): Emitted | undefined => {
          const m = /emitted (\{.*\})/.exec(out);
          return m === null ? undefined : (JSON.parse(m[1] as string) as Emitted);
        };
        if (child.exitCode !== null) return resolve(emitted());
        child.once('exit', () => resolve(emitted()));
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------- SSE client

interface Received {
  readonly caseId: string;
  readonly rule: string;
  readonly at: string;
  readonly mono: number;
  readonly wall: number;
}

interface AlertStream {
  /** Resolves with the `alert-raised` of `rule` for `caseId` (received before or after the call). */
  waitFor(caseId: string, rule: string, timeoutMs: number): Promise<Received>;
  close(): void;
}

async function openAlertStream(base: string): Promise<AlertStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/alerts/stream`, {
    headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status !== 200 || res.body === null) throw new Error(`GET /alerts/stream answered ${res.status}`);
  const seen = new Map<string, Received>();
  const waiting = new Map<string, (r: Received) => void>();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let connected!: () => void;
  const ready = new Promise<void>((r) => {
    connected = r;
  });
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        // The receipt instant is when the chunk arrived, before parsing it.
        const mono = performance.now();
        const wall = performance.timeOrigin + mono; // the wall clock, with sub-ms resolution
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.includes(': connected')) connected();
          let type = '';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (type !== 'alert-raised') continue;
          const alert = JSON.parse(data) as { caseId: string; rule: string; at: string };
          const r: Received = { caseId: alert.caseId, rule: alert.rule, at: alert.at, mono, wall };
          const key = `${alert.caseId}\u0000${alert.rule}`;
          if (!seen.has(key)) seen.set(key, r);
          waiting.get(key)?.(r);
        }
      }
    } catch {
      // aborted on close
    }
  })();
  await ready;
  return {
    waitFor(caseId, rule, timeoutMs) {
      const key = `${caseId}\u0000${rule}`;
      const got = seen.get(key);
      if (got !== undefined) return Promise.resolve(got);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(key);
          reject(new Error(`no ${rule} alert for a bench case within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(key, (r) => {
          clearTimeout(timer);
          waiting.delete(key);
          resolve(r);
        });
      });
    },
    close: () => controller.abort(),
  };
}

// ---------------------------------------------------------------- recorder

function post(agent: http.Agent, base: string, path: string, body: string): Promise<{ status: number; text: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: url.pathname,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function get(agent: http.Agent, base: string, path: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'GET',
        path: url.pathname,
        headers: { authorization: `Bearer ${TOKEN}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An instant case (promisedDays 0) accepted at `occurredAt`: overdue at the end of that local day. */
function instantCase(occurredAt: string, i: number): Record<string, unknown> {
  return {
    type: 'CaseAccepted',
    occurredAt,
    centerId: `c${i % 4}`,
    departmentId: 'd1',
    matterCode: 'M1',
    kind: 'instant',
    promisedDays: 0,
    channel: 'window',
  };
}

// ---------------------------------------------------------------- figures

interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? Number.NaN };
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;
const fmtSpread = (s: Spread): string => `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`;

// ---------------------------------------------------------------- event-driven

interface EventRun {
  readonly delivery: number[];
  readonly fromSend: number[];
  readonly roundTrip: number[];
  readonly early: number;
  readonly failures: number;
}

/** `clients` recorders each POST `perClient` overdue cases in turn; per case, 201 → alert-raised. */
async function driveOverdue(
  base: string,
  stream: AlertStream,
  runId: string,
  clients: number,
  perClient: number,
): Promise<EventRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const todayMidnight = DateTime.now().setZone(ZONE).startOf('day');
  const occurredAt = todayMidnight.minus({ minutes: 1 }).toISO({ suppressMilliseconds: true }) as string;
  const delivery: number[] = [];
  const fromSend: number[] = [];
  const roundTrip: number[] = [];
  let early = 0;
  let failures = 0;
  const pending: Promise<void>[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        const caseId = `${runId}-${client}-${i}`;
        const body = JSON.stringify({ ...instantCase(occurredAt, i), eventId: randomUUID() });
        const t0 = performance.now();
        const res = await post(agent, base, `/cases/${caseId}/events`, body);
        const t201 = performance.now();
        if (res.status !== 201) {
          failures++;
          continue;
        }
        roundTrip.push(t201 - t0);
        pending.push(
          stream.waitFor(caseId, 'overdue', 10_000).then(
            (r) => {
              if (r.mono < t201) early++;
              delivery.push(Math.max(0, r.mono - t201));
              fromSend.push(r.mono - t0);
            },
            () => {
              failures++;
            },
          ),
        );
      }
    }),
  );
  await Promise.all(pending);
  agent.destroy();
  return { delivery, fromSend, roundTrip, early, failures };
}

async function eventDriven(options: BenchOptions): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-alerts-bench-'));
  const server = await startServer(dir, () => 0);
  const runId = randomUUID().slice(0, 8);
  const n = options.quick ? 100 : 500;
  try {
    const stream = await openAlertStream(server.base);
    try {
      await driveOverdue(server.base, stream, `w${runId}`, 4, 25); // warm-up (JIT, sqlite page cache)
      const seq = await driveOverdue(server.base, stream, `s${runId}`, 1, n);
      const conc = await driveOverdue(server.base, stream, `c${runId}`, CLIENTS, Math.ceil(n / CLIENTS));
      return [row('sequential recorder', seq), row(`${CLIENTS} concurrent recorders`, conc)];
    } finally {
      stream.close();
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  function row(who: string, run: EventRun): BenchRow {
    const d = spread(run.delivery);
    const rt = spread(run.roundTrip);
    return {
      name: `event-driven alert: 201 → SSE alert-raised p99, ${who}, sqlite`,
      value: Number(d.p99.toFixed(2)),
      unit: 'ms',
      baselineName: `POST 201 round trip p99, ${who}`,
      baseline: Number(rt.p99.toFixed(2)),
      ratio: Number((d.p99 / rt.p99).toFixed(3)),
      target: `p99 <= ${EVENT_TARGET_MS} ms`,
      pass: d.p99 <= EVENT_TARGET_MS && run.failures === 0 && run.delivery.length > 0,
      note:
        `${run.delivery.length} overdue instant cases (accepted yesterday 23:59 local); from the 201 to the chunk carrying ` +
        `its alert-raised on one /alerts/stream client: ${fmtSpread(d)}; ${run.early} alerts arrived before their 201 (counted as 0); ` +
        `from sending the request to the alert ${fmtSpread(spread(run.fromSend))}; 201 round trip ${fmtSpread(rt)}; ratio = alert p99 / round-trip p99 (lower is better); ${run.failures} failures`,
    };
  }
}

// ---------------------------------------------------------------- time-driven

interface TimeRun {
  readonly delays: number[];
  readonly wrongInstant: number;
  readonly lead: number;
  readonly missing: number;
  readonly emitted?: Emitted;
}

/**
 * An engine whose clock puts the next local midnight `leadMs` after it opens its
 * store; `m` instant cases accepted a minute before are seeded (POST /events)
 * and projected before that midnight; each case's overdue alert is awaited.
 */
async function atMidnight(m: number, leadMs: number): Promise<TimeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'supervision-alerts-bench-'));
  let boundary = 0;
  let offset = 0;
  const server = await startServer(dir, () => {
    const now = Date.now();
    boundary = DateTime.fromMillis(now, { zone: ZONE }).plus({ days: 1 }).startOf('day').toMillis();
    offset = boundary - (now + leadMs);
    return offset;
  });
  const shifted = (): number => Date.now() + offset;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  let run: Omit<TimeRun, 'emitted'>;
  let emitted: Emitted | undefined;
  try {
    const stream = await openAlertStream(server.base);
    try {
      const runId = randomUUID().slice(0, 8);
      const occurredAt = DateTime.fromMillis(boundary - 60_000, { zone: ZONE }).toISO() as string;
      const ids = Array.from({ length: m }, (_, i) => `t${runId}-${i}`);
      for (let from = 0; from < m; from += 1000) {
        const events = ids
          .slice(from, from + 1000)
          .map((caseId, i) => ({ ...instantCase(occurredAt, i), caseId, eventId: randomUUID() }));
        const res = await post(agent, server.base, '/events', JSON.stringify({ events }));
        if (res.status !== 200) throw new Error(`POST /events answered ${res.status}: ${res.text.slice(0, 200)}`);
        const results = (JSON.parse(res.text) as { results: Array<{ status: number }> }).results;
        const bad = results.filter((r) => r.status !== 201);
        if (results.length !== events.length || bad.length > 0)
          throw new Error(`POST /events refused part of the seed: ${JSON.stringify(bad[0])}`);
      }
      // GET /cases/{id} waits for the projections to reach the store head (read-your-writes).
      const last = ids[ids.length - 1] as string;
      if ((await get(agent, server.base, `/cases/${last}`)) !== 200)
        throw new Error('the last seeded case is not readable');
      const lead = boundary - shifted();
      if (lead <= 0)
        throw new Error(`seeding and projecting ${m} cases took past the midnight (${-lead} ms late): raise the lead`);
      let missing = 0;
      let wrongInstant = 0;
      const delays: number[] = [];
      await Promise.all(
        ids.map((id) =>
          stream.waitFor(id, 'overdue', leadMs + 15_000).then(
            (r) => {
              if (Date.parse(r.at) !== boundary) wrongInstant++;
              delays.push(r.wall + offset - boundary);
            },
            () => {
              missing++;
            },
          ),
        ),
      );
      run = { delays, wrongInstant, lead, missing };
    } finally {
      stream.close();
    }
  } finally {
    agent.destroy();
    emitted = await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...run, ...(emitted === undefined ? {} : { emitted }) };
}

async function timeDriven(options: BenchOptions): Promise<BenchRow[]> {
  const m = options.quick ? 200 : 1000;
  const lead = options.quick ? 3000 : 4000;
  const single = await atMidnight(1, 2500);
  // Two engines, each with its own midnight: the batch twice, pooled.
  const runs = [await atMidnight(m, lead), await atMidnight(m, lead)];
  const d = spread(runs.flatMap((r) => r.delays));
  const b = single.delays[0] ?? Number.NaN;
  const missing = runs.reduce((n, r) => n + r.missing, 0) + single.missing;
  const wrong = runs.reduce((n, r) => n + r.wrongInstant, 0) + single.wrongInstant;
  return [
    {
      name: `time-driven alert: midnight → SSE alert-raised p99, ${m} cases due at once, sqlite`,
      value: Number(d.p99.toFixed(2)),
      unit: 'ms',
      baselineName: 'one case alone at its midnight',
      baseline: Number(b.toFixed(2)),
      ratio: Number((d.p99 / b).toFixed(2)),
      target: `every case <= ${TIME_TARGET_MS} ms after its instant (max)`,
      pass: missing === 0 && wrong === 0 && d.max <= TIME_TARGET_MS,
      note:
        `${runs.length} engines x ${m} instant cases accepted 23:59 local, overdue at the midnight of the engine's shifted clock with no new event ` +
        `(seeded and projected ${runs.map((r) => r.lead).join(' / ')} ms before it); per case, midnight → receipt on one /alerts/stream client ` +
        `(wall clock + the same shift; the engine's timer runs on Date.now(), ~1 ms resolution): pooled ${fmtSpread(d)}; ` +
        `per engine: ${runs.map((r) => fmtSpread(spread(r.delays))).join(' | ')}; the engine itself published the ${m} alerts from ` +
        `${runs.map((r) => (r.emitted === undefined ? '?' : `${r.emitted.first} to ${r.emitted.last} ms`)).join(' / ')} after the midnight (its clock); ${missing} missing, ${wrong} with an alert instant other than the midnight; ` +
        `baseline: a lone case on its own engine ${ms(b)}; ratio = batch p99 / lone case (lower is better)`,
    },
  ];
}

export const benchmarks: Benchmark[] = [eventDriven, timeDriven];

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly && process.argv[2] === '--serve') {
  await serveChild(process.argv[3] as string);
} else if (invokedDirectly) {
  // Run directly: `npx tsx bench/alerts.bench.ts [--quick]`
  const quick = process.argv.includes('--quick');
  (async () => {
    for (const b of benchmarks) console.table(await b({ quick }));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
