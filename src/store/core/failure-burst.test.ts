import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failureBurst } from './failure-burst.js';

type Step = { kind: 'fail'; gap: number } | { kind: 'ok'; gap: number };
const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom('fail' as const, 'ok' as const),
  gap: fc.nat(100),
});

describe('failureBurst', () => {
  it('law: a burst starts exactly at a failure after a success or after a quiet gap, and is reported while it runs', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 80 }), (steps, quietMs) => {
        const burst = failureBurst(quietMs);
        let now = 0;
        let lastFailure: number | undefined;
        let starts = 0;
        let modelStarts = 0;
        for (const s of steps) {
          now += s.gap;
          if (s.kind === 'fail') {
            const modelStart = lastFailure === undefined || now - lastFailure >= quietMs;
            if (modelStart) modelStarts += 1;
            if (burst.failed('disk full', now)) starts += 1;
            lastFailure = now;
            expect(burst.current(now)?.reason).toBe('disk full');
          } else {
            const ended = burst.succeeded();
            expect(ended !== undefined).toBe(lastFailure !== undefined);
            lastFailure = undefined;
            expect(burst.current(now)).toBeUndefined();
          }
        }
        expect(starts).toBe(modelStarts);
      }),
    );
  });

  it('example: 2,300 failures a millisecond apart are one burst, counted; quiet for 30 s ends it', () => {
    const burst = failureBurst(30_000);
    const starts = Array.from({ length: 2300 }, (_, i) => burst.failed('disk full (SQLITE_FULL)', 1_000 + i)).filter(
      Boolean,
    );
    expect(starts).toHaveLength(1);
    expect(burst.current(5_000)).toEqual({
      reason: 'disk full (SQLITE_FULL)',
      since: new Date(1_000).toISOString(),
      failures: 2300,
    });
    expect(burst.current(1_000 + 2299 + 30_000)).toBeUndefined();
    expect(burst.failed('disk full (SQLITE_FULL)', 40_000)).toBe(true);
  });
});
