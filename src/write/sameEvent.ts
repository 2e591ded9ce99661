/**
 * When is a second event with a known eventId "the same event again" (SPEC §2)?
 * When every field other than `eventId` is equal, `occurredAt` compared as an
 * instant (`10:15+08:00` and `02:15Z` are the same). A field that is absent and
 * one that is `undefined` are the same; anything else that differs makes it a
 * different event (409 event-id-conflict).
 */
import { tryParseInstant } from '../domain/time.js';

type Body = Readonly<Record<string, unknown>>;

export function sameEvent(a: Body, b: Body): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === 'eventId') continue;
    const x = a[key];
    const y = b[key];
    if (key === 'occurredAt' && typeof x === 'string' && typeof y === 'string') {
      const tx = tryParseInstant(x);
      if (tx === undefined ? x !== y : tx !== tryParseInstant(y)) return false;
      continue;
    }
    if (!sameJson(x, y)) return false;
  }
  return true;
}

/** Structural equality of JSON values (objects by key, arrays by index). */
function sameJson(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) {
    const ys = y as unknown[];
    return x.length === ys.length && x.every((v, i) => sameJson(v, ys[i]));
  }
  const xo = x as Body;
  const yo = y as Body;
  const keys = new Set([...Object.keys(xo), ...Object.keys(yo)]);
  for (const key of keys) if (!sameJson(xo[key], yo[key])) return false;
  return true;
}
