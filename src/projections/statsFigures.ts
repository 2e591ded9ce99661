/** The shapes of the statistics of SPEC §5 (what `/stats` answers); computed in stats.ts. */
import type { CenterScope } from '../domain/directory.js';
import type { CardColor, CardRule, CaseState, EpochDay, EpochMs } from '../domain/types.js';
import { zoneClock } from '../domain/index.js';
import type { StatsGroupBy } from './types.js';
import type { EscalationLevel } from '../domain/events.js';
import type { RatingFigures } from './ratingFigures.js';
import type { ComplaintFigures } from './complaints/complaintStats.js';

export interface CohortFigures {
  readonly accepted: number;
  /** Of the accepted, completed before `to`. */
  readonly completed: number;
  readonly inProgress: number;
  /** 办结率 = completed / accepted. */
  readonly completionRate: number | null;
  /** Completed on their acceptance date. */
  readonly completedSameDay: number;
  /** 现场办结率 = completedSameDay / accepted. */
  readonly instantCompletionRate: number | null;
  readonly instantKind: number;
  /** 即办件率 = kind instant / accepted. */
  readonly instantShare: number | null;
}

export interface CardCount {
  readonly rule: CardRule;
  readonly color: CardColor;
  readonly count: number;
}

export interface FlowFigures {
  readonly completedInPeriod: number;
  readonly onTime: number;
  readonly late: number;
  /** 按时办结率 = onTime / completedInPeriod. */
  readonly onTimeRate: number | null;
  /** Completed in the period with promisedDays ≥ 1 (承诺件办结). */
  readonly promisedCompleted: number;
  readonly early: number;
  /** 提前办结率 = early / promisedCompleted. */
  readonly earlyRate: number | null;
  /** Accepted before `to` and not completed before `to`. */
  readonly openAtEnd: number;
  /** Of those, overdue at `to`. */
  readonly overdueOpenAtEnd: number;
  /** 逾期率 = (late + overdueOpenAtEnd) / (completedInPeriod + openAtEnd). */
  readonly overdueRate: number | null;
  /** Mean counted days used by the promisedCompleted cases (承诺件平均办结用时). */
  readonly avgUsedDays: number | null;
  readonly cards: readonly CardCount[];
  readonly cardsTotal: number;
  readonly escalations: { readonly total: number } & Readonly<Record<EscalationLevel, number>>;
  /** CaseExtended (延期) events that occurred in the period. */
  readonly extensions: number;
  /** Replies (回告) that occurred in the period. */
  readonly escalationsAnswered: number;
  /** Escalations whose reply was due in the period (their respond-by day is in it). */
  readonly escalationsDue: number;
  /** Of those, answered before the end of the respond-by day. */
  readonly answeredOnTime: number;
  /** answeredOnTime / escalationsDue. */
  readonly answeredOnTimeRate: number | null;
}

export interface KpiSet {
  readonly cohort: CohortFigures;
  readonly flow: FlowFigures;
}

export interface StatsGroup extends KpiSet {
  readonly key: string;
  readonly label?: string;
  /** Grouped by center or department: the directory's name, and whether the id is in the directory (directoryNames.ts). */
  readonly name?: string;
  readonly registered?: boolean;
  /** 好差评 figures of the group (SPEC §8; /stats only). */
  readonly ratings?: RatingFigures;
  /** Complaint figures of the group (SPEC §8; /stats grouped by center or department only: complaints have no matter or category). */
  readonly complaints?: ComplaintFigures;
}

export interface StatsResult extends KpiSet {
  readonly from: string;
  readonly to: string;
  readonly zone: string;
  readonly filter: {
    readonly centerId?: string;
    /** With centerId: what it covered, that center alone or with the centers under it (domain/directory.ts). */
    readonly scope?: CenterScope;
    /** With scope `subtree`: the centers counted (the center and those under it in the directory now), sorted. */
    readonly centers?: readonly string[];
    readonly departmentId?: string;
  };
  /** The instant the figures were computed; figures about the future are as of this instant. */
  readonly asOf: EpochMs;
  readonly groupBy?: StatsGroupBy;
  readonly groups?: readonly StatsGroup[];
  /** Grouped by center or department: the groups whose id is not in the directory, and their accepted cases. */
  readonly unregistered?: UnregisteredTotal;
  /** 好差评 figures (SPEC §8), see ratingFigures.ts. */
  readonly ratings: RatingFigures;
  /** Complaint figures (SPEC §8) under the same filters, see complaints/complaintStats.ts. */
  readonly complaints: ComplaintFigures;
  /** The calendar version the figures were computed with (SPEC §3: every result names its versions). */
  readonly calendarVersion: string;
  /** The policy versions of the cases counted (open at some time in the period), sorted. */
  readonly policyVersions: readonly string[];
  /** Present when the figures count a day a notice may still set (`periodProvisional`). */
  readonly provisional?: true;
}

/** What figures are computed with: the calendar in force and each case's policy version (SPEC §3). */
export interface FigureVersions {
  readonly calendarVersion: string;
  readonly policyVersionOf: (state: CaseState) => string;
  /** The calendar's `isProvisionalSpan` (absent: no day is predicted). */
  readonly isProvisionalSpan?: (a: EpochDay, b: EpochDay) => boolean;
}

/**
 * A period's figures are provisional (SPEC §3) when a day of `[fromMs, toMs)` up to `asOf` is one a
 * notice may still set: in a year with no notice, or December 20–31 before one. Only those days: a
 * card, deadline, completion or overdue count of the period depends on no day after it. Until
 * session 24 the December report read before the next year's notice gave no sign its yellow card
 * could vanish once the notice made that day a holiday.
 */
export function periodProvisional(
  versions: FigureVersions,
  fromMs: EpochMs,
  toMs: EpochMs,
  asOf: EpochMs,
  zone: string,
): boolean {
  const clock = zoneClock(zone);
  const first = clock.dayOf(fromMs);
  const last = clock.dayOf(Math.min(toMs - 1, asOf));
  return last >= first && versions.isProvisionalSpan?.(first, last) === true;
}

export interface UnregisteredTotal {
  readonly groups: number;
  readonly accepted: number;
}
