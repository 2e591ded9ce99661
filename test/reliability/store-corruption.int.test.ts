/**
 * A damaged store through the engine as a process (issue 12 defect 3): damaged
 * pages in the sqlite file. Without a snapshot the start reads them: the engine
 * exits non-zero with one line naming the store and the cause (it used to log
 * one info line and exit 0 without listening). With a snapshot it starts (the
 * damaged pages lie before its checkpoint); the first read of a damaged case
 * is logged at error with the stream, answers 503 store-corrupt, and /readyz
 * says not ready with the reason from then on.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { damageEventsPage } from '../support/sqliteDamage.js';
import { TOKEN_CONFIG, TOKENS } from './support/app-server.js';
import { runUntilExit, logLines } from './support/engine-exit.js';
import { freePort, startEngine } from './support/engine-process.js';

const CASES = 400;
let dir: string;
let db: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rel-corrupt-'));
  db = join(dir, 'events.db');
  // Enough cases for the events table to span many pages: the damaged one holds the first cases only.
  const store = new SqliteEventStore(db);
  for (let i = 0; i < CASES; i++) {
    const caseId = `K-${i}`;
    const data = {
      type: 'CaseAccepted',
      caseId,
      occurredAt: '2026-11-02T09:00:00+08:00',
      centerId: 'center-A',
      departmentId: 'dep-1',
      matterCode: 'M-1',
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    };
    await store.append(`case-${caseId}`, [{ eventId: randomUUID(), type: 'CaseAccepted', data }]);
  }
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a damaged sqlite store', () => {
  it('without a snapshot: the start exits non-zero with one line naming the store and the cause', async () => {
    damageEventsPage(db, 1);
    const { code, output } = await runUntilExit({
      STORE: `sqlite:${db}`,
      PORT: String(await freePort()),
      AUDIT_LOG: join(dir, 'audit.log'),
      SUPERVISION_TOKENS: JSON.stringify(TOKEN_CONFIG),
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const last = output.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(
      new RegExp(`^e-supervision: event store sqlite:${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is corrupt \\(`),
    );
    expect(last).toMatch(/malformed|not a database|does not parse/);
    expect(logLines(output, 'error').some((e) => String(e['message']).includes('event store corrupt'))).toBe(true);
    expect(output).not.toContain('engine listening');
  }, 120_000);

  it('a file that is not a database, or a store that cannot be opened: exit non-zero, one line naming the store and the cause', async () => {
    const env = (store: string) => ({
      STORE: store,
      AUDIT_LOG: join(dir, 'audit.log'),
      SUPERVISION_TOKENS: JSON.stringify(TOKEN_CONFIG),
    });
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database, just some text '.repeat(300));
    const notADatabase = await runUntilExit({ ...env(`sqlite:${junk}`), PORT: String(await freePort()) });
    expect(notADatabase.code).toBe(1);
    expect(notADatabase.output.trim().split('\n').at(-1)).toBe(
      `e-supervision: event store sqlite:${junk} is corrupt (the database file): file is not a database`,
    );
    const aFolder = await runUntilExit({ ...env(`sqlite:${dir}`), PORT: String(await freePort()) });
    expect(aFolder.code).toBe(1);
    expect(aFolder.output.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^e-supervision: event store sqlite:${dir} unavailable: cannot open the database \\(`),
    );
  }, 120_000);

  it('with a snapshot: it starts, then the first read of a damaged case is logged at error, answers 503 store-corrupt and /readyz says why it is not ready', async () => {
    const port = await freePort();
    const options = { store: `sqlite:${db}`, port, tokens: TOKEN_CONFIG, auditLog: join(dir, 'audit.log') };
    const first = await startEngine(options);
    expect(await first.stop()).toBe(0); // the final snapshot is written
    expect(existsSync(`${db}.snapshot.ndjson`)).toBe(true);
    damageEventsPage(db, 1);

    const engine = await startEngine(options);
    try {
      const ready = await fetch(`${engine.url}/readyz`);
      expect(ready.status).toBe(200);
      const auditor = { authorization: `Bearer ${TOKENS.auditor}` };
      const history = await fetch(`${engine.url}/cases/K-0/history`, { headers: auditor });
      expect(history.status).toBe(503);
      expect(((await history.json()) as { error: { code: string } }).error.code).toBe('store-corrupt');
      const write = await fetch(`${engine.url}/cases/K-1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.recorder}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'CaseCompleted', occurredAt: '2026-11-03T09:00:00+08:00', outcome: 'approved' }),
      });
      expect(write.status).toBe(503);
      expect(((await write.json()) as { error: { code: string } }).error.code).toBe('store-corrupt');
      const batch = await fetch(`${engine.url}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.recorder}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          events: [
            { caseId: 'K-2', type: 'CaseCompleted', occurredAt: '2026-11-03T09:00:00+08:00', outcome: 'approved' },
          ],
        }),
      });
      expect(batch.status).toBe(200);
      const rows = ((await batch.json()) as { results: { status: number; error?: { code: string } }[] }).results;
      expect(rows).toMatchObject([{ status: 503, error: { code: 'store-corrupt' } }]);
      // A case on an intact page still reads.
      expect((await fetch(`${engine.url}/cases/K-${CASES - 1}/history`, { headers: auditor })).status).toBe(200);

      const notReady = await fetch(`${engine.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({
        status: 'not-ready',
        store: 'corrupt',
        reason: expect.stringContaining('corrupt'),
      });
      const metrics = await (await fetch(`${engine.url}/metrics`)).text();
      expect(metrics).toMatch(/^supervision_store_up 0$/m);
      const logged = logLines(engine.output(), 'error');
      expect(logged.map((e) => e['where'])).toEqual(
        expect.arrayContaining(['stream case-K-0', 'stream case-K-1', 'stream case-K-2']),
      );
    } finally {
      await engine.stop();
    }
  }, 180_000);
});
