/**
 * The monthly report as CSV (`Accept: text/csv`): every section of the report,
 * each under a title row and a row of Chinese headers, a blank line between
 * sections. Rates are percentages ("99.53%"), growth is "增长26.32%" for counts
 * and "上升0.12个百分点" for rates. Each section's columns are listed once, below.
 */
import { toCsv, type CsvValue } from '../csv.js';
import type { MonthlyReport } from '../report.js';
import { HEADLINE_FIGURES, headline, type Growth } from './growth.js';
import { CATEGORY_NAMES, cardRuleName, COLOR_NAMES, LEVEL_NAMES } from './labels.js';
import { type MonthlyCenterRow, type MonthlyDepartmentRow, WATCH_BASE } from './tables.js';
import {
  COMPLAINT_HEADLINES,
  RATING_HEADLINES,
  type ComparedFigures,
  type ComplaintHeadline,
  type MonthLabel,
  type RatingDepartmentRow,
  type RatingHeadline,
} from './feedback.js';

/** 0.9953 → "99.53%"; null → empty. */
export function percentCell(rate: number | null): string | null {
  return rate === null ? null : `${Number((rate * 100).toFixed(2))}%`;
}

/**
 * Growth in words, as the reports write it ("增长26.32%", "下降0.5个百分点",
 * "持平"): no leading sign, which a spreadsheet would take for a formula.
 */
export function growthCell(g: Growth): string | null {
  if (g.value === null) return null;
  if (g.value === 0) return '持平';
  const word = g.value > 0 ? (g.unit === 'percent' ? '增长' : '上升') : '下降';
  return `${word}${Math.abs(g.value)}${g.unit === 'percent' ? '%' : '个百分点'}`;
}

type Column<R> = readonly [header: string, cell: (row: R) => CsvValue];

const nameCell = (r: { name?: string; registered: boolean }) => r.name ?? '（未登记）';

const CENTER_COLUMNS: readonly Column<MonthlyCenterRow>[] = [
  ['层级', (r) => (r.level === undefined ? '未登记' : LEVEL_NAMES[r.level])],
  ['排名', (r) => r.rank],
  ['中心编号', (r) => r.centerId],
  ['中心名称', nameCell],
  ['受理', (r) => r.accepted],
  ['办结', (r) => r.completed],
  ['在办', (r) => r.inProgress],
  ['办结率', (r) => percentCell(r.completionRate)],
  ['本月办结', (r) => r.completedInPeriod],
  ['按时办结率', (r) => percentCell(r.onTimeRate)],
  ['月末未办结', (r) => r.openAtEnd],
  ['月末逾期未办结', (r) => r.overdueOpenAtEnd],
  ['逾期率', (r) => percentCell(r.overdueRate)],
  ['办件红黄牌', (r) => r.cardsTotal],
];

const DEPARTMENT_COLUMNS: readonly Column<MonthlyDepartmentRow>[] = [
  ['部门编号', (r) => r.departmentId],
  ['部门名称', nameCell],
  ['受理', (r) => r.accepted],
  ['办结', (r) => r.completed],
  ['在办', (r) => r.inProgress],
  ['办结率', (r) => percentCell(r.completionRate)],
  ['现场办结率', (r) => percentCell(r.instantCompletionRate)],
  ['即办件率', (r) => percentCell(r.instantShare)],
  ['本月办结', (r) => r.completedInPeriod],
  ['按时办结', (r) => r.onTime],
  ['超时办结', (r) => r.late],
  ['按时办结率', (r) => percentCell(r.onTimeRate)],
  ['提前办结率', (r) => percentCell(r.earlyRate)],
  ['月末未办结', (r) => r.openAtEnd],
  ['月末逾期未办结', (r) => r.overdueOpenAtEnd],
  ['逾期率', (r) => percentCell(r.overdueRate)],
  ['承诺件平均用时（工作日）', (r) => r.avgUsedDays],
  ['办件黄牌', (r) => r.yellowCards],
  ['办件红牌', (r) => r.redCards],
  ['催办督办', (r) => r.escalations],
];

/** Chinese names of the headline figures, in the order of `HEADLINE_FIGURES`. */
export const HEADLINE_NAMES: Readonly<Record<(typeof HEADLINE_FIGURES)[number][0], string>> = {
  accepted: '受理',
  completed: '办结（本月受理）',
  inProgress: '在办',
  completionRate: '办结率',
  instantCompletionRate: '现场办结率',
  instantShare: '即办件率',
  completedInPeriod: '本月办结',
  onTimeRate: '按时办结率',
  earlyRate: '提前办结率',
  overdueRate: '逾期率',
  avgUsedDays: '承诺件平均用时（工作日）',
  // The cases' cards (SPEC §5); the cards section adds the complaints' (本月红黄牌, 合计).
  cardsTotal: '办件红黄牌',
  escalations: '催办督办',
  extensions: '延期',
  escalationsAnswered: '回告',
  answeredOnTimeRate: '按时回告率',
};

/** Chinese names of the compared complaint figures (效能投诉), in the order of `COMPLAINT_HEADLINES`. */
export const COMPLAINT_NAMES: Readonly<Record<ComplaintHeadline, string>> = {
  received: '收到投诉',
  accepted: '受理',
  rejected: '不予受理',
  answered: '答复',
  // Closures in the month, of complaints accepted or rejected whenever; then the month's accepted closed by
  // its end, the base of 办结率 (a cohort, docs/complaints.md).
  closed: '本月办结',
  closedOfAccepted: '本月受理且已办结',
  closedRate: '办结率（本月受理的）',
  answeredOnTimeRate: '按时答复率',
  satisfactionRate: '投诉人满意率',
};

/** Chinese names of the compared rating figures (好差评), in the order of `RATING_HEADLINES`. */
export const RATING_NAMES: Readonly<Record<RatingHeadline, string>> = {
  rated: '评价次数',
  satisfactionRate: '满意率（4–5分）',
  badRatings: '差评（1–2分）',
  ratedShare: '评价率（本月办结件）',
  followUpsDue: '差评应整改',
  followedUpOnTimeRate: '按期整改率',
};

const RATING_DEPARTMENT_COLUMNS: readonly Column<RatingDepartmentRow>[] = [
  ['部门编号', (r) => r.departmentId],
  ['部门名称', nameCell],
  ['评价次数', (r) => r.rated],
  ['满意（4–5分）', (r) => r.satisfied],
  ['满意率', (r) => percentCell(r.satisfactionRate)],
  ['差评（1–2分）', (r) => r.badRatings],
  ['本月办结', (r) => r.completedInPeriod],
  ['评价率', (r) => percentCell(r.ratedShare)],
  ['差评应整改', (r) => r.followUpsDue],
  ['按期整改', (r) => r.followedUpOnTime],
  ['按期整改率', (r) => percentCell(r.followedUpOnTimeRate)],
];

/** A compared section (效能投诉, 好差评): each figure this month, a year earlier with 同比, last month with 环比. */
/** 去年同月 2025-03, or in a month still running the same days: 去年同期 2025-03-01 至 2025-03-10. */
function comparedHead(p: MonthLabel, which: 'year' | 'month'): string {
  if (p.through !== undefined) return `${which === 'year' ? '去年同期' : '上月同期'} ${p.from} 至 ${p.through}`;
  return `${which === 'year' ? '去年同月' : '上月'} ${p.month}`;
}

function comparedRows<F extends object, K extends string>(
  month: string,
  spec: readonly (readonly [K, 'percent' | 'points'])[],
  names: Readonly<Record<K, string>>,
  now: F,
  py: ComparedFigures<F, K>,
  pm: ComparedFigures<F, K>,
): CsvValue[][] {
  const cell = (x: F, field: K, unit: string) => {
    const v = (x as Record<string, unknown>)[field];
    const n = typeof v === 'number' ? v : null;
    return unit === 'points' ? percentCell(n) : n;
  };
  return [
    ['指标', `本月 ${month}`, comparedHead(py, 'year'), '同比', comparedHead(pm, 'month'), '环比'],
    ...spec.map(([field, unit]) => [
      names[field],
      cell(now, field, unit),
      cell(py.figures, field, unit),
      growthCell(py.growth[field]),
      cell(pm.figures, field, unit),
      growthCell(pm.growth[field]),
    ]),
  ];
}

function feedbackSections(report: MonthlyReport): [string, CsvValue[][]][] {
  const { complaints: c, ratings: r } = report;
  return [
    [
      '效能投诉',
      comparedRows(report.month, COMPLAINT_HEADLINES, COMPLAINT_NAMES, c.figures, c.previousYear, c.previousMonth),
    ],
    [
      '投诉查实情况（按承办部门）',
      c.departments.length === 0
        ? [['说明'], ['本月无查实或部分查实的投诉']]
        : [
            ['部门编号', '部门名称', '查实', '部分查实'],
            ...c.departments.map((d) => [
              d.departmentId,
              d.departmentId === '' ? '（未指定承办部门）' : nameCell(d),
              d.substantiated,
              d.partly,
            ]),
          ],
    ],
    ['好差评', comparedRows(report.month, RATING_HEADLINES, RATING_NAMES, r.figures, r.previousYear, r.previousMonth)],
    [
      '各部门满意度（好差评）',
      r.departments.length === 0 ? [['说明'], ['本月无好差评评价']] : table(RATING_DEPARTMENT_COLUMNS, r.departments),
    ],
  ];
}

function table<R>(columns: readonly Column<R>[], rows: readonly R[]): CsvValue[][] {
  return [columns.map(([h]) => h), ...rows.map((r) => columns.map(([, cell]) => cell(r)))];
}

export function monthlyReportToCsv(report: MonthlyReport): string {
  const { previousYear: py, previousMonth: pm } = report;
  const figure = (kpis: typeof report.kpis, part: 'cohort' | 'flow', field: string, unit: string) => {
    const v = headline(kpis, part, field);
    return unit === 'points' ? percentCell(v) : v;
  };
  const sections: [string, CsvValue[][]][] = [
    [
      '报表',
      [
        ['月份', '统计区间', '服务中心', '日历版本', '政策版本'],
        [
          report.month,
          report.runningThrough === undefined
            ? `${report.from} 至 ${report.to}（不含）`
            : `${report.from} 至 ${report.runningThrough}（本月未结束）`,
          report.filter.centerId === undefined
            ? '全部'
            : `${report.filter.centerName ?? report.filter.centerId}${report.filter.scope === 'subtree' ? '（含下级中心）' : ''}`,
          report.calendarVersion,
          report.policyVersions.join('、'),
        ],
      ],
    ],
    ['概述', [['概述'], [report.summary]]],
    [
      '主要指标',
      [
        ['指标', `本月 ${report.month}`, comparedHead(py, 'year'), '同比', comparedHead(pm, 'month'), '环比'],
        ...HEADLINE_FIGURES.map(([field, part, unit]) => [
          HEADLINE_NAMES[field],
          figure(report.kpis, part, field, unit),
          figure(py.kpis, part, field, unit),
          growthCell(py.growth[field]),
          figure(pm.kpis, part, field, unit),
          growthCell(pm.growth[field]),
        ]),
      ],
    ],
    [
      '事项类别',
      [
        ['类别', '受理', '办结', '在办', '本月办结', '按时办结率'],
        ...report.categories.map((c) => [
          CATEGORY_NAMES[c.category],
          c.accepted,
          c.completed,
          c.inProgress,
          c.completedInPeriod,
          percentCell(c.onTimeRate),
        ]),
      ],
    ],
    ['各服务中心（按层级，受理量排名）', table(CENTER_COLUMNS, report.centers)],
    ['各部门', table(DEPARTMENT_COLUMNS, report.departments)],
    [
      '需关注部门（逾期率最高）',
      report.worstDepartments.length === 0
        ? [['说明'], ['本月各部门无逾期']]
        : [
            ['名次', '部门编号', '部门名称', '逾期率', '按时办结率', '备注'],
            ...report.worstDepartments.map((d, i) => [
              i + 1,
              d.departmentId,
              nameCell(d),
              percentCell(d.overdueRate),
              percentCell(d.onTimeRate),
              d.belowWatchBase === true ? `办件不足${WATCH_BASE}件，排在其后` : '',
            ]),
          ],
    ],
    [
      '本月红黄牌',
      [
        ...(report.cards.total === 0
          ? [['说明'], ['未出现黄牌、红牌情况']]
          : [
              ['规则', '颜色', '张数'],
              ...report.cards.byRule.map((c) => [cardRuleName(c.rule), COLOR_NAMES[c.color], c.count]),
              // 合计 is the cases' (the key figures' 办件红黄牌) and the complaints' cards: both shown.
              ['办件小计', '', report.kpis.flow.cardsTotal],
              ['投诉小计', '', report.complaints.figures.cardsTotal],
              ['合计', '', report.cards.total],
            ]),
        // Shown, then withdrawn by a write recorded after the fact or a calendar correction: not counted above.
        ...(report.cards.withdrawn.total === 0
          ? []
          : [
              [
                '亮出后撤销（不计入上表）',
                `红牌 ${report.cards.withdrawn.red}、黄牌 ${report.cards.withdrawn.yellow}`,
                report.cards.withdrawn.total,
              ],
            ]),
        // A yellow card still on record whose clearing, once shown, a later write moved or erased.
        ...(report.cards.withdrawn.clearingsChanged === undefined
          ? []
          : [['黄牌消除时间被更正（牌仍在册，不计入撤销）', '', report.cards.withdrawn.clearingsChanged]]),
        // Withdrawn, then put back as it was by a later write: counted above if it started in the month.
        ...(report.cards.withdrawn.reinstated === undefined
          ? []
          : [['撤销后又恢复（不计入撤销）', '', report.cards.withdrawn.reinstated]]),
      ],
    ],
    ...feedbackSections(report),
  ];
  return sections.map(([title, rows]) => toCsv([title], rows)).join('\r\n');
}
