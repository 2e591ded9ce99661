import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evolve, initialCaseState } from './evolve.js';
import { MS_PER_HOUR, formatInstant, parseInstant } from './time.js';
import { accepted, completed, decode, escalated, fold, paused, rated, resumed } from './testing/fixtures.js';
import { historyArb } from './testing/arbitraries.js';
import type { CaseEvent } from './events.js';
import type { RawCard } from './timeline.js';
import type { CaseState } from './types.js';
import {
  cardsShownBefore,
  cardsWithdrawn,
  clearingsChanged,
  mayWithdrawCards,
  putsBack,
  sameCard,
  withdrawalHorizon,
} from './withdrawnCards.js';

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

/** Each write of a recorded history the case allows: the cards shown at its recording K before it, and kept after it. */
function forEachWrite(
  {
    events,
    times,
    recordedAt,
  }: { events: readonly CaseEvent[]; times: readonly number[]; recordedAt: readonly number[] },
  visit: (write: { K: number; occurredAt: number; shown: readonly RawCard[]; kept: readonly RawCard[] }) => void,
): void {
  let state = initialCaseState('P-1');
  events.forEach((event, i) => {
    const K = recordedAt[i]!;
    let next: CaseState;
    try {
      next = evolve(state, event, { revision: i, recordedAt: K });
    } catch {
      return; // an extra event the history does not allow (e.g. a reply to an answered escalation)
    }
    const shown = cardsShownBefore(state, K, DEFAULT_POLICY, cal);
    const kept = cardsShownBefore(next, K, DEFAULT_POLICY, cal);
    visit({ K, occurredAt: times[i]!, shown, kept });
    state = next;
  });
}

describe('withdrawn cards (SPEC §3: cards are the permanent record of every alert raised)', () => {
  it('law: an event with no day start between its occurrence and its recording withdraws no card, changes no clearing shown', () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, occurredAt, shown, kept }) => {
          if (mayWithdrawCards(occurredAt, K, withdrawalHorizon(K, cal))) return;
          expect(cardsWithdrawn(shown, kept)).toEqual([]);
          expect(clearingsChanged(shown, kept, K)).toEqual([]);
          // Nor puts back a card: it holds none started before K that the record did not.
          expect(kept.filter((c) => !shown.some((b) => sameCard(b, c)))).toEqual([]);
        }),
      ),
      { numRuns: 400 },
    );
  });

  it('law: what is withdrawn was shown before the write and is not in the record after it', () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, shown, kept }) => {
          for (const w of cardsWithdrawn(shown, kept)) {
            expect(w.start).toBeLessThan(K);
            expect(shown).toContainEqual(w);
            expect(kept).not.toContainEqual(w);
          }
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('law: a changed clearing was shown (cleared by K), and the record after the write holds the card cleared otherwise', () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, shown, kept }) => {
          for (const { before, after } of clearingsChanged(shown, kept, K)) {
            expect(before.clear).toBeLessThanOrEqual(K);
            expect(shown).toContainEqual(before);
            expect(kept).toContainEqual(after);
            expect(sameCard(before, after)).toBe(true);
            expect(after.clear).not.toBe(before.clear);
          }
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('law: a write undone puts back every card it withdrew and every clearing it changed, and nothing else', () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, shown, kept }) => {
          // Undone: the record goes from `kept` back to `shown` (a later correction restoring the days).
          for (const w of cardsWithdrawn(shown, kept)) {
            expect(putsBack(shown, kept, w, false)).toBe(false); // the write itself put back nothing
            expect(putsBack(kept, shown, w, false)).toBe(true);
          }
          for (const { before } of clearingsChanged(shown, kept, K)) {
            expect(putsBack(shown, kept, before, true)).toBe(false);
            expect(putsBack(kept, shown, before, true)).toBe(true);
          }
          // A card both hold as they were is put back by neither.
          for (const c of shown.filter((b) => kept.some((a) => sameCard(a, b) && a.clear === b.clear))) {
            expect(putsBack(shown, kept, c, false)).toBe(false);
            expect(putsBack(shown, kept, c, true)).toBe(false);
          }
        }),
      ),
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

  it('a pause recorded late keeps the warning but moves or erases the clearing the board showed: a changed clearing', () => {
    // A 5-day case accepted Monday 11-16 warns from 11-20 00:00, red from 11-24 00:00 (which clears the
    // warning). A 停止计时 of 11-20 10:00 – 11-23 10:00, recorded late, moves the red card to 11-25.
    const five = fold('W-1', [accepted('W-1', '2026-11-16T09:00:00+08:00', 5)]);
    const changedAt = (recordedAt: string) => {
      const K = ms(recordedAt);
      let after = five;
      [paused('W-1', '2026-11-20T10:00:00+08:00', 'p1'), resumed('W-1', '2026-11-23T10:00:00+08:00', 'p1')].forEach(
        (e, i) => {
          after = evolve(after, e, { revision: 1 + i, recordedAt: K });
        },
      );
      const shown = cardsShownBefore(five, K, DEFAULT_POLICY, cal);
      return clearingsChanged(shown, cardsShownBefore(after, K, DEFAULT_POLICY, cal), K).map((c) => [
        c.before.rule,
        at(c.before.start),
        at(c.before.clear!),
        c.after.clear === undefined ? undefined : at(c.after.clear),
      ]);
    };
    const warning = ['deadline-warning', '2026-11-20T00:00:00.000+08:00', '2026-11-24T00:00:00.000+08:00'];
    // Recorded 11-25 10:00: moved to 11-25 00:00.
    expect(changedAt('2026-11-25T10:00:00+08:00')).toEqual([[...warning, '2026-11-25T00:00:00.000+08:00']]);
    // Recorded 11-24 10:00: not cleared by then any more (erased at K; the record clears it later).
    expect(changedAt('2026-11-24T10:00:00+08:00')).toEqual([[...warning, '2026-11-25T00:00:00.000+08:00']]);
    // Recorded 11-23 12:00, before the clearing happened: never shown cleared, nothing to record.
    expect(changedAt('2026-11-23T12:00:00+08:00')).toEqual([]);
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
