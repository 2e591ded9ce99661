/**
 * Issue 13's hostile suite against the real engine process (`src/main.ts` on a
 * sqlite file, as `npm start` composes it). For each attack: a probe in its own
 * process asks `/healthz` every 10 ms and the p99 of its answers must stay
 * under 100 ms (the issue's stated requirement), the engine's resident memory
 * (sampled from /proc) stays under a stated bound, and every event the engine
 * acknowledged is in the store at the end. Figures go to docs/reliability.md.
 */
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEngine, type Engine } from './support/engine-process.js';
import { startProbe as startHealthzProbe } from './support/healthzProbe.js';
import { MAX_CASE_EVENTS } from '../../src/domain/decide.js';

/** The issue's bound on `/healthz` during an attack. */
const HEALTHZ_P99_MS = 100;
/**
 * The bound is a latency: it can only be judged on a machine that answers an
 * idle `/healthz` quickly. When the same probe against the idle engine already
 * has a p99 above this (other builds saturating the cores), the run says so and
 * the bound is not asserted. The guide's rule (latency is measured, never a timed
 * assert in `npm test`) wins by default: the bound is asserted only when asked
 * with HOSTILE_ASSERT_P99=1 on a quiet machine; every run prints the figures.
 * The earlier passes' figures (91–506 ms per attack at load 2–7) were mostly the probe's own start:
 * the maximum of an attack was, in 56 of 58 windows, its earliest slow probe, sent as the freshly
 * spawned probe made its first fetches (see startProbe). With the probe warmed up (fourth pass, docs/reliability.md §8), HEAD held the
 * bound for every attack in 3 of 3 runs at load 4.5–7: SSE readers 45–85 ms, stream hoarding 10–20,
 * invented centers 17–52, huge / unknown-field bodies 18–45, one long case 31–52 (idle 6–12 ms).
 * The gate stays (latency is judged by the attack bench, bench/attack.bench.ts, not by npm test).
 */
const QUIET_BASELINE_P99_MS = 25;
let baselineP99 = Number.NaN;
/**
 * Opt-in for measuring on a shared machine: HOSTILE_NICE=-10 (needs root) gives the engine and
 * the probe priority over other builds, so the figure is the engine's own blocking, not theirs.
 */
const NICE = process.env['HOSTILE_NICE'];
const renice = (pid: number | undefined): void => {
  if (NICE !== undefined && pid !== undefined) spawnSync('renice', ['-n', NICE, '-p', String(pid)]);
};
const latencyBoundApplies = (): boolean =>
  process.env['HOSTILE_ASSERT_P99'] === '1' && baselineP99 < QUIET_BASELINE_P99_MS;
const ENGINE_NODE_OPTIONS = process.env['HOSTILE_ENGINE_NODE_OPTIONS'];
/** Resident memory the engine must stay under during every attack (tsx-compiled, idle ≈ 150 MB here). */
const RSS_BOUND_MB = 400;

const T = {
  admin: 'hostile-admin-token-0123456789',
  recorder: 'hostile-recorder-token-0123456789',
  monitors: Array.from({ length: 3 }, (_, i) => `hostile-monitor-${i}-token-0123456789`),
  auditor: 'hostile-auditor-token-0123456789',
};
const TOKENS = [
  { token: T.admin, role: 'admin' },
  { token: T.recorder, role: 'recorder' },
  { token: T.auditor, role: 'auditor' },
  ...T.monitors.map((token) => ({ token, role: 'monitor' })),
];

let engine: Engine;
let dir: string;
const acknowledged = new Set<string>();
const figures: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-process-'));
  engine = await startEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    port: await freePort(),
    tokens: TOKENS,
    auditLog: join(dir, 'audit.log'),
    env: {
      RATE_LIMIT_PER_SECOND: '0',
      // HOSTILE_ENGINE_NODE_OPTIONS: the engine's NODE_OPTIONS, e.g. "--import /tmp/profile.mjs" (a preload
      // starting node:inspector's profiler) to profile it under the attacks; --cpu-prof is not allowed there
      ...(ENGINE_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: ENGINE_NODE_OPTIONS }),
    },
  });
  renice(engine.pid);
  const probe = startProbe(engine.url);
  await probe.ready;
  await new Promise((r) => setTimeout(r, 2_000));
  const idle = await probe.stop();
  baselineP99 = quantile(idle, 0.99);
  figures.push(
    `idle baseline: /healthz p50 ${quantile(idle, 0.5).toFixed(1)} ms, p99 ${baselineP99.toFixed(1)} ms over ${idle.length} probes` +
      (NICE === undefined ? '' : ` (engine and probe at nice ${NICE})`) +
      (latencyBoundApplies()
        ? ''
        : ` — machine too busy to judge a ${HEALTHZ_P99_MS} ms bound: latency bound reported, not asserted`),
  );
}, 90_000);

afterAll(async () => {
  process.stdout.write(`${figures.map((f) => `[reliability] ${f}`).join('\n')}\n`);
  if (process.env['HOSTILE_DEBUG'] !== undefined) {
    process.stdout.write(`[reliability] slow probes (start, latency):\n${slowProbes.join('\n')}\n`);
    process.stdout.write(engine?.output().slice(-3000) ?? '');
  }
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------ measuring

/** A probe slower than this is listed with its wall-clock start (HOSTILE_DEBUG), to line it up with an engine profile. */
const SLOW_PROBE_MS = 50;
const slowProbes: string[] = [];

/** `/healthz` asked every 10 ms by its own warmed-up process (support/healthzProbe.ts); slow probes kept for HOSTILE_DEBUG. */
function startProbe(url: string): { ready: Promise<void>; stop(): Promise<number[]> } {
  const probe = startHealthzProbe(url, { everyMs: 10, slowMs: SLOW_PROBE_MS, onSpawn: renice });
  return {
    ready: probe.ready,
    async stop() {
      const { latencies, slow } = await probe.stop();
      for (const [wall, ms] of slow) slowProbes.push(`${new Date(wall).toISOString()} ${ms} ms`);
      return latencies;
    },
  };
}

const rssMb = (): number => {
  const status = readFileSync(`/proc/${engine.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};

/** Runs one attack under the probe and the memory sampler; asserts the bounds and records the figures. */
async function underAttack(name: string, attack: () => Promise<string>): Promise<void> {
  const probe = startProbe(engine.url);
  await probe.ready;
  let peak = rssMb();
  const before = peak;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 50);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  let detail: string;
  try {
    detail = await attack();
    await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (performance.now() - started)))); // at least 1 s of probes
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, rssMb());
  const latencies = await probe.stop();
  const p99 = quantile(latencies, 0.99);
  if (process.env['HOSTILE_DEBUG'] !== undefined) figures.push(`${name}: from ${startedAt}`);
  figures.push(
    `${name}: ${detail}; ${seconds.toFixed(1)} s; /healthz p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} probes; RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
  );
  expect(latencies.length).toBeGreaterThan(0);
  if (latencyBoundApplies()) expect.soft(p99, `${name}: /healthz p99 (ms)`).toBeLessThan(HEALTHZ_P99_MS);
  expect.soft(peak, `${name}: RSS peak (MB)`).toBeLessThan(RSS_BOUND_MB);
}

// ------------------------------------------------------------------ helpers

const shanghai = (offsetMs: number): string =>
  new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000 + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');

const acceptedEvent = (caseId: string, centerId: string, daysAgo: number) => ({
  type: 'CaseAccepted',
  caseId,
  eventId: randomUUID(),
  occurredAt: shanghai(-daysAgo * 86_400_000),
  centerId,
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays: 1,
  channel: 'window',
});

async function post(
  path: string,
  body: unknown,
  token = T.recorder,
  // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes
): Promise<{ status: number; body: any; bytes: number }> {
  const res = await fetch(`${engine.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, bytes: text.length };
}

/** Posts a batch; remembers every event the engine acknowledged (201, or 200 for a duplicate). */
async function postBatch(events: readonly { eventId: string }[]): Promise<number[]> {
  const res = await post('/events', { events });
  expect(res.status).toBe(200);
  const statuses = (res.body.results as { status: number; eventId: string }[]).map((r, i) => {
    if (r.status === 201 || r.status === 200) acknowledged.add(events[i]?.eventId as string);
    return r.status;
  });
  return statuses;
}

/**
 * Waits until the projections folded every event written (and so raised the alerts, counted the
 * centers): /readyz is cheap, unlike a 20,000-alert GET /alerts, which would itself block the
 * engine while it serialises ~10 MB.
 */
async function projected(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ready = (await fetch(`${engine.url}/readyz`)
      .then((r) => r.json())
      .catch(() => undefined)) as { projection: { lagEvents: number } } | undefined; // a reused connection may be reset
    if (ready?.projection.lagEvents === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An alert-stream request that is never read. */
function silentStream(token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const url = new URL(engine.url);
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET /alerts/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

// ------------------------------------------------------------------ attacks

describe('the engine under attack (process-level)', () => {
  it('slow SSE readers: 20 streams that never read while 20,000 alerts are raised', async () => {
    const sockets: Socket[] = [];
    for (const token of T.monitors.slice(0, 2)) for (let i = 0; i < 10; i++) sockets.push(await silentStream(token));
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 1000 }, (_, i) => acceptedEvent(`SSE-${b}-${i}`, `center-${i % 5}`, 20)),
    );
    await underAttack('slow SSE readers (20 silent streams, 20,000 overdue cases)', async () => {
      for (const batch of batches) expect((await postBatch(batch)).every((s) => s === 201)).toBe(true);
      await projected();
      return '20,000 overdue alerts';
    });
    // Each silent reader, reading at last, finds one of: every alert (the kernel's buffers and the
    // engine's 1 MiB held them), its stream ended by a reset event, or, when it read nothing for
    // longer than the 5 s grace after the reset, its connection dropped by the engine. Never a
    // stream kept open with an unbounded backlog.
    type Outcome = 'complete' | 'reset' | 'dropped' | 'still open';
    const outcomes = await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<Outcome>((resolve) => {
            let tail = '';
            let alerts = 0;
            const done = (outcome: Outcome) => {
              socket.destroy();
              resolve(outcome);
            };
            socket.on('data', (d: Buffer) => {
              const text = tail + d.toString('utf8');
              alerts += text.split('event: alert-raised').length - 1;
              tail = text.slice(-18); // shorter than the marker: nothing is counted twice
              if (text.includes('event: reset')) done('reset');
              else if (alerts >= 20_000) done('complete');
            });
            socket.on('close', () => resolve('dropped'));
            socket.on('error', () => resolve('dropped'));
            socket.resume();
            setTimeout(() => done('still open'), 60_000);
          }),
      ),
    );
    const tally = (o: Outcome) => outcomes.filter((x) => x === o).length;
    figures.push(
      `slow SSE readers: of ${sockets.length} silent streams ${tally('reset')} reset, ${tally('dropped')} dropped after the grace, ${tally('complete')} had room for every alert, ${tally('still open')} still open`,
    );
    expect(tally('still open')).toBe(0);
  }, 240_000);

  it('many streams per token: the 11th stream of one token is 429; other tokens still get theirs', async () => {
    const open: AbortController[] = [];
    try {
      const statuses: number[] = [];
      await underAttack('stream hoarding (11 streams on one token)', async () => {
        for (let i = 0; i < 11; i++) {
          const ac = new AbortController();
          const res = await fetch(`${engine.url}/alerts/stream`, {
            headers: { authorization: `Bearer ${T.monitors[2]}` },
            signal: ac.signal,
          });
          statuses.push(res.status);
          if (res.status === 200) open.push(ac);
          else await res.text();
        }
        return `statuses ${statuses.join(',')}`;
      });
      expect(statuses).toEqual([...Array(10).fill(200), 429]);
      const other = await fetch(`${engine.url}/alerts/stream`, {
        headers: { authorization: `Bearer ${T.admin}` },
        signal: AbortSignal.timeout(2_000),
      }).catch(() => undefined);
      expect(other?.status).toBe(200);
    } finally {
      for (const ac of open) ac.abort();
    }
  }, 60_000);

  it('invented centers: 3,000 centers, no directory published, add no center label value but "unregistered"', async () => {
    const batches = Array.from({ length: 3 }, (_, b) =>
      Array.from({ length: 1000 }, (_, i) => acceptedEvent(`CTR-${b}-${i}`, `invented-${b * 1000 + i}`, 0)),
    );
    let scrape = '';
    await underAttack('invented centers (3,000)', async () => {
      for (const batch of batches) expect((await postBatch(batch)).every((s) => s === 201)).toBe(true);
      await projected();
      scrape = await (await fetch(`${engine.url}/metrics`)).text();
      return `scrape ${Math.round(scrape.length / 1024)} KB`;
    });
    const centers = new Set([...scrape.matchAll(/^supervision_cases_open\{[^}]*center="([^"]*)"/gm)].map((m) => m[1]));
    figures.push(
      `invented centers: ${centers.size} center values on supervision_cases_open, scrape ${scrape.length} bytes`,
    );
    expect([...centers]).toEqual(['unregistered']);
  }, 120_000);

  it('huge and unknown-field inputs: 413 over 64 KB unread, 400 naming the fields (bounded answer), nothing written', async () => {
    const junkOf = (keys: number) =>
      JSON.stringify({
        ...acceptedEvent('JUNK-1', 'center-0', 0),
        ...Object.fromEntries(Array.from({ length: keys }, (_, i) => [`junk${i}`, i])),
      });
    const junk = junkOf(30_000); // 0.5 MB: over the single-event route's 64 KB, refused before JSON.parse
    const unknownFields = junkOf(3_000); // ≈ 45 KB: parsed, then refused naming the fields
    const huge = JSON.stringify({ ...acceptedEvent('JUNK-2', 'center-0', 0), note: 'x'.repeat(1_100_000) });
    const answers: { status: number; bytes: number }[] = [];
    await underAttack('huge and unknown-field bodies (20 × 0.5 MB, 20 × 45 KB, 10 × 1.1 MB)', async () => {
      for (let i = 0; i < 20; i++) answers.push(await post('/cases/JUNK-1/events', junk));
      for (let i = 0; i < 20; i++) answers.push(await post('/cases/JUNK-1/events', unknownFields));
      for (let i = 0; i < 10; i++) answers.push(await post('/cases/JUNK-2/events', huge));
      return `bodies ${Math.round(junk.length / 1024)} KB, ${Math.round(unknownFields.length / 1024)} KB and ${Math.round(huge.length / 1024)} KB`;
    });
    expect(answers.slice(0, 20).every((a) => a.status === 413)).toBe(true);
    expect(answers.slice(20, 40).every((a) => a.status === 400 && a.bytes < 10_000)).toBe(true);
    expect(answers.slice(40).every((a) => a.status === 413)).toBe(true);
    const read = await fetch(`${engine.url}/cases/JUNK-1`, { headers: { authorization: `Bearer ${T.auditor}` } });
    await read.arrayBuffer();
    expect(read.status).toBe(404); // nothing written
    figures.push(
      `unknown fields: 0.5 MB of 30,000 fields refused unread (413); 3,000 unknown fields answered in ${answers[20]?.bytes} bytes`,
    );
  }, 120_000);

  it('many events to one case: 20 batches of 1000 escalations to one case', async () => {
    const opened = acceptedEvent('LONG-1', 'center-0', 3);
    expect(await postBatch([opened])).toEqual([201]);
    const counts = new Map<number, number>();
    const statuses: number[] = [];
    let historyStatus = 0;
    await underAttack('one long case (20 × 1000 escalations)', async () => {
      for (let b = 0; b < 20; b++) {
        const batch = Array.from({ length: 1000 }, () => ({
          type: 'CaseEscalated',
          caseId: 'LONG-1',
          eventId: randomUUID(),
          occurredAt: shanghai(-60_000),
          level: 'reminder',
          by: 'office',
        }));
        for (const s of await postBatch(batch)) {
          statuses.push(s);
          counts.set(s, (counts.get(s) ?? 0) + 1);
        }
      }
      const history = await fetch(`${engine.url}/cases/LONG-1/history`, {
        headers: { authorization: `Bearer ${T.auditor}` },
      });
      const text = await history.text();
      historyStatus = history.status;
      return `answers ${[...counts].map(([s, n]) => `${n} × ${s}`).join(', ')}; /history ${history.status}, ${Math.round(text.length / 1024)} KB`;
    });
    // The case holds MAX_CASE_EVENTS events (its acceptance and 999 escalations): every one after is 409, in order.
    const taken = MAX_CASE_EVENTS - 1;
    expect(statuses.slice(0, taken).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(taken).every((s) => s === 409)).toBe(true);
    expect(statuses).toHaveLength(20_000);
    expect(historyStatus).toBe(200);
  }, 300_000);

  it('nothing acknowledged is lost', async () => {
    await engine.stop();
    const db = new Database(join(dir, 'events.db'), { readonly: true });
    try {
      const has = db.prepare('SELECT 1 FROM events WHERE event_id = ?').pluck();
      const missing = [...acknowledged].filter((id) => has.get(id) === undefined);
      figures.push(
        `acknowledged events: ${acknowledged.size}, missing from the store after the attacks: ${missing.length}`,
      );
      expect(acknowledged.size).toBeGreaterThan(20_000);
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
  });
});
