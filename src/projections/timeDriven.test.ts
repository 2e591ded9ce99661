import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { makeRig, ZONE, type Body, type Rig } from './testSupport.js';

interface Scenario {
  caseId: string;
  why: string;
  asOf: string;
  events: Body[];
  expect: { cards: Array<{ rule: string; color: string; startedAt: string }> };
}
const scenarios = (
  JSON.parse(readFileSync(new URL('../../test/fixtures/timing.json', import.meta.url), 'utf8')) as {
    scenarios: Scenario[];
  }
).scenarios;

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

describe('time drives alerts', () => {
  it('EX-01: with no new event, deadline-warning starts at 2024-02-21 00:00 and overdue at 2024-02-23 00:00 (+08:00), to the millisecond', async () => {
    const ex = scenarios.find((s) => s.caseId === 'EX-01')!;
    const accepted = ex.events[0]!;
    const rig = await makeRig(accepted.occurredAt);
    rigs.push(rig);
    await rig.append(accepted);
    const rm = rig.projections.readModels;
    expect(rm.activeAlerts()).toEqual([]);

    const warnAt = parseInstant('2024-02-21T00:00:00+08:00');
    const dueAt = parseInstant('2024-02-23T00:00:00+08:00');
    rig.scheduler.advanceTo(warnAt - 1);
    expect(rig.alerts).toEqual([]);
    rig.scheduler.advanceTo(warnAt);
    expect(rig.alerts.map((a) => [a.type, a.alert.rule, a.at, a.clock])).toEqual([
      ['alert-raised', 'deadline-warning', '2024-02-21T00:00:00.000+08:00', warnAt],
    ]);
    expect(rm.activeAlerts().map((a) => [a.key, a.color])).toEqual([['EX-01/deadline-warning', 'yellow']]);

    rig.scheduler.advanceTo(dueAt - 1);
    expect(rig.alerts).toHaveLength(1);
    rig.scheduler.advanceTo(dueAt);
    expect(rig.alerts.slice(1).map((a) => [a.type, a.alert.rule, a.at, a.clock])).toEqual([
      ['alert-cleared', 'deadline-warning', '2024-02-23T00:00:00.000+08:00', dueAt],
      ['alert-raised', 'overdue', '2024-02-23T00:00:00.000+08:00', dueAt],
    ]);
    const active = rm.activeAlerts();
    expect(active.map((a) => [a.key, a.rule, a.color, a.centerId, a.departmentId])).toEqual([
      ['EX-01/overdue', 'overdue', 'red', 'example-center', 'example-dep'],
    ]);
    expect(active[0]!.calendarVersion).toBe(rig.calendarService.current().version);

    // No card is due for this case: the red card stays, and no case boundary is queued. The projection's one
    // other timer (provisionalTurn.ts) is the day its open span reaches days the calendar only predicts, when
    // its alert turns provisional (SPEC §3) and is raised again saying so.
    const asOf = parseInstant(ex.asOf);
    rig.scheduler.advanceTo(asOf);
    expect(rig.alerts).toHaveLength(3);
    const calendar = rig.calendarService.current();
    const turns = calendar.startOfDay(calendar.provisionalFrom(calendar.dayOf(asOf)));
    expect(rig.projections.info().nextDueAt).toBeUndefined();
    rig.scheduler.advanceTo(turns - 1);
    expect(rig.alerts).toHaveLength(3);
    rig.scheduler.advanceTo(turns);
    expect(rig.alerts.slice(3).map((a) => [a.type, a.alert.key, a.alert.provisional, a.at])).toEqual([
      ['alert-raised', 'EX-01/overdue', true, '2024-02-23T00:00:00.000+08:00'],
    ]);
    expect(rig.projections.info().nextDueAt).toBeUndefined();
  });

  it('a completion clears the open alerts at its own instant, and the red card stays on record', async () => {
    const rig = await makeRig('2024-02-09T10:00:00+08:00');
    rigs.push(rig);
    const base = {
      caseId: 'C1',
      centerId: 'c',
      departmentId: 'd',
      matterCode: 'm',
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    };
    await rig.append({ ...base, type: 'CaseAccepted', occurredAt: '2024-02-09T10:00:00+08:00' });
    rig.scheduler.advanceTo(parseInstant('2024-02-26T11:00:00+08:00'));
    expect(rig.projections.readModels.activeAlerts().map((a) => a.rule)).toEqual(['overdue']);
    // Recorded two hours after it happened: the alert ends at the completion's instant, not the recording's.
    await rig.append({
      caseId: 'C1',
      type: 'CaseCompleted',
      occurredAt: '2024-02-26T09:00:00+08:00',
      outcome: 'approved',
    });
    expect(rig.projections.readModels.activeAlerts()).toEqual([]);
    expect(rig.alerts.at(-1)).toMatchObject({
      type: 'alert-cleared',
      at: '2024-02-26T09:00:00.000+08:00',
      alert: { rule: 'overdue' },
    });
    const stats = rig.projections.readModels.stats({ from: '2024-02-01', to: '2024-03-01' });
    expect(stats.flow.cards).toEqual([
      { rule: 'deadline-warning', color: 'yellow', count: 1 },
      { rule: 'overdue', color: 'red', count: 1 },
    ]);
    expect(stats.flow.late).toBe(1);
  });

  it('a back-dated pause recorded after the case was due is flagged on the alerts it touches', async () => {
    const rig = await makeRig('2025-09-22T10:00:00+08:00');
    rigs.push(rig);
    await rig.append({
      type: 'CaseAccepted',
      caseId: 'RP',
      occurredAt: '2025-09-22T10:00:00+08:00',
      centerId: 'c',
      departmentId: 'd',
      matterCode: 'm',
      kind: 'promised',
      promisedDays: 2,
      channel: 'window',
    });
    // Deadline Wed 09-24: overdue from 09-25 00:00.
    rig.scheduler.advanceTo(parseInstant('2025-09-25T09:00:00+08:00'));
    expect(rig.projections.readModels.activeAlerts().map((a) => a.rule)).toEqual(['overdue']);
    // Recorded on 09-25, 48 h after it supposedly happened: a retroactive pause, and a late record.
    await rig.append({
      type: 'CasePaused',
      caseId: 'RP',
      occurredAt: '2025-09-23T09:00:00+08:00',
      pauseId: 'p1',
      reason: 'supplement',
    });
    const cleared = rig.alerts.find((a) => a.type === 'alert-cleared' && a.alert.rule === 'overdue');
    expect(cleared?.alert.details).toEqual({ retroactivePause: ['p1'] });
    const late = rig.projections.readModels.activeAlerts().find((a) => a.rule === 'late-record');
    expect(late).toMatchObject({ color: 'yellow', startedAt: '2025-09-25T09:00:00.000+08:00' });
    expect(late?.details).toMatchObject({ eventType: 'CasePaused', delayHours: 48, retroactivePause: 'p1' });
    expect(rig.projections.readModels.evaluateCase('RP', rig.scheduler.clock())?.pauses[0]?.retroactive).toBe(true);
  });

  describe('every worked case of timing.json: the alerts raised live, event by event and tick by tick, are its cards', () => {
    for (const sc of scenarios) {
      it(`${sc.caseId}: ${sc.why}`, async () => {
        const rig = await makeRig(sc.events[0]!.occurredAt);
        rigs.push(rig);
        for (const body of sc.events) {
          rig.scheduler.advanceTo(parseInstant(body.occurredAt));
          await rig.append(body);
        }
        rig.scheduler.advanceTo(parseInstant(sc.asOf));
        const raised = rig.alerts
          .filter((a) => a.type === 'alert-raised' && a.alert.rule !== 'late-record')
          .map((a) => ({
            rule: a.alert.rule,
            color: a.alert.color,
            startedAt: a.alert.startedAt,
            ...(a.alert.pauseId !== undefined ? { pauseId: a.alert.pauseId } : {}),
          }));
        const key = (c: { rule: string; startedAt: string }) => `${c.startedAt} ${c.rule}`;
        expect(raised.sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
          [...sc.expect.cards].sort((x, y) => key(x).localeCompare(key(y))),
        );
        // Raised by time exactly at the card's instant (not late, not early).
        for (const a of rig.alerts.filter((x) => x.type === 'alert-raised')) {
          expect(formatInstant(a.clock, ZONE) >= a.alert.startedAt).toBe(true);
        }
      });
    }
  });
});
