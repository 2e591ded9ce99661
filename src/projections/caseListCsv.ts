/**
 * The case list as CSV (`GET /cases` with `Accept: text/csv`): Chinese headers, one line per row, and
 * the kind, status and alerts by their Chinese names as the page shows them (labels.ts); the codes are
 * in the JSON of the same query (docs/api.md "CSV").
 */
import type { CaseListRow } from './caseList.js';
import { PLACE_HEADERS, placeCells, toCsv } from './csv.js';
import { CASE_STATUS_NAMES, COLOR_NAMES, KIND_NAMES, nameIn, RULE_NAMES } from './report/labels.js';

const CASE_CSV_HEADER = [
  '办件编号',
  ...PLACE_HEADERS,
  '办件类型',
  '状态',
  '受理时间',
  '办结期限',
  '到期时间',
  '办结时间',
  '逾期天数',
  '当前告警',
  '日历版本',
  '政策版本',
  '时限为预测',
];

export function caseListToCsv(rows: readonly CaseListRow[]): string {
  return toCsv(
    CASE_CSV_HEADER,
    rows.map((r) => [
      r.caseId,
      ...placeCells(r),
      nameIn(KIND_NAMES, r.kind),
      CASE_STATUS_NAMES[r.status],
      r.acceptedAt,
      r.deadlineDate,
      r.dueAt,
      r.completedAt,
      r.overdueDays,
      r.alerts
        .map((x) => `${RULE_NAMES[x.rule]}（${COLOR_NAMES[x.color]}）${x.count ? ` ×${x.count}` : ''}`)
        .join('、'),
      r.calendarVersion,
      r.policyVersion,
      r.provisional ? '是' : '否',
    ]),
  );
}
