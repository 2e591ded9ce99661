/**
 * A complaint's cards the record withdrew (SPEC §3 and §8): the case rules of
 * ../withdrawnCards.ts for the complaint clocks. `cardsWithdrawn`,
 * `clearingsChanged` and `putsBack` compare complaint cards as they are (a
 * complaint card has no subject: rule and start name it, one card of each rule
 * at most); this module says which cards a complaint showed at an instant.
 *
 * A write recorded at K — a decision or an answer recorded after the fact, or
 * a calendar correction — withdraws a card shown at K (started at or before
 * K: the board shows a card from its start, `isComplaintCardInForce`), as the
 * record held it just before the write, when the record after it no longer
 * holds a card of that rule starting then. The answer warning, the one yellow
 * card, clears at the answer or when the red card starts: an answer recorded
 * after the due instant that occurred between the warning's start and it moves
 * the clearing the board showed (a changed clearing, beside the red card it
 * withdraws), and so does a calendar correction that moves the due day but not
 * the warning's.
 * Every complaint card starts at the start of a local day, and an event that
 * occurred at t can only remove a card that starts after t, or move a
 * clearing to t (each rule holds at its start unless the work was done before
 * it), so the case's `mayWithdrawCards` test applies as it is (a law in
 * withdrawnCards.test.ts).
 *
 * Events recorded after K never count here: every rule of a card started by
 * K asks only whether the work was done before the card's start, and a
 * clearing by K only whether it was done by K, which an event occurring after
 * K cannot change. So the state with all its events gives the cards shown at
 * K, and their clearings by K.
 *
 * Pure: states in, cards out.
 */
import type { TimingCalendar } from '../calendar/work-calendar.js';
import type { Policy } from '../policy.js';
import type { EpochMs } from '../types.js';
import type { ComplaintState } from './evolve.js';
import { complaintTimelineOf, type ComplaintCard } from './timeline.js';
import { hasStarted } from '../cardStarted.js';

/** The cards of `state` shown at `at` (started at or before it), under `policy` and `calendar` (none before receipt). */
export function complaintCardsShownAt(
  state: ComplaintState,
  at: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
): readonly ComplaintCard[] {
  const tl = complaintTimelineOf(state, at, policy, calendar);
  if (tl === null) return [];
  return tl.cards.filter((c) => hasStarted(c, at));
}
