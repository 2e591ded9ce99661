import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../store/port.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { SqliteEventStore } from '../store/sqlite/sqlite-store.js';
import { ACCEPTED, COMPLETED, LATE, NOVEMBER } from './withdrawnCards.testSupport.js';
import { makeRig, type Rig } from './testSupport.js';
import type { ProjectionMetricsSink } from './types.js';

const rigs: Rig[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The stores whose events tell their index in their append (EventStoreDB's: test/store/contract.ts). */
const STORES: Record<string, (clock: () => number) => EventStore> = {
  memory: (clock) => new MemoryEventStore({ clock }),
  'sqlite (read ahead)': (clock) => {
    const dir = mkdtempSync(join(tmpdir(), 'same-ms-'));
    dirs.push(dir);
    return new SqliteEventStore(join(dir, 'events.db'), { clock, readAhead: 'always' });
  },
};

/** A metrics sink keeping the arguments of each `cardIssued` and `cardWithdrawn`. */
function cardCounters(): { issued: unknown[][]; withdrawn: unknown[][]; sink: ProjectionMetricsSink } {
  const issued: unknown[][] = [];
  const withdrawn: unknown[][] = [];
  const sink = new Proxy({} as ProjectionMetricsSink, {
    get:
      (_t, name) =>
      (...a: unknown[]) => {
        if (name === 'cardIssued') issued.push(a);
        if (name === 'cardWithdrawn') withdrawn.push(a);
      },
  });
  return { issued, withdrawn, sink };
}

async function rigAt(start: number, extra: Parameters<typeof makeRig>[1] = {}): Promise<Rig> {
  const rig = await makeRig(start, extra);
  rigs.push(rig);
  return rig;
}

describe.each(Object.keys(STORES))('two appends in one millisecond are two writes (%s)', (kind) => {
  it('a red card the first append raised and the second withdrew is in the register and counted withdrawn, live and rebuilt', async () => {
    const { issued, withdrawn, sink } = cardCounters();
    let clock = () => LATE;
    const store = STORES[kind]!(() => clock());
    const live = await rigAt(LATE, { metrics: sink, store });
    clock = live.scheduler.clock; // the store's clock is the rig's: frozen but when advanced
    await live.append(ACCEPTED); // recorded 4 days late: the board shows its warning and red card
    expect(issued.map((c) => c[0])).toContain('overdue');
    await live.append(COMPLETED); // another append, the same millisecond: it withdraws the red card
    live.scheduler.advanceTo(LATE + 1_000);
    await live.append({ ...ACCEPTED, caseId: 'W-2', occurredAt: '2026-11-23T10:00:01+08:00' });

    const register = live.projections.readModels.withdrawnCards(NOVEMBER);
    // The red card withdrawn, and the warning's shown clearing (the red card's start) changed.
    expect(register.items.map((c) => [c.caseId, c.rule, c.startedAt, c.clearingChanged ?? false])).toEqual([
      ['W-1', 'deadline-warning', '2026-11-19T00:00:00.000+08:00', true],
      ['W-1', 'overdue', '2026-11-20T00:00:00.000+08:00', false],
    ]);
    expect(register.items[1]?.withdrawnBy).toMatchObject({ events: [{ type: 'CaseCompleted' }] });
    expect(withdrawn).toEqual([['overdue', 'red', 'c1']]);

    await live.projections.stop();
    const rebuilt = await rigAt(live.scheduler.clock(), { store: live.store });
    expect(rebuilt.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(register);
  });
});
