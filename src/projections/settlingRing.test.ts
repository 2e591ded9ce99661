import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialCaseState } from '../domain/index.js';
import { type CaseEntry, newEntry } from './caseEntry.js';
import { SettlingRing } from './settlingRing.js';

const entries = Array.from({ length: 8 }, (_, i) => newEntry(`C-${i}`, initialCaseState(`C-${i}`)));

describe('the settling ring', () => {
  it('law: a first-in, first-out queue of the given capacity; with none, a case leaves as it comes', () => {
    fc.assert(
      fc.property(fc.nat(5), fc.array(fc.nat(entries.length - 1), { maxLength: 40 }), (capacity, pushes) => {
        const ring = new SettlingRing(capacity);
        const model: CaseEntry[] = [];
        for (const k of pushes) {
          const entry = entries[k]!;
          const out = ring.push(entry);
          if (capacity === 0) {
            expect(out).toBe(entry);
            continue;
          }
          model.push(entry);
          expect(out).toBe(model.length > capacity ? model.shift() : undefined);
        }
        expect(ring.drain()).toStrictEqual(model);
        expect(ring.drain()).toStrictEqual([]);
      }),
    );
  });

  it('refuses a capacity that is not a non-negative integer', () => {
    expect(() => new SettlingRing(-1)).toThrow(/capacity -1/);
    expect(() => new SettlingRing(1.5)).toThrow(/capacity 1.5/);
  });
});
