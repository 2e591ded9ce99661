/**
 * The 差评 follow-up clock of SPEC §3 (`bad-rating-unresolved`): a rating of
 * score ≤ 2 must be followed up (整改回访) by the end of the
 * `badRatingFollowUpDays`-th working day after the rating's date. Ratings touch
 * nothing else of a case's timing: its deadline, on-time and other cards are
 * computed without them.
 */
import type { CaseState, EpochDay, EpochMs } from './types.js';
import type { TimingCalendar } from './calendar/work-calendar.js';
import type { Policy } from './policy.js';
import { isBadScore } from './evolve.js';

export interface RatingFacts {
  readonly ratedAt: EpochMs;
  readonly ratedDay: EpochDay;
  readonly score: number;
  readonly bad: boolean;
  /** For a 差评: the policy's days, the last day and the instant (its 24:00) the follow-up is due. */
  readonly followUpDays?: number;
  readonly followUpDueDay?: EpochDay;
  readonly followUpDue?: EpochMs;
  readonly followedUpAt?: EpochMs;
  /** A 差评 not followed up before `followUpDue` (an event exactly then is not before it): the red card starts then. */
  readonly unresolved: boolean;
}

/** The rating of the state (which holds only events by T), undefined when not rated. */
export function ratingFactsOf(state: CaseState, cal: TimingCalendar, policy: Policy): RatingFacts | undefined {
  const r = state.rating;
  if (r === undefined) return undefined;
  const ratedDay = cal.dayOf(r.at);
  const followedUpAt = r.followUp?.at;
  if (!isBadScore(r.score)) return { ratedAt: r.at, ratedDay, score: r.score, bad: false, unresolved: false };
  const followUpDays = policy.badRatingFollowUpDays;
  const followUpDueDay = cal.nthWorkdayAfter(ratedDay, followUpDays);
  const followUpDue = cal.startOfDay(followUpDueDay + 1);
  return {
    ratedAt: r.at,
    ratedDay,
    score: r.score,
    bad: true,
    followUpDays,
    followUpDueDay,
    followUpDue,
    followedUpAt,
    unresolved: followedUpAt === undefined || followedUpAt >= followUpDue,
  };
}
