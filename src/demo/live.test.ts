import { describe, expect, it } from 'vitest';
import { decodeCaseEvent, type CaseEvent } from '../domain/events.js';
import { defaultCalendar } from '../domain/index.js';
import { LiveGenerator } from './live.js';
import type { ComplaintEvent } from '../domain/complaints/index.js';
import { replayComplaints, replayThroughDomain } from './replay.js';

const zone = 'Asia/Shanghai';
const calendar = defaultCalendar(zone);
const start = Date.parse('2025-09-24T10:30:00+08:00'); // a Wednesday morning

/** Runs the feed's generator on a virtual clock: the backlog, then `minutes` of live events, each stamped with its post time. */
function runFeed(seed: number, minutes: number, speed = 1) {
  const gen = new LiveGenerator({ seed, calendar, zone, speed });
  const posted: { event: CaseEvent; now: number }[] = [];
  for (const c of gen.backlog(start, 10)) for (const event of c.events) posted.push({ event, now: start });
  const backlog = posted.length;
  let now = start;
  while (now < start + minutes * 60_000) {
    now += gen.nextDelayMs();
    for (const event of gen.step(now)) posted.push({ event, now });
  }
  return { gen, posted, backlog };
}

describe('the demo feed generator', () => {
  const { posted, backlog, gen } = runFeed(2025, 60);
  const live = posted.slice(backlog);

  it('an hour of the feed (after a 10-day backlog) is accepted by decide, event by event', () => {
    // The backlog is posted in occurrence order, as feed.ts does.
    const ordered = [...posted.slice(0, backlog)]
      .sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt))
      .concat(live);
    const { refusals } = replayThroughDomain(
      ordered.map((p) => p.event),
      (_, i) => (ordered[i] as { now: number }).now,
    );
    expect(refusals).toEqual([]);
    expect(backlog).toBeGreaterThan(1000);
  });

  it('emits a few events a minute per center at speed 1, of every kind', () => {
    // 8 centers × 3/min × 60 min ≈ 1440, plus instant completions.
    expect(live.length).toBeGreaterThan(1100);
    expect(live.length).toBeLessThan(2200);
    const types = new Set(live.map((p) => p.event.type));
    // 好差评 of cases completed live (follow-ups of 差评 come hours later, so an hour may hold none).
    expect([...types].filter((t) => t !== 'RatingFollowedUp').sort()).toEqual([
      'CaseAccepted',
      'CaseCompleted',
      'CaseEscalated',
      'CaseEscalationAnswered',
      'CaseExtended',
      'CasePaused',
      'CaseRated',
      'CaseResumed',
    ]);
    expect(gen.openCount()).toBeGreaterThan(0);
  });

  it('stamps live events with the time they are posted, except 补录 acceptances back-dated more than 24 h', () => {
    const backdated = live.filter((p) => Date.parse(p.event.occurredAt) < p.now);
    expect(backdated.length).toBeGreaterThan(0);
    for (const p of backdated) {
      expect(p.event.type).toBe('CaseAccepted');
      expect(p.now - Date.parse(p.event.occurredAt)).toBeGreaterThan(24 * 3_600_000);
    }
  });

  it('every event decodes, event ids and new case ids are unique', () => {
    expect(posted.map((p) => decodeCaseEvent(JSON.parse(JSON.stringify(p.event)))).filter((r) => !r.ok)).toEqual([]);
    expect(new Set(posted.map((p) => p.event.eventId)).size).toBe(posted.length);
    const accepted = posted.filter((p) => p.event.type === 'CaseAccepted').map((p) => p.event.caseId);
    expect(new Set(accepted).size).toBe(accepted.length);
  });

  it('the backlog stays in the past and covers about ten working days', () => {
    const times = posted.slice(0, backlog).map((p) => Date.parse(p.event.occurredAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(start);
    const firstDay = calendar.dayOf(Math.min(...times));
    expect(calendar.countWorkdays(firstDay, calendar.dayOf(start))).toBe(9);
  });

  it('is deterministic from the seed, and 10× speed gives ~10× the events', () => {
    const again = runFeed(2025, 10);
    const once = runFeed(2025, 10);
    expect(JSON.stringify(again.posted)).toBe(JSON.stringify(once.posted));
    expect(JSON.stringify(runFeed(7, 10).posted)).not.toBe(JSON.stringify(once.posted));
    const fast = runFeed(2025, 10, 10);
    const ratio = (fast.posted.length - fast.backlog) / (once.posted.length - once.backlog);
    expect(ratio).toBeGreaterThan(7);
    expect(ratio).toBeLessThan(13);
  });

  it('at 10× speed for an hour (the soak test) every event is still accepted', () => {
    const soak = runFeed(99, 60, 10);
    const ordered = [...soak.posted.slice(0, soak.backlog)]
      .sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt))
      .concat(soak.posted.slice(soak.backlog));
    const { refusals } = replayThroughDomain(
      ordered.map((p) => p.event),
      (_, i) => (ordered[i] as { now: number }).now,
    );
    expect(refusals).toEqual([]);
  });

  it('cases accepted live draw a complaint now and then (a few per thousand), sent event by event when due and accepted by decideComplaint', () => {
    const gen = new LiveGenerator({ seed: 31, calendar, zone });
    const accepted = new Set<string>();
    const complaints: { event: ComplaintEvent; now: number }[] = [];
    let now = start;
    // Three working days of the feed's steps.
    while (now < start + 3 * 24 * 3_600_000) {
      now += gen.nextDelayMs();
      for (const e of gen.complaintsDue(now)) complaints.push({ event: e, now });
      for (const e of gen.step(now)) if (e.type === 'CaseAccepted') accepted.add(e.caseId);
    }
    const received = complaints.filter((c) => c.event.type === 'ComplaintReceived');
    expect(received.length / accepted.size).toBeGreaterThan(0.002);
    expect(received.length / accepted.size).toBeLessThan(0.012);
    for (const c of received) {
      const caseId = (c.event as Extract<ComplaintEvent, { type: 'ComplaintReceived' }>).caseId;
      expect(caseId !== undefined && accepted.has(caseId)).toBe(true);
    }
    expect(complaints.some((c) => c.event.type === 'ComplaintAccepted' || c.event.type === 'ComplaintRejected')).toBe(
      true,
    );
    const { refusals } = replayComplaints(
      complaints.map((c) => c.event),
      (_, i) => (complaints[i] as { now: number }).now,
    );
    expect(refusals).toEqual([]);
  });
});
