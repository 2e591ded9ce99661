// Monthly report page (SPEC §4–§5, §8): the opening paragraph, then the sections
// drawn by report-sections.js and report-feedback.js (complaints, ratings), and a
// CSV download made with the token. With no month in the address the server picks
// the latest month with data; an empty month says where the data is. Prints as a
// document (css/app.css @media print).
import { apiBlob, apiJson } from './api.js';
import { el, fmtInstant, loadConfig, localDate } from './format.js';
import { showForbiddenNotice, wireHeader } from './nav.js';
import { centerOptions, centerText, loadDirectory } from './directory.js';
import {
  renderBars,
  renderCards,
  renderCategories,
  renderCenters,
  renderDepartments,
  renderKpis,
} from './report-sections.js';
import { renderComplaints, renderRatings } from './report-feedback.js';

const $ = (id) => document.getElementById(id);

function showError(message) {
  $('error').textContent = message ?? '';
}

function query() {
  const params = new URLSearchParams();
  const month = $('month').value;
  const center = $('center').value.trim();
  if (month) params.set('month', month);
  if (center) params.set('centerId', center);
  // 含下级中心 (on by default): a center's report covers the centers under it, the API's default; off, that center alone.
  if (center && !$('scope').checked) params.set('scope', 'center');
  return params;
}

function monthTitle(month) {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

/** An empty month says which month has data, with a link to it. */
function renderHint(report) {
  const { cohort, flow } = report.kpis;
  const empty = cohort.accepted === 0 && flow.completedInPeriod === 0; // cases merely still open are no data of the month
  const latest = report.latestMonthWithData;
  if (!empty) return $('hint').replaceChildren();
  if (!latest || latest === report.month) {
    return $('hint').replaceChildren('本月无数据，也没有任何月份有数据。 No data in this month, nor in any month.');
  }
  const params = query();
  params.set('month', latest);
  $('hint').replaceChildren(
    `本月无数据 No data in ${report.month}. 最近有数据的月份 Latest month with data: `,
    el('a', { href: `/reports?${params}`, id: 'latest-month' }, latest),
  );
}

/** The local month now (YYYY-MM): the last a report may be of, and the one still running. */
const thisMonth = () => localDate(Date.now()).slice(0, 7);

/** What was wrong with the address (a month that is not one), said above the report it led to. */
let addressError = '';

async function load() {
  const params = query();
  $('status').textContent = `加载中 Loading ${params.get('month') ?? ''}…`;
  try {
    const report = await apiJson(`/reports/monthly?${params}`);
    showError(addressError); // shown with the first report read, then gone
    addressError = '';
    $('month').value = report.month;
    history.replaceState(null, '', `/reports?${query()}`);
    const where = report.filter.centerId
      ? (report.filter.centerName ?? centerText(report.filter.centerId))
      : '全部中心';
    // A center's report with the centers under it says so beside the title (the per-center table lists them).
    $('report-scope').textContent =
      report.filter.scope === 'subtree' && (report.filter.centers?.length ?? 0) > 1
        ? `含下级中心 ${report.filter.centers.length - 1} 个 With ${report.filter.centers.length - 1} centers under it`
        : '';
    $('report-title').textContent = `${where} ${monthTitle(report.month)}政务服务月度报告`;
    $('summary').textContent = report.summary;
    renderHint(report);
    renderKpis(report);
    renderCategories(report);
    renderCenters(report);
    renderDepartments(report);
    renderBars(report);
    renderCards(report);
    renderComplaints(report);
    renderRatings(report);
    $('versions').textContent =
      `日历版本 Calendar ${report.calendarVersion} · 政策版本 Policy ${report.policyVersions.join('、') || '—'} · ` +
      `统计区间 ${report.from} 至 ${report.to}（不含 exclusive）`;
    // The month still running: its figures are so far, and its "open at the end" are open now.
    const running = report.month === thisMonth();
    $('status').textContent =
      `${report.month}：${report.from} 至 ${report.to}（不含 exclusive）` +
      (running
        ? ` · 本月尚未结束，数字截至 ${fmtInstant(report.asOf)} Month to date, as of ${fmtInstant(report.asOf)}`
        : '');
    $('status').dataset.monthToDate = String(running);
  } catch (e) {
    $('status').textContent = '';
    if (e.status === 403) showForbiddenNotice(e.message);
    else showError(`报表加载失败 Could not load the report: ${e.message}`);
  }
}

async function downloadCsv() {
  const params = query();
  try {
    const blob = await apiBlob(`/reports/monthly?${params}`, 'text/csv');
    const url = URL.createObjectURL(blob);
    const name = `report-${params.get('month') ?? 'latest'}.csv`;
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    $('status').textContent = `已下载 Downloaded ${name}`;
  } catch (e) {
    showError(`CSV 下载失败 CSV download failed: ${e.message}`);
  }
}

async function main() {
  wireHeader();
  await loadConfig();
  const params = new URLSearchParams(location.search);
  $('month').max = thisMonth(); // no report of a month not begun
  const wanted = params.get('month');
  if (wanted) $('month').value = wanted;
  // A month the field cannot hold (2026-13) would quietly become the latest month: say so.
  if (wanted && $('month').value !== wanted)
    addressError = `月份无效 Not a month: ${wanted}（显示最近有数据的月份 showing the latest month with data）`;
  // The center filter is a picker of the directory's centers; an id from the address not in it stays selectable.
  await loadDirectory();
  const center = params.get('centerId') ?? '';
  $('center').append(...centerOptions());
  if (center && ![...$('center').options].some((o) => o.value === center)) {
    $('center').append(el('option', { value: center }, `${centerText(center)}（未登记 not in the directory）`));
  }
  $('center').value = center;
  $('scope').checked = params.get('scope') !== 'center';
  $('month-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  $('csv').addEventListener('click', () => void downloadCsv());
  $('print').addEventListener('click', () => window.print());
  await load();
}

void main();
