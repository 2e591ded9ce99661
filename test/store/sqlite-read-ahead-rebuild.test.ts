import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../src/domain/index.js';
import { caseStreamId } from '../../src/domain/streams.js';
import { makeRig, type Rig, ZONE } from '../../src/projections/testSupport.js';
import { SqliteEventStore, type SqliteStoreOptions } from '../../src/store/sqlite/sqlite-store.js';

const H = 3_600_000;
const START = parseInstant('2025-03-03T09:00:00+08:00');
const CASES = 1500;

let dir: string | undefined;
const rigs: Rig[] = [];
const stores: SqliteEventStore[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  for (const s of stores.splice(0)) await s.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** 1,500 cases accepted over a month, two in three completed: ~2,500 events, several pages of the catch-up. */
async function writeHistory(store: SqliteEventStore): Promise<void> {
  for (let i = 0; i < CASES; i += 100) {
    const requests = Array.from({ length: 100 }, (_, k) => {
      const n = i + k;
      const caseId = `RA-${n}`;
      const at = START + (n % 600) * H;
      const body = (type: string, t: number, extra: Record<string, unknown>) => ({
        eventId: randomUUID(),
        type,
        data: { type, caseId, occurredAt: formatInstant(t, ZONE), ...extra },
      });
      const events = [
        body('CaseAccepted', at, {
          centerId: `中心${n % 3}`,
          departmentId: `d${n % 5}`,
          matterCode: 'm',
          kind: 'promised',
          promisedDays: 1 + (n % 6),
          channel: 'online',
        }),
      ];
      if (n % 3 !== 0) events.push(body('CaseCompleted', at + (n % 9) * 12 * H, { outcome: 'approved' }));
      return { streamId: caseStreamId(caseId), events };
    });
    await store.appendMany(requests);
  }
}

async function rebuilt(path: string, options: SqliteStoreOptions) {
  const store = new SqliteEventStore(path, options);
  stores.push(store);
  const rig = await makeRig(START + 900 * H, { store });
  rigs.push(rig);
  const rm = rig.projections.readModels;
  return {
    folded: rig.projections.info().eventsFolded,
    states: Array.from({ length: CASES }, (_, i) => rm.getCaseState(`RA-${i}`) ?? null),
    alerts: rm.activeAlerts(),
    stats: rm.stats({ from: '2025-03-01', to: '2025-05-01', groupBy: 'center' }),
  };
}

describe('a rebuild from a sqlite store read ahead in a worker', () => {
  it('gives the read models of the rebuild read on the main thread (read-ahead forced, automatic, off)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-ahead-rebuild-'));
    const path = join(dir, 'events.db');
    const writer = new SqliteEventStore(path);
    await writeHistory(writer);
    const events = Number(await writer.headPosition());
    await writer.close();
    const oneThread = await rebuilt(path, { readAhead: 'off' });
    expect(oneThread.folded).toBe(events);
    expect(oneThread.alerts.length).toBeGreaterThan(0);
    expect(await rebuilt(path, { readAhead: 'always' })).toEqual(oneThread);
    expect(await rebuilt(path, { readAheadMinRows: 1 })).toEqual(oneThread); // automatic, on a small log
  });
});
