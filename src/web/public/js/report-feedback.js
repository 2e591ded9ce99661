// The monthly report's complaint (效能投诉) and rating (好差评) sections (SPEC §8):
// each figure this month, last month with 环比 and a year earlier with 同比, then
// the substantiated complaints and the satisfaction per department with the
// directory's names. Figures and growth come from the server; nothing is
// recomputed here (growth: percent for counts, percentage points for rates).
import { el, fmtKpi, fmtNumber, fmtRate, withWholeDates } from './format.js';
import { nameCell } from './directory.js';
import { complaintListLink, countLink, findingListLink, ratingListLink, reportWhere } from './report-links.js';
import { comparedHead } from './labels.js';

const $ = (id) => document.getElementById(id);

// [field, 中文, English, kind, which way is better (1 higher, -1 lower, 0 neutral)], in the server's order.
export const COMPLAINT_FIGURES = [
  ['received', '收到投诉', 'received', 'count', 0],
  ['accepted', '受理', 'accepted', 'count', 0],
  ['rejected', '不予受理', 'rejected', 'count', 0],
  ['answered', '答复', 'answered', 'count', 0],
  // Closures in the month (of complaints accepted or rejected whenever); then the month's accepted closed by
  // its end, the base of 办结率 (a cohort: docs/complaints.md). Each named for what it counts.
  ['closed', '本月办结', 'closed in the month', 'count', 0],
  ['closedOfAccepted', '本月受理且已办结', 'accepted in the month, closed by its end', 'count', 0],
  ['closedRate', '办结率（本月受理的）', 'closed rate, of those accepted in the month', 'rate', 1],
  ['answeredOnTimeRate', '按时答复率', 'answered on time', 'rate', 1],
  ['satisfactionRate', '投诉人满意率', 'complainants satisfied', 'rate', 1],
];
export const RATING_FIGURES = [
  ['rated', '评价次数', 'ratings', 'count', 0],
  ['satisfactionRate', '满意率（4–5分）', 'satisfied (4–5)', 'rate', 1],
  ['badRatings', '差评（1–2分）', 'bad ratings (1–2)', 'count', -1],
  ['ratedShare', '评价率（本月办结件）', 'share of completed cases rated', 'rate', 1],
  ['followUpsDue', '差评应整改', 'follow-ups due', 'count', 0],
  ['followedUpOnTimeRate', '按期整改率', 'followed up on time', 'rate', 1],
];

const numCell = (text, extra = {}) => el('td', { class: 'num', ...extra }, text);
const noData = (cols, text) => el('tr', {}, el('td', { colspan: String(cols), class: 'muted' }, text));

/** "+26.32%", "−0.47 个百分点 pp", "持平 unchanged", "—" without a base; coloured when one way is better. */
function changeCell(growth, better, role) {
  const v = growth?.value;
  if (typeof v !== 'number') return numCell('—', { dataset: { role } });
  if (v === 0) return numCell('持平 unchanged', { dataset: { role } });
  const sign = v > 0 ? '+' : '−';
  const unit = growth.unit === 'points' ? ' 个百分点 pp' : '%';
  const cls = better === 0 ? '' : v * better > 0 ? ' delta-good' : ' delta-bad';
  return el('td', { class: `num${cls}`, dataset: { role } }, `${sign}${Math.abs(v)}${unit}`);
}

/**
 * One row per figure: this month, last month, 环比, a year earlier, 同比. `linkOf(month, field)` gives
 * the list that reproduces a count of that month (none: the count is plain text).
 */
function comparedRows(section, figures, month, linkOf = () => undefined) {
  const { previousMonth: pm, previousYear: py } = section;
  const cell = (value, kind, m, field, role) =>
    numCell(countLink(fmtKpi(value, kind), value, m ? linkOf(m, field) : undefined), { dataset: { role } });
  return figures.map(([field, zh, en, kind, better]) =>
    el(
      'tr',
      { dataset: { figure: field } },
      el('th', { scope: 'row' }, `${zh} `, el('span', { class: 'muted' }, en)),
      cell(section.figures?.[field], kind, month, field, 'now'),
      cell(pm?.figures?.[field], kind, pm, field, 'month'),
      changeCell(pm?.growth?.[field], better, 'mom'),
      cell(py?.figures?.[field], kind, py, field, 'before'),
      changeCell(py?.growth?.[field], better, 'yoy'),
    ),
  );
}

function headMonths(report, section, prefix) {
  $(`${prefix}-now`).replaceChildren(...withWholeDates(`本月 ${report.month}`));
  $(`${prefix}-month`).replaceChildren(...withWholeDates(comparedHead(section.previousMonth, 'month')));
  $(`${prefix}-year`).replaceChildren(...withWholeDates(comparedHead(section.previousYear, 'year')));
}

/** A department cell; '' is the complaints with no department in charge. */
const departmentCell = (d) =>
  d.departmentId === ''
    ? el('th', { scope: 'row', class: 'muted' }, '未指定承办部门 No department in charge')
    : nameCell('th', d.name, d.departmentId, { scope: 'row' });

export function renderComplaints(report) {
  const section = report.complaints;
  if (!section) return;
  headMonths(report, section, 'complaints');
  const where = reportWhere(report);
  $('complaint-figures').tBodies[0].replaceChildren(
    ...comparedRows(section, COMPLAINT_FIGURES, report.month, (m, field) => complaintListLink(m, field, where)),
  );
  const rows = (section.departments ?? []).map((d) =>
    el(
      'tr',
      { dataset: { department: d.departmentId } },
      departmentCell(d),
      ...['substantiated', 'partly'].map((finding) =>
        numCell(
          countLink(fmtNumber(d[finding]), d[finding], findingListLink(report.month, d.departmentId, finding, where)),
        ),
      ),
    ),
  );
  $('complaint-departments').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [noData(3, '本月无查实或部分查实的投诉 No substantiated complaints this month')]),
  );
}

export function renderRatings(report) {
  const section = report.ratings;
  if (!section) return;
  headMonths(report, section, 'ratings');
  const where = reportWhere(report);
  $('rating-figures').tBodies[0].replaceChildren(
    ...comparedRows(section, RATING_FIGURES, report.month, (m, field) => ratingListLink(m, field, where, report.asOf)),
  );
  // A department's counts of the month, each a link to the cases that make it.
  const count = (d, field) =>
    countLink(
      fmtNumber(d[field]),
      d[field],
      ratingListLink(report.month, field, where, report.asOf, { departmentId: d.departmentId }),
    );
  const rows = (section.departments ?? []).map((d) =>
    el(
      'tr',
      { dataset: { department: d.departmentId } },
      departmentCell(d),
      numCell(count(d, 'rated')),
      numCell(fmtRate(d.satisfactionRate), { dataset: { role: 'satisfaction' } }),
      numCell(count(d, 'badRatings')),
      el('td', { class: 'num hide-narrow' }, fmtRate(d.ratedShare)),
      numCell(count(d, 'followUpsDue')),
      numCell(fmtRate(d.followedUpOnTimeRate)),
    ),
  );
  $('satisfaction').tBodies[0].replaceChildren(
    ...(rows.length ? rows : [noData(7, '本月无好差评评价 No ratings this month')]),
  );
}
