import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fraction } from './fraction.js';

const middleShare = (draws: readonly number[], min: number, max: number) =>
  draws.filter((x) => x > min + 0.05 * (max - min) && x < max - 0.05 * (max - min)).length / draws.length;

describe('fraction', () => {
  it('spreads its draws over the range, where fc.double keeps to its ends', () => {
    const ours = fc.sample(fraction(), { numRuns: 2000, seed: 1 });
    const doubles = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), { numRuns: 2000, seed: 1 });
    expect(middleShare(ours, 0, 1)).toBeGreaterThan(0.5);
    expect(middleShare(doubles, 0, 1)).toBeLessThan(0.05);
  });

  it('stays within [min, max], or below max when it is excluded', () => {
    fc.assert(
      fc.property(fraction({ min: -0.1, max: 1.1 }), fraction({ min: 0.3, max: 1, maxExcluded: true }), (a, b) => {
        expect(a).toBeGreaterThanOrEqual(-0.1);
        expect(a).toBeLessThanOrEqual(1.1);
        expect(b).toBeGreaterThanOrEqual(0.3);
        expect(b).toBeLessThan(1);
      }),
    );
  });
});
