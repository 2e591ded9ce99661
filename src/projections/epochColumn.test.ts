/**
 * Instants in 6 bytes (epochColumn.ts): every value reads back `Object.is`-equal,
 * whether held in the column (whole milliseconds up to 2⁴⁸ − 2¹⁶) or kept aside
 * (fractions, negatives, −0, NaN, the edges of the range), rows stored over again,
 * and through a copy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EpochColumn } from './epochColumn.js';

const ROWS = 32;
const EDGE = 0xffffffff * 0x10000;
const valueArb = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), // instants of the service years
  fc.constantFrom(0, -0, Number.NaN, -1, 0.5, EDGE - 1, EDGE, EDGE + 1, 0xffff, 0x10000, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.maxSafeInteger(),
);

describe('epoch column', () => {
  it('law: every row reads back the value stored last (Object.is), and so does a copy', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(ROWS - 1), valueArb), { maxLength: 300 }), (writes) => {
        const column = new EpochColumn();
        column.grow(ROWS);
        const model = new Map<number, number>();
        for (const [row, value] of writes) {
          column.set(row, value);
          model.set(row, value);
          expect(Object.is(column.get(row), value)).toBe(true);
        }
        const copy = EpochColumn.fromCopy(column.copy(ROWS), ROWS);
        for (const [row, value] of model) {
          expect(Object.is(column.get(row), value)).toBe(true);
          expect(Object.is(copy.get(row), value)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps only what the column cannot hold aside, and forgets it when cleared', () => {
    const column = new EpochColumn();
    column.grow(4);
    column.set(0, 1_735_866_710_000);
    column.set(1, EDGE - 1);
    column.set(2, EDGE);
    column.set(3, 1.5);
    const aside = (column as unknown as { aside: Map<number, number> }).aside;
    expect([...aside.keys()]).toEqual([2, 3]);
    column.clear(3);
    column.set(2, 7);
    expect(aside.size).toBe(0);
    expect([column.get(0), column.get(1), column.get(2)]).toEqual([1_735_866_710_000, EDGE - 1, 7]);
  });

  it('refuses a copy that keeps aside a value for a row the column holds', () => {
    const column = new EpochColumn();
    column.grow(2);
    column.set(0, 5);
    column.set(1, Number.NaN);
    const copy = column.copy(2);
    expect(() => EpochColumn.fromCopy({ ...copy, asideRows: Int32Array.of(0) }, 2)).toThrow(/row 0/);
    expect(() => EpochColumn.fromCopy(copy, 3)).toThrow(RangeError);
  });
});
