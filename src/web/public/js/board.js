// Live alert board: /alerts for the initial set, /alerts/stream for changes.
import { apiJson } from './api.js';
import { connectSse } from './sse.js';
import { COLORS, RULES, label } from './labels.js';
import { addDays, el, fmtInstant, fmtNumber, fmtRate, loadConfig, localDate } from './format.js';
import { wireHeader } from './nav.js';

const MAX_ROWS = 300;
const FILTER_KEYS = ['centerId', 'departmentId', 'color', 'rule'];

const alerts = new Map(); // key → AlertView
const fresh = new Set(); // keys raised live, highlighted once
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
  return out;
}

function matches(a, f) {
  return FILTER_KEYS.every((k) => !f[k] || a[k] === f[k]);
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

function refreshFilterOptions(f) {
  const all = [...alerts.values()];
  const centers = [...new Set(all.map((a) => a.centerId))].sort();
  if (f.centerId && !centers.includes(f.centerId)) centers.push(f.centerId);
  const depts = [
    ...new Set(all.filter((a) => !f.centerId || a.centerId === f.centerId).map((a) => a.departmentId)),
  ].sort();
  if (f.departmentId && !depts.includes(f.departmentId)) depts.push(f.departmentId);
  setOptions($('f-center'), centers, (v) => v);
  setOptions($('f-department'), depts, (v) => v);
  setOptions($('f-rule'), Object.keys(RULES), (v) => label(RULES, v));
  if (f.rule) $('f-rule').value = f.rule;
  if (f.centerId) $('f-center').value = f.centerId;
  if (f.departmentId) $('f-department').value = f.departmentId;
}

function renderRuleCounts(list) {
  const counts = new Map();
  for (const a of list) {
    const k = `${a.rule}|${a.color}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const items = [...counts.entries()]
    .sort((x, y) => y[1] - x[1])
    .map(([k, n]) => {
      const [rule, color] = k.split('|');
      return el(
        'li',
        { dataset: { rule, color } },
        el('span', { class: `badge ${color}` }, label(COLORS, color)),
        ' ',
        label(RULES, rule),
        el('span', { class: 'n' }, String(n)),
      );
    });
  $('rule-counts').replaceChildren(...(items.length ? items : [el('li', {}, '无告警 No alerts')]));
}

function renderGroups(list) {
  const groups = new Map();
  for (const a of list) {
    const k = `${a.centerId}\u0000${a.departmentId}`;
    const g = groups.get(k) ?? { centerId: a.centerId, departmentId: a.departmentId, red: 0, yellow: 0 };
    g[a.color] += 1;
    groups.set(k, g);
  }
  const rows = [...groups.values()]
    .sort((x, y) => y.red - x.red || y.yellow - x.yellow || x.centerId.localeCompare(y.centerId))
    .map((g) =>
      el(
        'tr',
        {},
        el('td', {}, g.centerId),
        el('td', {}, g.departmentId),
        el('td', { class: 'num' }, g.red ? el('span', { class: 'badge red' }, String(g.red)) : '0'),
        el('td', { class: 'num' }, g.yellow ? el('span', { class: 'badge yellow' }, String(g.yellow)) : '0'),
        el(
          'td',
          {},
          el(
            'button',
            {
              type: 'button',
              'aria-label': `只看 ${g.centerId} / ${g.departmentId} Show only this department`,
              onclick: () => applyFilters({ centerId: g.centerId, departmentId: g.departmentId }),
            },
            '只看 Show',
          ),
        ),
      ),
    );
  $('groups').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, '无 None'))]),
  );
}

function renderAlerts(list) {
  const sorted = [...list].sort(
    (x, y) => Date.parse(y.startedAt) - Date.parse(x.startedAt) || x.key.localeCompare(y.key),
  );
  const shown = sorted.slice(0, MAX_ROWS);
  const rows = shown.map((a) => {
    const tr = el(
      'tr',
      {
        class: `row-${a.color}${fresh.has(a.key) ? ' fresh' : ''}`,
        dataset: { key: a.key, caseId: a.caseId, rule: a.rule, color: a.color },
      },
      el('td', {}, el('span', { class: `badge ${a.color}` }, label(COLORS, a.color))),
      el('td', {}, label(RULES, a.rule), a.pauseId ? el('span', { class: 'muted' }, ` (${a.pauseId})`) : null),
      el('td', {}, el('a', { href: `/cases/${encodeURIComponent(a.caseId)}` }, a.caseId)),
      el('td', { class: 'hide-narrow' }, a.centerId),
      el('td', {}, a.departmentId),
      el('td', { class: 'hide-narrow' }, a.matterName ?? a.matterCode),
      el('td', {}, el('time', { datetime: a.startedAt }, fmtInstant(a.startedAt))),
    );
    return tr;
  });
  fresh.clear();
  $('alerts').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '7', class: 'muted' }, '当前无告警 No active alerts'))]),
  );
  $('alert-count').textContent = `（${list.length} 条 alerts）`;
  $('alerts-more').textContent =
    sorted.length > MAX_ROWS ? `仅显示最新 ${MAX_ROWS} 条 Showing the newest ${MAX_ROWS} of ${sorted.length}` : '';
}

let loaded = false; // nothing is claimed ("no alerts", "0 red") before the first snapshot

function render() {
  const f = currentFilters();
  refreshFilterOptions(f);
  if (!loaded) {
    $('alerts').tBodies[0].replaceChildren(el('tr', {}, el('td', { colspan: '7', class: 'muted' }, '加载中 Loading…')));
    return;
  }
  const list = [...alerts.values()].filter((a) => matches(a, f));
  renderRuleCounts(list);
  renderGroups(list);
  renderAlerts(list);
  const openRed = [...alerts.values()].filter((a) => a.color === 'red').length;
  document.querySelector('[data-kpi="openRed"]').textContent = fmtNumber(openRed);
}

function applyFilters(f) {
  for (const k of FILTER_KEYS) {
    const field = $('filters').elements.namedItem(k);
    if (field && f[k] !== undefined) {
      if (![...field.options].some((o) => o.value === f[k])) field.append(el('option', { value: f[k] }, f[k]));
      field.value = f[k];
    }
  }
  syncUrl();
  render();
}

function syncUrl() {
  const params = new URLSearchParams(currentFilters());
  const qs = params.toString();
  history.replaceState(null, '', qs ? `/?${qs}` : '/');
}

// Live events that arrive while a snapshot is loading are replayed on top of it.
// Each load has its own buffer, so overlapping loads (first open + reconnect) stay correct.
const replayBuffers = new Set();
async function loadAlerts() {
  const replay = [];
  replayBuffers.add(replay);
  try {
    const body = await apiJson('/alerts');
    const list = Array.isArray(body) ? body : (body.alerts ?? []);
    alerts.clear();
    for (const a of list) alerts.set(a.key, a);
    for (const [type, a] of replay) {
      if (type === 'alert-raised') alerts.set(a.key, a);
      else alerts.delete(a.key);
    }
    loaded = true;
  } finally {
    replayBuffers.delete(replay);
  }
  render();
}

let kpiTimer;
async function loadKpis() {
  const from = localDate(Date.now());
  const to = addDays(from, 1);
  $('kpi-date').textContent = from;
  try {
    const s = await apiJson(`/stats?from=${from}&to=${to}`);
    const set = (kpi, text) => {
      document.querySelector(`[data-kpi="${kpi}"]`).textContent = text;
    };
    set('accepted', fmtNumber(s.cohort?.accepted));
    set('completedInPeriod', fmtNumber(s.flow?.completedInPeriod));
    set('onTimeRate', fmtRate(s.flow?.onTimeRate));
    set('instantCompletionRate', fmtRate(s.cohort?.instantCompletionRate));
  } catch (e) {
    showError(`今日统计不可用 Today's figures unavailable: ${e.message}`);
  }
}
function scheduleKpis(delay) {
  clearTimeout(kpiTimer);
  kpiTimer = setTimeout(() => {
    void loadKpis().finally(() => scheduleKpis(60_000));
  }, delay);
}

function announce(text) {
  const node = $('announcer');
  node.append(el('p', {}, text));
  while (node.childNodes.length > 5) node.firstChild?.remove();
}

function onAlertEvent(msg) {
  // The server dropped this stream (it fell behind) and ends it: connectSse reconnects and onOpen reloads the alerts.
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
  for (const buffer of replayBuffers) buffer.push([msg.event, a]);
  if (msg.event === 'alert-raised') {
    alerts.set(a.key, a);
    fresh.add(a.key);
    announce(`新${label(COLORS, a.color)}：${label(RULES, a.rule)}，案件 case ${a.caseId}`);
  } else {
    alerts.delete(a.key);
    announce(`已解除 cleared：${label(RULES, a.rule)}，案件 case ${a.caseId}`);
  }
  render();
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

async function main() {
  wireHeader();
  await loadConfig();
  const params = new URLSearchParams(location.search);
  const initial = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) initial[k] = v;
  }
  $('filters').addEventListener('change', () => {
    syncUrl();
    render();
  });
  $('filters').addEventListener('reset', () =>
    setTimeout(() => {
      syncUrl();
      render();
    }),
  );
  refreshFilterOptions({});
  applyFilters(initial);
  const load = () =>
    loadAlerts()
      .then(() => showError(''))
      .catch((e) => showError(`告警加载失败 Could not load alerts: ${e.message}`));
  void load();
  scheduleKpis(0);
  let opened = 0;
  connectSse('/alerts/stream', {
    onMessage: onAlertEvent,
    onStatus: setConn,
    onOpen: () => {
      // Events may have been missed before the stream (re)opened: resynchronise.
      opened += 1;
      void load();
      if (opened > 1) announce('已重新连接 Reconnected');
    },
  });
}

void main();
