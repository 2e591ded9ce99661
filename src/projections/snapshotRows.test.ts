/**
 * The rows codec (snapshotRows.ts): a tree of typed arrays and JSON values
 * goes through its bytes and back equal (`Object.is`: NaN, −0 and ±Infinity
 * kept), and a JSON line that announces more than the file holds is refused
 * before anything is allocated. The case ids, wide ones included, come back in
 * their slots (caseIds.ts `exportParts` / `fromParts`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseIds } from './caseIds.js';
import { throughBytes } from './rowsThroughBytes.js';
import { decodeParts, encodeParts, type Parts } from './snapshotRows.js';

const odd = fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
const jsonValue = fc.oneof(fc.double(), odd, fc.string(), fc.boolean(), fc.constant(null));

describe('the rows codec', () => {
  it('law: every typed array and JSON value comes back Object.is-equal', () => {
    fc.assert(
      fc.property(
        fc.float64Array({ maxLength: 20 }),
        fc.int32Array({ maxLength: 20 }),
        fc.uint32Array({ maxLength: 20 }),
        fc.int16Array({ maxLength: 20 }),
        fc.uint16Array({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 20 }),
        fc.array(jsonValue, { maxLength: 10 }),
        (f64, i32, u32, i16, u16, u8, values) => {
          const parts: Parts = { a: { f64, i32, list: [u32, { i16 }] }, u16, u8, values, odd: [-0, Number.NaN] };
          expect(throughBytes(parts)).toStrictEqual(parts);
          const back = throughBytes(parts) as { values: unknown[] };
          for (const [i, v] of values.entries()) expect(Object.is(back.values[i], v)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a JSON line that announces more bytes than the file holds, a column out of order, an unknown type', () => {
    const { json, binaryBytes } = encodeParts({ a: new Float64Array(4), b: new Uint8Array(3) });
    expect(() => decodeParts(json, binaryBytes - 1)).toThrow(/longer than the 34 bytes announced|announces/);
    expect(() => decodeParts(json, binaryBytes + 1)).toThrow(/columns of 35 bytes, the header announces 36/);
    expect(() => decodeParts('{"a":{"$col":[1,"Uint8Array",2]}}', 2)).toThrow(/out of order/);
    expect(() => decodeParts('{"a":{"$col":[0,"BigInt64Array",2]}}', 16)).toThrow(/not a column type/);
    expect(() => decodeParts('{"a":{"$col":[0,"Uint8Array",1e12]}}', 2)).toThrow(/longer than the 2 bytes/);
    expect(() => decodeParts('{"a":{"$n":"12"}}', 0)).toThrow(/not a number/);
  });

  it('case ids, wide and escaped ones included, come back in their slots and take new ones after', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.oneof(
            fc.stringMatching(/^[A-Z]{1,3}-\d{1,8}$/),
            fc.string({ unit: 'binary', maxLength: 6 }),
            fc.string({ maxLength: 4 }).map((s) => `宽${s}`),
          ),
          { maxLength: 300 },
        ),
        fc.array(fc.stringMatching(/^N-\d{1,6}$/), { maxLength: 20 }),
        (ids, later) => {
          const held = new CaseIds(4);
          for (const id of ids) held.add(id);
          const back = CaseIds.fromParts(throughBytes(held.exportParts()));
          expect(back.size).toBe(ids.length);
          ids.forEach((id, slot) => {
            expect(back.slotOf(id)).toBe(slot);
            expect(back.idOf(slot)).toBe(id);
          });
          // A table that is not one of these ids (entries moved, or emptied) is rebuilt, not taken.
          for (const scramble of [(t: Int32Array) => t.reverse(), (t: Int32Array) => t.fill(0)]) {
            const parts = throughBytes(held.exportParts()) as { table: Int32Array };
            scramble(parts.table);
            const rebuilt = CaseIds.fromParts(parts);
            for (const [slot, id] of ids.entries()) expect(rebuilt.slotOf(id)).toBe(slot);
          }
          // Hashes that are not the entries' ids' (each one off by one) are not taken either.
          const misprinted = throughBytes(held.exportParts()) as { table: Int32Array };
          for (let i = 0; i < misprinted.table.length; i += 2) misprinted.table[i]! += 1;
          const reprinted = CaseIds.fromParts(misprinted);
          for (const [slot, id] of ids.entries()) expect(reprinted.slotOf(id)).toBe(slot);
          for (const id of later) if (back.slotOf(id) < 0) expect(back.add(id)).toBe(back.size - 1);
          for (const id of later) expect(back.idOf(back.slotOf(id))).toBe(id);
        },
      ),
      { numRuns: 100 },
    );
  });
});
