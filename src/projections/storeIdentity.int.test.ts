/**
 * Issue 12 defects 1 and 2 through the engine as `npm start` runs it: the
 * demo's snapshot beside the simulator's store is never served for it, and a
 * database emptied beside its snapshot stops the start (exit non-zero, the
 * store named) before the demo could write into it.
 */
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { databaseFilesOf } from '../store/sqlite/databaseFiles.js';
import { SqliteEventStore } from '../store/sqlite/sqlite-store.js';
import type { EventStore } from '../store/port.js';
import { TOKEN_CONFIG, TOKENS } from '../../test/reliability/support/app-server.js';
import { freePort, REPO_ROOT, startEngine } from '../../test/reliability/support/engine-process.js';
import { defaultCheckpointFile } from './checkpointPath.js';
import { appendBody, makeRig, ZONE } from './testSupport.js';

const H = 3_600_000;
const START = parseInstant('2025-03-03T09:00:00+08:00');
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'proj-ident-engine-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function record(store: EventStore, prefix: string, centerId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await appendBody(store, {
      type: 'CaseAccepted',
      caseId: `${prefix}-${i}`,
      occurredAt: formatInstant(START + i * H, ZONE),
      centerId,
      departmentId: 'd1',
      matterCode: 'm',
      kind: 'promised',
      promisedDays: 3,
      channel: 'window',
    });
  }
}

/** A store with `n` cases and the snapshot its projections wrote beside it (as a stopped engine leaves it). */
async function storeWithSnapshot(file: string, prefix: string, centerId: string, n: number): Promise<string> {
  const store = new SqliteEventStore(file, { clock: () => START + 100 * H });
  await record(store, prefix, centerId, n);
  const snapshot = defaultCheckpointFile(`sqlite:${file}`)!;
  const rig = await makeRig(START + 200 * H, { store, checkpointFile: snapshot });
  await rig.projections.stop();
  const identity = await store.identity();
  await store.close();
  return identity;
}

const get = async (url: string) => {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKENS.monitor}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('store identity through the engine', () => {
  it("the demo's snapshot in the simulator's folder is never served for the simulator's store", async () => {
    const demo = join(dir, 'events.db');
    const sim = join(dir, 'sim.db');
    const demoIdentity = await storeWithSnapshot(demo, 'DEMO', 'demo-center', 3);
    // The name every sqlite store of a folder used to share, and sim.db's own name: both hold the demo's.
    copyFileSync(`${demo}.snapshot.ndjson`, join(dir, 'projections.snapshot.ndjson'));
    copyFileSync(`${demo}.snapshot.ndjson`, `${sim}.snapshot.ndjson`);
    const simStore = new SqliteEventStore(sim, { clock: () => START + 100 * H });
    await record(simStore, 'SIM', 'sim-center', 6);
    const simIdentity = await simStore.identity();
    await simStore.close();

    const engine = await startEngine({
      store: `sqlite:${sim}`,
      port: await freePort(),
      tokens: TOKEN_CONFIG,
      auditLog: join(dir, 'audit.log'),
    });
    try {
      const stats = await get(`${engine.url}/stats?from=2025-03-01&to=2025-04-01&groupBy=center`);
      expect(stats.status).toBe(200);
      expect((stats.body['groups'] as Array<{ key: string }>).map((g) => g.key)).toEqual(['sim-center']);
      expect((await get(`${engine.url}/cases/DEMO-0`)).status).toBe(404);
      expect((await get(`${engine.url}/cases/SIM-0`)).status).toBe(200);
      const warned = engine
        .output()
        .split('\n')
        .filter((l) => l.includes('"warn"') && l.includes('rebuilding from the beginning'));
      expect(warned.join('\n')).toContain(demoIdentity);
      expect(warned.join('\n')).toContain(simIdentity);
    } finally {
      await engine.stop();
    }
  }, 120_000);

  it('a 0-byte database beside its snapshot stops the start non-zero, naming the store, and nothing is written', async () => {
    const db = join(dir, 'events.db');
    await storeWithSnapshot(db, 'E', 'c1', 4);
    for (const f of databaseFilesOf(db)) rmSync(f, { force: true });
    closeSync(openSync(db, 'w'));

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        STORE: `sqlite:${db}`,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DEMO: 'on', // the demo seeds an empty store: it must not get the chance here
        AUDIT_LOG: join(dir, 'audit.log'),
        SUPERVISION_TOKENS: JSON.stringify(TOKEN_CONFIG),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: string[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => chunks.push(d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const output = chunks.join('');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain(`event store sqlite:${db}`);
    expect(output).toContain('lost history');
    expect(output).not.toContain('engine listening');
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
    check.close();
  }, 120_000);
});
