/**
 * Issue 13 defect 4: a full disk. The engine is composed by createEngine from a
 * sqlite spec, as `npm start` does; SQLite's own limit (`PRAGMA max_page_count`)
 * makes the database full for real (SQLITE_FULL, as on a full file system), and
 * the access trail is a writer that fails with ENOSPC.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRecord, AccessTrail } from '../../src/api/accessTrail.js';
import { memoryLogger } from '../../src/api/logger.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { listen, type Listening } from '../support/server.js';
import { acceptedBody, http, TOKEN_CONFIG, TOKENS, ZONE } from './support/app-server.js';

const logger = memoryLogger();
let trailFull = false;
const trailed: AccessRecord[] = [];
const diskFullTrail: AccessTrail = {
  record(entry) {
    if (trailFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    trailed.push(entry);
  },
};
let dir: string;
let engine: Engine;
let listening: Listening;
let url: string;
let db: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'supervision-disk-full-'));
  engine = await createEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    zone: ZONE,
    tokens: TOKEN_CONFIG,
    metrics: { defaultMetrics: false },
    logger,
    accessTrail: diskFullTrail,
  });
  await engine.start();
  listening = await listen(engine.app);
  url = listening.baseUrl;
  db = (engine.store as unknown as { db: Database.Database }).db;
  expect((await http(url, 'POST', '/cases/FULL-1/events', { token: TOKENS.admin, body: acceptedBody() })).status).toBe(
    201,
  );
});
afterAll(async () => {
  await listening.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const errors = () => logger.entries.filter((e) => e.level === 'error');

/**
 * No page left: the database may not grow, a scratch table takes the free
 * pages, and tiny events the room left in the events table's pages (smaller
 * than any case event, so no case event fits after them).
 */
async function fillTheDisk(): Promise<void> {
  db.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  const insert = db.prepare('INSERT INTO filler VALUES (randomblob(?))');
  for (const size of [4096, 512, 64, 8]) {
    try {
      for (;;) insert.run(size);
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_FULL') throw e;
    }
  }
  for (let i = 0; ; i++) {
    try {
      await engine.store.append(`filler-${i}`, [{ eventId: randomUUID(), type: 'Filler', data: {} }]);
    } catch {
      return;
    }
  }
}

describe('disk full', () => {
  it('appends answer 503 naming nothing written; the cause is logged once at error; /readyz is not ready with the reason; then it recovers', async () => {
    await fillTheDisk();
    const head = await engine.store.headPosition();
    const answers = [];
    for (let i = 0; i < 100; i++) {
      answers.push(
        await http(url, 'POST', `/cases/FULL-${i + 2}/events`, { token: TOKENS.admin, body: acceptedBody() }),
      );
    }
    const batch = await http(url, 'POST', '/events', {
      token: TOKENS.admin,
      body: { events: Array.from({ length: 50 }, (_, i) => ({ ...acceptedBody(), caseId: `FULL-B${i}` })) },
    });
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(503));
    expect(answers[0]?.body.error.code).toBe('store-unavailable');
    expect(batch.status).toBe(200);
    expect(batch.body.results.every((r: { status: number }) => r.status === 503)).toBe(true);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]?.fields).toMatchObject({ reason: 'disk full (SQLITE_FULL)' });
    expect(await engine.store.headPosition()).toBe(head); // nothing written, nothing half-written

    const ready = await http(url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.store).toBe('failing');
    expect(ready.body.reason).toMatch(/event store writes fail: disk full \(SQLITE_FULL\)/);
    // Alertable: the store still answers reads (store_up 1), the writes-failing gauge says they fail.
    const failing = () =>
      http(url, 'GET', '/metrics').then((m) => /^supervision_store_writes_failing (\d)$/m.exec(String(m.text))?.[1]);
    expect(await failing()).toBe('1');

    db.pragma('max_page_count = 1073741823');
    expect(
      (await http(url, 'POST', '/cases/FULL-OK/events', { token: TOKENS.admin, body: acceptedBody() })).status,
    ).toBe(201);
    expect(logger.entries.filter((e) => e.message.startsWith('event store writes succeed again'))).toHaveLength(1);
    expect((await http(url, 'GET', '/readyz')).status).toBe(200);
    expect(await failing()).toBe('0');
    expect(errors()).toHaveLength(1);
  });

  it('an auditor read that cannot be recorded is refused with 503 naming the access trail, never a 500; monitors still read', async () => {
    logger.entries.length = 0;
    // Operations review: the broken trail was in /readyz only; the gauge makes it alertable.
    const trailFailing = () =>
      http(url, 'GET', '/metrics').then((m) => /^supervision_access_trail_failing (\d)$/m.exec(String(m.text))?.[1]);
    expect(await trailFailing()).toBe('0');
    trailFull = true;
    const reads = [];
    for (let i = 0; i < 20; i++) {
      reads.push(await http(url, 'GET', '/cases/FULL-1', { token: TOKENS.auditor }));
      reads.push(await http(url, 'GET', '/cases/FULL-1/history', { token: TOKENS.admin }));
    }
    for (const read of reads) {
      expect(read.status).toBe(503);
      expect(read.body.error.code).toBe('access-trail-unavailable');
      expect(read.body.error.message).toMatch(/access trail cannot be written \(disk full \(ENOSPC\)\)/);
      expect(read.text).not.toContain('"caseId"');
    }
    expect(errors()).toHaveLength(1);
    expect(errors()[0]?.message).toMatch(/access trail/);
    const monitor = await http(url, 'GET', '/cases/FULL-1', { token: TOKENS.monitor });
    expect(monitor.status).toBe(200); // monitors' reads are not trailed (SPEC §4)
    const ready = await http(url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toMatch(/access trail cannot be written: disk full \(ENOSPC\)/);
    expect(await trailFailing()).toBe('1');

    trailFull = false;
    const before = trailed.length;
    expect((await http(url, 'GET', '/cases/FULL-1', { token: TOKENS.auditor })).status).toBe(200);
    expect(trailed.length).toBe(before + 1);
    expect((await http(url, 'GET', '/readyz')).status).toBe(200);
    expect(await trailFailing()).toBe('0');
  });
});
