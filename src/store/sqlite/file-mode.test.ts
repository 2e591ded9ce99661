import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { chmodRefusal } from '../core/chmodRefusal.testSupport.js';
import { makeDatabaseFilesPrivate } from './privateFile.js';
import { SqliteEventStore } from './sqlite-store.js';

vi.mock('node:fs', async (original) =>
  (await import('../core/chmodRefusal.testSupport.js')).refusingChmod(await original<typeof import('node:fs')>()),
);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-mode-'));
});
afterEach(() => {
  chmodRefusal.reset();
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string): number => statSync(path).mode & 0o777;
/** The files a store in WAL mode keeps while it runs. */
const filesOf = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`];

/**
 * What a crash leaves at `path`: a database not (yet) in WAL mode, as at the store's first open,
 * with the rollback journal of a write that never finished (its `-journal` is hot: a copy holds no
 * lock), both mode 644 as an older umask or an operator's copy left them.
 */
function crashImage(path: string): void {
  const live = join(dir, 'live');
  mkdirSync(live);
  const db = new Database(join(live, 'events.db'));
  db.exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept'); BEGIN IMMEDIATE; INSERT INTO t VALUES ('torn')");
  for (const suffix of ['', '-journal']) copyFileSync(join(live, `events.db${suffix}`), `${path}${suffix}`);
  db.close();
  for (const suffix of ['', '-journal']) chmodSync(`${path}${suffix}`, 0o644);
}
async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const anEvent = () => [{ eventId: randomUUID(), type: 'T', data: { a: 1 } }];

describe('the sqlite store file', () => {
  it('is created mode 600, and so are its -wal and -shm files, whatever the umask allows', async () => {
    const previous = process.umask(0o022);
    try {
      const path = join(dir, 'nested', 'events.db');
      const store = new SqliteEventStore(path);
      await store.append('case-M-1', anEvent());
      for (const file of filesOf(path)) {
        expect(existsSync(file), file).toBe(true);
        expect(modeOf(file), file).toBe(0o600);
      }
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('an existing database readable by others (644) is mode 600 once opened, and so are the -wal and -shm a running engine left, its events kept', async () => {
    const path = join(dir, 'events.db');
    const running = new SqliteEventStore(path); // another engine on the file: its -wal and -shm stay
    await running.append('case-M-1', anEvent());
    for (const file of filesOf(path)) chmodSync(file, 0o644); // an operator's copy, an older version
    const store = new SqliteEventStore(path);
    for (const file of filesOf(path)) expect(modeOf(file), file).toBe(0o600);
    await store.append('case-M-2', anEvent());
    expect(await drain(store.readStream('case-M-1'))).toHaveLength(1);
    expect(await drain(running.readStream('case-M-2'))).toHaveLength(1);
    await store.close();
    await running.close();
  });

  it('a new -wal and -shm beside an existing 644 database are mode 600: the database is tightened before SQLite opens it', async () => {
    const path = join(dir, 'events.db');
    writeFileSync(path, ''); // an empty file is a new database
    chmodSync(path, 0o644);
    const store = new SqliteEventStore(path);
    await store.append('case-M-1', anEvent());
    for (const file of filesOf(path)) expect(modeOf(file), file).toBe(0o600);
    await store.close();
  });

  it('an existing database the engine may not tighten (not its owner) is refused at open, naming the file and its mode', async () => {
    const path = join(dir, 'events.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    chmodRefusal.code = 'EPERM';
    expect(() => new SqliteEventStore(path)).toThrow(
      `event store sqlite:${path} unavailable: cannot open the database (${path} is mode 644 and cannot be made 600 (EPERM: the engine's user is not its owner); chown it to that user or chmod 600 it)`,
    );
    chmodRefusal.code = undefined;
    chmodSync(path, 0o600); // an operator's fix
    chmodRefusal.code = 'EPERM'; // nothing left to tighten
    const store = new SqliteEventStore(path);
    await store.close();
  });

  it('a -wal the engine may not tighten is refused at open, naming it (the database file itself being 600)', async () => {
    const path = join(dir, 'events.db');
    const running = new SqliteEventStore(path);
    await running.append('case-M-1', anEvent());
    chmodSync(`${path}-wal`, 0o644);
    chmodRefusal.code = 'EPERM';
    expect(() => new SqliteEventStore(path)).toThrow(`(${path}-wal is mode 644 and cannot be made 600 (EPERM`);
    await running.close();
  });

  // Session 26: only the database, -wal and -shm were tightened; a rollback journal a crash left kept its 644.
  it('a rollback journal a crash left (644) is made 600 with the database, before SQLite reads it', () => {
    const path = join(dir, 'events.db');
    crashImage(path);
    makeDatabaseFilesPrivate(path);
    for (const file of [path, `${path}-journal`]) expect(modeOf(file), file).toBe(0o600);
  });

  it('a rollback journal the engine may not tighten is refused at open, naming it (the database file being 600)', async () => {
    const path = join(dir, 'events.db');
    crashImage(path);
    chmodSync(path, 0o600);
    chmodRefusal.code = 'EPERM';
    expect(() => new SqliteEventStore(path)).toThrow(`(${path}-journal is mode 644 and cannot be made 600 (EPERM`);
    chmodRefusal.code = undefined;
    const store = new SqliteEventStore(path); // its user may: tightened, rolled back, turned to WAL mode
    expect(modeOf(path)).toBe(0o600);
    expect(existsSync(`${path}-journal`)).toBe(false);
    await store.append('case-M-1', anEvent());
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual(['kept']); // the unfinished write rolled back
    db.close();
  });

  it('a :memory: store touches no file', async () => {
    const store = new SqliteEventStore(':memory:');
    await store.append('case-M-1', anEvent());
    expect(existsSync(':memory:')).toBe(false);
    await store.close();
  });
});
