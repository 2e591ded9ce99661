/**
 * `GET /complaints` (SPEC §4, §8): the complaints matching the filters, one page,
 * with the case list's filters where a complaint has them ("filters as /cases")
 * and its sorts: `received` (newest first by default), `dueAt` (the due instant
 * of the step pending: the decision, then the answer) and `overdueDays` (since
 * when past due, as the case list orders by when its overdue card started).
 * Keyset paging with the case list's collector and listing cursor
 * (keysetPage.ts, listingCursor.ts): O(n log page) time and O(page) memory a
 * request; a row's clocks are computed only for the rows that may be on the page,
 * and for every match only when sorted by `dueAt`. The alerts in force come from
 * the live board (the same ones GET /alerts shows).
 */
import { centerSetOf, inCenterSet, type CenterScope, type Directory } from '../../domain/directory.js';
import type { CardColor } from '../../domain/lists.js';
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import { answeringDepartmentOf, complaintStatusOf, decidedAtOf } from '../../domain/complaints/evolve.js';
import type {
  ComplaintCardRule,
  ComplaintChannel,
  ComplaintFinding,
  ComplaintStatus,
  SatisfactionLevel,
} from '../../domain/complaints/lists.js';
import { PAST_DUE_COMPLAINT_RULES, SATISFACTION_LEVELS } from '../../domain/complaints/lists.js';
import { formatInstant, tryParseInstant } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import { toCsv } from '../csv.js';
import {
  COLOR_NAMES,
  COMPLAINT_CHANNEL_NAMES,
  COMPLAINT_RULE_NAMES,
  COMPLAINT_STATUS_NAMES,
  FINDING_NAMES,
  nameIn,
  SATISFACTION_NAMES,
} from '../report/labels.js';
import { alertsByRule } from '../caseList.js';
import { dateRange, inRange } from '../dateRange.js';
import { PageCollector, scopedOrder, type Direction } from '../keysetPage.js';
import { LISTING_FIELDS, listingCursor, listingPosition } from '../listingCursor.js';
import { StatsQueryError } from '../stats.js';
import type { ComplaintAlertView } from '../types.js';
import type { ComplaintProjection } from './complaintProjection.js';

/** The most rows one read may ask for (a CSV export; the route bounds each page by routes/listParams.ts). */
export const COMPLAINT_LIST_MAX_ROWS = 10_000;

export const COMPLAINT_SORTS = ['received', 'dueAt', 'overdueDays'] as const;
export type ComplaintSortField = (typeof COMPLAINT_SORTS)[number];
/** A sort field, `-` in front for descending. */
export type ComplaintSort = ComplaintSortField | `-${ComplaintSortField}`;
export const COMPLAINT_SORT_VALUES: readonly ComplaintSort[] = COMPLAINT_SORTS.flatMap((s) => [s, `-${s}` as const]);
/** Newest receipt first: the office reads what came in last. */
export const DEFAULT_COMPLAINT_SORT: ComplaintSort = '-received';

/** Sort keys past every real instant, for complaints without the figure (nothing pending; never past due). */
const LAST = Number.MAX_SAFE_INTEGER;

export interface ComplaintListQuery {
  readonly centerId?: string;
  /** What `centerId` covers: that center alone (default) or with every center under it (domain/directory.ts). */
  readonly scope?: CenterScope;
  readonly departmentId?: string;
  /** false: no department in charge (received without one and never assigned) — the report's row of none. */
  readonly hasDepartment?: boolean;
  /** Answered while this department was in charge: whose finding it is (the report's 查实 by department); '' none. */
  readonly answeredBy?: string;
  readonly status?: ComplaintStatus;
  /** Has an alert of this rule in force now. */
  readonly rule?: ComplaintCardRule;
  /** Has an alert of this colour in force now. */
  readonly color?: CardColor;
  /** Local dates YYYY-MM-DD, receipt in [receivedFrom, receivedTo). */
  readonly receivedFrom?: string;
  readonly receivedTo?: string;
  /** How the complaint was decided: accepted (受理) or rejected (不予受理); undecided ones match neither. */
  readonly decided?: ComplaintDecision;
  /** Local dates, the decision (acceptance or rejection) in [decidedFrom, decidedTo). */
  readonly decidedFrom?: string;
  readonly decidedTo?: string;
  /** The answer's finding (查实, 部分查实, 不属实). */
  readonly finding?: ComplaintFinding;
  /** Local dates, the answer in [answeredFrom, answeredTo). */
  readonly answeredFrom?: string;
  readonly answeredTo?: string;
  /** Local dates, closure in [closedFrom, closedTo). */
  readonly closedFrom?: string;
  readonly closedTo?: string;
  /** The closure's satisfaction: a level, `content` (satisfied or basically) or `given` (any); see SATISFACTION_FILTERS. */
  readonly satisfaction?: SatisfactionFilter;
  /** true: past a due instant now (an alert of PAST_DUE_COMPLAINT_RULES in force); false: not. */
  readonly overdue?: boolean;
  /** Complaint-id prefix, case-insensitive. */
  readonly q?: string;
  readonly sort?: ComplaintSort;
  readonly limit: number;
  readonly cursor?: string;
  /** The listing's instant (a page's `listedAt`): a first page read again as that listing's (listingCursor.ts). */
  readonly listedAt?: EpochMs;
}

/** One a rule (the case list's `alertsByRule`): the first to start, and `count` when more (complaint-late-record). */
export interface ComplaintListAlert {
  readonly rule: ComplaintCardRule;
  readonly color: CardColor;
  readonly startedAt: string;
  readonly count?: number;
}

export interface ComplaintListRow {
  readonly complaintId: string;
  readonly status: ComplaintStatus;
  readonly channel: ComplaintChannel;
  readonly centerId: string;
  readonly centerName?: string;
  readonly departmentId?: string;
  readonly departmentName?: string;
  readonly caseId?: string;
  readonly subject: string;
  readonly receivedAt: string;
  readonly acceptedAt?: string;
  readonly rejectedAt?: string;
  readonly answeredAt?: string;
  /** The answer's finding, once answered. */
  readonly finding?: ComplaintFinding;
  readonly closedAt?: string;
  /** The complainant's satisfaction, when the closure carries one. */
  readonly satisfaction?: SatisfactionLevel;
  /** End (24:00) of the last day to accept or reject on. */
  readonly decideDueAt: string;
  /** End of the last day to answer on, once accepted. */
  readonly answerDueAt?: string;
  readonly alerts: readonly ComplaintListAlert[];
  /**
   * A day of its clocks' span lies in a year the calendar only predicts: the dues may still move
   * (SPEC §3, §8; the case row's field). `ComplaintTimeline.provisional`, as `GET /complaints/{id}` says it.
   */
  readonly provisional: boolean;
}

export interface ComplaintListResult {
  /** Complaints matching the filters (all pages). */
  readonly total: number;
  readonly sort: ComplaintSort;
  readonly limit: number;
  readonly asOf: string;
  /** The instant the listing's first page was read at: `overdueDays` counts only alerts started by it. */
  readonly listedAt: string;
  readonly items: readonly ComplaintListRow[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface ComplaintListSources {
  readonly complaints: ComplaintProjection;
  readonly alertsOf: (complaintId: string) => readonly ComplaintAlertView[];
  readonly zone: string;
  readonly now: EpochMs;
  /** The directory published now: what a center's subtree is (`scope`); absent, every center stands alone. */
  readonly directory?: Directory;
  readonly names: {
    readonly centerName: (id: string) => string | undefined;
    readonly departmentName: (id: string) => string | undefined;
  };
}

/** The filters as one predicate over a complaint (bad dates are refused here, naming the parameter). */
export function complaintFilter(
  f: ComplaintListQuery,
  zone: string,
  alertsOf: (complaintId: string) => readonly ComplaintAlertView[],
  directory?: Directory,
): (s: ComplaintState) => boolean {
  const centers = centerSetOf(f, directory);
  const received = dateRange(f.receivedFrom, f.receivedTo, ['receivedFrom', 'receivedTo'], zone);
  const decidedIn = dateRange(f.decidedFrom, f.decidedTo, ['decidedFrom', 'decidedTo'], zone);
  const answered = dateRange(f.answeredFrom, f.answeredTo, ['answeredFrom', 'answeredTo'], zone);
  const closed = dateRange(f.closedFrom, f.closedTo, ['closedFrom', 'closedTo'], zone);
  const prefix = f.q?.toLowerCase();
  const wantsAlert = f.rule !== undefined || f.color !== undefined;
  return (s) => {
    const r = s.received;
    if (r === undefined) return false;
    if (!inCenterSet(centers, r.centerId)) return false;
    if (f.departmentId !== undefined && s.departmentId !== f.departmentId) return false;
    if (f.hasDepartment !== undefined && (s.departmentId !== undefined) !== f.hasDepartment) return false;
    if (f.answeredBy !== undefined && (s.answered === undefined || (answeringDepartmentOf(s) ?? '') !== f.answeredBy))
      return false;
    if (f.status !== undefined && complaintStatusOf(s) !== f.status) return false;
    if (prefix !== undefined && !s.complaintId.toLowerCase().startsWith(prefix)) return false;
    if (!inRange(received, r.at)) return false;
    if (f.decided !== undefined && decisionOf(s) !== f.decided) return false;
    if (decidedIn !== undefined && !inRange(decidedIn, decidedAtOf(s) ?? Number.NaN)) return false;
    if (answered !== undefined && (s.answered === undefined || !inRange(answered, s.answered.at))) return false;
    if (f.finding !== undefined && s.answered?.finding !== f.finding) return false;
    if (closed !== undefined && (s.closed === undefined || !inRange(closed, s.closed.at))) return false;
    if (f.satisfaction !== undefined && !satisfactionMatches(f.satisfaction, s.closed?.satisfaction)) return false;
    if (wantsAlert || f.overdue !== undefined) {
      const alerts = alertsOf(s.complaintId);
      if (wantsAlert && !alerts.some((a) => (f.rule ?? a.rule) === a.rule && (f.color ?? a.color) === a.color))
        return false;
      if (f.overdue !== undefined && alerts.some(isPastDue) !== f.overdue) return false;
    }
    return true;
  };
}

/** One page of the list; throws StatsQueryError naming a bad parameter. */
export function listComplaints(query: ComplaintListQuery, src: ComplaintListSources): ComplaintListResult {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > COMPLAINT_LIST_MAX_ROWS)
    throw new StatsQueryError('limit', `must be a whole number from 1 to ${COMPLAINT_LIST_MAX_ROWS}`);
  const sort = query.sort ?? DEFAULT_COMPLAINT_SORT;
  const direction: Direction = sort.startsWith('-') ? -1 : 1;
  const field = (direction === 1 ? sort : sort.slice(1)) as ComplaintSortField;
  const { now, zone } = src;
  // The order names the list, so another list's cursor is refused; '-received' reads the cursors made before sorts.
  const order = scopedOrder(`complaints:${sort}`, query, LISTING_FIELDS);
  const { after, listedAt } = listingPosition(query, order, field === 'overdueDays', now, zone);
  const matches = complaintFilter(query, zone, src.alertsOf, src.directory);
  const page = new PageCollector<ComplaintState>(query.limit, direction, after);
  let total = 0;
  for (const s of src.complaints.all()) {
    if (!matches(s)) continue;
    total++;
    page.offer(sortKeyOf(field, direction, s, src, listedAt), s.complaintId, 0, () => s);
  }
  const result = page.result();
  return {
    total,
    sort,
    limit: query.limit,
    asOf: formatInstant(now, zone),
    listedAt: formatInstant(listedAt, zone),
    items: result.items.map((s) => complaintRow(s, src)),
    ...(result.next !== undefined ? { nextCursor: listingCursor(order, result.next, listedAt) } : {}),
  };
}

export const COMPLAINT_DECISIONS = ['accepted', 'rejected'] as const;
export type ComplaintDecision = (typeof COMPLAINT_DECISIONS)[number];

/**
 * The `satisfaction` filter: one level, or the two the figures count (complaintStats.ts): `given`, closed with
 * any satisfaction (`withSatisfaction`), and `content`, satisfied or basically satisfied (the figure `satisfied`,
 * which counts both; the level `satisfied` alone is 满意 only). With `closedFrom`/`closedTo` they reproduce
 * `/stats` for the period.
 */
export const SATISFACTION_FILTERS = [...SATISFACTION_LEVELS, 'content', 'given'] as const;
export type SatisfactionFilter = (typeof SATISFACTION_FILTERS)[number];

function satisfactionMatches(filter: SatisfactionFilter, level: SatisfactionLevel | undefined): boolean {
  if (level === undefined) return false;
  if (filter === 'given') return true;
  if (filter === 'content') return level !== 'unsatisfied';
  return level === filter;
}

const decisionOf = (s: ComplaintState): ComplaintDecision | undefined =>
  s.acceptedAt !== undefined ? 'accepted' : s.rejected !== undefined ? 'rejected' : undefined;

const isPastDue = (a: ComplaintAlertView): boolean => PAST_DUE_COMPLAINT_RULES.includes(a.rule);

function sortKeyOf(
  field: ComplaintSortField,
  direction: Direction,
  s: ComplaintState,
  src: ComplaintListSources,
  listedAt: EpochMs,
): number {
  switch (field) {
    case 'received':
      return s.received!.at;
    case 'dueAt':
      // Nothing pending (answered, rejected, closed): after the pending ones, in either direction.
      return pendingDueOf(s, src) ?? direction * LAST;
    case 'overdueDays': {
      // Past due longer = since earlier = larger key; not past due = 0. An alert the clock alone raised
      // after the listing's instant does not count on its pages (the case list's rule, caseList.ts).
      let since = LAST;
      for (const a of src.alertsOf(s.complaintId))
        if (isPastDue(a)) since = Math.min(since, tryParseInstant(a.startedAt) ?? LAST);
      const at = Math.max(listedAt, s.lastOccurredAt ?? listedAt);
      return since > at ? 0 : LAST - since;
    }
  }
}

/** The due instant of the step pending: the decision until decided, then the answer until answered; none after. */
function pendingDueOf(s: ComplaintState, src: ComplaintListSources): EpochMs | undefined {
  const status = complaintStatusOf(s);
  if (status !== 'received' && status !== 'accepted') return undefined;
  const timeline = src.complaints.timelineOf(s, src.now);
  return status === 'received' ? timeline?.decide.dueAt : timeline?.answer?.dueAt;
}

function complaintRow(s: ComplaintState, src: ComplaintListSources): ComplaintListRow {
  const r = s.received!;
  const show = (t: EpochMs): string => formatInstant(t, src.zone);
  const tl = src.complaints.timelineOf(s, src.now);
  const centerName = src.names.centerName(r.centerId);
  const departmentName = s.departmentId === undefined ? undefined : src.names.departmentName(s.departmentId);
  return {
    complaintId: s.complaintId,
    status: complaintStatusOf(s),
    channel: r.channel,
    centerId: r.centerId,
    ...(centerName !== undefined ? { centerName } : {}),
    ...(s.departmentId !== undefined ? { departmentId: s.departmentId } : {}),
    ...(departmentName !== undefined ? { departmentName } : {}),
    ...(r.caseId !== undefined ? { caseId: r.caseId } : {}),
    subject: r.subject,
    receivedAt: show(r.at),
    ...(s.acceptedAt !== undefined ? { acceptedAt: show(s.acceptedAt) } : {}),
    ...(s.rejected !== undefined ? { rejectedAt: show(s.rejected.at) } : {}),
    ...(s.answered !== undefined ? { answeredAt: show(s.answered.at), finding: s.answered.finding } : {}),
    ...(s.closed !== undefined ? { closedAt: show(s.closed.at) } : {}),
    ...(s.closed?.satisfaction !== undefined ? { satisfaction: s.closed.satisfaction } : {}),
    decideDueAt: tl === null ? show(r.at) : show(tl.decide.dueAt),
    ...(tl?.answer !== undefined ? { answerDueAt: show(tl.answer.dueAt) } : {}),
    alerts: alertsByRule(src.alertsOf(s.complaintId)),
    provisional: tl?.provisional === true,
  };
}

const COMPLAINT_CSV_HEADER = [
  '投诉编号',
  '状态',
  '渠道',
  '中心编号',
  '中心',
  '承办部门编号',
  '承办部门',
  '关联办件',
  '投诉事项',
  '收到时间',
  '受理时间',
  '不予受理时间',
  '答复时间',
  '答复结论',
  '办结时间',
  '投诉人满意度',
  '受理决定期限',
  '答复期限',
  '当前告警',
  '时限为预测',
];

/** A page of the list as CSV (Chinese headers and, as the case list's, codes by their Chinese names: labels.ts). */
export function complaintListToCsv(rows: readonly ComplaintListRow[]): string {
  return toCsv(
    COMPLAINT_CSV_HEADER,
    rows.map((r) => [
      r.complaintId,
      COMPLAINT_STATUS_NAMES[r.status],
      nameIn(COMPLAINT_CHANNEL_NAMES, r.channel),
      r.centerId,
      r.centerName,
      r.departmentId,
      r.departmentName,
      r.caseId,
      r.subject,
      r.receivedAt,
      r.acceptedAt,
      r.rejectedAt,
      r.answeredAt,
      nameIn(FINDING_NAMES, r.finding),
      r.closedAt,
      nameIn(SATISFACTION_NAMES, r.satisfaction),
      r.decideDueAt,
      r.answerDueAt,
      r.alerts
        .map((x) => `${COMPLAINT_RULE_NAMES[x.rule]}（${COLOR_NAMES[x.color]}）${x.count ? ` ×${x.count}` : ''}`)
        .join('、'),
      r.provisional ? '是' : '否',
    ]),
  );
}
