/** The snapshot holds the cases' states: mode 600 however it was found or written (docs/reliability.md findings 27–28). */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodRefusal } from '../store/core/chmodRefusal.testSupport.js';
import { createCalendarService, DEFAULT_POLICY } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { createProjections } from './runner.js';
import { createManualScheduler } from './scheduler.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import { appendBody, ZONE } from './testSupport.js';

vi.mock('node:fs', async (original) =>
  (await import('../store/core/chmodRefusal.testSupport.js')).refusingChmod(await original<typeof import('node:fs')>()),
);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'snapshot-mode-'));
  file = join(dir, 'events.db.snapshot.ndjson');
});
afterEach(() => {
  chmodRefusal.reset();
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const header = { partition: null, policiesSeen: 0, directoryVersion: null, checkpoint: '0', storeHead: '0' };

/** Projections over `store` keeping their snapshot in `file`, not started. */
function projectionsOver(store: MemoryEventStore) {
  const scheduler = createManualScheduler(Date.parse('2026-11-30T10:00:00+08:00'));
  return createProjections({
    store,
    calendarService: createCalendarService(ZONE),
    policy: DEFAULT_POLICY,
    clock: scheduler.clock,
    zone: ZONE,
    scheduler,
    checkpointFile: file,
  });
}

async function started(store: MemoryEventStore) {
  const projections = projectionsOver(store);
  await projections.start();
  return projections;
}

describe('the projection snapshot file', () => {
  it('an existing snapshot of mode 644 replaced by a write is mode 600: the write renames a new file over it', async () => {
    writeFileSync(file, 'an older version’s snapshot');
    chmodSync(file, 0o644);
    await writeSnapshot(file, header as never, []);
    expect(modeOf(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('older');
  });

  it("a temporary file of this process's pid left by an earlier process (mode 644) does not pass its mode to the snapshot", async () => {
    const leftOver = join(dir, `.events.db.snapshot.ndjson.${process.pid}.tmp`); // pid 1 at every container start
    writeFileSync(leftOver, 'partial');
    chmodSync(leftOver, 0o644);
    await writeSnapshot(file, header as never, []);
    expect(modeOf(file)).toBe(0o600);
  });

  it('an existing snapshot readable by others (644) is mode 600 once the start has read it, even when no write follows', async () => {
    const store = new MemoryEventStore();
    await appendBody(store, {
      type: 'CaseAccepted',
      caseId: 'S-1',
      occurredAt: '2026-11-02T09:00:00+08:00',
      centerId: 'C1',
      departmentId: 'D1',
      matterCode: 'M1',
      matterName: 'm',
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    });
    await (await started(store)).stop(); // writes the snapshot
    chmodSync(file, 0o644); // an operator's copy, an older version
    const written = readFileSync(file, 'utf8');
    const resumed = await started(store); // nothing new to fold: no snapshot written after catch-up
    expect(resumed.info().eventsFolded).toBe(0);
    expect(modeOf(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(written);
    await resumed.stop();
  });

  it('an existing snapshot the engine may not tighten (not its owner) stops the start, naming the file and its mode', async () => {
    await writeSnapshot(file, header as never, []);
    chmodSync(file, 0o644);
    chmodRefusal.code = 'EPERM';
    const projections = projectionsOver(new MemoryEventStore());
    await expect(projections.start()).rejects.toThrow(
      `projections: the snapshot ${file} is mode 644 and cannot be made 600 (EPERM: the engine's user is not its owner); chown it to that user or chmod 600 it`,
    );
    await projections.stop();
    await expect(readSnapshot(file, true)).rejects.toThrow('is mode 644');
    chmodRefusal.reset();
    chmodSync(file, 0o600); // an operator's fix: nothing left to tighten
    chmodRefusal.code = 'EPERM'; // still refused: nothing left to tighten
    await expect(readSnapshot(file, true)).rejects.toThrow('its header is not one of this version'); // read, then refused for its content
  });
});
