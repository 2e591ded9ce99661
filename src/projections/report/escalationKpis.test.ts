/**
 * SPEC §4: the monthly report gives the §5 KPIs of the month and of the two compared months "each
 * with growth", and its CSV "every section". §5's flow figures include `escalations`, and (edition 2)
 * `extensions`, `escalationsAnswered` and `answeredOnTimeRate`: they were in the JSON `kpis` only,
 * with no growth and no row in the CSV's 主要指标 (the key figures a 通报 is copied from).
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  decodeCaseEvent,
  defaultCalendar,
  foldEvents,
  parseInstant,
  timelineOf,
  type CaseEvent,
} from '../../domain/index.js';
import { newEntry } from '../caseEntry.js';
import { recordFacts } from '../caseFacts.js';
import { computeMonthlyReport, monthlyReportToCsv } from '../report.js';
import { DEFAULT_VERSIONS, ZONE } from '../testSupport.js';

const calendar = defaultCalendar(ZONE);
const ASOF = parseInstant('2025-04-20T12:00:00+08:00');
const ev = (json: Record<string, unknown>): CaseEvent => {
  const r = decodeCaseEvent(json);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
};
const entryOf = (caseId: string, events: Record<string, unknown>[]) => {
  const state = foldEvents(
    caseId,
    events.map((e) => ev({ caseId, ...e })),
  );
  const entry = newEntry(caseId, state);
  recordFacts(entry, state, timelineOf(state, ASOF, DEFAULT_POLICY, calendar)!, calendar);
  return entry;
};
const accepted = (day: string) => ({
  type: 'CaseAccepted',
  occurredAt: `${day}T09:00:00+08:00`,
  centerId: 'c1',
  departmentId: 'd1',
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 10,
  channel: 'window',
});
const escalated = (day: string) => ({
  type: 'CaseEscalated',
  occurredAt: `${day}T09:00:00+08:00`,
  level: 'reminder',
  by: '效能办',
});
const completed = (day: string) => ({
  type: 'CaseCompleted',
  occurredAt: `${day}T10:00:00+08:00`,
  outcome: 'approved',
});

// February 2025: a reminder of Tue 02-04 never answered (due by the end of Fri 02-07).
// March 2025: a reminder of Tue 03-04 answered on 03-05 (in time), and an extension of 2 days on 03-06.
const entries = [
  entryOf('FEB', [accepted('2025-02-03'), escalated('2025-02-04'), completed('2025-02-14')]),
  entryOf('MAR', [
    accepted('2025-03-03'),
    escalated('2025-03-04'),
    { type: 'CaseEscalationAnswered', occurredAt: '2025-03-05T09:00:00+08:00', escalationId: 'e1' },
    {
      type: 'CaseExtended',
      occurredAt: '2025-03-06T09:00:00+08:00',
      days: 2,
      approvedBy: '主任',
      reason: '需现场核查',
    },
    completed('2025-03-10'),
  ]),
];

describe('the monthly report: the escalation and extension KPIs of SPEC §5', () => {
  const report = computeMonthlyReport(() => entries, '2025-03', undefined, ZONE, ASOF, DEFAULT_VERSIONS);

  it('the month and the month before have them (as /stats)', () => {
    expect(report.kpis.flow).toMatchObject({
      escalations: { total: 1 },
      extensions: 1,
      escalationsAnswered: 1,
      escalationsDue: 1,
      answeredOnTime: 1,
      answeredOnTimeRate: 1,
    });
    expect(report.previousMonth.kpis.flow).toMatchObject({
      escalations: { total: 1 },
      extensions: 0,
      escalationsAnswered: 0,
      escalationsDue: 1,
      answeredOnTimeRate: 0,
    });
  });

  it('each has its growth: percent change for the counts, percentage points for the rate', () => {
    const g = report.previousMonth.growth as Record<string, { unit: string; value: number | null }>;
    expect(g.escalations).toEqual({ unit: 'percent', value: 0 });
    expect(g.extensions).toEqual({ unit: 'percent', value: null });
    expect(g.escalationsAnswered).toEqual({ unit: 'percent', value: null });
    expect(g.answeredOnTimeRate).toEqual({ unit: 'points', value: 100 });
  });

  it('the CSV key figures have a row for each', () => {
    const csv = monthlyReportToCsv(report).split('\r\n');
    const row = (name: string) => csv.find((line) => line.startsWith(`${name},`));
    expect(row('催办督办')).toBe('催办督办,1,0,,1,持平');
    expect(row('延期')).toBe('延期,1,0,,0,');
    expect(row('回告')).toBe('回告,1,0,,0,');
    expect(row('按时回告率')).toBe('按时回告率,100%,,,0%,上升100个百分点');
  });
});
