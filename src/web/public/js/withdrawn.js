// Withdrawn cards (已撤销的红黄牌): cards the record held that a later write withdrew — a 停止计时, a
// completion or a reply recorded after the fact (补录), or a calendar correction. Shared by the case page
// (GET /cases/{id} `withdrawnCards`) and the card register's withdrawn view (GET /cards/withdrawn).
import { COLORS, EVENT_TYPES, RULES, WITHDRAWAL, label } from './labels.js';
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
  return [el('span', { class: `badge ${c.color}` }, label(COLORS, c.color)), ' ', label(RULES, c.rule), ref];
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
          el('strong', {}, label(EVENT_TYPES, e.type)),
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
      el('strong', {}, label(WITHDRAWAL, 'calendar')),
      ` ${by.previousCalendarVersion} → ${by.calendarVersion}`,
    );
  }
  return '—';
}

/** Where the record now starts the card of the same rule and subject, or that it shows none. */
export function nowStartsNode(c) {
  return c.nowStartedAt
    ? [`${label(WITHDRAWAL, 'movedTo')} `, timeOf(c.nowStartedAt)]
    : el('span', { class: 'muted' }, label(WITHDRAWAL, 'gone'));
}

/** data-* of a withdrawn card's row, for styling and tests. */
export const withdrawnDataset = (c) => ({
  caseId: c.caseId,
  rule: c.rule,
  color: c.color,
  startedAt: c.startedAt,
  withdrawnAt: c.withdrawnAt,
  ...(c.nowStartedAt ? { nowStartedAt: c.nowStartedAt } : {}),
});
