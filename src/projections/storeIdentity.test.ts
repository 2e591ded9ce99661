/**
 * Issue 12 defects 1 and 2 at unit level: a snapshot is used only for the
 * store it was folded from, only when its checksum holds, and a store that
 * lost the history its snapshot describes is refused with a typed error.
 */
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { openStore } from '../store/open.js';
import type { EventStore } from '../store/port.js';
import { databaseFilesOf } from '../store/sqlite/databaseFiles.js';
import { StoreHistoryLostError } from './checkpoint.js';
import { defaultCheckpointFile } from './checkpointPath.js';
import { appendBody, makeRig, ZONE, type Rig } from './testSupport.js';

const H = 3_600_000;
const START = parseInstant('2025-03-03T09:00:00+08:00');

const rigs: Rig[] = [];
const stores: EventStore[] = [];
let dir = '';
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  for (const s of stores.splice(0)) await s.close();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

async function sqlite(file: string): Promise<EventStore> {
  const store = await openStore(`sqlite:${join(dir, file)}`, { clock: () => START + 200 * H });
  stores.push(store);
  return store;
}

/** `n` accepted cases of one center, some completed. */
async function record(store: EventStore, prefix: string, centerId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const caseId = `${prefix}-${i}`;
    const at = (h: number) => formatInstant(START + (i * 7 + h) * H, ZONE);
    await appendBody(store, {
      type: 'CaseAccepted',
      caseId,
      occurredAt: at(0),
      centerId,
      departmentId: 'd1',
      matterCode: 'm',
      kind: 'promised',
      promisedDays: 1 + (i % 4),
      channel: 'window',
    });
    if (i % 2 === 0)
      await appendBody(store, { type: 'CaseCompleted', caseId, occurredAt: at(20), outcome: 'approved' });
  }
}

/** A sqlite store of 4 cases with its snapshot beside it, closed: its database path and snapshot file. */
async function storeWithSnapshot(): Promise<{ path: string; file: string }> {
  dir = mkdtempSync(join(tmpdir(), 'proj-ident-'));
  const path = join(dir, 'events.db');
  const store = await sqlite('events.db');
  await record(store, 'E', 'c1', 4);
  const file = defaultCheckpointFile(`sqlite:${path}`)!;
  await (await rigOn(store, file)).projections.stop();
  rigs.length = 0;
  await store.close();
  return { path, file };
}

/** A sqlite store with a snapshot of 4 cases, then cut back to its first 3 events (a lost tail). */
async function shrunkBehindSnapshot(): Promise<{ shrunk: EventStore; file: string }> {
  const { path, file } = await storeWithSnapshot();
  const db = new Database(path);
  db.prepare('DELETE FROM events WHERE position > 3').run();
  db.close();
  return { shrunk: await sqlite('events.db'), file };
}

const centersOf = (rig: Rig) =>
  rig.projections.readModels
    .stats({ from: '2025-03-01', to: '2025-04-01', groupBy: 'center' })
    .groups?.map((g) => g.key);

async function rigOn(store: EventStore, checkpointFile: string, logs: string[] = []): Promise<Rig> {
  const rig = await makeRig(START + 400 * H, {
    store,
    checkpointFile,
    log: (m, level) => logs.push(`${level ?? 'info'} ${m}`),
  });
  rigs.push(rig);
  return rig;
}

describe('store identity', () => {
  it('is written once per sqlite file: the same after reopening, different for another file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'proj-ident-'));
    const a = await sqlite('a.db');
    const first = await a.identity();
    await a.close();
    const again = await sqlite('a.db');
    expect(await again.identity()).toBe(first);
    expect(await (await sqlite('b.db')).identity()).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await new MemoryEventStore().identity()).not.toBe(await new MemoryEventStore().identity());
  });

  it('each sqlite store has its own snapshot file, even two in one folder', () => {
    expect(defaultCheckpointFile('sqlite:./data/events.db')).toBe('./data/events.db.snapshot.ndjson');
    expect(defaultCheckpointFile('sqlite:./data/sim.db?synchronous=full')).toBe('./data/sim.db.snapshot.ndjson');
    expect(defaultCheckpointFile('sqlite:./data/sim.db')).not.toBe(defaultCheckpointFile('sqlite:./data/events.db'));
    expect(defaultCheckpointFile('memory')).toBeUndefined();
  });
});

describe('a snapshot is used only for its own store (issue 12 defect 1)', () => {
  it("the demo's snapshot in the simulator's folder is not used for the simulator's store", async () => {
    dir = mkdtempSync(join(tmpdir(), 'proj-ident-'));
    const shared = join(dir, 'projections.snapshot.ndjson'); // what every sqlite store in a folder used to share
    const demo = await sqlite('events.db');
    await record(demo, 'DEMO', 'demo-center', 4);
    await (await rigOn(demo, shared)).projections.stop();
    rigs.length = 0;

    const sim = await sqlite('sim.db');
    await record(sim, 'SIM', 'sim-center', 8); // more events than the demo: its head is past the demo's checkpoint
    const logs: string[] = [];
    const rig = await rigOn(sim, shared, logs);
    expect(centersOf(rig)).toEqual(['sim-center']);
    expect(rig.projections.readModels.getCaseState('DEMO-0')).toBeUndefined();
    expect(rig.projections.info().eventsFolded).toBe(12); // rebuilt from the beginning of sim.db
    const warn = logs.find((l) => l.startsWith('warn') && l.includes('rebuilding from the beginning'));
    expect(warn).toContain(await demo.identity());
    expect(warn).toContain(await sim.identity());
  });
});

describe('a snapshot is not trusted blindly (issue 12 defect 2)', () => {
  it('an edited but well-formed snapshot is refused by its checksum and the read models are rebuilt', async () => {
    dir = mkdtempSync(join(tmpdir(), 'proj-ident-'));
    const store = await sqlite('events.db');
    await record(store, 'E', 'c1', 4);
    const file = defaultCheckpointFile(`sqlite:${join(dir, 'events.db')}`)!;
    await (await rigOn(store, file)).projections.stop();
    rigs.length = 0;
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // One case moved to another center and completed: valid JSON, a valid state, the same line count
    // (edited as bytes: the rows before the states are binary).
    const bytes = readFileSync(file);
    const at = bytes.indexOf('{"caseId":"E-1"');
    const end = bytes.indexOf('\n', at);
    const state = JSON.parse(bytes.subarray(at, end).toString('utf8'));
    state.accepted.centerId = 'other-center';
    state.completedAt = state.acceptedAt + H;
    state.status = 'completed';
    writeFileSync(
      file,
      Buffer.concat([bytes.subarray(0, at), Buffer.from(JSON.stringify(state)), bytes.subarray(end)]),
    );

    const logs: string[] = [];
    const rig = await rigOn(store, file, logs);
    expect(logs.join('\n')).toMatch(/^warn .*checksum does not match its content.*rebuilding from the beginning/m);
    expect(rig.projections.info().eventsFolded).toBe(6);
    expect(centersOf(rig)).toEqual(['c1']);
    expect(rig.projections.readModels.getCaseState('E-1')?.completedAt).toBeUndefined();
  });

  it('a 0-byte database beside a snapshot of its history is refused with StoreHistoryLostError naming the store', async () => {
    const { path, file } = await storeWithSnapshot();
    for (const f of databaseFilesOf(path)) rmSync(f, { force: true });
    closeSync(openSync(path, 'w')); // the database file is there, empty

    const empty = await sqlite('events.db');
    const rig = makeRig(START + 400 * H, { store: empty, checkpointFile: file });
    const error = await rig.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreHistoryLostError);
    expect((error as Error).message).toContain(`sqlite:${path}`);
    expect((error as Error).message).toMatch(/ends at position -1.*taken with the store at position 6/);
    expect(await empty.headPosition()).toBe(-1n); // nothing was written
  });

  it('a store that shrank behind its own snapshot is refused too', async () => {
    const { shrunk, file } = await shrunkBehindSnapshot();
    const projections = makeRig(START + 400 * H, { store: shrunk, checkpointFile: file });
    await expect(projections).rejects.toThrow(StoreHistoryLostError);
  });

  it('a store that shrank is refused even when its log ends past the snapshot (records no reader sees written since)', async () => {
    // As EventStoreDB restored from an old backup, whose log then grew by system records only.
    const { shrunk, file } = await shrunkBehindSnapshot();
    const endPosition = async () => 1_000_000n;
    const withEnd = new Proxy(shrunk, {
      get: (target, prop) => (prop === 'endPosition' ? endPosition : Reflect.get(target, prop, target)),
    });
    const projections = makeRig(START + 400 * H, { store: withEnd, checkpointFile: file });
    await expect(projections).rejects.toThrow(StoreHistoryLostError);
  });

  it("a copy of another store's snapshot beside an empty store is refused (the store was replaced)", async () => {
    dir = mkdtempSync(join(tmpdir(), 'proj-ident-'));
    const a = await sqlite('a.db');
    await record(a, 'A', 'c1', 2);
    const fileA = join(dir, 'a.db.snapshot.ndjson');
    await (await rigOn(a, fileA)).projections.stop();
    rigs.length = 0;
    const fileB = join(dir, 'b.db.snapshot.ndjson');
    copyFileSync(fileA, fileB);
    const b = await sqlite('b.db');
    await expect(makeRig(START, { store: b, checkpointFile: fileB })).rejects.toThrow(StoreHistoryLostError);
  });
});
