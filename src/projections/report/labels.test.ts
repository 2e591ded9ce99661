/** The server's Chinese names (labels.ts) agree with the web pages' (src/web/public/js/labels.js). */
import { describe, expect, it } from 'vitest';
import {
  CARD_SUBJECT_NAMES,
  CASE_STATUS_NAMES,
  COLOR_NAMES,
  COMPLAINT_CHANNEL_NAMES,
  COMPLAINT_CLOCK_KEY_NAMES,
  COMPLAINT_EVENT_TYPE_NAMES,
  COMPLAINT_RULE_NAMES,
  COMPLAINT_STATUS_NAMES,
  ESCALATION_LEVEL_NAMES,
  EVENT_TYPE_NAMES,
  EXPLAIN_COUNT_KEY_NAMES,
  EXPLAIN_KEY_NAMES,
  FINDING_NAMES,
  KIND_NAMES,
  NOT_EXTENDED_NAME,
  EMPTY_LIST_NAME,
  REASON_NAMES,
  RULE_NAMES,
  SATISFACTION_NAMES,
} from './labels.js';

type LabelTable = Record<string, readonly [string, string]>;
const labelsUrl = new URL('../../web/public/js/labels.js', import.meta.url).href;
const web = (await import(labelsUrl)) as Record<string, LabelTable>;

describe('report labels', () => {
  const chinese = (table: LabelTable) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[0]]));

  it('name every rule and colour as the pages do', () => {
    expect(RULE_NAMES).toEqual(chinese(web['RULES']!));
    expect(COMPLAINT_RULE_NAMES).toEqual(chinese(web['COMPLAINT_RULES']!));
    expect(COLOR_NAMES).toEqual(chinese(web['COLORS']!));
  });

  // The CSVs' cells (card register, withdrawn cards, case list, complaint list) read these tables.
  it.each([
    ['STATUS', CASE_STATUS_NAMES],
    ['KINDS', KIND_NAMES],
    ['CARD_SUBJECTS', CARD_SUBJECT_NAMES],
    ['REASONS', REASON_NAMES],
    ['LEVELS', ESCALATION_LEVEL_NAMES],
    ['EVENT_TYPES', EVENT_TYPE_NAMES],
    ['COMPLAINT_STATUS', COMPLAINT_STATUS_NAMES],
    ['COMPLAINT_CHANNELS', COMPLAINT_CHANNEL_NAMES],
    ['COMPLAINT_FINDINGS', FINDING_NAMES],
    ['SATISFACTION', SATISFACTION_NAMES],
    ['COMPLAINT_EVENT_TYPES', COMPLAINT_EVENT_TYPE_NAMES],
    ['EXPLAIN_KEYS', EXPLAIN_KEY_NAMES],
    ['EXPLAIN_COUNT_KEYS', EXPLAIN_COUNT_KEY_NAMES],
    ['COMPLAINT_CLOCK_KEYS', COMPLAINT_CLOCK_KEY_NAMES],
  ] as const)('name every code of %s as the pages do', (name, table) => {
    expect(table).toEqual(chinese(web[name]!));
  });

  it('say a case never extended as the pages do', () => {
    expect(NOT_EXTENDED_NAME).toBe((web['NOT_EXTENDED'] as unknown as readonly [string, string])[0]);
  });

  it('say an empty list as the pages do', () => {
    expect(EMPTY_LIST_NAME).toBe((web['EMPTY_LIST'] as unknown as readonly [string, string])[0]);
  });
});
