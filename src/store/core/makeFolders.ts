import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one folder at a time. Node's recursive mkdir (sync and async) spins for ever on some
 * paths (/proc/nonexistent/x), where making each missing folder one by one fails at once with the
 * cause (ENOENT, EACCES, ENOTDIR…). Every file the engine creates (the sqlite store, the access
 * trail, the snapshot) makes its folder through here.
 */
export function makeFolders(folder: string): void {
  const absolute = resolve(folder);
  if (existsSync(absolute)) return;
  const parent = dirname(absolute);
  if (parent !== absolute) makeFolders(parent);
  try {
    mkdirSync(absolute);
  } catch (e) {
    // Another process (a second engine, a test beside it) made it since existsSync: it is there.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
