import { afterEach, describe, expect, it } from 'vitest';
import { parseInstant } from '../domain/index.js';
import { accepted } from '../domain/testing/fixtures.js';
import { calendarEventData, CALENDAR_STREAM_ID, decodeCalendarYearPublished } from './calendarEvents.js';
import { makeRig, type Rig } from './testSupport.js';

const REAL_2026 = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`),
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d}`),
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};
/** What was known before the 2025-11-04 notice: only New Year's Day. */
const PARTIAL_2026 = { holidays: ['2026-01-01'], workdays: [] };

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

async function publish(rig: Rig, body: { holidays: string[]; workdays: string[] }): Promise<void> {
  // The stored event's rules, not the request's: PARTIAL_2026 is what an older engine stored.
  const decoded = decodeCalendarYearPublished({
    year: 2026,
    ...body,
    publishedAt: new Date(rig.scheduler.clock()).toISOString(),
  });
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  const r = await rig.store.append(CALENDAR_STREAM_ID, [calendarEventData(decoded.value)]);
  expect(await rig.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
}

describe('a calendar publication recomputes the open cases it touches (DOMAIN.md §7 case 10)', () => {
  it('accepted 2025-12-31, limit 1: due 2026-01-02 on the partial 2026, 2026-01-04 once the real 2026 is published', async () => {
    const rig = await makeRig('2025-10-01T09:00:00+08:00');
    rigs.push(rig);
    await publish(rig, PARTIAL_2026);
    const v1 = rig.calendarService.current().version;

    rig.scheduler.advanceTo(parseInstant('2025-12-31T10:00:00+08:00'));
    await rig.append(accepted('NY-1', '2025-12-31T10:00:00+08:00', 1));
    const rm = rig.projections.readModels;
    const now = () => rig.scheduler.clock();
    expect(rm.evaluateCase('NY-1', now())).toMatchObject({ deadlineDate: '2026-01-02', calendarVersion: v1 });

    rig.scheduler.advanceTo(parseInstant('2026-01-02T08:00:00+08:00'));
    expect(rm.activeAlerts().map((a) => [a.rule, a.startedAt, a.calendarVersion])).toEqual([
      ['deadline-warning', '2026-01-02T00:00:00.000+08:00', v1],
    ]);

    await publish(rig, REAL_2026);
    const v2 = rig.calendarService.current().version;
    expect(v2).not.toBe(v1);
    expect(rm.evaluateCase('NY-1', now())).toMatchObject({
      deadlineDate: '2026-01-04',
      dueAt: '2026-01-05T00:00:00.000+08:00',
      calendarVersion: v2,
    });
    // The warning computed on the partial calendar is withdrawn: day 1 is now Sunday 2026-01-04 (make-up day).
    expect(rm.activeAlerts()).toEqual([]);
    expect(rig.alerts.at(-1)).toMatchObject({
      type: 'alert-cleared',
      alert: { rule: 'deadline-warning', calendarVersion: v1 },
    });

    rig.scheduler.advanceTo(parseInstant('2026-01-04T00:00:00+08:00'));
    expect(rm.activeAlerts().map((a) => [a.rule, a.startedAt, a.calendarVersion])).toEqual([
      ['deadline-warning', '2026-01-04T00:00:00.000+08:00', v2],
    ]);
    rig.scheduler.advanceTo(parseInstant('2026-01-05T00:00:00+08:00'));
    expect(rm.activeAlerts().map((a) => [a.rule, a.startedAt, a.calendarVersion, a.policyVersion])).toEqual([
      ['overdue', '2026-01-05T00:00:00.000+08:00', v2, rm.evaluateCase('NY-1', now())!.policyVersion],
    ]);

    // The calendar is event-sourced: a fresh start on the same store ends on the same calendar and alerts.
    const again = await makeRig(now(), { store: rig.store });
    rigs.push(again);
    expect(again.calendarService.current().version).toBe(v2);
    expect(again.projections.readModels.activeAlerts()).toEqual(rm.activeAlerts());
  });

  it('an active alert whose instant moves is re-raised with the new calendar version', async () => {
    const rig = await makeRig('2025-10-01T09:00:00+08:00');
    rigs.push(rig);
    await publish(rig, PARTIAL_2026);
    rig.scheduler.advanceTo(parseInstant('2025-12-29T10:00:00+08:00'));
    await rig.append(accepted('NY-2', '2025-12-29T10:00:00+08:00', 3));
    // Partial 2026: days 12-30, 12-31, 01-02 → due 2026-01-03 00:00; overdue from then.
    rig.scheduler.advanceTo(parseInstant('2026-01-06T12:00:00+08:00'));
    expect(rig.projections.readModels.activeAlerts().map((a) => [a.rule, a.startedAt])).toEqual([
      ['overdue', '2026-01-03T00:00:00.000+08:00'],
    ]);
    await publish(rig, REAL_2026);
    // Real 2026: days 12-30, 12-31, 01-04 → due 2026-01-05 00:00: still overdue, from a later instant.
    expect(rig.alerts.at(-1)).toMatchObject({
      type: 'alert-raised',
      alert: {
        key: 'NY-2/overdue',
        startedAt: '2026-01-05T00:00:00.000+08:00',
        calendarVersion: rig.calendarService.current().version,
      },
    });
    expect(rig.projections.readModels.activeAlerts()).toHaveLength(1);
  });

  it('an active alert the publication does not change is not raised again: its versions are updated in place', async () => {
    const rig = await makeRig('2025-10-01T09:00:00+08:00');
    rigs.push(rig);
    await publish(rig, REAL_2026);
    await rig.append(accepted('OCT-1', '2025-10-09T10:00:00+08:00', 1));
    rig.scheduler.advanceTo(parseInstant('2025-10-20T09:00:00+08:00'));
    const before = rig.projections.readModels.activeAlerts();
    expect(before.map((a) => a.rule)).toEqual(['overdue']);
    const events = rig.alerts.length;
    // 2026 again with one more make-up day in May: nothing of October 2025 moves.
    await publish(rig, { ...REAL_2026, workdays: [...REAL_2026.workdays, '2026-05-16'] });
    const v2 = rig.calendarService.current().version;
    expect(v2).not.toBe(before[0]!.calendarVersion);
    // Before: an alert-raised for the unchanged overdue alert (a probe saw 18 on one PUT, one per open alert).
    expect(rig.alerts.slice(events)).toEqual([]);
    expect(rig.projections.readModels.activeAlerts()).toEqual([{ ...before[0]!, calendarVersion: v2 }]);
  });
});
