// 效能投诉 (SPEC §8): the list (GET /complaints: filters, cursor paging; the address holds
// the filters) and, with `?id=`, one complaint (GET /complaints/{id}): its events as a
// timeline, its two clocks in numbers and its cards explained (complaint-view.js).
import { COLORS, COMPLAINT_CHANNELS, COMPLAINT_RULES, COMPLAINT_STATUS, label } from './labels.js';
import { el, fmtInstant, loadConfig } from './format.js';
import { listPage } from './list-page.js';
import { wireHeader } from './nav.js';
import { centerCell, departmentCell, directoryPickers, loadDirectory } from './directory.js';
import { showComplaint } from './complaint-view.js';

const PARAMS = ['centerId', 'departmentId', 'status', 'rule', 'color', 'receivedFrom', 'receivedTo', 'q', 'limit'];

function options(select, table) {
  select.append(...Object.keys(table).map((v) => el('option', { value: v }, label(table, v))));
}

export const complaintHref = (id) => `/complaints?id=${encodeURIComponent(id)}`;

function row(r) {
  return el(
    'tr',
    { dataset: { complaintId: r.complaintId } },
    el('td', {}, el('a', { href: complaintHref(r.complaintId) }, r.complaintId)),
    el('td', {}, label(COMPLAINT_STATUS, r.status)),
    centerCell(r.centerId),
    r.departmentId ? departmentCell(r.departmentId) : el('td', { class: 'muted' }, '—'),
    el('td', { class: 'hide-narrow' }, label(COMPLAINT_CHANNELS, r.channel)),
    el('td', { class: 'hide-narrow' }, r.subject),
    el('td', {}, el('time', { datetime: r.receivedAt }, fmtInstant(r.receivedAt))),
    el('td', {}, r.answerDueAt ? fmtInstant(r.answerDueAt) : '—'),
    el(
      'td',
      {},
      ...(r.alerts ?? []).map((a) =>
        el(
          'span',
          { class: `badge ${a.color}`, title: label(COLORS, a.color), dataset: { rule: a.rule } },
          label(COMPLAINT_RULES, a.rule),
        ),
      ),
    ),
  );
}

async function main() {
  await loadConfig();
  wireHeader();
  await loadDirectory();
  const id = new URLSearchParams(location.search).get('id');
  if (id) {
    document.getElementById('list-view').hidden = true;
    document.getElementById('detail-view').hidden = false;
    await showComplaint(id);
    return;
  }
  options(document.getElementById('f-status'), COMPLAINT_STATUS);
  options(document.getElementById('f-rule'), COMPLAINT_RULES);
  options(document.getElementById('f-color'), COLORS);
  await directoryPickers();
  listPage({
    api: '/complaints',
    params: PARAMS,
    rows: (body) =>
      body.items.length ? body.items.map(row) : [el('tr', {}, el('td', { colspan: '9', class: 'muted' }, '无 None'))],
  });
}

void main();
