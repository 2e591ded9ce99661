/**
 * One page of the active alerts (`GET /alerts`): sorted, cut at `offset`/`limit`,
 * with the total and a summary of every alert that matches the filters, so a
 * board can show counts per rule and per center for the filtered set while it
 * holds only one page. Pure: the overdue days of a case come from the caller.
 */
import type { CardColor } from '../domain/lists.js';
import type { AlertRule, AlertView } from '../projections/types.js';

export const ALERT_SORT_KEYS = ['overdueDays', 'startedAt'] as const;
export type AlertSortKey = (typeof ALERT_SORT_KEYS)[number];
/** Every `sort` value `GET /alerts` accepts: a key, or `-key` for descending. */
export const ALERT_SORTS = ALERT_SORT_KEYS.flatMap((k) => [k, `-${k}`]) as readonly string[];
export const ALERT_DEFAULT_SORT = '-startedAt';
export const ALERT_DEFAULT_LIMIT = 100;
export const ALERT_MAX_LIMIT = 1000;

/** A row: the alert and the working days its case (or complaint answer) is past its deadline now (0 when not overdue). */
export type AlertRow = AlertView & { readonly overdueDays: number };

export const COMPLAINT_SUBJECT = 'complaint/';
/** What an alert is about, as one id: the case id, or `complaint/<id>` (no case id holds a `/`; a complaint id may equal a case id). */
export const alertSubjectId = (a: AlertView): string =>
  a.subject === 'complaint' ? `${COMPLAINT_SUBJECT}${a.complaintId}` : a.caseId;

export interface ColorCounts {
  red: number;
  yellow: number;
}

/** Counts of a cell: cases and complaints together, and the complaints among them (the rest are cases). */
export interface SubjectCounts extends ColorCounts {
  readonly complaints: ColorCounts;
}

export interface AlertSummary extends SubjectCounts {
  readonly byRule: Array<{ rule: AlertRule; color: CardColor; count: number }>;
  readonly byCenter: Array<{ centerId: string } & SubjectCounts>;
  readonly byDepartment: Array<{ centerId: string; departmentId: string } & SubjectCounts>;
}

export interface AlertPage {
  /** Alerts on this page. */
  readonly count: number;
  /** Alerts matching the filters, on every page. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly sort: string;
  readonly alerts: AlertRow[];
  readonly summary: AlertSummary;
}

export interface AlertPageQuery {
  readonly sort: string;
  readonly offset: number;
  readonly limit: number;
}

/**
 * Sorts `alerts` (ties: newest start first, then key, so the order is total and
 * pages never overlap) and returns the page. `overdueDaysOf` is asked once per
 * case, and only for the page's cases unless the sort needs every one.
 */
export function alertPage(
  alerts: readonly AlertView[],
  /** By `alertSubjectId`: a case id, or `complaint/<id>`. */
  overdueDaysOf: (subjectId: string) => number,
  query: AlertPageQuery,
): AlertPage {
  const known = new Map<string, number>();
  const overdue = (subjectId: string): number => {
    let days = known.get(subjectId);
    if (days === undefined) {
      days = overdueDaysOf(subjectId);
      known.set(subjectId, days);
    }
    return days;
  };
  const descending = query.sort.startsWith('-');
  const key = (descending ? query.sort.slice(1) : query.sort) as AlertSortKey;
  const sign = descending ? -1 : 1;
  const started = (a: AlertView): number => Date.parse(a.startedAt);
  const tieBreak = (x: AlertView, y: AlertView): number =>
    started(y) - started(x) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  const compare =
    key === 'overdueDays'
      ? (x: AlertView, y: AlertView) =>
          sign * (overdue(alertSubjectId(x)) - overdue(alertSubjectId(y))) || tieBreak(x, y)
      : (x: AlertView, y: AlertView) => sign * (started(x) - started(y)) || tieBreak(x, y);
  const sorted = [...alerts].sort(compare);
  const page = sorted.slice(query.offset, query.offset + query.limit);
  return {
    count: page.length,
    total: alerts.length,
    offset: query.offset,
    limit: query.limit,
    sort: query.sort,
    alerts: page.map((a) => ({ ...a, overdueDays: overdue(alertSubjectId(a)) })),
    summary: summarise(alerts),
  };
}

/**
 * Counts of CASES, not alerts, per colour, rule, center and department: each
 * count links to the case list (`/cases?color=…&rule=…&centerId=…`), whose
 * total is a number of cases, so a case with two alerts in one cell (two
 * unanswered escalations, overdue and overlong-pause) counts once there. A
 * complaint's alerts count the complaint once the same way; each colour cell
 * also says how many of its subjects are complaints (`complaints`), so a page
 * links the cases to `/cases` and the complaints to `/complaints` (a rule is
 * one or the other).
 */
export function summarise(alerts: readonly AlertView[]): AlertSummary {
  const zero = (): SubjectCounts => ({ red: 0, yellow: 0, complaints: { red: 0, yellow: 0 } });
  const all = zero();
  const byRule = new Map<string, { rule: AlertRule; color: CardColor; count: number }>();
  const byCenter = new Map<string, { centerId: string } & SubjectCounts>();
  const byDepartment = new Map<string, { centerId: string; departmentId: string } & SubjectCounts>();
  const counted = new Set<string>();
  /** True the first time this case is seen in this cell. */
  const first = (cell: string, subjectId: string): boolean => {
    const key = `${cell}\u0000${subjectId}`;
    if (counted.has(key)) return false;
    counted.add(key);
    return true;
  };
  const add = (cell: SubjectCounts, a: AlertView): void => {
    cell[a.color] += 1;
    if (a.subject === 'complaint') cell.complaints[a.color] += 1;
  };
  for (const a of alerts) {
    const id = alertSubjectId(a);
    if (first(`all\u0000${a.color}`, id)) add(all, a);
    const ruleKey = `${a.rule}\u0000${a.color}`;
    const rule = byRule.get(ruleKey) ?? { rule: a.rule, color: a.color, count: 0 };
    if (first(`rule\u0000${ruleKey}`, id)) rule.count += 1;
    byRule.set(ruleKey, rule);
    const center = byCenter.get(a.centerId) ?? { centerId: a.centerId, ...zero() };
    if (first(`center\u0000${a.centerId}\u0000${a.color}`, id)) add(center, a);
    byCenter.set(a.centerId, center);
    const deptKey = `${a.centerId}\u0000${a.departmentId}`;
    const dept = byDepartment.get(deptKey) ?? { centerId: a.centerId, departmentId: a.departmentId, ...zero() };
    if (first(`dept\u0000${deptKey}\u0000${a.color}`, id)) add(dept, a);
    byDepartment.set(deptKey, dept);
  }
  const worstFirst = <T extends ColorCounts>(x: T, y: T) => y.red - x.red || y.yellow - x.yellow;
  return {
    ...all,
    byRule: [...byRule.values()].sort((x, y) => y.count - x.count || x.rule.localeCompare(y.rule)),
    byCenter: [...byCenter.values()].sort((x, y) => worstFirst(x, y) || x.centerId.localeCompare(y.centerId)),
    byDepartment: [...byDepartment.values()].sort(
      (x, y) =>
        worstFirst(x, y) || x.centerId.localeCompare(y.centerId) || x.departmentId.localeCompare(y.departmentId),
    ),
  };
}
