import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from './sqlite-store.js';
import { WalCheckpointer } from './walCheckpointer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-wal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const body = 'x'.repeat(2_000);
/** 1,000 events of ≈ 2 KB in 100 appends: a few MB of WAL, far below the 10,000 pages of an in-commit checkpoint. */
async function writeRound(store: SqliteEventStore, round: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const events = Array.from({ length: 10 }, (_, j) => ({ eventId: randomUUID(), type: 'T', data: { body, j } }));
    await store.append(`case-R${round}-${i}`, events);
  }
}

async function eventually(check: () => boolean, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('the WAL checkpoint of a sqlite file store', () => {
  it('copies the WAL into the database file from a worker, with no commit to carry it', async () => {
    const path = join(dir, 'events.db');
    const store = new SqliteEventStore(path);
    await writeRound(store, 1);
    const emptyFile = 200_000; // the schema's pages
    // No further commit: before, the events stayed in the WAL until the commit crossing 10,000 pages.
    expect(await eventually(() => statSync(path).size > 1_500_000)).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(emptyFile);
    const first = await store.checkpointWal();
    expect(first?.busy).toBe(0);
    expect(first?.checkpointed).toBe(first?.log); // all of it is in the database file
    const walBytes = statSync(`${path}-wal`).size;
    for (let round = 2; round <= 4; round++) {
      await writeRound(store, round);
      await store.checkpointWal();
    }
    // Three more rounds of the same size: the writer restarted the copied WAL from its start instead of growing it.
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(walBytes * 1.5);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false); // both connections closed cleanly

    const reopened = new SqliteEventStore(path, { backgroundCheckpoints: false });
    let count = 0;
    for await (const _ of reopened.readAll()) count++;
    expect(count).toBe(4_000);
    await reopened.close();
  }, 60_000);

  it('restarts the WAL under writes that never pause: commits wait (off the loop) for a checkpoint, in order', async () => {
    const path = join(dir, 'busy.db');
    // 500 frames ≈ 2 MB instead of 40 MB, and a step every 10 ms, so a test can cross it many times.
    const store = new SqliteEventStore(path, { walRestartFrames: 500, walCheckpointMs: 10 });
    await store.checkpointWal(); // the worker is running (it takes ≈ 0.2 s to start)
    let largestWal = 0;
    const positions: bigint[] = [];
    for (let round = 0; round < 12; round++) {
      // 12 × 1,100 events back to back (≈ 100 MB of WAL frames in all), two appends a turn, never a pause.
      for (let i = 0; i < 100; i++) {
        const events = Array.from({ length: 10 }, () => ({ eventId: randomUUID(), type: 'T', data: { body } }));
        const appends = [
          store.append(`case-B${round}-${i}`, events),
          store.append(`case-C${round}-${i}`, [{ eventId: randomUUID(), type: 'T', data: { i } }]),
        ];
        for (const r of await Promise.all(appends)) positions.push(r.position);
        await new Promise((r) => setImmediate(r));
      }
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    }
    // Bounded by the restart (without it ≈ 100 MB here, and 1 GB after 200,000 events in a bench run).
    expect(largestWal).toBeLessThan(10_000_000);
    // Appends called in order were committed in order, also those that waited at a restart.
    expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] ?? -1n))).toBe(true);
    await store.close();
  }, 120_000);

  it('closes under a live subscriber, which then ends', async () => {
    const store = new SqliteEventStore(join(dir, 'sub.db'));
    await store.append('case-S-1', [{ eventId: randomUUID(), type: 'T', data: {} }]);
    const subscription = store.subscribeToAll();
    const seen: string[] = [];
    const reading = (async () => {
      try {
        for await (const m of subscription) if (m.kind === 'event') seen.push(m.event.streamId);
      } catch (e) {
        return (e as Error).name;
      }
      return 'ended';
    })();
    await new Promise((r) => setTimeout(r, 50));
    await store.close();
    expect(['ended', 'StoreUnavailableError']).toContain(await reading);
    expect(seen).toEqual(['case-S-1']);
  });

  it('is left to the commits in memory or when asked', async () => {
    const memory = new SqliteEventStore(':memory:');
    expect(await memory.checkpointWal()).toBeUndefined();
    await memory.close();
    const path = join(dir, 'inline.db');
    const inline = new SqliteEventStore(path, { backgroundCheckpoints: false });
    expect(await inline.checkpointWal()).toBeUndefined();
    await writeRound(inline, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(statSync(path).size).toBeLessThan(1_000_000); // still all in the WAL
    await inline.close();
  });

  it("reports a worker that cannot run (the store's own checkpoints then do the work)", async () => {
    const reason = await new Promise<string>((resolve) => {
      new WalCheckpointer(join(dir, 'missing.db'), { onStop: resolve });
    });
    expect(reason).toMatch(/WAL checkpoint worker/);
  });
});
