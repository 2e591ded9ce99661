/**
 * The pages are static JavaScript and HTML (no build step), so they cannot
 * import the domain's lists (src/domain/lists.ts, src/domain/complaints/lists.ts). These tests keep them in
 * step: labels.js has a label for exactly each value of each list, and every
 * case-id `pattern` attribute of a page as served is the domain's pattern source.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseId } from '../domain/events.js';
import { WEB_PAGES, type WebPage } from './pages.js';
import { withSiteHeader } from './siteHeader.js';
import {
  CARD_COLORS,
  CARD_RULES,
  CASE_ID_PATTERN,
  CASE_ID_RE,
  CASE_KINDS,
  CASE_STATUSES,
  CATEGORIES,
  CHANNELS,
  ESCALATION_LEVELS,
  EVENT_TYPES,
  OUTCOMES,
  PAUSE_REASONS,
  RATING_CHANNELS,
  RATING_SCORES,
} from '../domain/lists.js';
import {
  COMPLAINT_CARD_RULES,
  COMPLAINT_CHANNELS,
  COMPLAINT_EVENT_TYPES,
  COMPLAINT_FINDINGS,
  COMPLAINT_STATUSES,
  SATISFACTION_LEVELS,
} from '../domain/complaints/lists.js';

type LabelTable = Record<string, readonly [string, string]>;
const labelsUrl = new URL('./public/js/labels.js', import.meta.url).href;
const labels = (await import(labelsUrl)) as Record<string, LabelTable>;

const TABLE_OF_LIST: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['RULES', CARD_RULES],
  ['COLORS', CARD_COLORS],
  ['STATUS', CASE_STATUSES],
  ['KINDS', CASE_KINDS],
  ['CHANNELS', CHANNELS],
  ['CATEGORIES', CATEGORIES],
  ['REASONS', PAUSE_REASONS],
  ['LEVELS', ESCALATION_LEVELS],
  ['OUTCOMES', OUTCOMES],
  ['EVENT_TYPES', EVENT_TYPES],
  ['RATING_CHANNELS', RATING_CHANNELS],
  ['RATING_SCORES', RATING_SCORES.map(String)],
  ['COMPLAINT_RULES', COMPLAINT_CARD_RULES],
  ['COMPLAINT_STATUS', COMPLAINT_STATUSES],
  ['COMPLAINT_CHANNELS', COMPLAINT_CHANNELS],
  ['COMPLAINT_FINDINGS', COMPLAINT_FINDINGS],
  ['SATISFACTION', SATISFACTION_LEVELS],
  ['COMPLAINT_EVENT_TYPES', COMPLAINT_EVENT_TYPES],
  ['ALERT_RULES', [...CARD_RULES, ...COMPLAINT_CARD_RULES]],
];

describe('labels.js', () => {
  for (const [table, list] of TABLE_OF_LIST) {
    it(`${table} labels exactly the domain's values, each in Chinese and English`, () => {
      const entries = labels[table];
      expect(entries, `labels.js exports ${table}`).toBeDefined();
      expect(Object.keys(entries ?? {}).sort()).toEqual([...list].sort());
      for (const [code, [zh, en]] of Object.entries(entries ?? {})) {
        expect(zh.length, `${table}.${code} 中文`).toBeGreaterThan(0);
        expect(en.length, `${table}.${code} english`).toBeGreaterThan(0);
      }
    });
  }
});

/** Each page as served: its file with the site header filled in. */
const servedPage = (page: WebPage): string =>
  withSiteHeader(readFileSync(new URL(`./public/${page.file}`, import.meta.url), 'utf8'), page);
const patternsOf = (page: WebPage): string[] =>
  [...servedPage(page).matchAll(/<input\b[^>]*\bname="caseId"[^>]*>/g)].map(
    (m) => /\bpattern="([^"]*)"/.exec(m[0])?.[1] ?? '',
  );

describe('case-id pattern attributes', () => {
  it.each(WEB_PAGES.map((p) => [p.file, p] as const))('%s uses the domain pattern source', (_file, page) => {
    const patterns = patternsOf(page);
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) expect(pattern).toBe(CASE_ID_PATTERN);
  });

  it('the pattern as a browser compiles it (anchored, v flag) accepts exactly the case ids the domain accepts', () => {
    // HTML: the value must match ^(?:pattern)$ compiled with the `v` flag.
    const html = new RegExp(`^(?:${CASE_ID_PATTERN})$`, 'v');
    const idChars = fc.constantFrom(...'AZaz09._-/ $é中'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: idChars, maxLength: 70 }), fc.string({ maxLength: 70 })), (s) => {
        const domain = CASE_ID_RE.test(s);
        expect(html.test(s)).toBe(domain);
        expect(CaseId.is(s)).toBe(domain);
      }),
    );
    expect(html.test('a'.repeat(64))).toBe(true);
    expect(html.test('a'.repeat(65))).toBe(false);
    expect(html.test('A-1.b_2')).toBe(true);
  });
});
