/**
 * The 差评 follow-up clock on the read side: a completed case with an open
 * follow-up stays on the due timer, so `bad-rating-unresolved` is raised by
 * time alone at the exact instant, and the follow-up clears it (SPEC §3:
 * alerts are the rules in force for open work, "a 差评 not followed up").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseInstant } from '../domain/index.js';
import { makeRig, type Rig } from './testSupport.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

const accepted = {
  type: 'CaseAccepted',
  caseId: 'R1',
  occurredAt: '2024-11-04T09:00:00+08:00',
  centerId: 'c',
  departmentId: 'd',
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 3,
  channel: 'window',
};
const completed = { type: 'CaseCompleted', caseId: 'R1', occurredAt: '2024-11-06T10:00:00+08:00', outcome: 'approved' };
const rated = { type: 'CaseRated', caseId: 'R1', occurredAt: '2024-11-06T12:00:00+08:00', score: 1, channel: 'sms' };

describe('bad-rating-unresolved is time-driven', () => {
  it('E2-07: raised with no new event at 2024-11-28 00:00 (+08:00), to the millisecond, on a completed case', async () => {
    const rig = await makeRig(accepted.occurredAt);
    rigs.push(rig);
    await rig.append(accepted);
    rig.scheduler.advanceTo(parseInstant(completed.occurredAt));
    await rig.append(completed);
    rig.scheduler.advanceTo(parseInstant(rated.occurredAt));
    await rig.append(rated);
    const due = parseInstant('2024-11-28T00:00:00+08:00');
    expect(rig.projections.info().nextDueAt).toBe(due);

    rig.scheduler.advanceTo(due - 1);
    expect(rig.alerts).toEqual([]);
    rig.scheduler.advanceTo(due);
    expect(rig.alerts.map((a) => [a.type, a.alert.rule, a.at, a.clock])).toEqual([
      ['alert-raised', 'bad-rating-unresolved', '2024-11-28T00:00:00.000+08:00', due],
    ]);
    expect(rig.projections.readModels.activeAlerts().map((a) => [a.key, a.color])).toEqual([
      ['R1/bad-rating-unresolved', 'red'],
    ]);

    // The late follow-up ends the alert at its own instant; the red card stays on record.
    const follow = { type: 'RatingFollowedUp', caseId: 'R1', occurredAt: '2024-12-02T10:00:00+08:00', note: '已回访' };
    rig.scheduler.advanceTo(parseInstant(follow.occurredAt));
    await rig.append(follow);
    expect(rig.alerts.slice(1).map((a) => [a.type, a.alert.rule, a.at])).toEqual([
      ['alert-cleared', 'bad-rating-unresolved', '2024-12-02T10:00:00.000+08:00'],
    ]);
    expect(rig.projections.readModels.activeAlerts()).toEqual([]);
    expect(rig.projections.info().nextDueAt).toBeUndefined();
  });

  it('a follow-up in time: nothing is raised and no timer is left', async () => {
    const rig = await makeRig(accepted.occurredAt);
    rigs.push(rig);
    await rig.append(accepted);
    rig.scheduler.advanceTo(parseInstant(rated.occurredAt));
    await rig.append(completed);
    await rig.append(rated);
    rig.scheduler.advanceTo(parseInstant('2024-11-20T10:00:00+08:00'));
    await rig.append({
      type: 'RatingFollowedUp',
      caseId: 'R1',
      occurredAt: '2024-11-20T10:00:00+08:00',
      note: '已回访',
    });
    expect(rig.projections.info().nextDueAt).toBeUndefined();
    rig.scheduler.advanceTo(parseInstant('2024-12-31T00:00:00+08:00'));
    expect(rig.alerts).toEqual([]);
  });
});

describe('a calendar change re-evaluates a completed case whose 差评 clock runs on', () => {
  it('spanTouches: completed in 2024, 差评 not followed up, 2025 republished → touched; a good rating → not', async () => {
    const { spanTouches } = await import('./calendarChange.js');
    const { defaultCalendar, foldEvents, decodeCaseEvent } = await import('../domain/index.js');
    const cal = defaultCalendar('Asia/Shanghai');
    const fold = (score: number) =>
      foldEvents(
        'R1',
        [accepted, completed, { ...rated, occurredAt: '2024-12-20T12:00:00+08:00', score }].map((e) => {
          const r = decodeCaseEvent(e);
          if (!r.ok) throw new Error(JSON.stringify(r.errors));
          return r.event;
        }),
      );
    // 2025's notice (its days from 2024-12-01 on): after the completion, inside the 差评's 15 working days.
    const range = {
      first: cal.dayOf(parseInstant('2024-12-01T00:00:00+08:00')),
      last: cal.dayOf(parseInstant('2025-12-31T00:00:00+08:00')),
    };
    expect(spanTouches(fold(1), range, cal)).toBe(true);
    expect(spanTouches(fold(5), range, cal)).toBe(false);
  });
});
