/** The report's Chinese names (labels.ts) agree with the web pages' (src/web/public/js/labels.js). */
import { describe, expect, it } from 'vitest';
import { COLOR_NAMES, COMPLAINT_RULE_NAMES, RULE_NAMES } from './labels.js';

type LabelTable = Record<string, readonly [string, string]>;
const labelsUrl = new URL('../../web/public/js/labels.js', import.meta.url).href;
const web = (await import(labelsUrl)) as Record<string, LabelTable>;

describe('report labels', () => {
  it('name every rule and colour as the pages do', () => {
    const chinese = (table: LabelTable) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[0]]));
    expect(RULE_NAMES).toEqual(chinese(web['RULES']!));
    expect(COMPLAINT_RULE_NAMES).toEqual(chinese(web['COMPLAINT_RULES']!));
    expect(COLOR_NAMES).toEqual(chinese(web['COLORS']!));
  });
});
