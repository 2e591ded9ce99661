import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { instantParam, knownAtParam } from './validation.js';

const NOW = Date.parse('2026-11-20T00:00:00Z');

function refusal(read: () => unknown): ApiError {
  try {
    read();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a 400, but the parameter was taken');
}

describe('instant parameters: a whole number of milliseconds (session 16)', () => {
  it('refuse an instant finer than the millisecond with a 400 naming the parameter, not truncate it', () => {
    for (const name of ['asOf', 'listedAt']) {
      const err = refusal(() => instantParam({ [name]: '2026-11-12T00:00:00.1234Z' }, name));
      expect([err.status, err.code, err.details]).toEqual([
        400,
        'invalid-request',
        [{ field: name, message: expect.stringContaining('whole number of milliseconds') }],
      ]);
    }
    const known = refusal(() => knownAtParam({ asKnownAt: '2026-11-12T08:00:00.0000001+08:00' }, NOW, 'Asia/Shanghai'));
    expect(known.message).toMatch(/^asKnownAt: must be a whole number of milliseconds/);
  });

  it('take milliseconds, and a finer fraction of zeros (it is the same instant)', () => {
    expect(instantParam({ asOf: '2026-11-12T00:00:00.123Z' }, 'asOf')).toBe(Date.parse('2026-11-12T00:00:00.123Z'));
    expect(instantParam({ asOf: '2026-11-12T00:00:00.1230000Z' }, 'asOf')).toBe(Date.parse('2026-11-12T00:00:00.123Z'));
    expect(knownAtParam({ asKnownAt: '2026-11-12T08:00:00+08:00' }, NOW, 'Asia/Shanghai')).toBe(
      Date.parse('2026-11-12T00:00:00Z'),
    );
  });
});

describe('asKnownAt after now', () => {
  it("is refused naming now with the zone's offset, as every instant the API writes (SPEC §4), not in UTC", () => {
    const err = refusal(() => knownAtParam({ asKnownAt: '2026-11-21T00:00:00+08:00' }, NOW, 'Asia/Shanghai'));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^asKnownAt: must not be after now \(2026-11-20T08:00:00\.000\+08:00\)/);
  });
});

describe('an offset whose "+" arrived as a space (a query string typed by hand)', () => {
  it('is refused naming the parameter and saying to send "+" as %2B', () => {
    for (const name of ['asOf', 'asKnownAt']) {
      // `?asOf=2025-09-01T10:00:00+08:00` sent as is: the query string decodes "+" to a space.
      const err = refusal(() => instantParam({ [name]: '2025-09-01T10:00:00 08:00' }, name));
      expect(err.status).toBe(400);
      expect(err.details).toEqual([{ field: name, message: expect.stringMatching(/"\+".*%2B/) }]);
    }
    // Any other malformed instant keeps the plain message.
    expect(refusal(() => instantParam({ asOf: 'yesterday' }, 'asOf')).message).not.toMatch(/%2B/);
  });
});
