/**
 * Crash under load (docs/reliability.md §1). A load generator writes case
 * events over HTTP to the real engine process (sqlite store) while the engine
 * is killed with SIGKILL several times and restarted. Afterwards:
 *
 * - every acknowledged event (201/200) is in the store exactly once;
 * - every batch group whose answer was lost with the process is all or nothing;
 * - each stream's revisions are 0..n-1 and every event is valid after its
 *   predecessors (replayed through the domain's `decide`);
 * - `GET /cases/{id}` of every case from the restarted engine equals the same
 *   read from a fresh engine on a copy of the database with no snapshot.
 *
 * Usage: npx tsx scripts/crash-load.ts [--kills 5] [--clients 8] [--interval-ms 2500]
 * Exit code 0 when every check holds; the report is printed as JSON.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decide } from '../src/domain/decide.js';
import type { CaseEvent } from '../src/domain/events.js';
import { evolve, initialCaseState } from '../src/domain/evolve.js';
import { SqliteEventStore } from '../src/store/sqlite/sqlite-store.js';
import type { RecordedEvent } from '../src/store/port.js';
import { freePort, startEngine, type Engine } from '../test/reliability/support/engine-process.js';

export interface CrashLoadOptions {
  readonly kills: number;
  readonly clients: number;
  /** Time between a restart being ready and the next kill. */
  readonly intervalMs: number;
  readonly log?: (line: string) => void;
}

export interface CrashLoadReport {
  readonly kills: number;
  /** Restarts that found a (possibly stale) projection snapshot to resume from. */
  readonly restartsFromSnapshot: number;
  readonly requests: number;
  readonly connectionErrors: number;
  readonly eventsAcknowledged: number;
  readonly eventsStored: number;
  readonly lost: number;
  readonly doubled: number;
  readonly unexpectedRejections: number;
  readonly unknownGroups: number;
  readonly partialGroups: number;
  readonly revisionGaps: number;
  readonly invalidTransitions: number;
  readonly unknownStoredEvents: number;
  readonly casesCompared: number;
  readonly readModelMismatches: number;
  readonly problems: readonly string[];
}

const TOKEN = 'crash-load-admin-token-0123456789';
/** Written by the projections next to the sqlite file (src/projections/checkpointPath.ts). */
const SNAPSHOT_FILE = 'events.db.snapshot.ndjson'; // defaultCheckpointFile: beside the database, named after it
const CENTERS = ['center-1', 'center-2', 'center-3'];

/** An ISO instant with +08:00, to the second. */
function instant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
}

type Body = Record<string, unknown> & { eventId: string; type: string };

/** The events of one case, built lazily so occurredAt is the time of the first attempt. */
function casePlan(caseId: string, n: number): Array<(now: number) => Body> {
  const center = CENTERS[n % CENTERS.length] as string;
  const steps: Array<(now: number) => Body> = [
    (now) => ({
      type: 'CaseAccepted',
      eventId: randomUUID(),
      occurredAt: instant(now),
      centerId: center,
      departmentId: `dep-${n % 5}`,
      matterCode: `M-${n % 7}`,
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    }),
    (now) => ({
      type: 'CasePaused',
      eventId: randomUUID(),
      occurredAt: instant(now),
      pauseId: 'p1',
      reason: 'testing',
    }),
    (now) => ({ type: 'CaseResumed', eventId: randomUUID(), occurredAt: instant(now), pauseId: 'p1' }),
    (now) => ({
      type: 'CaseEscalated',
      eventId: randomUUID(),
      occurredAt: instant(now),
      level: 'reminder',
      by: 'office',
    }),
    (now) => ({ type: 'CaseCompleted', eventId: randomUUID(), occurredAt: instant(now), outcome: 'approved' }),
  ];
  // Some cases stay open (at 1, 3 or 4 events), the rest complete.
  const keep = [1, 3, 4, 5, 5][n % 5] as number;
  void caseId;
  return steps.slice(0, keep);
}

interface Tally {
  requests: number;
  connectionErrors: number;
  unexpected: string[];
  /** eventId → caseId of every acknowledged event. */
  acked: Map<string, string>;
  /** Groups (one case's events in one batch) whose answer was lost. */
  unknownGroups: string[][];
  /** Every eventId ever sent. */
  sent: Set<string>;
}

class Target {
  url = '';
}

/** An answer's JSON, read field by field by the tally. */
// biome-ignore lint/suspicious/noExplicitAny: answers of every route, checked where read
type Json = any;

async function post(
  target: Target,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Json } | 'connection-error'> {
  try {
    const res = await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
  } catch {
    return 'connection-error';
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One case at a time, event by event; a lost answer is retried with the same eventId until acknowledged. */
async function singleWriter(id: number, target: Target, tally: Tally, running: () => boolean): Promise<void> {
  for (let n = 0; running(); n++) {
    const caseId = `CR-${id}-${n}`;
    for (const step of casePlan(caseId, n)) {
      const body = step(Date.now());
      tally.sent.add(body.eventId);
      for (;;) {
        tally.requests++;
        const res = await post(target, `/cases/${caseId}/events`, body);
        if (res === 'connection-error' || res.status === 503) {
          if (res === 'connection-error') tally.connectionErrors++;
          await pause(50);
          continue; // an acknowledged event is never abandoned: retry until the engine answers
        }
        if (res.status === 201 || res.status === 200) tally.acked.set(body.eventId, caseId);
        else tally.unexpected.push(`${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
        break;
      }
    }
  }
}

/** Two cases per request through POST /events; a lost answer is abandoned (never retried), to test atomicity. */
async function batchWriter(id: number, target: Target, tally: Tally, running: () => boolean): Promise<void> {
  for (let n = 0; running(); n += 2) {
    const events: Body[] = [];
    const groups: string[][] = [];
    for (const k of [n, n + 1]) {
      const caseId = `CB-${id}-${k}`;
      const now = Date.now();
      const group = casePlan(caseId, 3).map((step) => ({ ...step(now), caseId }));
      events.push(...group);
      groups.push(group.map((e) => e.eventId));
    }
    events.forEach((e) => {
      tally.sent.add(e.eventId);
    });
    tally.requests++;
    const res = await post(target, '/events', { events });
    if (res === 'connection-error') {
      tally.connectionErrors++;
      tally.unknownGroups.push(...groups);
      await pause(50);
      continue;
    }
    if (res.status !== 200) {
      if (res.status !== 503) tally.unexpected.push(`batch ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
      tally.unknownGroups.push(...groups);
      continue;
    }
    for (const r of res.json.results as Array<{ eventId: string; caseId: string; status: number; error?: unknown }>) {
      if (r.status === 201 || r.status === 200) tally.acked.set(r.eventId, r.caseId);
      else if (r.status !== 503)
        tally.unexpected.push(`batch item ${r.status} ${JSON.stringify(r.error).slice(0, 200)}`);
    }
  }
}

async function readAllEvents(dbPath: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(dbPath);
  const out: RecordedEvent[] = [];
  try {
    for await (const e of store.readAll()) out.push(e);
  } finally {
    await store.close();
  }
  return out;
}

/** GET /cases/{id}?asOf= of every case, 16 requests at a time. */
async function readCases(url: string, caseIds: readonly string[], asOf: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < caseIds.length) {
      const caseId = caseIds[next++] as string;
      const res = await fetch(`${url}/cases/${caseId}?asOf=${encodeURIComponent(asOf)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      out.set(caseId, `${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

async function readSummary(url: string, from: string, to: string): Promise<string> {
  const h = { headers: { authorization: `Bearer ${TOKEN}` } };
  const stats = (await (await fetch(`${url}/stats?from=${from}&to=${to}&groupBy=center`, h)).json()) as Record<
    string,
    unknown
  >;
  delete stats['asOf']; // the instant of the request, not a figure
  const alerts = await (await fetch(`${url}/alerts`, h)).text();
  return `${JSON.stringify(stats)}\n${alerts}`;
}

export async function runCrashLoad(options: CrashLoadOptions): Promise<CrashLoadReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[crash-load] ${line}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'crash-load-'));
  const dbPath = join(dir, 'live', 'events.db');
  mkdirSync(join(dir, 'live'));
  const port = await freePort();
  // One token drives all writers and the bulk read-back, far above a real
  // recorder's rate: the per-token rate limit is off here (it is tested on its own).
  const engineOptions = (store: string, p: number) => ({
    store,
    port: p,
    tokens: [{ token: TOKEN, role: 'admin' }],
    auditLog: join(dir, 'audit.log'),
    env: { RATE_LIMIT_PER_SECOND: '0' },
  });
  const problems: string[] = [];
  const tally: Tally = {
    requests: 0,
    connectionErrors: 0,
    unexpected: [],
    acked: new Map(),
    unknownGroups: [],
    sent: new Set(),
  };
  const target = new Target();
  let engine: Engine = await startEngine(engineOptions(`sqlite:${dbPath}`, port));
  target.url = engine.url;
  let running = true;
  const writers = Array.from({ length: options.clients }, (_, i) =>
    (i % 4 === 3 ? batchWriter : singleWriter)(i, target, tally, () => running),
  );
  let kills = 0;
  let restartsFromSnapshot = 0;
  try {
    for (let k = 0; k < options.kills; k++) {
      await pause(options.intervalMs);
      await engine.kill();
      kills++;
      log(`kill ${kills}: ${tally.acked.size} events acknowledged so far`);
      if (existsSync(join(dir, 'live', SNAPSHOT_FILE))) restartsFromSnapshot++;
      engine = await startEngine(engineOptions(`sqlite:${dbPath}`, port));
    }
    await pause(options.intervalMs);
  } finally {
    running = false;
    await Promise.all(writers);
  }

  // The engine restarted after the last kill: its read models, then stop it.
  const asOf = instant(Date.now() + 60_000);
  const from = instant(Date.now() - 86_400_000 * 2).slice(0, 10);
  const to = instant(Date.now() + 86_400_000 * 2).slice(0, 10);
  // Writers have stopped; sqlite's WAL lets this reader run beside the engine.
  const events = await readAllEvents(dbPath);
  const caseIds = [
    ...new Set(events.filter((e) => e.streamId.startsWith('case-')).map((e) => e.streamId.slice(5))),
  ].sort();
  const restarted = await readCases(engine.url, caseIds, asOf);
  const restartedSummary = await readSummary(engine.url, from, to);
  await engine.stop();

  // A fresh engine on a copy of the database, without any snapshot: a clean rebuild.
  mkdirSync(join(dir, 'fresh'));
  for (const f of readdirSync(join(dir, 'live'))) {
    // The database and its side files (databaseFiles.ts): not the snapshot nor what lies beside it (its live-until record).
    if (f.startsWith('events.db') && !f.startsWith(SNAPSHOT_FILE))
      copyFileSync(join(dir, 'live', f), join(dir, 'fresh', f));
  }
  if (readdirSync(join(dir, 'fresh')).some((f) => f.includes('snapshot')))
    problems.push('the fresh copy holds a snapshot');
  const fresh = await startEngine(engineOptions(`sqlite:${join(dir, 'fresh', 'events.db')}`, await freePort()));
  const rebuilt = await readCases(fresh.url, caseIds, asOf);
  const rebuiltSummary = await readSummary(fresh.url, from, to);
  await fresh.stop();

  let mismatches = 0;
  for (const caseId of caseIds) {
    const a = restarted.get(caseId);
    const b = rebuilt.get(caseId);
    if (a !== b || !a?.startsWith('200 ')) {
      mismatches++;
      if (mismatches <= 3)
        problems.push(`case ${caseId}: restarted ${a?.slice(0, 300)} vs rebuilt ${b?.slice(0, 300)}`);
    }
  }
  if (restartedSummary !== rebuiltSummary) {
    mismatches++;
    problems.push(`stats/alerts differ: ${restartedSummary.slice(0, 300)} vs ${rebuiltSummary.slice(0, 300)}`);
  }

  const finalEvents = await readAllEvents(dbPath);
  const checks = checkStore(finalEvents, tally, problems);
  problems.push(...tally.unexpected.slice(0, 5));
  if (existsSync(dir) && problems.length === 0) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir} for inspection`);

  return {
    kills,
    restartsFromSnapshot,
    requests: tally.requests,
    connectionErrors: tally.connectionErrors,
    eventsAcknowledged: tally.acked.size,
    eventsStored: finalEvents.filter((e) => e.streamId.startsWith('case-')).length,
    ...checks,
    unexpectedRejections: tally.unexpected.length,
    unknownGroups: tally.unknownGroups.length,
    casesCompared: caseIds.length,
    readModelMismatches: mismatches,
    problems,
  };
}

function checkStore(events: readonly RecordedEvent[], tally: Tally, problems: string[]) {
  const count = new Map<string, number>();
  for (const e of events) count.set(e.eventId, (count.get(e.eventId) ?? 0) + 1);
  let lost = 0;
  for (const [eventId, caseId] of tally.acked) {
    if (!count.has(eventId)) {
      lost++;
      if (lost <= 3) problems.push(`acknowledged event ${eventId} of ${caseId} is not in the store`);
    }
  }
  const doubled = [...count.values()].filter((n) => n > 1).length;
  if (doubled > 0) problems.push(`${doubled} eventIds stored more than once`);
  const unknownStoredEvents = events.filter((e) => e.streamId.startsWith('case-') && !tally.sent.has(e.eventId)).length;
  if (unknownStoredEvents > 0) problems.push(`${unknownStoredEvents} stored events were never sent`);

  let partialGroups = 0;
  for (const group of tally.unknownGroups) {
    const stored = group.filter((id) => count.has(id)).length;
    if (stored !== 0 && stored !== group.length) {
      partialGroups++;
      problems.push(`a batch group is half-written: ${stored} of ${group.length} events stored`);
    }
  }

  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) {
    if (!e.streamId.startsWith('case-')) continue;
    const list = streams.get(e.streamId) ?? [];
    list.push(e);
    streams.set(e.streamId, list);
  }
  let revisionGaps = 0;
  let invalidTransitions = 0;
  let lastPosition = -1n;
  for (const e of events) {
    if (e.position <= lastPosition) problems.push(`positions not increasing at ${e.position}`);
    lastPosition = e.position;
  }
  for (const [streamId, list] of streams) {
    let state = initialCaseState(streamId.slice(5));
    list.forEach((e, i) => {
      if (e.revision !== BigInt(i)) {
        revisionGaps++;
        if (revisionGaps <= 3) problems.push(`${streamId}: revision ${e.revision} at index ${i}`);
      }
      const event = e.data as unknown as CaseEvent;
      const recordedAt = Date.parse(e.recordedAt);
      const verdict = decide(state, event, recordedAt);
      if (isLeft(verdict)) {
        invalidTransitions++;
        if (invalidTransitions <= 3) problems.push(`${streamId} rev ${e.revision}: ${verdict.left.message}`);
      }
      state = evolve(state, event, { revision: i, recordedAt });
    });
  }
  return { lost, doubled, partialGroups, revisionGaps, invalidTransitions, unknownStoredEvents };
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
  return v;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runCrashLoad({ kills: flag('kills', 5), clients: flag('clients', 8), intervalMs: flag('interval-ms', 2500) })
    .then((report) => {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      const ok = report.problems.length === 0 && report.lost === 0 && report.doubled === 0 && report.kills > 0;
      process.exit(ok ? 0 : 1);
    })
    .catch((e: unknown) => {
      process.stderr.write(`crash-load failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    });
}
