/**
 * Bearer-token auth (SPEC §4). Tokens are compared in constant time on their
 * SHA-256 digests; a principal carries the role, the recorder's centers and a
 * short fingerprint (for the audit trail — never the token itself).
 *
 * Least privilege (admin may do everything):
 *   recorder → POST events
 *   monitor  → alerts, alert stream, stats, reports, calendar read, policy read, case read, directory read
 *   auditor  → case read, case history, calendar read, policy read, directory read (the calendar and
 *              policy versions a result names, so evidence citing them can quote them; session 16)
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Role, TokenConfig } from '../config/tokens.js';
import { bodyRouteOf } from './bodyLimits.js';
import { ApiError } from './errors.js';
import { isLocalCaller } from './net.js';

export interface Principal {
  readonly role: Role;
  readonly centers?: readonly string[];
  /** First 8 hex digits of the token's SHA-256: identifies a token in logs without revealing it. */
  readonly fingerprint: string;
}

export const PERMISSIONS = [
  'events:write',
  'case:read',
  'case:history',
  'alerts:read',
  'stats:read',
  'calendar:read',
  'calendar:write',
  'policy:read',
  'directory:read',
  'directory:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  recorder: ['events:write'],
  monitor: ['alerts:read', 'stats:read', 'calendar:read', 'policy:read', 'case:read', 'directory:read'],
  auditor: ['case:read', 'case:history', 'calendar:read', 'policy:read', 'directory:read'],
  admin: PERMISSIONS,
};

/** Whether `role` holds `permission` (ROLE_PERMISSIONS). */
export const roleMay = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);

interface StoredToken {
  readonly digest: Buffer;
  readonly principal: Principal;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export interface Authenticator {
  /** The principal of a bearer token, or undefined when unknown. */
  identify(token: string): Principal | undefined;
  /** Middleware: 401 without a known token, 403 without the permission. */
  require(permission: Permission): RequestHandler;
  /** `/metrics`: any known token; none needed from a caller on this host (`scrapesWithoutToken`). */
  requireForMetrics(): RequestHandler;
  /** Any known token, whatever its role (`GET /session`: what the token may do). */
  requireKnown(): RequestHandler;
  /**
   * Before any body is read: a request with a body needs a known token (else 401, unread), to a body
   * route (bodyLimits.ts) the permission of that route (else its 403, unread), and a GET or HEAD
   * takes none (400: a body there would be ignored, as if it said something).
   */
  gateBodies(): RequestHandler;
}

export function createAuthenticator(tokens: readonly TokenConfig[]): Authenticator {
  const stored: StoredToken[] = tokens.map((t) => {
    const digest = sha256(t.token);
    const principal: Principal = {
      role: t.role,
      fingerprint: digest.subarray(0, 4).toString('hex'),
      ...(t.centers === undefined ? {} : { centers: [...t.centers] }),
    };
    return { digest, principal };
  });

  const identify = (token: string): Principal | undefined => {
    const digest = sha256(token);
    let found: Principal | undefined;
    // Compare against every entry so the time does not depend on which one matches.
    for (const entry of stored) {
      if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    }
    return found;
  };

  const authenticate = (req: Request): Principal => {
    const token = bearerToken(req);
    if (token === undefined) {
      const message =
        req.headers.authorization === undefined
          ? 'missing bearer token: send "Authorization: Bearer <token>"'
          : 'bearer token required: send "Authorization: Bearer <token>" (Basic and other schemes are not accepted)';
      throw new ApiError(401, 'unauthorized', message);
    }
    const principal = identify(token);
    if (principal === undefined) throw new ApiError(401, 'unauthorized', 'unknown token');
    return principal;
  };

  return {
    identify,
    require(permission) {
      return (req, res, next) => {
        const principal = authenticate(req);
        // Before the check: a known token's 403 gets its own line in the request log (requestLog.ts).
        res.locals['principal'] = principal;
        forbidUnless(principal, permission);
        next();
      };
    },
    gateBodies() {
      return (req, res, next) => {
        const sized = Number(req.headers['content-length'] ?? 0) > 0;
        if (!sized && req.headers['transfer-encoding'] === undefined) {
          next();
          return;
        }
        if (req.method === 'GET' || req.method === 'HEAD')
          throw new ApiError(400, 'invalid-request', `(body): a ${req.method} takes no body`, [
            { field: '(body)', message: `a ${req.method} takes no body; parameters go in the query` },
          ]);
        const principal = authenticate(req);
        // Before a byte is read: a role that may not write here gets the route's own 403.
        const route = bodyRouteOf(req.method, req.path);
        if (route !== undefined) {
          res.locals['principal'] = principal;
          forbidUnless(principal, route.permission);
        }
        next();
      };
    },
    requireKnown() {
      return (req, res, next) => {
        res.locals['principal'] = authenticate(req);
        next();
      };
    },
    requireForMetrics() {
      return (req, res, next) => {
        if (scrapesWithoutToken(req)) {
          next();
          return;
        }
        res.locals['principal'] = authenticate(req);
        next();
      };
    },
  };
}

/** The authenticated principal set by `require` (throws if the route forgot it). */
export function principalOf(res: { locals: Record<string, unknown> }): Principal {
  const p = res.locals['principal'] as Principal | undefined;
  if (p === undefined) throw new Error('route has no auth middleware');
  return p;
}

/** A recorder limited to some centers may write only cases of those centers. */
export function mayWriteCenter(principal: Principal, centerId: string): boolean {
  return principal.centers === undefined || principal.centers.includes(centerId);
}

/**
 * A `/metrics` scrape that needs no token (SPEC §4): none sent, from a caller on this host — a
 * loopback peer no proxy forwarded for (net.ts). A forwarded one needs a known token as any remote
 * caller does, and the rate limit counts it.
 */
export function scrapesWithoutToken(req: Request): boolean {
  return bearerToken(req) === undefined && isLocalCaller(req);
}

function bearerToken(req: Request): string | undefined {
  return bearerTokenOf(req.headers.authorization);
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or malformed. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** 403 unless the principal's role holds the permission. */
function forbidUnless(principal: Principal, permission: Permission): void {
  if (!roleMay(principal.role, permission)) {
    throw new ApiError(403, 'forbidden', `role ${principal.role} may not ${describe(permission)}`);
  }
}

function describe(permission: Permission): string {
  const [what, action] = permission.split(':');
  return `${action === 'write' ? 'write' : 'read'} ${what}${action === 'history' ? ' history' : ''}`;
}
