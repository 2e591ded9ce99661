import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alertEndedAt, alertsInForce, cardDetails, isInForce, withdrawalDetails } from './alerts.js';
import { defaultCalendar } from './calendar/index.js';
import { evaluate } from './evaluate.js';
import { DEFAULT_POLICY } from './policy.js';
import { stateAsOf } from './state-as-of.js';
import { MS_PER_DAY, parseInstant } from './time.js';
import { timelineOf, type RawCard } from './timeline.js';
import { accepted, completed, fold, paused, resumed } from './testing/fixtures.js';
import { historyArb } from './testing/arbitraries.js';
import type { CaseState } from './types.js';

const cal = defaultCalendar('Asia/Shanghai');
const ID = 'P-1';
const at = (s: string) => parseInstant(s);

/** The law at `t` for the history cut at `t`, as the read side applies it. */
function lawAt(state: CaseState, t: number) {
  const s = stateAsOf(state, t);
  const tl = timelineOf(s, t, DEFAULT_POLICY, cal);
  if (tl === null) throw new Error('not accepted');
  return { s, tl, inForce: alertsInForce(s, tl, t) };
}
const ids = (cards: readonly RawCard[]) => cards.map((c) => `${c.rule}/${c.pauseId ?? c.escalation ?? ''}`);

describe('alert law (SPEC §3: alerts are the rules in force now for open work)', () => {
  it('an overdue case shows overdue until it is completed; the red card stays on record after', () => {
    const acc = accepted(ID, '2025-02-07T10:00:00+08:00', 1);
    const open = fold(ID, [acc]);
    expect(ids(lawAt(open, at('2025-02-10T10:00:00+08:00')).inForce)).toEqual(['overdue/']);
    const done = fold(ID, [acc, completed(ID, '2025-02-11T10:00:00+08:00')]);
    expect(lawAt(done, at('2025-02-12T10:00:00+08:00')).inForce).toEqual([]);
    expect(evaluate(done, at('2025-02-12T10:00:00+08:00'), DEFAULT_POLICY, cal)?.cards.map((c) => c.rule)).toContain(
      'overdue',
    );
  });

  it('an overlong pause stops being an alert at its resume, whose instant is when it ended', () => {
    const acc = accepted(ID, '2025-03-03T10:00:00+08:00', 20);
    const pause = paused(ID, '2025-03-04T10:00:00+08:00', 'p1', { reason: 'other', declaredDays: 2 });
    const open = fold(ID, [acc, pause]);
    const during = lawAt(open, at('2025-03-10T10:00:00+08:00'));
    expect(ids(during.inForce)).toEqual(['overlong-pause/p1']);
    const back = fold(ID, [acc, pause, resumed(ID, '2025-03-11T10:00:00+08:00', 'p1')]);
    const after = lawAt(back, at('2025-03-12T10:00:00+08:00'));
    expect(after.inForce).toEqual([]);
    expect(
      alertEndedAt({ rule: 'overlong-pause', pauseId: 'p1' }, after.s, after.tl, at('2025-03-12T10:00:00+08:00')),
    ).toBe(at('2025-03-11T10:00:00+08:00'));
  });

  it('a back-dated pause is named in the details of the overdue card and of its own cards', () => {
    const acc = accepted(ID, '2025-09-15T09:00:00+08:00', 1);
    const pause = paused(ID, '2025-09-16T09:00:00+08:00', 'p1', { reason: 'supplement' });
    const backDated = fold(ID, [acc, pause], [undefined, at('2025-09-25T09:00:00+08:00')]);
    const t = at('2025-11-20T09:00:00+08:00');
    const { s, tl } = lawAt(backDated, t);
    const pauseCard = tl.cards.find((c) => c.rule === 'overlong-pause');
    expect(pauseCard && cardDetails(pauseCard, s, tl)).toEqual({ retroactivePause: 'p1' });
    expect(withdrawalDetails(s, tl, t)).toEqual({ retroactivePause: ['p1'] });
  });

  it('in force = started, not cleared, case open, overlong pause still open; nothing after completion', () => {
    fc.assert(
      fc.property(historyArb(), fc.integer({ min: -2 * MS_PER_DAY, max: 60 * MS_PER_DAY }), (h, later) => {
        const t = h.last + later;
        const s = stateAsOf(fold(ID, h.events), t);
        const tl = timelineOf(s, t, DEFAULT_POLICY, cal);
        if (tl === null) return;
        const inForce = alertsInForce(s, tl, t);
        expect(inForce).toEqual(tl.cards.filter((c) => isInForce(c, s, tl, t)));
        if (s.completedAt !== undefined && s.completedAt <= t) expect(inForce).toEqual([]);
        for (const c of inForce) {
          expect(c.start).toBeLessThanOrEqual(t);
          if (c.clear !== undefined) expect(c.clear).toBeGreaterThan(t);
          // A card in force is one of the case's cards as evaluate shows them, with the same details.
          const card = evaluate(s, t, DEFAULT_POLICY, cal)?.cards.find(
            (k) => k.rule === c.rule && k.pauseId === c.pauseId && k.escalation === c.escalation,
          );
          expect(card).toBeDefined();
          const why = cardDetails(c, s, tl);
          if (why !== undefined && c.rule !== 'late-record') expect(card?.details).toMatchObject(why);
        }
        // An alert that ends ends at or before the instant it is seen to have ended.
        for (const c of tl.cards) expect(alertEndedAt(c, s, tl, t)).toBeLessThanOrEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it('red cards other than overlong-pause stay in force from their start until completion', () => {
    fc.assert(
      fc.property(historyArb({ complete: false }), fc.integer({ min: 0, max: 200 * MS_PER_DAY }), (h, later) => {
        const state = fold(ID, h.events);
        const t = h.last + later;
        const { s, tl, inForce } = lawAt(state, t);
        for (const c of tl.cards) {
          if (c.color !== 'red' || c.rule === 'overlong-pause' || c.start > t) continue;
          expect(inForce).toContain(c);
          expect(isInForce(c, s, tl, t + MS_PER_DAY)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
