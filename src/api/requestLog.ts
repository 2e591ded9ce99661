/**
 * Every answer carries a request id (the caller's `X-Request-Id` when it is a plain token, else a
 * new one), and the requests an operator looks for get one log line with it: those answered 5xx,
 * those slower than a second, and the 4xx a known token was answered (a client's bad request or a
 * permission it lacks: 400, 403, 409, 413…). Not every request: at thousands a second a line each
 * would cost more than the work. The refusals anyone can cause — 401, 404, 405, 429, and any 4xx
 * to a request without a known token — are counted, one line per route and status per interval
 * (refusalTally.ts). A line names the route pattern, never the path (it holds case ids), nor the
 * query or body.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { routePattern } from './errors.js';
import type { Logger } from './logger.js';
import { RefusalTally } from './refusalTally.js';

export const SLOW_REQUEST_MS = 1000;
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;
/** Refusals that say nothing about one request an operator would look for. */
const COUNTED_STATUSES: ReadonlySet<number> = new Set([401, 404, 405, 429]);

export function requestLog(
  logger: Logger,
  now: () => number = () => performance.now(),
  refusals: RefusalTally = new RefusalTally(logger),
): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = now();
    res.once('finish', () => {
      const ms = Math.round(now() - started);
      const status = res.statusCode;
      // An event stream lasts as long as its reader stays: its length says nothing of the server.
      const stream = String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream');
      if (status < 400 && (ms < SLOW_REQUEST_MS || stream)) return;
      const route = routePattern(req);
      if (status >= 400 && status < 500 && (COUNTED_STATUSES.has(status) || res.locals['principal'] === undefined)) {
        refusals.count(route, status);
        return;
      }
      const fields = { requestId, method: req.method, route, status, ms };
      if (status >= 500) logger.warn('request failed', fields);
      else logger.info(status >= 400 ? 'request refused' : 'slow request', fields);
    });
    next();
  };
}
