/**
 * timelineOf remembers each escalation's facts (timeline.ts, escalationFactsOf):
 * folding a case's n escalations one by one and deriving its timeline after
 * each (what the read models do live) computes each escalation's respond-by day
 * once, not n times; and the memo never changes a timeline.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { defaultCalendar, WorkCalendar } from './calendar/index.js';
import { evolve } from './evolve.js';
import { ESCALATION_LEVELS } from './lists.js';
import { DEFAULT_POLICY } from './policy.js';
import { historyArb } from './testing/arbitraries.js';
import { accepted, decode, escalated, fold } from './testing/fixtures.js';
import { ESCALATION_MEMO_FROM, timelineOf } from './timeline.js';
import { formatInstant, MS_PER_HOUR, parseInstant } from './time.js';
import type { CaseState } from './types.js';

const ID = 'M-1';
const ZONE = 'Asia/Shanghai';

/** The same state with fresh escalation objects: nothing remembered about them. */
const unseen = (s: CaseState): CaseState => ({ ...s, escalations: s.escalations.map((e) => ({ ...e })) });

describe('escalation facts are computed once per escalation', () => {
  it('300 escalations folded one by one, the timeline derived after each: ≤ 2 respond-by computations per escalation', () => {
    const cal = defaultCalendar(ZONE);
    const spy = vi.spyOn(WorkCalendar.prototype, 'nthWorkdayAfter');
    try {
      const start = parseInstant('2025-03-03T09:00:00+08:00');
      let s = fold(ID, [accepted(ID, formatInstant(start, ZONE), 20)]);
      const T = start + 2 * MS_PER_HOUR;
      spy.mockClear();
      for (let i = 0; i < 300; i++) {
        s = evolve(s, escalated(ID, formatInstant(start + MS_PER_HOUR, ZONE)), { revision: i + 1 });
        timelineOf(s, T, DEFAULT_POLICY, cal);
      }
      expect(s.escalations).toHaveLength(300);
      // One per escalation (45,150 when every timeline recomputed every escalation).
      expect(spy.mock.calls.length).toBeLessThanOrEqual(600);
    } finally {
      spy.mockRestore();
    }
  });

  it('a case with fewer escalations than the memo threshold keeps none (recomputed at every timeline)', () => {
    const cal = defaultCalendar(ZONE);
    const spy = vi.spyOn(WorkCalendar.prototype, 'nthWorkdayAfter');
    try {
      const start = parseInstant('2025-03-03T09:00:00+08:00');
      let s = fold(ID, [accepted(ID, formatInstant(start, ZONE), 20)]);
      spy.mockClear();
      const n = ESCALATION_MEMO_FROM - 1;
      for (let i = 0; i < n; i++) {
        s = evolve(s, escalated(ID, formatInstant(start + MS_PER_HOUR, ZONE)), { revision: i + 1 });
        timelineOf(s, start + 2 * MS_PER_HOUR, DEFAULT_POLICY, cal);
      }
      expect(spy.mock.calls.length).toBe((n * (n + 1)) / 2);
    } finally {
      spy.mockRestore();
    }
  });

  it('a remembered timeline equals one computed afresh (any history, any instant, the memo warm or cold)', () => {
    const cal = defaultCalendar(ZONE);
    // Histories of open cases with 0–20 more escalations at their end: below and above the threshold.
    const arb = fc.tuple(historyArb({ complete: false }), fc.integer({ min: 0, max: 20 }), fc.nat(3));
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 60 * 24 }), ([h, more, level], afterH) => {
        const extra = Array.from({ length: more }, (_, k) =>
          escalated(
            'P-1',
            formatInstant(h.last + (k + 1) * 60_000, ZONE),
            ESCALATION_LEVELS[level % ESCALATION_LEVELS.length],
          ),
        );
        const s = fold('P-1', [...h.events, ...extra]);
        const T = h.last + (more + 1) * 60_000 + afterH * MS_PER_HOUR;
        const first = timelineOf(s, T, DEFAULT_POLICY, cal);
        const again = timelineOf(s, T, DEFAULT_POLICY, cal); // every escalation remembered now
        const fresh = timelineOf(unseen(s), T, DEFAULT_POLICY, cal);
        expect(again).toEqual(fresh);
        expect(first).toEqual(fresh);
      }),
      { numRuns: 300 },
    );
  });

  it('a reply, another policy or another calendar is not served from the memo', () => {
    const start = parseInstant('2025-03-03T09:00:00+08:00');
    const e1 = escalated(ID, formatInstant(start + MS_PER_HOUR, ZONE));
    const s = fold(ID, [accepted(ID, formatInstant(start, ZONE), 20), e1]);
    const T = parseInstant('2025-03-20T12:00:00+08:00');
    const cal = defaultCalendar(ZONE);
    const before = timelineOf(s, T, DEFAULT_POLICY, cal)!;
    expect(before.cards.some((c) => c.rule === 'escalation-unanswered')).toBe(true);
    // A reply makes a new escalation object: answered, no card.
    const reply = decode({
      type: 'CaseEscalationAnswered',
      caseId: ID,
      occurredAt: '2025-03-04T10:00:00+08:00',
      escalationId: 'e1',
    });
    const answered = timelineOf(evolve(s, reply, { revision: 2 }), T, DEFAULT_POLICY, cal)!;
    expect(answered.escalations[0]?.answeredAt).toBeDefined();
    expect(answered.cards.some((c) => c.rule === 'escalation-unanswered')).toBe(false);
    // Another policy (a longer reply time) on the same escalation object.
    const slower = { ...DEFAULT_POLICY, respondWithinDays: { ...DEFAULT_POLICY.respondWithinDays, reminder: 10 } };
    const other = timelineOf(s, T, slower, cal)!;
    expect(other.escalations[0]?.respondWithinDays).toBe(10);
    expect(other).toEqual(timelineOf(unseen(s), T, slower, cal));
    // Another calendar object (e.g. a new version): computed with it.
    const cal2 = defaultCalendar(ZONE);
    expect(timelineOf(s, T, DEFAULT_POLICY, cal2)).toEqual(before);
  });
});
