/**
 * A file of the record written whole or not at all, mode 600: a temporary file named by pid
 * beside it (always new: one of this pid left by an earlier process — a container's engine is
 * pid 1 at every start — would keep its mode through 'w'), written, fsynced, renamed over it, the
 * folder fsynced. A reader sees the old content or the new. The snapshot and the live-until
 * record are written this way.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeFolders } from '../store/core/makeFolders.js';
import { PRIVATE_MODE } from '../store/core/privateMode.js';

export async function writePrivateFileAtomically(
  file: string,
  write: (fh: FileHandle) => Promise<void>,
): Promise<void> {
  makeFolders(dirname(file));
  await removeOrphanedTemps(file);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  await fs.rm(tmp, { force: true });
  const fh = await fs.open(tmp, 'wx', PRIVATE_MODE);
  try {
    await write(fh);
    await fh.sync();
  } catch (error) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await fh.close();
  await fs.rename(tmp, file);
  try {
    const dir = await fs.open(dirname(file), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is atomic.
  }
}

/**
 * The temporary files of `file` left by processes that died while writing one (SIGKILL, power
 * loss): named by pid, so each crash left one more, as large as a snapshot (270 MB at province
 * scale). A file of a live process (a second engine on the same store) is left alone.
 */
export async function removeOrphanedTemps(file: string): Promise<void> {
  // Orphans are left by earlier processes only: one look per file per process is enough.
  if (tempsChecked.has(file)) return;
  tempsChecked.add(file);
  const prefix = `.${basename(file)}.`;
  const names = await fs.readdir(dirname(file)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    await fs.rm(join(dirname(file), name), { force: true });
  }
}

const tempsChecked = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
