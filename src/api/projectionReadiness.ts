/**
 * When the projections make the engine not ready after its start (operations review): reads
 * served from read models that no longer follow the store answer 404 for recorded cases and show
 * alerts that have cleared, so a balancer should send them elsewhere.
 *
 * A failed subscription counts at once: the loop retries every second, so a drop that heals
 * clears within one probe, and on a quiet store no lag would ever show it. Being behind counts
 * only past MAX_BEHIND_SECONDS: under load the fold is a few events behind at most instants and
 * reaches each head it is shown within milliseconds; the longest normal stretch (a calendar
 * publication re-evaluating every open case, a 1000-event batch, a collection pause) is seconds.
 * A minute is far above that and still well inside the SupervisionProjectionStalled alert's 5.
 */
import type { ProjectionStatus } from '../projections/types.js';

export const MAX_BEHIND_SECONDS = 60;

/** Reasons in words (fixed text, no case id: /readyz is open); none when the projections are fine. */
export function projectionNotReady(status: ProjectionStatus): string[] {
  const reasons: string[] = [];
  if (!status.following)
    reasons.push('the projections lost their subscription to the store and are retrying: reads are stale');
  if (status.behindSeconds > MAX_BEHIND_SECONDS)
    reasons.push(
      `the projections have been behind the store for ${status.behindSeconds} s (${status.lagEvents} events): reads are stale`,
    );
  return reasons;
}
