import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayFromYmd, formatDate, formatInstant, parseDate, parseInstant, tryParseDate, tryParseInstant, ymdFromDay, MS_PER_DAY } from './time.js';
import { zoneClock } from './zone.js';

describe('dates', () => {
  it('round-trips epoch days through YYYY-MM-DD and agrees with Date', () => {
    fc.assert(fc.property(fc.integer({ min: -200_000, max: 200_000 }), (d) => {
      expect(parseDate(formatDate(d))).toBe(d);
      const { year, month, day } = ymdFromDay(d);
      expect(dayFromYmd(year, month, day)).toBe(d);
      const iso = new Date(d * MS_PER_DAY).toISOString();
      if (year >= 0 && year <= 9999) expect(formatDate(d)).toBe(iso.slice(0, 10));
    }), { numRuns: 300 });
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
    expect(formatInstant(parseInstant('2024-07-01T12:00:00Z'), 'America/New_York')).toBe('2024-07-01T08:00:00.000-04:00');
    expect(formatInstant(parseInstant('2024-01-01T12:00:00Z'), 'America/New_York')).toBe('2024-01-01T07:00:00.000-05:00');
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2140, 0, 1) }),
      fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu'),
      (ms, zone) => {
        const text = formatInstant(ms, zone);
        expect(parseInstant(text)).toBe(ms);
      }), { numRuns: 300 });
  });
});

describe('zone clock', () => {
  it('dayOf and startOfDay agree for DST zones, including transition days', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Asia/Shanghai', 'America/Sao_Paulo']) {
      const clock = zoneClock(zone);
      fc.assert(fc.property(fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const d = clock.dayOf(ms);
        expect(clock.startOfDay(d)).toBeLessThanOrEqual(ms);
        expect(clock.startOfDay(d + 1)).toBeGreaterThan(ms);
        expect(formatInstant(ms, zone).slice(0, 10)).toBe(formatDate(d));
      }), { numRuns: 150 });
    }
  });
  it('Shanghai days start at 00:00 +08:00; New York\'s spring-forward day is 23 h long', () => {
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
