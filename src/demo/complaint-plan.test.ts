import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../domain/calendar/index.js';
import {
  COMPLAINT_CHANNELS,
  complaintTimelineOf,
  decodeComplaintEvent,
  type ComplaintEvent,
  type ComplaintState,
} from '../domain/complaints/index.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { simulateComplaints, simulateCasesAndComplaints } from './complaint-history.js';
import { COMPLAINTS_PER_CASE } from './complaint-plan.js';
import { plannedCaseCount, simulateHistory } from './history.js';
import { inRecordOrder } from './record-order.js';
import { replayComplaints } from './replay.js';

const zone = 'Asia/Shanghai';
const calendar = defaultCalendar(zone);
const opts = { seed: 7, months: 3, centers: 3, casesPerMonth: 20_000, startMonth: '2025-06' } as const;
const complaints = [...simulateComplaints(opts)];
/** The history's horizon (its events are cut there): clocks not yet due then are left out of the shares. */
const END = Date.parse('2025-09-01T00:00:00+08:00');

/** Each complaint's events in order, replayed through decide at their recording instants. */
function replayAll() {
  const events: ComplaintEvent[] = [];
  const recordedAt: number[] = [];
  for (const c of complaints)
    c.events.forEach((e, i) => {
      events.push(e);
      recordedAt.push((c.at[i] as number) + (c.recordLagMs[i] as number));
    });
  return replayComplaints(events, (_, i) => recordedAt[i] as number);
}

const { states, refusals } = replayAll();
const timelines = [...states.values()].map((s) => ({ s, tl: complaintTimelineOf(s, END, DEFAULT_POLICY, calendar) }));
const share = (n: number) => n / states.size;

describe('demo complaints (效能投诉)', () => {
  it('come a few per thousand cases, every one valid under decideComplaint event by event (received, decided once, answered after acceptance, closed after an answer or rejection)', () => {
    const cases = plannedCaseCount(opts);
    expect(complaints.length / cases).toBeGreaterThan(COMPLAINTS_PER_CASE * 0.8);
    expect(complaints.length / cases).toBeLessThan(COMPLAINTS_PER_CASE * 1.2);
    expect(refusals).toEqual([]);
    for (const c of complaints) for (const e of c.events) expect(decodeComplaintEvent(e).ok).toBe(true);
    expect(new Set(complaints.map((c) => c.complaintId)).size).toBe(complaints.length);
    expect(new Set(complaints.flatMap((c) => c.events.map((e) => e.eventId))).size).toBe(
      complaints.reduce((n, c) => n + c.events.length, 0),
    );
  });

  it('are mostly accepted and answered in time, some answered late or decided late, some rejected, mostly closed with a satisfaction', () => {
    const rejected = timelines.filter(({ s }) => s.rejected !== undefined).length;
    expect(share(rejected)).toBeGreaterThan(0.08);
    expect(share(rejected)).toBeLessThan(0.18);
    const decidedLate = timelines.filter(({ tl }) => tl?.decide.onTime === false).length;
    expect(share(timelines.filter(({ tl }) => tl?.decide.onTime === null).length)).toBeLessThan(0.05);
    expect(share(decidedLate)).toBeGreaterThan(0.02);
    expect(share(decidedLate)).toBeLessThan(0.07);
    const accepted = timelines.filter(({ tl }) => tl?.answer !== undefined && tl.answer.onTime !== null);
    const answeredOnTime = accepted.filter(({ tl }) => tl?.answer?.onTime === true).length;
    expect(answeredOnTime / accepted.length).toBeGreaterThan(0.78);
    expect(answeredOnTime / accepted.length).toBeLessThan(0.9);
    const rules = (rule: string) =>
      timelines.filter(({ tl }) => tl?.cards.some((c) => c.rule === rule && c.start <= END)).length;
    expect(rules('complaint-undecided')).toBe(decidedLate);
    expect(rules('complaint-answer-warning') / accepted.length).toBeGreaterThan(0.15);
    expect(rules('complaint-overdue') / accepted.length).toBeGreaterThan(0.08);
    // Of the complaints of the first month (later ones may still be open at the horizon).
    const early = [...states.values()].filter((s) => (s.received?.at ?? END) < END - 60 * 86_400_000);
    const closed = early.filter((s) => s.closed !== undefined);
    expect(early.length).toBeGreaterThan(100);
    expect(closed.length / early.length).toBeGreaterThan(0.85);
    const rated = closed.filter((s) => s.closed?.satisfaction !== undefined);
    expect(rated.length / closed.length).toBeGreaterThan(0.75);
    const satisfied = rated.filter((s) => s.closed?.satisfaction !== 'unsatisfied').length;
    expect(satisfied / rated.length).toBeGreaterThan(0.85);
    expect(rated.some((s) => s.closed?.satisfaction === 'unsatisfied')).toBe(true);
  });

  it('come by every channel, about the centers simulated, some naming a case of the history and its department', () => {
    const received = [...states.values()].map((s) => s.received as NonNullable<ComplaintState['received']>);
    expect(new Set(received.map((r) => r.channel))).toEqual(new Set(COMPLAINT_CHANNELS));
    expect(new Set(received.map((r) => r.centerId)).size).toBe(3);
    const aboutACase = received.filter((r) => r.caseId !== undefined);
    expect(aboutACase.length / received.length).toBeGreaterThan(0.3);
    expect(aboutACase.length / received.length).toBeLessThan(0.6);
    expect([...states.values()].some((s) => s.departmentId === undefined)).toBe(false);
  });

  it("a complaint about a case names one of the history's cases, received after its acceptance, about its department", () => {
    const small = { seed: 3, months: 1, centers: 2, casesPerMonth: 4000, startMonth: '2025-09' } as const;
    const accepted = new Map<string, { at: number; departmentId: string }>();
    for (const c of simulateHistory(small)) {
      const first = c.events[0];
      if (first?.type === 'CaseAccepted')
        accepted.set(c.caseId, { at: c.at[0] as number, departmentId: first.departmentId });
    }
    const named = [...simulateComplaints(small)].filter((c) => c.events[0]?.type === 'ComplaintReceived');
    let checked = 0;
    for (const c of named) {
      const r = c.events[0] as Extract<ComplaintEvent, { type: 'ComplaintReceived' }>;
      if (r.caseId === undefined) continue;
      const theCase = accepted.get(r.caseId);
      expect(theCase, r.caseId).toBeDefined();
      expect(c.at[0]).toBeGreaterThan(theCase?.at ?? Infinity);
      expect(r.departmentId).toBe(theCase?.departmentId);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('is deterministic from the seed, a different seed gives other complaints, and adding a month keeps the earlier ones', () => {
    expect(JSON.stringify([...simulateComplaints(opts)])).toBe(JSON.stringify(complaints));
    const other = [...simulateComplaints({ ...opts, seed: 8 })];
    expect(JSON.stringify(other.slice(0, 5))).not.toBe(JSON.stringify(complaints.slice(0, 5)));
    const twoMonths = [...simulateComplaints({ ...opts, months: 2 })];
    const longer = [...simulateComplaints({ ...opts, months: 4 })];
    // The shorter history cuts its complaints at its end; their receipts (and ids) are the same.
    expect(longer.slice(0, twoMonths.length).map((c) => c.events[0])).toEqual(twoMonths.map((c) => c.events[0]));
  });

  it('are recorded beside the cases in recording order: each stream in revision order, recordedAt never decreasing', () => {
    const small = { seed: 5, months: 1, centers: 2, casesPerMonth: 6000, startMonth: '2025-05' } as const;
    const appends = [...inRecordOrder(simulateCasesAndComplaints(small))];
    const next = new Map<string, number>();
    let last = -Infinity;
    let complaintEvents = 0;
    for (const a of appends) {
      expect(a.firstRevision).toBe(next.get(a.streamId) ?? 0);
      next.set(a.streamId, a.firstRevision + a.events.length);
      expect(a.recordedAt).toBeGreaterThanOrEqual(last);
      last = a.recordedAt;
      if (a.streamId.startsWith('complaint-')) complaintEvents += a.events.length;
    }
    const planned = [...simulateComplaints(small)].reduce((n, c) => n + c.events.length, 0);
    expect(complaintEvents).toBe(planned);
    expect(planned).toBeGreaterThan(50);
  });
});
