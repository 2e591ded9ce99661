// 效能投诉 (SPEC §8): the list (GET /complaints: filters, cursor paging; the address holds
// the filters) and, with `?id=`, one complaint (GET /complaints/{id}): its events as a
// timeline, its two clocks in numbers and its cards explained (complaint-view.js).
import { COLORS, COMPLAINT_CHANNELS, COMPLAINT_RULES, COMPLAINT_STATUS, label } from './labels.js';
import { el, fmtInstant, loadConfig, localDate } from './format.js';
import { listPage } from './list-page.js';
import { wireHeader } from './nav.js';
import { centerCell, departmentCell, departmentOptions, directoryPickers, loadDirectory } from './directory.js';
import { showComplaint } from './complaint-view.js';
import { complaintHref } from './report-links.js';

const PARAMS = [
  'centerId',
  'scope',
  'departmentId',
  'hasDepartment',
  'answeredBy',
  'status',
  'rule',
  'color',
  'overdue',
  'receivedFrom',
  'receivedTo',
  'decided',
  'decidedFrom',
  'decidedTo',
  'finding',
  'answeredFrom',
  'answeredTo',
  'closedFrom',
  'closedTo',
  'satisfaction',
  'q',
  'sort',
  'limit',
];

function options(select, table) {
  select.append(...Object.keys(table).map((v) => el('option', { value: v }, label(table, v))));
}

// The due instant of the step pending (what sort=dueAt orders by): the decision until decided, then the
// answer until answered; nothing once answered, rejected or closed. Past it, says so.
function dueCell(r, asOf) {
  const [due, step] =
    r.status === 'received'
      ? [r.decideDueAt, '受理决定 decision']
      : r.status === 'accepted'
        ? [r.answerDueAt, '答复 answer']
        : [undefined, ''];
  if (!due) return el('td', { class: 'muted' }, '—');
  const late = Date.parse(due) <= Date.parse(asOf);
  return el(
    'td',
    { dataset: { due } },
    // The last day to act on, as the complaint page and the case list show deadlines: the due instant is
    // the end of that day (00:00 of the next), which read as a date would look a day late.
    el('time', { datetime: due, title: `截止 due ${fmtInstant(due)}` }, localDate(Date.parse(due) - 1)),
    el('span', { class: 'muted' }, ` ${step}`),
    late ? el('span', { class: 'badge red' }, '已逾期 overdue') : null,
    // The row's clocks use a day of a year the calendar only predicts (the complaint page says so too).
    r.provisional === true
      ? el('span', { class: 'muted', dataset: { provisional: 'true' } }, ' 暂定 provisional')
      : null,
  );
}

function row(r, asOf) {
  return el(
    'tr',
    { dataset: { complaintId: r.complaintId } },
    el('td', {}, el('a', { href: complaintHref(r.complaintId) }, r.complaintId)),
    el('td', {}, label(COMPLAINT_STATUS, r.status)),
    centerCell(r.centerId),
    r.departmentId
      ? departmentCell(r.departmentId, 'td', { class: 'hide-narrow' })
      : el('td', { class: 'hide-narrow muted' }, '—'),
    el('td', { class: 'hide-narrow' }, label(COMPLAINT_CHANNELS, r.channel)),
    el('td', { class: 'hide-narrow' }, r.subject),
    el('td', { class: 'hide-narrow' }, el('time', { datetime: r.receivedAt }, fmtInstant(r.receivedAt))),
    dueCell(r, asOf),
    el(
      'td',
      {},
      ...(r.alerts ?? []).map((a) =>
        el(
          'span',
          { class: `badge ${a.color}`, title: label(COLORS, a.color), dataset: { rule: a.rule } },
          a.count ? `${label(COMPLAINT_RULES, a.rule)} ×${a.count}` : label(COMPLAINT_RULES, a.rule),
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
  // Whose finding: a department of the directory, or none in charge when answered (answeredBy=, the report's 查实 row
  // of none); an id not in the directory is added from the address.
  document.getElementById('f-answered-by').append(...departmentOptions());
  listPage({
    api: '/complaints',
    params: PARAMS,
    // The listing's instant matters to one sort only: since when a complaint is past due.
    listedNote: (q) => (q.get('sort')?.endsWith('overdueDays') ? '（逾期排序按此时点计算）' : ''),
    csvName: () => 'complaints.csv',
    rows: (body) =>
      body.items.length
        ? body.items.map((r) => row(r, body.asOf))
        : [el('tr', {}, el('td', { colspan: '9', class: 'muted' }, '无 None'))],
  });
}

void main();
