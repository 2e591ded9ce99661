import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../domain/index.js';
import { encodeCursor } from './keysetPage.js';
import { CLOCK_SKEW_MS, listingCursor, listingPosition, MAX_LISTING_AGE_MS } from './listingCursor.js';

const ZONE = 'Asia/Shanghai';
const NOW = parseInstant('2025-10-20T10:00:00+08:00');
const KEY = { primary: 42, caseId: 'c-1', ordinal: 0 };

describe('the case list cursor', () => {
  it('the first page is read now; a later one at the instant its cursor carries, with the key sent last', () => {
    expect(listingPosition({}, 'dueAt', true, NOW, ZONE)).toEqual({ listedAt: NOW });
    fc.assert(
      fc.property(fc.integer({ min: NOW - MAX_LISTING_AGE_MS, max: NOW + CLOCK_SKEW_MS }), (listedAt) => {
        expect(listingPosition({ cursor: listingCursor('-dueAt', KEY, listedAt) }, '-dueAt', true, NOW, ZONE)).toEqual({
          after: KEY,
          listedAt,
        });
      }),
    );
  });

  it('refuses an instant past the clock skew ahead, or older than a listing may last, naming cursor', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: NOW + CLOCK_SKEW_MS + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: Number.MIN_SAFE_INTEGER, max: NOW - MAX_LISTING_AGE_MS - 1 }),
        ),
        fc.constantFrom('accepted', 'dueAt', '-overdueDays'),
        (listedAt, sort) => {
          expect(() =>
            listingPosition({ cursor: listingCursor(sort, KEY, listedAt) }, sort, sort === 'dueAt', NOW, ZONE),
          ).toThrow(/^cursor: belongs to a listing read (after this server's clock|more than 30 days ago)/);
        },
      ),
    );
  });

  it('a cursor made without an instant: read from now where keys do not move with the clock, else refused', () => {
    const old = encodeCursor('accepted', KEY);
    expect(listingPosition({ cursor: old }, 'accepted', false, NOW, ZONE)).toEqual({ after: KEY, listedAt: NOW });
    expect(() => listingPosition({ cursor: encodeCursor('dueAt', KEY) }, 'dueAt', true, NOW, ZONE)).toThrow(
      /^cursor: was made before cursors kept the instant.*start the list again without a cursor/,
    );
  });

  it('a first page given the listing instant is read at it, within the cursor bounds; outside them refused naming listedAt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: NOW - MAX_LISTING_AGE_MS, max: NOW + CLOCK_SKEW_MS }),
        fc.constantFrom('accepted', 'dueAt', '-overdueDays'),
        (listedAt, sort) => {
          expect(listingPosition({ listedAt }, sort, sort !== 'accepted', NOW, ZONE)).toEqual({ listedAt });
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: NOW + CLOCK_SKEW_MS + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: Number.MIN_SAFE_INTEGER, max: NOW - MAX_LISTING_AGE_MS - 1 }),
          fc.double({ noInteger: true, noNaN: true }),
        ),
        (listedAt) => {
          expect(() => listingPosition({ listedAt }, 'dueAt', true, NOW, ZONE)).toThrow(
            /^listedAt: (is more than 5 minutes after this server's clock|is more than 30 days ago|must be a whole number of milliseconds)/,
          );
        },
      ),
    );
  });

  it("given with a cursor, listedAt must be the cursor's instant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: NOW - MAX_LISTING_AGE_MS, max: NOW + CLOCK_SKEW_MS }),
        fc.integer({ min: NOW - MAX_LISTING_AGE_MS, max: NOW + CLOCK_SKEW_MS }),
        (cursorAt, givenAt) => {
          const given = { cursor: listingCursor('dueAt', KEY, cursorAt), listedAt: givenAt };
          if (givenAt === cursorAt)
            expect(listingPosition(given, 'dueAt', true, NOW, ZONE)).toEqual({ after: KEY, listedAt: cursorAt });
          else
            expect(() => listingPosition(given, 'dueAt', true, NOW, ZONE)).toThrow(
              /^listedAt: is not the instant of the cursor's listing/,
            );
        },
      ),
    );
    expect(() =>
      listingPosition({ cursor: encodeCursor('accepted', KEY), listedAt: NOW }, 'accepted', false, NOW, ZONE),
    ).toThrow(/^listedAt: was given with a cursor made before cursors kept the instant/);
  });
});
