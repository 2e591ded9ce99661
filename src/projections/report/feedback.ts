/**
 * The report's two sections on what the public says (SPEC §8): complaints
 * (效能投诉) and ratings (好差评), each the month's figures beside the same
 * month a year earlier (同比) and the month before (环比) with their growth
 * (percent change for counts, percentage points for rates, as for the KPIs),
 * and a per-department table with the directory's names: substantiated
 * complaints, and satisfaction (满意率) with the 差评 follow-ups. The figures
 * are those of /stats (complaintStats.ts, ratingFigures.ts).
 */
import { inCenterSet, type CenterSet } from '../../domain/directory.js';
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import type { EpochMs } from '../../domain/types.js';
import {
  ComplaintAccumulator,
  COUNTING_NOTHING,
  countingOf,
  type ComplaintFigures,
  type ComplaintSource,
} from '../complaints/complaintStats.js';
import type { RatingAccumulator, RatingFigures } from '../ratingFigures.js';
import type { ResolvedPeriod } from '../stats.js';
import { figureGrowth, type FigureGrowthSpec, type Growth } from './growth.js';
import type { ReportNames } from './tables.js';

/** The complaint figures the report compares, and how each grows. */
export const COMPLAINT_HEADLINES = [
  ['received', 'percent'],
  ['accepted', 'percent'],
  ['rejected', 'percent'],
  ['answered', 'percent'],
  ['closed', 'percent'],
  ['closedOfAccepted', 'percent'],
  ['closedRate', 'points'],
  ['answeredOnTimeRate', 'points'],
  ['satisfactionRate', 'points'],
] as const satisfies FigureGrowthSpec<keyof ComplaintFigures>;

/** The rating figures the report compares, and how each grows. */
export const RATING_HEADLINES = [
  ['rated', 'percent'],
  ['satisfactionRate', 'points'],
  ['badRatings', 'percent'],
  ['ratedShare', 'points'],
  ['followUpsDue', 'percent'],
  ['followedUpOnTimeRate', 'points'],
] as const satisfies FigureGrowthSpec<keyof RatingFigures>;

export type ComplaintHeadline = (typeof COMPLAINT_HEADLINES)[number][0];
export type RatingHeadline = (typeof RATING_HEADLINES)[number][0];

/** Which month a compared column is. */
export interface MonthLabel {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  /** In a month still running: the last day compared (report.ts `sameDays`). */
  readonly through?: string;
}

export interface ComparedFigures<F, K extends string> extends MonthLabel {
  readonly figures: F;
  /** From that month to this one: percent change for counts, percentage points for rates. */
  readonly growth: Readonly<Record<K, Growth>>;
}

interface Named {
  readonly departmentId: string;
  /** The directory's name; absent for an id not in it (and for '', no department in charge). */
  readonly name?: string;
  readonly registered: boolean;
}

export interface ComplaintDepartmentRow extends Named {
  readonly substantiated: number;
  readonly partly: number;
}

export interface RatingDepartmentRow extends Named {
  readonly rated: number;
  readonly satisfied: number;
  readonly satisfactionRate: number | null;
  readonly badRatings: number;
  readonly completedInPeriod: number;
  readonly ratedShare: number | null;
  readonly followUpsDue: number;
  readonly followedUpOnTime: number;
  readonly followedUpOnTimeRate: number | null;
}

export interface MonthlyComplaints {
  readonly figures: ComplaintFigures;
  readonly previousYear: ComparedFigures<ComplaintFigures, ComplaintHeadline>;
  readonly previousMonth: ComparedFigures<ComplaintFigures, ComplaintHeadline>;
  /** Substantiated (查实) and partly substantiated findings of the month, by the department in charge. */
  readonly departments: readonly ComplaintDepartmentRow[];
}

export interface MonthlyRatings {
  readonly figures: RatingFigures;
  readonly previousYear: ComparedFigures<RatingFigures, RatingHeadline>;
  readonly previousMonth: ComparedFigures<RatingFigures, RatingHeadline>;
  /** Satisfaction per department (各部门满意度): departments rated, or with a 差评 follow-up due, in the month. */
  readonly departments: readonly RatingDepartmentRow[];
}

export interface ComparedPeriods {
  readonly current: ResolvedPeriod;
  /** `asOf`: in a month still running, the same instant of the compared month's day (report/figures.ts). */
  readonly previousYear: ResolvedPeriod & MonthLabel & { readonly asOf?: EpochMs };
  readonly previousMonth: ResolvedPeriod & MonthLabel & { readonly asOf?: EpochMs };
}

const named = (departmentId: string, names: ReportNames): Named => {
  const name = departmentId === '' ? undefined : names.department(departmentId)?.name;
  return name === undefined ? { departmentId, registered: false } : { departmentId, name, registered: true };
};

const label = (p: MonthLabel): MonthLabel => ({
  month: p.month,
  from: p.from,
  to: p.to,
  ...(p.through === undefined ? {} : { through: p.through }),
});

/** The complaints received for the centers counted (all when undefined), over the three months in one pass. */
export function complaintSection(
  source: ComplaintSource | undefined,
  centers: CenterSet,
  periods: ComparedPeriods,
  asOf: EpochMs,
  names: ReportNames,
): MonthlyComplaints {
  const all: Iterable<ComplaintState> = source?.all() ?? [];
  const acc = (p: ResolvedPeriod & { readonly asOf?: EpochMs }) =>
    new ComplaintAccumulator(
      source === undefined ? COUNTING_NOTHING : countingOf(source, p.fromMs, p.toMs, p.asOf ?? asOf),
    );
  const now = acc(periods.current);
  const year = acc(periods.previousYear);
  const month = acc(periods.previousMonth);
  for (const s of all) {
    if (s.received === undefined) continue;
    if (!inCenterSet(centers, s.received.centerId)) continue;
    now.add(s);
    year.add(s);
    month.add(s);
  }
  const figures = now.result();
  const compared = (p: MonthLabel, them: ComplaintFigures) => ({
    ...label(p),
    figures: them,
    growth: figureGrowth(COMPLAINT_HEADLINES, figures, them),
  });
  return {
    figures,
    previousYear: compared(periods.previousYear, year.result()),
    previousMonth: compared(periods.previousMonth, month.result()),
    departments: Object.entries(figures.substantiated).map(([id, f]) => ({ ...named(id, names), ...f })),
  };
}

/**
 * A department is a row of 各部门满意度 when rated or with a 差评 follow-up due in the month. A follow-up
 * recorded alone (due in another month) is no column of the table: it made an all-zero row (session 16).
 */
const hasSatisfactionRow = (acc: RatingAccumulator): boolean => acc.rated + acc.followUpsDue > 0;

export interface RatingMonths {
  readonly current: RatingAccumulator;
  readonly previousYear: RatingAccumulator;
  readonly previousMonth: RatingAccumulator;
  readonly byDepartment: ReadonlyMap<string, RatingAccumulator>;
}

export function ratingSection(r: RatingMonths, periods: ComparedPeriods, names: ReportNames): MonthlyRatings {
  const figures = r.current.result();
  const compared = (p: MonthLabel, them: RatingFigures) => ({
    ...label(p),
    figures: them,
    growth: figureGrowth(RATING_HEADLINES, figures, them),
  });
  const departments = [...r.byDepartment]
    .filter(([, acc]) => hasSatisfactionRow(acc))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, acc]) => {
      const f = acc.result();
      return {
        ...named(id, names),
        rated: f.rated,
        satisfied: f.satisfied,
        satisfactionRate: f.satisfactionRate,
        badRatings: f.badRatings,
        completedInPeriod: f.completedInPeriod,
        ratedShare: f.ratedShare,
        followUpsDue: f.followUpsDue,
        followedUpOnTime: f.followedUpOnTime,
        followedUpOnTimeRate: f.followedUpOnTimeRate,
      };
    });
  return {
    figures,
    previousYear: compared(periods.previousYear, r.previousYear.result()),
    previousMonth: compared(periods.previousMonth, r.previousMonth.result()),
    departments,
  };
}
