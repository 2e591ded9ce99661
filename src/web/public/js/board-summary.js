// The board's counts (per rule, per center, per center and department), drawn from
// the `summary` of GET /alerts: every alert matching the filters, not just the page.
// Each count links to the list that reproduces it: cases to /cases, complaints to /complaints.
import { ALERT_RULES, COLORS, COMPLAINT_RULES, label } from './labels.js';
import { el, fmtNumber } from './format.js';
import { centerCell, centerText, departmentCell, departmentText } from './directory.js';

/** `/cases?…` listing the cases behind a count: the board's filters plus the count's own. */
export function casesLink(filters, extra = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
  return `/cases?${params.toString()}`;
}

/**
 * A summary cell's count of one colour, split by subject: the cases link to the
 * case list and the complaints (`cell.complaints`) to the complaints list, so
 * each number is reproduced by the list it links to.
 */
function countCell(cell, color, filters, extra) {
  const links = subjectLinks(cell, color, filters, extra);
  return el('td', { class: 'num' }, ...(links.length ? links : ['0']));
}

/** A count of one colour as links: its cases to the case list, its complaints to the complaints list (none: []). */
export function subjectLinks(cell, color, filters, extra = {}) {
  const complaints = cell.complaints?.[color] ?? 0;
  const cases = cell[color] - complaints;
  const links = [];
  if (cases)
    links.push(
      el(
        'a',
        {
          href: casesLink(filters, { ...extra, color }),
          class: `badge ${color}`,
          dataset: { subject: 'case' },
          title: '查看案件 Show the cases',
        },
        fmtNumber(cases),
      ),
    );
  if (complaints)
    links.push(
      ' ',
      el(
        'a',
        {
          href: complaintsLink(filters, { ...extra, color }),
          class: `badge ${color}`,
          dataset: { subject: 'complaint' },
          title: '查看投诉 Show the complaints',
        },
        `投诉 ${fmtNumber(complaints)}`,
      ),
    );
  return links;
}

/** `/complaints?…` listing the complaints behind a complaint rule's count (the list takes the same filters). */
export function complaintsLink(filters, extra = {}) {
  // A count of complaints with no department in charge (department ''): the list's filter for none.
  const none = extra.departmentId === '' ? { hasDepartment: 'false' } : {};
  return casesLink(filters, { ...extra, ...none }).replace(/^\/cases\?/, '/complaints?');
}

export function renderRuleCounts(node, summary, filters) {
  const items = summary.byRule.map(({ rule, color, count }) => {
    const complaint = Object.hasOwn(COMPLAINT_RULES, rule);
    return el(
      'li',
      { dataset: { rule, color } },
      el('span', { class: `badge ${color}` }, label(COLORS, color)),
      ' ',
      label(ALERT_RULES, rule),
      el(
        'a',
        complaint
          ? { class: 'n', href: complaintsLink(filters, { rule, color }), title: '查看投诉 Show the complaints' }
          : { class: 'n', href: casesLink(filters, { rule, color }), title: '查看案件 Show the cases' },
        String(count),
      ),
    );
  });
  node.replaceChildren(...(items.length ? items : [el('li', {}, '无告警 No alerts')]));
}

function showButton(text, onClick) {
  return el('td', {}, el('button', { type: 'button', 'aria-label': text, onclick: onClick }, '只看 Show'));
}

function emptyRow(colspan) {
  return el('tr', {}, el('td', { colspan: String(colspan), class: 'muted' }, '无 None'));
}

/** Per-center summary: red, yellow and all alerts per center, worst first. */
export function renderCenters(table, summary, filters, applyFilters) {
  const rows = summary.byCenter.map((c) => {
    // A row's counts are that center's alone, whatever the board's 含下级中心 (no scope: the lists' default).
    const where = { centerId: c.centerId, scope: undefined };
    return el(
      'tr',
      { dataset: { centerId: c.centerId } },
      centerCell(c.centerId),
      countCell(c, 'red', filters, where),
      // No total beside them: a case with a red and a yellow alert is one case in each, so red + yellow
      // would count it twice, and no list reproduces such a sum.
      countCell(c, 'yellow', filters, where),
      showButton(`只看 ${centerText(c.centerId)} Show only this center`, () => applyFilters(where)),
    );
  });
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(4)]));
}

export function renderDepartments(table, summary, filters, applyFilters) {
  const rows = summary.byDepartment.map((g) => {
    const where = { centerId: g.centerId, scope: undefined, departmentId: g.departmentId };
    return el(
      'tr',
      {},
      centerCell(g.centerId, 'td', { class: 'hide-narrow' }),
      departmentCell(g.departmentId),
      countCell(g, 'red', filters, where),
      countCell(g, 'yellow', filters, where),
      showButton(`只看 ${centerText(g.centerId)} / ${departmentText(g.departmentId)} Show only this department`, () =>
        applyFilters(where),
      ),
    );
  });
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(5)]));
}
