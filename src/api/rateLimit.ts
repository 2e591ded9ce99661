/**
 * Request-rate limit (a fixed one-second window): a runaway or hostile client cannot starve the
 * others. A known token is keyed by its fingerprint (never the token itself). A request without
 * one — no token, or an unknown one — is keyed by the client's address with the same limit
 * (operations review: anyone reaching the port could send unlimited 401s), so sending a fresh
 * random token each time, or none, does not escape it. The probes (`/healthz`, `/readyz`) and a
 * loopback scrape of `/metrics` without a token are never counted: a flood from the same address
 * must not make a supervisor restart the engine or lose its metrics. A scrape a proxy forwarded
 * (net.ts) is a remote caller's and is counted.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { bearerTokenOf, scrapesWithoutToken, type Authenticator } from './auth.js';
import { errorBody } from './errors.js';

const PROBES: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

function exempt(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (PROBES.has(req.path)) return true;
  return req.path === '/metrics' && scrapesWithoutToken(req);
}

export function perTokenRateLimit(requestsPerSecond: number, auth: Pick<Authenticator, 'identify'>): RequestHandler {
  if (requestsPerSecond <= 0) return (_req, _res, next) => next();
  const principalOf = (req: Request) => {
    const token = bearerTokenOf(req.headers.authorization);
    return token === undefined ? undefined : auth.identify(token);
  };
  return rateLimit({
    windowMs: 1_000,
    limit: requestsPerSecond,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: exempt,
    keyGenerator: (req) => {
      const principal = principalOf(req);
      return principal === undefined
        ? `address:${ipKeyGenerator(req.ip ?? 'unknown')}`
        : `token:${principal.fingerprint}`;
    },
    handler: (req, res) => {
      const who = principalOf(req) === undefined ? 'from this address without a known token' : 'with this token';
      res
        .status(429)
        .json(errorBody('rate-limited', `more than ${requestsPerSecond} requests per second ${who}; slow down`));
    },
  });
}
