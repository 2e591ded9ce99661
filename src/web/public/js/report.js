// Monthly report (SPEC §5): the month's figures, the same month a year earlier,
// per-department bars and table, and a CSV download made with the token.
import { apiBlob, apiJson } from './api.js';
import { COLORS, KPIS, RULES, label } from './labels.js';
import { el, fmtKpi, fmtNumber, fmtRate, loadConfig, localDate } from './format.js';
import { wireHeader } from './nav.js';
import { centerOptions, centerText, loadDirectory, nameCell, withName } from './directory.js';

const $ = (id) => document.getElementById(id);

function showError(message) {
  $('error').textContent = message ?? '';
}

function previousMonth(today) {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function query() {
  const month = $('month').value;
  const center = $('center').value.trim();
  const params = new URLSearchParams({ month });
  if (center) params.set('centerId', center);
  return params;
}

function figure(kpis, part, field) {
  const v = kpis?.[part]?.[field];
  return v && typeof v === 'object' && 'total' in v ? v.total : v;
}

// Which way is better, for colouring the year-on-year change (others stay neutral).
const HIGHER_IS_BETTER = new Set(['completionRate', 'instantCompletionRate', 'onTimeRate', 'earlyRate']);
const LOWER_IS_BETTER = new Set(['overdueRate', 'avgUsedDays', 'cardsTotal', 'inProgress']);

function delta(now, before, kind, field) {
  if (typeof now !== 'number' || typeof before !== 'number') return { text: '—', cls: '' };
  const d = now - before;
  if (d === 0) return { text: '0', cls: '' };
  const sign = d > 0 ? '+' : '−';
  const abs = Math.abs(d);
  const text =
    kind === 'rate'
      ? `${sign}${(abs * 100).toFixed(1)} 个百分点 pp`
      : `${sign}${fmtNumber(kind === 'days' ? Math.round(abs * 100) / 100 : abs, kind === 'days' ? 2 : 0)}`;
  const better = HIGHER_IS_BETTER.has(field) ? d > 0 : LOWER_IS_BETTER.has(field) ? d < 0 : null;
  return { text, cls: better === null ? '' : better ? 'delta-good' : 'delta-bad' };
}

function renderKpis(report) {
  const now = report.kpis;
  const before = report.previousYear?.kpis;
  $('col-now').textContent = `本月 ${report.month}`;
  $('col-before').textContent = `去年同月 ${report.previousYear?.month ?? ''}`;
  const rows = KPIS.map(([field, part, zhName, enName, kind]) => {
    const a = figure(now, part, field);
    const b = figure(before, part, field);
    const d = delta(a, b, kind, field);
    return el(
      'tr',
      { dataset: { kpi: field } },
      el('th', { scope: 'row' }, `${zhName} `, el('span', { class: 'muted' }, enName)),
      el('td', { class: 'num', dataset: { value: String(a ?? ''), role: 'now' } }, fmtKpi(a, kind)),
      el('td', { class: 'num', dataset: { value: String(b ?? ''), role: 'before' } }, fmtKpi(b, kind)),
      el('td', { class: `num ${d.cls}` }, d.text),
    );
  });
  const esc = now?.flow?.escalations;
  if (esc && typeof esc === 'object') {
    const b = before?.flow?.escalations;
    rows.push(
      el(
        'tr',
        { dataset: { kpi: 'escalations' } },
        el('th', { scope: 'row' }, '催办督办 ', el('span', { class: 'muted' }, 'escalations')),
        el('td', { class: 'num', dataset: { value: String(esc.total), role: 'now' } }, fmtNumber(esc.total)),
        el('td', { class: 'num', dataset: { value: String(b?.total ?? ''), role: 'before' } }, fmtNumber(b?.total)),
        el('td', { class: 'num' }, delta(esc.total, b?.total, 'count', 'escalations').text),
      ),
    );
  }
  $('kpis').tBodies[0].replaceChildren(...rows);
}

function renderCardCounts(report) {
  const count = (kpis, rule, color) =>
    (kpis?.flow?.cards ?? []).find((c) => c.rule === rule && c.color === color)?.count ?? 0;
  const rows = [];
  for (const rule of Object.keys(RULES)) {
    for (const color of ['red', 'yellow']) {
      const a = count(report.kpis, rule, color);
      const b = count(report.previousYear?.kpis, rule, color);
      if (a === 0 && b === 0) continue;
      rows.push(
        el(
          'tr',
          { dataset: { rule, color } },
          el('td', {}, label(RULES, rule)),
          el('td', {}, el('span', { class: `badge ${color}` }, label(COLORS, color))),
          el('td', { class: 'num' }, fmtNumber(a)),
          el('td', { class: 'num' }, fmtNumber(b)),
        ),
      );
    }
  }
  $('card-counts').tBodies[0].replaceChildren(
    ...(rows.length
      ? rows
      : [el('tr', {}, el('td', { colspan: '4', class: 'muted' }, '本月无红黄牌 No cards this month'))]),
  );
}

function renderBars(report) {
  const depts = [...(report.departments ?? [])].sort((a, b) => (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1));
  const bars = depts.map((d) => {
    const r = d.onTimeRate;
    const pct = typeof r === 'number' ? Math.round(r * 1000) / 10 : 0;
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
      el('span', { class: 'bar-value' }, `${fmtRate(r)}（办结 ${fmtNumber(d.completedInPeriod)}）`),
    );
  });
  $('bars').replaceChildren(...(bars.length ? bars : [el('p', { class: 'muted' }, '无数据 No data')]));
}

function renderDepartments(report) {
  const rows = (report.departments ?? []).map((d) =>
    el(
      'tr',
      { dataset: { department: d.departmentId } },
      nameCell('th', d.name, d.departmentId, { scope: 'row' }),
      el('td', { class: 'num' }, fmtNumber(d.accepted)),
      el('td', { class: 'num' }, fmtNumber(d.completed)),
      el('td', { class: 'num' }, fmtNumber(d.inProgress)),
      el('td', { class: 'num' }, fmtRate(d.completionRate)),
      el('td', { class: 'num' }, fmtRate(d.onTimeRate)),
      el('td', { class: 'num' }, fmtRate(d.overdueRate)),
      el('td', { class: 'num hide-narrow' }, fmtNumber(d.avgUsedDays, 2)),
      el('td', { class: 'num hide-narrow' }, fmtNumber(d.redCards)),
      el('td', { class: 'num hide-narrow' }, fmtNumber(d.yellowCards)),
    ),
  );
  $('departments').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '10', class: 'muted' }, '无数据 No data'))]),
  );
  const worst = (report.worstDepartments ?? []).map((d) =>
    el(
      'li',
      {},
      nameCell('strong', d.name, d.departmentId),
      ` 逾期率 overdue ${fmtRate(d.overdueRate)} · 按时 on time ${fmtRate(d.onTimeRate)} · 红牌 red ${fmtNumber(d.redCards)}`,
    ),
  );
  $('worst').replaceChildren(...(worst.length ? worst : [el('li', { class: 'muted' }, '无 None')]));
}

async function load() {
  const params = query();
  history.replaceState(null, '', `/reports?${params}`);
  $('status').textContent = `加载中 Loading ${params.get('month')}…`;
  try {
    const report = await apiJson(`/reports/monthly?${params}`);
    showError('');
    $('report-month').textContent = report.month;
    renderKpis(report);
    renderCardCounts(report);
    renderBars(report);
    renderDepartments(report);
    $('status').textContent = `${report.month}：${report.from} 至 ${report.to}（不含 exclusive）`;
  } catch (e) {
    $('status').textContent = '';
    showError(`报表加载失败 Could not load the report: ${e.message}`);
  }
}

async function downloadCsv() {
  const params = query();
  try {
    const blob = await apiBlob(`/reports/monthly?${params}`, 'text/csv');
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: `report-${params.get('month')}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    $('status').textContent = `已下载 Downloaded report-${params.get('month')}.csv`;
  } catch (e) {
    showError(`CSV 下载失败 CSV download failed: ${e.message}`);
  }
}

async function main() {
  wireHeader();
  await loadConfig();
  const params = new URLSearchParams(location.search);
  $('month').value = /^\d{4}-\d{2}$/.test(params.get('month') ?? '')
    ? params.get('month')
    : previousMonth(localDate(Date.now()));
  // The center filter is a picker of the directory's centers; an id from the address not in it stays selectable.
  await loadDirectory();
  const center = params.get('centerId') ?? '';
  $('center').append(...centerOptions());
  if (center && ![...$('center').options].some((o) => o.value === center)) {
    $('center').append(el('option', { value: center }, `${centerText(center)}（未登记 not in the directory）`));
  }
  $('center').value = center;
  $('month-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  $('csv').addEventListener('click', () => void downloadCsv());
  await load();
}

void main();
