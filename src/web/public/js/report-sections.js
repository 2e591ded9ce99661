// The monthly report's sections (SPEC §4–§5), each drawn from the report the
// server computed: key figures with 环比 and 同比, the category split, the center
// table ranked within its level, the department table with cases in progress,
// the worst departments and the month's cards. Growth comes from the server
// (percent for counts, percentage points for rates); nothing is recomputed here.
import { ALERT_RULES, COLORS, comparedHead, KPIS, label } from './labels.js';
import { el, fmtKpi, fmtNumber, fmtRate, ratePercent, withWholeDates } from './format.js';
import { nameCell, withName } from './directory.js';
import { countLink, reportListLink, reportWhere } from './report-links.js';

const $ = (id) => document.getElementById(id);

export const CATEGORY_LABELS = {
  licensing: '行政许可 Administrative licensing',
  'public-service': '公共服务 Public service',
  unspecified: '未标注类别 No category recorded',
};
export const LEVEL_LABELS = {
  city: '市级 City',
  district: '区县级 District',
  street: '街道（乡镇）Street',
  community: '社区（村）Community',
};

// Which way is better, for colouring a change (others stay neutral).
const HIGHER_IS_BETTER = new Set([
  'completionRate',
  'instantCompletionRate',
  'onTimeRate',
  'earlyRate',
  'answeredOnTimeRate',
]);
const LOWER_IS_BETTER = new Set(['overdueRate', 'avgUsedDays', 'cardsTotal', 'inProgress']);

function figure(kpis, part, field) {
  const v = kpis?.[part]?.[field];
  return v && typeof v === 'object' && 'total' in v ? v.total : v;
}

/** "+26.32%", "−0.47 个百分点 pp", "持平 unchanged", "—" without a base. */
export function growthText(growth, field) {
  const v = growth?.[field]?.value;
  if (typeof v !== 'number') return { text: '—', cls: '' };
  if (v === 0) return { text: '持平 unchanged', cls: '' };
  const sign = v > 0 ? '+' : '−';
  const unit = growth[field].unit === 'points' ? ' 个百分点 pp' : '%';
  const better = HIGHER_IS_BETTER.has(field) ? v > 0 : LOWER_IS_BETTER.has(field) ? v < 0 : null;
  return { text: `${sign}${Math.abs(v)}${unit}`, cls: better === null ? '' : better ? 'delta-good' : 'delta-bad' };
}

const numCell = (text, extra = {}) => el('td', { class: 'num', ...extra }, text);
/**
 * A count of a month (the report's, or the one it is compared with) as a link to the case list (or card
 * register) that reproduces it.
 */
const countHref = (report, field, where = {}, month = report.month) =>
  month ? reportListLink(month, field, { ...reportWhere(report), ...where }) : undefined;
const countCell = (report, field, value, where = {}, extra = {}, month = report.month) =>
  numCell(countLink(fmtNumber(value), value, countHref(report, field, where, month)), extra);
const noData = (cols, text = '无数据 No data') =>
  el('tr', {}, el('td', { colspan: String(cols), class: 'muted' }, text));

export function renderKpis(report) {
  const { kpis, previousMonth: pm, previousYear: py } = report;
  $('col-now').replaceChildren(...withWholeDates(`本月 ${report.month}`));
  $('col-month').replaceChildren(...withWholeDates(comparedHead(pm, 'month')));
  $('col-year').replaceChildren(...withWholeDates(comparedHead(py, 'year')));
  $('cards-year').replaceChildren(...withWholeDates(`${comparedHead(py, 'year')} Year earlier`));
  const rows = KPIS.map(([field, part, zhName, enName, kind]) => {
    const a = figure(kpis, part, field);
    const b = figure(py?.kpis, part, field);
    const mom = growthText(pm?.growth, field);
    const yoy = growthText(py?.growth, field);
    return el(
      'tr',
      { dataset: { kpi: field } },
      el('th', { scope: 'row' }, `${zhName} `, el('span', { class: 'muted' }, enName)),
      kind === 'count'
        ? countCell(report, field, a, {}, { dataset: { value: String(a ?? ''), role: 'now' } })
        : numCell(fmtKpi(a, kind), { dataset: { value: String(a ?? ''), role: 'now' } }),
      kind === 'count'
        ? countCell(report, field, figure(pm?.kpis, part, field), {}, { dataset: { role: 'month' } }, pm)
        : numCell(fmtKpi(figure(pm?.kpis, part, field), kind), { dataset: { role: 'month' } }),
      el('td', { class: `num ${mom.cls}`, dataset: { role: 'mom' } }, mom.text),
      kind === 'count'
        ? countCell(report, field, b, {}, { dataset: { value: String(b ?? ''), role: 'before' } }, py)
        : numCell(fmtKpi(b, kind), { dataset: { value: String(b ?? ''), role: 'before' } }),
      el('td', { class: `num ${yoy.cls}`, dataset: { role: 'yoy' } }, yoy.text),
    );
  });
  $('kpis').tBodies[0].replaceChildren(...rows);
}

export function renderCategories(report) {
  const rows = (report.categories ?? [])
    .filter((c) => c.category !== 'unspecified' || c.accepted > 0 || c.completedInPeriod > 0)
    .map((c) =>
      el(
        'tr',
        { dataset: { category: c.category } },
        el('th', { scope: 'row' }, CATEGORY_LABELS[c.category] ?? c.category),
        countCell(report, 'accepted', c.accepted, { category: c.category }),
        countCell(report, 'completed', c.completed, { category: c.category }),
        countCell(report, 'inProgress', c.inProgress, { category: c.category }),
        countCell(report, 'completedInPeriod', c.completedInPeriod, { category: c.category }),
        numCell(fmtRate(c.onTimeRate)),
      ),
    );
  $('categories').tBodies[0].replaceChildren(...(rows.length ? rows : [noData(6)]));
}

export function renderCenters(report) {
  const rows = (report.centers ?? []).map((c) => {
    // A row's counts are that center's alone, whatever the report covers (no scope: the lists' default).
    const oneCenter = { centerId: c.centerId, scope: undefined };
    return el(
      'tr',
      { dataset: { center: c.centerId, level: c.level ?? 'unregistered' } },
      el('td', {}, c.level ? LEVEL_LABELS[c.level] : '未登记 Unregistered'),
      numCell(String(c.rank), { dataset: { role: 'rank' } }),
      nameCell('th', c.name, c.centerId, { scope: 'row' }),
      countCell(report, 'accepted', c.accepted, oneCenter),
      countCell(report, 'completed', c.completed, oneCenter),
      countCell(report, 'inProgress', c.inProgress, oneCenter),
      numCell(fmtRate(c.completionRate)),
      numCell(fmtRate(c.onTimeRate)),
      el('td', { class: 'num hide-narrow' }, fmtRate(c.overdueRate)),
      countCell(report, 'cardsTotal', c.cardsTotal, oneCenter, { class: 'num hide-narrow' }),
    );
  });
  $('centers').tBodies[0].replaceChildren(...(rows.length ? rows : [noData(10)]));
}

export function renderDepartments(report) {
  const rows = (report.departments ?? []).map((d) =>
    el(
      'tr',
      { dataset: { department: d.departmentId } },
      nameCell('th', d.name, d.departmentId, { scope: 'row' }),
      countCell(report, 'accepted', d.accepted, { departmentId: d.departmentId }),
      countCell(report, 'completed', d.completed, { departmentId: d.departmentId }),
      countCell(report, 'inProgress', d.inProgress, { departmentId: d.departmentId }),
      countCell(report, 'openAtEnd', d.openAtEnd, { departmentId: d.departmentId }),
      numCell(fmtRate(d.completionRate)),
      numCell(fmtRate(d.onTimeRate)),
      numCell(fmtRate(d.overdueRate)),
      el('td', { class: 'num hide-narrow' }, fmtNumber(d.avgUsedDays, 2)),
      countCell(
        report,
        'caseCards',
        d.redCards,
        { departmentId: d.departmentId, color: 'red' },
        { class: 'num hide-narrow' },
      ),
      countCell(
        report,
        'caseCards',
        d.yellowCards,
        { departmentId: d.departmentId, color: 'yellow' },
        { class: 'num hide-narrow' },
      ),
    ),
  );
  $('departments').tBodies[0].replaceChildren(...(rows.length ? rows : [noData(11)]));
  const worst = (report.worstDepartments ?? []).map((d) =>
    el(
      'li',
      {},
      nameCell('strong', d.name, d.departmentId),
      ` 逾期率 overdue ${fmtRate(d.overdueRate)} · 按时 on time ${fmtRate(d.onTimeRate)} · 办件红牌 red (cases) `,
      countLink(
        fmtNumber(d.redCards),
        d.redCards,
        countHref(report, 'caseCards', { departmentId: d.departmentId, color: 'red' }),
      ),
      d.belowWatchBase
        ? el(
            'span',
            { class: 'muted', dataset: { note: 'below-watch-base' } },
            ` （办件不足 ${report.watchBase} 件，排在其后 fewer than ${report.watchBase} cases: ranked after）`,
          )
        : '',
    ),
  );
  $('worst').replaceChildren(...(worst.length ? worst : [el('li', { class: 'muted' }, '无 None')]));
}

export function renderBars(report) {
  const depts = [...(report.departments ?? [])].sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1));
  const bars = depts.map((d) => {
    const r = d.onTimeRate;
    const pct = typeof r === 'number' ? ratePercent(r) : 0;
    const fill = el('div', { class: `bar-fill${typeof r === 'number' && r < 0.9 ? ' low' : ''}` });
    fill.style.width = `${pct}%`; // CSSOM, not a style attribute: allowed under a strict CSP
    return el(
      'div',
      { class: 'bar-row', dataset: { department: d.departmentId } },
      nameCell('span', d.name, d.departmentId),
      el(
        'div',
        {
          class: 'bar-track',
          role: 'meter',
          'aria-valuemin': '0',
          'aria-valuemax': '100',
          'aria-valuenow': String(pct),
          'aria-label': `${withName(d.name, d.departmentId)} 按时办结率 on-time rate ${fmtRate(r)}`,
        },
        fill,
      ),
      el(
        'span',
        { class: 'bar-value' },
        `${fmtRate(r)}（办结 `,
        countLink(
          fmtNumber(d.completedInPeriod),
          d.completedInPeriod,
          countHref(report, 'completedInPeriod', { departmentId: d.departmentId }),
        ),
        '）',
      ),
    );
  });
  $('bars').replaceChildren(...(bars.length ? bars : [el('p', { class: 'muted' }, '无数据 No data')]));
}

export function renderCards(report) {
  const cards = report.cards ?? { total: 0, byRule: [] };
  // The same month a year earlier: its cases' cards and its complaints' (report.cards holds both).
  const yearBefore = [
    ...(report.previousYear?.kpis?.flow?.cards ?? []),
    ...(report.complaints?.previousYear?.figures?.cards ?? []),
  ];
  const before = (rule, color) => yearBefore.find((c) => c.rule === rule && c.color === color)?.count ?? 0;
  const rows = cards.byRule.map((c) =>
    el(
      'tr',
      { dataset: { rule: c.rule, color: c.color } },
      el('td', {}, label(ALERT_RULES, c.rule)),
      el('td', {}, el('span', { class: `badge ${c.color}` }, label(COLORS, c.color))),
      countCell(report, 'cards', c.count, { rule: c.rule, color: c.color }),
      countCell(report, 'cards', before(c.rule, c.color), { rule: c.rule, color: c.color }, {}, report.previousYear),
    ),
  );
  $('card-counts').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [noData(4, '本月未出现黄牌、红牌情况 No yellow or red cards this month')]),
  );
  // 合计 is the cases' cards (the key figures' 办件红黄牌) and the complaints': both shown above it.
  const py = report.previousYear;
  const subtotals = [
    ['cases', '办件小计 Cases', 'cardsTotal', report.kpis?.flow?.cardsTotal, py?.kpis?.flow?.cardsTotal],
    [
      'complaints',
      '投诉小计 Complaints',
      'complaintCards',
      report.complaints?.figures?.cardsTotal,
      report.complaints?.previousYear?.figures?.cardsTotal,
    ],
    ['total', '合计 Total', 'cards', cards.total, yearBefore.reduce((sum, c) => sum + c.count, 0)],
  ];
  const totals = subtotals.map(([role, name, field, now, before]) =>
    el(
      'tr',
      { dataset: { total: role } },
      el('th', { scope: 'row', colspan: '2' }, name),
      countCell(report, field, now ?? 0),
      countCell(report, field, before ?? 0, {}, {}, py),
    ),
  );
  const any = cards.total > 0 || yearBefore.length > 0;
  $('card-counts').tFoot.replaceChildren(...(any ? totals : []));
  // Cards shown, then withdrawn by a write recorded after the fact or a calendar correction: not counted above.
  const w = cards.withdrawn ?? { total: 0, red: 0, yellow: 0 };
  // Beside them, on the same list: yellow cards kept whose shown clearing was changed, and rows put back since.
  // The list holds all three kinds of row: each count links to its own kind (`kind`), as the report counts it.
  const withdrawnLink = (n, kind, extra = {}) =>
    countLink(
      fmtNumber(n),
      n,
      reportListLink(report.month, 'withdrawnCards', { ...reportWhere(report), kind, ...extra }),
    );
  const changed = w.clearingsChanged ?? 0;
  const reinstated = w.reinstated ?? 0;
  $('withdrawn-note').hidden = w.total === 0 && changed === 0 && reinstated === 0;
  $('withdrawn-note').replaceChildren(
    '另有亮出后撤销的红黄牌（不计入上表）Also shown, then withdrawn (not counted above): ',
    withdrawnLink(w.total, 'withdrawn'),
    '（红牌 red ',
    withdrawnLink(w.red, 'withdrawn', { color: 'red' }),
    '，黄牌 yellow ',
    withdrawnLink(w.yellow, 'withdrawn', { color: 'yellow' }),
    '）',
    ...(changed === 0
      ? []
      : ['；黄牌消除时间被更正 clearing changed (card kept): ', withdrawnLink(changed, 'clearing-changed')]),
    ...(reinstated === 0 ? [] : ['；撤销后又恢复 withdrawn, then put back: ', withdrawnLink(reinstated, 'reinstated')]),
  );
}
