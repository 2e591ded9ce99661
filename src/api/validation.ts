/** Query and header validation shared by the routes: every failure names the parameter. */
import type { Request, RequestHandler } from 'express';
import { CENTER_SCOPES, type CenterScope } from '../domain/directory.js';
import { instantProblem, shownName } from '../domain/inputBounds.js';
import { formatInstant } from '../domain/time.js';
import type { EpochMs } from '../domain/types.js';
import { ApiError, badRequest } from './errors.js';

/** Bodies must be declared as JSON (express.json parses only those). */
export const requireJson: RequestHandler = (req, _res, next) => {
  // `is` answers null for a request with no body at all, whatever its Content-Type says.
  if (req.is('application/json') === null)
    throw new ApiError(400, 'bad-request-body', 'request body is empty: send a JSON object', [
      { field: '(body)', message: 'is empty' },
    ]);
  if (!req.is('application/json')) {
    throw new ApiError(400, 'unsupported-content-type', 'Content-Type must be application/json', [
      { field: 'Content-Type', message: 'must be application/json' },
    ]);
  }
  next();
};

/** A single optional query parameter as a string (repeated → 400). */
export function queryString(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(name, 'must be given once, as a plain value');
  return v;
}

/**
 * The route's query parameters, declared as a step before its handler (and before its body is read):
 * any other is refused by name. A misspelt filter must not widen a list silently, nor an instant asked
 * of figures that are always now's (`asOf` on /stats) be ignored, nor `?asof=` on a case read answer now.
 */
export const takesParams =
  (...known: readonly string[]): RequestHandler =>
  (req, _res, next) => {
    for (const name of Object.keys(req.query as Record<string, unknown>)) {
      if (known.includes(name)) continue;
      throw badRequest(
        shownName(name),
        known.length === 0
          ? 'is not a parameter of this route: it takes none'
          : `is not a parameter of this route; known: ${known.join(', ')}`,
      );
    }
    next();
  };

/**
 * A write with no revision to compare refuses `If-Match`: ignoring it would let a caller believe the
 * write was conditional when it was not.
 */
export const refusesIfMatch =
  (why: string): RequestHandler =>
  (req, _res, next) => {
    if (req.headers['if-match'] !== undefined) throw badRequest('If-Match', `is not taken by this route: ${why}`);
    next();
  };

/** The digits of a fraction after its third (`.1234` → `4`): a finer instant than the millisecond unless all 0. */
const SUB_MILLISECOND = /\.\d{3}(\d*)/;

/** `…T10:00:00 08:00`: a `+08:00` offset typed into a query string, whose `+` decodes to a space. */
const PLUS_AS_SPACE = /\d \d{2}:?\d{2}$/;
const PLUS_HINT = 'its offset\'s "+" arrived as a space: in a query string send "+" as %2B (…T10:00:00%2B08:00)';

/**
 * An optional instant parameter (`?asOf=`, `?asKnownAt=`, `?listedAt=`) as epoch ms: ISO-8601 with
 * offset, a whole number of milliseconds. A finer one is refused, not truncated (session 16: `.1234Z`
 * was answered as `.123Z`), as an event's occurredAt is.
 */
export function instantParam(query: Record<string, unknown>, name: string): EpochMs | undefined {
  const text = queryString(query, name);
  if (text === undefined) return undefined;
  const problem = instantProblem(text);
  if (problem !== undefined) throw badRequest(name, PLUS_AS_SPACE.test(text) ? `${problem}; ${PLUS_HINT}` : problem);
  if (/[1-9]/.test(SUB_MILLISECOND.exec(text)?.[1] ?? ''))
    throw badRequest(name, 'must be a whole number of milliseconds (a finer fraction is not truncated)');
  return Date.parse(text);
}

/**
 * `?asKnownAt=` as epoch ms, not after `now`: what will be known later is not known yet, and an
 * answer labelled with an instant must not change once given (a later write would change it).
 * The refusal names `now` with the offset of `zone`, as every instant the API writes (SPEC §4).
 */
export function knownAtParam(query: Record<string, unknown>, now: EpochMs, zone: string): EpochMs | undefined {
  const knownAt = instantParam(query, 'asKnownAt');
  if (knownAt !== undefined && knownAt > now)
    throw badRequest(
      'asKnownAt',
      `must not be after now (${formatInstant(now, zone)}): what will be known then is not known yet; use asOf to look ahead`,
    );
  return knownAt;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date `YYYY-MM-DD`. */
export function dateParam(query: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const text = queryString(query, name);
  if (text === undefined) {
    if (required) throw badRequest(name, 'is required (a date YYYY-MM-DD)');
    return undefined;
  }
  const m = DATE_RE.exec(text);
  if (m === null || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw badRequest(name, `must be a date YYYY-MM-DD; got "${text.slice(0, 40)}"`);
  }
  return text;
}

export function monthParam(query: Record<string, unknown>, name: string): string {
  const text = queryString(query, name);
  if (text === undefined) throw badRequest(name, 'is required (a month YYYY-MM)');
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m === null || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw badRequest(name, `must be a month YYYY-MM; got "${text.slice(0, 40)}"`);
  return text;
}

export function enumParam<T extends string>(
  query: Record<string, unknown>,
  name: string,
  values: readonly T[],
): T | undefined {
  const text = queryString(query, name);
  if (text === undefined) return undefined;
  if (!(values as readonly string[]).includes(text)) throw badRequest(name, `must be one of ${values.join(', ')}`);
  return text as T;
}

/**
 * `scope` of a center filter: `center` (that center alone) or `subtree` (with every center under it in
 * the directory, domain/directory.ts `centersInScope`); `fallback` when not given. Undefined without
 * `centerId`, and given without one it is refused: a scope of no center would be ignored silently.
 */
export function scopeParam(
  query: Record<string, unknown>,
  centerId: string | undefined,
  fallback: CenterScope,
): CenterScope | undefined {
  const scope = enumParam(query, 'scope', CENTER_SCOPES);
  if (centerId !== undefined) return scope ?? fallback;
  if (scope !== undefined)
    throw badRequest('scope', 'is only taken with centerId: it says which centers centerId covers');
  return undefined;
}

/**
 * A list's `scope` as its query carries it: `subtree` only, since `center` is the lists' default and a
 * cursor is bound to its query's filters (keysetPage.ts `scopedOrder`): `scope=center` pages the same
 * listing as no scope.
 */
export const listScopeParam = (query: Record<string, unknown>, centerId: string | undefined): 'subtree' | undefined =>
  scopeParam(query, centerId, 'center') === 'subtree' ? 'subtree' : undefined;

/** The longest free-text id filter a list takes (OpenAPI says so from here). */
export const ID_PARAM_MAX_LENGTH = 200;

/** A free-text id filter (1–ID_PARAM_MAX_LENGTH characters). */
export function idParam(query: Record<string, unknown>, name: string): string | undefined {
  const text = queryString(query, name);
  if (text === undefined) return undefined;
  if (text.length < 1 || text.length > ID_PARAM_MAX_LENGTH)
    throw badRequest(name, `must be 1–${ID_PARAM_MAX_LENGTH} characters`);
  return text;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (days[m - 1] ?? 0);
}

/** A named path parameter as a string ('' when absent). */
export function pathParam(req: Request, name: string): string {
  const v: unknown = req.params[name];
  return typeof v === 'string' ? v : '';
}

/**
 * A revision bare or as the strong tag the writes answer (`ETag: "3"`). Not a weak tag: If-Match
 * compares strongly (RFC 9110 §13.1.1), so `W/"3"` never matches, nor `"0003"` (not the tag `"3"`); nor a
 * half-quoted one. OpenAPI documents this very pattern.
 */
export const IF_MATCH_PATTERN = '^\\s*(?:(0|[1-9]\\d{0,14})|"(0|[1-9]\\d{0,14})")\\s*$';
const IF_MATCH_RE = new RegExp(IF_MATCH_PATTERN);

/** `If-Match: 3` or `If-Match: "3"` → 3; absent → undefined; anything else → 400. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = IF_MATCH_RE.exec(header);
  if (m === null)
    throw badRequest(
      'If-Match',
      'must be a stream revision, an integer ≥ 0, bare or as the strong tag the write answered (If-Match: 3 or "3"; not W/"3")',
    );
  return Number(m[1] ?? m[2]);
}
