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
const entryOf = (caseId: string, events: Record<string, unknown>[], asOf: string) => {
  const state = foldEvents(
    caseId,
    events.map((e) => ev({ caseId, ...e })),
  );
  const entry = newEntry(caseId, state);
  recordFacts(entry, state, timelineOf(state, parseInstant(asOf), DEFAULT_POLICY, calendar)!, calendar);
  return entry;
};
const accepted = {
  type: 'CaseAccepted',
  occurredAt: '2025-03-03T09:00:00+08:00',
  centerId: 'c',
  departmentId: 'd',
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 20,
  channel: 'window',
};
// Reminders (3 days) on Tue 03-04: due by the end of Fri 03-07.
const escalation = { type: 'CaseEscalated', occurredAt: '2025-03-04T10:00:00+08:00', level: 'reminder', by: 'office' };

describe('stats: extensions and replies to escalations (SPEC §5 flow figures)', () => {
  it('counts extensions and replies in the period, and the replies due in it answered in time', () => {
    const entries = [
      entryOf(
        'S-1',
        [
          accepted,
          escalation,
          { type: 'CaseEscalationAnswered', occurredAt: '2025-03-07T16:00:00+08:00', escalationId: 'e1' },
          {
            type: 'CaseExtended',
            occurredAt: '2025-03-10T10:00:00+08:00',
            days: 5,
            approvedBy: '局长',
            reason: '核查',
          },
        ],
        '2025-03-31T12:00:00+08:00',
      ),
      entryOf(
        'S-2',
        [
          accepted,
          escalation,
          { type: 'CaseEscalationAnswered', occurredAt: '2025-03-10T09:00:00+08:00', escalationId: 'e1' },
        ],
        '2025-03-31T12:00:00+08:00',
      ),
      entryOf('S-3', [accepted, escalation], '2025-03-31T12:00:00+08:00'),
    ];
    const march = computeStats(
      entries,
      { from: '2025-03-01', to: '2025-04-01' },
      ZONE,
      parseInstant('2025-03-31T12:00:00+08:00'),
      DEFAULT_VERSIONS,
    );
    expect(march.flow).toMatchObject({
      extensions: 1,
      escalationsAnswered: 2,
      escalationsDue: 3,
      answeredOnTime: 1,
      answeredOnTimeRate: 0.3333,
    });
    // A period that ends on the respond-by day 03-07 does not yet hold it: due in [03-08, …).
    const early = computeStats(
      entries,
      { from: '2025-03-01', to: '2025-03-07' },
      ZONE,
      parseInstant('2025-03-31T12:00:00+08:00'),
      DEFAULT_VERSIONS,
    );
    expect(early.flow).toMatchObject({ escalationsDue: 0, answeredOnTimeRate: null, extensions: 0 });
  });

  it('a running month counts only the replies already due: one due later this month is not yet missed', () => {
    // Asked on Thu 03-06 (day 3 of the reminder's 3 not over): S-3's reply, unanswered, is due at the end of 03-07.
    const thursday = '2025-03-06T12:00:00+08:00';
    const entries = [entryOf('S-3', [accepted, escalation], thursday)];
    const month = { from: '2025-03-01', to: '2025-04-01' };
    const asked = computeStats(entries, month, ZONE, parseInstant(thursday), DEFAULT_VERSIONS);
    expect(asked.flow).toMatchObject({ escalationsDue: 0, answeredOnTime: 0, answeredOnTimeRate: null });
    // Asked on Monday 03-10, the day after it fell due: missed.
    const monday = computeStats(entries, month, ZONE, parseInstant('2025-03-10T09:00:00+08:00'), DEFAULT_VERSIONS);
    expect(monday.flow).toMatchObject({ escalationsDue: 1, answeredOnTime: 0, answeredOnTimeRate: 0 });
  });

  it('a reply on a case completed before it fell due is not due (no escalation-unanswered card either)', () => {
    const done = (at: string) => ({ type: 'CaseCompleted', occurredAt: at, outcome: 'approved' });
    const asOf = '2025-03-31T12:00:00+08:00';
    const entries = [
      // Completed Wed 03-05, unanswered: the reply (due at the end of 03-07) never fell due. Before: a miss.
      entryOf('C-1', [accepted, escalation, done('2025-03-05T10:00:00+08:00')], asOf),
      // Answered 03-05 and completed 03-06: on time.
      entryOf(
        'C-2',
        [
          accepted,
          escalation,
          { type: 'CaseEscalationAnswered', occurredAt: '2025-03-05T09:00:00+08:00', escalationId: 'e1' },
          done('2025-03-06T10:00:00+08:00'),
        ],
        asOf,
      ),
      // Completed on Mon 03-10, unanswered: open when the reply fell due, a miss (and a red card).
      entryOf('C-3', [accepted, escalation, done('2025-03-10T10:00:00+08:00')], asOf),
    ];
    const march = computeStats(
      entries,
      { from: '2025-03-01', to: '2025-04-01' },
      ZONE,
      parseInstant(asOf),
      DEFAULT_VERSIONS,
    );
    expect(march.flow).toMatchObject({ escalationsDue: 2, answeredOnTime: 1, answeredOnTimeRate: 0.5 });
    // One escalation-unanswered card, C-3's: the base is the replies that were on time or drew a card.
    expect(march.flow.cards.find((c) => c.rule === 'escalation-unanswered')?.count).toBe(1);
  });
});
