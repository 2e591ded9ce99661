/**
 * Many cards due at one boundary (issue 13): the timer raises every one of them
 * in the step that crosses it, each at the boundary instant. The cost of that
 * step is measured by bench/timer.bench.ts (20,000 alerts), not asserted here.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { caseStreamId } from '../domain/streams.js';
import { makeRig, ZONE, type Rig } from './testSupport.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

describe('a burst of cards at one boundary', () => {
  it('raises 3 × 999 escalation alerts in the one step that crosses their respond-by instant', async () => {
    const accepted = parseInstant('2025-09-01T09:00:00+08:00');
    const boundary = parseInstant('2025-09-05T00:00:00+08:00'); // reminders of Mon 09-01 answer within 3 working days
    const rig = await makeRig(accepted + 1_000_000);
    rigs.push(rig);
    let head = -1n;
    for (const caseId of ['B-0', 'B-1', 'B-2']) {
      const events = [
        {
          type: 'CaseAccepted',
          caseId,
          occurredAt: formatInstant(accepted, ZONE),
          centerId: 'c1',
          departmentId: 'd1',
          matterCode: 'M1',
          kind: 'promised',
          promisedDays: 30,
          channel: 'window',
        },
        ...Array.from({ length: 999 }, (_, i) => ({
          type: 'CaseEscalated',
          caseId,
          occurredAt: formatInstant(accepted + (i + 1) * 1000, ZONE),
          level: 'reminder',
          by: 'office',
        })),
      ];
      const appended = await rig.store.append(
        caseStreamId(caseId),
        events.map((data) => ({ eventId: randomUUID(), type: data.type, data })),
      );
      head = appended.position;
    }
    expect(await rig.projections.readModels.waitForPosition(head, 60_000)).toBe(true);
    rig.scheduler.advanceTo(boundary - 1);
    expect(rig.alerts.filter((a) => a.alert.rule === 'escalation-unanswered')).toEqual([]);
    rig.scheduler.advanceTo(boundary);
    const raised = rig.alerts.filter((a) => a.alert.rule === 'escalation-unanswered');
    expect(raised).toHaveLength(3 * 999);
    expect(new Set(raised.map((a) => `${a.type}@${a.at}@${a.clock}`))).toEqual(
      new Set([`alert-raised@${formatInstant(boundary, ZONE)}@${boundary}`]),
    );
    expect(rig.projections.readModels.activeAlerts({ rule: 'escalation-unanswered' })).toHaveLength(3 * 999);
  }, 60_000);
});
