/**
 * A complaint's cards the record withdrew (SPEC §3 and §8): the case rule of
 * ../withdrawnCards.ts for the complaint clocks. A write recorded at K — a
 * decision or an answer recorded after the fact, or a calendar correction —
 * withdraws a card that had started before K, as the record held it just
 * before K, when the record at K no longer holds a card of that rule starting
 * then. Every complaint card starts at the start of a local day, and an event
 * that occurred at t can only remove a card that starts at or after t (each
 * rule holds at its start unless the work was done before it), so the case's
 * `mayWithdrawCards` test applies as it is (a law in withdrawnCards.test.ts).
 *
 * Events recorded after K never count here: every rule of a card started
 * before K asks only whether the work was done before the card's start, which
 * an event occurring after K cannot change. So the state with all its events
 * gives the cards shown before K.
 *
 * Pure: states in, cards out.
 */
import type { TimingCalendar } from '../calendar/work-calendar.js';
import type { Policy } from '../policy.js';
import type { EpochMs } from '../types.js';
import type { ComplaintState } from './evolve.js';
import { complaintTimelineOf, type ComplaintCard } from './timeline.js';

/** The same card: rule and start (a complaint has one card of each rule at most). */
export function sameComplaintCard(a: ComplaintCard, b: ComplaintCard): boolean {
  return a.rule === b.rule && a.start === b.start;
}

/** The cards of `state` that had started before `at`, under `policy` and `calendar` (none before receipt). */
export function complaintCardsShownBefore(
  state: ComplaintState,
  at: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
): readonly ComplaintCard[] {
  const tl = complaintTimelineOf(state, at, policy, calendar);
  if (tl === null) return [];
  return tl.cards.filter((c) => c.start < at);
}

/** The cards of `before` that `after` no longer holds (both as `complaintCardsShownBefore` gives them at one instant). */
export function complaintCardsWithdrawn(
  before: readonly ComplaintCard[],
  after: readonly ComplaintCard[],
): ComplaintCard[] {
  return before.filter((b) => !after.some((a) => sameComplaintCard(a, b)));
}
