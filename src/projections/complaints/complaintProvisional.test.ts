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
import { listCards } from '../cardRegister.js';
import { NO_NAMES } from '../rowNames.js';
import { complaintDetail } from './complaintDetail.js';
import { complaintListToCsv, listComplaints } from './complaintList.js';
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

/**
 * The office's lists said nothing of it: GET /complaints rows (and their CSV) and the complaint
 * cards of GET /cards had no `provisional`, while the case list's rows and the cases' cards do
 * (caseList.ts, cardRegister.ts). Same field, same presence rules: a list row always carries the
 * boolean (the CSV its 时限为预测 column), a card only `provisional: true`, absent otherwise.
 */
describe('complaint list rows and complaint cards carry provisional as case rows and case cards do', () => {
  // P-1 accepted Tue 2026-12-22: its answer falls due in January 2027 (predicted). P-0: received,
  // accepted late (its complaint-undecided card) and closed in 2025, every day in published years.
  const events = [
    received('2026-12-21T10:00:00+08:00', {}, 'P-1'),
    acceptedC('2026-12-22T10:00:00+08:00', 'P-1'),
    received('2025-09-22T10:00:00+08:00', {}, 'P-0'),
    acceptedC('2025-09-30T10:00:00+08:00', 'P-0'),
    answeredC('2025-10-09T10:00:00+08:00', 'substantiated', 'P-0'),
    closedC('2025-10-10T10:00:00+08:00', 'satisfied', 'P-0'),
  ];
  const now = parseInstant('2027-01-20T12:00:00+08:00');
  const projection = () => {
    const p = new ComplaintProjection(timing);
    for (const [i, e] of events.entries())
      p.apply({ streamId: `complaint-${e.complaintId}`, position: BigInt(i + 1), data: e, recordedAt: e.occurredAt });
    return p;
  };

  it('GET /complaints: each row says provisional (true or false), as does its CSV', () => {
    const complaints = projection();
    const list = listComplaints({ limit: 10 }, { complaints, alertsOf: () => [], zone: ZONE, now, names: NO_NAMES });
    // Before: no field on either row.
    expect(list.items.map((r) => [r.complaintId, r.provisional])).toEqual([
      ['P-1', true],
      ['P-0', false],
    ]);
    // The same flag as the complaint's own read.
    expect(complaints.timelineOf(complaints.get('P-1')!, now)?.provisional).toBe(true);
    const lines = complaintListToCsv(list.items)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/,当前告警,时限为预测$/);
    expect(lines.slice(1).map((l) => [l.split(',')[0], l.split(',').at(-1)])).toEqual([
      ['P-1', '是'],
      ['P-0', '否'],
    ]);
  });

  it('GET /cards: a complaint card says provisional: true when its complaint is, and nothing when not', () => {
    const complaints = projection();
    const register = listCards(
      { from: '2025-01-01', to: '2027-02-01', subject: 'complaint', limit: 50 },
      {
        entries: [],
        evaluate: () => undefined,
        explain: () => undefined,
        zone: ZONE,
        now,
        names: NO_NAMES,
        complaints: {
          all: () => complaints.all(),
          timelineOf: (s, at) => complaints.timelineOf(s, at),
          policyOf: (s) => complaints.policyOf(s),
        },
      },
    );
    const p1 = register.items.filter((r) => r.complaintId === 'P-1');
    const p0 = register.items.filter((r) => r.complaintId === 'P-0');
    expect(p1.map((r) => r.rule)).toEqual(['complaint-answer-warning', 'complaint-overdue']);
    expect(p0.map((r) => r.rule)).toEqual(['complaint-undecided']);
    // Before: no complaint card had the field.
    for (const r of p1) expect(r.provisional).toBe(true);
    for (const r of p0) expect(r).not.toHaveProperty('provisional');
  });
});
