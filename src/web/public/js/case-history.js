// The case page's event history (GET /cases/{id}/history): one row per event
// (revision, position, what, occurred, recorded, who recorded it, the case after it) and per
// card at its instant (started, cleared, or withdrawn by a later write: the register's row); paged, more pages appended on request. A back-dated
// pause or extension (the engine's `retroactive` flag: 停止计时 or 延期 recorded after the case
// would have been due without it) and an event recorded late (the engine's `lateRecord` flag: the
// event a late-record card is of, by the case's policy) are marked as such.
import { apiJson } from './api.js';
import { COLORS, EVENT_TYPES, LEVELS, OUTCOMES, REASONS, RULES, STATUS, label } from './labels.js';
import { el, fmtInstant } from './format.js';

const HOUR = 3_600_000;

function stateSummary(state) {
  if (!state || typeof state !== 'object') return '';
  const parts = [];
  if (state.status) parts.push(label(STATUS, state.status));
  if (state.deadlineDate) parts.push(`时限 ${state.deadlineDate}`);
  if (typeof state.usedDays === 'number') parts.push(`已用 ${state.usedDays}`);
  if (typeof state.remainingDays === 'number') parts.push(`剩余 ${state.remainingDays}`);
  if (typeof state.overdueDays === 'number' && state.overdueDays > 0) parts.push(`逾期 ${state.overdueDays}`);
  return parts.join(' · ');
}

/**
 * How long after it occurred an event was recorded, when the engine says it was recorded late
 * (`lateRecord`: it has a late-record card). Not recomputed here: a threshold of its own (a day
 * or more) marked an event recorded exactly 24 h later, which has no card, and would miss a
 * policy's other `lateRecordHours`.
 */
function recordedLate(entry) {
  if (entry.lateRecord !== true) return null;
  const delay = Date.parse(entry.recordedAt) - Date.parse(entry.event.occurredAt);
  const text = delay >= 48 * HOUR ? `${Math.floor(delay / (24 * HOUR))} 天 days` : `${Math.floor(delay / HOUR)} 小时 h`;
  return el('span', { class: 'muted' }, ` (迟记 recorded ${text} later)`);
}

/** The ids of the pauses the engine flags retroactive in an evaluation. */
export function backDatedPauseIds(evaluation) {
  return new Set((evaluation?.pauses ?? []).filter((p) => p.retroactive).map((p) => p.pauseId));
}

/** The instants (ms) of the extensions (延期) the engine flags retroactive: a CaseExtended occurring then is back-dated. */
export function backDatedExtensionInstants(evaluation) {
  return new Set((evaluation?.extensions ?? []).filter((x) => x.retroactive).map((x) => Date.parse(x.at)));
}

/** What a card row says happened at its instant: started, cleared, or withdrawn (a clearing changed). */
function cardWhat(entry) {
  if (entry.kind === 'card-cleared') return '解除 cleared';
  if (entry.kind !== 'card-withdrawn') return '开始 started';
  const what = entry.card.clearingChanged ? '消除时间更正 clearing changed' : '撤销 withdrawn';
  return entry.card.reinstatedAt ? `${what}（已恢复 put back ${fmtInstant(entry.card.reinstatedAt)}）` : what;
}

function cardRow(entry) {
  const card = entry.card;
  return el(
    'tr',
    { class: `row-${card.color}`, dataset: { kind: entry.kind === 'card-withdrawn' ? 'card-withdrawn' : 'card' } },
    el('td', { class: 'num' }, ''),
    el('td', { class: 'num' }, ''),
    el('td', {}, el('span', { class: `badge ${card.color}` }, label(COLORS, card.color)), ' ', label(RULES, card.rule)),
    el('td', {}, fmtInstant(entry.at)),
    el('td', {}, '—'),
    el('td', { class: 'muted' }, '引擎 engine'),
    el('td', { class: 'hide-narrow' }, cardWhat(entry)),
  );
}

function eventRow(entry, backDated) {
  const event = entry.event;
  const isBackDated =
    (entry.type === 'CasePaused' && backDated.pauses.has(event.pauseId)) ||
    (entry.type === 'CaseExtended' && backDated.extensions.has(Date.parse(event.occurredAt)));
  return el(
    'tr',
    {
      class: isBackDated ? 'row-yellow' : null,
      dataset: { kind: 'event', revision: String(entry.revision), ...(isBackDated ? { backDated: 'true' } : {}) },
    },
    el('td', { class: 'num' }, String(entry.revision)),
    el('td', { class: 'num' }, String(entry.position)),
    el(
      'td',
      {},
      label(EVENT_TYPES, entry.type),
      event.pauseId ? ` ${event.pauseId}` : '',
      event.reason ? ` ${label(REASONS, event.reason)}` : '',
      event.level ? ` ${label(LEVELS, event.level)}` : '',
      event.outcome ? ` ${label(OUTCOMES, event.outcome)}` : '',
      entry.type === 'CaseExtended' && typeof event.days === 'number' ? ` +${event.days} 工作日 working days` : '',
      isBackDated ? [' ', el('span', { class: 'badge yellow' }, '补录 back-dated')] : null,
    ),
    el('td', {}, fmtInstant(event.occurredAt)),
    el('td', {}, fmtInstant(entry.recordedAt), recordedLate(entry)),
    // Who did it: the event's actor, else who escalated, answered or followed up (`by`).
    el('td', { class: 'actor' }, entry.actor ?? event.actor ?? event.by ?? el('span', { class: 'muted' }, '—')),
    el('td', { class: 'hide-narrow' }, stateSummary(entry.state)),
  );
}

/**
 * The history table with its count line and "load more" button. `show` renders
 * a first page for a query; the button fetches the next page of that query.
 */
export function createHistoryView({ caseId, table, count, more, onError }) {
  let query = '';
  let next = null;
  let events = 0;
  let generation = 0;
  let backDated = { pauses: new Set(), extensions: new Set() };

  function render(page, append) {
    const rows = page.entries.map((entry) => (entry.kind === 'event' ? eventRow(entry, backDated) : cardRow(entry)));
    const body = table.tBodies[0];
    if (append) body.append(...rows);
    else body.replaceChildren(...(rows.length ? rows : [emptyRow('无 None')]));
    events = (append ? events : 0) + page.entries.filter((e) => e.kind === 'event').length;
    next = page.next ?? null;
    more.hidden = next === null;
    count.textContent =
      next === null
        ? `共 ${events} 个事件 ${events} events`
        : `已显示 ${events} 个事件，还有更多 ${events} events shown, more to load`;
  }

  function emptyRow(text) {
    return el('tr', {}, el('td', { colspan: '7', class: 'muted' }, text));
  }

  more.addEventListener('click', async () => {
    if (next === null) return;
    const asked = generation;
    more.disabled = true;
    try {
      const page = await apiJson(`/cases/${encodeURIComponent(caseId)}/history?${query}&after=${next}`);
      if (asked === generation) render(page, true); // else another instant was asked for meanwhile
    } catch (e) {
      onError(`加载失败 Could not load: ${e.message}`);
    } finally {
      more.disabled = false;
    }
  });

  return {
    /** The first page of the history for `pageQuery`; `evaluation` gives the back-dated pauses. */
    show(page, pageQuery, evaluation) {
      generation++;
      query = pageQuery;
      backDated = { pauses: backDatedPauseIds(evaluation), extensions: backDatedExtensionInstants(evaluation) };
      render(page, false);
    },
    unavailable(message) {
      generation++;
      next = null;
      more.hidden = true;
      count.textContent = '';
      table.tBodies[0].replaceChildren(emptyRow(`历史不可用 History unavailable: ${message}`));
    },
  };
}
