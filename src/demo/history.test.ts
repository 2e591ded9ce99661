import { describe, expect, it } from 'vitest';
import { decodeCaseEvent, type CaseEvent } from '../domain/events.js';
import { defaultCalendar, evaluate, DEFAULT_POLICY } from '../domain/index.js';
import { allocate, simulateHistory, plannedCaseCount } from './history.js';
import { replayThroughDomain } from './replay.js';
import type { GeneratedCase } from './case-plan.js';

const calendar = defaultCalendar('Asia/Shanghai');
const small = { seed: 42, months: 2, centers: 3, casesPerMonth: 1500, startMonth: '2025-09' } as const;
const all = (opts: Parameters<typeof simulateHistory>[0]): GeneratedCase[] => [...simulateHistory(opts)];

describe('simulateHistory', () => {
  const cases = all(small);
  const events = cases.flatMap((c) => c.events);

  it('is deterministic: the same seed gives identical events, a different seed different ones', () => {
    expect(JSON.stringify(all(small))).toBe(JSON.stringify(cases));
    const other = all({ ...small, seed: 43 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(cases));
    expect(other.length).toBe(cases.length); // same volume, different cases
  });

  it('adding a month leaves the earlier months unchanged', () => {
    const one = all({ ...small, months: 1, horizon: Date.parse('2025-12-01T00:00:00+08:00') });
    const two = all({ ...small, horizon: Date.parse('2025-12-01T00:00:00+08:00') });
    expect(JSON.stringify(two.slice(0, one.length))).toBe(JSON.stringify(one));
  });

  it('generates exactly the planned number of cases, in acceptance order, with unique ids', () => {
    expect(cases.length).toBe(plannedCaseCount(small));
    expect(new Set(cases.map((c) => c.caseId)).size).toBe(cases.length);
    for (let i = 1; i < cases.length; i++) {
      expect((cases[i] as GeneratedCase).at[0]).toBeGreaterThanOrEqual((cases[i - 1] as GeneratedCase).at[0] as number);
    }
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('every event decodes with decodeCaseEvent', () => {
    const bad = events.map((e) => decodeCaseEvent(JSON.parse(JSON.stringify(e)))).filter((r) => !r.ok);
    expect(bad).toEqual([]);
  });

  it('every case is valid under SPEC §2: decide accepts each event, in order, when it is recorded', () => {
    const ordered: { event: CaseEvent; recordedAt: number }[] = [];
    for (const c of cases)
      c.events.forEach((event, k) => {
        ordered.push({ event, recordedAt: (c.at[k] as number) + (c.recordLagMs[k] as number) });
      });
    const { refusals, states } = replayThroughDomain(
      ordered.map((o) => o.event),
      (_, i) => (ordered[i] as { recordedAt: number }).recordedAt,
    );
    expect(refusals).toEqual([]);
    expect(states.size).toBe(cases.length);
  });

  it('occurredAt never goes backwards within a case and every pause is resumed before completion', () => {
    for (const c of cases) {
      for (let k = 1; k < c.at.length; k++) expect(c.at[k]).toBeGreaterThanOrEqual(c.at[k - 1] as number);
      const open = new Set<string>();
      for (const e of c.events) {
        if (e.type === 'CasePaused') open.add(e.pauseId);
        if (e.type === 'CaseResumed') open.delete(e.pauseId);
        if (e.type === 'CaseCompleted') expect(open.size).toBe(0);
      }
    }
  });

  it('looks like a real district: ~15% instant, most accepted on working days in office hours, 补正 the commonest pause', () => {
    const wuhua = all({ seed: 7, months: 1, casesPerMonth: 6000, startMonth: '2025-03' });
    const accepted = wuhua.map((c) => c.events[0]).filter((e) => e?.type === 'CaseAccepted');
    const instant = accepted.filter((e) => e.kind === 'instant').length / accepted.length;
    expect(instant).toBeGreaterThan(0.13);
    expect(instant).toBeLessThan(0.17);
    const onWorkdays = wuhua.filter((c) => calendar.isWorkday(calendar.dayOf(c.at[0] as number))).length / wuhua.length;
    expect(onWorkdays).toBeGreaterThan(0.98);
    const hours = wuhua.map((c) => Number(c.events[0]?.occurredAt.slice(11, 13)));
    expect(hours.every((h) => h >= 9 && h < 17)).toBe(true);
    const reasons = new Map<string, number>();
    for (const e of wuhua.flatMap((c) => c.events))
      if (e.type === 'CasePaused') reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
    const top = [...reasons].sort((a, b) => b[1] - a[1])[0];
    expect(top?.[0]).toBe('supplement');
    expect(reasons.size).toBeGreaterThanOrEqual(5);
  });

  // A month of a district, replayed through decide (every event accepted) and evaluated three months on.
  const asOf = Date.parse('2025-08-01T00:00:00+08:00');
  let month: { ordered: CaseEvent[]; states: ReturnType<typeof replayThroughDomain>['states'] } | undefined;
  const aMonth = () => {
    if (month !== undefined) return month;
    const ordered = all({ seed: 11, months: 1, casesPerMonth: 4000, startMonth: '2025-04', horizon: asOf }).flatMap(
      (c) => c.events,
    );
    const { states, refusals } = replayThroughDomain(ordered, (e) => Date.parse(e.occurredAt) + 60_000);
    expect(refusals).toEqual([]);
    month = { ordered, states };
    return month;
  };

  it('yields a realistic mix of outcomes: ≥99% completed, a few overdue and escalated cases, cards of every timing rule', () => {
    const { ordered, states } = aMonth();
    const rules = new Map<string, number>();
    let completed = 0;
    let late = 0;
    for (const s of states.values()) {
      const ev = evaluate(s, asOf, DEFAULT_POLICY, calendar);
      if (ev === null) continue;
      if (ev.status === 'completed') completed++;
      if (ev.onTime === false) late++;
      for (const card of ev.cards) rules.set(card.rule, (rules.get(card.rule) ?? 0) + 1);
    }
    expect(completed / states.size).toBeGreaterThan(0.99);
    expect(late / states.size).toBeGreaterThan(0.005);
    expect(late / states.size).toBeLessThan(0.06);
    for (const rule of ['deadline-warning', 'overdue', 'pause-warning', 'overlong-pause'])
      expect(rules.get(rule) ?? 0).toBeGreaterThan(0);
    expect(ordered.some((e) => e.type === 'CaseEscalated')).toBe(true);
  });

  it('answers most escalations (回告: mostly in time, some late, a few never) and grants a few extensions (延期) in time', () => {
    const { ordered, states } = aMonth();
    const answers = { onTime: 0, late: 0, never: 0 };
    const extended: { days: number; kind: string; onTime: boolean | null }[] = [];
    for (const s of states.values()) {
      const ev = evaluate(s, asOf, DEFAULT_POLICY, calendar);
      if (ev === null) continue;
      for (const e of ev.escalations) {
        if (e.answeredOnTime === undefined) answers.never++;
        else if (e.answeredOnTime) answers.onTime++;
        else answers.late++;
      }
      if (ev.extensions.length > 0) {
        // Granted before the deadline (never voided), within the limit; the case then finishes within it.
        for (const x of ev.extensions) expect(x.voided ?? false).toBe(false);
        extended.push({ days: ev.extendedDays, kind: ev.kind, onTime: ev.onTime });
      }
    }
    const escalations = answers.onTime + answers.late + answers.never;
    expect(escalations).toBeGreaterThan(30);
    expect(ordered.filter((e) => e.type === 'CaseEscalationAnswered').length).toBe(answers.onTime + answers.late);
    expect(answers.onTime / escalations).toBeGreaterThan(0.6);
    expect(answers.late).toBeGreaterThan(0);
    expect(answers.never).toBeGreaterThan(0);
    expect(answers.never / escalations).toBeLessThan(0.25);
    expect(extended.length).toBeGreaterThan(5);
    expect(extended.length).toBeLessThan(0.02 * states.size);
    for (const x of extended) {
      expect(x.days).toBeLessThanOrEqual(DEFAULT_POLICY.maxExtensionDays[x.kind as 'promised']);
      expect(x.onTime).not.toBe(false);
    }
  });

  it('cuts cases at the horizon, leaving them open (in progress) rather than half-valid', () => {
    const horizon = Date.parse('2025-09-30T17:00:00+08:00');
    const cut = all({ ...small, months: 1, horizon });
    for (const c of cut) for (const t of c.at) expect(t).toBeLessThanOrEqual(horizon);
    expect(cut.some((c) => c.events.at(-1)?.type !== 'CaseCompleted')).toBe(true);
  });

  it('rejects bad options with a message naming them', () => {
    expect(() => all({ ...small, months: 0 })).toThrow(/months/);
    expect(() => all({ ...small, startMonth: '2025-13' })).toThrow(/YYYY-MM/);
    expect(() => all({ ...small, centers: 99 })).toThrow(/centers/);
    expect(() => all({ ...small, centers: ['nowhere'] })).toThrow(/nowhere/);
  });
});

describe('allocate', () => {
  it('splits a total exactly in proportion to weights', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(35_000, [1.12, 1, 0.9, 0, 0.01]).reduce((a, b) => a + b, 0)).toBe(35_000);
    expect(allocate(5, [0, 0])).toEqual([0, 0]);
  });
});
