// The card register (GET /cards): the cards started in a period, with why, in numbers; and, as its
// withdrawn view (`/cards?view=withdrawn`, GET /cards/withdrawn), the cards of the period the record held
// and a later write withdrew, with when and by what. Same filters, total, paging and CSV in both.
import { ALERT_RULES, CARD_SUBJECTS, COLORS, label, WITHDRAWN_KINDS } from './labels.js';
import { complaintHref } from './report-links.js';
import { addDays, el, loadConfig, localDate, withWholeDates } from './format.js';
import { listPage } from './list-page.js';
import { wireHeader } from './nav.js';
import { directoryPickers } from './directory.js';
import { explainFigures } from './explain-figures.js';
import { nowStartsNode, timeOf, withdrawnByNode, withdrawnCardName, withdrawnDataset } from './withdrawn.js';

const PARAMS = ['from', 'to', 'centerId', 'scope', 'departmentId', 'rule', 'color', 'subject', 'kind', 'limit'];
const withdrawnView = new URLSearchParams(location.search).get('view') === 'withdrawn';

const who = (id, name) => (name ? el('span', { title: id }, name) : id);
const caseLink = (caseId) => el('a', { href: `/cases/${encodeURIComponent(caseId)}`, class: 'case-id' }, caseId);
/** A case's card or a complaint's (SPEC §8): each links to its own page, its id never broken at a hyphen. */
const subjectLink = (r) =>
  r.complaintId === undefined
    ? caseLink(r.caseId)
    : el('a', { href: complaintHref(r.complaintId), title: '效能投诉 complaint', class: 'case-id' }, r.complaintId);

function row(r) {
  return el(
    'tr',
    {},
    el('td', {}, subjectLink(r)),
    el('td', {}, el('span', { class: `badge ${r.color}` }, label(COLORS, r.color)), ' ', label(ALERT_RULES, r.rule)),
    el(
      'td',
      {},
      timeOf(r.startedAt),
      // The card's clock runs over days of a year the calendar only predicts (SPEC §3; the CSV's 时限为预测).
      r.provisional === true
        ? el('span', { class: 'muted', dataset: { provisional: 'true' } }, ' 暂定 provisional')
        : null,
    ),
    // On a phone: the case, the card, when and why (the columns below are in the CSV and on a wide screen).
    el('td', { class: 'hide-narrow' }, r.clearedAt ? timeOf(r.clearedAt) : '—'),
    el('td', { class: 'hide-narrow' }, who(r.centerId, r.centerName)),
    el('td', { class: 'hide-narrow' }, who(r.departmentId, r.departmentName)),
    el('td', { class: 'hide-narrow' }, r.matterName ?? r.matterCode ?? '—'),
    el('td', { class: 'explain-figures' }, ...withWholeDates(explainFigures(r.explain))),
  );
}

/** A withdrawn card: as it was shown, when it was withdrawn, where the record now starts it, and by what. */
function withdrawnRow(r) {
  return el(
    'tr',
    { dataset: withdrawnDataset(r) },
    el('td', {}, subjectLink(r)),
    el('td', {}, withdrawnCardName(r)),
    el('td', {}, timeOf(r.startedAt)),
    el('td', { class: 'hide-narrow' }, r.clearedAt ? timeOf(r.clearedAt) : '—'),
    el('td', {}, timeOf(r.withdrawnAt)),
    el('td', {}, nowStartsNode(r)),
    el('td', { class: 'hide-narrow' }, who(r.centerId, r.centerName)),
    el('td', { class: 'hide-narrow' }, who(r.departmentId, r.departmentName)),
    el('td', { class: 'hide-narrow' }, r.matterName ?? r.matterCode ?? '—'),
    el('td', {}, withdrawnByNode(r.withdrawnBy)),
  );
}

const WITHDRAWN_HEAD = [
  ['案件编号 Case'],
  ['牌 Card'],
  ['亮牌 Started'],
  ['消除 Cleared', 'hide-narrow'],
  ['撤销 Withdrawn'],
  ['现状 Now'],
  ['中心 Center', 'hide-narrow'],
  ['部门 Department', 'hide-narrow'],
  ['事项 Matter', 'hide-narrow'],
  ['撤销原因 Withdrawn by'],
];

/** The other view of the same listing: the address's filters, with or without `view=withdrawn`. */
function viewHref(withdrawn) {
  const q = new URLSearchParams(location.search);
  q.delete('view');
  if (!withdrawn) q.delete('kind'); // the withdrawn view's alone (GET /cards refuses it)
  const qs = q.toString();
  return withdrawn ? `/cards?view=withdrawn${qs ? `&${qs}` : ''}` : `/cards${qs ? `?${qs}` : ''}`;
}

function wireTabs() {
  const tabs = [
    [document.getElementById('tab-register'), false],
    [document.getElementById('tab-withdrawn'), true],
  ];
  for (const [a, withdrawn] of tabs) {
    if (withdrawn === withdrawnView) a.setAttribute('aria-current', 'page');
    // The link follows the listing on screen (listPage keeps its filters in the address).
    const refresh = () => a.setAttribute('href', viewHref(withdrawn));
    for (const type of ['focus', 'mouseenter', 'click']) a.addEventListener(type, refresh);
    refresh();
  }
}

await loadConfig();
wireHeader();
wireTabs();
const form = document.getElementById('filters');
for (const [id, table] of [
  ['f-rule', ALERT_RULES],
  ['f-color', COLORS],
  ['f-subject', CARD_SUBJECTS],
  ['f-kind', WITHDRAWN_KINDS],
]) {
  document.getElementById(id).append(...Object.keys(table).map((v) => el('option', { value: v }, label(table, v))));
}
// 性质 (a card withdrawn, a changed clearing, a row put back) filters the withdrawn view only.
if (!withdrawnView) document.getElementById('f-kind').closest('div').remove();
if (withdrawnView) {
  document.title = '已撤销的红黄牌 Withdrawn cards — 电子监察';
  document
    .getElementById('view-title')
    .replaceChildren('已撤销的红黄牌 ', el('span', { class: 'muted' }, 'Withdrawn cards'));
  document.getElementById('view-note').hidden = false;
  document
    .querySelector('#rows thead')
    .replaceChildren(
      el('tr', {}, ...WITHDRAWN_HEAD.map(([text, cls]) => el('th', { scope: 'col', class: cls }, text))),
    );
}
// Default period: this month so far (an address with from/to overrides it). The fields' default values,
// not their values: listPage resets the form before filling it from the address.
const today = localDate(Date.now());
form.elements.namedItem('from').defaultValue = `${today.slice(0, 8)}01`;
form.elements.namedItem('to').defaultValue = addDays(today, 1);
await directoryPickers();
const none = (cols) => [el('tr', {}, el('td', { colspan: String(cols), class: 'muted' }, '无 None'))];
listPage({
  api: withdrawnView ? '/cards/withdrawn' : '/cards',
  params: withdrawnView ? PARAMS : PARAMS.filter((p) => p !== 'kind'),
  ...(withdrawnView ? { addressParams: { view: 'withdrawn' } } : {}),
  rows: (body) =>
    withdrawnView
      ? body.items.length
        ? body.items.map(withdrawnRow)
        : none(WITHDRAWN_HEAD.length)
      : body.items.length
        ? body.items.map(row)
        : none(8),
  csvName: (q) => `${withdrawnView ? 'withdrawn-cards' : 'cards'}-${q.get('from')}-${q.get('to')}.csv`,
  check: (q) => (q.get('from') && q.get('to') ? undefined : '请选择期间 Choose the period (from, to)'),
});
