import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../domain/calendar/index.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { acceptedC, answeredC, assignedC, closedC, received, rejectedC } from '../../domain/complaints/testing.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';
import { formatInstant, MS_PER_DAY, MS_PER_HOUR, parseDate, parseInstant } from '../../domain/time.js';
import { ComplaintProjection, type StoredComplaintEvent } from './complaintProjection.js';

const cal = defaultCalendar();
const timing = { calendar: () => cal, policyFor: () => DEFAULT_POLICY };
const ZONE = 'Asia/Shanghai';

function stored(events: readonly ComplaintEvent[], first = 1n): StoredComplaintEvent[] {
  return events.map((e, i) => ({ streamId: `complaint-${e.complaintId}`, position: first + BigInt(i), data: e }));
}
function fold(events: readonly StoredComplaintEvent[]): ComplaintProjection {
  const p = new ComplaintProjection(timing);
  for (const e of events) p.apply(e);
  return p;
}
const snapshotOf = (p: ComplaintProjection) => [...p.all()].sort((a, b) => a.complaintId.localeCompare(b.complaintId));

/** A few complaints' histories, interleaved in a commit order by instant. */
const historiesArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 60 }),
      decideH: fc.integer({ min: 1, max: 24 * 8 }),
      reject: fc.boolean(),
      answerH: fc.option(fc.integer({ min: 1, max: 24 * 30 }), { nil: undefined }),
      close: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((gs) => {
    const all: { at: number; e: ComplaintEvent }[] = [];
    const base = parseInstant('2025-09-01T09:00:00+08:00');
    gs.forEach((g, i) => {
      const id = `q${i}`;
      const r = base + g.day * MS_PER_DAY;
      const show = (t: number) => formatInstant(t, ZONE);
      all.push({ at: r, e: received(show(r), { departmentId: `d${i % 3}` }, id) });
      const d = r + g.decideH * MS_PER_HOUR;
      all.push({ at: d, e: g.reject ? rejectedC(show(d), id) : acceptedC(show(d), id) });
      let last = d;
      if (!g.reject && g.answerH !== undefined) {
        last = d + g.answerH * MS_PER_HOUR;
        all.push({ at: last, e: answeredC(show(last), i % 2 === 0 ? 'substantiated' : 'partly', id) });
      }
      if (g.close && (g.reject || g.answerH !== undefined))
        all.push({ at: last + MS_PER_HOUR, e: closedC(show(last + MS_PER_HOUR), 'satisfied', id) });
    });
    return all.sort((a, b) => a.at - b.at).map((x) => x.e);
  });

describe('complaint read model', () => {
  it('incremental == rebuild; replaying twice, or resuming with an overlap after a restart, changes nothing', () => {
    fc.assert(
      fc.property(historiesArb, fc.nat(), fc.nat(), (events, a, b) => {
        const log = stored(events);
        const rebuilt = fold(log);
        const k = a % (log.length + 1);
        const j = b % (k + 1);
        // The first process folds up to k; the next resumes from an earlier position j (the overlap is replayed).
        const first = fold(log.slice(0, k));
        const resumed = new ComplaintProjection(timing);
        for (const e of log.slice(0, k)) resumed.apply(e);
        for (const e of log.slice(j)) resumed.apply(e);
        expect(snapshotOf(resumed)).toEqual(snapshotOf(rebuilt));
        expect(first.position <= rebuilt.position).toBe(true);
        const twice = fold([...log, ...log]);
        expect(snapshotOf(twice)).toEqual(snapshotOf(rebuilt));
        expect(twice.position).toBe(rebuilt.position);
      }),
    );
  });

  it('skips other streams and counts undecodable complaint events without stopping', () => {
    const p = new ComplaintProjection(timing);
    expect(p.apply({ streamId: 'case-x', position: 1n, data: {} })).toBe(false);
    expect(p.apply({ streamId: 'complaint-q1', position: 2n, data: { type: 'Nope' } })).toBe(false);
    expect(
      p.apply({ streamId: 'complaint-q2', position: 3n, data: received('2025-09-01T09:00:00+08:00', {}, 'q1') }),
    ).toBe(false);
    expect(p.apply({ streamId: 'complaint-q1', position: 4n, data: received('2025-09-01T09:00:00+08:00') })).toBe(true);
    expect(p.skippedEvents).toBe(2);
    expect(p.size).toBe(1);
  });

  it('explains one complaint in numbers; its alert appears at the exact instant with no new event', () => {
    const p = fold(stored([received('2025-11-03T09:00:00+08:00'), acceptedC('2025-11-03T10:00:00+08:00')]));
    const justBefore = p.view('q1', parseInstant('2025-11-18T23:59:59.999+08:00'));
    expect(justBefore?.alerts).toEqual([]);
    expect(justBefore?.timeline.answer?.remainingDays).toBe(4);
    const warn = p.view('q1', parseInstant('2025-11-19T00:00:00+08:00'));
    expect(warn?.alerts.map((c) => c.rule)).toEqual(['complaint-answer-warning']);
    const red = p.view('q1', parseInstant('2025-11-25T00:00:00+08:00'));
    expect(red?.alerts.map((c) => c.rule)).toEqual(['complaint-overdue']);
    expect(red?.timeline.answer?.byDay).toBe(parseDate('2025-11-24'));
    expect(red?.status).toBe('accepted');
    expect(p.view('nope', 0)).toBeUndefined();
  });

  it('lists by center, department and status, paged in id order', () => {
    const events = [
      received('2025-11-03T09:00:00+08:00', { centerId: 'c1', departmentId: 'd1' }, 'a'),
      received('2025-11-03T09:00:00+08:00', { centerId: 'c1', departmentId: 'd2' }, 'b'),
      received('2025-11-03T09:00:00+08:00', { centerId: 'c2' }, 'c'),
      acceptedC('2025-11-03T10:00:00+08:00', 'b'),
      assignedC('2025-11-03T11:00:00+08:00', 'd1', 'b'),
    ];
    const p = fold(stored(events));
    expect(p.list({ centerId: 'c1' }, 10).complaints.map((s) => s.complaintId)).toEqual(['a', 'b']);
    expect(p.list({ departmentId: 'd1' }, 10).complaints.map((s) => s.complaintId)).toEqual(['a', 'b']);
    expect(p.list({ status: 'accepted' }, 10).complaints.map((s) => s.complaintId)).toEqual(['b']);
    const first = p.list({}, 2);
    expect([first.total, first.next, first.complaints.length]).toEqual([3, 'b', 2]);
    expect(p.list({}, 2, first.next).complaints.map((s) => s.complaintId)).toEqual(['c']);
    expect(() => p.list({}, 0)).toThrow(/limit/);
  });
});
// The complaint figures are tested in complaintStats.test.ts.
