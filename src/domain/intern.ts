/**
 * String interning for values repeated across a million cases (center, department,
 * matter codes): equal strings share one heap copy. Bounded so that a flood of
 * distinct values cannot grow it without limit (past the bound, strings pass through).
 */
const MAX_INTERNED = 200_000;
const pool = new Map<string, string>();

export function intern(s: string): string {
  const existing = pool.get(s);
  if (existing !== undefined) return existing;
  if (pool.size < MAX_INTERNED) pool.set(s, s);
  return s;
}
