import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../calendar/index.js';
import { DEFAULT_POLICY } from '../policy.js';
import { formatInstant, MS_PER_HOUR, MS_PER_MINUTE, parseInstant } from '../time.js';
import {
  cardsWithdrawn,
  clearingsChanged,
  mayWithdrawCards,
  putsBack,
  sameCard,
  withdrawalHorizon,
} from '../withdrawnCards.js';
import type { ComplaintEvent } from './events.js';
import { evolveComplaint, foldComplaint, initialComplaintState, type ComplaintState } from './evolve.js';
import { acceptedC, answeredC, complaintEvent, received } from './testing.js';
import type { ComplaintCard } from './timeline.js';
import { complaintAlertsAt, complaintTimelineOf, recordedClear } from './timeline.js';
import { complaintCardsShownAt } from './withdrawnCards.js';

const cal = defaultCalendar();
const ZONE = 'Asia/Shanghai';
const ms = (iso: string) => parseInstant(iso);
const show = (t: number) => formatInstant(t, ZONE);

/** The first local day start at or after `t`. */
function dayStartFrom(t: number): number {
  const start = cal.startOfDay(cal.dayOf(t));
  return start === t ? t : cal.startOfDay(cal.dayOf(t) + 1);
}

/** The cards shown at `recordedAt` before one more event, and after it. */
function shownAround(before: ComplaintState, event: ComplaintEvent, recordedAt: number) {
  const after = evolveComplaint(before, event);
  return {
    shown: complaintCardsShownAt(before, recordedAt, DEFAULT_POLICY, cal),
    kept: complaintCardsShownAt(after, recordedAt, DEFAULT_POLICY, cal),
  };
}

/** What one more event recorded at `recordedAt` withdraws from `before`. */
function withdrawnBy(before: ComplaintState, event: ComplaintEvent, recordedAt: number) {
  const { shown, kept } = shownAround(before, event, recordedAt);
  return cardsWithdrawn(shown, kept);
}

/**
 * A complaint's history, each event recorded some hours after it occurred (0 often), in the
 * store's order: received, decided (accepted or rejected), answered once accepted.
 */
const recordedHistoryArb = fc
  .record({
    receivedMin: fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }),
    decideAfterH: fc.integer({ min: 0, max: 24 * 12 }),
    reject: fc.boolean(),
    answerAfterH: fc.option(fc.integer({ min: 0, max: 24 * 30 }), { nil: undefined }),
    delaysH: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 24 * 10 })), {
      minLength: 3,
      maxLength: 3,
    }),
    // Recorded at the next local day start after the delay: the very instant a card starts, if one does then.
    pinned: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  })
  .map((g) => {
    const start = ms('2024-01-01T00:00:00+08:00') + g.receivedMin * MS_PER_MINUTE;
    const out: { at: number; event: ComplaintEvent }[] = [];
    const push = (t: number, type: string, extra: Record<string, unknown> = {}) =>
      out.push({ at: t, event: complaintEvent(type, formatInstant(t, ZONE), extra) });
    push(start, 'ComplaintReceived', { channel: 'online', centerId: 'c1', subject: 's' });
    const decided = start + g.decideAfterH * MS_PER_HOUR;
    if (g.reject) push(decided, 'ComplaintRejected', { reason: 'r' });
    else push(decided, 'ComplaintAccepted');
    if (!g.reject && g.answerAfterH !== undefined)
      push(decided + g.answerAfterH * MS_PER_HOUR, 'ComplaintAnswered', { finding: 'partly' });
    let last = Number.NEGATIVE_INFINITY;
    const recordedAt = out.map(({ at }, i) => {
      const late = at + (g.delaysH[i] ?? 0) * MS_PER_HOUR;
      last = Math.max(last, g.pinned[i] === true ? dayStartFrom(late) : late);
      return last;
    });
    return { events: out, recordedAt };
  });

type RecordedHistory = { events: readonly { at: number; event: ComplaintEvent }[]; recordedAt: readonly number[] };

/** Each write of a recorded history: the cards shown at its recording K before it, and kept after it. */
function forEachWrite(
  { events, recordedAt }: RecordedHistory,
  visit: (write: {
    K: number;
    occurredAt: number;
    before: ComplaintState;
    shown: readonly ComplaintCard[];
    kept: readonly ComplaintCard[];
  }) => void,
): void {
  let state = initialComplaintState('q1');
  events.forEach(({ at, event }, i) => {
    const K = recordedAt[i]!;
    // With its recordedAt, as the read model folds it: a delay over 24 h is a late record (complaint-late-record).
    const next = evolveComplaint(state, event, { recordedAt: K });
    const shown = complaintCardsShownAt(state, K, DEFAULT_POLICY, cal);
    visit({ K, occurredAt: at, before: state, shown, kept: complaintCardsShownAt(next, K, DEFAULT_POLICY, cal) });
    state = next;
  });
}

describe('withdrawn complaint cards (SPEC §3 and §8: the record keeps every card shown)', () => {
  it('law: an event with no day start between its occurrence and its recording withdraws no card, changes no clearing shown, puts back none', () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, occurredAt, shown, kept }) => {
          if (mayWithdrawCards(occurredAt, K, withdrawalHorizon(K, cal))) return;
          expect(cardsWithdrawn(shown, kept)).toEqual([]);
          expect(clearingsChanged(shown, kept, K)).toEqual([]);
          // Nor puts back a card: it holds none started before K that the record did not.
          expect(cardsWithdrawn(kept, shown)).toEqual([]);
        }),
      ),
      { numRuns: 500 },
    );
  });

  it('law: what is withdrawn was shown before the write, started by its instant, and is not in the record after it', () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, shown, kept }) => {
          for (const w of cardsWithdrawn(shown, kept)) {
            expect(w.start).toBeLessThanOrEqual(K);
            expect(shown).toContainEqual(w);
            expect(kept.some((k) => k.rule === w.rule && k.start === w.start)).toBe(false);
          }
        }),
      ),
      { numRuns: 300 },
    );
  });

  it("law: a changed clearing is the answer warning's, shown cleared by K, and the record after the write clears it otherwise", () => {
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, shown, kept }) => {
          for (const { before, after } of clearingsChanged(shown, kept, K)) {
            expect(before.rule).toBe('complaint-answer-warning');
            expect(recordedClear(before, K)).toBe(before.clear);
            expect(shown).toContainEqual(before);
            expect(kept).toContainEqual(after);
            expect([after.rule, after.start]).toEqual([before.rule, before.start]);
            expect(recordedClear(after, K)).not.toBe(before.clear);
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
          for (const w of cardsWithdrawn(shown, kept)) {
            expect(putsBack(shown, kept, w, false)).toBe(false);
            expect(putsBack(kept, shown, w, false)).toBe(true);
          }
          for (const { before } of clearingsChanged(shown, kept, K)) {
            expect(putsBack(shown, kept, before, true)).toBe(false);
            expect(putsBack(kept, shown, before, true)).toBe(true);
          }
          for (const c of shown.filter((b) =>
            kept.some((a) => a.rule === b.rule && a.start === b.start && a.clear === b.clear),
          )) {
            expect(putsBack(shown, kept, c, false)).toBe(false);
            expect(putsBack(shown, kept, c, true)).toBe(false);
          }
        }),
      ),
      { numRuns: 300 },
    );
  });

  it('law: every card in force on the board at K before the write is on record after it, or withdrawn', () => {
    let startedAtK = 0;
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, before, shown, kept }) => {
          // The board's own read at K (a card in force from its start on).
          const tl = complaintTimelineOf(before, K, DEFAULT_POLICY, cal);
          const withdrawn = cardsWithdrawn(shown, kept);
          for (const c of tl === null ? [] : complaintAlertsAt(tl, before, K)) {
            if (kept.some((a) => sameCard(a, c))) continue;
            expect(withdrawn).toContainEqual(c);
            if (c.start === K) startedAtK++;
          }
        }),
      ),
      { numRuns: 500 },
    );
    expect(startedAtK).toBeGreaterThan(0); // the histories hold writes withdrawing a card at its very start
  });

  it('law: a complaint-late-record card is never withdrawn, and a write shows its own from its recording on, not before', () => {
    let late = 0;
    let own = 0;
    fc.assert(
      fc.property(recordedHistoryArb, (history) =>
        forEachWrite(history, ({ K, shown, kept }) => {
          const lateOf = (cards: readonly ComplaintCard[]) => cards.filter((c) => c.rule === 'complaint-late-record');
          late += lateOf(shown).length;
          const fresh = lateOf(kept).filter((c) => !shown.some((b) => sameCard(b, c)));
          own += fresh.length;
          expect(fresh.map((c) => c.start)).toEqual(fresh.map(() => K));
          expect(lateOf(kept).filter((c) => !fresh.includes(c))).toEqual(lateOf(shown));
          expect(cardsWithdrawn(shown, kept).filter((c) => c.rule === 'complaint-late-record')).toEqual([]);
        }),
      ),
      { numRuns: 300 },
    );
    expect(late).toBeGreaterThan(0); // the histories hold late records shown before a later write
    expect(own).toBeGreaterThan(0); // and writes recorded late, shown at their own instant
  });

  it('law: which cards are shown before K, and which cleared by K, does not depend on events that occur after K', () => {
    /** The events folded with their recordedAt (late records too). */
    const fold = ({ events, recordedAt }: RecordedHistory, keep: (at: number) => boolean) => {
      let s = initialComplaintState('q1');
      events.forEach(({ at, event }, i) => {
        if (keep(at)) s = evolveComplaint(s, event, { recordedAt: recordedAt[i]! });
      });
      return s;
    };
    fc.assert(
      fc.property(recordedHistoryArb, fc.nat(40 * 24 * 60), (history, offsetMin) => {
        const K = history.events[0]!.at + offsetMin * MS_PER_MINUTE;
        const byK = fold(history, (at) => at <= K);
        const all = fold(history, () => true);
        // The same cards (rule and start) and clearings shown by K; a card's clearing may lie after K.
        const ids = (s: ComplaintState) =>
          complaintCardsShownAt(s, K, DEFAULT_POLICY, cal).map(
            (c) => `${c.rule}@${c.start} cleared ${recordedClear(c, K) ?? '-'}`,
          );
        expect(ids(all)).toEqual(ids(byK));
      }),
      { numRuns: 300 },
    );
  });

  // Received Monday 2026-11-16 10:00: decided by the end of Thursday 11-19 (3 working days after).
  const got = foldComplaint('q1', [received('2026-11-16T10:00:00+08:00')]);

  it('an acceptance recorded after the decision deadline, that occurred before it, withdraws the red card', () => {
    const withdrawn = withdrawnBy(got, acceptedC('2026-11-19T15:00:00+08:00'), ms('2026-11-23T09:30:00+08:00'));
    expect(withdrawn.map((c) => [c.rule, show(c.start)])).toEqual([
      ['complaint-undecided', '2026-11-20T00:00:00.000+08:00'],
    ]);
  });

  it('an acceptance recorded at the very millisecond the red card started, that occurred just before, withdraws it', () => {
    const K = ms('2026-11-20T00:00:00+08:00');
    const withdrawn = withdrawnBy(got, acceptedC('2026-11-19T23:59:59.999+08:00'), K);
    expect(withdrawn.map((c) => [c.rule, show(c.start)])).toEqual([
      ['complaint-undecided', '2026-11-20T00:00:00.000+08:00'],
    ]);
    // Accepted at that instant, recorded then: not decided before it, the red card stays.
    expect(withdrawnBy(got, acceptedC('2026-11-20T00:00:00+08:00'), K)).toEqual([]);
  });

  it('a late acceptance keeps its red card: nothing is withdrawn', () => {
    expect(withdrawnBy(got, acceptedC('2026-11-20T09:00:00+08:00'), ms('2026-11-23T09:30:00+08:00'))).toEqual([]);
  });

  it('an answer recorded late, that occurred on the last day, withdraws the warning and the red card', () => {
    const accepted = foldComplaint('q1', [
      received('2026-11-02T10:00:00+08:00'),
      acceptedC('2026-11-02T11:00:00+08:00'),
    ]);
    // 15 working days after Monday 11-02: due at the end of Monday 11-23; the warning from day 12 (Wednesday 11-18).
    const withdrawn = withdrawnBy(accepted, answeredC('2026-11-17T16:00:00+08:00'), ms('2026-11-25T10:00:00+08:00'));
    expect(withdrawn.map((c) => [c.rule, show(c.start)])).toEqual([
      ['complaint-answer-warning', '2026-11-18T00:00:00.000+08:00'],
      ['complaint-overdue', '2026-11-24T00:00:00.000+08:00'],
    ]);
  });

  it("an answer recorded late, that occurred after the warning began and before the due instant, moves the warning's shown clearing", () => {
    const accepted = foldComplaint('q1', [
      received('2026-11-02T10:00:00+08:00'),
      acceptedC('2026-11-02T11:00:00+08:00'),
    ]);
    // Warning from Wednesday 11-18, red from 11-24 00:00 (which the board showed clearing the warning);
    // the answer of Thursday 11-19, recorded 11-25: the red card goes, the warning stays, cleared at 11-19.
    const K = ms('2026-11-25T10:00:00+08:00');
    const { shown, kept } = shownAround(accepted, answeredC('2026-11-19T16:00:00+08:00'), K);
    expect(cardsWithdrawn(shown, kept).map((c) => c.rule)).toEqual(['complaint-overdue']);
    expect(
      clearingsChanged(shown, kept, K).map((c) => [
        c.before.rule,
        show(c.before.start),
        show(c.before.clear!),
        show(c.after.clear!),
      ]),
    ).toEqual([
      [
        'complaint-answer-warning',
        '2026-11-18T00:00:00.000+08:00',
        '2026-11-24T00:00:00.000+08:00',
        '2026-11-19T16:00:00.000+08:00',
      ],
    ]);
    // Recorded before the red card began (11-23), the clearing was still ahead: nothing was shown cleared.
    const early = ms('2026-11-23T10:00:00+08:00');
    const before = shownAround(accepted, answeredC('2026-11-19T16:00:00+08:00'), early);
    expect(clearingsChanged(before.shown, before.kept, early)).toEqual([]);
  });

  it("a red card's clear (when it left the board) is no clearing on record: never a changed clearing", () => {
    const red: ComplaintCard = { rule: 'complaint-undecided', color: 'red', start: ms('2026-11-20T00:00:00+08:00') };
    const left = { ...red, clear: ms('2026-11-21T09:00:00+08:00') };
    const K = ms('2026-11-23T10:00:00+08:00');
    expect(clearingsChanged([left], [red], K)).toEqual([]);
    expect(clearingsChanged([left], [{ ...red, clear: ms('2026-11-22T09:00:00+08:00') }], K)).toEqual([]);
  });
});
