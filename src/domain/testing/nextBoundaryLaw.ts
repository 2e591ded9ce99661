/**
 * The law of `nextBoundary`, for property tests over any history: it is the next instant at which
 * the case's card set changes — after `asOf`, the cards differ at it from a millisecond before,
 * and nowhere between `asOf` and it (checked at `asOf + frac` of the way); none means none for
 * 800 days.
 */
import { expect } from 'vitest';
import type { TimingCalendar } from '../calendar/index.js';
import { evaluate, nextBoundary } from '../evaluate.js';
import { DEFAULT_POLICY } from '../policy.js';
import { MS_PER_DAY } from '../time.js';
import type { CaseEvaluation, CaseState } from '../types.js';

/** The cards of an evaluation as one comparable text. */
export const cardKey = (e: CaseEvaluation | null): string =>
  e === null
    ? ''
    : e.cards
        .map((c) => `${c.rule}|${c.startedAt}|${c.clearedAt ?? ''}|${c.pauseId ?? ''}|${c.escalation ?? ''}`)
        .join('\n');

export function expectNextBoundaryLaw(s: CaseState, asOf: number, cal: TimingCalendar, frac: number): void {
  const b = nextBoundary(s, asOf, DEFAULT_POLICY, cal);
  const keyAt = (t: number) => cardKey(evaluate(s, t, DEFAULT_POLICY, cal));
  if (b === null) {
    expect(keyAt(asOf + 800 * MS_PER_DAY)).toBe(keyAt(asOf));
    return;
  }
  expect(b).toBeGreaterThan(asOf);
  expect(keyAt(b)).not.toBe(keyAt(b - 1));
  expect(keyAt(b - 1)).toBe(keyAt(asOf));
  expect(keyAt(asOf + Math.floor((b - 1 - asOf) * frac))).toBe(keyAt(asOf));
}
