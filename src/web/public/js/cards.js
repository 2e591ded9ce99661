// The card register (GET /cards): the cards started in a period, with why, in numbers.
import { ALERT_RULES, COLORS, label } from './labels.js';
import { complaintHref } from './report-links.js';
import { addDays, el, fmtInstant, loadConfig, localDate } from './format.js';
import { listPage } from './list-page.js';
import { wireHeader } from './nav.js';
import { directoryPickers } from './directory.js';
import { explainFigures } from './explain-figures.js';

const PARAMS = ['from', 'to', 'centerId', 'departmentId', 'rule', 'color', 'limit'];

const who = (id, name) => (name ? el('span', { title: id }, name) : id);

function row(r) {
  return el(
    'tr',
    {},
    // A case's card or a complaint's (SPEC §8): each links to its own page.
    el(
      'td',
      {},
      r.complaintId === undefined
        ? el('a', { href: `/cases/${encodeURIComponent(r.caseId)}` }, r.caseId)
        : el('a', { href: complaintHref(r.complaintId), title: '效能投诉 complaint' }, r.complaintId),
    ),
    el('td', {}, el('span', { class: `badge ${r.color}` }, label(COLORS, r.color)), ' ', label(ALERT_RULES, r.rule)),
    el('td', {}, el('time', { datetime: r.startedAt }, fmtInstant(r.startedAt))),
    // On a phone: the case, the card, when and why (the columns below are in the CSV and on a wide screen).
    el('td', { class: 'hide-narrow' }, r.clearedAt ? fmtInstant(r.clearedAt) : '—'),
    el('td', { class: 'hide-narrow' }, who(r.centerId, r.centerName)),
    el('td', { class: 'hide-narrow' }, who(r.departmentId, r.departmentName)),
    el('td', { class: 'hide-narrow' }, r.matterName ?? r.matterCode ?? '—'),
    el('td', { class: 'explain-figures' }, explainFigures(r.explain)),
  );
}

await loadConfig();
wireHeader();
const form = document.getElementById('filters');
for (const [id, table] of [
  ['f-rule', ALERT_RULES],
  ['f-color', COLORS],
]) {
  document.getElementById(id).append(...Object.keys(table).map((v) => el('option', { value: v }, label(table, v))));
}
// Default period: this month so far (an address with from/to overrides it). The fields' default values,
// not their values: listPage resets the form before filling it from the address.
const today = localDate(Date.now());
form.elements.namedItem('from').defaultValue = `${today.slice(0, 8)}01`;
form.elements.namedItem('to').defaultValue = addDays(today, 1);
await directoryPickers();
listPage({
  api: '/cards',
  params: PARAMS,
  rows: (body) =>
    body.items.length ? body.items.map(row) : [el('tr', {}, el('td', { colspan: '8', class: 'muted' }, '无 None'))],
  csvName: (q) => `cards-${q.get('from')}-${q.get('to')}.csv`,
  check: (q) => (q.get('from') && q.get('to') ? undefined : '请选择期间 Choose the period (from, to)'),
});
