import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The event log is evidence: a new database file is created mode 600 before
 * SQLite opens it (an empty file is a new database), and SQLite gives its
 * -wal and -shm files the database file's mode. An existing file keeps its mode.
 */
export function createPrivateFile(path: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
