/**
 * Issue 13 defect 4: a full disk. SQLite's own limit (`PRAGMA max_page_count`)
 * makes the database full for real, so the driver raises SQLITE_FULL exactly as
 * it does on a full file system, without needing one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite from 'better-sqlite3';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type WriteFailure, writeFailureReason } from '../../src/store/core/failure-burst.js';
import { StoreUnavailableError } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { event } from './contract.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const bigEvent = () => event('CaseAccepted', { padding: 'x'.repeat(64 * 1024) });

describe('sqlite store on a full disk', () => {
  it('refuses appends naming the disk, reports the burst once, reports it while it lasts, and recovers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'supervision-full-'));
    const failures: WriteFailure[] = [];
    const recoveries: WriteFailure[] = [];
    const store = new SqliteEventStore(join(dir, 'events.db'), {
      onWriteFailure: (f) => failures.push(f),
      onWriteRecovered: (f) => recoveries.push(f),
    });
    try {
      await store.append('case-1', [event()]);
      const db = (store as unknown as { db: Database.Database }).db;
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages}`);

      const attempts = 50;
      for (let i = 0; i < attempts; i++) {
        const single = store.append(`case-x${i}`, [bigEvent()]);
        await expect(single).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(single).rejects.toThrow(/nothing written: disk full \(SQLITE_FULL\)/);
      }
      await expect(store.appendMany([{ streamId: 'case-y', events: [bigEvent()] }])).rejects.toThrow(
        /disk full \(SQLITE_FULL\)/,
      );
      expect(failures).toHaveLength(1);
      expect(failures[0]?.reason).toBe('disk full (SQLITE_FULL)');
      expect(store.writeFailure()).toMatchObject({ reason: 'disk full (SQLITE_FULL)', failures: attempts + 1 });
      expect(await store.headPosition()).toBe(1n); // nothing half-written

      db.pragma('max_page_count = 1073741823');
      await store.append('case-2', [bigEvent()]);
      expect(recoveries).toEqual([
        expect.objectContaining({ reason: 'disk full (SQLITE_FULL)', failures: attempts + 1 }),
      ]);
      expect(store.writeFailure()).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('a lock another process holds: the write is refused after the busy timeout, reported while it lasts, and recovers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'supervision-locked-'));
    const file = join(dir, 'events.db');
    const failures: WriteFailure[] = [];
    const store = new SqliteEventStore(file, { onWriteFailure: (f) => failures.push(f) });
    const other = new BetterSqlite(file);
    try {
      await store.append('case-1', [event()]);
      other.exec('BEGIN EXCLUSIVE');
      const refused = store.append('case-2', [event()]);
      await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(refused).rejects.toThrow(/nothing written: the database is locked by another process \(SQLITE_BUSY/);
      expect(failures).toHaveLength(1);
      expect(store.writeFailure()?.reason).toMatch(/locked by another process/);
      other.exec('ROLLBACK');
      await store.append('case-2', [event()]);
      expect(store.writeFailure()).toBeUndefined();
      expect(await store.headPosition()).toBe(2n); // the refused write took no position
    } finally {
      other.close();
      await store.close();
    }
  });

  it('classifies the driver and system codes of a failing disk or a lock held elsewhere, and nothing else', () => {
    expect(writeFailureReason({ code: 'SQLITE_FULL' })).toBe('disk full (SQLITE_FULL)');
    expect(writeFailureReason(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe('disk full (ENOSPC)');
    expect(writeFailureReason({ code: 'SQLITE_IOERR_WRITE' })).toBe('I/O error (SQLITE_IOERR_WRITE)');
    expect(writeFailureReason({ code: 'EIO' })).toBe('I/O error (EIO)');
    expect(writeFailureReason({ code: 'EDQUOT' })).toBe('disk quota exceeded (EDQUOT)');
    expect(writeFailureReason({ code: 'SQLITE_BUSY' })).toBe('the database is locked by another process (SQLITE_BUSY)');
    for (const other of [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, new Error('x'), null, 'text']) {
      expect(writeFailureReason(other)).toBeUndefined();
    }
  });
});
