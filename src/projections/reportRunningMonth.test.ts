/**
 * A month still running (the report read before its end): its figures cover the days so far, and
 * the report says so — in `runningThrough`, the summary and the CSV — instead of reading as the
 * whole month; "open and overdue at the end" is open and overdue now.
 */
import { describe, expect, it } from 'vitest';
import { accepted } from '../domain/testing/fixtures.js';
import { parseInstant } from '../domain/time.js';
import { computeMonthlyReport, monthlyReportToCsv } from './report.js';
import { makeRig, ZONE } from './testSupport.js';

const VERSIONS = { calendarVersion: 'cal@test', policyVersionOf: () => 'policy@test' };

describe('a month still running', () => {
  it('says which days it covers: runningThrough, 1日至N日 in the summary, the CSV period; a past month does not', () => {
    const running = computeMonthlyReport(
      () => [],
      '2026-12',
      undefined,
      ZONE,
      parseInstant('2026-12-03T00:34:00+08:00'),
      VERSIONS,
    );
    expect(running.runningThrough).toBe('2026-12-03');
    // Before: "2026年12月，…全月未收到效能投诉", as if the month were over.
    expect(running.summary).toMatch(/^2026年12月1日至3日，/);
    expect(running.summary).not.toContain('全月');
    expect(monthlyReportToCsv(running)).toContain('2026-12-01 至 2026-12-03（本月未结束）');
    const past = computeMonthlyReport(
      () => [],
      '2026-11',
      undefined,
      ZONE,
      parseInstant('2026-12-03T00:34:00+08:00'),
      VERSIONS,
    );
    expect(past.runningThrough).toBeUndefined();
    expect(past.summary).toMatch(/^2026年11月，/);
    expect(past.summary).toContain('全月未收到效能投诉');
  });

  it('counts a case as overdue at the end only once its overdue card has started by the instant read', async () => {
    const rig = await makeRig('2026-12-30T23:58:00+08:00');
    try {
      // 1 working day from 12-29: overdue from 12-31 00:00. An escalation recorded 5 minutes ahead of the
      // clock makes the fold read the case at 00:03, so its overdue card is known before it starts.
      await rig.append(accepted('RUN-1', '2026-12-29T10:00:00+08:00', 1));
      await rig.append({
        type: 'CaseEscalated',
        caseId: 'RUN-1',
        occurredAt: '2026-12-31T00:03:00+08:00',
        level: 'reminder',
        by: 'office',
      });
      const overdueAtEnd = () =>
        rig.projections.readModels.stats({ from: '2026-12-01', to: '2027-01-01' }).flow.overdueOpenAtEnd;
      // Before: 1 at 23:58 (the card's start ≤ the period's end), while the case was not yet overdue.
      expect(overdueAtEnd()).toBe(0);
      rig.scheduler.advanceTo(parseInstant('2026-12-31T00:00:00+08:00'));
      expect(overdueAtEnd()).toBe(1);
    } finally {
      await rig.projections.stop();
    }
  });
});
