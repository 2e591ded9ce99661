/**
 * Issue 18 goal 3: the snapshot keeps the completed cases as rows, in binary
 * (snapshotRows.ts), and a restart puts them back as they are. Law: a
 * projection restarted from a snapshot answers /stats, /reports/monthly,
 * /cases, /cards, alerts, counters and states exactly as the projection that
 * wrote it, then and as both follow the same store afterwards, for random
 * histories with rows holding pauses, cards, ratings, comments, follow-ups,
 * escalations, and rows released and reused (free lists). Ids with a
 * character above U+00FF cannot name a stream: the table's own test covers them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { createManualScheduler, type ManualScheduler } from './scheduler.js';
import { readSnapshot } from './snapshot.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';
import type { ProjectionMetricsSink } from './types.js';

const H = 3_600_000;
const BASE = parseInstant('2025-09-01T09:00:00+08:00');

const caseArb = fc.record({
  startHours: fc.integer({ min: 0, max: 24 * 30 }),
  promisedDays: fc.integer({ min: 0, max: 8 }),
  center: fc.constantFrom('c1', 'c2'),
  channel: fc.constantFrom('window', 'online'),
  pause: fc.option(
    fc.record({
      afterHours: fc.integer({ min: 1, max: 100 }),
      declared: fc.option(fc.integer({ min: 1, max: 6 })),
      note: fc.option(fc.constantFrom('补正材料', 'n')),
      resumeAfterHours: fc.integer({ min: 1, max: 100 }),
    }),
  ),
  escalateAfterHours: fc.option(fc.integer({ min: 1, max: 100 }), { freq: 4 }),
  completeAfterHours: fc.option(fc.integer({ min: 1, max: 24 * 12 }), { freq: 6 }),
  rating: fc.option(
    fc.record({
      afterHours: fc.integer({ min: 0, max: 24 * 6 }),
      score: fc.integer({ min: 1, max: 5 }),
      channel: fc.constantFrom('window', 'online', 'sms'),
      comment: fc.option(fc.constantFrom('很好', '太慢了', '')),
      followUpHours: fc.option(fc.integer({ min: 1, max: 24 * 10 })),
    }),
  ),
});
type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;
type Timed = { at: number; body: Body };

/** A valid history per case (SPEC §2), in occurrence order across cases. */
function historyOf(cases: readonly CaseSpec[]): Timed[] {
  const out: Timed[] = [];
  cases.forEach((c, i) => {
    const caseId = `W-${i}`;
    let t = BASE + c.startHours * H;
    const push = (body: Omit<Body, 'caseId' | 'occurredAt'>) =>
      out.push({ at: t, body: { ...body, caseId, occurredAt: formatInstant(t, ZONE) } as Body });
    push({
      type: 'CaseAccepted',
      centerId: c.center,
      departmentId: `${c.center}-d`,
      matterCode: `M${c.promisedDays}`,
      kind: c.promisedDays === 0 ? 'instant' : 'promised',
      promisedDays: c.promisedDays,
      channel: c.channel,
    });
    if (c.pause !== null) {
      t += c.pause.afterHours * H;
      push({
        type: 'CasePaused',
        pauseId: 'p1',
        reason: 'testing',
        ...(c.pause.declared === null ? {} : { declaredDays: c.pause.declared }),
        ...(c.pause.note === null ? {} : { note: c.pause.note }),
      });
      t += c.pause.resumeAfterHours * H;
      push({ type: 'CaseResumed', pauseId: 'p1' });
    }
    if (c.escalateAfterHours !== null) {
      t += c.escalateAfterHours * H;
      push({ type: 'CaseEscalated', level: 'reminder', by: 'office' });
    }
    if (c.completeAfterHours === null) return;
    t += c.completeAfterHours * H;
    push({ type: 'CaseCompleted', outcome: 'approved' });
    const r = c.rating;
    if (r === null) return;
    t += r.afterHours * H;
    push({
      type: 'CaseRated',
      score: r.score,
      channel: r.channel,
      ...(r.comment === null ? {} : { comment: r.comment }),
    });
    if (r.score <= 2 && r.followUpHours !== null) {
      t += r.followUpHours * H;
      push({ type: 'RatingFollowedUp', note: '已回访', by: 'office' });
    }
  });
  return out.sort((a, b) => a.at - b.at);
}

/** Counters as the metrics sink receives them (live only). */
function countingSink(into: unknown[]): ProjectionMetricsSink {
  const count =
    (name: string) =>
    (...a: unknown[]): void => {
      into.push([name, ...a]);
    };
  return new Proxy({} as ProjectionMetricsSink, { get: (_t, name) => count(String(name)) });
}

/**
 * What the read models answer. `byDueAt` adds the case list sorted by `-dueAt`
 * (a paused case's deadline moves on while it is paused: the list reads it at
 * the query, so a projection that ran live and one started from a snapshot
 * order paused cases alike; they did not while the key was the deadline of a
 * case's last evaluation).
 */
function answers(rig: Rig, ids: readonly string[], byDueAt = false): unknown {
  const rm = rig.projections.readModels;
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  const pages = <T extends { nextCursor?: string | null }>(page: (cursor?: string) => T): T[] => {
    const out = [page()];
    for (let i = 0; i < 40; i++) {
      const cursor = out[out.length - 1]!.nextCursor;
      if (cursor === undefined || cursor === null) break;
      out.push(page(cursor));
    }
    return out;
  };
  return {
    states: ids.map((id) => rm.getCaseState(id) ?? null),
    alerts: rm.activeAlerts(),
    openCounts: sorted(rm.openCaseCounts()),
    alertCounts: sorted(rm.alertCounts()),
    stats: [
      rm.stats({ from: '2025-09-01', to: '2025-12-01', groupBy: 'center' }),
      rm.stats({ from: '2025-09-10', to: '2025-10-10', groupBy: 'matter' }),
    ],
    reports: ['2025-09', '2025-10'].map((m) => rm.monthlyReport(m)),
    cases: pages((cursor) => rm.caseList({ limit: 4, ...(cursor === undefined ? {} : { cursor }) })),
    byDueAt: byDueAt
      ? pages((cursor) => rm.caseList({ limit: 3, sort: '-dueAt', ...(cursor === undefined ? {} : { cursor }) }))
      : null,
    cards: pages((cursor) =>
      rm.cardRegister({ from: '2025-09-01', to: '2026-01-01', limit: 4, ...(cursor === undefined ? {} : { cursor }) }),
    ),
    next: rig.projections.info().nextDueAt ?? null,
    cases_: rig.projections.info().cases,
  };
}

/**
 * What the rows of a snapshot hold, for the coverage checks: the cases not
 * saved as states are rows; what they hold is read from their states (so the
 * count does not depend on the rows' layout).
 */
function rowsHeld(rig: Rig, ids: readonly string[], objects: readonly string[]) {
  const asObjects = new Set(objects);
  const rows = ids
    .map((id) => rig.projections.readModels.getCaseState(id))
    .filter((s) => s && !asObjects.has(s.caseId));
  return {
    rows: rows.length,
    pauses: rows.filter((s) => s!.pauses.length > 0).length,
    comments: rows.filter((s) => s!.rating?.comment !== undefined).length,
    extras: rows.filter((s) => s!.escalations.length > 0 || s!.rating?.followUp !== undefined).length,
  };
}

/** Cases completed and then rated while the writer ran live: made rows at completion, then released (free rows). */
function releasedLive(events: readonly Timed[], cut: number, snap: number): number {
  const completedAt = new Map<string, number>();
  let n = 0;
  events.forEach((e, i) => {
    if (i < cut || i >= snap) return;
    if (e.body.type === 'CaseCompleted') completedAt.set(e.body.caseId, i);
    else if (e.body.type === 'CaseRated' && completedAt.has(e.body.caseId)) n++;
  });
  return n;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

/** Advance every clock to `t` (never back). */
function advance(schedulers: readonly ManualScheduler[], t: number): void {
  for (const s of schedulers) s.advanceTo(Math.max(s.clock(), t));
}

const held = { rows: 0, released: 0, pauses: 0, comments: 0, extras: 0 };

describe('snapshot v4: rows in binary', () => {
  it('law: a restart from the snapshot answers exactly as the projection that wrote it, then and afterwards', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArb, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 24 * 20 }),
        async (cases, cutPercent, snapPercent, tailHours) => {
          const dir = mkdtempSync(join(tmpdir(), 'snap-v4-'));
          try {
            const file = join(dir, 'store.snapshot.ndjson');
            const events = historyOf(cases);
            const cut = Math.floor((cutPercent / 100) * events.length);
            const snap = cut + Math.floor((snapPercent / 100) * (events.length - cut));
            const feeder = createManualScheduler(BASE);
            const store = new MemoryEventStore({ clock: () => feeder.clock() });
            for (const e of events.slice(0, cut)) {
              advance([feeder], e.at);
              await appendBody(store, e.body);
            }
            const countersA: unknown[] = [];
            const a = await makeRig(feeder.clock(), { store, checkpointFile: file, metrics: countingSink(countersA) });
            rigs.push(a);
            for (const e of events.slice(cut, snap)) {
              advance([feeder, a.scheduler], e.at);
              await a.append(e.body);
            }
            advance([feeder, a.scheduler], feeder.clock() + (tailHours * H) / 2);
            await a.projections.saveSnapshot(); // may be a write begun earlier (one at a time): then one more
            await a.projections.saveSnapshot();

            const content = await readSnapshot(file);

            const countersB: unknown[] = [];
            const logs: string[] = [];
            const restarted = await makeRig(a.scheduler.clock(), {
              store,
              checkpointFile: file,
              metrics: countingSink(countersB),
              log: (m) => logs.push(m),
            });
            rigs.push(restarted);
            expect(logs.join('\n')).toMatch(/resumed from snapshot/);
            expect(restarted.projections.info().eventsFolded).toBe(0);
            const ids = [...new Set(events.map((e) => e.body.caseId))];
            expect(answers(restarted, ids, true)).toEqual(answers(a, ids, true));
            const h = rowsHeld(restarted, ids, content?.states.map((st) => st.caseId) ?? []);
            held.rows += h.rows;
            held.pauses += h.pauses;
            held.comments += h.comments;
            held.extras += h.extras;
            held.released += releasedLive(events, cut, snap);
            const rebuilt = await makeRig(a.scheduler.clock(), { store });
            rigs.push(rebuilt);
            expect(answers(restarted, ids, true)).toEqual(answers(rebuilt, ids, true));
            await rebuilt.projections.stop();

            // Both follow the store from here: same alerts published, same counters, same answers.
            const alertsA = a.alerts.length;
            countersA.length = 0;
            countersB.length = 0;
            for (const e of events.slice(snap)) {
              advance([feeder, a.scheduler, restarted.scheduler], e.at);
              const position = await appendBody(store, e.body);
              for (const r of [a, restarted])
                expect(await r.projections.readModels.waitForPosition(position, 2_000)).toBe(true);
            }
            advance([feeder, a.scheduler, restarted.scheduler], feeder.clock() + tailHours * H);
            // The same alert events; those of one instant in any order (the due-queue breaks ties by insertion).
            const strip = (xs: Rig['alerts']) =>
              xs.map(({ clock: _clock, ...rest }) => `${rest.at} ${JSON.stringify(rest)}`).sort();
            expect(strip(restarted.alerts)).toEqual(strip(a.alerts.slice(alertsA)));
            // Counters: the same increments (those of one instant come in the due-queue's tie order).
            const counted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
            expect(counted(countersB)).toEqual(counted(countersA));
            expect(answers(restarted, ids, true)).toEqual(answers(a, ids, true));
          } finally {
            for (const r of rigs.splice(0)) await r.projections.stop();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      // Without shrinking: a run starts three projections, and shrinking one failure took minutes.
      { numRuns: 40, endOnFailure: true },
    );
    // Not vacuous: the snapshots held rows of every kind.
    expect(held.rows).toBeGreaterThan(50);
    expect(held.released).toBeGreaterThan(5);
    expect(held.pauses).toBeGreaterThan(5);
    expect(held.comments).toBeGreaterThan(3);
    expect(held.extras).toBeGreaterThan(3);
  });
});
