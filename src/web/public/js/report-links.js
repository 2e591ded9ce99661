// Where each count of the monthly report comes from: the case list or the card register
// query that reproduces it (its `total` is the number shown). Rates have no list.
import { el, fmtNumber } from './format.js';

/** The first day of the month after `month` (YYYY-MM) as YYYY-MM-DD. */
function nextMonthStart(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The dates of a month (YYYY-MM), or of a compared period of the report (`{from, to}`: in a month
 * still running, the earlier months' same first days).
 * @param {string | {from: string, to: string}} period
 */
function datesOf(period) {
  return typeof period === 'string' ? { from: `${period}-01`, to: nextMonthStart(period) } : period;
}

/**
 * The query of the report's center (if any): `centerId`, and `scope=subtree` when the count covers the
 * centers under it too (a report of a center with its subtree, as the API's default). The lists' default
 * is the center alone, so a count of one center (a row of the per-center table) carries no scope.
 * @param {{centerId?: string, scope?: string}} where
 */
function centerQuery(where) {
  const q = new URLSearchParams();
  if (where.centerId) {
    q.set('centerId', where.centerId);
    if (where.scope === 'subtree') q.set('scope', 'subtree');
  }
  return q;
}

/**
 * Whose counts a report shows (its filter): no center, one center, or a center with the centers under it
 * (`scope: 'subtree'`, the API's default for a center's report), so every link lists the same cases.
 * @param {{filter?: {centerId?: string, scope?: string}}} report
 */
export function reportWhere(report) {
  const { centerId, scope } = report.filter ?? {};
  return centerId ? { centerId, ...(scope === 'subtree' ? { scope } : {}) } : {};
}

/**
 * The list behind one count, or undefined when the figure is not a count of cases or cards.
 * @param {string | {from: string, to: string}} month YYYY-MM, or a compared period (datesOf)
 * @param {string} field a KPI field (labels.js KPIS), or 'accepted' | 'completed' | 'inProgress' | 'cards' | 'caseCards' |
 *   'complaintCards' |
 *   'withdrawnCards' (the card register's withdrawn view; `where.kind` one kind of its rows, as the report counts them)
 * @param {{centerId?: string, scope?: string, departmentId?: string, category?: string, rule?: string, color?: string,
 *   kind?: string}} where
 */
export function reportListLink(month, field, where = {}) {
  const { from, to } = datesOf(month);
  const q = centerQuery(where);
  for (const k of ['departmentId', 'category']) if (where[k]) q.set(k, where[k]);
  const cases = (extra) => {
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `/cases?${q}`;
  };
  switch (field) {
    case 'accepted':
      return cases({ acceptedFrom: from, acceptedTo: to });
    case 'completed': // of the month's cohort, completed before the month ended
      return cases({ acceptedFrom: from, acceptedTo: to, completedTo: to });
    case 'inProgress': // of the month's cohort, still open when the month ended
      return cases({ acceptedFrom: from, acceptedTo: to, openAt: to });
    case 'completedInPeriod':
      return cases({ completedFrom: from, completedTo: to });
    case 'openAtEnd': // whatever its acceptance month, still open when the month ended
      return cases({ openAt: to });
    case 'cardsTotal': // 红黄牌 of the KPIs and of a center: the cases' cards (SPEC §5), as /stats counts them
    case 'caseCards': // a department's red or yellow cards: its cases'
    case 'cards': // the card section: every card of the month, cases' and complaints'
    case 'complaintCards': // the card section's 投诉小计: the complaints' cards
    case 'withdrawnCards': {
      for (const k of ['rule', 'color']) if (where[k]) q.set(k, where[k]);
      if (field === 'withdrawnCards' && where.kind) q.set('kind', where.kind);
      if (field === 'cardsTotal' || field === 'caseCards') q.set('subject', 'case');
      if (field === 'complaintCards') q.set('subject', 'complaint');
      q.set('from', from);
      q.set('to', to);
      return field === 'withdrawnCards' ? `/cards?view=withdrawn&${q}` : `/cards?${q}`;
    }
    default:
      return undefined;
  }
}

/**
 * `<list>?…` of the report's center (if any), one date filter pair over the month (`<dates>From`,
 * `<dates>To`, the latter cut at the local date `until` when it comes first) and `extra`; undefined
 * when the cut leaves no day.
 */
function monthList(list, month, dates, where, extra = {}, until = undefined) {
  const { from, to: end } = datesOf(month);
  const to = until !== undefined && until < end ? until : end;
  if (to <= from) return undefined;
  const q = centerQuery(where);
  q.set(`${dates}From`, from);
  q.set(`${dates}To`, to);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `${list}?${q}`;
}

/**
 * The complaint list behind one complaint count of the month (SPEC §8 flow: each event on its own
 * date), or undefined for a rate. `closed` (本月办结) is every closure of the month; `closedOfAccepted`
 * (本月受理且已办结) is of the month's accepted, those closed by its end.
 * @param {string | {from: string, to: string}} month YYYY-MM, or a compared period (datesOf)
 * @param {string} field a complaint figure (report-feedback.js COMPLAINT_FIGURES)
 * @param {{centerId?: string, scope?: string}} where
 */
export function complaintListLink(month, field, where = {}) {
  const by = {
    received: ['received'],
    accepted: ['decided', { decided: 'accepted' }],
    rejected: ['decided', { decided: 'rejected' }],
    answered: ['answered'],
    closed: ['closed'],
    closedOfAccepted: ['decided', { decided: 'accepted', closedTo: datesOf(month).to }],
  }[field];
  return by === undefined ? undefined : monthList('/complaints', month, by[0], where, by[1]);
}

/** The complaints of one department answered in the month with this finding (the report's 查实 table). */
export function findingListLink(month, departmentId, finding, where = {}) {
  // Whose finding: the department in charge when it was answered ('': none was).
  return monthList('/complaints', month, 'answered', where, { answeredBy: departmentId, finding });
}

/**
 * The case list behind one rating (好差评) count of the month: the ratings given in it, its 差评, or its
 * 差评应整改 (follow-ups that fell due in it). A due counts once passed: its last day ended by the report's
 * `asOf` (ISO with the deployment's offset), so in a running month the list stops at that local date.
 * Rates have none.
 * @param {string | {from: string, to: string}} month YYYY-MM, or a compared period (datesOf)
 * @param {string} field a rating figure (report-feedback.js RATING_FIGURES)
 * @param {{centerId?: string, scope?: string}} where
 * @param {string} asOf the report's instant
 * @param {{departmentId?: string}} extra
 */
export function ratingListLink(month, field, where, asOf, extra = {}) {
  if (field === 'followUpsDue') {
    // Due once passed: up to the report's date, or in a compared period cut to a running month's days its last day.
    const until = typeof month === 'string' ? asOf.slice(0, 10) : (month.through ?? asOf.slice(0, 10));
    return monthList('/cases', month, 'followUpDue', where, extra, until);
  }
  const rating = { rated: {}, badRatings: { rating: 'bad' } }[field];
  return rating === undefined ? undefined : monthList('/cases', month, 'rated', where, { ...extra, ...rating });
}

/** A count as a link to its list (plain text when the figure has none or is not a number). */
export function countLink(text, value, href) {
  if (href === undefined || typeof value !== 'number') return text;
  return el('a', { href, class: 'count-link', title: `查看这 ${fmtNumber(value)} 条 Show them` }, text);
}

/** One complaint's page (the complaints page with `?id=`). */
export const complaintHref = (id) => `/complaints?id=${encodeURIComponent(id)}`;
