/**
 * Per-token request-rate limit (a fixed one-second window): a runaway or hostile
 * client holding a valid token cannot starve the others. Keyed by a digest of
 * the bearer token, never the token itself; requests without a token are not
 * limited here (they only reach the open health routes or a 401).
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { bearerTokenOf } from './auth.js';
import { errorBody } from './errors.js';

export function perTokenRateLimit(requestsPerSecond: number): RequestHandler {
  if (requestsPerSecond <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 1_000,
    limit: requestsPerSecond,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => bearerTokenOf(req.headers.authorization) === undefined,
    keyGenerator: (req) => createHash('sha256').update(bearerTokenOf(req.headers.authorization) ?? '').digest('hex'),
    handler: (_req, res) => {
      res.status(429).json(errorBody('rate-limited', `more than ${requestsPerSecond} requests per second with this token; slow down`));
    },
  });
}
