/**
 * A month still running (the report read before its end): its figures cover the days so far, and
 * the report says so — in `runningThrough`, the summary and the CSV — instead of reading as the
 * whole month; "open and overdue at the end" is open and overdue now.
 */
import { describe, expect, it } from 'vitest';
import { accepted } from '../domain/testing/fixtures.js';
import { dayFromYmd, formatDate, parseInstant } from '../domain/time.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { computeMonthlyReport, monthlyReportToCsv } from './report.js';
import { appendBody, type Body, makeRig, ZONE } from './testSupport.js';

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

  it('is compared with the same days of the month before and of the year before (同期), not their whole', async () => {
    // One case a day, accepted and completed the same morning: every stretch of days has as many.
    let clock = 0;
    const store = new MemoryEventStore({ clock: () => clock });
    const oneCaseEachDay = async (first: number, last: number, append: (body: Body) => Promise<unknown>) => {
      for (let day = first; day <= last; day++) {
        const date = formatDate(day);
        clock = parseInstant(`${date}T10:00:00+08:00`);
        await append(accepted(`D-${date}`, `${date}T09:00:00+08:00`, 0) as unknown as Body);
        await append({
          type: 'CaseCompleted',
          caseId: `D-${date}`,
          occurredAt: `${date}T10:00:00+08:00`,
          outcome: 'approved',
        });
      }
    };
    const toStore = (body: Body) => appendBody(store, body);
    await oneCaseEachDay(dayFromYmd(2024, 3, 1), dayFromYmd(2024, 3, 31), toStore);
    await oneCaseEachDay(dayFromYmd(2025, 2, 1), dayFromYmd(2025, 3, 10), toStore);
    const rig = await makeRig('2025-03-10T18:00:00+08:00', { store });
    try {
      const report = rig.projections.readModels.monthlyReport('2025-03');
      expect(report.runningThrough).toBe('2025-03-10');
      expect([report.kpis.cohort.accepted, report.previousYear.kpis.cohort.accepted]).toEqual([10, 10]);
      expect(report.previousMonth.kpis.cohort.accepted).toBe(10);
      // Before: 10 against the 31 of March 2024 and the 28 of February, 同比下降67.74%，环比下降64.29%.
      expect(report.previousYear.growth.accepted).toEqual({ unit: 'percent', value: 0 });
      expect(report.summary).toContain('接件总数同比持平，环比持平');
      expect(report.previousYear).toMatchObject({ from: '2024-03-01', to: '2024-03-11', through: '2024-03-10' });
      expect(report.previousMonth).toMatchObject({ from: '2025-02-01', to: '2025-02-11', through: '2025-02-10' });
      const csv = monthlyReportToCsv(report);
      expect(csv).toContain('去年同期 2024-03-01 至 2024-03-10');
      expect(csv).toContain('上月同期 2025-02-01 至 2025-02-10');
      // Day 31 of a running March: all of February (28 days), the first 31 of March 2024 (all of it).
      rig.scheduler.advanceTo(parseInstant('2025-03-31T18:00:00+08:00'));
      await oneCaseEachDay(dayFromYmd(2025, 3, 11), dayFromYmd(2025, 3, 31), (body) => rig.append(body));
      const late = rig.projections.readModels.monthlyReport('2025-03');
      expect(late.previousMonth).toMatchObject({ from: '2025-02-01', to: '2025-03-01' });
      expect(late.previousMonth.through).toBeUndefined();
      expect(late.previousYear.through).toBeUndefined();
      expect([late.kpis.cohort.accepted, late.previousMonth.kpis.cohort.accepted]).toEqual([31, 28]);
      // A month that is over compares whole months.
      const past = rig.projections.readModels.monthlyReport('2025-02');
      expect(past.previousYear.through).toBeUndefined();
      expect(monthlyReportToCsv(past)).toContain('去年同月 2024-02');
    } finally {
      await rig.projections.stop();
    }
  });

  it('counts what fell due over the same ended days: a reply due each day, read on day 10 at 18:00, is 9 both sides', async () => {
    let clock = 0;
    const store = new MemoryEventStore({ clock: () => clock });
    // Each day a case and a reminder answerable the same day (respondWithinDays 0), never answered.
    const each = async (first: number, last: number) => {
      for (let day = first; day <= last; day++) {
        const date = formatDate(day);
        clock = parseInstant(`${date}T10:00:00+08:00`);
        await appendBody(store, accepted(`E-${date}`, `${date}T09:00:00+08:00`, 30) as unknown as Body);
        await appendBody(store, {
          type: 'CaseEscalated',
          caseId: `E-${date}`,
          occurredAt: `${date}T10:00:00+08:00`,
          level: 'reminder',
          by: 'office',
          respondWithinDays: 0,
        });
      }
    };
    await each(dayFromYmd(2024, 3, 1), dayFromYmd(2024, 3, 31));
    await each(dayFromYmd(2025, 2, 1), dayFromYmd(2025, 3, 10));
    const rig = await makeRig('2025-03-10T18:00:00+08:00', { store });
    try {
      const report = rig.projections.readModels.monthlyReport('2025-03');
      const due = (k: { flow: { escalationsDue: number } }) => k.flow.escalationsDue;
      // Day 10's reply falls due at its end, after 18:00. Before: 9 against 10 (the compared days whole).
      expect([due(report.kpis), due(report.previousMonth.kpis), due(report.previousYear.kpis)]).toEqual([9, 9, 9]);
      expect(report.kpis.cohort.accepted).toBe(report.previousMonth.kpis.cohort.accepted);
    } finally {
      await rig.projections.stop();
    }
  });
});
