// Renders a card's `explain` (why, in numbers) as readable text, whatever its
// exact shape: strings become sentences, numbers and instants are formatted,
// objects become labelled lists.
import { el, fmtInstant, isIsoInstant } from './format.js';
import { EMPTY_LIST, EXPLAIN_KEYS, NOT_EXTENDED, explainValueText, label, neverExtended } from './labels.js';

/** "中文 english" for a key; a key missing from the table shows as itself (src/web/explain-labels.test.ts keeps the table whole). */
function nameOf(key) {
  return EXPLAIN_KEYS[key] ? label(EXPLAIN_KEYS, key) : key;
}

/**
 * `key`: the field `v` is the value of; `rule`: the card's rule (its `rule` sentence is translated by it);
 * `figures`: the whole explanation (the sentence says its day counts, not their names).
 */
function value(v, depth, key, rule, figures) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return isIsoInstant(v) ? fmtInstant(v) : explainValueText(key, v, rule, figures);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000);
  if (typeof v === 'boolean') return v ? '是 yes' : '否 no';
  if (Array.isArray(v)) {
    if (v.length === 0) return EMPTY_LIST.join(' ');
    if (v.every((x) => typeof x !== 'object' || x === null)) {
      const text = v.map((x) => value(x, depth, key, rule, figures)).join('、');
      // Long date lists fold away; the count is what one reads first.
      return v.length <= 8
        ? `${text}（${v.length}）`
        : el('details', {}, el('summary', {}, `${v.length} 天 days`), text);
    }
    return el(
      'ol',
      {},
      v.map((x) => el('li', {}, value(x, depth + 1, key, rule, figures))),
    );
  }
  if (depth > 4) return JSON.stringify(v);
  return fields(v, depth + 1, rule, figures);
}

function fields(obj, depth, rule, figures = obj) {
  const dl = el('dl');
  // A case never extended: one figure, 未延期, not 延期天数 0 beside 延期 无.
  const never = neverExtended(obj);
  for (const [k, v] of Object.entries(obj)) {
    if (['summary', 'text', 'message'].includes(k) && typeof v === 'string') continue;
    if (never && k === 'extendedDays') continue;
    const shown = never && k === 'extensions' ? NOT_EXTENDED.join(' ') : value(v, depth, k, rule, figures);
    dl.append(el('dt', {}, nameOf(k)), el('dd', {}, shown));
  }
  return dl;
}

/** A node explaining a card of rule `rule`; null when the card carries no explanation. */
export function renderExplain(explain, rule) {
  if (explain === undefined || explain === null) return null;
  const box = el('div', { class: 'explain' });
  if (typeof explain !== 'object' || Array.isArray(explain)) {
    box.append(el('p', { class: 'summary' }, value(explain, 0, 'summary', rule, {})));
    return box;
  }
  for (const k of ['summary', 'text', 'message']) {
    if (typeof explain[k] === 'string') box.append(el('p', { class: 'summary' }, explain[k]));
  }
  box.append(fields(explain, 0, rule));
  return box;
}
