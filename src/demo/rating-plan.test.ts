import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { decide } from '../domain/decide.js';
import { evolve, initialCaseState } from '../domain/evolve.js';
import { simulateHistory } from './history.js';

const cases = [...simulateHistory({ seed: 7, months: 2, centers: 3, casesPerMonth: 1500, startMonth: '2025-09' })];
const ofType = (type: string) => cases.flatMap((c) => c.events.filter((e) => e.type === type));

describe('demo ratings (好差评)', () => {
  it('most completed cases are rated, mostly 4–5, with a few 差评, most of them followed up', () => {
    const completed = ofType('CaseCompleted').length;
    const ratings = ofType('CaseRated') as { score: number }[];
    expect(ratings.length / completed).toBeGreaterThan(0.5);
    expect(ratings.length / completed).toBeLessThan(0.7);
    const good = ratings.filter((r) => r.score >= 4).length;
    const bad = ratings.filter((r) => r.score <= 2).length;
    expect(good / ratings.length).toBeGreaterThan(0.85);
    expect(bad).toBeGreaterThan(20);
    // 差评 of the first month: the history ends before later ones could be followed up.
    const end = Math.max(...cases.flatMap((c) => c.at));
    const early = cases.filter((c) =>
      c.events.some((e, i) => e.type === 'CaseRated' && e.score <= 2 && c.at[i]! < end - 30 * 86_400_000),
    );
    const followed = early.filter((c) => c.events.some((e) => e.type === 'RatingFollowedUp')).length;
    expect(early.length).toBeGreaterThan(10);
    expect(followed / early.length).toBeGreaterThan(0.8);
    expect(followed).toBeLessThan(early.length); // a few are never followed up: their card stays in force
  });

  it('every case with a rating still passes decide event by event (rating after completion, follow-up of a 差评)', () => {
    for (const c of cases.filter((x) => x.events.some((e) => e.type === 'CaseRated'))) {
      let state = initialCaseState(c.caseId);
      c.events.forEach((e, i) => {
        const verdict = decide(state, e, c.at[i]!);
        if (E.isLeft(verdict)) throw new Error(`${c.caseId} ${e.type}: ${verdict.left.message}`);
        state = evolve(state, e, { revision: i });
      });
    }
  });
});
