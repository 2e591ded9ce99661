/**
 * `GET /complaints` (SPEC §4, §8): the complaints matching the filters, newest
 * receipt first, one page. Keyset paging over (receivedAt, complaintId) with the
 * case list's collector and opaque cursor (keysetPage.ts): O(n log page) time
 * and O(page) memory a request, and a row's clocks are computed only for the
 * rows that may be on the page. The alerts in force come from the live board
 * (the same ones GET /alerts shows).
 */
import type { CardColor } from '../../domain/lists.js';
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import { complaintStatusOf } from '../../domain/complaints/evolve.js';
import type { ComplaintCardRule, ComplaintChannel, ComplaintStatus } from '../../domain/complaints/lists.js';
import { formatInstant, tryParseDate } from '../../domain/time.js';
import type { EpochMs } from '../../domain/types.js';
import { toCsv } from '../csv.js';
import { decodeCursor, encodeCursor, PageCollector } from '../keysetPage.js';
import { StatsQueryError } from '../stats.js';
import type { ComplaintAlertView } from '../types.js';
import type { ComplaintProjection } from './complaintProjection.js';

/** The most rows one read may ask for (a CSV export; the route bounds each page by routes/listParams.ts). */
export const COMPLAINT_LIST_MAX_ROWS = 10_000;
const ORDER = 'complaints:-received';

export interface ComplaintListQuery {
  readonly centerId?: string;
  readonly departmentId?: string;
  readonly status?: ComplaintStatus;
  /** Has an alert of this rule in force now. */
  readonly rule?: ComplaintCardRule;
  /** Has an alert of this colour in force now. */
  readonly color?: CardColor;
  /** Local dates YYYY-MM-DD, receipt in [receivedFrom, receivedTo). */
  readonly receivedFrom?: string;
  readonly receivedTo?: string;
  /** Complaint-id prefix, case-insensitive. */
  readonly q?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ComplaintListAlert {
  readonly rule: ComplaintCardRule;
  readonly color: CardColor;
  readonly startedAt: string;
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
  readonly closedAt?: string;
  /** End (24:00) of the last day to accept or reject on. */
  readonly decideDueAt: string;
  /** End of the last day to answer on, once accepted. */
  readonly answerDueAt?: string;
  readonly alerts: readonly ComplaintListAlert[];
}

export interface ComplaintListResult {
  /** Complaints matching the filters (all pages). */
  readonly total: number;
  readonly limit: number;
  readonly asOf: string;
  readonly items: readonly ComplaintListRow[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface ComplaintListSources {
  readonly complaints: ComplaintProjection;
  readonly alertsOf: (complaintId: string) => readonly ComplaintAlertView[];
  readonly zone: string;
  readonly now: EpochMs;
  readonly names: {
    readonly centerName: (id: string) => string | undefined;
    readonly departmentName: (id: string) => string | undefined;
  };
}

/** One page of the list; throws StatsQueryError naming a bad parameter. */
export function listComplaints(query: ComplaintListQuery, src: ComplaintListSources): ComplaintListResult {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > COMPLAINT_LIST_MAX_ROWS)
    throw new StatsQueryError('limit', `must be a whole number from 1 to ${COMPLAINT_LIST_MAX_ROWS}`);
  const cal = src.complaints.calendar();
  const from = dayParam(query.receivedFrom, 'receivedFrom');
  const to = dayParam(query.receivedTo, 'receivedTo');
  const prefix = query.q?.toLowerCase();
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ORDER);
  const page = new PageCollector<ComplaintState>(query.limit, -1, after);
  let total = 0;
  for (const s of src.complaints.all()) {
    const r = s.received;
    if (r === undefined) continue;
    if (query.centerId !== undefined && r.centerId !== query.centerId) continue;
    if (query.departmentId !== undefined && s.departmentId !== query.departmentId) continue;
    if (query.status !== undefined && complaintStatusOf(s) !== query.status) continue;
    if (prefix !== undefined && !s.complaintId.toLowerCase().startsWith(prefix)) continue;
    if (from !== undefined || to !== undefined) {
      const day = cal.dayOf(r.at);
      if ((from !== undefined && day < from) || (to !== undefined && day >= to)) continue;
    }
    if (query.rule !== undefined || query.color !== undefined) {
      const alerts = src.alertsOf(s.complaintId);
      if (!alerts.some((a) => (query.rule ?? a.rule) === a.rule && (query.color ?? a.color) === a.color)) continue;
    }
    total++;
    page.offer(r.at, s.complaintId, 0, () => s);
  }
  const result = page.result();
  return {
    total,
    limit: query.limit,
    asOf: formatInstant(src.now, src.zone),
    items: result.items.map((s) => complaintRow(s, src)),
    ...(result.next !== undefined ? { nextCursor: encodeCursor(ORDER, result.next) } : {}),
  };
}

function dayParam(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const day = tryParseDate(text);
  if (day === undefined) throw new StatsQueryError(name, 'must be a date YYYY-MM-DD');
  return day;
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
    ...(s.answered !== undefined ? { answeredAt: show(s.answered.at) } : {}),
    ...(s.closed !== undefined ? { closedAt: show(s.closed.at) } : {}),
    decideDueAt: tl === null ? show(r.at) : show(tl.decide.dueAt),
    ...(tl?.answer !== undefined ? { answerDueAt: show(tl.answer.dueAt) } : {}),
    alerts: src.alertsOf(s.complaintId).map((a) => ({ rule: a.rule, color: a.color, startedAt: a.startedAt })),
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
  '办结时间',
  '受理决定期限',
  '答复期限',
  '当前告警',
];

/** A page of the list as CSV (Chinese headers, as the case list's). */
export function complaintListToCsv(rows: readonly ComplaintListRow[]): string {
  return toCsv(
    COMPLAINT_CSV_HEADER,
    rows.map((r) => [
      r.complaintId,
      r.status,
      r.channel,
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
      r.closedAt,
      r.decideDueAt,
      r.answerDueAt,
      r.alerts.map((x) => `${x.rule}/${x.color}`).join(' '),
    ]),
  );
}
