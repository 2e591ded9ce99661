import { closeSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeFolders } from '../core/makeFolders.js';
import { PRIVATE_MODE } from '../core/privateMode.js';

/**
 * The event log is evidence: a new database file is created mode 600 before
 * SQLite opens it (an empty file is a new database), and SQLite gives its
 * -wal and -shm files the database file's mode. An existing file keeps its mode.
 */
export function createPrivateFile(path: string): void {
  makeFolders(dirname(resolve(path)));
  try {
    closeSync(openSync(path, 'wx', PRIVATE_MODE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
