/**
 * Case ids by slot (caseIds.ts): the same answers as a `Map` from id to the
 * order first seen, for any strings (one-byte ids in the pool, others beside
 * it, ids that are prefixes of one another, the empty id, every character
 * up to U+00FF whether packed in one code or escaped), across the table's
 * growth and a snapshot's export and import; ids of one full 32-bit hash told
 * apart; parts of another layout refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseIds, hashOf } from './caseIds.js';
import type { Parts } from './snapshotRows.js';

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
        fc.constantFrom(1, 2, 3, 4, 1024),
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
          // The copy grows on (its table taken or rebuilt), and every id is still found after.
          for (const id of probes) if (!reference.has(id)) reference.set(id, copy.add(id));
          for (const [id, slot] of reference) expect(copy.slotOf(id)).toBe(slot);
        },
      ),

      { numRuns: 60 },
    );
  });

  it('law: ids of one full 32-bit hash (one bucket, one stored hash) are told apart by their codes', () => {
    // FNV-1a has no finalisation: two strings of one hash keep it under any suffix.
    const pairs = [
      ['costarring', 'liquid'],
      ['C10-20250290-00285', 'C30-20250437-00190'],
    ] as const;
    for (const [a, b] of pairs) expect(hashOf(a)).toBe(hashOf(b)); // else find new pairs: the test would prove nothing
    const suffixArb = fc.string({
      maxLength: 6,
      unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...pairs), suffixArb, fc.boolean()), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(1, 4, 1024),
        (draws, initial) => {
          const ids = new CaseIds(initial);
          const reference = new Map<string, number>();
          for (const [[a, b], suffix, both] of draws) {
            const held = `${a}${suffix}`;
            const twin = `${b}${suffix}`;
            expect(hashOf(held)).toBe(hashOf(twin));
            if (!reference.has(held)) reference.set(held, ids.add(held));
            // The twin, of the same hash, is not the held id until it is added.
            expect(ids.slotOf(twin)).toBe(reference.get(twin) ?? -1);
            if (both && !reference.has(twin)) reference.set(twin, ids.add(twin));
          }
          const copy = CaseIds.fromParts(ids.exportParts());
          for (const [id, slot] of reference) {
            expect(ids.slotOf(id)).toBe(slot);
            expect(copy.slotOf(id)).toBe(slot);
          }
          for (const [[a, b]] of draws) {
            expect(ids.slotOf(a)).toBe(reference.get(a) ?? -1);
            expect(ids.slotOf(b)).toBe(reference.get(b) ?? -1);
          }
        },
      ),
      { numRuns: 100 },
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

  it('refuses parts that are not ids of this layout, naming what is wrong', () => {
    const ids = new CaseIds(4);
    for (const id of ['WH-1', '宽-2', 'KM-3', '']) ids.add(id);
    const good = () => ids.exportParts() as { [k: string]: Parts } & { starts: Int32Array; codes: Uint8Array };
    const edited = (edit: (p: ReturnType<typeof good>) => void) => {
      const p = good();
      edit(p);
      return () => CaseIds.fromParts(p);
    };
    expect(() => CaseIds.fromParts(good())).not.toThrow();
    expect(edited((p) => p.starts.fill(1, 0, 1))).toThrow(/first id does not start at code 0/);
    expect(edited((p) => p.starts.set([p.starts[3]! + 1], 2))).toThrow(/slot 2 ends before it starts/);
    expect(edited((p) => p.starts.set([999], 4))).toThrow(/codes used beyond their bytes/);
    expect(edited((p) => p.starts.set([p.starts[1]! + 1], 2))).toThrow(/slot 1 of a wide id/);
    expect(edited((p) => Object.assign(p, { wide: [] }))).toThrow(/wide ids and their slots differ/);
    expect(edited((p) => Object.assign(p, { wide: ['narrow'] }))).toThrow(/wide id of slot 1 is not one/);
    // WH-1 is 15 5 7, 15 4 8, 10, 1: its last code made an escape, which has no byte after it.
    expect(edited((p) => p.codes.set([0xfa], 3))).toThrow(/id of slot 0 is cut short/);
    // Parts of the layout before session 8: lengths and fingerprints, no starts.
    const { starts: _starts, ...rest } = good();
    const before = { ...rest, lengths: new Uint8Array(4), codesUsed: 16, fingerprints: new Uint8Array(8) };
    expect(() => CaseIds.fromParts(before)).toThrow(/starts is not a Int32Array/);
  });

  it('packs an id of digits and separators in half a byte a character, other characters in a byte and a half', () => {
    const ids = new CaseIds();
    ids.add('WH-20250922-00017'); // 2 letters × 3 codes + 15 × 1 = 21 codes
    ids.add('2025-0922_00.1/7:'); // 17 codes
    const parts = ids.exportParts() as { starts: Int32Array; codes: Uint8Array };
    expect(parts.starts[2]).toBe(38); // the codes used
    expect(parts.codes.length).toBe(19); // bytes
    expect([ids.idOf(0), ids.idOf(1)]).toEqual(['WH-20250922-00017', '2025-0922_00.1/7:']);
  });
});
