/**
 * Per-token request-rate limit (a fixed one-second window): a runaway or hostile
 * client holding a valid token cannot starve the others. A known token is keyed
 * by its fingerprint (never the token itself); an unknown token by the client's
 * address, so sending a fresh random token each time does not escape the limit.
 * Requests without a token are not limited here (they only reach the open
 * health routes or a 401).
 */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { bearerTokenOf, type Authenticator } from './auth.js';
import { errorBody } from './errors.js';

export function perTokenRateLimit(requestsPerSecond: number, auth: Pick<Authenticator, 'identify'>): RequestHandler {
  if (requestsPerSecond <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 1_000,
    limit: requestsPerSecond,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => bearerTokenOf(req.headers.authorization) === undefined,
    keyGenerator: (req) => {
      const principal = auth.identify(bearerTokenOf(req.headers.authorization) ?? '');
      return principal === undefined
        ? `unknown:${ipKeyGenerator(req.ip ?? 'unknown')}`
        : `token:${principal.fingerprint}`;
    },
    handler: (_req, res) => {
      res
        .status(429)
        .json(
          errorBody('rate-limited', `more than ${requestsPerSecond} requests per second with this token; slow down`),
        );
    },
  });
}
