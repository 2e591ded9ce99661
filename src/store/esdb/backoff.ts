/** Exponential backoff for resubscribing after a dropped subscription. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 10_000, factor: 2 };

/** Delay before retry number `attempt` (0-based): initial × factor^attempt, capped at max. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError('attempt must be an integer >= 0');
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.min(attempt, 64));
}
