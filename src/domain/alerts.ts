/**
 * SPEC §3's alert law: which cards are alerts in force at an instant, why a
 * card was raised (its details), and when an alert stopped being in force.
 * Alerts are the rules in force now for open work; cards are the permanent
 * record. Pure: the read side only diffs what this says against what it
 * published before, and `evaluate` shows the same details on the case's cards.
 */
import type { CardRule, CaseState, EpochMs } from './types.js';
import { lateRecordDetails, pauseFactsOf, retroactivePauseIds, type RawCard, type Timeline } from './timeline.js';
import { hasStarted } from './cardStarted.js';

const NO_CARDS: readonly RawCard[] = [];

/** Details of a card, when there is more to say than its rule and instants. */
export type CardDetails = Readonly<Record<string, unknown>>;

/** Which card an alert is (its rule plus the pause or escalation it is about). */
export interface CardIdentity {
  readonly rule: CardRule;
  readonly pauseId?: string;
  readonly escalation?: number;
}

/**
 * Whether `card` is an alert in force at `at`: it has started and not cleared
 * by `at`, the case is not completed by `at`, and for `overlong-pause` its
 * pause is still open (the red card stays on record after the resume, but the
 * work it flags is over), and for `escalation-unanswered` no reply (回告) has come.
 * A `bad-rating-unresolved` card is about work after completion (a 差评 not
 * followed up, SPEC §3): it is in force until the follow-up, completed or not.
 */
export function isInForce(card: RawCard, s: CaseState, tl: Timeline, at: EpochMs): boolean {
  if (!hasStarted(card, at)) return false;
  if (card.rule === 'bad-rating-unresolved') {
    const followedUpAt = tl.rating?.followedUpAt;
    return followedUpAt === undefined || followedUpAt > at;
  }
  if (s.completedAt !== undefined && s.completedAt <= at) return false;
  if (card.clear !== undefined && card.clear <= at) return false;
  if (card.rule === 'overlong-pause') {
    const endAt = pauseFactsOf(tl, card.pauseId)?.endAt;
    if (endAt !== undefined && endAt <= at) return false;
  }
  if (card.rule === 'escalation-unanswered') {
    const answeredAt = answerOf(tl, card.escalation);
    if (answeredAt !== undefined && answeredAt <= at) return false;
  }
  return true;
}

const answerOf = (tl: Timeline, escalation: number | undefined): EpochMs | undefined =>
  escalation === undefined ? undefined : tl.escalations[escalation]?.answeredAt;

/** The cards of the timeline that are alerts in force at `at`, in the timeline's order. */
export function alertsInForce(s: CaseState, tl: Timeline, at: EpochMs): readonly RawCard[] {
  // After completion only a 差评's follow-up can still be open work.
  if (s.completedAt !== undefined && s.completedAt <= at && tl.rating?.unresolved !== true) return NO_CARDS;
  let out: RawCard[] | undefined;
  for (const c of tl.cards) if (isInForce(c, s, tl, at)) (out ??= []).push(c);
  return out ?? NO_CARDS;
}

/**
 * Why a card was raised, stable for as long as it is in force: the back-dated
 * (retroactive) pauses behind an `overdue` card or a pause card, and the late
 * event behind a `late-record` card. Undefined when there is nothing to add.
 */
export function cardDetails(card: RawCard, s: CaseState, tl: Timeline): CardDetails | undefined {
  if (card.rule === 'overdue') {
    const retro = retroactivePauseIds(tl);
    return retro.length > 0 ? { retroactivePause: retro } : undefined;
  }
  if (card.pauseId !== undefined)
    return pauseFactsOf(tl, card.pauseId)?.retroactive === true ? { retroactivePause: card.pauseId } : undefined;
  if (card.rule === 'late-record' && card.lateRecord !== undefined) return lateRecordDetails(s, tl, card.lateRecord);
  return undefined;
}

/**
 * The instant an alert stopped being in force, seen at `at`: its card's
 * clearing (yellow), else the completion, else the resume of its pause or the
 * reply to its escalation; `at`
 * itself when none of these explains it (a recomputation withdrew it, e.g. a
 * back-dated pause or a calendar correction).
 */
export function alertEndedAt(alert: CardIdentity, s: CaseState, tl: Timeline, at: EpochMs): EpochMs {
  const card = tl.cards.find(
    (c) => c.rule === alert.rule && c.pauseId === alert.pauseId && c.escalation === alert.escalation,
  );
  if (card === undefined) return at;
  if (card.rule === 'bad-rating-unresolved') {
    const followedUpAt = tl.rating?.followedUpAt;
    return followedUpAt !== undefined && followedUpAt <= at ? followedUpAt : at;
  }
  if (card.clear !== undefined && card.clear <= at) return card.clear;
  if (s.completedAt !== undefined && s.completedAt <= at) return s.completedAt;
  const endAt = pauseFactsOf(tl, alert.pauseId)?.endAt ?? answerOf(tl, alert.escalation);
  return endAt !== undefined && endAt <= at ? endAt : at;
}

/**
 * What to say about an alert withdrawn at `at` while the case is still open: the
 * back-dated pauses on the case (the likely reason it was withdrawn).
 */
export function withdrawalDetails(s: CaseState, tl: Timeline, at: EpochMs): { retroactivePause: string[] } | undefined {
  if (s.completedAt !== undefined && s.completedAt <= at) return undefined;
  const retro = retroactivePauseIds(tl);
  return retro.length > 0 ? { retroactivePause: retro } : undefined;
}
