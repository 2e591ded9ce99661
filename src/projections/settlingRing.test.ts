import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialCaseState } from '../domain/index.js';
import { type CaseEntry, newEntry } from './caseEntry.js';
import { SettlingRing } from './settlingRing.js';

const entries = Array.from({ length: 8 }, (_, i) => newEntry(`C-${i}`, initialCaseState(`C-${i}`)));

describe('the settling ring', () => {
  it('law: a first-in, first-out queue of the given capacity, each case leaving with the slot it came in with; with none, a case leaves as it comes', () => {
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.array(fc.tuple(fc.nat(entries.length - 1), fc.integer({ min: -1, max: 1 << 30 })), { maxLength: 40 }),
        (capacity, pushes) => {
          const left: [CaseEntry, number][] = [];
          const ring = new SettlingRing(capacity, (entry, slot) => left.push([entry, slot]));
          const model: [CaseEntry, number][] = [];
          for (const [k, slot] of pushes) {
            const entry = entries[k]!;
            ring.push(entry, slot);
            if (capacity === 0) {
              expect(left.splice(0)).toStrictEqual([[entry, slot]]);
              continue;
            }
            model.push([entry, slot]);
            const out = model.length > capacity ? [model.shift()!] : [];
            const got = left.splice(0);
            expect(got).toStrictEqual(out);
            if (out.length === 1) expect(got[0]![0]).toBe(out[0]![0]);
          }
          ring.drain();
          expect(left.splice(0)).toStrictEqual(model);
          ring.drain();
          expect(left).toStrictEqual([]);
        },
      ),
    );
  });

  it('refuses a capacity that is not a non-negative integer', () => {
    const none = () => {};
    expect(() => new SettlingRing(-1, none)).toThrow(/capacity -1/);
    expect(() => new SettlingRing(1.5, none)).toThrow(/capacity 1.5/);
  });
});
