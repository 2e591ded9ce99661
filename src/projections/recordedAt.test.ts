import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRecordedAt } from './recordedAt.js';

describe('parseRecordedAt', () => {
  it('reads the store\'s toISOString form exactly as Date.parse does', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2150, 11, 31) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseRecordedAt(text)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to the general parser for other forms, and rejects garbage', () => {
    expect(parseRecordedAt('2025-09-22T10:15:00+08:00')).toBe(Date.parse('2025-09-22T10:15:00+08:00'));
    expect(parseRecordedAt('2025-13-22T10:15:00.000Z')).toBeUndefined();
    expect(parseRecordedAt('2025-02-30T10:15:00.000Z')).toBeUndefined();
    expect(parseRecordedAt('2025x02-20T10:15:00.000Z')).toBeUndefined();
    expect(parseRecordedAt('not a time')).toBeUndefined();
  });
});
