import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  decodeCaseEvent,
  defaultCalendar,
  foldEvents,
  parseInstant,
  timelineOf,
} from '../domain/index.js';
import type { CaseEvent } from '../domain/index.js';
import { newEntry } from './caseEntry.js';
import { recordFacts } from './caseFacts.js';
import { computeStats } from './stats.js';
import { DEFAULT_VERSIONS } from './testSupport.js';

const ZONE = 'Asia/Shanghai';
const calendar = defaultCalendar(ZONE);
const ev = (json: Record<string, unknown>): CaseEvent => {
  const r = decodeCaseEvent(json);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
};
const ASOF = '2025-06-30T12:00:00+08:00';
const entryOf = (caseId: string, events: Record<string, unknown>[]) => {
  const state = foldEvents(
    caseId,
    events.map((e) => ev({ caseId, ...e })),
  );
  const entry = newEntry(caseId, state);
  recordFacts(entry, state, timelineOf(state, parseInstant(ASOF), DEFAULT_POLICY, calendar)!, calendar);
  return entry;
};
const accepted = (departmentId: string) => ({
  type: 'CaseAccepted',
  occurredAt: '2025-03-03T09:00:00+08:00',
  centerId: 'c',
  departmentId,
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
});
const completed = (day: string) => ({
  type: 'CaseCompleted',
  occurredAt: `${day}T10:00:00+08:00`,
  outcome: 'approved',
});
const rated = (day: string, score: number) => ({
  type: 'CaseRated',
  occurredAt: `${day}T12:00:00+08:00`,
  score,
  channel: 'online',
});
const followUp = (day: string) => ({ type: 'RatingFollowedUp', occurredAt: `${day}T09:00:00+08:00`, note: '已回访' });

// March 2025: 差评 of Mon 03-10 due by the end of Fri 03-28 (15 working days); of Mon 03-17 due end of Mon 04-07
// (04-04 清明 is a holiday): due in April, not March.
const entries = [
  entryOf('R-1', [accepted('d1'), completed('2025-03-05'), rated('2025-03-05', 5)]),
  entryOf('R-2', [accepted('d1'), completed('2025-03-06'), rated('2025-03-07', 4)]),
  entryOf('R-3', [accepted('d1'), completed('2025-03-07'), rated('2025-03-10', 1), followUp('2025-03-20')]),
  entryOf('R-4', [accepted('d2'), completed('2025-03-07'), rated('2025-03-10', 2)]),
  entryOf('R-5', [accepted('d2'), completed('2025-03-12'), rated('2025-03-17', 2), followUp('2025-04-03')]),
  entryOf('R-6', [accepted('d2'), completed('2025-03-12')]),
  entryOf('R-7', [accepted('d2'), completed('2025-03-31'), rated('2025-04-01', 3)]),
];

describe('/stats ratings (SPEC §8)', () => {
  it('March: rated, satisfaction, 差评, rated share of completions and follow-ups due in the month', () => {
    const march = computeStats(
      entries,
      { from: '2025-03-01', to: '2025-04-01' },
      ZONE,
      parseInstant(ASOF),
      DEFAULT_VERSIONS,
    );
    expect(march.ratings).toEqual({
      rated: 5,
      byScore: { '1': 1, '2': 2, '3': 0, '4': 1, '5': 1 },
      satisfied: 2,
      satisfactionRate: 0.4,
      badRatings: 3,
      completedInPeriod: 7,
      ratedOfCompleted: 5, // R-7 was rated in April
      ratedShare: 0.7143,
      followUpsDue: 2, // R-3 and R-4 (due 03-28); R-5 is due in April
      followedUpOnTime: 1,
      followedUpOnTimeRate: 0.5,
      followedUp: 1,
    });
  });
  it('a running month counts only the follow-ups already due: asked on 03-25, R-3 and R-4 (due 03-28) are not yet', () => {
    const known = [entries[2]!, entries[3]!]; // R-3 followed up on 03-20, R-4 not yet
    const marchAsOf = (at: string) =>
      computeStats(known, { from: '2025-03-01', to: '2025-04-01' }, ZONE, parseInstant(at), DEFAULT_VERSIONS);
    expect(marchAsOf('2025-03-25T12:00:00+08:00').ratings).toMatchObject({
      followUpsDue: 0,
      followedUpOnTime: 0,
      followedUpOnTimeRate: null,
      followedUp: 1,
    });
    expect(marchAsOf(ASOF).ratings).toMatchObject({ followUpsDue: 2, followedUpOnTime: 1, followedUpOnTimeRate: 0.5 });
  });
  it('April: R-5 followed up in time, R-7 rated 3; by department', () => {
    const april = computeStats(
      entries,
      { from: '2025-04-01', to: '2025-05-01', groupBy: 'department' },
      ZONE,
      parseInstant(ASOF),
      DEFAULT_VERSIONS,
    );
    expect(april.ratings).toMatchObject({ rated: 1, followUpsDue: 1, followedUpOnTime: 1, followedUpOnTimeRate: 1 });
    expect(april.ratings.ratedShare).toBeNull(); // nothing completed in April
    // d2 shows for its ratings alone: nothing accepted, completed or open in April
    expect(april.groups!.map((g) => [g.key, g.ratings?.rated, g.ratings?.followUpsDue])).toEqual([['d2', 1, 1]]);
  });
  it('a rating changes no §5 figure', () => {
    const bare = entries.map((e) => ({ ...e, state: { ...e.state, rating: undefined }, followUpDue: Number.NaN }));
    const q = { from: '2025-03-01', to: '2025-05-01' };
    const { ratings: _a, ...withRatings } = computeStats(entries, q, ZONE, 0, DEFAULT_VERSIONS);
    const { ratings: _b, ...without } = computeStats(bare, q, ZONE, 0, DEFAULT_VERSIONS);
    expect(withRatings).toEqual(without);
  });
});
