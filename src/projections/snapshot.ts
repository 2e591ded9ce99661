/**
 * Writing the projection snapshot (format: snapshotFormat.ts; reading:
 * snapshotRead.ts): the header, the completed cases as rows in binary, the
 * cases held as objects and the complaints as JSON lines, and a trailer with
 * the SHA-256 of every byte before it. Written atomically (temp file, fsync,
 * rename) and a slice at a time, so the engine's event loop is never held long.
 */
import { createHash } from 'node:crypto';
import { writePrivateFileAtomically } from './privateFileWrite.js';
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
  await writePrivateFileAtomically(file, async (fh) => {
    const hash = createHash('sha256');
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
  });
}
