import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstSeenCenterLabels, UNREGISTERED_CENTER } from './centerLabels.js';

describe('firstSeenCenterLabels', () => {
  it('laws: at most max + 1 label values; the first max distinct centers keep their id, for good; the rest are unregistered', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 300 }), fc.nat(20), (ids, max) => {
        const label = firstSeenCenterLabels(max);
        const firstDistinct = [...new Set(ids)].slice(0, max);
        const labels = ids.map(label);
        expect(new Set(labels).size).toBeLessThanOrEqual(max + 1);
        ids.forEach((id, i) => {
          expect(labels[i]).toBe(firstDistinct.includes(id) ? id : UNREGISTERED_CENTER);
        });
        // Stable: asking again never changes a label.
        expect(ids.map(label)).toEqual(labels);
      }),
    );
  });

  it('example: with room for 2, the third center is unregistered', () => {
    const label = firstSeenCenterLabels(2);
    expect(['a', 'b', 'a', 'c', 'b', 'c'].map(label)).toEqual(['a', 'b', 'a', 'unregistered', 'b', 'unregistered']);
  });

  it('refuses a bound that is not a non-negative integer', () => {
    expect(() => firstSeenCenterLabels(-1)).toThrow(/max center labels/);
    expect(() => firstSeenCenterLabels(1.5)).toThrow(/max center labels/);
  });
});
