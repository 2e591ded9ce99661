import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../domain/calendar/index.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { evolveComplaint, initialComplaintState } from '../../domain/complaints/evolve.js';
import { complaintTimelineOf } from '../../domain/complaints/timeline.js';
import { acceptedC, answeredC, assignedC, closedC, received, rejectedC } from '../../domain/complaints/testing.js';
import { COMPLAINT_CARD_RULES, COMPLAINT_RULE_COLOR } from '../../domain/complaints/lists.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';
import { formatInstant, MS_PER_DAY, MS_PER_HOUR, parseDate, parseInstant } from '../../domain/time.js';
import { computeStats } from '../stats.js';
import { DEFAULT_VERSIONS } from '../testSupport.js';
import { ComplaintProjection, type StoredComplaintEvent } from './complaintProjection.js';
import { complaintFigures, NO_DEPARTMENT, type ComplaintFigures } from './complaintStats.js';
import { haikou } from './haikouFixture.js';

const cal = defaultCalendar();
const timing = { calendar: () => cal, policyFor: () => DEFAULT_POLICY };
const ZONE = 'Asia/Shanghai';
const show = (t: number) => formatInstant(t, ZONE);
const ASOF = parseInstant('2026-06-01T00:00:00+08:00');
const ASOF2 = parseInstant('2026-12-02T00:00:00+08:00');

function stored(events: readonly ComplaintEvent[], first = 1n): StoredComplaintEvent[] {
  return events.map((e, i) => ({ streamId: `complaint-${e.complaintId}`, position: first + BigInt(i), data: e }));
}
function fold(events: readonly StoredComplaintEvent[]): ComplaintProjection {
  const p = new ComplaintProjection(timing);
  for (const e of events) p.apply(e);
  return p;
}
const period = (p: ComplaintProjection, from: string, to: string) => ({
  from: parseDate(from),
  to: parseDate(to),
  dayOf: (at: number) => cal.dayOf(at),
  timelineOf: (s: Parameters<ComplaintProjection['timelineOf']>[0]) => p.timelineOf(s, ASOF),
  asOf: ASOF,
});
const stats = (p: ComplaintProjection | undefined, q: Record<string, string>) =>
  computeStats([], { from: '2025-09-01', to: '2025-11-01', ...q }, ZONE, ASOF, DEFAULT_VERSIONS, p);

/** Complaints in two centers and three departments (some with none), some reassigned, decided, answered, closed. */
const historiesArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 75 }),
      center: fc.constantFrom('c1', 'c2'),
      department: fc.constantFrom('d1', 'd2', undefined),
      decideH: fc.integer({ min: 1, max: 24 * 8 }),
      reject: fc.boolean(),
      reassign: fc.option(fc.constantFrom('d1', 'd3'), { nil: undefined }),
      // Reassigned after the answer: the department in charge changes, not who answered.
      reassignAfter: fc.option(fc.constantFrom('d2', 'd3'), { nil: undefined }),
      answerH: fc.option(fc.integer({ min: 1, max: 24 * 30 }), { nil: undefined }),
      finding: fc.constantFrom('substantiated', 'partly', 'unsubstantiated'),
      close: fc.option(fc.constantFrom('satisfied', 'basically', 'unsatisfied', undefined), { nil: null }),
    }),
    { minLength: 0, maxLength: 14 },
  )
  .map((gs) => {
    const all: { at: number; e: ComplaintEvent }[] = [];
    const base = parseInstant('2025-08-20T09:00:00+08:00');
    gs.forEach((g, i) => {
      const id = `q${i}`;
      const r = base + g.day * MS_PER_DAY;
      const where = { centerId: g.center, ...(g.department === undefined ? {} : { departmentId: g.department }) };
      all.push({ at: r, e: received(show(r), where, id) });
      const d = r + g.decideH * MS_PER_HOUR;
      all.push({ at: d, e: g.reject ? rejectedC(show(d), id) : acceptedC(show(d), id) });
      let last = d;
      if (!g.reject && g.reassign !== undefined) {
        last = d + MS_PER_HOUR;
        all.push({ at: last, e: assignedC(show(last), g.reassign, id) });
      }
      if (!g.reject && g.answerH !== undefined) {
        last = d + g.answerH * MS_PER_HOUR;
        all.push({ at: last, e: answeredC(show(last), g.finding, id) });
        if (g.reassignAfter !== undefined) {
          last += 30 * 60_000;
          all.push({ at: last, e: assignedC(show(last), g.reassignAfter, id) });
        }
      }
      if (g.close !== null && (g.reject || g.answerH !== undefined))
        all.push({ at: last + MS_PER_HOUR, e: closedC(show(last + MS_PER_HOUR), g.close, id) });
    });
    return all.sort((a, b) => a.at - b.at).map((x) => x.e);
  });

/**
 * The figures counted straight from the event list, complaint by complaint
 * (the answer due instant from the domain's clock of the whole history).
 */
function recount(events: readonly ComplaintEvent[], fromDay: string, toDay: string): ComplaintFigures {
  const from = cal.startOfDay(parseDate(fromDay));
  const to = cal.startOfDay(parseDate(toDay));
  const inP = (e: ComplaintEvent) => parseInstant(e.occurredAt) >= from && parseInstant(e.occurredAt) < to;
  const byId = new Map<string, ComplaintEvent[]>();
  for (const e of events) byId.set(e.complaintId, [...(byId.get(e.complaintId) ?? []), e]);
  const n = { received: 0, accepted: 0, rejected: 0, answered: 0, due: 0, onTime: 0, closed: 0, closedOfAccepted: 0 };
  let withSat = 0;
  let sat = 0;
  const cardCounts: Record<string, number> = {};
  const subst: Record<string, { substantiated: number; partly: number }> = {};
  for (const [id, list] of byId) {
    const state = list.reduce((st, e) => evolveComplaint(st, e), initialComplaintState(id));
    // 办结 of closedRate: accepted in the period and closed before its end (a cohort, as cases' completionRate).
    const acceptedInP = list.some((e) => e.type === 'ComplaintAccepted' && inP(e));
    const closedBy = list.some((e) => e.type === 'ComplaintClosed' && parseInstant(e.occurredAt) < to);
    if (acceptedInP && closedBy) n.closedOfAccepted++;
    // Cards issued in the period: started in it, by ASOF.
    for (const c of complaintTimelineOf(state, ASOF, DEFAULT_POLICY, cal)!.cards)
      if (c.start >= from && c.start < to && c.start <= ASOF) cardCounts[c.rule] = (cardCounts[c.rule] ?? 0) + 1;
    // An answer due in the period: its due instant (the end of the last day) in (from, to] and passed by ASOF.
    const due = complaintTimelineOf(state, ASOF, DEFAULT_POLICY, cal)!.answer?.dueAt;
    if (due !== undefined && due > from && due <= to && due <= ASOF) {
      n.due++;
      if (state.answered !== undefined && state.answered.at < due) n.onTime++;
    }
    // Whose finding: the department in charge when the answer came.
    let inCharge: string = NO_DEPARTMENT;
    let dept: string = NO_DEPARTMENT;
    for (const e of list) {
      if ((e.type === 'ComplaintReceived' || e.type === 'ComplaintAssigned') && e.departmentId !== undefined)
        inCharge = e.departmentId;
      if (e.type === 'ComplaintAnswered') dept = inCharge;
    }
    for (const e of list.filter(inP)) {
      if (e.type === 'ComplaintReceived') n.received++;
      if (e.type === 'ComplaintAccepted') n.accepted++;
      if (e.type === 'ComplaintRejected') n.rejected++;
      if (e.type === 'ComplaintAnswered') {
        n.answered++;
        if (e.finding !== 'unsubstantiated') {
          const row = (subst[dept] ??= { substantiated: 0, partly: 0 });
          row[e.finding]++;
        }
      }
      if (e.type === 'ComplaintClosed') {
        n.closed++;
        if (e.satisfaction !== undefined) {
          withSat++;
          if (e.satisfaction !== 'unsatisfied') sat++;
        }
      }
    }
  }
  const r = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
  return {
    received: n.received,
    accepted: n.accepted,
    rejected: n.rejected,
    answered: n.answered,
    closed: n.closed,
    closedOfAccepted: n.closedOfAccepted,
    closedRate: r(n.closedOfAccepted, n.accepted),
    answersDue: n.due,
    answeredOnTime: n.onTime,
    answeredOnTimeRate: r(n.onTime, n.due),
    substantiated: Object.fromEntries(
      Object.keys(subst)
        .sort()
        .map((k) => [k, subst[k]!]),
    ),
    withSatisfaction: withSat,
    satisfied: sat,
    satisfactionRate: r(sat, withSat),
    cards: COMPLAINT_CARD_RULES.filter((rule) => (cardCounts[rule] ?? 0) > 0).map((rule) => ({
      rule,
      color: COMPLAINT_RULE_COLOR[rule],
      count: cardCounts[rule]!,
    })),
    cardsTotal: Object.values(cardCounts).reduce((a, b) => a + b, 0),
  };
}

const COUNTS = ['received', 'accepted', 'rejected', 'answered', 'closed', 'closedOfAccepted'] as const;
const COUNTS2 = ['answersDue', 'answeredOnTime', 'withSatisfaction', 'satisfied'] as const;

describe('complaint figures (SPEC §8)', () => {
  it('the figures of a fold fed in pieces (a restart resuming with an overlap) equal a recount of the whole history', () => {
    fc.assert(
      fc.property(historiesArb, fc.nat(), fc.nat(), (events, a, b) => {
        const log = stored(events);
        const k = a % (log.length + 1);
        const j = b % (k + 1);
        const resumed = new ComplaintProjection(timing);
        for (const e of log.slice(0, k)) resumed.apply(e);
        for (const e of log.slice(j)) resumed.apply(e);
        for (const [from, to] of [
          ['2025-09-01', '2025-10-01'],
          ['2025-10-01', '2025-11-01'],
          ['2025-08-01', '2026-01-01'],
        ] as const) {
          expect(complaintFigures(resumed.all(), period(resumed, from, to))).toEqual(recount(events, from, to));
        }
      }),
    );
  });

  it('/stats: groups by center and by department add up to the total; a filter equals its group', () => {
    fc.assert(
      fc.property(historiesArb, (events) => {
        const p = fold(stored(events));
        for (const by of ['center', 'department'] as const) {
          const r = stats(p, { groupBy: by });
          const groups = r.groups ?? [];
          for (const f of [...COUNTS, ...COUNTS2]) {
            expect(
              groups.reduce((sum, g) => sum + (g.complaints?.[f] ?? 0), 0),
              `${by} ${f}`,
            ).toBe(r.complaints[f]);
          }
          for (const g of groups) {
            const filtered = stats(p, by === 'center' ? { centerId: g.key } : { departmentId: g.key });
            // The department filter takes ids; complaints with no department are only reachable as a group.
            if (g.key !== NO_DEPARTMENT) expect(filtered.complaints).toEqual(g.complaints);
          }
        }
        // Complaints have no matter or category: those groupings give their groups no complaint figures.
        for (const by of ['matter', 'category'] as const) {
          const r = stats(p, { groupBy: by });
          expect((r.groups ?? []).every((g) => g.complaints === undefined)).toBe(true);
          expect(r.complaints).toEqual(stats(p, {}).complaints);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the Haikou check through /stats: 2,344 accepted and 2,333 closed give closedRate 0.9953', () => {
    const p = fold(stored(haikou()));
    const r = computeStats([], { from: '2025-01-01', to: '2026-01-01' }, ZONE, ASOF, DEFAULT_VERSIONS, p);
    expect([r.complaints.received, r.complaints.accepted, r.complaints.closed]).toEqual([2344, 2344, 2333]);
    expect(r.complaints.closedRate).toBe(0.9953);
    // The 11 never answered fell due unanswered: misses, so 2,333 / 2,344 on time.
    expect([r.complaints.answersDue, r.complaints.answeredOnTime]).toEqual([2344, 2333]);
    expect(r.complaints.answeredOnTimeRate).toBe(0.9953);
    expect(r.complaints.satisfactionRate).toBe(0.8997); // 234 of the 2,333 (every tenth) unsatisfied: 2,099 / 2,333
  });

  it('closedRate stays in [0, 1]: a closure in the month of a complaint accepted the month before is not 办结 of the month', () => {
    const events = [
      received('2025-10-21T09:00:00+08:00', {}, 'ka'),
      acceptedC('2025-10-21T10:00:00+08:00', 'ka'),
      answeredC('2025-10-30T10:00:00+08:00', 'unsubstantiated', 'ka'),
      received('2025-11-03T09:00:00+08:00', {}, 'kb'),
      acceptedC('2025-11-03T10:00:00+08:00', 'kb'),
      answeredC('2025-11-05T10:00:00+08:00', 'unsubstantiated', 'kb'),
      closedC('2025-11-02T10:00:00+08:00', 'satisfied', 'ka'),
      closedC('2025-11-06T10:00:00+08:00', 'satisfied', 'kb'),
    ];
    events.sort((x, y) => parseInstant(x.occurredAt) - parseInstant(y.occurredAt));
    const p = fold(stored(events));
    const nov = complaintFigures(p.all(), period(p, '2025-11-01', '2025-12-01'));
    // Before: closedOfAccepted 2 (both closures) over accepted 1, closedRate 2 (the report printed 办结率200%).
    expect([nov.accepted, nov.closed, nov.closedOfAccepted, nov.closedRate]).toEqual([1, 2, 1, 1]);
    const oct = complaintFigures(p.all(), period(p, '2025-10-01', '2025-11-01'));
    expect([oct.accepted, oct.closed, oct.closedOfAccepted, oct.closedRate]).toEqual([1, 0, 0, 0]);
  });

  it('flow by each event’s local date; on-time answers by the due instant; findings by department', () => {
    const events = [
      received('2025-11-03T09:00:00+08:00', { departmentId: 'd1' }, 'a'),
      acceptedC('2025-11-03T10:00:00+08:00', 'a'),
      answeredC('2025-11-24T16:00:00+08:00', 'substantiated', 'a'), // day 15: on time
      received('2025-11-03T09:00:00+08:00', { departmentId: 'd2' }, 'b'),
      acceptedC('2025-11-03T10:00:00+08:00', 'b'),
      answeredC('2025-11-25T08:00:00+08:00', 'partly', 'b'), // day 16: late
      closedC('2025-11-26T09:00:00+08:00', 'basically', 'b'),
      received('2025-11-30T23:30:00+08:00', {}, 'c'),
      rejectedC('2025-12-01T09:00:00+08:00', 'c'),
      closedC('2025-12-01T10:00:00+08:00', undefined, 'c'),
      received('2025-12-01T08:00:00+08:00', {}, 'd'),
      acceptedC('2025-12-01T08:30:00+08:00', 'd'),
    ];
    events.sort((x, y) => parseInstant(x.occurredAt) - parseInstant(y.occurredAt));
    const p = fold(stored(events));
    const nov = complaintFigures(p.all(), period(p, '2025-11-01', '2025-12-01'));
    expect(nov).toEqual({
      received: 3,
      accepted: 2,
      rejected: 0,
      answered: 2,
      closed: 1,
      closedOfAccepted: 1,
      closedRate: 0.5,
      answersDue: 2,
      answeredOnTime: 1,
      answeredOnTimeRate: 0.5,
      substantiated: { d1: { substantiated: 1, partly: 0 }, d2: { substantiated: 0, partly: 1 } },
      withSatisfaction: 1,
      satisfied: 1,
      satisfactionRate: 1,
      // a and b: the answer warning at the start of counted day 12 (11-19); b's overdue at the end of day 15 (11-25 00:00).
      cards: [
        { rule: 'complaint-answer-warning', color: 'yellow', count: 2 },
        { rule: 'complaint-overdue', color: 'red', count: 1 },
      ],
      cardsTotal: 3,
    });
    const dec = complaintFigures(p.all(), period(p, '2025-12-01', '2026-01-01'));
    // c's closure follows its rejection: closed but never accepted, so d's acceptance is 0 % closed.
    expect([dec.received, dec.accepted, dec.rejected, dec.closed, dec.closedOfAccepted, dec.closedRate]).toEqual([
      1, 1, 1, 1, 0, 0,
    ]);
    expect(dec.satisfactionRate).toBeNull();
  });

  it('/stats without a complaint read model, or grouped with complaints only: zero figures, complaint-only groups', () => {
    const none = stats(undefined, {});
    expect([none.complaints.received, none.complaints.closedRate]).toEqual([0, null]);
    const p = fold(
      stored([
        received('2025-09-02T09:00:00+08:00', { centerId: 'c9' }, 'x'),
        acceptedC('2025-09-02T10:00:00+08:00', 'x'),
      ]),
    );
    const byCenter = stats(p, { groupBy: 'center' });
    expect(byCenter.groups?.map((g) => [g.key, g.cohort.accepted, g.complaints?.accepted])).toEqual([['c9', 0, 1]]);
    const byDept = stats(p, { groupBy: 'department' });
    expect(byDept.groups?.map((g) => g.key)).toEqual([NO_DEPARTMENT]);
  });

  it('answeredOnTimeRate counts the answers due in the period: a complaint left unanswered is a miss, not left out', () => {
    const events = [
      received('2026-11-02T09:00:00+08:00', { departmentId: 'd1' }, 'k7'),
      acceptedC('2026-11-03T09:00:00+08:00', 'k7'), // 15 counted days: due at the end of 11-24, never answered
      received('2026-11-02T09:00:00+08:00', { departmentId: 'd1' }, 'k15'),
      acceptedC('2026-11-03T09:00:00+08:00', 'k15'),
      answeredC('2026-11-10T09:00:00+08:00', 'unsubstantiated', 'k15'),
    ];
    const p = fold(stored(events));
    const at = (asOf: string) => ({ ...period(p, '2026-11-01', '2026-12-01'), asOf: parseInstant(asOf) });
    const nov = complaintFigures(p.all(), at('2026-12-01T00:00:00+08:00'));
    // Before: answeredOnTimeRate 1 (1 of the 1 answer given), while k7 sat on the board as complaint-overdue.
    expect([nov.answered, nov.answersDue, nov.answeredOnTime, nov.answeredOnTimeRate]).toEqual([1, 2, 1, 0.5]);
    // In the running month, an answer not yet due is not yet counted either way.
    const mid = complaintFigures(p.all(), at('2026-11-20T00:00:00+08:00'));
    expect([mid.answersDue, mid.answeredOnTimeRate]).toEqual([0, null]);
  });

  it('a department keeps the figures of the events it was in charge of: an assignment in December does not move October', () => {
    const events = [
      received('2026-10-09T09:00:00+08:00', { departmentId: 'd1' }, 'k6'),
      acceptedC('2026-10-09T10:00:00+08:00', 'k6'),
      answeredC('2026-10-20T10:00:00+08:00', 'substantiated', 'k6'),
      closedC('2026-10-22T10:00:00+08:00', 'satisfied', 'k6'),
      received('2026-10-12T09:00:00+08:00', {}, 'k9'),
      acceptedC('2026-10-12T10:00:00+08:00', 'k9'),
      assignedC('2026-10-13T10:00:00+08:00', 'd2', 'k9'), // accepted with no department, then d2's
      answeredC('2026-10-14T10:00:00+08:00', 'partly', 'k9'),
    ];
    const before = fold(stored(events));
    const later = fold(stored([...events, assignedC('2026-12-01T10:00:00+08:00', 'd2', 'k6')]));
    const oct = (p: ComplaintProjection, q: Record<string, string>) =>
      computeStats([], { from: '2026-10-01', to: '2026-11-01', ...q }, ZONE, ASOF2, DEFAULT_VERSIONS, p).complaints;
    for (const p of [before, later]) {
      // Before the fix, `later` moved k6's whole October to d2: d1 received 0, d2 received 1.
      expect(oct(p, { departmentId: 'd1' })).toMatchObject({ received: 1, accepted: 1, answered: 1, closed: 1 });
      expect(oct(p, { departmentId: 'd2' })).toMatchObject({ received: 0, accepted: 0, answered: 1, closed: 0 });
      const groups = computeStats(
        [],
        { from: '2026-10-01', to: '2026-11-01', groupBy: 'department' },
        ZONE,
        ASOF2,
        DEFAULT_VERSIONS,
        p,
      ).groups!;
      expect(
        groups.map((g) => [g.key, g.complaints?.received, g.complaints?.accepted, g.complaints?.answered]),
      ).toEqual([
        [NO_DEPARTMENT, 1, 1, 0],
        ['d1', 1, 1, 1],
        ['d2', 0, 0, 1],
      ]);
    }
  });
});
