// The case list (GET /cases): filters, sort, paging, CSV. The address holds the filters,
// so a count on the board or the report links to the list that reproduces it.
import { COLORS, RULES, STATUS, label } from './labels.js';
import { el, fmtInstant, loadConfig } from './format.js';
import { listPage } from './list-page.js';
import { wireHeader } from './nav.js';
import { directoryPickers } from './directory.js';

const PARAMS = [
  'centerId',
  'scope',
  'departmentId',
  'matterCode',
  'category',
  'status',
  'rule',
  'color',
  'overdue',
  'acceptedFrom',
  'acceptedTo',
  'completedFrom',
  'completedTo',
  'openAt',
  'ratedFrom',
  'ratedTo',
  'rating',
  'followUpDueFrom',
  'followUpDueTo',
  'timeliness',
  'overdueBy',
  'q',
  'sort',
  'limit',
];

function options(select, table) {
  select.append(...Object.keys(table).map((v) => el('option', { value: v }, label(table, v))));
}

const who = (id, name) => (name ? el('span', { title: id }, name) : id);

function row(r) {
  return el(
    'tr',
    {},
    el('td', {}, el('a', { href: `/cases/${encodeURIComponent(r.caseId)}` }, r.caseId)),
    el('td', {}, who(r.centerId, r.centerName)),
    el('td', {}, who(r.departmentId, r.departmentName)),
    el('td', { class: 'hide-narrow' }, r.matterName ?? r.matterCode),
    el('td', {}, label(STATUS, r.status)),
    el('td', {}, el('time', { datetime: r.acceptedAt }, fmtInstant(r.acceptedAt))),
    el(
      'td',
      {},
      r.deadlineDate,
      // The deadline counts days of a year the calendar only predicts (SPEC §3), as the case page says.
      r.provisional === true
        ? el('span', { class: 'muted', dataset: { provisional: 'true' } }, ' 暂定 provisional')
        : null,
    ),
    el('td', { class: 'hide-narrow' }, r.completedAt ? fmtInstant(r.completedAt) : '—'),
    el('td', { class: 'num' }, String(r.overdueDays)),
    el(
      'td',
      {},
      ...r.alerts.map((a) =>
        el(
          'span',
          { class: `badge ${a.color}`, title: label(COLORS, a.color) },
          a.count ? `${label(RULES, a.rule)} ×${a.count}` : label(RULES, a.rule),
        ),
      ),
    ),
  );
}

await loadConfig();
wireHeader();
options(document.getElementById('f-status'), STATUS);
options(document.getElementById('f-rule'), RULES);
options(document.getElementById('f-color'), COLORS);
await directoryPickers();
listPage({
  api: '/cases',
  params: PARAMS,
  rows: (body) =>
    body.items.length ? body.items.map(row) : [el('tr', {}, el('td', { colspan: '10', class: 'muted' }, '无 None'))],
  csvName: () => 'cases.csv',
  listedNote: '（暂停办件的期限按此时点计算）',
});
