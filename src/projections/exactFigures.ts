/**
 * The unrounded value behind a rounded figure (a rate at 4 decimals, an average
 * at 2), kept beside the figures object rather than in it: the object is the
 * figures as published (API, report), and arithmetic on them — month-on-month
 * growth — must start from the exact value, not from the rounding (22/3 days
 * against 4 is +83.33 %, not +83.25 % from 7.33; session 16).
 */
const exactValues = new WeakMap<object, Readonly<Record<string, number | null>>>();

/** num / den, null when den is 0 (a rate with no base). */
export const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** Keep `exact` as the unrounded values of `figures`' fields; returns `figures`. */
export function withExact<T extends object>(figures: T, exact: { readonly [K in keyof T]?: number | null }): T {
  exactValues.set(figures, exact as Record<string, number | null>);
  return figures;
}

/**
 * The exact value of `field` of `figures`: the kept one, else the figure itself (a count is
 * exact; a copy of the object keeps nothing). null when it is not a number.
 */
export function exactFigure(figures: object, field: string): number | null {
  const kept = exactValues.get(figures)?.[field];
  if (kept !== undefined) return kept;
  const value = (figures as Record<string, unknown>)[field];
  return typeof value === 'number' ? value : null;
}
