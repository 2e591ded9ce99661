import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_POLICY, ceilRatio, parsePolicy } from './policy.js';

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
