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
    expect(listingPosition(undefined, 'dueAt', true, NOW, ZONE)).toEqual({ listedAt: NOW });
    fc.assert(
      fc.property(fc.integer({ min: NOW - MAX_LISTING_AGE_MS, max: NOW + CLOCK_SKEW_MS }), (listedAt) => {
        expect(listingPosition(listingCursor('-dueAt', KEY, listedAt), '-dueAt', true, NOW, ZONE)).toEqual({
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
          expect(() => listingPosition(listingCursor(sort, KEY, listedAt), sort, sort === 'dueAt', NOW, ZONE)).toThrow(
            /^cursor: belongs to a listing read (after this server's clock|more than 30 days ago)/,
          );
        },
      ),
    );
  });

  it('a cursor made without an instant: read from now where keys do not move with the clock, else refused', () => {
    const old = encodeCursor('accepted', KEY);
    expect(listingPosition(old, 'accepted', false, NOW, ZONE)).toEqual({ after: KEY, listedAt: NOW });
    expect(() => listingPosition(encodeCursor('dueAt', KEY), 'dueAt', true, NOW, ZONE)).toThrow(
      /^cursor: was made before cursors kept the instant.*start the list again without a cursor/,
    );
  });
});
