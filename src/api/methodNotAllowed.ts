/**
 * The methods a path takes, as the app's routes registered them, so there is no second list of
 * them to keep in step; two answers name them in an `Allow` header:
 * - 405 for a known path asked with a method it does not take (RFC 9110 §15.5.6), so a client
 *   that sent `DELETE /alerts` learns the route exists rather than that it does not. Runs after
 *   every route, before the 404 handler.
 * - `OPTIONS` on a known path (RFC 9110 §9.3.7): 204, no body. Runs after the rate limit, before
 *   every API router.
 */
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';

interface Layer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  readonly handle?: { readonly stack?: readonly Layer[] };
  match(path: string): false | { readonly path: string };
}

/**
 * The methods the registered routes take at `path` (HEAD with GET, and OPTIONS on every known path:
 * `answersOptions` answers it), sorted; empty when no route matches it.
 */
export function allowedMethods(stack: readonly Layer[], path: string): string[] {
  const methods = new Set<string>();
  collect(stack, path, methods);
  if (methods.size === 0) return [];
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods].sort();
}

function collect(stack: readonly Layer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    const matched = layer.match(path);
    if (matched === false) continue;
    if (layer.route !== undefined) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') into.add(method.toUpperCase());
      }
    } else if (layer.handle?.stack !== undefined) {
      // A router mounted at a prefix sees the path with that prefix removed.
      collect(layer.handle.stack, path.slice(matched.path.length) || '/', into);
    }
  }
}

/**
 * The handler; `stack` (the app's `router.stack`) is read per request because
 * routes may be added after it is created. Its layers are the router package's
 * (express's own types omit `match`).
 */
export function methodNotAllowed(stack: () => readonly unknown[]): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(stack() as readonly Layer[], req.path);
    if (allowed.length === 0 || allowed.includes(req.method)) {
      next();
      return;
    }
    res.set('Allow', allowed.join(', '));
    next(
      new ApiError(
        405,
        'method-not-allowed',
        `${req.method} is not allowed on ${req.path}; allowed: ${allowed.join(', ')}`,
      ),
    );
  };
}

/**
 * `OPTIONS` on a known path: 204 with `Allow`, no body, and no token needed (a 405 needs none
 * either). Express answered it itself from whichever router matched first, `200 text/plain`
 * "GET,HEAD", with no `OPTIONS` in it. Mounted after the rate limit (session 26: before it, OPTIONS
 * could be sent without bound) and before every API router; the pages' router passes OPTIONS on.
 * An unknown path falls through to the 404.
 */
export function answersOptions(stack: () => readonly unknown[]): RequestHandler {
  return (req, res, next) => {
    const allowed = req.method === 'OPTIONS' ? allowedMethods(stack() as readonly Layer[], req.path) : [];
    if (allowed.length === 0) {
      next();
      return;
    }
    res.set('Allow', allowed.join(', ')).status(204).end();
  };
}
