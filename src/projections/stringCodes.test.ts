/**
 * Optional strings by row (stringCodes.ts): the same answers as an array of
 * strings, for any sequence of stores and clears, with more distinct comments
 * than codes (the rest kept beside the column) and rows stored over again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringCodes } from './stringCodes.js';

const ROWS = 64;
const commentArb = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('很满意', '办理及时', ''), // set phrases, and the empty comment
  fc.string({ maxLength: 3 }), // many distinct: past the 254 codes
  fc.nat(400).map((n) => `comment ${n}`),
);

describe('string codes', () => {
  it('law: every row reads back the comment stored last, as an array would', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(ROWS - 1), commentArb), { maxLength: 1500 }), (writes) => {
        const comments = new StringCodes();
        comments.grow(ROWS);
        const model: (string | undefined)[] = new Array(ROWS).fill(undefined);
        for (const [row, comment] of writes) {
          comments.set(row, comment);
          model[row] = comment;
          expect(comments.get(row)).toBe(comment);
        }
        for (let row = 0; row < ROWS; row++) expect(comments.get(row)).toBe(model[row]);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps comments past the 254 codes beside the column, and drops them when the row is cleared', () => {
    const comments = new StringCodes();
    comments.grow(600);
    for (let row = 0; row < 600; row++) comments.set(row, `comment ${row}`);
    for (let row = 0; row < 600; row++) expect(comments.get(row)).toBe(`comment ${row}`);
    const other = (comments as unknown as { other: Map<number, string> }).other;
    expect(other.size).toBe(600 - 254);
    for (let row = 0; row < 600; row++) comments.set(row, undefined);
    expect(other.size).toBe(0);
    expect(comments.get(599)).toBeUndefined();
    comments.set(599, 'comment 3'); // a shared code again
    expect(comments.get(599)).toBe('comment 3');
  });
});
