// Withdrawn cards (已撤销的红黄牌): cards the record held that a later write withdrew — a 停止计时, a
// completion or a reply recorded after the fact (补录), a complaint's decision or answer recorded after the
// fact, or a calendar correction. Shared by the case page (GET /cases/{id} `withdrawnCards`) and the card
// register's withdrawn view (GET /cards/withdrawn), whose rows are cases' cards and complaints'.
import { ALERT_RULES, COLORS, COMPLAINT_EVENT_TYPES, EVENT_TYPES, WITHDRAWAL, label } from './labels.js';

const ALL_EVENT_TYPES = { ...EVENT_TYPES, ...COMPLAINT_EVENT_TYPES };
import { el, fmtInstant } from './format.js';

/** An instant in the zone, machine-readable too. */
export const timeOf = (iso) => el('time', { datetime: iso }, fmtInstant(iso));

/** The card as it was shown: colour, rule, and the pause or escalation it was about. */
export function withdrawnCardName(c) {
  const ref =
    c.pauseId !== undefined
      ? ` · 暂停 pause ${c.pauseId}`
      : c.escalation !== undefined
        ? ` · 督办 escalation #${c.escalation + 1}${c.escalationId ? ` (${c.escalationId})` : ''}`
        : '';
  return [el('span', { class: `badge ${c.color}` }, label(COLORS, c.color)), ' ', label(ALERT_RULES, c.rule), ref];
}

/** What withdrew it: the case's events of that write (type, when each occurred, its revision), or the calendar versions. */
export function withdrawnByNode(by) {
  if (by && Array.isArray(by.events)) {
    return el(
      'ul',
      { class: 'withdrawn-by' },
      ...by.events.map((e) =>
        el(
          'li',
          { dataset: { eventType: e.type, revision: String(e.revision) } },
          el('strong', {}, label(ALL_EVENT_TYPES, e.type)),
          ` · ${label(WITHDRAWAL, 'occurred')} `,
          timeOf(e.occurredAt),
          ` · ${label(WITHDRAWAL, 'revision')} ${e.revision}`,
        ),
      ),
    );
  }
  if (by && by.calendarVersion !== undefined) {
    return el(
      'span',
      { class: 'withdrawn-by', dataset: { calendarVersion: by.calendarVersion } },
      ...(by.directoryVersion === undefined
        ? [el('strong', {}, label(WITHDRAWAL, 'calendar')), ` ${by.previousCalendarVersion} → ${by.calendarVersion}`]
        : [
            el('strong', {}, label(WITHDRAWAL, 'directory')),
            ` v${by.previousDirectoryVersion} → v${by.directoryVersion}`,
          ]),
    );
  }
  return '—';
}

/**
 * Where the record now starts the card of the same rule and subject, or that it shows none; for a
 * yellow card whose shown clearing a write changed (the card kept), where it now clears; and when a
 * later write put it back as it was.
 */
export function nowStartsNode(c) {
  const now = c.clearingChanged
    ? [
        el('strong', {}, label(WITHDRAWAL, 'clearingChanged')),
        ' · ',
        ...(c.nowClearedAt
          ? [`${label(WITHDRAWAL, 'nowClears')} `, timeOf(c.nowClearedAt)]
          : [el('span', { class: 'muted' }, label(WITHDRAWAL, 'notCleared'))]),
      ]
    : c.nowStartedAt
      ? [`${label(WITHDRAWAL, 'movedTo')} `, timeOf(c.nowStartedAt)]
      : [el('span', { class: 'muted' }, label(WITHDRAWAL, 'gone'))];
  return c.reinstatedAt ? [...now, ` · ${label(WITHDRAWAL, 'reinstated')} `, timeOf(c.reinstatedAt)] : now;
}

/** data-* of a withdrawn card's row, for styling and tests. */
export const withdrawnDataset = (c) => ({
  ...(c.complaintId === undefined ? { caseId: c.caseId } : { complaintId: c.complaintId }),
  rule: c.rule,
  color: c.color,
  startedAt: c.startedAt,
  withdrawnAt: c.withdrawnAt,
  ...(c.nowStartedAt ? { nowStartedAt: c.nowStartedAt } : {}),
  ...(c.clearingChanged ? { clearingChanged: 'true' } : {}),
  ...(c.reinstatedAt ? { reinstatedAt: c.reinstatedAt } : {}),
});

/** A withdrawn card's row on its case's or complaint's page (the register's row adds where it is). */
export function withdrawnCardRow(c) {
  return el(
    'tr',
    { class: `row-${c.color}`, dataset: withdrawnDataset(c) },
    el('td', {}, withdrawnCardName(c)),
    el('td', {}, timeOf(c.startedAt)),
    el('td', { class: 'hide-narrow' }, c.clearedAt ? timeOf(c.clearedAt) : '—'),
    el('td', {}, timeOf(c.withdrawnAt)),
    el('td', {}, nowStartsNode(c)),
    el('td', {}, withdrawnByNode(c.withdrawnBy)),
  );
}

/** The columns of `withdrawnCardRow`, written once for both pages. */
const SECTION_HEADERS = [
  ['牌 Card'],
  ['亮牌 Started'],
  ['消除 Cleared', 'hide-narrow'],
  ['撤销 Withdrawn'],
  ['现状 Now'],
  ['撤销原因 Withdrawn by'],
];

/** The withdrawn-cards section of a case's or complaint's page: shown only when there are any. */
export function renderWithdrawnSection(list) {
  document.getElementById('withdrawn-section').hidden = list.length === 0;
  const table = document.getElementById('withdrawn-cards');
  if (table.tHead === null) {
    const cells = SECTION_HEADERS.map(([text, cls]) => el('th', { scope: 'col', class: cls }, text));
    table.append(el('thead', {}, el('tr', {}, ...cells)), el('tbody'));
  }
  table.tBodies[0].replaceChildren(...list.map(withdrawnCardRow));
}
