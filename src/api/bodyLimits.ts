/**
 * The routes that take a request body, who may send one, and how large and deep it may be
 * (SPEC §4): 64 KB for the routes that take one event, 1 MB for the others, JSON nested at
 * most `MAX_JSON_DEPTH` levels. One list: the gate (auth.ts `gateBodies`) refuses a body from a
 * role that may not write there before a byte of it is read, and `bodyParser` parses only the
 * bodies of these routes, each under its limits.
 *
 * The largest valid event is far below 64 KB: its strings are at most 2000 + 3 × 200
 * characters (a note, `by`, `actor`, an id), and even with every character sent as a
 * `\uXXXX` escape (6 bytes) that is about 16 KB. Anything larger is refused before it is
 * parsed, so a junk body (0.5 MB of 30,000 unknown keys) no longer holds the event loop in
 * `JSON.parse`. No valid body nests deeper than a few levels; 960 KB of `[` (983 bytes gzipped)
 * held the event loop 200–600 ms in `JSON.parse` (a reviewer, session 21), so depth is checked
 * by a scan of the bytes first (about 1 ms a megabyte).
 */
import express, { type RequestHandler } from 'express';
import type { Permission } from './auth.js';
import { ApiError } from './errors.js';

export const BODY_LIMIT = '1mb';
export const CASE_EVENT_BODY_LIMIT_BYTES = 64 * 1024;
/** Deeper than any valid body (an event batch nests 3 levels, the directory 4). */
export const MAX_JSON_DEPTH = 32;

export interface BodyRoute {
  readonly method: 'POST' | 'PUT';
  /** The path as the API routes match it (case-insensitive; no trailing slash: apiRouter.ts). */
  readonly path: RegExp;
  /** Who may send it: the permission its route requires. */
  readonly permission: Permission;
  readonly limit: number | string;
  /** The 413's message. */
  readonly tooLarge: string;
}

const ONE_EVENT = {
  limit: CASE_EVENT_BODY_LIMIT_BYTES,
  tooLarge: 'request body is larger than 64 KB, the limit of one event (send batches to POST /events)',
} as const;
const LARGE = { limit: BODY_LIMIT, tooLarge: 'request body is larger than 1 MB' } as const;

export const BODY_ROUTES: readonly BodyRoute[] = [
  { method: 'POST', path: /^\/cases\/[^/]+\/events$/i, permission: 'events:write', ...ONE_EVENT },
  { method: 'POST', path: /^\/complaints\/[^/]+\/events$/i, permission: 'events:write', ...ONE_EVENT },
  { method: 'POST', path: /^\/events$/i, permission: 'events:write', ...LARGE },
  { method: 'PUT', path: /^\/directory$/i, permission: 'directory:write', ...LARGE },
  { method: 'PUT', path: /^\/calendar\/[^/]+$/i, permission: 'calendar:write', ...LARGE },
];

/** The body route a request is for, if any. */
export const bodyRouteOf = (method: string, path: string): BodyRoute | undefined =>
  BODY_ROUTES.find((r) => r.method === method && r.path.test(path));

/** Whether JSON text nests arrays and objects deeper than `max` (strings skipped, escapes included). */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      if (++depth > max) return true;
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return false;
}

const TOO_DEEP = 'entity.too.deep';

const isTooLarge = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';
const isTooDeep = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { type?: unknown }).type === TOO_DEEP;

const parsers = new Map(
  BODY_ROUTES.map((route) => [
    route,
    express.json({
      limit: route.limit,
      type: 'application/json',
      verify: (_req, _res, buf) => {
        if (nestsDeeperThan(buf, MAX_JSON_DEPTH)) throw Object.assign(new Error('too deep'), { type: TOO_DEEP });
      },
    }),
  ]),
);

/**
 * Parses the JSON body of a body route under its limits: 413 naming the limit, 400 past the depth.
 * The body of any other request is left unread (no route takes it). A middleware, not a route, so
 * the routes the app registers stay the ones the OpenAPI document describes.
 */
export function bodyParser(): RequestHandler {
  return (req, res, next) => {
    const route = bodyRouteOf(req.method, req.path);
    const parse = route === undefined ? undefined : parsers.get(route);
    if (route === undefined || parse === undefined) {
      next();
      return;
    }
    const charset = declaredCharset(req.headers['content-type']);
    if (charset !== undefined && !/^utf-8$/i.test(charset)) {
      next(
        new ApiError(400, 'unsupported-encoding', `request body charset ${charset} is not supported; send UTF-8 JSON`, [
          { field: 'Content-Type', message: `charset ${charset}: JSON bodies must be UTF-8 (RFC 8259 §8.1)` },
        ]),
      );
      return;
    }
    parse(req, res, (err?: unknown) => {
      if (isTooLarge(err)) next(new ApiError(413, 'payload-too-large', route.tooLarge));
      else if (isTooDeep(err))
        next(
          new ApiError(400, 'invalid-request', `(body): JSON nested deeper than ${MAX_JSON_DEPTH} levels`, [
            { field: '(body)', message: `nests deeper than ${MAX_JSON_DEPTH} levels; no valid body does` },
          ]),
        );
      else next(err);
    });
  };
}

/**
 * The charset a Content-Type declares, if any (at most 40 characters of it, so an answer never echoes
 * much of a header). body-parser decodes a body as any utf-* charset it names, so UTF-8 bytes sent as
 * `charset=utf-16` read as garbage and were answered "not valid JSON", which named nothing useful.
 */
function declaredCharset(contentType: string | undefined): string | undefined {
  const m = contentType === undefined ? null : /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType);
  return m === null ? undefined : m[1]!.slice(0, 40);
}
