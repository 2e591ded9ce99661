/**
 * Trees by row as bytes (treePool.ts): every row reads back the tree stored
 * last, as a Map of the values would, with the same keys in the same order and
 * the same numbers (`Object.is`: NaN, −0, fractions, instants), across
 * releases and repacks; `encodable` refuses what would not read back so.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodable, type Tree, TreePool } from './treePool.js';

const ROWS = 24;

const leafArb: fc.Arbitrary<Tree> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -0, Number.NaN, 255, 256, -1, 1.5, 1735866710000, Infinity),
  fc.double(),
  fc.integer(),
  fc.constantFrom('e1', 'reminder', '电子监察系统', '', 'respondBy', '__proto_', 'constructor'),
  fc.string({ maxLength: 12, unit: 'binary' }),
);
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('at', 'by', 'note', '1', '0')), tie('tree'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  ),
})).tree;

/** The same value: same keys in the same order, numbers `Object.is`-equal, arrays without holes. */
function same(a: Tree, b: Tree): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  const ra = a as Record<string, Tree>;
  const rb = b as Record<string, Tree>;
  return ka.every((k) => same(ra[k], rb[k]));
}

describe('tree pool', () => {
  it('law: every row reads back the tree stored last (fresh, same keys in order, same numbers), through repacks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(ROWS - 1), fc.option(treeArb, { nil: undefined, freq: 4 })), { maxLength: 300 }),
        (writes) => {
          const pool = new TreePool(64); // repacks often
          const model = new Map<number, Tree>();
          for (const [row, tree] of writes) {
            expect(encodable(tree)).toBe(true);
            if (tree === undefined) {
              if (writes.length % 2 === 0) pool.delete(row);
              else pool.set(row, undefined);
              model.delete(row);
            } else {
              pool.set(row, tree);
              model.set(row, tree);
            }
            expect(pool.size).toBe(model.size);
          }
          for (let row = 0; row < ROWS; row++) {
            const read = pool.get(row);
            expect(same(read, model.get(row))).toBe(true);
            if (typeof read === 'object' && read !== null) expect(read).not.toBe(model.get(row)); // a fresh copy
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shares a repeated string and writes out the rest past the shared ones', () => {
    const pool = new TreePool();
    pool.set(0, { note: '临近承诺时限，请抓紧办理', at: 1735866710000 });
    const used = (pool as unknown as { used: number }).used;
    pool.set(1, { note: '临近承诺时限，请抓紧办理', at: 1735866710000 });
    expect((pool as unknown as { used: number }).used).toBe(2 * used); // the same bytes: the note by its code
    expect(pool.get(1)).toEqual({ note: '临近承诺时限，请抓紧办理', at: 1735866710000 });
  });

  it('encodable refuses what would not read back the same', () => {
    const holey: number[] = [];
    holey[2] = 1;
    const withGetter = Object.defineProperty({}, 'at', { get: () => 1, enumerable: true });
    const nested = (depth: number): Tree => (depth === 0 ? 1 : [nested(depth - 1)]);
    const refused: unknown[] = [
      new Date(0),
      new Map(),
      holey,
      withGetter,
      Object.create(null),
      { [Symbol('s')]: 1 },
      { f: () => 1 },
      1n,
      JSON.parse('{"__proto__": 1}'),
      nested(9),
    ];
    for (const value of refused) expect(encodable(value)).toBe(false);
    expect(encodable(nested(8))).toBe(true);
  });
});
