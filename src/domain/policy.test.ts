import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import {
  DEFAULT_POLICY,
  ceilRatio,
  decidePolicyPublication,
  parsePolicy,
  policiesKnownAt,
  policyInForce,
  type Acceptance,
  type Policy,
  type PolicyHistory,
  type PolicyPublication,
} from './policy.js';
import { MS_PER_DAY } from './civil.js';
import { parseDate } from './time.js';

describe('policy', () => {
  it('has the SPEC §3 defaults', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      deadlineWarningRatio: 0.8,
      pauseWarningRatio: 0.8,
      lateRecordHours: 24,
      futureToleranceMinutes: 5,
      respondWithinDays: { reminder: 3, supervision: 2, referral: 5 },
      pauseAllowanceDays: {
        hearing: 25,
        tender: 30,
        auction: 30,
        inspection: 30,
        testing: 30,
        quarantine: 30,
        appraisal: 30,
        'expert-review': 30,
        'site-survey': 10,
        'public-notice': 10,
        supplement: 15,
        other: 10,
      },
    });
  });
  it('merges partial overrides onto the default and derives a version from content', () => {
    const a = parsePolicy({ pauseAllowanceDays: { hearing: 20 }, deadlineWarningRatio: 0.9 });
    const b = parsePolicy({ deadlineWarningRatio: 0.9, pauseAllowanceDays: { hearing: 20 } });
    expect(E.isRight(a) && E.isRight(b)).toBe(true);
    if (E.isLeft(a) || E.isLeft(b)) return;
    expect(a.right.pauseAllowanceDays.hearing).toBe(20);
    expect(a.right.pauseAllowanceDays.tender).toBe(30);
    expect(a.right.version).toBe(b.right.version);
    expect(a.right.version).not.toBe(DEFAULT_POLICY.version);
    expect(parsePolicy({})).toEqual(E.right(DEFAULT_POLICY));
    expect(parsePolicy({ version: 'v7' })).toMatchObject({ right: { version: 'v7' } });
  });
  it('names the bad field', () => {
    expect(parsePolicy({ deadlineWarningRatio: 1.5 })).toMatchObject({
      left: [{ field: 'deadlineWarningRatio', message: expect.stringContaining('(0, 1]') }],
    });
    expect(parsePolicy({ respondWithinDays: { reminder: -1 } })).toMatchObject({
      left: [{ field: 'respondWithinDays.reminder' }],
    });
    expect(parsePolicy({ pauseAllowanceDays: { nap: 3 } })).toMatchObject({
      left: [{ field: 'pauseAllowanceDays.nap' }],
    });
    expect(parsePolicy({ warningRatio: 0.5 })).toMatchObject({
      left: [{ field: 'warningRatio', message: 'is not a policy setting' }],
    });
    expect(parsePolicy([])).toMatchObject({ left: [{ field: '(policy)' }] });
  });
  it('⌈ratio × n⌉ is exact for decimal ratios', () => {
    expect([1, 2, 3, 5, 10, 15, 20, 25, 30].map((n) => ceilRatio(0.8, n))).toEqual([1, 2, 3, 4, 8, 12, 16, 20, 24]);
    expect(ceilRatio(0.9, 10)).toBe(9);
    expect(ceilRatio(0.7, 10)).toBe(7);
  });
});

const named = (version: string, deadlineWarningRatio = 0.8): Policy => ({
  ...DEFAULT_POLICY,
  version,
  deadlineWarningRatio,
});
const day = (d: string) => parseDate(d);
/** Noon UTC of a day: inside that day in every zone this test uses (UTC dates). */
const noon = (d: number) => d * MS_PER_DAY + MS_PER_DAY / 2;
const accepted = (d: string, hour = 12): Acceptance => ({ day: day(d), at: day(d) * MS_PER_DAY + hour * 3_600_000 });

describe('policy versions (SPEC §3)', () => {
  const A = named('A');
  const B = named('B', 0.5);
  const history: PolicyHistory = [
    { policy: A, effectiveFrom: day('2025-01-02'), publishedAt: noon(day('2025-01-01')) },
    { policy: B, effectiveFrom: day('2025-03-01'), publishedAt: noon(day('2025-02-10')) },
  ];

  it('a case keeps the version in force on its acceptance date', () => {
    expect(policyInForce(history, accepted('2025-02-28'), DEFAULT_POLICY)).toBe(A);
    expect(policyInForce(history, accepted('2025-03-01', 0), DEFAULT_POLICY)).toBe(B);
    expect(policyInForce(history, accepted('2026-01-01'), DEFAULT_POLICY)).toBe(B);
  });
  it('the first version recorded applies to everything before it; no version at all: the fallback', () => {
    expect(policyInForce(history, accepted('2020-06-01'), DEFAULT_POLICY)).toBe(A);
    expect(policyInForce([], accepted('2020-06-01'), DEFAULT_POLICY)).toBe(DEFAULT_POLICY);
  });
  it('a version published after the acceptance never applies, even when back-dated', () => {
    const backDated: PolicyHistory = [
      ...history,
      { policy: named('C', 0.6), effectiveFrom: day('2025-01-01'), publishedAt: noon(day('2025-06-01')) },
    ];
    expect(policyInForce(backDated, accepted('2025-05-31'), DEFAULT_POLICY)).toBe(B);
    expect(policyInForce(backDated, accepted('2025-06-02'), DEFAULT_POLICY).version).toBe('C');
  });
  it('as known at K: only the versions published by K', () => {
    const k = noon(day('2025-02-01'));
    expect(policyInForce(history, accepted('2025-04-01'), DEFAULT_POLICY, k)).toBe(A);
    expect(policiesKnownAt(history, k)).toEqual([history[0]]);
  });
  it('as known before the first publication: the founding version, as the live record has it, never the fallback', () => {
    const k = noon(day('2024-12-01'));
    expect(policyInForce(history, accepted('2024-11-20'), B, k)).toBe(A);
    expect(policyInForce(history, accepted('2024-11-20'), B)).toBe(A);
  });

  it('decides what a start records', () => {
    const today = day('2025-02-10');
    const now = noon(today);
    expect(decidePolicyPublication([], A, undefined, now, today)).toEqual({
      kind: 'record',
      publication: { policy: A, effectiveFrom: today + 1, publishedAt: now },
    });
    expect(decidePolicyPublication(history, B, undefined, now, today)).toEqual({ kind: 'already-recorded' });
    // The same rules again with the effectiveFrom already recorded: nothing; another date: a new publication.
    expect(decidePolicyPublication(history, B, day('2025-03-01'), now, today)).toEqual({ kind: 'already-recorded' });
    expect(decidePolicyPublication(history, B, day('2025-04-01'), now, today)).toMatchObject({ kind: 'record' });
    // Going back to A is a new publication (from tomorrow), not a rewrite of A's days.
    expect(decidePolicyPublication(history, A, undefined, now, today)).toMatchObject({
      kind: 'record',
      publication: { effectiveFrom: today + 1 },
    });
    expect(decidePolicyPublication(history, named('A', 0.9), undefined, now, today)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('"A" was already published with other rules'),
    });
    expect(decidePolicyPublication(history, named('D', 0.7), today, now, today)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('effectiveFrom 2025-02-10 is not after today'),
    });
  });

  // Histories as the engine records them: each start publishes at a later instant,
  // effective from a later date than the day it was published on.
  const DAY0 = day('2024-01-01');
  const arbHistory = fc
    .array(fc.record({ gapDays: fc.integer({ min: 0, max: 60 }), leadDays: fc.integer({ min: 1, max: 30 }) }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((steps) => {
      const out: PolicyPublication[] = [];
      let published = DAY0;
      steps.forEach(({ gapDays, leadDays }, i) => {
        published += gapDays;
        out.push({
          policy: named(`v${i}`, 0.5 + i / 20),
          effectiveFrom: published + leadDays,
          publishedAt: noon(published) + i,
        });
      });
      return out;
    });
  const arbAcceptance = fc
    .integer({ min: DAY0 - 30, max: DAY0 + 500 })
    .chain((d) =>
      fc.integer({ min: 0, max: MS_PER_DAY - 1 }).map((ms): Acceptance => ({ day: d, at: d * MS_PER_DAY + ms })),
    );

  it('law: a new publication never changes the version of a case accepted before it took effect', () => {
    fc.assert(
      fc.property(arbHistory, fc.array(arbAcceptance, { maxLength: 20 }), (h, cases) => {
        for (let n = 1; n < h.length; n++) {
          const before = h.slice(0, n);
          const next = h[n]!;
          for (const c of cases) {
            if (c.day >= next.effectiveFrom) continue;
            expect(policyInForce(h.slice(0, n + 1), c, DEFAULT_POLICY)).toBe(policyInForce(before, c, DEFAULT_POLICY));
          }
        }
      }),
    );
  });
  it('law: a case accepted on or after the last effectiveFrom (and after its publication) uses the last version', () => {
    fc.assert(
      fc.property(arbHistory, arbAcceptance, (h, c) => {
        const last = h[h.length - 1]!;
        fc.pre(c.day >= last.effectiveFrom && c.at >= last.publishedAt);
        expect(policyInForce(h, c, DEFAULT_POLICY)).toBe(last.policy);
      }),
    );
  });
  it('law: as known at K equals the lookup in the history published by K, the founding version before any', () => {
    fc.assert(
      fc.property(arbHistory, arbAcceptance, fc.integer({ min: DAY0 - 5, max: DAY0 + 400 }), (h, c, kDay) => {
        const k = noon(kDay);
        expect(policyInForce(h, c, DEFAULT_POLICY, k)).toBe(policyInForce(policiesKnownAt(h, k), c, h[0]!.policy));
      }),
    );
  });
  it('law: a case accepted by K is read as known at K under the version the live record gives it', () => {
    fc.assert(
      fc.property(arbHistory, arbAcceptance, fc.integer({ min: 0, max: 400 * MS_PER_DAY }), (h, c, after) => {
        const k = c.at + after;
        expect(policyInForce(h, c, DEFAULT_POLICY, k)).toBe(policyInForce(h, c, DEFAULT_POLICY));
      }),
    );
  });
  it('law: a decided publication keeps every earlier acceptance on its version', () => {
    fc.assert(
      fc.property(arbHistory, fc.integer({ min: 0, max: 400 }), arbAcceptance, (h, daysLater, c) => {
        const today = Math.floor(h[h.length - 1]!.publishedAt / MS_PER_DAY) + daysLater;
        const now = noon(today) + 1;
        const decision = decidePolicyPublication(h, named('new', 0.99), undefined, now, today);
        expect(decision.kind).toBe('record');
        if (decision.kind !== 'record') return;
        fc.pre(c.at <= now);
        const after = [...h, decision.publication];
        expect(policyInForce(after, c, DEFAULT_POLICY)).toBe(policyInForce(h, c, DEFAULT_POLICY));
      }),
    );
  });
});
