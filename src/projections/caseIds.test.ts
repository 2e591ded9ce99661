/**
 * Case ids by slot (caseIds.ts): the same answers as a `Map` from id to the
 * order first seen, for any strings (one-byte ids in the pool, others beside
 * it, ids that are prefixes of one another, the empty id, every character
 * up to U+00FF whether packed in one code or escaped), across the table's
 * growth.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseIds } from './caseIds.js';

const idArb = fc.oneof(
  { arbitrary: fc.string({ maxLength: 6 }), weight: 3 }, // short: many collide and prefix one another
  { arbitrary: fc.string({ maxLength: 4, unit: 'binary' }), weight: 1 }, // characters above U+00FF
  // Long: ≥ 255 codes (a length kept beside the byte lengths)
  { arbitrary: fc.string({ minLength: 80, maxLength: 140 }), weight: 1 },
  // Any one-byte character: digits and separators packed in one code, the others escaped in three.
  {
    arbitrary: fc.string({ maxLength: 8, unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)) }),
    weight: 2,
  },
  {
    arbitrary: fc.tuple(fc.constantFrom('WH', 'KM', '武汉'), fc.nat(99_999)).map(([c, n]) => `${c}-20250922-${n}`),
    weight: 3,
  },
);

describe('case ids by slot', () => {
  it('law: slotOf and idOf answer as a Map of ids in the order first seen', () => {
    fc.assert(
      fc.property(
        fc.array(idArb, { maxLength: 3000 }),
        fc.array(idArb, { maxLength: 50 }),
        fc.constantFrom(1, 4, 1024),
        (added, probes, initial) => {
          const ids = new CaseIds(initial); // a small table: collisions, and growth
          const reference = new Map<string, number>();
          for (const id of added) {
            if (reference.has(id)) {
              expect(ids.slotOf(id)).toBe(reference.get(id));
              continue;
            }
            expect(ids.slotOf(id)).toBe(-1);
            reference.set(id, ids.add(id));
            expect(reference.get(id)).toBe(reference.size - 1);
          }
          expect(ids.size).toBe(reference.size);
          for (const [id, slot] of reference) {
            expect(ids.slotOf(id)).toBe(slot);
            expect(ids.idOf(slot)).toBe(id);
          }
          for (const id of probes) expect(ids.slotOf(id)).toBe(reference.get(id) ?? -1);
          const copy = CaseIds.fromParts(ids.exportParts()); // as a snapshot gives them back
          expect(copy.size).toBe(reference.size);
          for (const [id, slot] of reference) {
            expect(copy.slotOf(id)).toBe(slot);
            expect(copy.idOf(slot)).toBe(id);
          }
        },
      ),

      { numRuns: 60 },
    );
  });

  it('holds 100,000 ids through the table growing (every one found, in order)', () => {
    const ids = new CaseIds();
    const id = (i: number) => `WH-${20250000 + (i % 365)}-${i}`;
    let wrong = 0;
    for (let i = 0; i < 100_000; i++) if (ids.add(id(i)) !== i) wrong++;
    for (let i = 0; i < 100_000; i++) if (ids.slotOf(id(i)) !== i || ids.idOf(i) !== id(i)) wrong++;
    expect(wrong).toBe(0);
    expect(ids.size).toBe(100_000);
    expect(ids.slotOf('WH-20250000-100000')).toBe(-1);
  });

  it('packs an id of digits and separators in half a byte a character, other characters in a byte and a half', () => {
    const ids = new CaseIds();
    ids.add('WH-20250922-00017'); // 2 letters × 3 codes + 15 × 1 = 21 codes
    ids.add('2025-0922_00.1/7:'); // 17 codes
    expect((ids as unknown as { codesUsed: number }).codesUsed).toBe(38); // 19 bytes
    expect([ids.idOf(0), ids.idOf(1)]).toEqual(['WH-20250922-00017', '2025-0922_00.1/7:']);
  });
});
