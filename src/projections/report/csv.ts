/**
 * The monthly report as CSV (`Accept: text/csv`): every section of the report,
 * each under a title row and a row of Chinese headers, a blank line between
 * sections. Rates are percentages ("99.53%"), growth is "增长26.32%" for counts
 * and "上升0.12个百分点" for rates. Each section's columns are listed once, below.
 */
import { toCsv, type CsvValue } from '../csv.js';
import type { MonthlyReport } from '../report.js';
import { HEADLINE_FIGURES, headline, type Growth } from './growth.js';
import { CATEGORY_NAMES, COLOR_NAMES, LEVEL_NAMES, RULE_NAMES } from './labels.js';
import type { MonthlyCenterRow, MonthlyDepartmentRow } from './tables.js';

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
  ['红黄牌', (r) => r.cardsTotal],
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
  ['黄牌', (r) => r.yellowCards],
  ['红牌', (r) => r.redCards],
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
  cardsTotal: '红黄牌',
};

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
          `${report.from} 至 ${report.to}（不含）`,
          report.filter.centerId === undefined ? '全部' : (report.filter.centerName ?? report.filter.centerId),
          report.calendarVersion,
          report.policyVersions.join('、'),
        ],
      ],
    ],
    ['概述', [['概述'], [report.summary]]],
    [
      '主要指标',
      [
        ['指标', `本月 ${report.month}`, `去年同月 ${py.month}`, '同比', `上月 ${pm.month}`, '环比'],
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
      [
        ['名次', '部门编号', '部门名称', '逾期率', '按时办结率'],
        ...report.worstDepartments.map((d, i) => [
          i + 1,
          d.departmentId,
          nameCell(d),
          percentCell(d.overdueRate),
          percentCell(d.onTimeRate),
        ]),
      ],
    ],
    [
      '本月红黄牌',
      report.cards.total === 0
        ? [['说明'], ['未出现黄牌、红牌情况']]
        : [
            ['规则', '颜色', '张数'],
            ...report.cards.byRule.map((c) => [RULE_NAMES[c.rule], COLOR_NAMES[c.color], c.count]),
            ['合计', '', report.cards.total],
          ],
    ],
  ];
  return sections.map(([title, rows]) => toCsv([title], rows)).join('\r\n');
}
