/**
 * The report's figures in one pass over the cases: the month (in total and by
 * department, center and category), the same month a year earlier, the month
 * before, the latest instant with data and the policy versions in play. The
 * figures are those of `computeStats` (same accumulator, same groups); one pass
 * instead of one per table keeps a district month within its latency budget.
 */
import type { CaseState, EpochMs } from '../../domain/types.js';
import { inCenterSet, type CenterSet } from '../../domain/directory.js';
import type { CaseEntry } from '../caseEntry.js';
import {
  Accumulator,
  groupKey,
  groupsOf,
  openDuring,
  type KpiSet,
  type ResolvedPeriod,
  type StatsGroup,
} from '../stats.js';
import type { StatsGroupBy } from '../types.js';
import { RatingAccumulator } from '../ratingFigures.js';
import type { RatingMonths } from './feedback.js';
import { caseActivity } from './latestActivity.js';

/** A compared month; in a month still running, `asOf` is the same instant of its day (what had fallen due by then). */
export type ComparedInstants = ResolvedPeriod & { readonly asOf?: EpochMs };

export interface MonthPeriods {
  readonly current: ResolvedPeriod;
  readonly previousYear: ComparedInstants;
  readonly previousMonth: ComparedInstants;
}

export interface MonthFigures {
  readonly current: KpiSet;
  readonly byDepartment: StatsGroup[];
  readonly byCenter: StatsGroup[];
  readonly byCategory: StatsGroup[];
  readonly previousYear: KpiSet;
  readonly previousMonth: KpiSet;
  /** The latest acceptance or completion, −∞ when there is none. */
  readonly latestActivity: EpochMs;
  /** Distinct policy versions of the cases open at some time in the month or the same month a year earlier. */
  readonly policyVersions: string[];
  /** 好差评 of the three months, and of this month by department. */
  readonly ratings: RatingMonths;
}

const TABLES: readonly StatsGroupBy[] = ['department', 'center', 'category'];

type Groups = Map<string, { acc: Accumulator }>;

export function monthFigures(
  entries: Iterable<CaseEntry>,
  periods: MonthPeriods,
  centers: CenterSet,
  versionOf: (state: CaseState) => string,
  asOf: EpochMs,
): MonthFigures {
  const { current, previousYear, previousMonth } = periods;
  const total = new Accumulator(asOf);
  const year = new Accumulator(previousYear.asOf ?? asOf);
  const month = new Accumulator(previousMonth.asOf ?? asOf);
  const tables: Groups[] = TABLES.map(() => new Map());
  const ratings = {
    current: new RatingAccumulator(asOf),
    previousYear: new RatingAccumulator(previousYear.asOf ?? asOf),
    previousMonth: new RatingAccumulator(previousMonth.asOf ?? asOf),
    byDepartment: new Map<string, RatingAccumulator>(),
  };
  const versions = new Set<string>();
  let latest = Number.NEGATIVE_INFINITY;
  for (const e of entries) {
    const s = e.state;
    const a = s.accepted;
    if (a === undefined || s.acceptedAt === undefined) continue;
    if (!inCenterSet(centers, a.centerId)) continue;
    const { acceptedAt } = s;
    latest = Math.max(latest, caseActivity(s, centers));
    year.add(e, previousYear.fromMs, previousYear.toMs);
    month.add(e, previousMonth.fromMs, previousMonth.toMs);
    ratings.previousYear.add(e, previousYear.fromMs, previousYear.toMs);
    ratings.previousMonth.add(e, previousMonth.fromMs, previousMonth.toMs);
    // Before the skip below: a case completed before the month may be rated, or followed up, in it.
    if (mayRateIn(e, current.fromMs)) {
      ratings.current.add(e, current.fromMs, current.toMs);
      let d = ratings.byDepartment.get(a.departmentId);
      if (d === undefined) ratings.byDepartment.set(a.departmentId, (d = new RatingAccumulator(asOf)));
      d.add(e, current.fromMs, current.toMs);
    }
    if (openDuring(s, current.fromMs, current.toMs) || openDuring(s, previousYear.fromMs, previousYear.toMs)) {
      versions.add(versionOf(s));
    }
    if (acceptedAt >= current.toMs || doneBefore(e, current.fromMs)) continue; // nothing of it in the month
    total.add(e, current.fromMs, current.toMs);
    TABLES.forEach((by, i) => {
      const key = groupKey(e, by);
      const table = tables[i]!;
      let g = table.get(key);
      if (g === undefined) {
        g = { acc: new Accumulator(asOf) };
        table.set(key, g);
      }
      g.acc.add(e, current.fromMs, current.toMs);
    });
  }
  const [byDepartment, byCenter, byCategory] = tables.map(groupsOf) as [StatsGroup[], StatsGroup[], StatsGroup[]];
  return {
    current: total.result(),
    byDepartment,
    byCenter,
    byCategory,
    previousYear: year.result(),
    previousMonth: month.result(),
    latestActivity: latest,
    policyVersions: [...versions].sort(),
    ratings,
  };
}

/** Whether anything of the case's rating can fall on or after `fromMs` (else it adds nothing to a month starting then). */
const mayRateIn = (e: CaseEntry, fromMs: EpochMs): boolean => {
  const { completedAt, rating } = e.state;
  if (completedAt === undefined) return false;
  if (completedAt >= fromMs || e.followUpDue > fromMs) return true; // followUpDue: NaN (false) unless a 差评
  return rating !== undefined && (rating.at >= fromMs || (rating.followUp?.at ?? fromMs - 1) >= fromMs);
};

/**
 * Completed before `fromMs` with no card, escalation or extension: a case that
 * cannot count in a period starting then (a card may start after completion,
 * e.g. a late record, so cases with cards are always looked at).
 */
const doneBefore = (e: CaseEntry, fromMs: EpochMs): boolean =>
  e.state.completedAt !== undefined &&
  e.state.completedAt < fromMs &&
  e.cards === undefined &&
  e.state.escalations.length === 0 &&
  e.state.extensions.length === 0;
