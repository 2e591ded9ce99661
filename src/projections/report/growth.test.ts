/**
 * Growth (同比 / 环比) is figured from the exact values behind the published,
 * rounded figures, and only the growth is rounded (session 16: 22/3 days
 * against 4 printed 增长83.25%, from 7.33, where exact is 83.33%).
 */
import { describe, expect, it } from 'vitest';
import { complaintFiguresOf, type ComplaintCounts } from '../complaints/complaintStats.js';
import { ratingFiguresOf, type RatingCounts } from '../ratingFigures.js';
import { Accumulator, kpisOf } from '../stats.js';
import { growthCell } from './csv.js';
import { figureGrowth, growthOf } from './growth.js';

const kpis = (counts: Partial<Accumulator>) => kpisOf(Object.assign(new Accumulator(), counts));

describe('growth from exact figures', () => {
  it('average used days: 22/3 against 4 is +83.33 % (not +83.25 % from the printed 7.33)', () => {
    const now = kpis({ completedInPeriod: 3, promisedCompleted: 3, usedDaysSum: 22 });
    const before = kpis({ completedInPeriod: 1, promisedCompleted: 1, usedDaysSum: 4 });
    expect(now.flow.avgUsedDays).toBe(7.33); // published rounded
    const growth = growthOf(now, before);
    expect(growth.avgUsedDays).toEqual({ unit: 'percent', value: 83.33 });
    expect(growthCell(growth.avgUsedDays)).toBe('增长83.33%');
  });

  it('a rate: 1/3 against 1/6 on time is +16.67 points (not +16.66 from 0.3333 and 0.1667)', () => {
    const now = kpis({ completedInPeriod: 3, onTime: 1 });
    const before = kpis({ completedInPeriod: 6, onTime: 1 });
    expect([now.flow.onTimeRate, before.flow.onTimeRate]).toEqual([0.3333, 0.1667]);
    expect(growthOf(now, before).onTimeRate).toEqual({ unit: 'points', value: 16.67 });
  });

  it('complaint and rating rates too', () => {
    const complaints = (satisfied: number, withSatisfaction: number): ComplaintCounts => ({
      received: 0,
      accepted: 0,
      rejected: 0,
      answered: 0,
      answersDue: 0,
      answeredOnTime: 0,
      closed: 0,
      closedOfAccepted: 0,
      withSatisfaction,
      satisfied,
      substantiated: {},
      cards: [],
    });
    const spec = [['satisfactionRate', 'points']] as const;
    expect(figureGrowth(spec, complaintFiguresOf(complaints(1, 3)), complaintFiguresOf(complaints(1, 6)))).toEqual({
      satisfactionRate: { unit: 'points', value: 16.67 },
    });
    const ratings = (five: number, one: number): RatingCounts => ({
      rated: five + one,
      byScore: [one, 0, 0, 0, five],
      completedInPeriod: 0,
      ratedOfCompleted: 0,
      followUpsDue: 0,
      followedUpOnTime: 0,
      followedUp: 0,
    });
    expect(figureGrowth(spec, ratingFiguresOf(ratings(1, 2)), ratingFiguresOf(ratings(1, 5)))).toEqual({
      satisfactionRate: { unit: 'points', value: 16.67 },
    });
  });

  it('counts are exact as they are; a copy of the figures falls back to the printed values', () => {
    const now = kpis({ accepted: 3 });
    const before = kpis({ accepted: 2 });
    expect(growthOf(now, before).accepted).toEqual({ unit: 'percent', value: 50 });
    const copy = { cohort: { ...now.cohort }, flow: { ...now.flow } };
    expect(growthOf(copy, before).accepted).toEqual({ unit: 'percent', value: 50 });
  });
});
