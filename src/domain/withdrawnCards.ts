/**
 * Cards the record withdrew (SPEC §3: cards are the permanent record of every
 * alert ever raised). A write recorded at K can change what the record says
 * about a card that had started before K in two ways only: events that
 * occurred before K (a 停止计时 recorded after the fact, a completion or a
 * reply recorded late), or a calendar correction. A card shown before K —
 * started before K, as known just before K — that the record at K no longer
 * holds with the same rule, subject and start is withdrawn at K. The board
 * said it; an auditor must still be able to read that it did.
 *
 * Pure: timelines in, cards out.
 */
import type { TimingCalendar } from './calendar/work-calendar.js';
import { stateAsOf } from './state-as-of.js';
import { timelineOf, type RawCard } from './timeline.js';
import type { Policy } from './policy.js';
import type { CaseState, EpochMs } from './types.js';

/** The same card: rule, subject (pause, escalation, late record) and start. */
export function sameCard(a: RawCard, b: RawCard): boolean {
  return (
    a.rule === b.rule &&
    a.start === b.start &&
    a.pauseId === b.pauseId &&
    a.escalation === b.escalation &&
    a.lateRecord === b.lateRecord
  );
}

/** The cards of `state` that had started before `at`, as the record holds them at `at` (none before acceptance). */
export function cardsShownBefore(
  state: CaseState,
  at: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
): readonly RawCard[] {
  const tl = timelineOf(stateAsOf(state, at), at, policy, calendar);
  if (tl === null) return [];
  return tl.cards.filter((c) => c.start < at);
}

/** The cards of `before` that `after` no longer holds (both as returned by `cardsShownBefore` at one instant). */
export function cardsWithdrawn(before: readonly RawCard[], after: readonly RawCard[]): RawCard[] {
  return before.filter((b) => !after.some((a) => sameCard(a, b)));
}

/** The start of `recordedAt`'s local day: what `mayWithdrawCards` compares with (one per write). */
export function withdrawalHorizon(recordedAt: EpochMs, calendar: TimingCalendar): EpochMs {
  return calendar.startOfDay(calendar.dayOf(recordedAt));
}

/**
 * Whether events that occurred from `occurredAt` on, recorded at `recordedAt`,
 * can withdraw a card: only a card started in [occurredAt, recordedAt) can be,
 * and every card that a later event can remove starts at the start of a local
 * day (a counted day's start, the end of a deadline, reply or follow-up day),
 * so one must lie in that span: the recording day's start (`horizon`), or an
 * earlier one. A late-record card starts at its event's recording and is never
 * removed. False is a promise (a law in withdrawnCards.test.ts); true only asks
 * for the comparison.
 */
export function mayWithdrawCards(occurredAt: EpochMs, recordedAt: EpochMs, horizon: EpochMs): boolean {
  return occurredAt < recordedAt && occurredAt <= horizon;
}
