import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { garbleEventBody } from '../../test/support/sqliteDamage.js';
import { createCalendarService, DEFAULT_POLICY } from '../domain/index.js';
import { StoreCorruptError } from '../store/port.js';
import { SqliteEventStore } from '../store/sqlite/sqlite-store.js';
import { createProjections } from './runner.js';
import { createManualScheduler } from './scheduler.js';
import { appendBody, ZONE } from './testSupport.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'proj-start-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a store failure before the read models have caught up', () => {
  it('rejects start() with the store error instead of retrying forever (no silent exit 0)', async () => {
    const path = join(dir, 'events.db');
    const writer = new SqliteEventStore(path);
    for (let i = 1; i <= 5; i++) {
      await appendBody(writer, {
        type: 'CaseAccepted',
        caseId: `S-${i}`,
        occurredAt: '2026-11-02T09:00:00+08:00',
        centerId: 'C1',
        departmentId: 'D1',
        matterCode: 'M1',
        matterName: 'm',
        kind: 'promised',
        promisedDays: 5,
        channel: 'window',
      });
    }
    await writer.close();
    garbleEventBody(path, 3);
    const store = new SqliteEventStore(path);
    const scheduler = createManualScheduler(Date.parse('2026-11-30T10:00:00+08:00'));
    const logged: string[] = [];
    const projections = createProjections({
      store,
      calendarService: createCalendarService(ZONE),
      policy: DEFAULT_POLICY,
      clock: scheduler.clock,
      zone: ZONE,
      scheduler,
      log: (m) => logged.push(m),
    });
    const outcome = await projections.start().then(
      () => 'started',
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(StoreCorruptError);
    expect((outcome as Error).message).toContain('stream case-S-3 at position 3');
    expect(logged.filter((m) => m.includes('retrying'))).toEqual([]);
    await projections.stop();
    await store.close();
  });
});
