// One complaint (GET /complaints/{id}): what it is about, its two clocks in numbers
// (decide within N working days of receipt, answer within N of acceptance), each card
// with the rule and the figures that raised it, the cards a later write withdrew (when it
// has any), and its events as a timeline (for an auditor or admin: a monitor's answer has no
// events, the record with its actors being a history, and the timeline says so).
import { apiJson } from './api.js';
import {
  COLORS,
  COMPLAINT_CHANNELS,
  COMPLAINT_CLOCK_KEYS,
  COMPLAINT_EVENT_TYPES,
  COMPLAINT_FINDINGS,
  COMPLAINT_RULE_TEXT,
  COMPLAINT_RULES,
  COMPLAINT_STATUS,
  EXPLAIN_KEYS,
  SATISFACTION,
  label,
} from './labels.js';
import { el, fmtInstant, fmtNumber, instantFromInputKeeping, localDate, localDateTimeInput } from './format.js';
import { centerText, departmentText } from './directory.js';
import { showForbiddenNotice } from './nav.js';
import { renderWithdrawnSection } from './withdrawn.js';

const $ = (id) => document.getElementById(id);
// The clocks' figures, and a late-record card's (its event: named as on the case page).
const keyName = (key) => label(key in COMPLAINT_CLOCK_KEYS ? COMPLAINT_CLOCK_KEYS : EXPLAIN_KEYS, key);
const dateOf = (iso) => (iso ? localDate(Date.parse(iso)) : '—');

function facts(node, rows) {
  node.replaceChildren(
    ...rows
      .filter(([, , text]) => text !== undefined)
      .map(([key, name, text]) => el('div', { dataset: { field: key } }, el('dt', {}, name), el('dd', {}, text))),
  );
}

function onTimeText(onTime) {
  if (onTime === true) return '是 yes';
  if (onTime === false) return '否（逾期）no (late)';
  return '进行中 not due yet';
}

function aboutRows(c) {
  return [
    ['channel', '渠道 Channel', label(COMPLAINT_CHANNELS, c.channel)],
    ['center', '中心 Center', centerText(c.centerId)],
    ['department', '责任部门 Department in charge', c.departmentId ? departmentText(c.departmentId) : '—'],
    [
      'case',
      '涉及案件 About case',
      c.caseId ? el('a', { href: `/cases/${encodeURIComponent(c.caseId)}` }, c.caseId) : '—',
    ],
    ['subject', '事由 Subject', c.subject],
    ['anonymous', '匿名 Anonymous', c.anonymous ? '是 yes' : undefined],
    ['receivedAt', '收到 Received', fmtInstant(c.receivedAt)],
    ['acceptedAt', '受理 Accepted', c.acceptedAt ? fmtInstant(c.acceptedAt) : undefined],
    ['rejected', '不予受理 Rejected', c.rejected ? `${fmtInstant(c.rejected.at)}：${c.rejected.reason}` : undefined],
    [
      'answered',
      '答复 Answered',
      c.answered
        ? `${fmtInstant(c.answered.at)}：${label(COMPLAINT_FINDINGS, c.answered.finding)}${c.answered.note ? `，${c.answered.note}` : ''}`
        : undefined,
    ],
    [
      'closed',
      '办结 Closed',
      c.closed
        ? `${fmtInstant(c.closed.at)}${c.closed.satisfaction ? `：${label(SATISFACTION, c.closed.satisfaction)}` : '（未评价 no satisfaction given）'}`
        : undefined,
    ],
  ];
}

function decideRows(c) {
  const d = c.decide;
  return [
    ['receivedDate', keyName('receivedDate'), dateOf(c.receivedAt)],
    ['withinDays', keyName('withinDays'), fmtNumber(d.withinDays)],
    ['byDate', keyName('byDate'), d.byDate],
    ['dueAt', keyName('dueAt'), fmtInstant(d.dueAt)],
    ['decidedAt', keyName('decidedAt'), d.decidedAt ? fmtInstant(d.decidedAt) : '未决定 not decided'],
    ['usedDays', keyName('usedDays'), fmtNumber(d.usedDays)],
    ['onTime', keyName('onTime'), onTimeText(d.onTime)],
  ];
}

function answerRows(c) {
  const a = c.answer;
  return [
    ['acceptedDate', keyName('acceptedDate'), dateOf(c.acceptedAt)],
    ['withinDays', keyName('withinDays'), fmtNumber(a.withinDays)],
    ['warnAtDay', keyName('warnAtDay'), a.warnAtDay ? fmtNumber(a.warnAtDay) : undefined],
    ['warnAt', keyName('warnAt'), a.warnAt ? fmtInstant(a.warnAt) : undefined],
    ['byDate', keyName('byDate'), a.byDate],
    ['dueAt', keyName('dueAt'), fmtInstant(a.dueAt)],
    ['answeredAt', keyName('answeredAt'), a.answeredAt ? fmtInstant(a.answeredAt) : '未答复 not answered'],
    ['usedDays', keyName('usedDays'), fmtNumber(a.usedDays)],
    ['remainingDays', keyName('remainingDays'), fmtNumber(a.remainingDays)],
    ['overdueDays', keyName('overdueDays'), fmtNumber(a.overdueDays)],
    ['onTime', keyName('onTime'), onTimeText(a.onTime)],
  ];
}

/** The figures behind one card, from the clocks (the same numbers the engine timed it with). */
function cardFigures(card, c) {
  const d = c.decide;
  const a = c.answer;
  const [zh, en] = COMPLAINT_RULE_TEXT[card.rule] ?? ['', ''];
  const rows = [];
  if (card.rule === 'complaint-late-record') {
    const late = card.details ?? {};
    rows.push(
      ['eventType', label(COMPLAINT_EVENT_TYPES, late.eventType)],
      ['revision', fmtNumber(late.revision)],
      ['delayHours', fmtNumber(late.delayHours)],
    );
  } else if (card.rule === 'complaint-undecided') {
    rows.push(
      ['receivedDate', dateOf(c.receivedAt)],
      ['withinDays', fmtNumber(d.withinDays)],
      ['byDate', d.byDate],
      ['dueAt', fmtInstant(d.dueAt)],
      ['decidedAt', d.decidedAt ? fmtInstant(d.decidedAt) : '未决定 not decided'],
    );
  } else if (a) {
    rows.push(['acceptedDate', dateOf(c.acceptedAt)], ['withinDays', fmtNumber(a.withinDays)]);
    if (card.rule === 'complaint-answer-warning')
      rows.push(['warnAtDay', fmtNumber(a.warnAtDay)], ['warnAt', fmtInstant(a.warnAt)]);
    rows.push(['byDate', a.byDate], ['dueAt', fmtInstant(a.dueAt)]);
    if (card.rule === 'complaint-overdue') rows.push(['overdueDays', fmtNumber(a.overdueDays)]);
    rows.push(['answeredAt', a.answeredAt ? fmtInstant(a.answeredAt) : '未答复 not answered']);
  }
  rows.push(
    ['startedAt', fmtInstant(card.startedAt)],
    ['clearedAt', card.clearedAt ? fmtInstant(card.clearedAt) : '—'],
  );
  const withinDays = card.rule === 'complaint-undecided' ? d.withinDays : a?.withinDays;
  const n = (text) => (withinDays === undefined ? text : text.replaceAll('N', String(withinDays)));
  return el(
    'div',
    { class: 'explain' },
    el('p', {}, n(zh), el('br'), el('span', { class: 'muted' }, n(en))),
    el('dl', {}, ...rows.flatMap(([key, text]) => [el('dt', {}, keyName(key)), el('dd', { dataset: { key } }, text)])),
  );
}

function cardItem(card, c) {
  const inForce = (c.alerts ?? []).includes(card.rule);
  return el(
    'li',
    { class: card.color, dataset: { rule: card.rule, inForce: String(inForce) } },
    el('span', { class: `badge ${card.color}` }, label(COLORS, card.color)),
    ' ',
    el('strong', {}, label(COMPLAINT_RULES, card.rule)),
    ' ',
    el(
      'span',
      { class: 'muted' },
      inForce
        ? '告警中 in force now'
        : card.clearedAt
          ? '已解除 cleared'
          : card.color === 'red'
            ? '在案 on record' // a red card never clears (SPEC §3); the work done is in its figures
            : '',
    ),
    cardFigures(card, c),
  );
}

/** The fields of an event worth showing beside its type (the rest are in the header or the table). */
function eventDetails(e) {
  const parts = [];
  if (e.channel) parts.push(label(COMPLAINT_CHANNELS, e.channel));
  if (e.subject) parts.push(e.subject);
  if (e.caseId) parts.push(`案件 case ${e.caseId}`);
  if (e.departmentId) parts.push(departmentText(e.departmentId));
  if (e.reason) parts.push(e.reason);
  if (e.finding) parts.push(label(COMPLAINT_FINDINGS, e.finding));
  if (e.note) parts.push(e.note);
  if (e.satisfaction) parts.push(label(SATISFACTION, e.satisfaction));
  if (e.anonymous) parts.push('匿名 anonymous');
  return parts.join('；');
}

function eventRow(e) {
  return el(
    'tr',
    { dataset: { type: e.type } },
    el('td', { class: 'num' }, String(e.revision)),
    el('td', {}, label(COMPLAINT_EVENT_TYPES, e.type)),
    el('td', {}, el('time', { datetime: e.occurredAt }, fmtInstant(e.occurredAt))),
    el('td', { class: 'hide-narrow' }, fmtInstant(e.recordedAt)),
    el('td', {}, eventDetails(e)),
    el('td', { class: 'hide-narrow' }, e.actor ?? '—'),
  );
}

/**
 * The replay controls (as of, as known at), kept in the address as the case page keeps its own: an
 * auditor's link opens the complaint as it stood, as it was known then.
 */
function wireReplay(id, asOf, asKnownAt) {
  if (asOf) $('complaint-asof').value = localDateTimeInput(Date.parse(asOf));
  if (asKnownAt) $('complaint-asknown').value = localDateTimeInput(Date.parse(asKnownAt), { seconds: true });
  $('complaint-asof-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ id });
    // Left as the page filled them, the inputs keep the instants asked (the seconds and milliseconds they cut).
    for (const [input, name, shown, unitMs] of [
      ['complaint-asof', 'asOf', asOf, 60_000],
      ['complaint-asknown', 'asKnownAt', asKnownAt, 1000],
    ]) {
      const value = $(input).value;
      if (value === '') continue;
      const instant = instantFromInputKeeping(value, shown, unitMs);
      if (instant === null) {
        $('detail-error').textContent = `时间格式有误 Invalid time: ${name}`;
        return;
      }
      q.set(name, instant);
    }
    location.assign(`/complaints?${q}`);
  });
  $('complaint-asof-clear').addEventListener('click', () =>
    location.assign(`/complaints?id=${encodeURIComponent(id)}`),
  );
}

export async function showComplaint(id) {
  $('complaint-id').textContent = id;
  document.title = `效能投诉 ${id} — 电子监察`;
  const address = new URLSearchParams(location.search);
  const valid = (name) => {
    const v = address.get(name);
    return v && Number.isFinite(Date.parse(v)) ? v : undefined;
  };
  const asOf = valid('asOf');
  const asKnownAt = valid('asKnownAt');
  wireReplay(id, asOf, asKnownAt);
  const q = new URLSearchParams();
  if (asOf) q.set('asOf', asOf);
  if (asKnownAt) q.set('asKnownAt', asKnownAt);
  let c;
  try {
    c = await apiJson(`/complaints/${encodeURIComponent(id)}${q.toString() ? `?${q}` : ''}`);
  } catch (e) {
    // A role that may not read complaints: the page behind the notice, as every refused page.
    if (e.status === 403) return showForbiddenNotice(e.message);
    $('detail-error').textContent = e.message;
    // No complaint to show: no empty headings and tables of one.
    // With an instant asked for, the replay stays: another instant may find the complaint.
    for (const section of document.querySelectorAll('#detail-view section'))
      section.hidden = !(section.id === 'complaint-replay' && (asOf || asKnownAt));
    return;
  }
  $('complaint-status').replaceChildren(
    el('span', { class: 'badge', dataset: { status: c.status } }, label(COMPLAINT_STATUS, c.status)),
  );
  $('asof').textContent = `（截至 as of ${fmtInstant(c.asOf)}）`;
  $('complaint-asof-status').textContent = c.asKnownAt
    ? `显示 ${fmtInstant(c.asOf)} 时的状态，仅用 ${fmtInstant(c.asKnownAt)} 前已记录的事件 Showing the complaint as of ${fmtInstant(c.asOf)}, as known at ${fmtInstant(c.asKnownAt)}`
    : `显示 ${fmtInstant(c.asOf)} 时的状态（已记录的全部事件） Showing the complaint as of ${fmtInstant(c.asOf)}, everything recorded`;
  // SPEC §3: the answer says when its clocks may still move (the case page says it beside the deadline).
  $('clocks-provisional').hidden = c.provisional !== true;
  facts($('about'), aboutRows(c));
  facts($('decide-clock'), decideRows(c));
  if (c.answer) facts($('answer-clock'), answerRows(c));
  else
    $('answer-clock').replaceChildren(
      el(
        'p',
        { class: 'muted' },
        c.rejected
          ? '不予受理，无答复时限 Rejected: no answer clock'
          : '受理后开始计算答复时限 The answer clock starts at acceptance',
      ),
    );
  const cards = c.cards ?? [];
  $('cards').replaceChildren(
    ...(cards.length ? cards.map((card) => cardItem(card, c)) : [el('li', { class: 'muted' }, '无红黄牌 No cards')]),
  );
  renderWithdrawnSection(c.withdrawnCards ?? []);
  $('events').tBodies[0].replaceChildren(
    ...(c.events
      ? c.events.map(eventRow)
      : [
          el(
            'tr',
            { dataset: { unavailable: 'history' } },
            el(
              'td',
              { colspan: '6', class: 'muted' },
              '逐条事件记录仅供审计人员查看 The event-by-event record is for auditors',
            ),
          ),
        ]),
  );
}
