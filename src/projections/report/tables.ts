/**
 * The report's tables: per center (ranked by cases accepted within its
 * directory level, 受理业务量排名), per department (with cases still open), and
 * the 行政许可 / 公共服务 split. Rows keep their ids; names come from a
 * `ReportNames` plug-in (the directory), and an id it does not know keeps no
 * name, is flagged `registered: false` and is counted apart.
 */
import type { CenterLevel, Directory } from '../../domain/directory.js';
import { CENTER_LEVELS } from '../../domain/directory.js';
import type { StatsGroup, UnregisteredTotal } from '../stats.js';

/** What the report needs from the directory (a `DirectoryIndex` is one). */
export interface ReportNames {
  center(
    centerId: string,
  ): { readonly name: string; readonly level: CenterLevel; readonly parentId?: string } | undefined;
  department(departmentId: string): { readonly name: string } | undefined;
  /** The directory itself: what a center's subtree is (centersInScope); none: every center stands alone. */
  readonly directory?: Directory;
}

export const NO_NAMES: ReportNames = { center: () => undefined, department: () => undefined };

interface Named {
  /** The directory's name; absent for an id not in the directory. */
  readonly name?: string;
  readonly registered: boolean;
}

export interface MonthlyCenterRow extends Named {
  readonly centerId: string;
  readonly level?: CenterLevel;
  readonly parentId?: string;
  readonly accepted: number;
  readonly completed: number;
  readonly inProgress: number;
  readonly completionRate: number | null;
  readonly completedInPeriod: number;
  readonly onTimeRate: number | null;
  readonly openAtEnd: number;
  readonly overdueOpenAtEnd: number;
  readonly overdueRate: number | null;
  readonly cardsTotal: number;
  /** 1 for the most cases accepted among the centers of the same level (unregistered centers ranked among themselves). */
  readonly rank: number;
}

/**
 * A department's overdue rate is ranked among the others' in 需关注部门 only from this many cases in
 * its base (completed in the month + open at its end): below it, one late case of one reads 100%.
 * (The report page says 10 in its own words: src/web/public/js/report-sections.js.)
 */
export const WATCH_BASE = 10;

export interface MonthlyDepartmentRow extends Named {
  readonly departmentId: string;
  readonly accepted: number;
  readonly completed: number;
  /** Accepted this month and not completed by its end (在办). */
  readonly inProgress: number;
  readonly completionRate: number | null;
  readonly instantCompletionRate: number | null;
  readonly instantShare: number | null;
  readonly completedInPeriod: number;
  readonly onTime: number;
  readonly late: number;
  readonly onTimeRate: number | null;
  readonly earlyRate: number | null;
  /** Every case of the department open at the month's end, whenever accepted. */
  readonly openAtEnd: number;
  readonly overdueOpenAtEnd: number;
  readonly overdueRate: number | null;
  readonly avgUsedDays: number | null;
  readonly yellowCards: number;
  readonly redCards: number;
  readonly escalations: number;
}

/** The categories of SPEC §2 and the bucket of cases recorded without one. */
export const REPORT_CATEGORIES = ['licensing', 'public-service', 'unspecified'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export interface MonthlyCategoryRow {
  readonly category: ReportCategory;
  readonly accepted: number;
  readonly completed: number;
  readonly inProgress: number;
  readonly completedInPeriod: number;
  readonly onTimeRate: number | null;
}

function named(name: string | undefined): Named {
  return name === undefined ? { registered: false } : { name, registered: true };
}

export function unregisteredOf(
  rows: readonly { readonly registered: boolean; readonly accepted: number }[],
): UnregisteredTotal {
  const out = rows.filter((r) => !r.registered);
  return { groups: out.length, accepted: out.reduce((sum, r) => sum + r.accepted, 0) };
}

/**
 * The centers of the table not in the directory, and the centers with complaints only in the month
 * (`complaintCenters`) not in it either, as /stats grouped by center counts them (session 16: a
 * complaint-only center was in the complaint totals and counted nowhere as unregistered).
 */
export function unregisteredCentersOf(
  rows: readonly MonthlyCenterRow[],
  complaintCenters: Iterable<string>,
  names: ReportNames,
): UnregisteredTotal {
  const inTable = new Set(rows.map((r) => r.centerId));
  let complaintsOnly = 0;
  for (const id of complaintCenters) if (!inTable.has(id) && names.center(id) === undefined) complaintsOnly++;
  const cases = unregisteredOf(rows);
  return { groups: cases.groups + complaintsOnly, accepted: cases.accepted };
}

export function departmentRow(g: StatsGroup, names: ReportNames): MonthlyDepartmentRow {
  const { cohort, flow } = g;
  let yellow = 0;
  let red = 0;
  for (const c of flow.cards) c.color === 'red' ? (red += c.count) : (yellow += c.count);
  return {
    departmentId: g.key,
    ...named(names.department(g.key)?.name),
    accepted: cohort.accepted,
    completed: cohort.completed,
    inProgress: cohort.inProgress,
    completionRate: cohort.completionRate,
    instantCompletionRate: cohort.instantCompletionRate,
    instantShare: cohort.instantShare,
    completedInPeriod: flow.completedInPeriod,
    onTime: flow.onTime,
    late: flow.late,
    onTimeRate: flow.onTimeRate,
    earlyRate: flow.earlyRate,
    openAtEnd: flow.openAtEnd,
    overdueOpenAtEnd: flow.overdueOpenAtEnd,
    overdueRate: flow.overdueRate,
    avgUsedDays: flow.avgUsedDays,
    yellowCards: yellow,
    redCards: red,
    escalations: flow.escalations.total,
  };
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Position of a level in the table: the directory's order, centers of no known level last. */
const levelOrder = (level: CenterLevel | undefined): number =>
  level === undefined ? CENTER_LEVELS.length : CENTER_LEVELS.indexOf(level);

/** Center rows grouped by level (city first, unregistered last), each level ranked by cases accepted. */
export function centerRows(groups: readonly StatsGroup[], names: ReportNames): MonthlyCenterRow[] {
  const rows = groups.map((g) => {
    const entry = names.center(g.key);
    return {
      centerId: g.key,
      ...named(entry?.name),
      ...(entry === undefined ? {} : { level: entry.level }),
      ...(entry?.parentId === undefined ? {} : { parentId: entry.parentId }),
      accepted: g.cohort.accepted,
      completed: g.cohort.completed,
      inProgress: g.cohort.inProgress,
      completionRate: g.cohort.completionRate,
      completedInPeriod: g.flow.completedInPeriod,
      onTimeRate: g.flow.onTimeRate,
      openAtEnd: g.flow.openAtEnd,
      overdueOpenAtEnd: g.flow.overdueOpenAtEnd,
      overdueRate: g.flow.overdueRate,
      cardsTotal: g.flow.cardsTotal,
    };
  });
  rows.sort(
    (x, y) => levelOrder(x.level) - levelOrder(y.level) || y.accepted - x.accepted || byId(x.centerId, y.centerId),
  );
  let rank = 0;
  return rows.map((r, i) => {
    rank = i > 0 && rows[i - 1]!.level === r.level ? rank + 1 : 1;
    return { ...r, rank };
  });
}

/**
 * The centers 受理业务量前三名 is written about: the first level (from the top)
 * with more than one center in the table, most accepted first; none when no
 * level has (a center is not ranked against its own parent or children).
 */
export function rankedLevel(centers: readonly MonthlyCenterRow[]): MonthlyCenterRow[] {
  for (const level of [...CENTER_LEVELS, undefined]) {
    const same = centers.filter((c) => c.level === level);
    if (same.length > 1) return same.sort((x, y) => y.accepted - x.accepted || byId(x.centerId, y.centerId));
  }
  return [];
}

/** The split by category: always the three rows, in their fixed order. */
export function categoryRows(groups: readonly StatsGroup[]): MonthlyCategoryRow[] {
  return REPORT_CATEGORIES.map((category) => {
    const g = groups.find((x) => x.key === category);
    return {
      category,
      accepted: g?.cohort.accepted ?? 0,
      completed: g?.cohort.completed ?? 0,
      inProgress: g?.cohort.inProgress ?? 0,
      completedInPeriod: g?.flow.completedInPeriod ?? 0,
      onTimeRate: g?.flow.onTimeRate ?? null,
    };
  });
}
