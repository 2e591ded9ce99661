/**
 * Soak (docs/reliability.md §6): the demo feed at 10× speed against the real
 * engine process (sqlite store) for N minutes, with a dashboard-like reader
 * (/alerts, /stats, /metrics every sample) and one SSE client connected all
 * the time. The engine's memory is sampled from its own /metrics
 * (process_resident_memory_bytes, nodejs_heap_size_used_bytes) every few
 * seconds; the growth is the floor (minimum) of the last third of the samples
 * minus the floor of the first third after warm-up — floors, because heap
 * readings swing with garbage collection. Fails beyond the stated bounds, if
 * the engine dies, logs an error, or the feed gets refusals.
 *
 * Usage: npx tsx scripts/soak.ts [--minutes 30] [--speed 10] [--sample-s 5]
 *          [--max-heap-growth-mb 64] [--max-rss-growth-mb 128]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoFeed } from '../src/demo/feed.js';
import { freePort, startEngine } from '../test/reliability/support/engine-process.js';

export interface SoakOptions {
  readonly durationMs: number;
  readonly speed: number;
  readonly sampleEveryMs: number;
  readonly maxHeapGrowthMb: number;
  readonly maxRssGrowthMb: number;
  /** Working days of backlog the feed posts first (warm-up). */
  readonly backlogDays: number;
  readonly log?: (line: string) => void;
}

export interface MemorySample {
  readonly atMs: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
}

export interface SoakReport {
  readonly durationS: number;
  readonly backlogEvents: number;
  readonly liveEvents: number;
  readonly rejected: number;
  readonly retries: number;
  readonly samples: number;
  readonly heapBaselineMb: number;
  readonly heapFinalMb: number;
  readonly heapGrowthMb: number;
  readonly rssBaselineMb: number;
  readonly rssFinalMb: number;
  readonly rssGrowthMb: number;
  readonly sseEventsReceived: number;
  readonly engineErrors: number;
  readonly bounds: { readonly maxHeapGrowthMb: number; readonly maxRssGrowthMb: number };
  readonly problems: readonly string[];
}

const TOKEN = 'soak-admin-token-0123456789abcdef';
const MB = 1024 * 1024;

function gauge(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

const floor = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : Math.min(...xs));
const round = (x: number): number => Math.round(x * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[soak] ${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const engine = await startEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    port: await freePort(),
    tokens: [{ token: TOKEN, role: 'admin' }],
    auditLog: join(dir, 'audit.log'),
  });
  const auth = { authorization: `Bearer ${TOKEN}` };
  const problems: string[] = [];
  const samples: MemorySample[] = [];
  let sseEvents = 0;
  const sse = new AbortController();
  const sseDone = (async () => {
    try {
      const res = await fetch(`${engine.url}/alerts/stream`, { headers: auth, signal: sse.signal });
      const decoder = new TextDecoder();
      const reader = res.body?.getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) break;
        sseEvents += (decoder.decode(chunk.value).match(/^event: /gm) ?? []).length;
      }
    } catch {
      // aborted at the end
    }
  })();

  const feedLog: string[] = [];
  const feed = startDemoFeed({
    baseUrl: engine.url,
    token: TOKEN,
    speed: options.speed,
    backlogDays: options.backlogDays,
    log: (m) => feedLog.push(m),
  });
  await feed.ready;
  for (const line of feedLog) log(`feed: ${line}`);
  log(`backlog posted: ${feed.stats.backlogEvents} events; soaking for ${Math.round(options.durationMs / 1000)} s`);
  const started = Date.now();
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 8)}01`;
  try {
    while (Date.now() - started < options.durationMs) {
      await new Promise((r) => setTimeout(r, options.sampleEveryMs));
      const exitedEarly = await Promise.race([engine.exited.then(() => true), Promise.resolve(false)]);
      if (exitedEarly) {
        problems.push('the engine exited during the soak');
        break;
      }
      // What a dashboard does every few seconds.
      await (await fetch(`${engine.url}/alerts`, { headers: auth })).arrayBuffer();
      await (
        await fetch(`${engine.url}/stats?from=${monthStart}&to=2100-01-01&groupBy=department`, { headers: auth })
      ).arrayBuffer();
      const metrics = await (await fetch(`${engine.url}/metrics`, { headers: auth })).text();
      const rss = gauge(metrics, 'process_resident_memory_bytes');
      const heap = gauge(metrics, 'nodejs_heap_size_used_bytes');
      if (rss === undefined || heap === undefined) {
        problems.push('the engine /metrics lacks process_resident_memory_bytes or nodejs_heap_size_used_bytes');
        break;
      }
      samples.push({ atMs: Date.now() - started, rssMb: rss / MB, heapUsedMb: heap / MB });
    }
  } finally {
    await feed.stop();
    sse.abort();
    await sseDone;
  }
  const code = await engine.stop();
  if (code !== 0) problems.push(`the engine exited with code ${code} on SIGTERM`);
  const engineErrors = engine
    .output()
    .split('\n')
    .filter((l) => l.includes('"level":"error"')).length;
  if (engineErrors > 0) problems.push(`the engine logged ${engineErrors} errors`);
  if (feed.stats.rejected > 0) problems.push(`the engine refused ${feed.stats.rejected} demo events`);

  // Baseline: the first third of the samples; final: the last third.
  const third = Math.max(1, Math.floor(samples.length / 3));
  const first = samples.slice(0, third);
  const last = samples.slice(-third);
  const heapBaseline = floor(first.map((s) => s.heapUsedMb));
  const heapFinal = floor(last.map((s) => s.heapUsedMb));
  const rssBaseline = floor(first.map((s) => s.rssMb));
  const rssFinal = floor(last.map((s) => s.rssMb));
  if (samples.length < 3) problems.push(`only ${samples.length} memory samples`);
  if (!(heapFinal - heapBaseline <= options.maxHeapGrowthMb)) {
    problems.push(`heap grew ${round(heapFinal - heapBaseline)} MB (bound ${options.maxHeapGrowthMb} MB)`);
  }
  if (!(rssFinal - rssBaseline <= options.maxRssGrowthMb)) {
    problems.push(`RSS grew ${round(rssFinal - rssBaseline)} MB (bound ${options.maxRssGrowthMb} MB)`);
  }
  if (problems.length === 0) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir} for inspection`);
  return {
    durationS: Math.round((Date.now() - started) / 1000),
    backlogEvents: feed.stats.backlogEvents,
    liveEvents: feed.stats.liveEvents,
    rejected: feed.stats.rejected,
    retries: feed.stats.retries,
    samples: samples.length,
    heapBaselineMb: round(heapBaseline),
    heapFinalMb: round(heapFinal),
    heapGrowthMb: round(heapFinal - heapBaseline),
    rssBaselineMb: round(rssBaseline),
    rssFinalMb: round(rssFinal),
    rssGrowthMb: round(rssFinal - rssBaseline),
    sseEventsReceived: sseEvents,
    engineErrors,
    bounds: { maxHeapGrowthMb: options.maxHeapGrowthMb, maxRssGrowthMb: options.maxRssGrowthMb },
    problems,
  };
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return v;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runSoak({
    durationMs: flag('minutes', 30) * 60_000,
    speed: flag('speed', 10),
    sampleEveryMs: flag('sample-s', 5) * 1000,
    maxHeapGrowthMb: flag('max-heap-growth-mb', 64),
    maxRssGrowthMb: flag('max-rss-growth-mb', 128),
    backlogDays: flag('backlog-days', 3),
  })
    .then((report) => {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.exit(report.problems.length === 0 ? 0 : 1);
    })
    .catch((e: unknown) => {
      process.stderr.write(`soak failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    });
}
