/**
 * SPEC §3: a result is `provisional: true` when a day between its start and the later of its
 * deadline date and the evaluation (or completion) date lies in a predicted year; SPEC §8 times
 * complaints with "the same calendar and counting as §3". A complaint whose answer is due in a
 * year the calendar only predicts (2027 with the pinned package) said nothing of it: its read
 * (GET /complaints/{id}, "one complaint with its timing") had no `provisional`, as a case's has.
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../domain/calendar/index.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { foldComplaint } from '../../domain/complaints/evolve.js';
import { acceptedC, answeredC, closedC, received } from '../../domain/complaints/testing.js';
import { complaintTimelineOf } from '../../domain/complaints/timeline.js';
import { DEFAULT_POLICY } from '../../domain/policy.js';
import { parseDate, parseInstant } from '../../domain/time.js';
import type { RecordedEvent } from '../../store/port.js';
import { complaintDetail } from './complaintDetail.js';
import { ComplaintProjection } from './complaintProjection.js';

const ZONE = 'Asia/Shanghai';
const cal = defaultCalendar(ZONE);
const timing = { calendar: () => cal, policyFor: () => DEFAULT_POLICY };

const recordedOf = (events: readonly ComplaintEvent[]): RecordedEvent[] =>
  events.map((e, i) => ({
    streamId: `complaint-${e.complaintId}`,
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: e.type,
    data: e as unknown as Record<string, unknown>,
    revision: BigInt(i),
    position: BigInt(i + 1),
    recordedAt: e.occurredAt,
  }));

const detailOf = (events: readonly ComplaintEvent[], asOf: string) =>
  complaintDetail(
    'q1',
    recordedOf(events),
    parseInstant(asOf),
    {
      complaints: new ComplaintProjection(timing),
      zone: ZONE,
      names: { centerName: () => undefined, departmentName: () => undefined },
    },
    timing,
  );

describe('a complaint timed over a predicted year is provisional (SPEC §3, §8)', () => {
  it('the calendar publishes 2025 and 2026, and only predicts 2027', () => {
    expect(cal.isProvisionalSpan(parseDate('2025-01-02'), parseDate('2026-11-30'))).toBe(false);
    expect(cal.isProvisionalSpan(parseDate('2026-11-30'), parseDate('2027-01-05'))).toBe(true);
  });

  // Accepted Tue 2026-12-22: the 15th working day after it lies in January 2027, a predicted year.
  const late2026 = [received('2026-12-21T10:00:00+08:00'), acceptedC('2026-12-22T10:00:00+08:00')];
  it('answer due in a predicted year: provisional, in the timeline and in the read', () => {
    const tl = complaintTimelineOf(
      foldComplaint('q1', late2026),
      parseInstant('2026-12-23T12:00:00+08:00'),
      DEFAULT_POLICY,
      cal,
    );
    expect(tl?.provisional).toBe(true);
    expect(detailOf(late2026, '2026-12-23T12:00:00+08:00')?.provisional).toBe(true);
  });

  it('within published years: not provisional', () => {
    const events = [
      received('2025-09-22T10:00:00+08:00'),
      acceptedC('2025-09-23T10:00:00+08:00'),
      answeredC('2025-10-09T10:00:00+08:00'),
      closedC('2025-10-10T10:00:00+08:00', 'satisfied'),
    ];
    expect(detailOf(events, '2025-11-03T12:00:00+08:00')?.provisional).toBe(false);
  });

  it('undecided, not yet accepted, decision due in 2026: not provisional until the days reach a predicted year', () => {
    const events = [received('2026-03-02T10:00:00+08:00')];
    expect(detailOf(events, '2026-03-03T12:00:00+08:00')?.provisional).toBe(false);
  });
});
