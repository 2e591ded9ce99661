/**
 * The complaint fold wired into the projection runner (issue 17): routed from
 * `complaint-` streams, time-driven alerts on the board and the stream, kept
 * in the snapshot, and the same read models whether folded live, rebuilt,
 * resumed from a snapshot or replayed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { complaintStreamId } from '../../domain/complaints/streams.js';
import { acceptedC, answeredC, assignedC, closedC, received, rejectedC } from '../../domain/complaints/testing.js';
import { formatInstant, MS_PER_DAY, MS_PER_HOUR, parseInstant } from '../../domain/time.js';
import { MemoryEventStore } from '../../store/memory/memory-store.js';
import type { EventStore } from '../../store/port.js';
import { createCalendarService } from '../../domain/calendar/index.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';
import { createManualScheduler } from '../scheduler.js';
import { makeRig, ZONE, type Rig } from '../testSupport.js';
import { ComplaintAlerts } from './complaintAlerts.js';
import { ComplaintProjection } from './complaintProjection.js';

const rigs: Rig[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function appendComplaint(store: EventStore, e: ComplaintEvent): Promise<bigint> {
  const r = await store.append(complaintStreamId(e.complaintId), [{ eventId: randomUUID(), type: e.type, data: e }]);
  return r.position;
}

async function rig(start: string | number, extra: Parameters<typeof makeRig>[1] = {}): Promise<Rig> {
  const r = await makeRig(start, extra);
  rigs.push(r);
  return r;
}

async function record(r: Rig, e: ComplaintEvent): Promise<void> {
  const position = await appendComplaint(r.store, e);
  expect(await r.projections.readModels.waitForPosition(position, 2_000)).toBe(true);
}

const at = (text: string) => parseInstant(text);

describe('complaint alerts are time-driven (the due timer, no new event)', () => {
  it('accepted 2025-11-03: the warning at 00:00 of counted day 12 (11-19), the red card at the end of day 15 (11-25 00:00), cleared by the answer', async () => {
    const r = await rig('2025-11-03T09:00:00+08:00');
    await record(r, received('2025-11-03T09:00:00+08:00', { departmentId: 'd1' }));
    await record(r, acceptedC('2025-11-03T10:00:00+08:00'));
    const rm = r.projections.readModels;
    expect(rm.activeAlerts()).toEqual([]);
    const warnAt = at('2025-11-19T00:00:00+08:00');
    const dueAt = at('2025-11-25T00:00:00+08:00');
    expect(r.projections.info().nextDueAt).toBe(warnAt);

    r.scheduler.advanceTo(warnAt - 1);
    expect(r.alerts).toEqual([]);
    r.scheduler.advanceTo(warnAt);
    expect(r.alerts.map((a) => [a.type, a.alert.key, a.at, a.clock])).toEqual([
      ['alert-raised', 'complaint-q1/complaint-answer-warning', '2025-11-19T00:00:00.000+08:00', warnAt],
    ]);
    const [warning] = rm.activeAlerts();
    expect(warning).toMatchObject({
      subject: 'complaint',
      complaintId: 'q1',
      rule: 'complaint-answer-warning',
      color: 'yellow',
      centerId: 'c1',
      departmentId: 'd1',
      startedAt: '2025-11-19T00:00:00.000+08:00',
      calendarVersion: r.calendarService.current().version,
    });
    expect(warning).not.toHaveProperty('caseId');

    r.scheduler.advanceTo(dueAt - 1);
    expect(r.alerts).toHaveLength(1);
    r.scheduler.advanceTo(dueAt);
    expect(r.alerts.slice(1).map((a) => [a.type, a.alert.rule, a.at, a.clock])).toEqual([
      ['alert-cleared', 'complaint-answer-warning', '2025-11-25T00:00:00.000+08:00', dueAt],
      ['alert-raised', 'complaint-overdue', '2025-11-25T00:00:00.000+08:00', dueAt],
    ]);
    expect(rm.activeAlerts({ color: 'red' }).map((a) => a.key)).toEqual(['complaint-q1/complaint-overdue']);
    expect(rm.activeAlerts({ rule: 'complaint-overdue', centerId: 'c1', departmentId: 'd1' })).toHaveLength(1);
    expect(rm.activeAlerts({ rule: 'overdue' })).toEqual([]);
    expect(rm.activeAlerts({ centerId: 'c2' })).toEqual([]);
    // No card is due: nothing is queued. The day the open clocks reach days the calendar only predicts
    // (SPEC §3) is the fold's one provisional-turn timer (provisionalTurn.ts), tested below.
    expect(r.projections.info().nextDueAt).toBeUndefined();

    r.scheduler.advanceTo(at('2025-11-26T09:00:00+08:00'));
    await record(r, answeredC('2025-11-26T09:00:00+08:00'));
    expect(r.alerts.slice(3).map((a) => [a.type, a.alert.rule, a.at])).toEqual([
      ['alert-cleared', 'complaint-overdue', '2025-11-26T09:00:00.000+08:00'],
    ]);
    expect(rm.activeAlerts()).toEqual([]);
  });

  it('an open complaint with an alert says provisional once the clock reaches the day its days turn predicted', async () => {
    const r = await rig('2026-12-07T09:00:00+08:00');
    await record(r, received('2026-12-07T09:00:00+08:00'));
    const due = r.projections.info().nextDueAt!;
    r.scheduler.advanceTo(due);
    expect(r.alerts.map((a) => [a.type, a.alert.rule, a.alert.provisional])).toEqual([
      ['alert-raised', 'complaint-undecided', undefined],
    ]);
    const calendar = r.calendarService.current();
    const turns = calendar.startOfDay(calendar.provisionalFrom(calendar.dayOf(due)));
    expect(turns).toBeGreaterThan(due);
    r.scheduler.advanceTo(turns - 1);
    expect(r.alerts).toHaveLength(1);
    r.scheduler.advanceTo(turns);
    expect(r.alerts.slice(1).map((a) => [a.type, a.alert.key, a.alert.provisional, a.at, a.clock])).toEqual([
      ['alert-raised', 'complaint-q1/complaint-undecided', true, formatInstant(due, ZONE), turns],
    ]);
    expect(r.projections.readModels.activeAlerts()[0]?.provisional).toBe(true);
  });

  it('the provisional turn is one timer for every open complaint: the due-queue does not grow by one per complaint', () => {
    // Received 2026-12-07: red at the end of counted day 3, then nothing changes but the provisional turn.
    const openComplaints = (n: number) => {
      const scheduler = createManualScheduler(at('2026-12-07T09:00:00+08:00'));
      const calendarService = createCalendarService(ZONE);
      const complaints = new ComplaintProjection({
        calendar: () => calendarService.current(),
        policyFor: () => DEFAULT_POLICY,
      });
      const live = new ComplaintAlerts({ complaints, calendarService, scheduler });
      for (let i = 0; i < n; i++) {
        const e = received('2026-12-07T09:00:00+08:00', {}, `Q-${i}`);
        complaints.apply({ streamId: complaintStreamId(e.complaintId), position: BigInt(i + 1), data: e });
      }
      live.goLive(scheduler.clock());
      scheduler.advanceTo(at('2026-12-15T09:00:00+08:00'));
      const before = { alerts: live.alertCount, queued: live.queuedCount, timers: scheduler.pendingTimers() };
      const calendar = calendarService.current();
      scheduler.advanceTo(calendar.startOfDay(calendar.provisionalFrom(calendar.dayOf(scheduler.clock()))));
      const turned = live.activeAlerts().filter((a) => a.provisional === true).length;
      live.stop();
      return { ...before, turned };
    };
    const one = openComplaints(1);
    const many = openComplaints(40);
    expect([one.alerts, many.alerts]).toEqual([1, 40]);
    // Before: one due entry a complaint for the turn (queued 1 and 40).
    expect(many.queued).toBe(one.queued);
    expect(many.timers).toBe(one.timers);
    expect([one.turned, many.turned]).toEqual([1, 40]);
  });

  it('undecided: red at the end of counted day 3 after receipt, cleared by the decision; none after closure', async () => {
    const r = await rig('2025-09-22T09:00:00+08:00');
    await record(r, received('2025-09-22T09:00:00+08:00'));
    const due = at('2025-09-26T00:00:00+08:00');
    r.scheduler.advanceTo(due);
    expect(r.alerts.map((a) => [a.type, a.alert.rule, a.at])).toEqual([
      ['alert-raised', 'complaint-undecided', '2025-09-26T00:00:00.000+08:00'],
    ]);
    expect(r.alerts[0]!.alert.departmentId).toBe('');
    await record(r, rejectedC('2025-09-26T10:00:00+08:00'));
    expect(r.alerts.slice(1).map((a) => [a.type, a.alert.rule, a.at])).toEqual([
      ['alert-cleared', 'complaint-undecided', '2025-09-26T10:00:00.000+08:00'],
    ]);
    await record(r, closedC('2025-09-26T11:00:00+08:00'));
    expect(r.projections.readModels.activeAlerts()).toEqual([]);
  });

  it('an assignment moves an alert in force to the new department (raised again under the same key)', async () => {
    const r = await rig('2025-11-03T09:00:00+08:00');
    await record(r, received('2025-11-03T09:00:00+08:00', { departmentId: 'd1' }));
    await record(r, acceptedC('2025-11-03T10:00:00+08:00'));
    r.scheduler.advanceTo(at('2025-11-19T09:00:00+08:00'));
    await record(r, assignedC('2025-11-19T09:00:00+08:00', 'd2'));
    expect(r.alerts.map((a) => [a.type, a.alert.key, a.alert.departmentId])).toEqual([
      ['alert-raised', 'complaint-q1/complaint-answer-warning', 'd1'],
      ['alert-raised', 'complaint-q1/complaint-answer-warning', 'd2'],
    ]);
    expect(r.projections.readModels.activeAlerts({ departmentId: 'd2' })).toHaveLength(1);
    expect(r.projections.readModels.activeAlerts({ departmentId: 'd1' })).toEqual([]);
  });

  it('the metric counts each stage once, live (an assignment is no stage)', async () => {
    const calls: unknown[][] = [];
    const metrics = {
      caseAccepted: () => {},
      caseCompleted: () => {},
      cardIssued: () => {},
      caseRated: () => {},
      complaintStage: (...a: unknown[]) => void calls.push(a),
      cardWithdrawn: () => {},
    };
    const r = await rig('2025-09-22T09:00:00+08:00', { metrics });
    for (const e of [
      received('2025-09-22T09:00:00+08:00'),
      acceptedC('2025-09-22T10:00:00+08:00'),
      assignedC('2025-09-22T11:00:00+08:00'),
      answeredC('2025-09-22T12:00:00+08:00'),
      closedC('2025-09-22T13:00:00+08:00', 'satisfied'),
    ])
      await record(r, e);
    expect(calls).toEqual([
      ['c1', 'received'],
      ['c1', 'accepted'],
      ['c1', 'answered'],
      ['c1', 'closed'],
    ]);
  });
});

describe('supervision_cards_issued_total counts complaint cards (session 16)', () => {
  const sinkOf = (cards: unknown[][]) => ({
    caseAccepted: () => {},
    caseCompleted: () => {},
    cardIssued: (...a: unknown[]) => void cards.push(a),
    caseRated: () => {},
    complaintStage: () => {},
    cardWithdrawn: () => {},
  });

  it('once per card as time or an event starts it, live; a restart counts none of those issued before it', async () => {
    const cards: unknown[][] = [];
    const r = await rig('2025-11-03T09:00:00+08:00', { metrics: sinkOf(cards) });
    await record(r, received('2025-11-03T09:00:00+08:00', { departmentId: 'd1' }));
    await record(r, acceptedC('2025-11-03T10:00:00+08:00'));
    r.scheduler.advanceTo(at('2025-11-19T00:00:00+08:00'));
    expect(cards).toEqual([['complaint-answer-warning', 'yellow', 'c1']]);
    // Re-evaluated by an event: the warning in force is not counted again.
    await record(r, assignedC('2025-11-19T09:00:00+08:00', 'd2'));
    r.scheduler.advanceTo(at('2025-11-25T00:00:00+08:00'));
    r.scheduler.advanceTo(at('2025-11-26T09:00:00+08:00'));
    await record(r, answeredC('2025-11-26T09:00:00+08:00'));
    expect(cards).toEqual([
      ['complaint-answer-warning', 'yellow', 'c1'],
      ['complaint-overdue', 'red', 'c1'],
    ]);

    const again: unknown[][] = [];
    const restarted = await rig('2025-11-27T09:00:00+08:00', { store: r.store, metrics: sinkOf(again) });
    await record(restarted, closedC('2025-11-27T09:00:00+08:00', 'satisfied'));
    expect(again).toEqual([]);
  });
});

/** A few complaints' histories as (instant, event), in commit order. */
const historiesArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 20 }),
      decideH: fc.integer({ min: 1, max: 24 * 8 }),
      reject: fc.boolean(),
      assign: fc.boolean(),
      answerH: fc.option(fc.integer({ min: 1, max: 24 * 30 }), { nil: undefined }),
      close: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((gs) => {
    const all: { at: number; e: ComplaintEvent }[] = [];
    const base = at('2025-09-01T09:00:00+08:00');
    const show = (t: number) => formatInstant(t, ZONE);
    gs.forEach((g, i) => {
      const id = `q${i}`;
      const r0 = base + g.day * MS_PER_DAY;
      all.push({ at: r0, e: received(show(r0), { centerId: `c${i % 2}`, departmentId: `d${i % 3}` }, id) });
      const d = r0 + g.decideH * MS_PER_HOUR;
      all.push({ at: d, e: g.reject ? rejectedC(show(d), id) : acceptedC(show(d), id) });
      let last = d;
      if (!g.reject && g.assign) {
        last = d + MS_PER_HOUR;
        all.push({ at: last, e: assignedC(show(last), 'd9', id) });
      }
      if (!g.reject && g.answerH !== undefined) {
        last += g.answerH * MS_PER_HOUR;
        all.push({ at: last, e: answeredC(show(last), 'partly', id) });
      }
      if (g.close && (g.reject || g.answerH !== undefined))
        all.push({ at: last + MS_PER_HOUR, e: closedC(show(last + MS_PER_HOUR), 'satisfied', id) });
    });
    return all.sort((a, b) => a.at - b.at);
  });

const END = at('2025-11-20T12:00:00+08:00');

describe('ComplaintAlerts: replaying events changes nothing', () => {
  it('each stored event applied twice, and the whole history again at the end, publish what one pass publishes', () => {
    fc.assert(
      fc.property(historiesArb, (history) => {
        const stored = history.map(({ e }, i) => ({
          streamId: complaintStreamId(e.complaintId),
          position: BigInt(i + 1),
          data: e,
        }));
        const run = (times: number) => {
          const scheduler = createManualScheduler(history[0]!.at);
          const calendarService = createCalendarService(ZONE);
          const complaints = new ComplaintProjection({
            calendar: () => calendarService.current(),
            policyFor: () => DEFAULT_POLICY,
          });
          const live = new ComplaintAlerts({ complaints, calendarService, scheduler });
          const events: unknown[] = [];
          live.onAlert((e) => events.push(e));
          live.goLive(scheduler.clock());
          stored.forEach((e, i) => {
            scheduler.advanceTo(history[i]!.at);
            for (let k = 0; k < times; k++) live.apply(e);
          });
          for (let k = 1; k < times; k++) for (const e of stored) live.apply(e);
          scheduler.advanceTo(END);
          const out = { events, alerts: live.activeAlerts(), states: complaints.states(), next: live.nextDueAt() };
          live.stop();
          return out;
        };
        expect(run(2)).toEqual(run(1));
      }),
      { numRuns: 50 },
    );
  });
});

function readOf(r: Rig) {
  const rm = r.projections.readModels;
  return {
    list: rm.complaintList({ limit: 500 }),
    alerts: rm.activeAlerts(),
    next: r.projections.info().nextDueAt ?? null,
    complaints: r.projections.info().complaints,
  };
}

describe('through the runner: incremental == rebuild == resumed from a snapshot', () => {
  it('folding live while time passes, rebuilding at the end, and resuming from a snapshot taken midway agree', async () => {
    await fc.assert(
      fc.asyncProperty(historiesArb, fc.nat(), async (history, cut) => {
        dir = mkdtempSync(join(tmpdir(), 'complaint-runner-'));
        const file = join(dir, 'snapshot.ndjson');
        // Live: each event recorded at its instant, the timer firing in between.
        const live = await makeRig(history[0]!.at);
        const store = live.store;
        try {
          for (const { at: t, e } of history) {
            live.scheduler.advanceTo(t);
            await record(live, e);
          }
          live.scheduler.advanceTo(END);
          const expected = readOf(live);
          expect(expected.complaints).toBe(new Set(history.map((h) => h.e.complaintId)).size);

          // Rebuild: a new runner over the same store at END.
          const rebuilt = await makeRig(END, { store });
          expect(readOf(rebuilt)).toEqual(expected);
          await rebuilt.projections.stop();

          // Resume: a snapshot after the first `half` events, then the rest folded after it.
          const half = cut % (history.length + 1);
          // Each event recorded at its instant, as live (a late record would be a complaint-late-record card).
          let recordedAt = END;
          const partStore = new MemoryEventStore({ clock: () => recordedAt });
          const append = async ({ at: t, e }: (typeof history)[number]) => {
            recordedAt = t;
            await appendComplaint(partStore, e);
          };
          for (const h of history.slice(0, half)) await append(h);
          const first = await makeRig(END, { store: partStore, checkpointFile: file });
          await first.projections.stop();
          for (const h of history.slice(half)) await append(h);
          const resumed = await makeRig(END, { store: partStore, checkpointFile: file });
          expect(resumed.projections.info().eventsFolded).toBe(history.length - half);
          expect(readOf(resumed)).toEqual(expected);
          await resumed.projections.stop();
        } finally {
          await live.projections.stop();
          rmSync(dir, { recursive: true, force: true });
          dir = undefined;
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a restart from a snapshot keeps the complaints received before it (regression: a snapshot without them lost them)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-restart-'));
    const file = join(dir, 'snapshot.ndjson');
    // Recorded as it happened (recorded 8 days later it would be a complaint-late-record card too).
    let recordedAt = at('2025-09-22T09:00:00+08:00');
    const store = new MemoryEventStore({ clock: () => recordedAt });
    const first = await rig('2025-09-30T09:00:00+08:00', { store, checkpointFile: file });
    await record(first, received('2025-09-22T09:00:00+08:00'));
    recordedAt = at('2025-09-30T09:30:00+08:00');
    await first.projections.stop();
    rigs.splice(0);

    const again = await rig('2025-09-30T09:00:00+08:00', { store, checkpointFile: file });
    expect(again.projections.info().eventsFolded).toBe(0);
    const rm = again.projections.readModels;
    expect(rm.complaintList({ limit: 10 }).items.map((c) => c.complaintId)).toEqual(['q1']);
    expect(rm.activeAlerts().map((a) => a.key)).toEqual(['complaint-q1/complaint-undecided']);
    await record(again, acceptedC('2025-09-30T09:30:00+08:00'));
    expect(rm.complaintList({ limit: 10 }).items[0]!.status).toBe('accepted');
    expect(rm.activeAlerts()).toEqual([]);
  });
});
