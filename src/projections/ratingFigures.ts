/**
 * The 好差评 figures of SPEC §8 for one set of cases over a period [from, to),
 * added case by case beside the §5 figures (stats.ts):
 * - `rated`, `satisfied` (score 4–5), `badRatings` (≤ 2) and `byScore`: ratings
 *   given in the period (flow, by the rating's instant); `satisfactionRate` =
 *   satisfied / rated;
 * - `ratedShare` = of the cases completed in the period, the share rated by
 *   `to` (`ratedOfCompleted` / `completedInPeriod`): a rating comes after its
 *   completion, so counting the same cases on both sides keeps it in [0, 1]
 *   (ratings in the period / completions in the period could exceed 1);
 * - `followUpsDue`: 差评 whose follow-up fell due in the period (the end of its
 *   due day lies in (from, to]); `followedUpOnTime` of those, followed up before
 *   it; `followedUpOnTimeRate` = followedUpOnTime / followUpsDue; `followedUp`:
 *   follow-ups recorded in the period.
 */
import { BAD_RATING_MAX_SCORE, RATING_SCORES, SATISFIED_MIN_SCORE } from '../domain/lists.js';
import type { EpochMs } from '../domain/types.js';
import type { CaseEntry } from './caseEntry.js';
import { rate } from './stats.js';
import { ratio, withExact } from './exactFigures.js';

export interface RatingFigures {
  readonly rated: number;
  readonly byScore: Readonly<Record<'1' | '2' | '3' | '4' | '5', number>>;
  readonly satisfied: number;
  /** Ratings of 4–5 / rated. */
  readonly satisfactionRate: number | null;
  /** Ratings ≤ 2 (差评) given in the period. */
  readonly badRatings: number;
  readonly completedInPeriod: number;
  /** Of the cases completed in the period, those rated by `to`. */
  readonly ratedOfCompleted: number;
  /** ratedOfCompleted / completedInPeriod. */
  readonly ratedShare: number | null;
  readonly followUpsDue: number;
  readonly followedUpOnTime: number;
  /** followedUpOnTime / followUpsDue. */
  readonly followedUpOnTimeRate: number | null;
  /** RatingFollowedUp events in the period. */
  readonly followedUp: number;
}

export class RatingAccumulator implements RatingCounts {
  rated = 0;
  readonly byScore = RATING_SCORES.map(() => 0);
  completedInPeriod = 0;
  ratedOfCompleted = 0;
  followUpsDue = 0;
  followedUpOnTime = 0;
  followedUp = 0;

  /** `clockMs`: the instant the figures are computed at; a follow-up due after it has not fallen due (Accumulator). */
  constructor(private readonly clockMs: EpochMs = Number.POSITIVE_INFINITY) {}

  add(e: CaseEntry, fromMs: number, toMs: number): void {
    const s = e.state;
    const completedAt = s.completedAt;
    if (completedAt === undefined) return; // a rating follows completion
    const r = s.rating;
    if (completedAt >= fromMs && completedAt < toMs) {
      this.completedInPeriod++;
      if (r !== undefined && r.at < toMs) this.ratedOfCompleted++;
    }
    if (r === undefined) return;
    if (r.at >= fromMs && r.at < toMs) {
      this.rated++;
      this.byScore[r.score - 1]! += 1;
    }
    const followedUpAt = r.followUp?.at;
    if (followedUpAt !== undefined && followedUpAt >= fromMs && followedUpAt < toMs) this.followedUp++;
    const due = e.followUpDue; // NaN unless a 差评: the comparisons are false
    if (due > fromMs && due <= Math.min(toMs, this.clockMs)) {
      this.followUpsDue++;
      if (followedUpAt !== undefined && followedUpAt < due) this.followedUpOnTime++;
    }
  }

  result(): RatingFigures {
    return ratingFiguresOf(this);
  }

  /** Anything rated, due or followed up in the period (a group shown for its ratings alone). */
  any(): boolean {
    return this.rated + this.followUpsDue + this.followedUp > 0;
  }
}

/** The counts the rating figures are figured from: an accumulator's, or partitions' summed (partitionStats.ts). */
export interface RatingCounts {
  readonly rated: number;
  /** Ratings in the period by score, index score − 1. */
  readonly byScore: readonly number[];
  readonly completedInPeriod: number;
  readonly ratedOfCompleted: number;
  readonly followUpsDue: number;
  readonly followedUpOnTime: number;
  readonly followedUp: number;
}

/** The rating figures from their counts: satisfied, 差评 and every rate are defined here alone. */
export function ratingFiguresOf(c: RatingCounts): RatingFigures {
  const satisfied = c.byScore.slice(SATISFIED_MIN_SCORE - 1).reduce((a, b) => a + b, 0);
  const badRatings = c.byScore.slice(0, BAD_RATING_MAX_SCORE).reduce((a, b) => a + b, 0);
  const [one = 0, two = 0, three = 0, four = 0, five = 0] = c.byScore;
  // Kept unrounded for growth (exactFigures.ts).
  const exact = {
    satisfactionRate: ratio(satisfied, c.rated),
    ratedShare: ratio(c.ratedOfCompleted, c.completedInPeriod),
    followedUpOnTimeRate: ratio(c.followedUpOnTime, c.followUpsDue),
  };
  return withExact(
    {
      rated: c.rated,
      byScore: { '1': one, '2': two, '3': three, '4': four, '5': five },
      satisfied,
      satisfactionRate: rate(satisfied, c.rated),
      badRatings,
      completedInPeriod: c.completedInPeriod,
      ratedOfCompleted: c.ratedOfCompleted,
      ratedShare: rate(c.ratedOfCompleted, c.completedInPeriod),
      followUpsDue: c.followUpsDue,
      followedUpOnTime: c.followedUpOnTime,
      followedUpOnTimeRate: rate(c.followedUpOnTime, c.followUpsDue),
      followedUp: c.followedUp,
    },
    exact,
  );
}
