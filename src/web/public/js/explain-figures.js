// A card's explanation as one line of figures for the card register: each scalar field named in
// Chinese (the case page's labels, EXPLAIN_KEYS), instants in the deployment zone, coded values
// translated (in Chinese alone), day lists by their length (an empty one as 无, not 0), a figure
// without a value (null) left out,
// a case never extended said once (未延期), not as 延期天数 0 beside a count of no extensions.
// The register's CSV writes the same line (src/projections/explainFigures.ts; src/web/explain-figures.test.ts
// checks the two agree).
import { fmtInstant, isIsoInstant } from './format.js';
import {
  COMPLAINT_CLOCK_KEYS,
  EMPTY_LIST,
  EXPLAIN_COUNT_KEYS,
  EXPLAIN_KEYS,
  NOT_EXTENDED,
  explainValueZh,
  neverExtended,
} from './labels.js';

const SKIP = new Set(['rule', 'calendarVersion', 'policyVersion', 'asOf']);

/** A complaint's card is explained by its clock's figures, named as on the complaint's page. */
const COMPLAINT_KEYS = { ...EXPLAIN_KEYS, ...COMPLAINT_CLOCK_KEYS };

/** The Chinese name of a key; a key not in the table as itself (explain-labels.test.ts keeps the table whole). */
const nameOf = (table, key) => table[key]?.[0] ?? key;

function text(key, value) {
  if (typeof value === 'string') return isIsoInstant(value) ? fmtInstant(value) : explainValueZh(key, value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

export function explainFigures(explain) {
  if (typeof explain !== 'object' || explain === null) return '';
  const table = String(explain.rule ?? '').startsWith('complaint-') ? COMPLAINT_KEYS : EXPLAIN_KEYS;
  const never = neverExtended(explain);
  const parts = [];
  for (const [key, value] of Object.entries(explain)) {
    if (SKIP.has(key) || value === null || (never && key === 'extendedDays')) continue;
    if (never && key === 'extensions') parts.push(NOT_EXTENDED[0]);
    else if (Array.isArray(value))
      parts.push(`${EXPLAIN_COUNT_KEYS[key]?.[0] ?? nameOf(table, key)} ${value.length || EMPTY_LIST[0]}`);
    else if (typeof value !== 'object') parts.push(`${nameOf(table, key)} ${text(key, value)}`);
  }
  return parts.join('；');
}
