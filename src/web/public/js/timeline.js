// The case's life as an inline SVG: acceptance, pauses as spans, escalations,
// completion, the deadline line, cards where they started, and the "as of" line.
import { COLORS, LEVELS, REASONS, RULES, label, zh } from './labels.js';
import { addDays, fmtInstant, instantFromLocalInput, localDate } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const ROW = 36;
const TOP = 22;
const AXIS = 30;
const PAD = 10;
const DAY = 86_400_000;

function s(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const ms = (iso) => (iso ? Date.parse(iso) : NaN);
const short = (iso) => fmtInstant(iso).slice(5); // "MM-DD HH:mm"

function midnight(date) {
  return Date.parse(instantFromLocalInput(`${date}T00:00`) ?? `${date}T00:00:00Z`);
}

function ticks(t0, t1, plotWidth) {
  const perDay = plotWidth / Math.max(1, (t1 - t0) / DAY);
  const step = [1, 2, 7, 14, 30, 61, 91, 182, 365].find((d) => d * perDay >= 64) ?? 365;
  const out = [];
  let date = localDate(t0);
  if (step >= 30) date = `${date.slice(0, 7)}-01`;
  for (let i = 0; i < 400; i += 1) {
    const t = midnight(date);
    if (t > t1) break;
    if (t >= t0) out.push({ t, text: step >= 30 ? date.slice(0, 7) : date.slice(5) });
    if (step >= 30) {
      const [y, m] = date.split('-').map(Number);
      const months = Math.round(step / 30.4);
      const nm = m - 1 + months;
      date = `${y + Math.floor(nm / 12)}-${String((nm % 12) + 1).padStart(2, '0')}-01`;
    } else date = addDays(date, step);
  }
  return out;
}

/**
 * Draws `ev` (a CaseEvaluation) into `container`. The axis spans the case's life:
 * acceptance to the latest of due, completion, pauses, escalations and cards (and
 * "as of" while the case is open). Viewed long after completion, the "as of" line
 * is not stretched to: a marker at the right edge says where it lies.
 */
export function renderTimeline(container, ev) {
  const width = Math.max(300, Math.round(container.clientWidth || 900));
  const asOf = ms(ev.asOf);
  const accepted = ms(ev.acceptedAt);
  const due = ms(ev.dueAt);
  const completed = ms(ev.completedAt);
  const end = Number.isFinite(completed) ? completed : asOf;
  const instants = [accepted, due, end];
  if (!Number.isFinite(completed) || asOf < completed) instants.push(asOf);
  for (const p of ev.pauses) instants.push(ms(p.pausedAt), ms(p.resumedAt));
  for (const e of ev.escalations) instants.push(ms(e.at), ms(e.respondBy));
  // A card after the life (a late record noticed today) is drawn at the right edge, not stretched to.
  const lifeEnd = Math.max(...instants.filter(Number.isFinite));
  for (const c of ev.cards) instants.push(...[ms(c.startedAt), ms(c.clearedAt)].filter((t) => t <= lifeEnd));
  const known = instants.filter(Number.isFinite);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const margin = Math.max((hi - lo) * 0.04, DAY / 4);
  const t0 = lo - margin;
  const t1 = hi + margin;
  const plot = width - 2 * PAD;
  // On a phone the labels drop their English half.
  const narrow = width < 560;
  const L = (table, code) => (narrow ? zh(table, code) : label(table, code));
  const en = (text) => (narrow ? '' : text);
  const x = (t) => PAD + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * plot;

  const rows = [];
  rows.push({ kind: 'case' });
  ev.pauses.forEach((p) => {
    rows.push({ kind: 'pause', p });
  });
  ev.escalations.forEach((e, i) => {
    rows.push({ kind: 'escalation', e, i });
  });
  for (const c of ev.cards) rows.push({ kind: 'card', c });
  const height = TOP + rows.length * ROW + AXIS;

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-labelledby': 'timeline-svg-title',
    'data-testid': 'timeline',
  });
  svg.append(
    s(
      'title',
      { id: 'timeline-svg-title' },
      `案件 ${ev.caseId} 时间线：受理 ${fmtInstant(ev.acceptedAt)}，办结时限 ${ev.deadlineDate}，` +
        `${ev.completedAt ? `办结 ${fmtInstant(ev.completedAt)}` : '未办结'}，${ev.cards.length} 张红黄牌`,
    ),
  );

  // Labels start just after their mark; fitLabels() moves those that would run off the edge.
  const labelAt = (px, y, text, cls) =>
    s(
      'text',
      { x: px + 6, y, 'data-anchor-x': px, class: cls ? `label ${cls}` : 'label' },
      text.replace(/\s+/g, ' ').trim(),
    );

  // Axis and grid.
  const axisY = TOP + rows.length * ROW + 4;
  svg.append(s('line', { x1: PAD, x2: width - PAD, y1: axisY, y2: axisY, stroke: '#8a94a6' }));
  for (const tk of ticks(t0, t1, plot)) {
    const px = x(tk.t);
    svg.append(s('line', { x1: px, x2: px, y1: TOP - 4, y2: axisY + 4, stroke: '#e3e6eb' }));
    svg.append(s('text', { x: px, y: axisY + 18, 'text-anchor': 'middle', fill: '#5b6573', 'font-size': 11 }, tk.text));
  }

  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const barY = y + 19;
    const g = s('g', { 'data-row': row.kind });
    if (row.kind === 'case') {
      const xa = x(accepted);
      const xe = x(end);
      const xd = Math.min(Math.max(x(due), xa), xe);
      g.append(s('rect', { x: xa, y: barY, width: Math.max(1, xd - xa), height: 10, fill: '#5b8fd6', rx: 2 }));
      if (xe > xd) g.append(s('rect', { x: xd, y: barY, width: xe - xd, height: 10, fill: '#c62828', rx: 2 }));
      g.append(s('circle', { cx: xa, cy: barY + 5, r: 6, fill: '#15294b', 'data-mark': 'accepted' }, ''));
      g.lastChild.append(s('title', {}, `受理 accepted ${fmtInstant(ev.acceptedAt)}`));
      if (Number.isFinite(completed)) {
        const mark = s('rect', {
          x: xe - 6,
          y: barY - 1,
          width: 12,
          height: 12,
          fill: ev.onTime ? '#2e7d32' : '#c62828',
          'data-mark': 'completed',
        });
        mark.append(s('title', {}, `办结 completed ${fmtInstant(ev.completedAt)}`));
        g.append(mark);
      }
      g.append(
        labelAt(
          xa,
          y + 12,
          `受理 ${en('accepted')} ${short(ev.acceptedAt)}` +
            (Number.isFinite(completed)
              ? ` → 办结 ${en('completed')} ${short(ev.completedAt)}`
              : ` · ${zh({ open: ['办理中'], paused: ['暂停计时'] }, ev.status)}`),
        ),
      );
    } else if (row.kind === 'pause') {
      const { p } = row;
      const xs = x(ms(p.pausedAt));
      const xe = x(Number.isFinite(ms(p.resumedAt)) ? ms(p.resumedAt) : asOf);
      const over = p.countedDays > p.allowanceDays;
      g.append(
        s('rect', {
          x: xs,
          y: barY,
          width: Math.max(2, xe - xs),
          height: 10,
          rx: 2,
          fill: over ? '#f3b5b0' : '#c9ced8',
          stroke: over ? '#c62828' : '#8a94a6',
          'stroke-dasharray': p.open ? '4 2' : undefined,
        }),
      );
      g.append(
        labelAt(
          xs,
          y + 12,
          `暂停 ${p.pauseId} ${L(REASONS, p.reason)} · 计 ${p.countedDays}/${p.allowanceDays} 天 ${en('days')}${p.open ? ` (未恢复 ${en('open')})` : ''}`,
        ),
      );
    } else if (row.kind === 'escalation') {
      const { e } = row;
      const xs = x(ms(e.at));
      const xr = x(ms(e.respondBy));
      g.append(
        s('line', {
          x1: xs,
          x2: xr,
          y1: barY + 5,
          y2: barY + 5,
          stroke: '#6a3fb5',
          'stroke-width': 2,
          'stroke-dasharray': '5 3',
        }),
      );
      g.append(
        s('path', { d: `M${xs - 6},${barY + 11} L${xs},${barY - 1} L${xs + 6},${barY + 11} Z`, fill: '#6a3fb5' }),
      );
      g.append(s('line', { x1: xr, x2: xr, y1: barY - 2, y2: barY + 12, stroke: '#6a3fb5', 'stroke-width': 2 }));
      g.append(
        labelAt(
          xs,
          y + 12,
          `${L(LEVELS, e.level)} ${short(e.at)} → 回复截止 ${en('respond by')} ${short(e.respondBy)}`,
        ),
      );
    } else {
      const { c } = row;
      const xs = x(ms(c.startedAt));
      const cleared = ms(c.clearedAt);
      const xe = Number.isFinite(cleared) ? x(cleared) : x(end);
      const fill = c.color === 'red' ? '#c62828' : '#f6c343';
      g.setAttribute('data-rule', c.rule);
      g.append(s('rect', { x: xs, y: barY + 2, width: Math.max(0, xe - xs), height: 6, fill, opacity: 0.35 }));
      const flag = s('path', {
        d: `M${xs},${barY + 12} L${xs},${barY - 4} L${xs + 11},${barY + 1} L${xs},${barY + 5}`,
        fill,
        stroke: fill,
        'stroke-width': 1.5,
      });
      flag.append(s('title', {}, `${label(COLORS, c.color)} ${label(RULES, c.rule)} ${fmtInstant(c.startedAt)}`));
      g.append(flag);
      g.append(
        labelAt(
          xs,
          y + 12,
          `${zh(COLORS, c.color)} ${L(RULES, c.rule)} ${short(c.startedAt)}` +
            (c.clearedAt ? ` – ${short(c.clearedAt)}` : ''),
        ),
      );
    }
    svg.append(g);
  });

  // Deadline and as-of lines on top.
  if (Number.isFinite(due)) {
    const xd = x(due);
    svg.append(
      s('line', {
        x1: xd,
        x2: xd,
        y1: TOP - 6,
        y2: axisY,
        stroke: '#c62828',
        'stroke-width': 2,
        'stroke-dasharray': '6 3',
        'data-line': 'deadline',
      }),
    );
    svg.append(labelAt(xd, 13, `时限 ${en('deadline')} ${ev.deadlineDate}（${short(ev.dueAt)} 止）`, 'deadline-label'));
  }
  if (asOf <= t1) {
    const xo = x(asOf);
    svg.append(
      s('line', {
        x1: xo,
        x2: xo,
        y1: TOP - 6,
        y2: axisY,
        stroke: '#1a56a8',
        'stroke-width': 1.5,
        'data-line': 'asof',
      }),
    );
    svg.lastChild.append(s('title', {}, `查看时点 as of ${fmtInstant(ev.asOf)}`));
  } else {
    // Past the case's life: an arrow at the right edge instead of squeezing the life into a corner.
    const xe = width - PAD;
    svg.append(
      s('path', {
        d: `M${xe - 8} ${TOP - 10} L${xe} ${TOP - 5} L${xe - 8} ${TOP}`,
        fill: 'none',
        stroke: '#1a56a8',
        'stroke-width': 1.5,
        'data-line': 'asof-beyond',
      }),
    );
    svg.lastChild.append(s('title', {}, `查看时点 as of ${fmtInstant(ev.asOf)}（在图右侧之外 beyond the right edge）`));
    svg.append(labelAt(xe, axisY + 18, `→ ${en('as of')} ${short(ev.asOf)}`, 'asof-label'));
  }

  container.replaceChildren(svg);
  fitLabels(svg, width);
}

/** Keeps every label inside the picture: after its mark, else before it, else flush right. */
function fitLabels(svg, width) {
  for (const t of svg.querySelectorAll('text.label')) {
    const w = t.getComputedTextLength();
    const px = Number(t.getAttribute('data-anchor-x'));
    let left = px + 6;
    if (left + w > width - 2) left = px - 6 - w >= 2 ? px - 6 - w : Math.max(2, width - 2 - w);
    t.setAttribute('x', String(left));
  }
}
