import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseInstant } from '../domain/index.js';
import { calendarEventData, CALENDAR_STREAM_ID, decodeCalendarYearPublished } from './calendarEvents.js';
import { makeRig, type Rig } from './testSupport.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

/** The 2026 notice (国办发明电〔2025〕7号), optionally with one more holiday: a correction. */
function notice2026(extraHoliday?: string): { holidays: string[]; workdays: string[] } {
  const holidays = [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => `2026-02-${d}`),
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    ...['01', '02', '03', '04', '05'].map((d) => `2026-05-${d}`),
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d}`),
  ];
  return {
    holidays: extraHoliday === undefined ? holidays : [...holidays, extraHoliday],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  };
}

async function publish(rig: Rig, body: { holidays: string[]; workdays: string[] }): Promise<void> {
  const decoded = decodeCalendarYearPublished({
    year: 2026,
    ...body,
    publishedAt: new Date(rig.scheduler.clock()).toISOString(),
  });
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  const r = await rig.store.append(CALENDAR_STREAM_ID, [calendarEventData(decoded.value)]);
  expect(await rig.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
}

describe('the monthly report names the versions it used', () => {
  it('a calendar correction shows its effect with the calendar version named; the policy version is named too', async () => {
    const rig = await makeRig('2025-12-01T09:00:00+08:00');
    rigs.push(rig);
    await publish(rig, notice2026());
    rig.scheduler.advanceTo(parseInstant('2026-01-05T09:00:00+08:00'));
    await rig.append({
      type: 'CaseAccepted',
      caseId: 'R-1',
      occurredAt: '2026-01-05T09:00:00+08:00',
      centerId: 'center-A',
      departmentId: 'dep-1',
      matterCode: 'M-1',
      kind: 'promised',
      promisedDays: 1,
      channel: 'window',
    });
    rig.scheduler.advanceTo(parseInstant('2026-01-07T10:00:00+08:00'));
    await rig.append({
      type: 'CaseCompleted',
      caseId: 'R-1',
      occurredAt: '2026-01-07T10:00:00+08:00',
      outcome: 'approved',
    });
    rig.scheduler.advanceTo(parseInstant('2026-02-02T10:00:00+08:00'));
    const before = rig.projections.readModels.monthlyReport('2026-01');
    // Due at the end of 6 Jan, completed on the 7th: late.
    expect(before.kpis.flow.onTimeRate).toBe(0);
    expect(before.policyVersions).toEqual([DEFAULT_POLICY.version]);

    // A correction makes 6 Jan a holiday: the one counted day is the 7th, and the case was on time.
    await publish(rig, notice2026('2026-01-06'));
    const after = rig.projections.readModels.monthlyReport('2026-01');
    expect(after.kpis.flow.onTimeRate).toBe(1);
    expect(after.calendarVersion).not.toBe(before.calendarVersion);
    expect(after.calendarVersion).toBe(rig.calendarService.current().version);
    expect(after.policyVersions).toEqual([DEFAULT_POLICY.version]);
    // Asking again gives the same figures: a published month is reproducible under the same versions.
    expect(rig.projections.readModels.monthlyReport('2026-01')).toEqual(after);
  });
});
