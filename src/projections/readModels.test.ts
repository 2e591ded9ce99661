import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parseInstant } from '../domain/index.js';
import { caseStreamId } from '../domain/streams.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { appendBody, makeRig, type Body, type Rig } from './testSupport.js';
import type { ProjectionMetricsSink } from './types.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

const accept = (
  caseId: string,
  occurredAt: string,
  centerId: string,
  departmentId: string,
  promisedDays: number,
): Body => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId,
  departmentId,
  matterCode: 'm',
  kind: promisedDays === 0 ? 'instant' : 'promised',
  promisedDays,
  channel: 'window',
});

function recordingSink(): ProjectionMetricsSink & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    caseAccepted: (...a) => calls.push(['accepted', ...a]),
    caseCompleted: (...a) => calls.push(['completed', ...a]),
    cardIssued: (...a) => calls.push(['card', ...a]),
    caseRated: (...a) => calls.push(['rated', ...a]),
    complaintStage: (...a) => calls.push(['complaint', ...a]),
    cardWithdrawn: (...a) => calls.push(['withdrawn', ...a]),
  };
}

describe('read model queries', () => {
  it('filters alerts by center, department, rule and colour, and counts them and the open cases', async () => {
    const rig = await makeRig('2025-09-01T09:00:00+08:00');
    rigs.push(rig);
    await rig.append(accept('A', '2025-09-01T09:00:00+08:00', 'north', 'tax', 1));
    await rig.append(accept('B', '2025-09-01T09:00:00+08:00', 'north', 'land', 10));
    await rig.append(accept('C', '2025-09-01T09:00:00+08:00', 'south', 'tax', 2));
    await rig.append({
      type: 'CasePaused',
      caseId: 'C',
      occurredAt: '2025-09-01T10:00:00+08:00',
      pauseId: 'x',
      reason: 'site-survey',
      declaredDays: 1,
    });
    rig.scheduler.advanceTo(parseInstant('2025-09-05T09:00:00+08:00'));
    const rm = rig.projections.readModels;
    const keys = (f?: Parameters<typeof rm.activeAlerts>[0]) => rm.activeAlerts(f).map((a) => a.key);
    // A: due end of 09-02 → overdue. B: not due. C: paused 09-01, 1-day allowance → overlong from 09-03 00:00.
    expect(keys()).toEqual(['A/overdue', 'C/overlong-pause/x']);
    expect(keys({ centerId: 'north' })).toEqual(['A/overdue']);
    expect(keys({ departmentId: 'tax', rule: 'overlong-pause' })).toEqual(['C/overlong-pause/x']);
    expect(keys({ color: 'yellow' })).toEqual([]);
    expect(rm.alertCounts().sort((x, y) => x.center.localeCompare(y.center))).toEqual([
      { rule: 'overdue', color: 'red', center: 'north', count: 1 },
      { rule: 'overlong-pause', color: 'red', center: 'south', count: 1 },
    ]);
    expect(rm.openCaseCounts().sort((x, y) => x.center.localeCompare(y.center))).toEqual([
      { center: 'north', status: 'open', count: 2 },
      { center: 'south', status: 'paused', count: 1 },
    ]);
    expect(rm.status()).toMatchObject({ caughtUp: true, lagEvents: 0, checkpoint: '3' });
    expect(rm.getCaseState('nope')).toBeUndefined();
    expect(rm.evaluateCase('A', parseInstant('2025-09-01T12:00:00+08:00'))).toMatchObject({
      status: 'open',
      deadlineDate: '2025-09-02',
    });
  });

  it('waitForPosition resolves once the event is folded, and false on timeout', async () => {
    const rig = await makeRig('2025-09-01T09:00:00+08:00');
    rigs.push(rig);
    const rm = rig.projections.readModels;
    expect(await rm.waitForPosition(5n, 20)).toBe(false);
    const pos = await appendBody(rig.store, accept('W', '2025-09-01T09:00:00+08:00', 'c', 'd', 3));
    expect(await rm.waitForPosition(pos, 2_000)).toBe(true);
    expect(rm.getCaseState('W')?.status).toBe('open');
  });

  it('reports metrics for live activity only, never with a case id', async () => {
    let now = parseInstant('2025-09-01T09:00:00+08:00');
    const store = new MemoryEventStore({ clock: () => now });
    // History before the start: folded at catch-up, not counted.
    await appendBody(store, accept('OLD', '2025-09-01T09:00:00+08:00', 'c', 'd', 1));
    const sink = recordingSink();
    const rig = await makeRig(now, { store, metrics: sink });
    rigs.push(rig);
    expect(sink.calls).toEqual([]);

    await rig.append(accept('NEW', '2025-09-01T09:00:00+08:00', 'c', 'd', 0));
    await rig.append({
      type: 'CaseCompleted',
      caseId: 'NEW',
      occurredAt: '2025-09-01T09:30:00+08:00',
      outcome: 'approved',
    });
    rig.scheduler.advanceTo(parseInstant('2025-09-03T00:00:00+08:00')); // OLD: warning 09-02, overdue 09-03
    now = rig.scheduler.clock();
    await rig.append({
      type: 'CaseCompleted',
      caseId: 'OLD',
      occurredAt: '2025-09-03T08:00:00+08:00',
      outcome: 'approved',
    });
    expect(sink.calls).toEqual([
      ['accepted', 'c', 'instant'],
      ['completed', 'c', 'instant', 'on_time', true],
      ['card', 'deadline-warning', 'yellow', 'c'],
      ['card', 'overdue', 'red', 'c'],
      ['completed', 'c', 'promised', 'late', false],
    ]);
    expect(JSON.stringify(sink.calls)).not.toMatch(/OLD|NEW/);
  });

  it('the events of one write are evaluated together: no alert raised, streamed or counted that their whole never had', async () => {
    const now = parseInstant('2025-09-02T10:00:00+08:00');
    const sink = recordingSink();
    const rig = await makeRig(now, { metrics: sink });
    rigs.push(rig);
    // Recorded a day late in one write: an instant case accepted 09-01 09:00 and completed at 09:30.
    // The acceptance alone is overdue since 09-02 00:00; with its completion it never was.
    const id = 'BATCH-1';
    const { position } = await rig.store.append(caseStreamId(id), [
      { eventId: randomUUID(), type: 'CaseAccepted', data: accept(id, '2025-09-01T09:00:00+08:00', 'c', 'd', 0) },
      {
        eventId: randomUUID(),
        type: 'CaseCompleted',
        data: { type: 'CaseCompleted', caseId: id, occurredAt: '2025-09-01T09:30:00+08:00', outcome: 'approved' },
      },
    ]);
    expect(await rig.projections.readModels.waitForPosition(position, 2_000)).toBe(true);
    // Before: alert-raised then alert-cleared for the overdue alert, and a red card counted.
    expect(rig.alerts.filter((a) => a.alert.rule === 'overdue')).toEqual([]);
    expect(sink.calls.filter((c) => c[0] === 'card' && c[1] !== 'late-record')).toEqual([]);
    expect(sink.calls.filter((c) => c[0] !== 'card')).toEqual([
      ['accepted', 'c', 'instant'],
      ['completed', 'c', 'instant', 'on_time', true],
    ]);
    const cards = rig.projections.readModels.evaluateCase(id, now)?.cards.map((c) => c.rule);
    expect(cards).toEqual(['late-record', 'late-record']);
  });
});
