/** Instants as offsets (instantColumn.ts): every value reads back `Object.is`-equal, whatever it and its base are. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstantColumn } from './instantColumn.js';

const DAY = 86_400_000;
const baseArb = fc.oneof(fc.integer({ min: 0, max: 2 ** 42 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const valueArb = (base: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: 60 * DAY }).map((d) => base + d), // mostly in range, some beyond ≈ 49.7 days
    fc.integer({ min: -DAY, max: 0 }).map((d) => base + d),
    fc.constantFrom(Number.NaN, -0, 0, base + 0.5, 2 ** 53, -(2 ** 53), Number.MAX_VALUE),
    fc.double(),
  );

describe('instants as offsets', () => {
  it('keeps −0, and a value its base and a whole offset would round, aside (examples the random values rarely meet)', () => {
    const cases: [number, number][] = [
      [0, -0],
      [-0, -0],
      [-0, 5],
      [218_997_861.366_119_44, 825_486_112.366_119_5], // value − base is whole, base + it is not value
    ];
    const column = new InstantColumn();
    column.grow(cases.length);
    for (const [row, [base, value]] of cases.entries()) column.set(row, value, base);
    for (const [row, [base, value]] of cases.entries()) expect(Object.is(column.get(row, base), value)).toBe(true);
  });

  it('law: a value stored at a row reads back Object.is-equal (offsets, NaN, values kept aside), rows reused after clear', () => {
    fc.assert(
      fc.property(
        fc.array(
          baseArb.chain((base) => fc.tuple(fc.constant(base), valueArb(base))),
          { minLength: 1, maxLength: 60 },
        ),
        (pairs) => {
          const column = new InstantColumn();
          column.grow(pairs.length);
          for (const [row, [base, value]] of pairs.entries()) column.set(row, value, base);
          for (const [row, [base, value]] of pairs.entries())
            expect(Object.is(column.get(row, base), value)).toBe(true);
          // Reuse every row with the values shifted by one: nothing of the previous value is left.
          const shifted = (row: number) => pairs[(row + 1) % pairs.length]![1];
          for (const row of pairs.keys()) column.clear(row);
          for (const [row, [base]] of pairs.entries()) column.set(row, shifted(row), base);
          for (const [row, [base]] of pairs.entries())
            expect(Object.is(column.get(row, base), shifted(row))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('law: a row stored over, cleared and stored again keeps nothing aside of a value it no longer holds (the snapshot reads back)', () => {
    // Few rows, many steps: a value kept aside is often stored over by an offset or NaN, with or without a clear between.
    const stepArb = fc.oneof(
      fc.record({ row: fc.nat(3), clear: fc.constant(true) }),
      baseArb.chain((base) => fc.record({ row: fc.nat(3), base: fc.constant(base), value: valueArb(base) })),
    );
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
        const column = new InstantColumn();
        column.grow(4);
        const live = new Map<number, [number, number]>();
        for (const step of steps) {
          if ('clear' in step) {
            column.clear(step.row);
            live.delete(step.row);
          } else {
            column.set(step.row, step.value, step.base);
            live.set(step.row, [step.base, step.value]);
          }
        }
        for (const [row, [base, value]] of live) expect(Object.is(column.get(row, base), value)).toBe(true);
        const parts = column.exportParts(4) as { asideRows: Int32Array };
        for (const row of parts.asideRows) expect(live.has(row)).toBe(true); // nothing of a cleared row
        const back = InstantColumn.fromParts(column.exportParts(4), 4); // refuses a value aside for a row not coded so
        for (const [row, [base, value]] of live) expect(Object.is(back.get(row, base), value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
