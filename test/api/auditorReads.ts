/**
 * An auditor's reads of a test engine over a given store with its clock at `now`, for the laws that
 * compare an answer "as known at K" with a fresh engine over what was recorded by K.
 */
import { formatInstant } from '../../src/domain/time.js';
import type { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { call, startTestServer, TOKENS } from './harness.js';

export type Body = Record<string, unknown>;

/** Run `f` with a GET that answers a 200's body, or the status of anything else; the engine is closed after. */
export async function withAuditorReads<T>(
  store: MemoryEventStore,
  now: number,
  f: (get: (path: string) => Promise<Body | number>) => Promise<T>,
  options: Record<string, unknown> = {},
): Promise<T> {
  const srv = await startTestServer({ now: new Date(now).toISOString(), store, options });
  try {
    return await f(async (path) => {
      const res = await call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor });
      return res.status === 200 ? (res.body as Body) : res.status;
    });
  } finally {
    await srv.close();
  }
}

/** An instant as a query parameter value. */
export const iso = (ms: number) => encodeURIComponent(formatInstant(ms, 'UTC'));

/** An answer without its `asKnownAt` (the one field a fresh engine's plain read lacks). */
export const withoutKnownAt = (body: Body | number): Body | number => {
  if (typeof body === 'number') return body;
  const { asKnownAt: _known, ...rest } = body;
  return rest;
};
