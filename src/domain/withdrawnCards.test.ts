import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evaluate } from './evaluate.js';
import { evolve, initialCaseState } from './evolve.js';
import { MS_PER_HOUR, formatInstant, parseInstant } from './time.js';
import {
  accepted,
  completed,
  decode,
  escalated,
  fold,
  followedUp,
  paused,
  rated,
  resumed,
} from './testing/fixtures.js';
import { historyArb } from './testing/arbitraries.js';
import type { CaseEvent } from './events.js';
import { timelineOf, type RawCard } from './timeline.js';
import type { CaseState } from './types.js';
import {
  cardsShownAt,
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

/** The first local day start at or after `t`. */
function dayStartFrom(t: number): number {
  const start = cal.startOfDay(cal.dayOf(t));
  return start === t ? t : cal.startOfDay(cal.dayOf(t) + 1);
}

/** What one more event recorded at `recordedAt` withdraws from `before`. */
function withdrawnBy(before: CaseState, event: CaseEvent, recordedAt: number) {
  const after = evolve(before, event, { revision: before.revision + 1, recordedAt });
  const shown = cardsShownAt(before, recordedAt, DEFAULT_POLICY, cal);
  return cardsWithdrawn(shown, cardsShownAt(after, recordedAt, DEFAULT_POLICY, cal));
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
    // Recorded at the next local day start after the delay: the very instant a card starts, if one does then.
    pinned: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    score: fc.integer({ min: 1, max: 5 }),
  })
  .map(({ history, extra, delaysH, pinned, score }) => {
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
      const late = occurred + (delaysH[i % delaysH.length] ?? 0) * MS_PER_HOUR;
      last = Math.max(last, pinned[i % pinned.length] === true ? dayStartFrom(late) : late);
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
  visit: (write: {
    K: number;
    occurredAt: number;
    before: CaseState;
    after: CaseState;
    shown: readonly RawCard[];
    kept: readonly RawCard[];
  }) => void,
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
    const shown = cardsShownAt(state, K, DEFAULT_POLICY, cal);
    const kept = cardsShownAt(next, K, DEFAULT_POLICY, cal);
    visit({ K, occurredAt: times[i]!, before: state, after: next, shown, kept });
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
            expect(w.start).toBeLessThanOrEqual(K);
            expect(shown).toContainEqual(w);
            expect(kept).not.toContainEqual(w);
          }
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('law: every card the board showed at K is on record after the write or withdrawn, every clearing it showed kept or changed', () => {
    let startedAtK = 0;
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, before, after, shown, kept }) => {
          // The board's own read at K (evaluate: a card from its start on), before and after the write.
          const board = (s: CaseState) => evaluate(s, K, DEFAULT_POLICY, cal)?.cards ?? [];
          const withdrawn = cardsWithdrawn(shown, kept);
          const changed = clearingsChanged(shown, kept, K);
          const now = board(after);
          for (const c of board(before)) {
            const start = ms(c.startedAt);
            const same = (x: { rule: string; pauseId?: string; escalation?: number }, xStart: number) =>
              x.rule === c.rule && xStart === start && x.pauseId === c.pauseId && x.escalation === c.escalation;
            const held = now.find((a) => same(a, ms(a.startedAt)));
            if (held === undefined) {
              expect(withdrawn.some((w) => same(w, w.start))).toBe(true);
              if (start === K) startedAtK++;
            } else if (c.clearedAt !== undefined && held.clearedAt !== c.clearedAt) {
              const was = ms(c.clearedAt);
              expect(changed.some(({ before: b }) => same(b, b.start) && b.clear === was)).toBe(true);
            }
          }
        }),
      ),
      { numRuns: 300 },
    );
    expect(startedAtK).toBeGreaterThan(0); // the histories hold writes withdrawing a card at its very start
  });

  it('law: an event at the instant a card starts, recorded then, withdraws nothing and changes no clearing (mayWithdrawCards)', () => {
    let tried = 0;
    fc.assert(
      fc.property(historyArb(), (h) => {
        let state = initialCaseState('P-1');
        h.events.forEach((e, i) => {
          state = evolve(state, e, { revision: i, recordedAt: h.at[i]! });
        });
        const s = state;
        const starts = timelineOf(s, h.last + 90 * 24 * MS_PER_HOUR, DEFAULT_POLICY, cal)?.cards.map((c) => c.start);
        for (const K of (starts ?? []).filter((t) => t >= h.last)) {
          const iso = at(K);
          const events = [
            completed('P-1', iso),
            paused('P-1', iso, 'p-at-K'),
            ...s.pauses.filter((p) => p.resumedAt === undefined).map((p) => resumed('P-1', iso, p.pauseId)),
            ...s.escalations
              .filter((x) => x.answer === undefined)
              .map((x) =>
                decode({
                  type: 'CaseEscalationAnswered',
                  caseId: 'P-1',
                  occurredAt: iso,
                  escalationId: x.escalationId,
                }),
              ),
            decode({
              type: 'CaseExtended',
              caseId: 'P-1',
              occurredAt: iso,
              days: 3,
              approvedBy: 'director',
              reason: '材料复杂',
            }),
            rated('P-1', iso, 1),
            followedUp('P-1', iso),
          ];
          for (const e of events) {
            let after: CaseState;
            try {
              after = evolve(s, e, { revision: s.revision + 1, recordedAt: K });
            } catch {
              continue; // not allowed in that state (a follow-up before a rating, an event after completion)
            }
            tried++;
            const shown = cardsShownAt(s, K, DEFAULT_POLICY, cal);
            const kept = cardsShownAt(after, K, DEFAULT_POLICY, cal);
            expect(mayWithdrawCards(K, K, withdrawalHorizon(K, cal))).toBe(false);
            expect(cardsWithdrawn(shown, kept)).toEqual([]);
            expect(clearingsChanged(shown, kept, K)).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(tried).toBeGreaterThan(0);
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

  it('a completion recorded at the very millisecond the case fell due, that occurred just before, withdraws the red card started then', () => {
    // A reviewer's case: 5 days from Monday 2025-11-03, due 11-11 00:00, when the board, the card register and the
    // stream showed the red card; a completion of 11-10 23:59:59.999 recorded in that same millisecond.
    const e3 = fold('E3', [accepted('E3', '2025-11-03T09:00:00+08:00', 5)]);
    const K = ms('2025-11-11T00:00:00+08:00');
    const occurredAt = '2025-11-10T23:59:59.999+08:00';
    expect(evaluate(e3, K, DEFAULT_POLICY, cal)?.cards.map((c) => [c.rule, c.startedAt])).toContainEqual([
      'overdue',
      '2025-11-11T00:00:00.000+08:00',
    ]);
    expect(mayWithdrawCards(ms(occurredAt), K, withdrawalHorizon(K, cal))).toBe(true);
    const after = evolve(e3, completed('E3', occurredAt), { revision: 1, recordedAt: K });
    const shown = cardsShownAt(e3, K, DEFAULT_POLICY, cal);
    const kept = cardsShownAt(after, K, DEFAULT_POLICY, cal);
    expect(cardsWithdrawn(shown, kept).map((c) => [c.rule, at(c.start)])).toEqual([
      ['overdue', '2025-11-11T00:00:00.000+08:00'],
    ]);
    // The warning stays, its clearing shown at 00:00 (the red card's start) moved to the completion.
    expect(
      clearingsChanged(shown, kept, K).map((c) => [c.before.rule, at(c.before.clear!), at(c.after.clear!)]),
    ).toEqual([['deadline-warning', '2025-11-11T00:00:00.000+08:00', occurredAt]]);
  });

  it("a write at a card's start withdraws nothing it keeps or starts then: a completion at the due instant, a late record", () => {
    const e3 = fold('E3', [accepted('E3', '2025-11-03T09:00:00+08:00', 5)]);
    const K = ms('2025-11-11T00:00:00+08:00');
    // Completed at the due instant, recorded then: late by nothing, the red card stays (not done before it).
    expect(mayWithdrawCards(K, K, withdrawalHorizon(K, cal))).toBe(false);
    expect(withdrawnBy(e3, completed('E3', '2025-11-11T00:00:00+08:00'), K)).toEqual([]);
    // Completed 11-09 10:00, recorded at 11-11 00:00: its own late-record card starts at K, shown from then on.
    const late = completed('E3', '2025-11-09T10:00:00+08:00');
    const after = evolve(e3, late, { revision: 1, recordedAt: K });
    const kept = cardsShownAt(after, K, DEFAULT_POLICY, cal);
    expect(kept.map((c) => [c.rule, at(c.start)])).toContainEqual(['late-record', '2025-11-11T00:00:00.000+08:00']);
    expect(withdrawnBy(e3, late, K).map((c) => c.rule)).toEqual(['overdue']);
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
      const shown = cardsShownAt(five, K, DEFAULT_POLICY, cal);
      return clearingsChanged(shown, cardsShownAt(after, K, DEFAULT_POLICY, cal), K).map((c) => [
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
