/**
 * The general laws of the timing core, on histories that also hold extensions
 * (延期) and replies to escalations (回告): nextBoundary is exactly the next
 * change of the card set, and stateAsOf(T) evaluates like the history cut at T.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fraction } from './testing/fraction.js';
import { expectNextBoundaryLaw } from './testing/nextBoundaryLaw.js';
import * as E from 'fp-ts/lib/Either.js';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { decide } from './decide.js';
import { evaluate, stateAsOf } from './evaluate.js';
import { evolve, initialCaseState } from './evolve.js';
import { historyArb } from './testing/arbitraries.js';
import { accepted, completed, decode, followedUp, rated } from './testing/fixtures.js';
import { formatInstant, MS_PER_DAY, MS_PER_HOUR } from './time.js';
import type { CaseEvent } from './events.js';
import type { CaseState } from './types.js';

const cal = defaultCalendar('Asia/Shanghai');

type Extra = { kind: 'extend'; gapH: number; days: number } | { kind: 'answer'; gapH: number; which: number };
const extraArb: fc.Arbitrary<Extra> = fc.oneof(
  fc.record({
    kind: fc.constant('extend' as const),
    gapH: fc.integer({ min: 0, max: 120 }),
    days: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant('answer' as const), gapH: fc.integer({ min: 0, max: 120 }), which: fc.nat(5) }),
);

interface Story {
  readonly events: CaseEvent[];
  readonly at: number[];
  readonly last: number;
}

/** A valid history (historyArb's) followed by extensions and replies, each kept only if decide accepts it. */
const storyArb = fc
  .tuple(historyArb({ complete: false }), fc.array(extraArb, { minLength: 1, maxLength: 5 }))
  .map(([h, extras]): Story => {
    const caseId = h.events[0]!.caseId;
    let state: CaseState = initialCaseState(caseId);
    const events: CaseEvent[] = [];
    const at: number[] = [];
    const add = (e: CaseEvent, t: number) => {
      if (E.isLeft(decide(state, e, t))) return;
      state = evolve(state, e, { revision: events.length });
      events.push(e);
      at.push(t);
    };
    h.events.forEach((e, i) => {
      add(e, h.at[i]!);
    });
    let t = h.last;
    for (const x of extras) {
      t += x.gapH * MS_PER_HOUR + 60_000;
      const occurredAt = formatInstant(t, 'Asia/Shanghai');
      if (x.kind === 'extend') {
        add(decode({ type: 'CaseExtended', caseId, occurredAt, days: x.days, approvedBy: 'head', reason: 'check' }), t);
      } else if (state.escalations.length > 0) {
        const e = state.escalations[x.which % state.escalations.length]!;
        add(decode({ type: 'CaseEscalationAnswered', caseId, occurredAt, escalationId: e.escalationId }), t);
      }
    }
    return { events, at, last: Math.max(t, h.last) };
  });

const fold = (events: readonly CaseEvent[]) =>
  events.reduce((s, e, i) => evolve(s, e, { revision: i }), initialCaseState(events[0]!.caseId));

describe('laws on histories with extensions and replies', () => {
  it('stateAsOf keeps the revision of the last event by T after completion, rating and follow-up too', () => {
    const caseId = 'R-1';
    const events = [
      accepted(caseId, '2025-11-03T09:00:00+08:00', 3),
      completed(caseId, '2025-11-04T09:00:00+08:00'),
      rated(caseId, '2025-11-04T10:00:00+08:00', 1),
      followedUp(caseId, '2025-11-05T10:00:00+08:00'),
    ];
    const full = fold(events);
    const at = (iso: string) => Date.parse(iso);
    expect(
      [
        '2025-11-03T12:00:00+08:00',
        '2025-11-04T09:30:00+08:00',
        '2025-11-04T11:00:00+08:00',
        '2025-11-06T00:00:00+08:00',
      ].map((t) => stateAsOf(full, at(t)).revision),
    ).toEqual([0, 1, 2, 3]);
  });

  it('the generator makes extensions and replies (not a vacuous law)', () => {
    const samples = fc.sample(storyArb, 300);
    const kinds = samples.flatMap((s) => s.events.map((e) => e.type));
    expect(kinds.filter((k) => k === 'CaseExtended').length).toBeGreaterThan(50);
    expect(kinds.filter((k) => k === 'CaseEscalationAnswered').length).toBeGreaterThan(20);
  });

  it('nextBoundary is exactly the next instant at which the card set changes', () => {
    fc.assert(
      fc.property(
        storyArb,
        fraction(),
        fc.integer({ min: 0, max: 30 * MS_PER_DAY }),
        fraction(),
        (story, where, later, frac) => {
          const first = story.at[0]!;
          const asOf = first + Math.floor((story.last - first) * where) + later;
          const s = stateAsOf(fold(story.events), asOf);
          expectNextBoundaryLaw(s, asOf, cal, frac);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stateAsOf(T) evaluates like the history cut at T, its revision included', () => {
    fc.assert(
      fc.property(storyArb, fc.nat(), (story, k) => {
        const T = story.at[k % story.at.length]!;
        const prefix = story.events.filter((_, i) => story.at[i]! <= T);
        const a = evaluate(stateAsOf(fold(story.events), T), T, DEFAULT_POLICY, cal);
        const b = evaluate(fold(prefix), T, DEFAULT_POLICY, cal);
        expect(a).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });
});
