/** SPEC §2: a case holds at most 1000 events (409 case-too-long); decide owns the rule. */
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decide, MAX_CASE_EVENTS } from './decide.js';
import { evolve, initialCaseState } from './evolve.js';
import { accepted, completed, escalated } from './testing/fixtures.js';

const NOW = Date.parse('2025-09-22T12:00:00+08:00');
const openCaseAt = (revision: number) => ({
  ...evolve(initialCaseState('L'), accepted('L', '2025-09-22T09:00:00+08:00', 5), { revision: 0 }),
  revision,
});

describe('the length of a case', () => {
  it('refuses any event the transitions allow once the case holds 1000 events, and never before', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * MAX_CASE_EVENTS }), (revision) => {
        const decision = decide(openCaseAt(revision), escalated('L', '2025-09-22T10:00:00+08:00', 'reminder'), NOW);
        const full = revision + 1 >= MAX_CASE_EVENTS;
        return full ? isLeft(decision) && decision.left.code === 'case-too-long' : !isLeft(decision);
      }),
    );
  });

  it('names the count and the cap, and leaves a transition refusal its own code', () => {
    const full = openCaseAt(MAX_CASE_EVENTS - 1);
    const decision = decide(full, completed('L', '2025-09-22T10:00:00+08:00'), NOW);
    expect(decision).toMatchObject({
      _tag: 'Left',
      left: { code: 'case-too-long', details: { events: 1000, max: 1000 } },
    });
    const again = decide(full, accepted('L', '2025-09-22T10:00:00+08:00', 5), NOW);
    expect(isLeft(again) && again.left.code).toBe('transition-not-allowed');
  });
});
