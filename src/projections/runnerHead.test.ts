/**
 * The runner's reading of the store head (operations review, then a reviewer's re-read):
 * - a partitioned worker is never "behind" for events of other partitions (its position moves only
 *   with its own streams, the store's head with every stream: on a quiet store `/readyz` would have
 *   failed for ever; a whole-store worker's stall is test/api/projection-stall.int.test.ts);
 * - probes that arrive together share one head read (`/readyz` is open and not rate-limited).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import type { EventStore } from '../store/port.js';
import { DirectoryBook } from './directoryEvents.js';
import type { ProjectionPartition } from './partition.js';
import type { Projections } from './runner.js';
import { makeRig } from './testSupport.js';

const T0 = parseInstant('2025-09-22T10:00:00+08:00');
const running: Projections[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
});

/** The runner on `store`, started at T0 (makeRig), stopped after the test. */
async function started(store: EventStore, partition?: ProjectionPartition) {
  const rig = await makeRig(T0, {
    store,
    directory: new DirectoryBook(),
    ...(partition === undefined ? {} : { partition }),
  });
  running.push(rig.projections);
  return rig;
}

const acceptance = (caseId: string, centerId: string) => ({
  eventId: randomUUID(),
  type: 'CaseAccepted',
  data: {
    type: 'CaseAccepted',
    caseId,
    occurredAt: '2025-09-22T09:00:00+08:00',
    centerId,
    departmentId: 'd1',
    matterCode: 'M1',
    kind: 'promised',
    promisedDays: 5,
    channel: 'window',
  },
});

it("a partitioned worker is not behind for another partition's events, however long the store stays quiet", async () => {
  const store = new MemoryEventStore({ clock: () => T0 });
  const { projections, scheduler } = await started(store, { caseIdPrefixes: ['AAA'] });
  await store.append('case-BBB-1', [acceptance('BBB-1', 'c2')]);
  scheduler.advanceTo(T0 + 120_000);
  await projections.readModels.currentStatus();
  scheduler.advanceTo(T0 + 240_000);
  const status = await projections.readModels.currentStatus();
  expect(status.behindSeconds).toBe(0);
  expect(status.following).toBe(true);
});

it('status reads that arrive together share one head read', async () => {
  const inner = new MemoryEventStore({ clock: () => T0 });
  let reads = 0;
  const store = new Proxy(inner, {
    get: (target, key) => {
      const value = Reflect.get(target, key);
      if (key === 'headPosition')
        return async () => {
          reads++;
          await new Promise((r) => setTimeout(r, 20));
          return target.headPosition();
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as EventStore;
  const { projections } = await started(store);
  const before = reads;
  await Promise.all(Array.from({ length: 50 }, () => projections.readModels.currentStatus()));
  expect(reads - before).toBe(1);
});
