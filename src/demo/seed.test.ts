import { afterAll, describe, expect, it } from 'vitest';
import { createCalendarService, DEFAULT_POLICY, defaultCalendar } from '../domain/index.js';
import type { CaseEvent } from '../domain/events.js';
import { createManualScheduler, createProjections, type Projections } from '../projections/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { LiveGenerator } from './live.js';
import { replayComplaints, replayThroughDomain } from './replay.js';
import { complaintAlertsAt, complaintTimelineOf, type ComplaintEvent } from '../domain/complaints/index.js';
import { formatInstant } from '../domain/time.js';
import { evaluate } from '../domain/evaluate.js';
import {
  appendBacklog,
  complaintBacklogDays,
  DEMO_BACKLOG_WORKING_DAYS,
  demoBacklogWorkingDays,
  planBacklog,
  settableClock,
} from './seed.js';

const zone = 'Asia/Shanghai';
const calendar = defaultCalendar(zone);
const now = Date.parse('2025-09-24T10:30:00+08:00'); // a Wednesday morning
const DAY = 24 * 3_600_000;

async function seeded(seed: number) {
  const generator = new LiveGenerator({ seed, calendar, zone });
  const plan = planBacklog(generator, now, DEMO_BACKLOG_WORKING_DAYS);
  const clock = settableClock(() => now);
  const store = new MemoryEventStore({ clock: clock.now });
  await appendBacklog(store, clock, plan);
  return { generator, plan, clock, store };
}

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
}

const running: Projections[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
});

/** Active alerts by rule, as the engine's projections see the store at `now`. */
async function alertsByRule(store: EventStore): Promise<Record<string, number>> {
  const projections = createProjections({
    store,
    calendarService: createCalendarService(zone),
    policy: DEFAULT_POLICY,
    clock: () => now,
    zone,
    scheduler: createManualScheduler(now),
  });
  running.push(projections);
  await projections.start();
  expect(await projections.readModels.waitForPosition(await store.headPosition(), 10_000)).toBe(true);
  const counts: Record<string, number> = {};
  for (const a of projections.readModels.activeAlerts()) counts[a.rule] = (counts[a.rule] ?? 0) + 1;
  return counts;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe('seeding the demo backlog straight into the store', () => {
  const first = seeded(2025);

  it('records every planned event once, in revision order, at or before now, with recordedAt never decreasing', async () => {
    const { plan, store } = await first;
    const events = await readAll(store);
    expect(events.length).toBe(plan.events);
    expect(plan.cases).toBeGreaterThan(1000);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    let last = -Infinity;
    for (const e of events) {
      const at = Date.parse(e.recordedAt);
      expect(at).toBeGreaterThanOrEqual(last);
      expect(at).toBeLessThanOrEqual(now);
      last = at;
    }
  });

  it('comes out late (> 24 h) only for the planned 补录 share, not for everything older than a day', async () => {
    const { plan, store } = await first;
    const events = await readAll(store);
    const late = events.filter((e) => Date.parse(e.recordedAt) - Date.parse(e.data['occurredAt'] as string) > DAY);
    expect(late.length).toBe(plan.lateEvents);
    expect(late.length).toBeLessThan(events.length * 0.01);
    const olderThanADay = events.filter((e) => now - Date.parse(e.data['occurredAt'] as string) > DAY);
    expect(olderThanADay.length).toBeGreaterThan(events.length / 2);
  });

  it('every seeded event passes decide, in store order, at its recording time: 回告 and 延期 included', async () => {
    const { store } = await first;
    const events = (await readAll(store)).filter((e) => e.streamId.startsWith('case-'));
    const { refusals, states } = replayThroughDomain(
      events.map((e) => e.data as unknown as CaseEvent),
      (_, i) => Date.parse((events[i] as RecordedEvent).recordedAt),
    );
    expect(refusals).toEqual([]);
    // Escalations are mostly answered (回告), in time more often than late, a few never; a few cases are
    // extended (延期), each before its deadline (none voided) and within the policy's limit.
    const answers = { onTime: 0, late: 0, unanswered: 0 };
    let extended = 0;
    for (const state of states.values()) {
      const ev = evaluate(state, now, DEFAULT_POLICY, calendar);
      if (ev === null) continue;
      for (const e of ev.escalations) {
        if (e.answeredOnTime === undefined) answers.unanswered++;
        else if (e.answeredOnTime) answers.onTime++;
        else answers.late++;
      }
      if (ev.extensions.length > 0) extended++;
      for (const x of ev.extensions) expect(x.voided ?? false).toBe(false);
      expect(ev.extendedDays).toBeLessThanOrEqual(DEFAULT_POLICY.maxExtensionDays[ev.kind]);
    }
    const escalations = answers.onTime + answers.late + answers.unanswered;
    expect(answers.onTime + answers.late).toBeGreaterThan(escalations / 2);
    expect(answers.onTime).toBeGreaterThan(answers.late);
    expect(answers.late).toBeGreaterThan(0);
    expect(answers.unanswered).toBeGreaterThan(0);
    expect(extended).toBeGreaterThanOrEqual(5);
    expect(extended).toBeLessThan(states.size / 50);
  });

  it('reaches back to the first of the previous month (环比 has a month to compare with), and at least 20 working days', () => {
    const days = demoBacklogWorkingDays(now, calendar);
    expect(days).toBeGreaterThan(DEMO_BACKLOG_WORKING_DAYS);
    const cases = new LiveGenerator({ seed: 2025, calendar, zone }).backlogCases(now, days, 5);
    const accepted = cases.map((c) => (c.events[0] as CaseEvent).occurredAt.slice(0, 10)).sort();
    expect(accepted[0]).toBe('2025-08-01'); // a Friday, the first working day of August
    expect(accepted.at(-1)).toBe('2025-09-24');
    // A calendar of few working days (a long holiday): the minimum applies.
    const holiday = { dayOf: (t: number) => calendar.dayOf(t), isWorkday: () => false };
    expect(demoBacklogWorkingDays(now, holiday)).toBe(DEMO_BACKLOG_WORKING_DAYS);
    // Complaints cover twice the cases' 20 days, and at least the cases' window.
    expect(complaintBacklogDays(DEMO_BACKLOG_WORKING_DAYS)).toBe(40);
    expect(complaintBacklogDays(45)).toBe(45);
    expect(complaintBacklogDays(3)).toBe(6);
  });

  it('gives a board of timing alerts with late-record a small minority', async () => {
    const { store } = await first;
    const counts = await alertsByRule(store);
    expect(counts['deadline-warning'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(counts['overdue'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(counts['late-record'] ?? 0).toBeLessThan(0.1 * total(counts));
    expect(counts['pause-warning'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(counts['escalation-unanswered'] ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('the same backlog recorded all at once "now" (the HTTP back-fill) is dominated by late-record: the contrast the seeding removes', async () => {
    const { plan } = await first;
    // The store keeps its own clock (always `now`), not the one appendBacklog pins: every event is recorded at `now`.
    const store = new MemoryEventStore({ clock: () => now });
    await appendBacklog(store, settableClock(), plan);
    const counts = await alertsByRule(store);
    expect(counts['late-record'] ?? 0).toBeGreaterThan(0.5 * total(counts));
  });

  it('is deterministic from the seed', async () => {
    const again = await seeded(2025);
    const { plan } = await first;
    expect(JSON.stringify(again.plan)).toBe(JSON.stringify(plan));
    const other = await seeded(7);
    expect(JSON.stringify(other.plan.appends.slice(0, 50))).not.toBe(JSON.stringify(plan.appends.slice(0, 50)));
  });

  it('re-seeding the same plan writes nothing (idempotent on eventId), and the clock is released even when the store fails', async () => {
    const { plan, store } = await first;
    const head = await store.headPosition();
    await appendBacklog(store, settableClock(), plan);
    expect(await store.headPosition()).toBe(head);

    const clock = settableClock(() => 123);
    const failing = { append: () => Promise.reject(new Error('store down')) } as unknown as EventStore;
    await expect(appendBacklog(failing, clock, plan)).rejects.toThrow('store down');
    expect(clock.now()).toBe(123);
  });

  it('records complaints beside the cases: every complaint event passes decideComplaint in store order, and the board holds complaint cards at now', async () => {
    const { plan, store } = await first;
    const events = (await readAll(store)).filter((e) => e.streamId.startsWith('complaint-'));
    expect(plan.complaints).toBeGreaterThan(20);
    expect(new Set(events.map((e) => e.streamId)).size).toBe(plan.complaints);
    const { states, refusals } = replayComplaints(
      events.map((e) => e.data as unknown as ComplaintEvent),
      (_, i) => Date.parse((events[i] as RecordedEvent).recordedAt),
    );
    expect(refusals).toEqual([]);
    const inForce: Record<string, number> = {};
    for (const s of states.values()) {
      const tl = complaintTimelineOf(s, now, DEFAULT_POLICY, calendar);
      if (tl !== null) for (const c of complaintAlertsAt(tl, s, now)) inForce[c.rule] = (inForce[c.rule] ?? 0) + 1;
    }
    expect(inForce['complaint-answer-warning'] ?? 0).toBeGreaterThanOrEqual(1);
    expect(inForce['complaint-overdue'] ?? 0).toBeGreaterThanOrEqual(1);
    // 好差评 too: ratings and follow-ups of 差评 are in the backlog.
    const types = new Set((await readAll(store)).map((e) => e.type));
    expect(types.has('CaseRated') && types.has('RatingFollowedUp')).toBe(true);
  });

  it('the live feed carries on the open complaints of the backlog (their planned events when due, stamped now); all pass decideComplaint', async () => {
    const { generator, store } = await seeded(11);
    const seededEvents = (await readAll(store)).filter((e) => e.streamId.startsWith('complaint-'));
    const stream: { event: ComplaintEvent; at: number }[] = seededEvents.map((e) => ({
      event: e.data as unknown as ComplaintEvent,
      at: Date.parse(e.recordedAt),
    }));
    expect(generator.openComplaintCount()).toBeGreaterThan(5);
    // Five days of the feed, every 10 minutes (the cases' steps are left out: they do not touch complaints).
    let t = now;
    while (t < now + 5 * DAY) {
      t += 10 * 60_000;
      for (const event of generator.complaintsDue(t)) stream.push({ event, at: t });
    }
    const live = stream.slice(seededEvents.length);
    const backlogIds = new Set(seededEvents.map((e) => e.data['complaintId']));
    expect(live.filter((s) => backlogIds.has(s.event.complaintId)).length).toBeGreaterThan(5);
    for (const s of live) expect(s.event.occurredAt).toBe(formatInstant(s.at, zone));
    const { refusals } = replayComplaints(
      stream.map((s) => s.event),
      (_, i) => (stream[i] as { at: number }).at,
    );
    expect(refusals).toEqual([]);
  });

  it('the live feed carries on from the recorded backlog: an hour of it after the seed passes decide', async () => {
    const { generator, store } = await seeded(11);
    const seededEvents = (await readAll(store)).filter((e) => e.streamId.startsWith('case-'));
    const stream: { event: CaseEvent; at: number }[] = seededEvents.map((e) => ({
      event: e.data as unknown as CaseEvent,
      at: Date.parse(e.recordedAt),
    }));
    let t = now;
    let live = 0;
    while (t < now + 3_600_000) {
      t += generator.nextDelayMs();
      for (const event of generator.step(t)) {
        stream.push({ event, at: t });
        live++;
      }
    }
    const backlogCases = new Set(seededEvents.map((e) => e.data['caseId']));
    const liveOnBacklog = stream.slice(seededEvents.length).filter((s) => backlogCases.has(s.event.caseId));
    expect(live).toBeGreaterThan(1000);
    expect(liveOnBacklog.length).toBeGreaterThan(50); // the feed completes, pauses and escalates backlog cases
    const { refusals } = replayThroughDomain(
      stream.map((s) => s.event),
      (_, i) => (stream[i] as { at: number }).at,
    );
    expect(refusals).toEqual([]);
  });
});
