import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evolve, initialCaseState } from './evolve.js';
import { MS_PER_HOUR, formatInstant, parseInstant } from './time.js';
import { accepted, completed, decode, escalated, fold, paused, rated } from './testing/fixtures.js';
import { historyArb } from './testing/arbitraries.js';
import type { CaseEvent } from './events.js';
import type { CaseState } from './types.js';
import { cardsShownBefore, cardsWithdrawn, mayWithdrawCards, withdrawalHorizon } from './withdrawnCards.js';

const cal = defaultCalendar('Asia/Shanghai');
const ms = (iso: string) => parseInstant(iso);
const at = (t: number) => formatInstant(t, 'Asia/Shanghai');

/** What one more event recorded at `recordedAt` withdraws from `before`. */
function withdrawnBy(before: CaseState, event: CaseEvent, recordedAt: number) {
  const after = evolve(before, event, { revision: before.revision + 1, recordedAt });
  const shown = cardsShownBefore(before, recordedAt, DEFAULT_POLICY, cal);
  return cardsWithdrawn(shown, cardsShownBefore(after, recordedAt, DEFAULT_POLICY, cal));
}

/**
 * A case history with the later events the plain history lacks (an extension, a
 * reply, a rating and its follow-up), each event recorded some hours after it
 * occurred (0 often: recorded as it happens), in the store's order.
 */
const recordedHistoryArb = fc
  .record({
    history: historyArb(),
    extra: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 }),
    delaysH: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })), { minLength: 16, maxLength: 16 }),
    score: fc.integer({ min: 1, max: 5 }),
  })
  .map(({ history, extra, delaysH, score }) => {
    const events = [...history.events];
    const times = [...history.at];
    let t = history.last;
    const done = events.some((e) => e.type === 'CaseCompleted');
    const escalations = events.filter((e) => e.type === 'CaseEscalated').length;
    extra.forEach((kind, i) => {
      t += (kind + 1) * 11 * MS_PER_HOUR;
      const base = { caseId: 'P-1', occurredAt: at(t) };
      if (!done && kind <= 1 && i === 0)
        events.push(
          decode({ ...base, type: 'CaseExtended', days: kind + 2, approvedBy: 'director', reason: '材料复杂' }),
        );
      else if (!done && kind <= 3 && escalations > 0)
        events.push(decode({ ...base, type: 'CaseEscalationAnswered', escalationId: `e${1 + (i % escalations)}` }));
      else if (done && i === 0) events.push(rated('P-1', base.occurredAt, score));
      else if (done && i === 1 && score <= 2)
        events.push(decode({ ...base, type: 'RatingFollowedUp', note: '已回访' }));
      else return;
      times.push(t);
    });
    let last = Number.NEGATIVE_INFINITY;
    const recordedAt = times.map((occurred, i) => {
      last = Math.max(last, occurred + (delaysH[i % delaysH.length] ?? 0) * MS_PER_HOUR);
      return last;
    });
    return { events, times, recordedAt };
  });

describe('withdrawn cards (SPEC §3: cards are the permanent record of every alert raised)', () => {
  it('law: an event with no day start between its occurrence and its recording withdraws no card', () => {
    fc.assert(
      fc.property(recordedHistoryArb, ({ events, times, recordedAt }) => {
        let state = initialCaseState('P-1');
        events.forEach((event, i) => {
          const K = recordedAt[i]!;
          let next: CaseState;
          try {
            next = evolve(state, event, { revision: i, recordedAt: K });
          } catch {
            return; // an extra event the history does not allow (e.g. a reply to an answered escalation)
          }
          if (!mayWithdrawCards(times[i]!, K, withdrawalHorizon(K, cal))) {
            const shown = cardsShownBefore(state, K, DEFAULT_POLICY, cal);
            expect(cardsWithdrawn(shown, cardsShownBefore(next, K, DEFAULT_POLICY, cal))).toEqual([]);
          }
          state = next;
        });
      }),
      { numRuns: 400 },
    );
  });

  it('law: what is withdrawn was shown before the write and is not in the record after it', () => {
    fc.assert(
      fc.property(recordedHistoryArb, ({ events, recordedAt }) => {
        let state = initialCaseState('P-1');
        events.forEach((event, i) => {
          const K = recordedAt[i]!;
          let next: CaseState;
          try {
            next = evolve(state, event, { revision: i, recordedAt: K });
          } catch {
            return;
          }
          const shown = cardsShownBefore(state, K, DEFAULT_POLICY, cal);
          const kept = cardsShownBefore(next, K, DEFAULT_POLICY, cal);
          for (const w of cardsWithdrawn(shown, kept)) {
            expect(w.start).toBeLessThan(K);
            expect(shown).toContainEqual(w);
            expect(kept).not.toContainEqual(w);
          }
          state = next;
        });
      }),
      { numRuns: 300 },
    );
  });

  // A 3-day case accepted Monday 2026-11-16 is due at the end of Thursday 11-19.
  const due = fold('W-1', [accepted('W-1', '2026-11-16T09:00:00+08:00', 3)]);

  it('a completion recorded after the deadline, that occurred before it, withdraws the red card', () => {
    const withdrawn = withdrawnBy(due, completed('W-1', '2026-11-19T16:00:00+08:00'), ms('2026-11-23T10:00:00+08:00'));
    expect(withdrawn.map((c) => [c.rule, at(c.start)])).toEqual([['overdue', '2026-11-20T00:00:00.000+08:00']]);
  });

  it('a pause recorded after the deadline (停止计时 after the fact) withdraws the red card and the warning', () => {
    const event = paused('W-1', '2026-11-18T11:00:00+08:00', 'p1');
    const withdrawn = withdrawnBy(due, event, ms('2026-11-20T09:00:00+08:00'));
    expect(withdrawn.map((c) => c.rule)).toEqual(['deadline-warning', 'overdue']);
  });

  it('a late completion keeps its red card: nothing is withdrawn', () => {
    expect(withdrawnBy(due, completed('W-1', '2026-11-20T10:00:00+08:00'), ms('2026-11-21T10:00:00+08:00'))).toEqual(
      [],
    );
  });

  it('a reply recorded late, that occurred in time, withdraws the escalation card', () => {
    const s = fold('W-1', [
      accepted('W-1', '2026-11-16T09:00:00+08:00', 20),
      escalated('W-1', '2026-11-16T10:00:00+08:00'),
    ]);
    const reply = decode({
      type: 'CaseEscalationAnswered',
      caseId: 'W-1',
      occurredAt: '2026-11-19T17:00:00+08:00',
      escalationId: 'e1',
    });
    const withdrawn = withdrawnBy(s, reply, ms('2026-11-20T09:00:00+08:00'));
    expect(withdrawn.map((c) => [c.rule, c.escalation])).toEqual([['escalation-unanswered', 0]]);
  });
});
