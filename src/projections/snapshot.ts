/**
 * Writing the projection snapshot (format: snapshotFormat.ts; reading:
 * snapshotRead.ts): the header, the completed cases as rows in binary, the
 * cases held as objects and the complaints as JSON lines, and a trailer with
 * the SHA-256 of every byte before it. Written atomically (temp file, fsync,
 * rename) and a slice at a time, so the engine's event loop is never held long.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { makeFolders } from '../store/core/makeFolders.js';
import { PRIVATE_MODE } from '../store/core/privateMode.js';
import type { CaseState } from '../domain/index.js';
import type { ComplaintState } from '../domain/complaints/evolve.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SavedWithdrawal, type SnapshotHeader } from './snapshotFormat.js';
import { BYTE_ORDER, bytesOf, encodeParts, type Parts } from './snapshotRows.js';

export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotError, type SnapshotHeader } from './snapshotFormat.js';
export { readSnapshot, readSnapshotHeader, type SnapshotContent } from './snapshotRead.js';

/**
 * Characters serialised (and hashed) between two writes; each write is a turn of the event loop.
 * 64 KiB, ≈ 1 ms of JSON.stringify: with 1 MiB the writer held the loop 26–38 ms a chunk while the
 * engine ran (issue 13, docs/reliability.md §8); the number of writes does not change its speed.
 */
export const SNAPSHOT_CHUNK_CHARS = 1 << 16;
/** Bytes of the rows' columns hashed and written per turn (≈ 2 ms of SHA-256; nothing is serialised). */
export const SNAPSHOT_CHUNK_BYTES = 1 << 20;

/** What the caller of `writeSnapshot` names; the rest of the header follows from the content. */
export type SnapshotHeaderInput = Omit<
  SnapshotHeader,
  | 'format'
  | 'version'
  | 'cases'
  | 'complaints'
  | 'withdrawnCards'
  | 'rows'
  | 'partition'
  | 'policiesSeen'
  | 'directoryVersion'
  | 'openWrites'
> &
  Partial<Pick<SnapshotHeader, 'partition' | 'policiesSeen' | 'directoryVersion' | 'openWrites'>>;

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

/**
 * Write atomically: a reader sees the old snapshot or the new one, never a mix.
 * `rows`: the case table's parts (caseTable.ts `exportParts`), a copy nothing
 * else changes; `states` are then the cases it holds as objects. Without
 * `rows`, `states` are every case, in the order first seen.
 */
export async function writeSnapshot(
  file: string,
  header: SnapshotHeaderInput,
  states: readonly CaseState[],
  complaints: readonly ComplaintState[] = [],
  rows?: Parts,
  withdrawn: readonly SavedWithdrawal[] = [],
): Promise<void> {
  makeFolders(dirname(file));
  await removeOrphanedTemps(file);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  // Always a new file, so mode 600: one of this pid left by an earlier process (a container's
  // engine is pid 1 at every start) would keep its mode through 'w' and pass it to the snapshot.
  await fs.rm(tmp, { force: true });
  const fh = await fs.open(tmp, 'wx', PRIVATE_MODE);
  const hash = createHash('sha256');
  try {
    const encoded = rows === undefined ? undefined : encodeParts(rows);
    const full: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      cases: states.length,
      complaints: complaints.length,
      withdrawnCards: withdrawn.length,
      partition: null,
      policiesSeen: 0,
      directoryVersion: null,
      openWrites: { cases: null, complaint: null },
      ...header,
      rows:
        encoded === undefined
          ? null
          : { jsonBytes: Buffer.byteLength(encoded.json), binaryBytes: encoded.binaryBytes, byteOrder: BYTE_ORDER },
    };
    let chunk = `${JSON.stringify(full)}\n`;
    const flush = async (): Promise<void> => {
      hash.update(chunk);
      await fh.write(chunk);
      chunk = '';
    };
    if (encoded !== undefined) {
      chunk += `${encoded.json}\n`;
      await flush();
      for (const column of encoded.columns) {
        const bytes = bytesOf(column);
        for (let at = 0; at < bytes.length; at += SNAPSHOT_CHUNK_BYTES) {
          const slice = bytes.subarray(at, at + SNAPSHOT_CHUNK_BYTES);
          hash.update(slice);
          await fh.write(slice);
        }
      }
      chunk = '\n';
    }
    // Two loops, not one over a concatenation: no copy of a province's case list just to write it.
    for (const list of [states, complaints, withdrawn] as const)
      for (const state of list) {
        chunk += `${JSON.stringify(state)}\n`;
        if (chunk.length >= SNAPSHOT_CHUNK_CHARS) await flush();
      }
    hash.update(chunk);
    chunk += `${JSON.stringify({ end: true, cases: states.length, sha256: hash.digest('hex') })}\n`;
    await fh.write(chunk);
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
