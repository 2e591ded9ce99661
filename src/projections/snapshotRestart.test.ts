/**
 * Issue 12's property: for random event sequences, restarting from a snapshot
 * taken at any point and catching up equals a rebuild from zero; a snapshot of
 * another store is never used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { fraction } from '../domain/testing/fraction.js';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import type { EventStore } from '../store/port.js';
import { StoreHistoryLostError } from './checkpoint.js';
import { createManualScheduler } from './scheduler.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';

const H = 3_600_000;
const BASE = parseInstant('2025-09-01T09:00:00+08:00');

const caseArb = fc.record({
  startHours: fc.integer({ min: 0, max: 24 * 30 }),
  promisedDays: fc.integer({ min: 0, max: 8 }),
  center: fc.constantFrom('c1', 'c2'),
  pause: fc.option(
    fc.record({ afterHours: fc.integer({ min: 1, max: 200 }), declared: fc.integer({ min: 1, max: 6 }) }),
  ),
  resumeAfterHours: fc.option(fc.integer({ min: 1, max: 200 })),
  completeAfterHours: fc.option(fc.integer({ min: 1, max: 24 * 15 })),
});
type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** A valid history per case, in occurrence order across cases. */
function historyOf(prefix: string, cases: readonly CaseSpec[]): Timed[] {
  const out: Timed[] = [];
  cases.forEach((c, i) => {
    const caseId = `${prefix}-${i}`;
    let t = BASE + c.startHours * H;
    const push = (body: Omit<Body, 'caseId' | 'occurredAt'>) =>
      out.push({ at: t, body: { ...body, caseId, occurredAt: formatInstant(t, ZONE) } as Body });
    push({
      type: 'CaseAccepted',
      centerId: c.center,
      departmentId: 'd1',
      matterCode: `M${c.promisedDays}`,
      kind: c.promisedDays === 0 ? 'instant' : 'promised',
      promisedDays: c.promisedDays,
      channel: 'window',
    });
    let paused = false;
    if (c.pause !== null) {
      t += c.pause.afterHours * H;
      push({ type: 'CasePaused', pauseId: 'p1', reason: 'testing', declaredDays: c.pause.declared });
      paused = true;
      if (c.resumeAfterHours !== null) {
        t += c.resumeAfterHours * H;
        push({ type: 'CaseResumed', pauseId: 'p1' });
        paused = false;
      }
    }
    if (c.completeAfterHours !== null) {
      t += c.completeAfterHours * H;
      if (paused) push({ type: 'CaseResumed', pauseId: 'p1' });
      push({ type: 'CaseCompleted', outcome: 'approved' });
    }
  });
  return out.sort((a, b) => a.at - b.at);
}

function observe(rig: Rig, ids: readonly string[]): unknown {
  const rm = rig.projections.readModels;
  const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    states: ids.map((id) => rm.getCaseState(id) ?? null),
    alerts: rm.activeAlerts(),
    openCounts: sorted(rm.openCaseCounts()),
    alertCounts: sorted(rm.alertCounts()),
    stats: rm.stats({ from: '2025-09-01', to: '2025-11-01', groupBy: 'center' }),
    report: rm.monthlyReport('2025-09'),
    next: rig.projections.info().nextDueAt ?? null,
  };
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

type Timed = { at: number; body: Body };

async function fill(store: EventStore, clock: { advanceTo(t: number): void; clock(): number }, events: Timed[]) {
  for (const e of events) {
    clock.advanceTo(Math.max(clock.clock(), e.at));
    await appendBody(store, e.body);
  }
}

describe('restart from a snapshot', () => {
  it('from any point, then catching up, equals a rebuild from zero; another store never uses it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArb, { minLength: 1, maxLength: 6 }),
        fraction(),
        fc.array(caseArb, { maxLength: 4 }),
        fc.integer({ min: 0, max: 24 * 20 }),
        async (cases, cutAt, otherCases, tailHours) => {
          const dir = mkdtempSync(join(tmpdir(), 'proj-snap-prop-'));
          try {
            const file = join(dir, 'store.snapshot.ndjson');
            const events = historyOf('A', cases);
            const cut = Math.floor(cutAt * (events.length + 1)) % (events.length + 1);
            const clock = createManualScheduler(BASE);
            const store = new MemoryEventStore({ clock: () => clock.clock() });
            await fill(store, clock, events.slice(0, cut));

            const first = await makeRig(clock.clock(), { store, checkpointFile: file });
            await first.projections.stop(); // the snapshot at `cut` events (none when nothing was folded)
            await fill(store, clock, events.slice(cut));
            const end = clock.clock() + tailHours * H;

            const resumed = await makeRig(end, { store, checkpointFile: file });
            rigs.push(resumed);
            const clean = await makeRig(end, { store });
            rigs.push(clean);
            const ids = cases.map((_, i) => `A-${i}`);
            expect(resumed.projections.info().eventsFolded).toBe(events.length - cut);
            expect(observe(resumed, ids)).toEqual(observe(clean, ids));

            // Another store, handed this store's snapshot: never used.
            const other = historyOf('B', otherCases);
            const otherClock = createManualScheduler(BASE);
            const otherStore = new MemoryEventStore({ clock: () => otherClock.clock() });
            await fill(otherStore, otherClock, other);
            const foreign = makeRig(end, { store: otherStore, checkpointFile: file });
            if (other.length === 0 && cut > 0) {
              // An empty store beside a snapshot of history: refused outright, nothing served.
              await expect(foreign).rejects.toThrow(StoreHistoryLostError);
            } else {
              const rig = await foreign;
              rigs.push(rig);
              expect(rig.projections.info().eventsFolded).toBe(other.length);
              expect(rig.projections.readModels.getCaseState('A-0')).toBeUndefined();
              const otherClean = await makeRig(end, { store: otherStore });
              rigs.push(otherClean);
              const otherIds = otherCases.map((_, i) => `B-${i}`);
              expect(observe(rig, otherIds)).toEqual(observe(otherClean, otherIds));
            }
            for (const r of rigs.splice(0)) await r.projections.stop();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
