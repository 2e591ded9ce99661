/**
 * A card's explanation as one line of figures in Chinese, for the CSVs a 通报 is written from: each
 * scalar field named as the pages name it (labels.ts EXPLAIN_KEY_NAMES; a complaint card's clock
 * figures as the complaint page names them), instants as `YYYY-MM-DD HH:mm`, coded values by their
 * Chinese names, day lists by their length (an empty one as 无: "地方假日 0" read as a list of 0), a figure without a value (null) left out, a case never
 * extended said once (未延期), not as 延期天数 0 beside a count of no extensions. The card
 * register page writes the same line (src/web/public/js/explain-figures.js; src/web/explain-figures.test.ts
 * checks the two agree).
 */
import {
  COLOR_NAMES,
  COMPLAINT_CLOCK_KEY_NAMES,
  COMPLAINT_EVENT_TYPE_NAMES,
  ESCALATION_LEVEL_NAMES,
  EVENT_TYPE_NAMES,
  EMPTY_LIST_NAME,
  EXPLAIN_COUNT_KEY_NAMES,
  EXPLAIN_KEY_NAMES,
  NOT_EXTENDED_NAME,
  REASON_NAMES,
} from './report/labels.js';

const SKIP = new Set(['rule', 'calendarVersion', 'policyVersion', 'asOf']);
const COMPLAINT_KEY_NAMES: Readonly<Record<string, string>> = { ...EXPLAIN_KEY_NAMES, ...COMPLAINT_CLOCK_KEY_NAMES };

/** Values given as codes of a list, per explanation key. */
const VALUE_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  reason: REASON_NAMES,
  level: ESCALATION_LEVEL_NAMES,
  // A late-record card's event: a case's, or a complaint's (complaint-late-record).
  eventType: { ...EVENT_TYPE_NAMES, ...COMPLAINT_EVENT_TYPE_NAMES },
  color: COLOR_NAMES,
};

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/;

/**
 * An instant of an explanation as the pages show it. The engine writes them with the deployment
 * zone's offset (formatInstant), so the local date and time are the string's own.
 */
const instantText = (iso: string): string => iso.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*$/, '$1 $2');

/** An explanation's string value in Chinese (labels.js explainValueZh). */
export function explainValueName(key: string, value: string): string {
  const coded = VALUE_NAMES[key]?.[value];
  if (coded !== undefined) return coded;
  if (key === 'allowanceSource') {
    if (value === 'declaredDays') return '书面告知的天数';
    const m = /^policy default for (.+)$/.exec(value);
    if (m) return `规则默认（${REASON_NAMES[m[1] as keyof typeof REASON_NAMES] ?? m[1]}）`;
  }
  if (key === 'clearedBy') {
    const m = /^the extension at (\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[^,]*, which/.exec(value);
    if (m) return `${m[1]} ${m[2]} 的延期使预警日后移`;
  }
  return value;
}

function valueText(key: string, value: string | number | boolean): string {
  if (typeof value === 'string') return ISO_INSTANT.test(value) ? instantText(value) : explainValueName(key, value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

/** A deadline card's explanation of a case never extended (labels.js neverExtended): `extendedDays` is 0. */
const neverExtended = (explain: object): boolean => {
  const extensions = (explain as { extensions?: unknown }).extensions;
  return Array.isArray(extensions) && extensions.length === 0;
};

/** The explanation's figures on one line, in Chinese (the register page's 说明 column). */
export function explainFigures(explain: unknown): string {
  if (typeof explain !== 'object' || explain === null) return '';
  const rule = (explain as { rule?: unknown }).rule;
  const names = String(rule ?? '').startsWith('complaint-') ? COMPLAINT_KEY_NAMES : EXPLAIN_KEY_NAMES;
  const never = neverExtended(explain);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(explain)) {
    if (SKIP.has(key) || value === null || value === undefined || (never && key === 'extendedDays')) continue;
    const name = names[key] ?? key;
    if (never && key === 'extensions') parts.push(NOT_EXTENDED_NAME);
    else if (Array.isArray(value))
      parts.push(`${EXPLAIN_COUNT_KEY_NAMES[key] ?? name} ${value.length || EMPTY_LIST_NAME}`);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      parts.push(`${name} ${valueText(key, value)}`);
  }
  return parts.join('；');
}
