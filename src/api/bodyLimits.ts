/**
 * How large a request body may be (SPEC §4): 1 MB for the routes that take
 * batches, 64 KB for `POST /cases/{caseId}/events`, which takes one event.
 *
 * The largest valid event is far below 64 KB: its strings are at most 2000 + 3 × 200
 * characters (a note, `by`, `actor`, an id), and even with every character sent as a
 * `\uXXXX` escape (6 bytes) that is about 16 KB. Anything larger is refused before it is
 * parsed, so a junk body (0.5 MB of 30,000 unknown keys) no longer holds the event loop in
 * `JSON.parse`.
 */
import express, { type RequestHandler } from 'express';
import { ApiError } from './errors.js';

export const BODY_LIMIT = '1mb';
export const CASE_EVENT_BODY_LIMIT_BYTES = 64 * 1024;

const isTooLarge = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.too.large';

/** The single-event route's path as express matches it (case-insensitive, an optional trailing slash). */
const CASE_EVENT_PATH = /^\/cases\/[^/]+\/events\/?$/i;

/**
 * express.json for `POST /cases/{caseId}/events` only, mounted before the 1 MB parser (which then
 * skips the parsed body): 413 naming the 64 KB limit above it. A middleware, not a route, so the
 * routes the app registers stay the ones the OpenAPI document describes.
 */
export function caseEventBodyParser(): RequestHandler {
  const parse = express.json({ limit: CASE_EVENT_BODY_LIMIT_BYTES, type: 'application/json' });
  return (req, res, next) => {
    if (req.method !== 'POST' || !CASE_EVENT_PATH.test(req.path)) {
      next();
      return;
    }
    parse(req, res, (err?: unknown) => {
      if (isTooLarge(err)) {
        next(
          new ApiError(
            413,
            'payload-too-large',
            'request body is larger than 64 KB, the limit of one event (send batches to POST /events)',
          ),
        );
        return;
      }
      next(err);
    });
  };
}
