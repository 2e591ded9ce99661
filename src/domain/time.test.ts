import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dayFromYmd,
  formatDate,
  formatInstant,
  parseDate,
  parseFixedInstant,
  parseInstant,
  tryParseDate,
  tryParseInstant,
  tryParseInstantByPattern,
  ymdFromDay,
  MS_PER_DAY,
} from './time.js';
import { zoneClock } from './zone.js';

describe('dates', () => {
  it('round-trips epoch days through YYYY-MM-DD and agrees with Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (d) => {
        expect(parseDate(formatDate(d))).toBe(d);
        const { year, month, day } = ymdFromDay(d);
        expect(dayFromYmd(year, month, day)).toBe(d);
        const iso = new Date(d * MS_PER_DAY).toISOString();
        if (year >= 0 && year <= 9999) expect(formatDate(d)).toBe(iso.slice(0, 10));
      }),
      { numRuns: 300 },
    );
  });
  it('rejects impossible dates', () => {
    expect(tryParseDate('2025-02-29')).toBeUndefined();
    expect(tryParseDate('2024-02-29')).toBe(dayFromYmd(2024, 2, 29));
    expect(tryParseDate('2024-13-01')).toBeUndefined();
    expect(tryParseDate('2024-1-01')).toBeUndefined();
    expect(() => parseDate('nope')).toThrow(/"nope"/);
  });
});

describe('instants', () => {
  it('parses the offset, and agrees with Date.parse', () => {
    expect(parseInstant('2024-11-07T16:30:00Z')).toBe(Date.parse('2024-11-07T16:30:00Z'));
    expect(parseInstant('2025-09-22T10:15+08:00')).toBe(Date.parse('2025-09-22T10:15:00+08:00'));
    expect(parseInstant('2025-09-22T10:15:00.123456789-05:30')).toBe(Date.parse('2025-09-22T10:15:00.123-05:30'));
    expect(tryParseInstant('2025-09-22T10:15:00')).toBeUndefined();
    expect(tryParseInstant('2025-02-30T10:15:00Z')).toBeUndefined();
    expect(() => parseInstant('x')).toThrow(RangeError);
  });
  it('formats in the zone with its offset, and parses back to the same instant', () => {
    expect(formatInstant(parseInstant('2024-11-07T16:30:00Z'), 'Asia/Shanghai')).toBe('2024-11-08T00:30:00.000+08:00');
    expect(formatInstant(parseInstant('2024-07-01T12:00:00Z'), 'America/New_York')).toBe(
      '2024-07-01T08:00:00.000-04:00',
    );
    expect(formatInstant(parseInstant('2024-01-01T12:00:00Z'), 'America/New_York')).toBe(
      '2024-01-01T07:00:00.000-05:00',
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2140, 0, 1) }),
        fc.constantFrom(
          'Asia/Shanghai',
          'UTC',
          'America/New_York',
          'Europe/Berlin',
          'Australia/Lord_Howe',
          'Asia/Kathmandu',
        ),
        (ms, zone) => {
          const text = formatInstant(ms, zone);
          expect(parseInstant(text)).toBe(ms);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('zone clock', () => {
  it('dayOf and startOfDay agree for DST zones, including transition days', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Asia/Shanghai', 'America/Sao_Paulo']) {
      const clock = zoneClock(zone);
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
          const d = clock.dayOf(ms);
          expect(clock.startOfDay(d)).toBeLessThanOrEqual(ms);
          expect(clock.startOfDay(d + 1)).toBeGreaterThan(ms);
          expect(formatInstant(ms, zone).slice(0, 10)).toBe(formatDate(d));
        }),
        { numRuns: 150 },
      );
    }
  });
  it("Shanghai days start at 00:00 +08:00; New York's spring-forward day is 23 h long", () => {
    const sh = zoneClock('Asia/Shanghai');
    expect(sh.startOfDay(parseDate('2024-02-23'))).toBe(parseInstant('2024-02-23T00:00:00+08:00'));
    const ny = zoneClock('America/New_York');
    const d = parseDate('2024-03-10');
    expect(ny.startOfDay(d + 1) - ny.startOfDay(d)).toBe(23 * 3_600_000);
  });
  it('rejects unknown zones', () => {
    expect(() => zoneClock('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});

describe('the fixed-form instant fast path', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  // Parts near the valid ranges (and some junk), so that both accepted and rejected forms come up.
  const field = (max: number) =>
    fc.oneof(
      { arbitrary: fc.integer({ min: 0, max }).map(two), weight: 12 },
      { arbitrary: fc.constantFrom('1', '1a', ' 1', '０1', '-1', '+1', '1.'), weight: 1 },
    );
  const form = fc
    .record({
      year: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), weight: 12 },
        { arbitrary: fc.constantFrom('99', '+2024', '20x4', '2024', '2100', '2000'), weight: 3 },
      ),
      month: field(13),
      day: fc.oneof(field(32), fc.constantFrom('28', '29', '30', '31')),
      hour: field(25),
      minute: field(61),
      second: field(61),
      ms: fc.oneof(
        fc.constant(''),
        fc.integer({ min: 0, max: 999 }).map((m) => `.${String(m).padStart(3, '0')}`),
        fc.constantFrom('.1', '.12', '.1234', '.', '.9x9'),
      ),
      offset: fc.oneof(
        fc.constantFrom(
          'Z',
          'z',
          '+08:00',
          '-05:30',
          '+00:00',
          '+24:00',
          '+08:60',
          '+0800',
          '08:00',
          ' +08:00',
          '+08:00 ',
        ),
        fc.tuple(fc.constantFrom('+', '-'), field(25), field(61)).map(([s, h, m]) => `${s}${h}:${m}`),
      ),
      sep: fc.constantFrom('T', 'T', 'T', 't', ' '),
    })
    .map((p) => `${p.year}-${p.month}-${p.day}${p.sep}${p.hour}:${p.minute}:${p.second}${p.ms}${p.offset}`);
  // A valid instant with one character replaced.
  const mutated = fc
    .tuple(
      fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2150, 11, 31) }),
      fc.boolean(),
      fc.nat(),
      fc.constantFrom(...'0159-:T.Z+ x'),
    )
    .map(([ms, local, i, c]) => {
      const text = local ? formatInstant(ms, 'Asia/Shanghai') : new Date(ms).toISOString();
      const at = i % text.length;
      return text.slice(0, at) + c + text.slice(at + 1);
    });

  it('agrees with the general pattern on every input, valid or not', () => {
    fc.assert(
      fc.property(fc.oneof(form, mutated), (text) => {
        const fast = parseFixedInstant(text);
        const general = tryParseInstantByPattern(text);
        if (!Number.isNaN(fast)) expect(fast).toBe(general);
        expect(tryParseInstant(text)).toBe(general);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for the forms events use, and agrees with Date.parse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2150, 11, 31) }),
        fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'),
        (ms, zone) => {
          const withMs = formatInstant(ms, zone);
          expect(parseFixedInstant(withMs)).toBe(ms);
          const whole = Math.floor(ms / 1000) * 1000;
          const iso = new Date(whole).toISOString().replace('.000Z', 'Z');
          expect(parseFixedInstant(iso)).toBe(whole);
          expect(parseFixedInstant(withMs.slice(0, 19) + withMs.slice(23))).toBe(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves other valid forms to the pattern', () => {
    expect(parseFixedInstant('2024-02-23T24:00:00+08:00')).toBeNaN();
    expect(tryParseInstant('2024-02-23T24:00:00+08:00')).toBe(Date.parse('2024-02-24T00:00:00+08:00'));
    expect(parseFixedInstant('2025-09-22T10:15+08:00')).toBeNaN();
    expect(parseFixedInstant('2025-02-29T10:15:00Z')).toBeNaN();
    expect(tryParseInstant('2025-02-29T10:15:00Z')).toBeUndefined();
    expect(parseFixedInstant('2024-02-29T10:15:00Z')).toBe(Date.parse('2024-02-29T10:15:00Z'));
    expect(parseFixedInstant('2000-02-29T10:15:00.000+08:00')).toBe(Date.parse('2000-02-29T10:15:00.000+08:00'));
    expect(tryParseInstant('2100-02-29T10:15:00.000+08:00')).toBeUndefined();
    expect(tryParseInstant('2025-04-31T10:15:00.000+08:00')).toBeUndefined();
  });
});

describe("tryParseInstant on the store's recordedAt", () => {
  it("reads the store's toISOString form exactly as Date.parse does", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2150, 11, 31) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(tryParseInstant(text)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to the general parser for other forms, and rejects garbage', () => {
    expect(tryParseInstant('2025-09-22T10:15:00+08:00')).toBe(Date.parse('2025-09-22T10:15:00+08:00'));
    expect(tryParseInstant('2025-13-22T10:15:00.000Z')).toBeUndefined();
    expect(tryParseInstant('2025-02-30T10:15:00.000Z')).toBeUndefined();
    expect(tryParseInstant('2025x02-20T10:15:00.000Z')).toBeUndefined();
    expect(tryParseInstant('not a time')).toBeUndefined();
  });
});
