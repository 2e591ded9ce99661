import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareKeys,
  decodeCursor,
  decodeTimedCursor,
  encodeCursor,
  PageCollector,
  type Direction,
  type PageKey,
} from './keysetPage.js';
import { StatsQueryError } from './stats.js';

const keyArb = fc.record({
  primary: fc.integer({ min: 0, max: 20 }),
  caseId: fc.constantFrom('a', 'b', 'B', 'c', 'a1', 'z'),
  ordinal: fc.integer({ min: 0, max: 3 }),
});
const id = (k: PageKey) => `${k.primary}|${k.caseId}|${k.ordinal}`;
const unique = (keys: PageKey[]) => [...new Map(keys.map((k) => [id(k), k])).values()];

/** Page through `rowsAt(page)` (the rows present when that page is read), cursor through the encoded form. */
function pageThrough(rowsAt: (page: number) => PageKey[], limit: number, direction: Direction): PageKey[] {
  const seen: PageKey[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, 'o');
    const collector = new PageCollector<PageKey>(limit, direction, after);
    for (const k of rowsAt(page)) collector.offer(k.primary, k.caseId, k.ordinal, () => k);
    const result = collector.result();
    seen.push(...result.items);
    if (result.next === undefined) return seen;
    cursor = encodeCursor('o', result.next);
  }
  throw new Error('paging did not end');
}

describe('keyset paging', () => {
  it('visits every row exactly once, in order, whatever the page size and direction', () => {
    fc.assert(
      fc.property(
        fc.array(keyArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<Direction>(1, -1),
        (raw, limit, direction) => {
          const rows = unique(raw);
          const seen = pageThrough(() => rows, limit, direction); // offered in the arbitrary's order
          const expected = [...rows].sort((x, y) => direction * compareKeys(x, y));
          expect(seen.map(id)).toEqual(expected.map(id));
        },
      ),
    );
  });

  it('under appends between pages: no row present at both reads repeats or is skipped', () => {
    fc.assert(
      fc.property(
        fc.array(keyArb, { maxLength: 40 }),
        fc.array(fc.array(keyArb, { maxLength: 5 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom<Direction>(1, -1),
        (raw, waves, limit, direction) => {
          const first = unique(raw);
          // Page p sees the first rows plus the appends of waves 0..p-1.
          const rowsAt = (p: number) => unique([...first, ...waves.slice(0, p).flat()]);
          const seen = pageThrough(rowsAt, limit, direction).map(id);
          expect(new Set(seen).size).toBe(seen.length);
          for (const k of first) expect(seen).toContain(id(k));
        },
      ),
    );
  });

  it('refuses a cursor it did not make, or one made for another order, naming cursor', () => {
    for (const bad of ['%%%', 'bm90IGpzb24', Buffer.from('[1,2]').toString('base64url'), 'x'.repeat(2000)]) {
      expect(() => decodeCursor(bad, 'o')).toThrow(StatsQueryError);
    }
    const other = encodeCursor('dueAt', { primary: 1, caseId: 'a', ordinal: 0 });
    expect(() => decodeCursor(other, 'accepted')).toThrow(/cursor: was made for sort dueAt/);
    expect(decodeCursor(other, 'dueAt')).toEqual({ primary: 1, caseId: 'a', ordinal: 0 });
  });

  it('a cursor with a listing instant gives back the key and the instant as they were encoded', () => {
    fc.assert(
      fc.property(
        fc.record({
          primary: fc.double({ noNaN: true, noDefaultInfinity: true }),
          caseId: fc.string(),
          ordinal: fc.integer(),
        }),
        fc.option(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), { nil: undefined }),
        (key, listedAt) => {
          const decoded = decodeTimedCursor(encodeCursor('o', key, listedAt), 'o');
          expect(decoded.key).toEqual({ ...key, primary: key.primary === 0 ? 0 : key.primary }); // -0 travels as 0
          expect(decoded.listedAt).toBe(listedAt);
        },
      ),
    );
  });

  it('refuses a listing instant that is not a whole number of milliseconds, and a timed cursor where none is kept', () => {
    const cursorOf = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const at of [1.5, '1', null, true, 2 ** 53, 1e300, [1], {}]) {
      expect(() => decodeTimedCursor(cursorOf(['o', 1, 'a', 0, at]), 'o'), String(at)).toThrow(
        /cursor: is not a cursor this server sent.*whole number of milliseconds/,
      );
    }
    expect(() => decodeTimedCursor(cursorOf(['o', 1, 'a', 0, 1, 2]), 'o')).toThrow(/cursor: is not a cursor/);
    // The card register and the complaint list keep no instant: a cursor with one is not theirs.
    expect(() => decodeCursor(encodeCursor('o', { primary: 1, caseId: 'a', ordinal: 0 }, 5), 'o')).toThrow(
      /cursor: is not a cursor this server sent/,
    );
  });
});
