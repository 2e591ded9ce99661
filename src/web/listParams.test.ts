/**
 * The list pages (no build step) cannot import the routes' parameter lists, so this keeps them in
 * step: the filter form of cases.html / cards.html / complaints.html and the PARAMS of their scripts hold
 * every parameter of GET /cases / GET /cards / GET /complaints except those list-page.js sets itself (the cursor, the
 * listing's instant). A parameter missing there is dropped from the address (list-page.js keeps
 * only the page's PARAMS), so a report or board link using it would open a different list.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WITHDRAWN_CARD_PARAMS } from '../api/routes/cards.js';
import { CASE_LIST_PARAMS } from '../api/routes/caseList.js';
import { COMPLAINT_LIST_PARAMS } from '../api/routes/complaintReads.js';

/** Set by list-page.js while paging, not by the form. */
const PAGING_STATE = ['cursor', 'listedAt'];

const read = (file: string) => readFileSync(new URL(`./public/${file}`, import.meta.url), 'utf8');

function formFields(html: string): string[] {
  const form = /<form id="filters"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  return [...form.matchAll(/\sname="([^"]+)"/g)].map((m) => m[1]!).sort();
}

function pageParams(js: string): string[] {
  const list = /const PARAMS = \[([^\]]*)\]/.exec(js)?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]!).sort();
}

describe('the list pages know every filter of their API', () => {
  for (const [page, api] of [
    ['cases', CASE_LIST_PARAMS],
    // One page for both registers: the withdrawn view's filters (the register's and `kind`, removed in the register view).
    ['cards', WITHDRAWN_CARD_PARAMS],
    ['complaints', COMPLAINT_LIST_PARAMS],
  ] as const)
    it(`${page}: the form and PARAMS are the API's parameters less the paging state`, () => {
      const filters = api.filter((p) => !PAGING_STATE.includes(p)).sort();
      expect(formFields(read(`${page}.html`))).toEqual(filters);
      expect(pageParams(read(`js/${page}.js`))).toEqual(filters);
    });
});
