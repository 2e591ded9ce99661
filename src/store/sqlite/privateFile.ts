import { closeSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeFolders } from '../core/makeFolders.js';
import { PRIVATE_MODE, tightenPathToPrivate } from '../core/privateMode.js';
import { databaseFilesOf } from './databaseFiles.js';

/**
 * The event log is evidence (case ids, personal data in events): before SQLite opens it, a new
 * database file is created mode 600 (an empty file is a new database), and an existing one, with
 * the `-journal`, `-wal` and `-shm` a running or crashed engine left (databaseFiles.ts), is
 * tightened to 600 (`644` left by an operator's copy or an older version), or the open fails
 * naming the file and its mode. SQLite gives a new side file the database file's mode, so the
 * database goes first. The read-ahead worker's read-only connection opens the store's file after
 * this, and changes nothing.
 */
export function makeDatabaseFilesPrivate(path: string): void {
  makeFolders(dirname(resolve(path)));
  try {
    closeSync(openSync(path, 'wx', PRIVATE_MODE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (const file of databaseFilesOf(path)) tightenPathToPrivate(file);
}
