/**
 * The report's opening paragraph in Chinese, as a center publishes it (SPEC §5,
 * the 五华区 example). A pure function of the report's figures: every number
 * in the text is read from them, nothing is typed in.
 */
import type { MonthlyReportFigures } from './report.js';
import { CATEGORY_NAMES } from './report/labels.js';
import { rankedLevel, type MonthlyCenterRow, type MonthlyDepartmentRow } from './report/tables.js';

/** At most this many departments are named under 在办事项; the rest are summed. */
export const SUMMARY_DEPARTMENTS = 5;
export const SUMMARY_TOP_CENTERS = 3;

/** 0.9953 → "99.53%", 1 → "100%". */
export function percentText(rate: number): string {
  return `${trim(Math.round(rate * 10_000) / 100)}%`;
}

const trim = (x: number): string => String(Number(x.toFixed(2)));

function growthText(word: '同比' | '环比', value: number | null): string | undefined {
  if (value === null) return undefined;
  if (value === 0) return `${word}持平`;
  return `${word}${value > 0 ? '增长' : '下降'}${trim(Math.abs(value))}%`;
}

/** The directory's name, or the id quoted and marked (its digits must not run into a count: “d3”（未登记）1件). */
const nameOf = (row: { name?: string }, id: string): string => row.name ?? `“${id}”（未登记）`;

/** The subject when no one center heads the table. */
export const ALL_CENTERS = '各服务中心';

/**
 * Whose month the sentence tells: the center asked for, else the one registered center the whole
 * table hangs below (no parent, or a parent outside the table), else 各服务中心. An unregistered
 * center's cases hang below no one: with one in the table, the month is not the top center's.
 */
export function subjectOf(report: Pick<MonthlyReportFigures, 'filter' | 'centers'>): string {
  const { centerId, centerName } = report.filter;
  if (centerId !== undefined) return centerName ?? nameOf({}, centerId);
  const inTable = new Set(report.centers.map((c) => c.centerId));
  const top = report.centers.filter((c) => c.registered && (c.parentId === undefined || !inTable.has(c.parentId)));
  return top.length === 1 && report.centers.every((c) => c.registered)
    ? nameOf(top[0]!, top[0]!.centerId)
    : ALL_CENTERS;
}

function inProgressText(departments: readonly MonthlyDepartmentRow[]): string {
  const open = departments
    .filter((d) => d.inProgress > 0)
    .sort((x, y) => y.inProgress - x.inProgress || (x.departmentId < y.departmentId ? -1 : 1));
  const named = open.slice(0, SUMMARY_DEPARTMENTS).map((d) => `${nameOf(d, d.departmentId)}${d.inProgress}件`);
  const rest = open.slice(SUMMARY_DEPARTMENTS);
  if (rest.length > 0) {
    named.push(`其他${rest.length}个部门共${rest.reduce((sum, d) => sum + d.inProgress, 0)}件`);
  }
  return named.join('，');
}

/** 受理业务量前两/三名 among the centers of one level; only centers that accepted cases are named. */
export function topCentersText(centers: readonly MonthlyCenterRow[]): string | undefined {
  const top = rankedLevel(centers)
    .filter((c) => c.accepted > 0)
    .slice(0, SUMMARY_TOP_CENTERS);
  if (top.length < 2) return undefined;
  return `受理业务量前${top.length === 3 ? '三' : '两'}名的是：${top.map((c) => `${nameOf(c, c.centerId)}${c.accepted}件`).join('、')}。`;
}

/** "黄牌N张、红牌N张", a colour with none left out. */
function colorsText(cards: readonly { readonly color: 'yellow' | 'red'; readonly count: number }[]): string {
  let yellow = 0;
  let red = 0;
  for (const c of cards) c.color === 'red' ? (red += c.count) : (yellow += c.count);
  return [yellow > 0 ? `黄牌${yellow}张` : '', red > 0 ? `红牌${red}张` : ''].filter((x) => x !== '').join('、');
}

/**
 * The month's cards, each number named for what it counts: the cases' (办件, the 红黄牌 of the key
 * figures and of the center table, SPEC §5) and, when there are some, the complaints' (投诉, SPEC §8);
 * together the 合计 of the cards section.
 */
export function cardsText(report: Pick<MonthlyReportFigures, 'cards' | 'kpis' | 'complaints'>, where: string): string {
  if (report.cards.total === 0) return `本月，${where}未出现黄牌、红牌情况。`;
  const cases = report.kpis.flow.cards;
  const complaints = report.complaints.figures.cards;
  const caseText = report.kpis.flow.cardsTotal === 0 ? '办件未出现黄牌、红牌' : `办件共出现${colorsText(cases)}`;
  const complaintText = report.complaints.figures.cardsTotal === 0 ? '' : `，效能投诉出现${colorsText(complaints)}`;
  return `本月，${where}${caseText}${complaintText}。`;
}

/**
 * A month that accepted nothing. Its completions are the flow's (SPEC §5: completedInPeriod, the base of
 * 按时办结率), all of cases accepted in earlier months; the cohort's 办结 is 0 and reads as none done
 * ("共受理各类事项0件，办结0件，…，按时办结率为100%" until session 26).
 */
function withoutAcceptances(flow: MonthlyReportFigures['kpis']['flow']): string {
  if (flow.completedInPeriod === 0) return '未受理事项，也无办结事项。';
  const onTime = flow.onTimeRate === null ? '' : `，按时办结率为${percentText(flow.onTimeRate)}`;
  return `未受理事项；本月办结往月受理的事项${flow.completedInPeriod}件${onTime}。`;
}

/** The opening paragraph of the monthly report. */
export function monthlySummary(report: MonthlyReportFigures): string {
  const [year, mon] = report.month.split('-').map(Number);
  const subject = subjectOf(report);
  const { cohort, flow } = report.kpis;
  // A month still running says which days it covers, never reads as the whole month.
  const through = report.runningThrough === undefined ? undefined : Number(report.runningThrough.slice(8));
  const when = through === undefined ? `${year}年${mon}月` : `${year}年${mon}月1日至${through}日`;
  if (cohort.accepted === 0) {
    return `${when}，${subject}${withoutAcceptances(flow)}${cardsText(report, subject)}${feedbackText(report)}${versionsText(report)}`;
  }
  const head = [
    `${when}，${subject}各窗口共受理各类事项${cohort.accepted}件`,
    `办结${cohort.completed}件`,
    `在办事项${cohort.inProgress}件`,
    ...(cohort.completionRate === null ? [] : [`办结率${percentText(cohort.completionRate)}`]),
    ...(flow.onTimeRate === null ? [] : [`按时办结率为${percentText(flow.onTimeRate)}`]),
  ];
  const growth = [
    growthText('同比', report.previousYear.growth.accepted.value),
    growthText('环比', report.previousMonth.growth.accepted.value),
  ].filter((x): x is string => x !== undefined);
  const clauses = [`${head.join('，')}${growth.length > 0 ? `，接件总数${growth.join('，')}` : ''}`];
  if (cohort.inProgress > 0) clauses.push(`在办事项中，${inProgressText(report.departments)}`);
  const split = report.categories.filter((c) => c.accepted > 0 || c.category !== 'unspecified');
  clauses.push(
    `在所受理的各类事项中，${split.map((c) => `${CATEGORY_NAMES[c.category]}事项${c.accepted}件`).join('，')}`,
  );
  // The whole table's month (no center, or a center with those under it): the center and the centers below it,
  // when one center heads the table; centers side by side (各服务中心) have no 中心 above them (session 25).
  const wide = report.filter.centerId === undefined || report.filter.scope === 'subtree';
  const where = wide && report.centers.length > 1 && subject !== ALL_CENTERS ? '中心及下属各服务中心' : subject;
  return `${clauses.join('；')}。${topCentersText(report.centers) ?? ''}${cardsText(report, where)}${feedbackText(report)}${versionsText(report)}`;
}

const rateClause = (name: string, rate: number | null): string[] =>
  rate === null ? [] : [`${name}${percentText(rate)}`];

/** 效能投诉 and 好差评 of the month (SPEC §8), from the report's complaint and rating figures. */
export function feedbackText(report: MonthlyReportFigures): string {
  const c = report.complaints.figures;
  const month = report.runningThrough === undefined ? '全月' : '';
  const complaints =
    c.received + c.accepted + c.rejected + c.answered + c.closed === 0
      ? [`${month}未收到效能投诉`]
      : [
          `${month}收到效能投诉${c.received}件`,
          `受理${c.accepted}件`,
          ...(c.rejected > 0 ? [`不予受理${c.rejected}件`] : []),
          // Closed in the month, whenever accepted (or rejected); then the month's accepted closed by its end,
          // the base of 办结率 (a cohort, docs/complaints.md): each number named for what it counts.
          `本月办结${c.closed}件`,
          `本月受理且已办结${c.closedOfAccepted}件`,
          ...rateClause('办结率（本月受理的）', c.closedRate),
          ...rateClause('按时答复率', c.answeredOnTimeRate),
          ...rateClause('投诉人满意率', c.satisfactionRate),
        ];
  const r = report.ratings.figures;
  const ratings =
    r.rated === 0 && r.followUpsDue === 0
      ? ['无好差评评价']
      : [
          `好差评评价${r.rated}次`,
          ...rateClause('满意率', r.satisfactionRate),
          `差评${r.badRatings}件`,
          ...rateClause('按期整改率', r.followedUpOnTimeRate),
        ];
  return `${complaints.join('，')}；${ratings.join('，')}。`;
}

function versionsText(report: MonthlyReportFigures): string {
  const policies = report.policyVersions.length > 0 ? `，政策版本${report.policyVersions.join('、')}` : '';
  // The figures count days a notice may still set (SPEC §3 provisional): the reader is told they may move.
  const provisional = report.provisional
    ? '（部分日期尚无国务院放假通知，按放假办法预测，通知发布后数字可能变动）'
    : '';
  return `（统计依据：日历版本${report.calendarVersion}${provisional}${policies}。）`;
}
