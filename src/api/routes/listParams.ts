/** The query parameters the lists share: paging, the format. */
import type { Request, Response } from 'express';
import { badRequest } from '../errors.js';
import { instantParam, queryString } from '../validation.js';

/** JSON pages are at most this long; a CSV export may ask for more rows at once. */
export const LIST_MAX_LIMIT = 500;
export const LIST_DEFAULT_LIMIT = 50;
export const CSV_MAX_LIMIT = 10_000;

export const wantsCsv = (req: Request): boolean => req.accepts(['application/json', 'text/csv']) === 'text/csv';

export function limitParam(query: Record<string, unknown>, csv: boolean): number {
  const max = csv ? CSV_MAX_LIMIT : LIST_MAX_LIMIT;
  const text = queryString(query, 'limit');
  if (text === undefined) return csv ? CSV_MAX_LIMIT : LIST_DEFAULT_LIMIT;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw badRequest('limit', `must be a whole number from 1 to ${max}; got "${text.slice(0, 40)}"`);
  return Number(text);
}

export function cursorParam(query: Record<string, unknown>): string | undefined {
  const text = queryString(query, 'cursor');
  if (text === '') throw badRequest('cursor', 'must not be empty (omit it for the first page)');
  return text;
}

export function booleanParam(query: Record<string, unknown>, name: string): boolean | undefined {
  const text = queryString(query, name);
  if (text === undefined) return undefined;
  if (text !== 'true' && text !== 'false') throw badRequest(name, `must be true or false; got "${text.slice(0, 40)}"`);
  return text === 'true';
}

/** A CSV page: UTF-8 with a byte-order mark (Excel reads the Chinese headers), the next page's cursor in a header. */
export function sendCsv(res: Response, filename: string, csv: string, nextCursor: string | undefined): void {
  if (nextCursor !== undefined) res.set('X-Next-Cursor', nextCursor);
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('Content-Disposition', `attachment; filename="${filename}"`)
    .send(`\uFEFF${csv}`);
}

/** The parameters that were given (exactOptionalPropertyTypes: an absent filter is left out, not undefined). */
export function givenOnly<T extends object>(params: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * `listedAt`: the listing's instant as a page answered it (ISO-8601 with offset, to the millisecond),
 * to read that listing's first page again; its bounds are the cursor's (listingCursor.ts).
 */
export const listedAtParam = (q: Record<string, unknown>): number | undefined => instantParam(q, 'listedAt');
