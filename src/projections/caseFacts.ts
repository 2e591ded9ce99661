/**
 * The figures statistics read from a case's last evaluation (flags, used days,
 * the cards issued as a flat number list), and the first sighting of each
 * card for the `cardIssued` counter.
 */
import type { CaseState, RawCard, Timeline, WorkCalendar } from '../domain/index.js';
import {
  FLAG_EARLY,
  FLAG_EVALUATED,
  FLAG_ON_TIME,
  FLAG_SAME_DAY,
  RULE_INDEX,
  cardCode,
  type CardList,
  type CaseEntry,
} from './caseEntry.js';

/**
 * Store on `entry` the figures of timeline `tl` of state `s`; `onNewCard` hears
 * of each card issued by `tl.asOf` that the previous evaluation did not have.
 */
export function recordFacts(
  entry: CaseEntry,
  s: CaseState,
  tl: Timeline,
  calendar: WorkCalendar,
  onNewCard?: (card: RawCard) => void,
): void {
  let flags = FLAG_EVALUATED;
  if (tl.onTime === true) flags |= FLAG_ON_TIME;
  if (tl.early === true) flags |= FLAG_EARLY;
  if (s.completedAt !== undefined && calendar.dayOf(s.completedAt) === tl.acceptedDay) flags |= FLAG_SAME_DAY;
  entry.flags = flags;
  entry.usedDays = s.completedAt !== undefined ? tl.usedDays : -1;
  entry.deadlineAt = tl.dueAt;
  let cards: CardList | undefined;
  const previous = entry.cards;
  for (const c of tl.cards) {
    if (c.start > tl.asOf) continue;
    const code = cardCode(RULE_INDEX.get(c.rule) ?? 0, cardOrdinal(c, s));
    (cards ??= []).push(c.start, code);
    if (onNewCard !== undefined && !hasCode(previous, code)) onNewCard(c);
  }
  entry.cards = cards;
  entry.respondBy = tl.escalations.length === 0 ? undefined : tl.escalations.map((e) => e.respondBy);
  entry.followUpDue = tl.rating?.followUpDue ?? Number.NaN;
}

/** Which pause / escalation / late record a card is about (0 for case-wide rules). */
function cardOrdinal(c: RawCard, s: CaseState): number {
  if (c.pauseId !== undefined)
    return Math.max(
      0,
      s.pauses.findIndex((p) => p.pauseId === c.pauseId),
    );
  return c.escalation ?? c.lateRecord ?? 0;
}

function hasCode(cards: CardList | undefined, code: number): boolean {
  if (cards === undefined) return false;
  for (let i = 1; i < cards.length; i += 2) if (cards[i] === code) return true;
  return false;
}
