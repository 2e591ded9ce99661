// 工作日历 (GET /calendar/{year}): a year's holidays and make-up days as the timing rules count them,
// where they come from (the State Council notice in the chinese-days package, a notice published here,
// or a prediction from the holiday law while no notice is recorded), and the calendar version cases
// and cards cite. With "as known at", the year as the notices recorded by then made it (the version an
// earlier reading cited). A year with no notice, and a next year with none yet, are said plainly: their
// deadlines are provisional.
import { apiJson } from './api.js';
import { wirePublishForm } from './calendar-publish.js';
import { el, fmtInstant, instantFromLocalInput, loadConfig, localDate, localDateTimeInput } from './format.js';
import { showForbiddenNotice, wireHeader } from './nav.js';

const $ = (id) => document.getElementById(id);
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const KINDS = {
  holiday: ['休', '节假日 holiday'],
  makeup: ['班', '调休上班 make-up working day'],
  weekend: ['末', '周末 weekend'],
  workday: ['工', '工作日 working day'],
};
const SOURCES = {
  'chinese-days': '国务院办公厅放假通知（chinese-days 数据包）State Council notice (chinese-days package)',
  published: '本系统发布的通知（PUT /calendar）A notice published here',
  predicted: '按放假办法预测（无通知）Predicted from the holiday law (no notice)',
};

/** Weekday (0 Sunday) of a YYYY-MM-DD date, independent of any zone. */
const weekdayOf = (date) => new Date(`${date}T00:00:00Z`).getUTCDay();
const daysInMonth = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n) => String(n).padStart(2, '0');

function kindOf(date, holidays, makeups) {
  if (holidays.has(date)) return 'holiday';
  if (makeups.has(date)) return 'makeup';
  const w = weekdayOf(date);
  return w === 0 || w === 6 ? 'weekend' : 'workday';
}

function monthTable(year, month, holidays, makeups) {
  const first = weekdayOf(`${year}-${pad(month)}-01`);
  const cells = [];
  for (let i = 0; i < first; i++) cells.push(el('td', { class: 'blank' }));
  for (let d = 1; d <= daysInMonth(year, month); d++) {
    const date = `${year}-${pad(month)}-${pad(d)}`;
    const kind = kindOf(date, holidays, makeups);
    cells.push(
      el('td', { class: `day ${kind}`, dataset: { date, kind }, title: `${date} ${KINDS[kind][1]}` }, String(d)),
    );
  }
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(el('tr', {}, ...cells.slice(i, i + 7)));
  return el(
    'table',
    { class: 'month', dataset: { month: `${year}-${pad(month)}` } },
    el('caption', {}, `${month} 月`),
    el('thead', {}, el('tr', {}, ...WEEKDAYS.map((w) => el('th', { scope: 'col' }, w)))),
    el('tbody', {}, ...rows),
  );
}

function facts(rows) {
  $('about').replaceChildren(
    ...rows.map(([key, name, text]) => el('div', { dataset: { field: key } }, el('dt', {}, name), el('dd', {}, text))),
  );
}

/**
 * The year's days as the timing rules count them: its notice's, then the days of this December that
 * the next year's notice sets (元旦 bridges: the 2019 notice set 2018-12-29 to 31), which win.
 */
function daysOf(view) {
  const next = view.decemberOfNextNotice ?? { holidays: [], workdays: [] };
  const holidays = new Set([...view.holidays.filter((d) => !next.workdays.includes(d)), ...next.holidays]);
  const makeups = new Set([...view.workdays.filter((d) => !next.holidays.includes(d)), ...next.workdays]);
  return { holidays, makeups, next };
}

/** The days that are not plain: holidays (named when predicted) and make-up days, in date order. */
function dayRows(view, { holidays, makeups, next }) {
  const names = new Map((view.assumedHolidays ?? []).map((h) => [h.date, h.name]));
  const fromNext = new Set([...next.holidays, ...next.workdays]);
  const rows = [
    ...[...holidays].map((date) => ({ date, kind: 'holiday' })),
    ...[...makeups].map((date) => ({ date, kind: 'makeup' })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const nameOf = (date) =>
    names.get(date) ??
    (fromNext.has(date)
      ? `${next.year} 年通知所定 set by the ${next.year} notice`
      : date.slice(0, 4) < String(view.year)
        ? '上一年12月（本年通知）December before (this notice)'
        : '');
  return rows.map(({ date, kind }) =>
    el(
      'tr',
      { dataset: { date, kind } },
      el('td', {}, date),
      el('td', {}, `星期${WEEKDAYS[weekdayOf(date)]}`),
      el('td', {}, el('span', { class: `day-key ${kind}` }, KINDS[kind][0]), ` ${KINDS[kind][1]}`),
      el('td', {}, nameOf(date)),
    ),
  );
}

function render(view) {
  // The form starts from the days in force (a correction is an edit of them); a predicted year's, from
  // the law's. Not from a year as known at an earlier instant: publishing that would undo later corrections.
  $('publish-section').hidden = Boolean(view.asKnownAt);
  $('publish-holidays').value = view.holidays.join('\n');
  $('publish-workdays').value = view.workdays.join('\n');
  $('year-title').textContent = `${view.year}`;
  document.title = `工作日历 ${view.year} — 电子监察`;
  facts([
    ['status', '状态 Status', view.status === 'published' ? '已发布 published' : '预测 predicted'],
    ['source', '来源 Source', SOURCES[view.source] ?? view.source],
    ['version', '日历版本 Calendar version', view.version],
    ['counts', '节假日 / 调休 Holidays / make-up days', `${view.holidays.length} / ${view.workdays.length}`],
    ...(view.asKnownAt ? [['asKnownAt', '依当时所知 As known at', fmtInstant(view.asKnownAt)]] : []),
  ]);
  $('predicted-notice').hidden = view.status !== 'predicted';
  $('predicted-text').textContent =
    view.status === 'predicted'
      ? `${view.year} 年尚无放假通知：节假日按${view.predictedFrom ?? '放假办法'}预测，调休上班日未计；期限落在本年的办件为预测时限（provisional），通知发布后请录入（PUT /calendar/${view.year}）。 No notice for ${view.year} is recorded: its holidays are predicted and no make-up day is counted, so deadlines in it are provisional until the notice is published here.`
      : '';
  const days = daysOf(view);
  $('months').replaceChildren(
    ...Array.from({ length: 12 }, (_, i) => monthTable(view.year, i + 1, days.holidays, days.makeups)),
  );
  const rows = dayRows(view, days);
  $('days').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '4', class: 'muted' }, '无 None'))]),
  );
  const regional = view.regional ?? [];
  $('regional-section').hidden = regional.length === 0;
  $('regional').tBodies[0].replaceChildren(
    ...regional.map((r) =>
      el(
        'tr',
        { dataset: { region: r.region, date: r.date, kind: r.kind } },
        el('td', {}, r.region),
        el('td', {}, r.date),
        el('td', {}, r.kind === 'holiday' ? '节假日 holiday' : '调休上班 make-up working day'),
      ),
    ),
  );
}

/** The next year has no notice yet: from 12-20 its notice may still move this December's days too. */
function renderNextYear(next) {
  const missing = next !== undefined && next.status === 'predicted';
  $('next-year-notice').hidden = !missing;
  $('next-year-text').textContent = missing
    ? `${next.year} 年放假通知尚未录入：期限落在 ${next.year} 年或 ${next.year - 1} 年 12 月 20 日起的办件为预测时限，通知发布后请录入（PUT /calendar/${next.year}）。 The ${next.year} notice is not recorded: deadlines in ${next.year}, or from ${next.year - 1}-12-20 on, are provisional until it is.`
    : '';
}

async function show(year, knownAt) {
  $('error').textContent = '';
  const known = knownAt ? `?asKnownAt=${encodeURIComponent(knownAt)}` : '';
  try {
    const [view, next] = await Promise.all([
      apiJson(`/calendar/${year}${known}`),
      apiJson(`/calendar/${year + 1}${known}`).catch(() => undefined),
    ]);
    render(view);
    renderNextYear(next);
  } catch (e) {
    // A role that may not read the calendar is told once, by the notice (it offers another token).
    if (e.status === 403) showForbiddenNotice(e.message);
    else $('error').textContent = e.message;
  }
}

await loadConfig();
wireHeader();
const params = new URLSearchParams(location.search);
const thisYear = Number(localDate(Date.now()).slice(0, 4));
const wanted = Number(params.get('year'));
const year = Number.isInteger(wanted) && wanted >= 1970 && wanted <= 2150 ? wanted : thisYear;
const knownAt = params.get('asKnownAt');
$('year').value = String(year);
if (knownAt && Number.isFinite(Date.parse(knownAt))) $('known-at').value = localDateTimeInput(Date.parse(knownAt));
$('year-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new URLSearchParams({ year: $('year').value });
  const value = $('known-at').value;
  if (value) {
    const instant = instantFromLocalInput(value);
    if (instant === null) {
      $('error').textContent = '时间格式有误 Invalid "as known at" time';
      return;
    }
    q.set('asKnownAt', instant);
  }
  location.assign(`/calendar?${q}`);
});
wirePublishForm(year, () => show(year, null));
await show(year, knownAt && Number.isFinite(Date.parse(knownAt)) ? knownAt : null);
