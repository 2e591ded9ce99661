// A card's explanation as one line of figures for the card register: each scalar field named in
// Chinese (the case page's labels, EXPLAIN_KEYS), instants in the deployment zone, coded values
// translated, day lists by their length, a figure without a value (null) left out. The register's CSV
// keeps the raw keys (src/projections/cardRegister.ts explainFigures), for machines.
import { fmtInstant, isIsoInstant } from './format.js';
import { EXPLAIN_KEYS, explainValueText } from './labels.js';

const SKIP = new Set(['rule', 'calendarVersion', 'policyVersion', 'asOf']);

/** The Chinese name of a key; a key not in the table as itself (explain-labels.test.ts keeps the table whole). */
const nameOf = (key) => EXPLAIN_KEYS[key]?.[0] ?? key;

function text(key, value) {
  if (typeof value === 'string') return isIsoInstant(value) ? fmtInstant(value) : explainValueText(key, value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

export function explainFigures(explain) {
  if (typeof explain !== 'object' || explain === null) return '';
  const parts = [];
  for (const [key, value] of Object.entries(explain)) {
    if (SKIP.has(key) || value === null) continue;
    if (Array.isArray(value)) parts.push(`${nameOf(key)} ${value.length}`);
    else if (typeof value !== 'object') parts.push(`${nameOf(key)} ${text(key, value)}`);
  }
  return parts.join('；');
}
