// Live alert board (cases' and complaints' alerts): one page of GET /alerts (sorted and paged by the server, with a
// summary of every alert matching the filters); /alerts/stream says when to reload.
import { apiJson } from './api.js';
import { connectSse } from './sse.js';
import { ALERT_RULES, COLORS, label } from './labels.js';
import { addDays, el, fmtInstant, fmtNumber, fmtRate, loadConfig, localDate } from './format.js';
import { showForbiddenNotice, wireHeader } from './nav.js';
import { casesLink, renderCenters, renderDepartments, renderRuleCounts, subjectLinks } from './board-summary.js';
import { centerCell, centerText, departmentCell, departmentText, loadDirectory } from './directory.js';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['centerId', 'scope', 'departmentId', 'color', 'rule'];
const SORTS = ['-overdueDays', '-startedAt', 'startedAt'];
const DEFAULT_SORT = '-overdueDays';

const fresh = new Set(); // keys raised live, highlighted once
const knownCenters = new Set();
const knownDepartments = new Map(); // centerId → Set of departmentIds
let offset = 0;
const $ = (id) => document.getElementById(id);

function showError(message) {
  $('error').textContent = message ?? '';
}

function currentFilters() {
  const data = new FormData($('filters'));
  const out = {};
  for (const k of FILTER_KEYS) {
    const v = data.get(k);
    if (v) out[k] = String(v);
  }
  // 含下级中心 says what the center filter covers: with no center chosen there is nothing to widen (the API refuses it).
  if (!out.centerId) delete out.scope;
  return out;
}

function currentSort() {
  const v = $('sort').value;
  return SORTS.includes(v) ? v : DEFAULT_SORT;
}

function setOptions(select, values, labelOf) {
  const keep = select.value;
  const wanted = ['', ...values];
  const have = [...select.options].map((o) => o.value);
  if (have.join('\u0000') !== wanted.join('\u0000')) {
    select.replaceChildren(
      el('option', { value: '' }, '全部 All'),
      ...values.map((v) => el('option', { value: v }, labelOf(v))),
    );
  }
  select.value = wanted.includes(keep) ? keep : '';
}

/** Centers and departments seen in any summary so far (a filtered summary only names its own). */
function refreshFilterOptions(summary, f) {
  for (const d of summary?.byDepartment ?? []) {
    knownCenters.add(d.centerId);
    const depts = knownDepartments.get(d.centerId) ?? new Set();
    depts.add(d.departmentId);
    knownDepartments.set(d.centerId, depts);
  }
  if (f.centerId) knownCenters.add(f.centerId);
  // With 含下级中心, the departments of the centers the answer covered (the server's subtree, not worked out here).
  const covered = new Set([f.centerId, ...(f.scope ? (summary?.byCenter ?? []).map((c) => c.centerId) : [])]);
  const depts = new Set();
  for (const [c, ds] of knownDepartments) if (!f.centerId || covered.has(c)) for (const d of ds) depts.add(d);
  if (f.departmentId) depts.add(f.departmentId);
  setOptions($('f-center'), [...knownCenters].sort(), centerText);
  setOptions($('f-department'), [...depts].sort(), departmentText);
  setOptions($('f-rule'), Object.keys(ALERT_RULES), (v) => label(ALERT_RULES, v));
  for (const [k, id] of [
    ['centerId', 'f-center'],
    ['departmentId', 'f-department'],
    ['rule', 'f-rule'],
  ])
    if (f[k]) $(id).value = f[k];
}

/** What an alert is about: a case (its page), or a complaint (the complaints page). */
function subjectLink(a) {
  if (a.subject === 'complaint')
    return el(
      'a',
      { href: `/complaints?id=${encodeURIComponent(a.complaintId)}`, class: 'complaint' },
      el('span', { class: 'muted' }, '投诉 '),
      a.complaintId,
    );
  return el('a', { href: `/cases/${encodeURIComponent(a.caseId)}` }, a.caseId);
}

const subjectText = (a) => (a.subject === 'complaint' ? `投诉 complaint ${a.complaintId}` : `案件 case ${a.caseId}`);

function alertRow(a) {
  const complaint = a.subject === 'complaint';
  return el(
    'tr',
    {
      class: `row-${a.color}${fresh.has(a.key) ? ' fresh' : ''}`,
      dataset: {
        key: a.key,
        subject: complaint ? 'complaint' : 'case',
        ...(complaint ? { complaintId: a.complaintId } : { caseId: a.caseId }),
        rule: a.rule,
        color: a.color,
        overdueDays: String(a.overdueDays ?? 0),
      },
    },
    el('td', {}, el('span', { class: `badge ${a.color}` }, label(COLORS, a.color))),
    el(
      'td',
      {},
      label(ALERT_RULES, a.rule),
      a.pauseId ? el('span', { class: 'muted' }, ` (${a.pauseId})`) : null,
      // Its clock counts days of a year the calendar only predicts (SPEC §3): a notice may still withdraw or
      // move it. Beside the rule, shown at every width (the start column is hidden on a phone).
      a.provisional === true
        ? el('span', { class: 'muted', dataset: { provisional: 'true' } }, ' 暂定 provisional')
        : null,
    ),
    el('td', {}, subjectLink(a)),
    el('td', { class: 'num' }, a.overdueDays > 0 ? fmtNumber(a.overdueDays) : '—'),
    centerCell(a.centerId, 'td', { class: 'hide-narrow' }),
    a.departmentId
      ? departmentCell(a.departmentId, 'td', { class: 'hide-narrow' })
      : el('td', { class: 'hide-narrow muted' }, '—'),
    el('td', { class: 'hide-narrow' }, complaint ? '效能投诉 complaint' : (a.matterName ?? a.matterCode)),
    el('td', { class: 'hide-narrow' }, el('time', { datetime: a.startedAt }, fmtInstant(a.startedAt))),
  );
}

function renderPage(page) {
  const rows = page.alerts.map(alertRow);
  fresh.clear();
  $('alerts').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '8', class: 'muted' }, '当前无告警 No active alerts'))]),
  );
  $('alert-count').textContent = `（${fmtNumber(page.total)} 条 alerts）`;
  const first = page.offset + 1;
  const last = page.offset + page.count;
  // No alerts: the table says so; a "0–0 of 0" beside it says nothing more.
  $('page-status').textContent =
    page.total === 0 ? '' : `第 ${first}–${last} 条，共 ${page.total} 条 Showing ${first}–${last} of ${page.total}`;
  $('page-prev').disabled = page.offset === 0;
  $('page-next').disabled = last >= page.total;
}

function renderSummary(summary, f) {
  renderRuleCounts($('rule-counts'), summary, f);
  renderCenters($('centers'), summary, f, applyFilters);
  renderDepartments($('groups'), summary, f, applyFilters);
  // The cases and the complaints behind the count, each linking to the list that reproduces it.
  const links = subjectLinks(summary, 'red', f);
  document.querySelector('[data-kpi="openRed"]').replaceChildren(...(links.length ? links : ['0']));
}

/** The filters named in `f` set (a name given as undefined cleared: `scope` of a 只看 one center); the others kept. */
function applyFilters(f) {
  for (const k of FILTER_KEYS) if (k in f) applyFilterValue(k, f[k] ?? '');
  changed();
}

/** Filters or sort changed: back to the first page. */
function changed() {
  offset = 0;
  syncUrl();
  void reload();
  scheduleKpis(0);
}

function syncUrl() {
  const params = new URLSearchParams(currentFilters());
  if (currentSort() !== DEFAULT_SORT) params.set('sort', currentSort());
  if (offset > 0) params.set('offset', String(offset));
  const qs = params.toString();
  history.replaceState(null, '', qs ? `/?${qs}` : '/');
}

// A later answer replaces an earlier one; an answer to an outdated request is dropped.
let generation = 0;
let forbidden = false;
async function loadAlerts() {
  const mine = ++generation;
  const f = currentFilters();
  const params = new URLSearchParams({ ...f, sort: currentSort(), offset: String(offset), limit: String(PAGE_SIZE) });
  const page = await apiJson(`/alerts?${params}`);
  if (mine !== generation) return;
  if (page.offset > 0 && page.count === 0 && page.total > 0) {
    // The alerts of this page cleared meanwhile: show the last page that has some.
    offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
    syncUrl();
    return loadAlerts();
  }
  refreshFilterOptions(page.summary, f);
  renderSummary(page.summary, f);
  renderPage(page);
}

function reload() {
  return loadAlerts()
    .then(() => showError(''))
    .catch((e) => {
      if (e.status === 403) showForbidden(e.message);
      else showError(`告警加载失败 Could not load alerts: ${e.message}`);
    });
}

let reloadTimer;
/** Live changes arrive in bursts (time-driven cards): reload the page once per burst. */
function reloadSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void reload(), 300);
}

/** A token whose role may not read alerts: say so once, and stop (no stream, no retries). */
function showForbidden(message) {
  if (forbidden) return;
  forbidden = true;
  stopStream?.();
  clearTimeout(kpiTimer);
  $('conn').hidden = true; // beside the title, which stays
  showForbiddenNotice(message);
}

let kpiTimer;
async function loadKpis() {
  if (forbidden) return;
  const from = localDate(Date.now());
  const to = addDays(from, 1);
  $('kpi-date').textContent = from;
  const f = currentFilters();
  const params = new URLSearchParams({ from, to });
  if (f.centerId) params.set('centerId', f.centerId);
  if (f.scope) params.set('scope', f.scope);
  if (f.departmentId) params.set('departmentId', f.departmentId);
  $('kpi-scope').textContent =
    f.color || f.rule
      ? '按中心、部门筛选；颜色、规则筛选不适用于今日统计（红牌在办除外） Follow the center and department filters; colour and rule apply only to open red cards'
      : f.centerId || f.departmentId
        ? `已按筛选的中心${f.scope ? '（含下级中心）' : ''}、部门计算 For the filtered center${f.scope ? ' and the centers under it' : ''} and department`
        : '全部中心 All centers';
  try {
    const s = await apiJson(`/stats?${params}`);
    const set = (kpi, text) => {
      document.querySelector(`[data-kpi="${kpi}"]`).textContent = text;
    };
    // Today's counts link to the case list that reproduces them (the center and department filters apply).
    const scope = { centerId: f.centerId, scope: f.scope, departmentId: f.departmentId };
    const link = (kpi, n, extra) =>
      document
        .querySelector(`[data-kpi="${kpi}"]`)
        .replaceChildren(el('a', { href: casesLink(scope, extra), title: '查看案件 Show the cases' }, fmtNumber(n)));
    link('accepted', s.cohort?.accepted, { acceptedFrom: from, acceptedTo: to });
    link('completedInPeriod', s.flow?.completedInPeriod, { completedFrom: from, completedTo: to });
    set('onTimeRate', fmtRate(s.flow?.onTimeRate));
    set('instantCompletionRate', fmtRate(s.cohort?.instantCompletionRate));
  } catch (e) {
    if (e.status === 403) return; // the alerts answer says why
    showError(`今日统计不可用 Today's figures unavailable: ${e.message}`);
  }
}
function scheduleKpis(delay) {
  clearTimeout(kpiTimer);
  kpiTimer = setTimeout(() => {
    void loadKpis().finally(() => {
      if (!forbidden) scheduleKpis(60_000);
    });
  }, delay);
}

function announce(text) {
  const node = $('announcer');
  node.append(el('p', {}, text));
  while (node.childNodes.length > 5) node.firstChild?.remove();
}

function onAlertEvent(msg) {
  // The server dropped this stream (it fell behind) and ends it: connectSse reconnects and onOpen reloads.
  if (msg.event === 'reset') {
    announce('实时连接落后，正在重新加载 Stream fell behind — reloading');
    return;
  }
  if (msg.event !== 'alert-raised' && msg.event !== 'alert-cleared') return;
  let ev;
  try {
    ev = JSON.parse(msg.data);
  } catch {
    return;
  }
  // The stream sends the AlertView flattened with `at`; accept the nested AlertEvent shape too.
  const a = ev.alert ?? ev;
  if (!a?.key) return;
  if (msg.event === 'alert-raised') {
    fresh.add(a.key);
    announce(`新${label(COLORS, a.color)}：${label(ALERT_RULES, a.rule)}，${subjectText(a)}`);
  } else {
    announce(`已解除 cleared：${label(ALERT_RULES, a.rule)}，${subjectText(a)}`);
  }
  reloadSoon();
  scheduleKpis(2000);
}

function setConn({ state, retryInMs, error }) {
  const node = $('conn');
  node.dataset.state = state;
  if (state === 'open') node.textContent = '实时连接 Live';
  else if (state === 'connecting') node.textContent = '连接中 Connecting…';
  else if (retryInMs !== undefined) {
    node.textContent = `连接中断，${Math.ceil(retryInMs / 1000)} 秒后重连 Connection lost — reconnecting in ${Math.ceil(retryInMs / 1000)} s`;
    node.title = error ?? '';
  } else node.textContent = '正在重新连接 Reconnecting…';
}

let stopStream;
async function main() {
  wireHeader();
  await loadConfig();
  const params = new URLSearchParams(location.search);
  const initial = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) initial[k] = v;
  }
  $('sort').value = SORTS.includes(params.get('sort')) ? params.get('sort') : DEFAULT_SORT;
  // Names beside ids; the directory's centers and departments are in the pickers from the start.
  const directory = await loadDirectory();
  for (const c of directory.centers) knownCenters.add(c.centerId);
  for (const d of directory.departments) {
    if (d.centerId === undefined) continue;
    knownDepartments.set(d.centerId, (knownDepartments.get(d.centerId) ?? new Set()).add(d.departmentId));
  }
  refreshFilterOptions(undefined, initial);
  for (const k of FILTER_KEYS) if (initial[k]) applyFilterValue(k, initial[k]);
  offset = Math.max(0, Math.floor(Number(params.get('offset')) / PAGE_SIZE) * PAGE_SIZE || 0);
  $('filters').addEventListener('change', changed);
  $('filters').addEventListener('reset', () => setTimeout(changed));
  $('sort').addEventListener('change', changed);
  $('page-prev').addEventListener('click', () => turnPage(-1));
  $('page-next').addEventListener('click', () => turnPage(1));
  syncUrl();
  // The first answer decides whether this token may read alerts at all, before any stream is opened.
  await reload();
  if (forbidden) return;
  scheduleKpis(0);
  let opened = 0;
  stopStream = connectSse('/alerts/stream', {
    onMessage: onAlertEvent,
    onStatus: setConn,
    onOpen: () => {
      // Alerts may have changed before the stream (re)opened: resynchronise.
      opened += 1;
      void reload();
      if (opened > 1) announce('已重新连接 Reconnected');
    },
  });
}

function applyFilterValue(k, v) {
  const field = $('filters').elements.namedItem(k);
  if (!field) return;
  if (field.type === 'checkbox') {
    field.checked = v === field.value;
    return;
  }
  if (![...field.options].some((o) => o.value === v)) field.append(el('option', { value: v }, v));
  field.value = v;
}

function turnPage(step) {
  offset = Math.max(0, offset + step * PAGE_SIZE);
  syncUrl();
  void reload();
  $('alerts').scrollIntoView({ block: 'start' });
}

void main();
