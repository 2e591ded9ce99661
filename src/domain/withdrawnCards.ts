/**
 * Cards the record withdrew (SPEC §3: cards are the permanent record of every
 * alert ever raised). A write recorded at K can change what the record says
 * about a card that had started by K in two ways only: events that occurred
 * before K (a 停止计时 recorded after the fact, a completion or a reply
 * recorded late), or a calendar correction. A card shown at K — started at or
 * before K, as the record held it just before the write — that the record
 * after the write no longer holds with the same rule, subject and start is
 * withdrawn at K. The board said it; an auditor must still be able to read
 * that it did. "Started at or before": the board, the card register and the
 * stream show a card from its start instant on (evaluate, isInForce), so a
 * red card that started at the very millisecond of the write was shown.
 *
 * A yellow card's clearing is part of what the board said too: a card the
 * record at K still holds whose clearing had happened by K (the board showed
 * it cleared) and that the write moved or erased is a changed clearing
 * (`clearingsChanged`); one still ahead at K was never shown. And a card (or a
 * clearing) withdrawn and later held again as it was is put back
 * (`putsBack`): the register says so rather than calling a card in force
 * withdrawn.
 *
 * The comparisons (`cardsWithdrawn`, `clearingsChanged`, `putsBack`) are the
 * complaints' too (complaints/withdrawnCards.ts): a complaint card is a card
 * with no subject, and a red complaint card's `clear` (when it leaves the
 * board) is not a clearing on record (`recordedClear`).
 *
 * Pure: timelines in, cards out.
 */
import type { TimingCalendar } from './calendar/work-calendar.js';
import { recordedClear } from './complaints/timeline.js';
import { stateAsOf } from './state-as-of.js';
import { timelineOf, type RawCard } from './timeline.js';
import type { Policy } from './policy.js';
import type { CaseState, EpochMs } from './types.js';
import { hasStarted } from './cardStarted.js';

/**
 * A card as these rules compare it: a case's (`RawCard`) or a complaint's (`ComplaintCard`, whose
 * only subject is a late record's index: one card of each other rule at most).
 */
export type ShownCard = Omit<RawCard, 'rule'> & { readonly rule: string };

/** The same card: rule, subject (pause, escalation, late record) and start. */
export function sameCard(a: ShownCard, b: ShownCard): boolean {
  return (
    a.rule === b.rule &&
    a.start === b.start &&
    a.pauseId === b.pauseId &&
    a.escalation === b.escalation &&
    a.lateRecord === b.lateRecord
  );
}

/**
 * The cards of `state` shown at `at`: started at or before it, as the record holds them at `at`
 * (none before acceptance). Compared before and after a write at `at`, a card that the write
 * itself starts at `at` (its own late record) is only in the second: never withdrawn.
 */
export function cardsShownAt(
  state: CaseState,
  at: EpochMs,
  policy: Policy,
  calendar: TimingCalendar,
): readonly RawCard[] {
  const tl = timelineOf(stateAsOf(state, at), at, policy, calendar);
  if (tl === null) return [];
  return tl.cards.filter((c) => hasStarted(c, at));
}

/** A key equal for two cards exactly when `sameCard` holds. */
const cardKey = (c: ShownCard): string =>
  JSON.stringify([c.rule, c.start, c.pauseId ?? null, c.escalation ?? null, c.lateRecord ?? null]);

/** `cards` by `cardKey` (the first of equal ones): one lookup a card, not a scan (a case may hold thousands). */
function byCard<C extends ShownCard>(cards: readonly C[]): ReadonlyMap<string, C> {
  const out = new Map<string, C>();
  for (const c of cards) if (!out.has(cardKey(c))) out.set(cardKey(c), c);
  return out;
}

/** The cards of `before` that `after` no longer holds (both as returned by `cardsShownAt` at one instant). */
export function cardsWithdrawn<C extends ShownCard>(before: readonly C[], after: readonly C[]): C[] {
  const held = byCard(after);
  return before.filter((b) => !held.has(cardKey(b)));
}

/** A card both sides hold whose clearing, already past at the write's instant, the write moved or erased. */
export interface ClearingChange<C extends ShownCard = RawCard> {
  /** As the record held it before the write (its `clear` at or before the write's instant). */
  readonly before: C;
  /** As the record holds it after the write (`clear` absent or later than the instant: not cleared then). */
  readonly after: C;
}

/**
 * The cards of `before` that `after` still holds (same rule, subject and start) with another
 * clearing, when the one of `before` had happened by `at` (both as returned by
 * `cardsShownAt` at `at`). A clearing still ahead at `at` was never shown as cleared, and a
 * red card is never cleared on record (`recordedClear`: a red complaint card's `clear` is when it
 * left the board, not a clearing; a case's red cards have none).
 */
export function clearingsChanged<C extends ShownCard>(
  before: readonly C[],
  after: readonly C[],
  at: EpochMs,
): ClearingChange<C>[] {
  const out: ClearingChange<C>[] = [];
  const held = byCard(after);
  for (const b of before) {
    if (recordedClear(b, at) === undefined) continue;
    const a = held.get(cardKey(b));
    if (a !== undefined && a.clear !== b.clear) out.push({ before: b, after: a });
  }
  return out;
}

/**
 * Whether a write that turned `before` into `after` (both as `cardsShownAt` at its instant)
 * puts back `gone`, a card an earlier write withdrew as it was shown then: `after` holds the same
 * card and `before` did not. For a changed clearing (`clearing`), the card is held with the
 * clearing `gone` had, which `before` did not give it.
 */
export function putsBack<C extends ShownCard>(
  before: readonly C[],
  after: readonly C[],
  gone: C,
  clearing: boolean,
): boolean {
  const now = after.find((c) => sameCard(c, gone));
  if (now === undefined) return false;
  const was = before.find((c) => sameCard(c, gone));
  if (!clearing) return was === undefined;
  return now.clear === gone.clear && was?.clear !== gone.clear;
}

/** The start of `recordedAt`'s local day: what `mayWithdrawCards` compares with (one per write). */
export function withdrawalHorizon(recordedAt: EpochMs, calendar: TimingCalendar): EpochMs {
  return calendar.startOfDay(calendar.dayOf(recordedAt));
}

/**
 * Whether events that occurred from `occurredAt` on, recorded at `recordedAt`,
 * can withdraw a card: only a card started in (occurredAt, recordedAt] can be
 * (an event at t leaves a card that starts at t: each rule holds at its start
 * unless the work was done before it), and every card that a later event can
 * remove starts at the start of a local day (a counted day's start, the end of
 * a deadline, reply or follow-up day), so one must lie in that span: the
 * recording day's start (`horizon`), or an earlier one. A late-record card
 * starts at its event's recording and is never removed. False is a promise (a
 * law in withdrawnCards.test.ts); true only asks for the comparison.
 */
export function mayWithdrawCards(occurredAt: EpochMs, recordedAt: EpochMs, horizon: EpochMs): boolean {
  return occurredAt < recordedAt && occurredAt <= horizon;
}
