/**
 * The monthly report (月度报告): the month's §5 KPIs, the same month a year
 * earlier (同比) with deltas, a per-department table, the worst departments,
 * and the table as CSV.
 */
import type { CaseState, EpochMs } from '../domain/types.js';
import type { CaseEntry } from './caseEntry.js';
import { toCsv } from './csv.js';
import {
  computeStats,
  resolvePeriod,
  roundTo,
  RATE_DECIMALS,
  StatsQueryError,
  type KpiSet,
  type StatsGroup,
  type UnregisteredTotal,
} from './stats.js';

export const WORST_DEPARTMENTS = 5;

export interface MonthlyDepartmentRow {
  readonly departmentId: string;
  /** The directory's name (absent for an id not in the directory), and whether the id is in it (directoryNames.ts). */
  readonly name?: string;
  readonly registered?: boolean;
  readonly accepted: number;
  readonly completed: number;
  readonly inProgress: number;
  readonly completionRate: number | null;
  readonly instantCompletionRate: number | null;
  readonly instantShare: number | null;
  readonly completedInPeriod: number;
  readonly onTime: number;
  readonly late: number;
  readonly onTimeRate: number | null;
  readonly earlyRate: number | null;
  readonly openAtEnd: number;
  readonly overdueOpenAtEnd: number;
  readonly overdueRate: number | null;
  readonly avgUsedDays: number | null;
  readonly yellowCards: number;
  readonly redCards: number;
  readonly escalations: number;
}

export type KpiDeltas = Record<string, number | null>;

export interface MonthlyReport {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly zone: string;
  readonly filter: { readonly centerId?: string; readonly centerName?: string };
  readonly asOf: EpochMs;
  readonly kpis: KpiSet;
  readonly previousYear: { readonly month: string; readonly from: string; readonly to: string; readonly kpis: KpiSet };
  /** This month minus the same month a year earlier, per headline figure; null when either side is null. */
  readonly deltas: KpiDeltas;
  readonly departments: readonly MonthlyDepartmentRow[];
  /** Departments ranked worst first: overdue rate descending, then on-time rate ascending. */
  readonly worstDepartments: readonly MonthlyDepartmentRow[];
  /** Departments of the table not in the directory (shown by id), and their accepted cases. */
  readonly unregistered?: UnregisteredTotal;
  /** The calendar version the figures were computed with (a correction changes figures and this). */
  readonly calendarVersion: string;
  /**
   * The policy versions of the cases the figures count (open at some time in the month or the
   * same month a year earlier): each case keeps the version in force when it was accepted.
   */
  readonly policyVersions: readonly string[];
}

/** What the figures were computed with: the calendar in force and each case's policy version. */
export interface ReportVersions {
  readonly calendarVersion: string;
  readonly policyVersionOf: (state: CaseState) => string;
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function monthPeriod(month: unknown): { from: string; to: string; year: number; mon: number } {
  const m = typeof month === 'string' ? MONTH_RE.exec(month) : null;
  const year = m ? Number(m[1]) : NaN;
  const mon = m ? Number(m[2]) : NaN;
  if (!m || mon < 1 || mon > 12 || year < 1971) throw new StatsQueryError('month', 'must be a month YYYY-MM');
  const ny = mon === 12 ? year + 1 : year;
  const nm = mon === 12 ? 1 : mon + 1;
  const p = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${p(mon)}-01`, to: `${ny}-${p(nm)}-01`, year, mon };
}

/** The headline figures whose deltas the report shows. */
const DELTA_FIELDS: ReadonlyArray<readonly ['cohort' | 'flow', string]> = [
  ['cohort', 'accepted'],
  ['cohort', 'completed'],
  ['cohort', 'inProgress'],
  ['cohort', 'completionRate'],
  ['cohort', 'instantCompletionRate'],
  ['cohort', 'instantShare'],
  ['flow', 'completedInPeriod'],
  ['flow', 'onTimeRate'],
  ['flow', 'earlyRate'],
  ['flow', 'overdueRate'],
  ['flow', 'avgUsedDays'],
  ['flow', 'cardsTotal'],
];

function deltas(now: KpiSet, before: KpiSet): KpiDeltas {
  const out: KpiDeltas = {};
  for (const [part, field] of DELTA_FIELDS) {
    const a = (now[part] as unknown as Record<string, number | null>)[field];
    const b = (before[part] as unknown as Record<string, number | null>)[field];
    out[field] = a === null || a === undefined || b === null || b === undefined ? null : roundTo(a - b, RATE_DECIMALS);
  }
  return out;
}

function departmentRow(g: StatsGroup): MonthlyDepartmentRow {
  const { cohort, flow } = g;
  let yellow = 0;
  let red = 0;
  for (const c of flow.cards) c.color === 'red' ? (red += c.count) : (yellow += c.count);
  return {
    departmentId: g.key,
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

/** Worst first: overdue rate descending, then on-time rate ascending (null last), then id. */
export function rankWorst(rows: readonly MonthlyDepartmentRow[], limit = WORST_DEPARTMENTS): MonthlyDepartmentRow[] {
  const desc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);
  const asc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);
  return rows
    .filter((r) => r.overdueRate !== null)
    .sort(
      (x, y) =>
        desc(x.overdueRate, y.overdueRate) ||
        asc(x.onTimeRate, y.onTimeRate) ||
        (x.departmentId < y.departmentId ? -1 : x.departmentId > y.departmentId ? 1 : 0),
    )
    .slice(0, limit);
}

export function computeMonthlyReport(
  entries: () => Iterable<CaseEntry>,
  month: string,
  filter: { centerId?: string } | undefined,
  zone: string,
  asOf: EpochMs,
  versions: ReportVersions,
): MonthlyReport {
  const { from, to, year, mon } = monthPeriod(month);
  const prevMonth = `${year - 1}-${String(mon).padStart(2, '0')}`;
  const prev = monthPeriod(prevMonth);
  const centerId = filter?.centerId;
  const base = { from, to, ...(centerId !== undefined ? { centerId } : {}) };
  const current = computeStats(entries(), { ...base, groupBy: 'department' }, zone, asOf);
  const before = computeStats(entries(), { ...base, from: prev.from, to: prev.to }, zone, asOf);
  const kpis: KpiSet = { cohort: current.cohort, flow: current.flow };
  const previous: KpiSet = { cohort: before.cohort, flow: before.flow };
  const departments = (current.groups ?? []).map(departmentRow);
  return {
    month,
    from,
    to,
    zone,
    filter: centerId !== undefined ? { centerId } : {},
    asOf,
    kpis,
    previousYear: { month: prevMonth, from: prev.from, to: prev.to, kpis: previous },
    deltas: deltas(kpis, previous),
    departments,
    worstDepartments: rankWorst(departments),
    calendarVersion: versions.calendarVersion,
    policyVersions: policyVersionsOf(entries(), [base, prev], centerId, zone, versions.policyVersionOf),
  };
}

/** Distinct policy versions of the cases (of `centerId`, if given) open at some time in one of `periods`. */
function policyVersionsOf(
  entries: Iterable<CaseEntry>,
  periods: readonly { readonly from: string; readonly to: string }[],
  centerId: string | undefined,
  zone: string,
  versionOf: (state: CaseState) => string,
): string[] {
  const spans = periods.map((p) => resolvePeriod(p.from, p.to, zone));
  const found = new Set<string>();
  for (const e of entries) {
    const s = e.state;
    if (s.accepted === undefined || s.acceptedAt === undefined) continue;
    if (centerId !== undefined && s.accepted.centerId !== centerId) continue;
    const { acceptedAt, completedAt } = s;
    if (spans.some((p) => acceptedAt < p.toMs && (completedAt === undefined || completedAt >= p.fromMs))) {
      found.add(versionOf(s));
    }
  }
  return [...found].sort();
}

export const MONTHLY_CSV_HEADER = [
  'departmentId',
  'name',
  'registered',
  'accepted',
  'completed',
  'inProgress',
  'completionRate',
  'instantCompletionRate',
  'instantShare',
  'completedInPeriod',
  'onTime',
  'late',
  'onTimeRate',
  'earlyRate',
  'openAtEnd',
  'overdueOpenAtEnd',
  'overdueRate',
  'avgUsedDays',
  'yellowCards',
  'redCards',
  'escalations',
] as const;

export function monthlyReportToCsv(report: MonthlyReport): string {
  const rows = report.departments.map((d) => MONTHLY_CSV_HEADER.map((h) => d[h]));
  return toCsv(MONTHLY_CSV_HEADER, rows);
}
