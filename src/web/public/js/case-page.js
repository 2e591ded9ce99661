// Case page for auditors: the case evaluated at an instant, its timeline, cards
// with their explanation, and the event history (paged); replayable to any
// instant ("as of"), and to what was recorded by an instant ("as known at").
import { ApiError, apiJson } from './api.js';
import {
  CATEGORIES,
  CHANNELS,
  COLORS,
  EXTENSION_FLAGS,
  KINDS,
  LEVELS,
  OUTCOMES,
  RATING_CHANNELS,
  RATING_SCORES,
  REASONS,
  RULES,
  STATUS,
  label,
} from './labels.js';
import {
  el,
  fmtInstant,
  getZone,
  instantFromInputKeeping,
  isoInZone,
  loadConfig,
  localDate,
  localDateTimeInput,
} from './format.js';
import { renderExplain } from './explain.js';
import { renderTimeline } from './timeline.js';
import { createHistoryView } from './case-history.js';
import { wireHeader } from './nav.js';
import { centerText, departmentText, loadDirectory } from './directory.js';
import { renderWithdrawnSection, timeOf } from './withdrawn.js';

const $ = (id) => document.getElementById(id);
const MINUTE = 60_000;
const SECOND = 1000;
const caseId = decodeURIComponent(location.pathname.replace(/^\/cases\//, '').replace(/\/$/, ''));
const enc = encodeURIComponent(caseId);

// The slider's span: acceptance to completion, or to the page's load for an open case (whose end means now).
let life = { start: 0, end: 0, endIso: null, open: false };
let current = null; // last CaseEvaluation shown
let knownAt = null; // ISO instant of "as known at", or null for everything recorded
let pinned = false; // the user picked "as of"; otherwise the page shows now and its address says so (no asOf)
let shownAsOf = null; // the "as of" instant last asked for, exactly as asked (null: now)
let requestSeq = 0;
const historyView = createHistoryView({
  caseId,
  table: $('history'),
  count: $('history-count'),
  more: $('history-more'),
  onError: showError,
});

function showError(message) {
  $('error').textContent = message ?? '';
}

/** The lookup is for cases; an id that is a complaint's gets a link to the complaint instead of "no case" alone. */
async function offerComplaint() {
  try {
    await apiJson(`/complaints/${enc}`);
  } catch {
    return; // not a complaint either (or not readable with this token): "no case" says it all
  }
  $('error').append(
    ' — ',
    el('a', { href: `/complaints?id=${enc}`, id: 'complaint-link' }, `这是一件投诉 It is a complaint: ${caseId}`),
  );
}

const yesNo = (b) => (b === null || b === undefined ? '—' : b ? '是 yes' : '否 no');

function renderFacts(ev) {
  const facts = [
    ['status', '状态 Status', label(STATUS, ev.status)],
    ['center', '服务中心 Center', centerText(ev.centerId)],
    ['department', '部门 Department', departmentText(ev.departmentId)],
    ['matter', '事项 Matter', ev.matterName ? `${ev.matterName} (${ev.matterCode})` : ev.matterCode],
    ['kind', '类型 Kind', label(KINDS, ev.kind)],
    ['channel', '渠道 Channel', label(CHANNELS, ev.channel)],
    ['category', '类别 Category', ev.category ? label(CATEGORIES, ev.category) : '—'],
    ['promisedDays', '承诺时限 Promised', `${ev.promisedDays} 工作日 working days`],
    ['legalDays', '法定时限 Legal', ev.legalDays === undefined ? '—' : `${ev.legalDays} 工作日 working days`],
    ['acceptedAt', '受理 Accepted', fmtInstant(ev.acceptedAt)],
    ['deadlineDate', '办结时限 Deadline date', ev.deadlineDate + (ev.provisional ? ' (暂定 provisional)' : '')],
    ['dueAt', '截止时刻 Due at', fmtInstant(ev.dueAt)],
    ['usedDays', '已用 Used', `${ev.usedDays} 天 days`],
    ['remainingDays', '剩余 Remaining', `${ev.remainingDays} 天 days`],
    ['overdueDays', '逾期 Overdue', `${ev.overdueDays} 天 days`],
    [
      'completedAt',
      '办结 Completed',
      ev.completedAt ? `${fmtInstant(ev.completedAt)} ${label(OUTCOMES, ev.outcome)}` : '—',
    ],
    ['onTime', '按时 On time', yesNo(ev.onTime)],
    ['early', '提前 Early', yesNo(ev.early)],
    ['rating', '好差评 Rating', ratingText(ev.rating)],
    ['ratingFollowUp', '差评整改回访 Follow-up', followUpText(ev.rating, ev.asOf)],
    ['versions', '日历/规则版本 Calendar / policy', versionLinks(ev)],
    ['revision', '版本号 Revision', String(ev.revision)],
  ];
  $('facts').replaceChildren(
    ...facts.map(([key, name, text]) => el('div', { dataset: { field: key } }, el('dt', {}, name), el('dd', {}, text))),
  );
  const status = $('case-status');
  status.className = `badge status-${ev.status}`;
  status.textContent = label(STATUS, ev.status);
}

/** The 好差评 rating: score with its meaning, channel, instant and comment. */
function ratingText(r) {
  if (!r) return '未评价 not rated';
  const parts = [
    `${r.score} 分 ${label(RATING_SCORES, String(r.score))}`,
    label(RATING_CHANNELS, r.channel),
    fmtInstant(r.ratedAt),
  ];
  if (r.bad) parts.push('差评 bad rating');
  if (r.comment) parts.push(`“${r.comment}”`);
  return parts.join(' · ');
}

/** A 差评's follow-up (整改回访): when and by whom, on time or late, or when it is due. */
function followUpText(r, asOf) {
  if (!r?.bad) return '—';
  if (r.followedUpAt) {
    const when = r.followedUpOnTime ? '按时 on time' : '逾期 late';
    return [fmtInstant(r.followedUpAt), r.followedUpBy, r.followUpNote, when].filter(Boolean).join(' · ');
  }
  const overdue = Date.parse(asOf) >= Date.parse(r.followUpDueAt);
  return `${overdue ? '未回访，已逾期 missing, overdue' : '待回访 pending'} · 截止 due ${fmtInstant(r.followUpDueAt)}`;
}

/**
 * When the API sent no `explain` for a card, the figures of the evaluation that
 * bear on its rule (nothing recomputed here: the numbers are the engine's).
 */
function factsOf(c, ev) {
  const base = { startedAt: c.startedAt, ...(c.clearedAt ? { clearedAt: c.clearedAt } : {}) };
  if (c.rule === 'deadline-warning' || c.rule === 'overdue') {
    return {
      ...base,
      acceptedDate: ev.acceptedDate,
      promisedDays: ev.promisedDays,
      usedDays: ev.usedDays,
      deadlineDate: ev.deadlineDate,
      dueAt: ev.dueAt,
      overdueDays: ev.overdueDays,
      ...(c.details ?? {}),
    };
  }
  if (c.rule === 'pause-warning' || c.rule === 'overlong-pause') {
    const p = ev.pauses.find((x) => x.pauseId === c.pauseId);
    return p
      ? {
          ...base,
          pauseId: p.pauseId,
          reason: label(REASONS, p.reason),
          pausedAt: p.pausedAt,
          resumedAt: p.resumedAt ?? null,
          countedDays: p.countedDays,
          allowanceDays: p.allowanceDays,
          ...(c.details ?? {}),
        }
      : base;
  }
  if (c.rule === 'escalation-unanswered' && c.escalation !== undefined) {
    const e = ev.escalations[c.escalation];
    return e
      ? {
          ...base,
          escalationId: e.escalationId,
          level: label(LEVELS, e.level),
          escalatedAt: e.at,
          respondWithinDays: e.respondWithinDays,
          respondBy: e.respondBy,
          answeredAt: e.answeredAt ?? null,
          ...(c.details ?? {}),
        }
      : base;
  }
  return { ...base, ...(c.details ?? {}) };
}

function renderCards(ev) {
  const items = ev.cards.map((c) => {
    const ref = c.pauseId
      ? ` · 暂停 pause ${c.pauseId}`
      : c.escalation !== undefined
        ? ` · 督办 escalation #${c.escalation + 1}`
        : '';
    return el(
      'li',
      { class: c.color, dataset: { rule: c.rule, color: c.color, startedAt: c.startedAt } },
      el(
        'div',
        {},
        el('span', { class: `badge ${c.color}` }, label(COLORS, c.color)),
        ' ',
        el('strong', {}, label(RULES, c.rule)),
        ref,
      ),
      el(
        'div',
        { class: 'muted' },
        '开始 started ',
        el('time', { datetime: c.startedAt }, fmtInstant(c.startedAt)),
        c.clearedAt
          ? [' · 解除 cleared ', el('time', { datetime: c.clearedAt }, fmtInstant(c.clearedAt))]
          : c.color === 'yellow'
            ? ' · 仍有效 still active'
            : ' · 红牌留档 red cards stay on record',
      ),
      renderExplain(c.explain ?? factsOf(c, ev), c.rule),
    );
  });
  $('cards').replaceChildren(
    ...(items.length ? items : [el('li', { class: 'muted' }, '此时点无红黄牌 No cards as of this instant')]),
  );
}

function emptyRow(cols, text) {
  return el('tr', {}, el('td', { colspan: String(cols), class: 'muted' }, text));
}

function renderPauses(ev) {
  const rows = ev.pauses.map((p) =>
    el(
      'tr',
      { dataset: { pauseId: p.pauseId } },
      el('td', {}, p.pauseId, p.retroactive ? el('span', { class: 'muted' }, ' (补录 retroactive)') : null),
      el('td', {}, label(REASONS, p.reason)),
      el('td', {}, fmtInstant(p.pausedAt)),
      el('td', {}, p.resumedAt ? fmtInstant(p.resumedAt) : '未恢复 open'),
      el('td', { class: 'num' }, String(p.countedDays)),
      el('td', { class: 'num' }, `${p.allowanceDays}${p.declaredDays !== undefined ? '（书面告知 declared）' : ''}`),
      el('td', { class: 'hide-narrow' }, p.note ?? ''),
    ),
  );
  $('pauses').tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(7, '无 None')]));
}

/** The case's 延期 extensions: a back-dated one (补录, recorded when the case was already due without it) and a
 * voided one (不计, adds no days) flagged, as a retroactive pause is in the pauses table. */
function renderExtensions(ev) {
  const list = ev.extensions ?? [];
  const flag = (key, title) =>
    el('span', { class: `flag flag-${key}`, title, dataset: { flag: key } }, ` (${label(EXTENSION_FLAGS, key)})`);
  const rows = list.map((x, i) =>
    el(
      'tr',
      {
        dataset: {
          index: String(i),
          at: x.at,
          ...(x.retroactive ? { retroactive: 'true' } : {}),
          ...(x.voided ? { voided: 'true' } : {}),
        },
      },
      el(
        'td',
        {},
        timeOf(x.at),
        x.retroactive
          ? flag('retroactive', '记录时案件已到期 recorded when the case was already due without it')
          : null,
        x.voided ? flag('voided', '在到期时刻之后，不增加天数 at or after the due instant: adds no days') : null,
      ),
      el('td', { class: 'num' }, x.voided ? el('s', {}, String(x.days)) : String(x.days)),
      el('td', {}, x.approvedBy),
      el('td', {}, x.reason),
    ),
  );
  $('extensions').tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(4, '无 None')]));
  $('ext-note').hidden = !list.some((x) => x.retroactive || x.voided);
}

/** Cards the record held and a later write withdrew: shown only when the case has any (as known at the page's instant). */
function renderWithdrawn(ev) {
  renderWithdrawnSection(ev.withdrawnCards ?? []);
}

/**
 * The versions the figures were computed under, each a link to where it can be read: the calendar of
 * the acceptance year as known at the page's instant (after a correction, the version cited), and
 * the policy version's rules.
 */
function versionLinks(ev) {
  const q = new URLSearchParams({ year: localDate(Date.parse(ev.acceptedAt)).slice(0, 4) });
  if (knownAt) q.set('asKnownAt', knownAt);
  return [
    el('a', { href: `/calendar?${q}`, dataset: { calendarVersion: ev.calendarVersion } }, ev.calendarVersion),
    ' / ',
    el(
      'a',
      {
        href: `/policies#policy-${encodeURIComponent(ev.policyVersion)}`,
        dataset: { policyVersion: ev.policyVersion },
      },
      ev.policyVersion,
    ),
  ];
}

/**
 * The reply (回告) to an escalation as of the page's instant, as the case read says it stands (`reply`,
 * src/domain/escalationReply.ts: the rule lives there, not here): when it came and whether in time,
 * that it is missing or not yet due, or that none fell due (the case completed first).
 */
const REPLY_TEXT = {
  missing: '未回告 missing',
  pending: '待回告 not yet due',
  'not-due': '办结前未到期，无需回告 case completed before the reply was due',
};

function replyCell(e) {
  if (e.answeredAt !== undefined) {
    const when = e.reply === 'on-time' ? '按时 on time' : '逾期 late';
    const who = e.answeredBy ? ` · ${e.answeredBy}` : '';
    return el(
      'td',
      { dataset: { reply: e.reply } },
      `${fmtInstant(e.answeredAt)}（${when}）${who}`,
      e.answerNote ? el('div', { class: 'muted' }, e.answerNote) : null,
    );
  }
  return el('td', { dataset: { reply: e.reply } }, REPLY_TEXT[e.reply] ?? e.reply);
}

function renderEscalations(ev) {
  const rows = ev.escalations.map((e) =>
    el(
      'tr',
      { dataset: { escalationId: e.escalationId } },
      el('td', {}, e.escalationId),
      el('td', {}, label(LEVELS, e.level)),
      el('td', {}, fmtInstant(e.at)),
      el('td', {}, e.by),
      el('td', { class: 'num' }, `${e.respondWithinDays} 工作日 days`),
      el('td', {}, fmtInstant(e.respondBy)),
      replyCell(e),
    ),
  );
  $('escalations').tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(7, '无 None')]));
}

// A card's identity: two late-record cards of one batch share rule and start, and differ by the event's revision.
const cardKey = (c) =>
  [c.rule, Date.parse(c.startedAt), c.pauseId ?? '', c.escalation ?? '', c.details?.revision ?? ''].join('|');

/** Cards carry `explain` when the API computed it; the history's `current` evaluation may have it too. */
function withExplanations(ev, hist) {
  const explained = new Map();
  for (const c of hist?.current?.cards ?? []) if (c.explain !== undefined) explained.set(cardKey(c), c.explain);
  if (explained.size === 0) return ev;
  return {
    ...ev,
    cards: ev.cards.map((c) =>
      c.explain === undefined && explained.has(cardKey(c)) ? { ...c, explain: explained.get(cardKey(c)) } : c,
    ),
  };
}

function render(ev) {
  current = ev;
  renderFacts(ev);
  renderTimeline($('timeline'), ev);
  renderCards(ev);
  renderPauses(ev);
  renderExtensions(ev);
  renderWithdrawn(ev);
  renderEscalations(ev);
}

let syncedInput = ''; // what syncControls last put in the "as of" input

function syncControls(asOfMs) {
  $('asof-input').value = localDateTimeInput(asOfMs);
  syncedInput = $('asof-input').value;
  const slider = $('asof-slider');
  slider.value = String(Math.round((Math.min(Math.max(asOfMs, life.start), life.end) - life.start) / MINUTE));
  slider.setAttribute('aria-valuetext', `${localDateTimeInput(asOfMs).replace('T', ' ')}`);
}

/** The address of the view: `asOf` only when the user picked an instant, so a reload or bookmark of "now" stays now. */
function syncAddress(asOfIso) {
  const params = new URLSearchParams();
  if (pinned) params.set('asOf', asOfIso);
  if (knownAt) params.set('asKnownAt', knownAt);
  const qs = params.toString();
  history.replaceState(null, '', qs ? `${location.pathname}?${qs}` : location.pathname);
}

/** No case at the instant asked: its figures, cards and history are hidden, and its status badge cleared. */
function hideCase() {
  $('case-view').hidden = true;
  const status = $('case-status');
  status.className = '';
  status.textContent = '';
}

/** Shows the case at `asOfIso`; `null` means now (the server's clock), and leaves the address without an instant. */
// A role that may not read the history (a monitor: history is the auditors') is told so once; moving the
// slider then does not ask again, so the console does not log a 403 at every step.
let historyForbidden;
function rememberForbidden(e) {
  if (e instanceof ApiError && e.status === 403) historyForbidden = e;
  throw e;
}

async function show(asOfIso) {
  const seq = ++requestSeq;
  pinned = asOfIso !== null;
  shownAsOf = asOfIso;
  const known = knownAt ? `asKnownAt=${encodeURIComponent(knownAt)}` : '';
  const at = (iso) => [`asOf=${encodeURIComponent(iso)}`, known].filter(Boolean).join('&');
  $('asof-status').textContent = `加载中 Loading ${pinned ? fmtInstant(asOfIso) : '现在 now'}…`;
  // For "now" the case answers first and the history is asked for at the very instant it was evaluated.
  const evPromise = apiJson(`/cases/${enc}${pinned ? `?${at(asOfIso)}` : known ? `?${known}` : ''}`);
  const history = (iso) => apiJson(`/cases/${enc}/history?${at(iso)}`).catch(rememberForbidden);
  const histPromise = historyForbidden
    ? Promise.reject(historyForbidden)
    : pinned
      ? history(asOfIso)
      : evPromise.then((ev) => history(ev.asOf));
  const [evResult, histResult] = await Promise.allSettled([evPromise, histPromise]);
  if (seq !== requestSeq) return; // a newer instant was asked for meanwhile
  syncAddress(asOfIso);
  const q = evResult.status === 'fulfilled' ? at(evResult.value.asOf) : '';
  if (evResult.status === 'rejected') {
    const e = evResult.reason;
    const when = pinned ? fmtInstant(asOfIso) : '现在 now';
    showError(
      e instanceof ApiError && e.status === 404
        ? knownAt
          ? `该时点尚无此案件的记录 Nothing of this case recorded by ${fmtInstant(knownAt)} (as of ${when})`
          : `该时点案件尚未受理或不存在 No such case as of ${when}`
        : `加载失败 Could not load: ${e.message}`,
    );
    $('asof-status').textContent = '';
    hideCase(); // what was shown is of another instant
    return;
  }
  showError('');
  $('case-view').hidden = false;
  render(withExplanations(evResult.value, histResult.status === 'fulfilled' ? histResult.value : null));
  if (histResult.status === 'fulfilled') historyView.show(histResult.value, q, evResult.value);
  else historyView.unavailable(histResult.reason.message);
  const asOfText = fmtInstant(evResult.value.asOf) + (pinned ? '' : '（现在 now）');
  if (!pinned) syncControls(Date.parse(evResult.value.asOf));
  $('asof-status').textContent = evResult.value.asKnownAt
    ? `显示 ${asOfText} 时的状态，仅用 ${fmtInstant(evResult.value.asKnownAt)} 前已记录的事件 Showing the case as of ${asOfText}, as known at ${fmtInstant(evResult.value.asKnownAt)}`
    : `显示 ${asOfText} 时的状态 Showing the case as of ${asOfText}`;
}

/**
 * The "as known at" input as an ISO instant, null when empty; undefined when invalid. The input holds
 * whole seconds: left as the page filled it, it means the instant in force (an address's `asKnownAt`
 * may carry milliseconds, and cutting them would drop the events recorded in that last second).
 */
function knownAtFromInput() {
  const value = $('asknown-input').value;
  if (value === '') return null;
  return instantFromInputKeeping(value, knownAt, SECOND) ?? undefined;
}

/** The "as of" input as an ISO instant: the instant shown, seconds included, when the input still shows its minute. */
function asOfFromInput() {
  return instantFromInputKeeping($('asof-input').value, pinned ? shownAsOf : null, MINUTE);
}

function showMs(asOfMs) {
  syncControls(asOfMs);
  return show(isoInZone(asOfMs));
}

function wireControls() {
  const slider = $('asof-slider');
  let timer;
  slider.addEventListener('input', () => {
    const t = life.start + Number(slider.value) * MINUTE;
    $('asof-input').value = localDateTimeInput(t);
    slider.setAttribute('aria-valuetext', localDateTimeInput(t).replace('T', ' '));
    clearTimeout(timer);
    // The end of an open case's life is now, not the instant the page loaded; a completed case's is its
    // completion instant (the slider counts whole minutes from acceptance, which may fall just before it).
    const atEnd = slider.value === slider.max;
    const now = life.open && atEnd;
    timer = setTimeout(() => void show(now ? null : atEnd ? life.endIso : isoInZone(t)), 250);
  });
  $('asof-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const iso = asOfFromInput();
    const known = knownAtFromInput();
    if (!iso || known === undefined) {
      showError('请输入有效时间 Enter a valid date and time');
      return;
    }
    knownAt = known;
    // Only "as known at" changed while showing now: keep showing now.
    if (!pinned && $('asof-input').value === syncedInput) {
      void show(null);
      return;
    }
    syncControls(Date.parse(iso));
    void show(iso);
  });
  for (const button of document.querySelectorAll('[data-step]')) {
    button.addEventListener('click', () => {
      const base = current ? Date.parse(current.asOf) : Date.now();
      void showMs(base + Number(button.dataset.step) * MINUTE);
    });
  }
  $('asof-now').addEventListener('click', () => void show(null));
  $('asknown-all').addEventListener('click', () => {
    knownAt = null;
    $('asknown-input').value = '';
    void show(pinned && current ? current.asOf : null);
  });
  let resize;
  window.addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(() => {
      if (current) renderTimeline($('timeline'), current);
    }, 150);
  });
}

async function main() {
  wireHeader();
  await loadConfig();
  await loadDirectory(); // names beside the center and department ids
  document.title = `案件 ${caseId} — 电子监察`;
  $('case-id').textContent = caseId;
  for (const z of document.querySelectorAll('.zone')) z.textContent = getZone();
  wireControls();
  let now;
  try {
    now = await apiJson(`/cases/${enc}`);
  } catch (e) {
    showError(
      e instanceof ApiError && e.status === 404
        ? `未找到案件 No case ${caseId}`
        : `加载失败 Could not load: ${e.message}`,
    );
    $('replay').hidden = true; // no case life to replay
    if (e instanceof ApiError && e.status === 404) await offerComplaint();
    return;
  }
  life = {
    start: Date.parse(now.acceptedAt),
    end: now.completedAt ? Date.parse(now.completedAt) : Date.parse(now.asOf),
    endIso: now.completedAt ?? null,
    open: !now.completedAt,
  };
  const slider = $('asof-slider');
  slider.max = String(Math.max(1, Math.round((life.end - life.start) / MINUTE)));
  $('asof-range').textContent =
    `${fmtInstant(now.acceptedAt)} – ${now.completedAt ? fmtInstant(now.completedAt) : '现在 now'}`;
  const params = new URLSearchParams(location.search);
  const wantedKnown = params.get('asKnownAt');
  if (wantedKnown && Number.isFinite(Date.parse(wantedKnown))) {
    knownAt = wantedKnown;
    $('asknown-input').value = localDateTimeInput(Date.parse(wantedKnown), { seconds: true });
  }
  const wanted = params.get('asOf');
  const wantedMs = wanted ? Date.parse(wanted) : NaN;
  if (Number.isFinite(wantedMs)) {
    syncControls(wantedMs);
    await show(wanted);
  } else {
    syncControls(Date.parse(now.asOf));
    await show(null);
  }
}

void main();
