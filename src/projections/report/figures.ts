/**
 * The report's figures in one pass over the cases: the month (in total and by
 * department, center and category), the same month a year earlier, the month
 * before, the latest instant with data and the policy versions in play. The
 * figures are those of `computeStats` (same accumulator, same groups); one pass
 * instead of one per table keeps a district month within its latency budget.
 */
import type { CaseState, EpochMs } from '../../domain/types.js';
import type { CaseEntry } from '../caseEntry.js';
import { Accumulator, groupKey, groupsOf, type KpiSet, type ResolvedPeriod, type StatsGroup } from '../stats.js';
import type { StatsGroupBy } from '../types.js';

export interface MonthPeriods {
  readonly current: ResolvedPeriod;
  readonly previousYear: ResolvedPeriod;
  readonly previousMonth: ResolvedPeriod;
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
}

const TABLES: readonly StatsGroupBy[] = ['department', 'center', 'category'];

type Groups = Map<string, { acc: Accumulator }>;

export function monthFigures(
  entries: Iterable<CaseEntry>,
  periods: MonthPeriods,
  centerId: string | undefined,
  versionOf: (state: CaseState) => string,
): MonthFigures {
  const { current, previousYear, previousMonth } = periods;
  const total = new Accumulator();
  const year = new Accumulator();
  const month = new Accumulator();
  const tables: Groups[] = TABLES.map(() => new Map());
  const versions = new Set<string>();
  let latest = Number.NEGATIVE_INFINITY;
  for (const e of entries) {
    const s = e.state;
    const a = s.accepted;
    if (a === undefined || s.acceptedAt === undefined) continue;
    if (centerId !== undefined && a.centerId !== centerId) continue;
    const { acceptedAt, completedAt } = s;
    latest = Math.max(latest, acceptedAt, completedAt ?? acceptedAt);
    year.add(e, previousYear.fromMs, previousYear.toMs);
    month.add(e, previousMonth.fromMs, previousMonth.toMs);
    if (openIn(acceptedAt, completedAt, current) || openIn(acceptedAt, completedAt, previousYear)) {
      versions.add(versionOf(s));
    }
    if (acceptedAt >= current.toMs || doneBefore(e, current.fromMs)) continue; // nothing of it in the month
    total.add(e, current.fromMs, current.toMs);
    TABLES.forEach((by, i) => {
      const key = groupKey(e, by);
      const table = tables[i]!;
      let g = table.get(key);
      if (g === undefined) {
        g = { acc: new Accumulator() };
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
  };
}

const openIn = (acceptedAt: EpochMs, completedAt: EpochMs | undefined, p: ResolvedPeriod): boolean =>
  acceptedAt < p.toMs && (completedAt === undefined || completedAt >= p.fromMs);

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
