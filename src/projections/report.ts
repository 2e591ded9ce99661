/**
 * The monthly report (月度报告) as centers publish it (SPEC §4–§5): the month's
 * §5 KPIs beside the same month a year earlier (同比) and the month before
 * (环比) with their growth, the 行政许可 / 公共服务 split, a per-center table
 * ranked by cases accepted, a per-department table with the cases still open,
 * the worst departments, the month's cards, and the opening paragraph
 * (`summary.ts`), then the complaints (效能投诉) and ratings (好差评) of SPEC §8
 * with their own 同比 / 环比 and satisfaction per department. The tables live
 * in `report/tables.ts`, growth in `report/growth.ts`, the complaint and rating
 * sections in `report/feedback.ts`, the CSV in `report/csv.ts`.
 */
import { formatDate, parseDate, zoneClock } from '../domain/index.js';
import type { EpochMs } from '../domain/types.js';
import { centerSetOf, inCenterSet, type CenterScope, type CenterSet } from '../domain/directory.js';
import type { ReportFilter } from './types.js';
import type { CaseEntry } from './caseEntry.js';
import { deltasOf, growthOf, type GrowthTable, type KpiDeltas } from './report/growth.js';
import {
  categoryRows,
  centerRows,
  departmentRow,
  NO_NAMES,
  unregisteredCentersOf,
  unregisteredOf,
  WATCH_BASE,
  type MonthlyCategoryRow,
  type MonthlyCenterRow,
  type MonthlyDepartmentRow,
  type ReportNames,
} from './report/tables.js';
import { monthFigures } from './report/figures.js';
import { caseActivity, latestComplaintActivity } from './report/latestActivity.js';
import type { ComplaintState } from '../domain/complaints/evolve.js';
import { complaintSection, ratingSection, type MonthlyComplaints, type MonthlyRatings } from './report/feedback.js';
import { complaintBlock } from './statsComplaints.js';
import type { ComplaintCardCount, ComplaintFigures, ComplaintSource } from './complaints/complaintStats.js';
import {
  resolvePeriod,
  type ResolvedPeriod,
  StatsQueryError,
  type CardCount,
  type FigureVersions,
  type KpiSet,
  type UnregisteredTotal,
} from './stats.js';
import { monthlySummary } from './summary.js';
import { periodProvisional } from './statsFigures.js';

export type { GrowthTable, KpiDeltas } from './report/growth.js';
export type {
  MonthlyCategoryRow,
  MonthlyCenterRow,
  MonthlyDepartmentRow,
  ReportNames,
} from './report/tables.js';
export type {
  ComparedFigures,
  ComplaintDepartmentRow,
  MonthlyComplaints,
  MonthlyRatings,
  RatingDepartmentRow,
} from './report/feedback.js';
export { monthlyReportToCsv } from './report/csv.js';

export const WORST_DEPARTMENTS = 5;

/** Another month the report compares with, its figures and the growth from it to this month. */
export interface ComparedMonth {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  /** In a month still running: the last day compared (its first days, as many as the running month has had). */
  readonly through?: string;
  readonly kpis: KpiSet;
  /** From that month to this one: percent change for counts, percentage points for rates. */
  readonly growth: GrowthTable;
}

/**
 * The month's cards (started in the month), by rule and colour: the cases' and the complaints'
 * (SPEC §3: cards are the record of every alert raised, complaints' too), so the total equals the
 * card register's for the month.
 */
export interface MonthlyCards {
  readonly total: number;
  readonly yellow: number;
  readonly red: number;
  readonly byRule: readonly (CardCount | ComplaintCardCount)[];
  /**
   * Cards that started in the month, were shown, and a later write withdrew by `asOf` (GET
   * /cards/withdrawn, session 17): not in the figures above, which count the record as it
   * stands; a 通报 written before the write may cite them.
   */
  readonly withdrawn: {
    readonly total: number;
    readonly yellow: number;
    readonly red: number;
    /**
     * Yellow cards still on record whose clearing, shown before a later write, it moved or erased:
     * not withdrawn cards (not in `total`); present only when there are some.
     */
    readonly clearingsChanged?: number;
    /** Withdrawn cards (or clearings) a later write put back as they were: not in `total`; present only when some. */
    readonly reinstated?: number;
  };
}

/** A withdrawn card as the report counts it: when it started, its colour, its case's or complaint's center. */
export interface WithdrawnCardFact {
  readonly rule: CardCount['rule'] | ComplaintCardCount['rule'];
  readonly startedAt: EpochMs;
  readonly color: 'yellow' | 'red';
  readonly centerId: string | undefined;
  /** A yellow card's clearing changed, the card kept (not a withdrawn card). */
  readonly clearingChanged?: boolean;
  /** Put back by a later write (not withdrawn any more). */
  readonly reinstated?: boolean;
}

/** A row of the register that is a card withdrawn and not put back: what the report's and the gauge's counts count. */
export const isWithdrawnCard = (c: Pick<WithdrawnCardFact, 'clearingChanged' | 'reinstated'>): boolean =>
  c.clearingChanged !== true && c.reinstated !== true;

export interface MonthlyReportFigures {
  readonly month: string;
  readonly from: string;
  readonly to: string;
  readonly zone: string;
  readonly filter: {
    readonly centerId?: string;
    readonly centerName?: string;
    /** With centerId: that center alone, or with every center under it in the directory (the tables list them). */
    readonly scope?: CenterScope;
    /** With scope `subtree`: the centers the report covers (the center and those under it now), sorted. */
    readonly centers?: readonly string[];
  };
  readonly asOf: EpochMs;
  readonly kpis: KpiSet;
  /** The same month a year earlier (同比). */
  readonly previousYear: ComparedMonth;
  /** The month before (环比). */
  readonly previousMonth: ComparedMonth;
  /** This month minus the same month a year earlier, in the figures' own units; null when either side is null. */
  readonly deltas: KpiDeltas;
  /** 行政许可 / 公共服务, and cases recorded with no category, counted apart. */
  readonly categories: readonly MonthlyCategoryRow[];
  /** By directory level (city first), each level ranked by cases accepted; unregistered centers last. */
  readonly centers: readonly MonthlyCenterRow[];
  readonly departments: readonly MonthlyDepartmentRow[];
  /** Departments ranked worst first: overdue rate descending, then on-time rate ascending. */
  readonly worstDepartments: readonly WatchedDepartmentRow[];
  /** The fewest cases (completed in the month + open at its end) a department's rate must rest on to rank first. */
  readonly watchBase: number;
  readonly cards: MonthlyCards;
  /**
   * Present while the month is still running: the last local date its figures cover (the date
   * of asOf). "Open at the month's end" is then open now, and the summary says 截至 that day.
   */
  readonly runningThrough?: string;
  /** Departments of the table not in the directory (shown by id), and their accepted cases. */
  readonly unregistered: UnregisteredTotal;
  /** Centers not in the directory with cases (the table's) or complaints in the month, and their accepted cases. */
  readonly unregisteredCenters: UnregisteredTotal;
  /** The latest month with a case accepted or completed (of the filter's center), if any: where the data is. */
  readonly latestMonthWithData?: string;
  /** The calendar version the figures were computed with (a correction changes figures and this). */
  readonly calendarVersion: string;
  /** Present when the month's figures count a day a notice may still set (`periodProvisional`). */
  readonly provisional?: true;
  /**
   * The policy versions of the cases the figures count (open at some time in the month or the
   * same month a year earlier): each case keeps the version in force when it was accepted.
   */
  readonly policyVersions: readonly string[];
  /** 效能投诉 of the month (received for the filter's center), with 同比 / 环比 and substantiated by department. */
  readonly complaints: MonthlyComplaints;
  /** 好差评 of the month (cases of the filter's center), with 同比 / 环比 and satisfaction by department. */
  readonly ratings: MonthlyRatings;
}

export interface MonthlyReport extends MonthlyReportFigures {
  /** The opening paragraph in Chinese, every number taken from the figures above. */
  readonly summary: string;
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;
/** The first year a report is made for (the bound since the first version): its 同比 month is then 1970's. */
export const FIRST_REPORT_YEAR = 1971;
const pad = (n: number) => String(n).padStart(2, '0');

export function monthPeriod(month: unknown): { from: string; to: string; year: number; mon: number } {
  const m = typeof month === 'string' ? MONTH_RE.exec(month) : null;
  const year = m ? Number(m[1]) : NaN;
  const mon = m ? Number(m[2]) : NaN;
  if (!m || mon < 1 || mon > 12) throw new StatsQueryError('month', 'must be a month YYYY-MM');
  // Said apart from a malformed month (session 25: 1970-06 was told it was not a month YYYY-MM).
  if (year < FIRST_REPORT_YEAR)
    throw new StatsQueryError('month', `must be ${FIRST_REPORT_YEAR}-01 or later (it is compared with a year earlier)`);
  const ny = mon === 12 ? year + 1 : year;
  const nm = mon === 12 ? 1 : mon + 1;
  return { from: `${year}-${pad(mon)}-01`, to: `${ny}-${pad(nm)}-01`, year, mon };
}

type ComparedPeriod = ReturnType<typeof monthPeriod> & { readonly through?: string };

/** The days of [from, to) up to and including the local day of `asOf`, when it lies inside (a month still running). */
function daysRunning(from: string, to: string, asOf: EpochMs, zone: string): number | undefined {
  const day = zoneClock(zone).dayOf(asOf);
  const first = parseDate(from);
  return day >= first && day < parseDate(to) ? day - first + 1 : undefined;
}

/** The first `days` days of month `p` (all of it when `days` is undefined or reaches its end). */
function sameDays(p: ReturnType<typeof monthPeriod>, days: number | undefined): ComparedPeriod {
  const first = parseDate(p.from);
  if (days === undefined || first + days >= parseDate(p.to)) return p;
  return { ...p, to: formatDate(first + days), through: formatDate(first + days - 1) };
}

/**
 * A compared month's instants; cut to the running month's days, also the instant read there: the same
 * time of its last day as `asOf` of the running month's, so what falls due at a day's end (a reply, a
 * follow-up, an answer, an overdue start) counts over the same ended days on both sides.
 */
function comparedPeriod(p: ComparedPeriod, asOf: EpochMs, zone: string): ResolvedPeriod & { asOf?: EpochMs } {
  const period = resolvePeriod(p.from, p.to, zone);
  if (p.through === undefined) return period;
  const clock = zoneClock(zone);
  const sinceMidnight = asOf - clock.startOfDay(clock.dayOf(asOf));
  return { ...period, asOf: clock.startOfDay(parseDate(p.through)) + sinceMidnight };
}

/** A row of 需关注部门: `belowWatchBase` when its rate rests on fewer than WATCH_BASE cases. */
export type WatchedDepartmentRow = MonthlyDepartmentRow & { readonly belowWatchBase?: true };

/**
 * The departments to watch (需关注部门): those with anything overdue, worst first — overdue rate
 * descending, then on-time rate ascending (null last), then id — those with a base of at least
 * WATCH_BASE cases before those below it (session 21: a department with one case, late, ranked
 * first at 100%). One with nothing overdue is not listed (until session 19 it was, at 0%).
 */
export function rankWorst(rows: readonly MonthlyDepartmentRow[], limit = WORST_DEPARTMENTS): WatchedDepartmentRow[] {
  const desc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);
  const asc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);
  const small = (r: MonthlyDepartmentRow) => r.completedInPeriod + r.openAtEnd < WATCH_BASE;
  return rows
    .filter((r) => r.overdueRate !== null && r.overdueRate > 0)
    .sort(
      (x, y) =>
        Number(small(x)) - Number(small(y)) ||
        desc(x.overdueRate, y.overdueRate) ||
        asc(x.onTimeRate, y.onTimeRate) ||
        (x.departmentId < y.departmentId ? -1 : x.departmentId > y.departmentId ? 1 : 0),
    )
    .slice(0, limit)
    .map((r) => (small(r) ? { ...r, belowWatchBase: true as const } : r));
}

function cardsOf(kpis: KpiSet, complaints: ComplaintFigures, withdrawn: MonthlyCards['withdrawn']): MonthlyCards {
  const byRule = [...kpis.flow.cards, ...complaints.cards];
  let yellow = 0;
  let red = 0;
  for (const c of byRule) c.color === 'red' ? (red += c.count) : (yellow += c.count);
  return { total: kpis.flow.cardsTotal + complaints.cardsTotal, yellow, red, byRule, withdrawn };
}

/**
 * What a row of the register of withdrawn cards is: a card withdrawn (what the report's 亮出后撤销
 * count and the gauge count), a yellow card kept whose shown clearing changed, or a row put back since
 * (either first: put back wins).
 */
export const WITHDRAWN_ROW_KINDS = ['withdrawn', 'clearing-changed', 'reinstated'] as const;
export type WithdrawnRowKind = (typeof WITHDRAWN_ROW_KINDS)[number];

export const withdrawnRowKind = (reinstated: boolean, clearingChanged: boolean | undefined): WithdrawnRowKind =>
  reinstated ? 'reinstated' : clearingChanged === true ? 'clearing-changed' : 'withdrawn';

/** The withdrawn cards that started in [fromMs, toMs) (of the centers counted, if given), by colour. */
export function withdrawnInPeriod(
  cards: Iterable<WithdrawnCardFact>,
  fromMs: EpochMs,
  toMs: EpochMs,
  centers: CenterSet,
): MonthlyCards['withdrawn'] {
  let yellow = 0;
  let red = 0;
  let clearingsChanged = 0;
  let reinstated = 0;
  for (const c of cards) {
    if (c.startedAt < fromMs || c.startedAt >= toMs) continue;
    if (!inCenterSet(centers, c.centerId)) continue;
    const kind = withdrawnRowKind(c.reinstated === true, c.clearingChanged);
    if (kind === 'reinstated') reinstated++;
    else if (kind === 'clearing-changed') clearingsChanged++;
    else c.color === 'red' ? red++ : yellow++;
  }
  return {
    total: yellow + red,
    yellow,
    red,
    ...(clearingsChanged === 0 ? {} : { clearingsChanged }),
    ...(reinstated === 0 ? {} : { reinstated }),
  };
}

export function computeMonthlyReport(
  entries: () => Iterable<CaseEntry>,
  month: string,
  filter: ReportFilter | undefined,
  zone: string,
  asOf: EpochMs,
  versions: FigureVersions,
  names: ReportNames = NO_NAMES,
  complaints?: ComplaintSource,
  withdrawnCards: () => Iterable<WithdrawnCardFact> = () => [],
): MonthlyReport {
  const { from, to, year, mon } = monthPeriod(month);
  const centerId = filter?.centerId;
  const scope = filter?.scope ?? 'center';
  // The centers counted: the one asked for, or it and those under it (the per-center table then ranks them).
  const covered = centerSetOf(filter, names.directory);
  // A month still running is compared with the same days of the earlier months (同期), not their whole.
  const days = daysRunning(from, to, asOf, zone);
  const yearBefore = sameDays(monthPeriod(`${year - 1}-${pad(mon)}`), days);
  const monthBefore = sameDays(monthPeriod(mon === 1 ? `${year - 1}-12` : `${year}-${pad(mon - 1)}`), days);
  const label = (p: ComparedPeriod) => ({
    month: `${p.year}-${pad(p.mon)}`,
    from: p.from,
    to: p.to,
    ...(p.through === undefined ? {} : { through: p.through }),
  });
  const periods = {
    current: resolvePeriod(from, to, zone),
    previousYear: { ...comparedPeriod(yearBefore, asOf, zone), ...label(yearBefore) },
    previousMonth: { ...comparedPeriod(monthBefore, asOf, zone), ...label(monthBefore) },
  };
  const f = monthFigures(entries(), periods, covered, versions.policyVersionOf, asOf);
  const latest = Math.max(f.latestActivity, latestComplaintActivity(complaints?.all(), covered));
  const kpis = f.current;
  const compared = (p: ComparedPeriod, them: KpiSet): ComparedMonth => ({
    ...label(p),
    kpis: them,
    growth: growthOf(kpis, them),
  });
  const previousYear = compared(yearBefore, f.previousYear);
  const departments = f.byDepartment.map((g) => departmentRow(g, names));
  const centers = centerRows(f.byCenter, names);
  const centerName = centerId === undefined ? undefined : names.center(centerId)?.name;
  const complaintFigures = complaintSection(complaints, covered, periods, asOf, names);
  const { fromMs, toMs } = periods.current;
  const byCenter = { centers: covered, groupBy: 'center' as const };
  const complaintCenters = complaintBlock(complaints, byCenter, fromMs, toMs, asOf).groups;
  const figures: MonthlyReportFigures = {
    month,
    from,
    to,
    zone,
    filter:
      centerId === undefined
        ? {}
        : {
            centerId,
            ...(centerName === undefined ? {} : { centerName }),
            scope,
            ...(scope === 'subtree' && covered !== undefined ? { centers: [...covered].sort() } : {}),
          },
    asOf,
    kpis,
    previousYear,
    previousMonth: compared(monthBefore, f.previousMonth),
    deltas: deltasOf(kpis, previousYear.kpis),
    categories: categoryRows(f.byCategory),
    centers,
    departments,
    worstDepartments: rankWorst(departments),
    watchBase: WATCH_BASE,
    cards: cardsOf(kpis, complaintFigures.figures, withdrawnInPeriod(withdrawnCards(), fromMs, toMs, covered)),
    ...(asOf < periods.current.toMs ? { runningThrough: formatDate(zoneClock(zone).dayOf(asOf)) } : {}),
    unregistered: unregisteredOf(departments),
    unregisteredCenters: unregisteredCentersOf(centers, complaintCenters?.keys() ?? [], names),
    ...(latest === Number.NEGATIVE_INFINITY ? {} : { latestMonthWithData: currentMonth(latest, zone) }),
    calendarVersion: versions.calendarVersion,
    ...(periodProvisional(versions, fromMs, toMs, asOf, zone) ? { provisional: true as const } : {}),
    policyVersions: f.policyVersions,
    complaints: complaintFigures,
    ratings: ratingSection(f.ratings, periods, names),
  };
  return { ...figures, summary: monthlySummary(figures) };
}

/**
 * The month (YYYY-MM, local) of the latest case or complaint activity (of the centers counted, if
 * given; report/latestActivity.ts); undefined when none.
 */
export function latestMonthWithData(
  entries: Iterable<CaseEntry>,
  complaints: Iterable<ComplaintState> | undefined,
  centers: CenterSet,
  zone: string,
): string | undefined {
  let latest = latestComplaintActivity(complaints, centers);
  for (const e of entries) latest = Math.max(latest, caseActivity(e.state, centers));
  return latest === Number.NEGATIVE_INFINITY ? undefined : currentMonth(latest, zone);
}

/** The local month (YYYY-MM) of an instant. */
export function currentMonth(now: EpochMs, zone: string): string {
  return formatDate(zoneClock(zone).dayOf(now)).slice(0, 7);
}
