import { describe, expect, it } from 'vitest';
import { CountedAhead, countedCardKey, leftToCount } from './countedAhead.js';

const HOUR = 3_600_000;
const card = (start: number) => ({ rule: 'overdue', color: 'red', start });

describe('the cards counted ahead of the live-until record (session 26)', () => {
  it('names those after the instant recorded and forgets the others', () => {
    const counted = new CountedAhead();
    for (const start of [10, 20, 30]) counted.note(countedCardKey('case', 'K-1', card(start)), start, 0);
    expect(counted.after(15)).toEqual(['case K-1 overdue red 20', 'case K-1 overdue red 30']);
    expect(counted.after(Number.NEGATIVE_INFINITY)).toEqual(['case K-1 overdue red 20', 'case K-1 overdue red 30']);
  });

  it('stays bounded with no record asking (no snapshot file): cards over an hour old are forgotten', () => {
    const counted = new CountedAhead();
    const now = 100 * HOUR;
    for (let i = 0; i < 5000; i++) counted.note(countedCardKey('case', `K-${i}`, card(0)), 0, now);
    counted.note(countedCardKey('case', 'K-new', card(now)), now, now);
    expect(counted.after(Number.NEGATIVE_INFINITY).length).toBeLessThanOrEqual(1025);
  });

  it('go-live counts a card started after the instant unless it was counted ahead, and keeps case and complaint apart', () => {
    const before = { until: 15, ahead: new Set([countedCardKey('case', 'K-1', card(20))]) };
    expect(leftToCount(before, 'case', 'K-1', card(10))).toBe(false);
    expect(leftToCount(before, 'case', 'K-1', card(20))).toBe(false);
    expect(leftToCount(before, 'complaint', 'K-1', card(20))).toBe(true);
    expect(leftToCount(before, 'case', 'K-2', card(20))).toBe(true);
  });
});
