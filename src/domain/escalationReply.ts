/**
 * Where an escalation's reply (回告) stands at an instant (SPEC §3 `escalation-unanswered`): the one home
 * of the rule the case read, the case page and `/stats` (escalationsDue, answeredOnTimeRate) all apply.
 * A reply falls due only while the case is open: a case completed before the respond-by instant owes
 * none, so that escalation is neither missed nor on time, and no card starts.
 */
import type { ReplyStatus } from './lists.js';
import type { EpochMs } from './types.js';

/** Whether a reply to an escalation responding by `respondBy` falls due at all for a case completed at `completedAt`. */
export const replyFallsDue = (respondBy: EpochMs, completedAt: EpochMs | undefined): boolean =>
  completedAt === undefined || completedAt >= respondBy;

/** A reply before the respond-by instant (the end of the respond-by day) is on time. */
export const answeredOnTime = (answeredAt: EpochMs, respondBy: EpochMs): boolean => answeredAt < respondBy;

/**
 * At `at`, of a case whose state at `at` says `answeredAt` and `completedAt` (each as of `at`): on time
 * or late once answered; else not due when the case was completed first; else missing from the
 * respond-by instant on (when the card starts), pending before it.
 */
export function replyStatus(
  respondBy: EpochMs,
  answeredAt: EpochMs | undefined,
  completedAt: EpochMs | undefined,
  at: EpochMs,
): ReplyStatus {
  if (answeredAt !== undefined) return answeredOnTime(answeredAt, respondBy) ? 'on-time' : 'late';
  if (!replyFallsDue(respondBy, completedAt)) return 'not-due';
  return at >= respondBy ? 'missing' : 'pending';
}
