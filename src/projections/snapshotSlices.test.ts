import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type CaseState, initialCaseState } from '../domain/index.js';
import { readSnapshot, SNAPSHOT_CHUNK_BYTES, SNAPSHOT_CHUNK_CHARS, writeSnapshot } from './snapshot.js';

const header = {
  checkpoint: '3',
  storeName: 'memory',
  storeIdentity: 'test',
  storeHead: '3',
  calendarEvents: [],
  policyVersion: 'p',
  calendarVersion: 'c',
};

/** Every write of `work`'s snapshot file, by its length, in order. */
async function writesOf(work: () => Promise<void>): Promise<number[]> {
  const writes: number[] = [];
  const open = fs.open.bind(fs);
  const spy = vi.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof fs.open>) => {
    const handle = await open(...args);
    const write = handle.write.bind(handle) as (chunk: string | Uint8Array) => Promise<unknown>;
    (handle as unknown as { write: (chunk: string | Uint8Array) => Promise<unknown> }).write = (chunk) => {
      writes.push(chunk.length);
      return write(chunk);
    };
    return handle;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return writes;
}

describe('the snapshot writer', () => {
  it("writes the rows' bytes 1 MiB at a time (each a turn of the event loop), and they read back whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-slices-'));
    try {
      const file = join(dir, 'snap.jsonl');
      const column = Float64Array.from({ length: 3 * 131_072 + 5 }, (_, i) => i / 7); // 3 MiB and 40 bytes
      const rows = { a: column, b: new Uint8Array(10) };
      const writes = await writesOf(() => writeSnapshot(file, header, [], [], rows));
      expect(SNAPSHOT_CHUNK_BYTES).toBe(1 << 20);
      expect(Math.max(...writes)).toBe(SNAPSHOT_CHUNK_BYTES);
      expect(writes.filter((n) => n === SNAPSHOT_CHUNK_BYTES).length).toBe(3);
      const read = await readSnapshot(file);
      expect(read?.rows).toStrictEqual(rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serialises at most one chunk of 64 KiB between two turns of the event loop, and the file reads back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snap-slices-'));
    try {
      const file = join(dir, 'snap.jsonl');
      // 4,000 states of ≈ 500 characters: ≈ 2 MB of NDJSON.
      const states: CaseState[] = Array.from(
        { length: 4_000 },
        (_, i) => ({ ...initialCaseState(`S-${i}`), revision: i, status: 'x'.repeat(400) }) as unknown as CaseState,
      );
      const line = JSON.stringify(states[0]).length + 1;
      // Every write of the file, in order: each chunk is serialised right before its write is awaited.
      const writes: number[] = [];
      const open = fs.open.bind(fs);
      const spy = vi.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof fs.open>) => {
        const handle = await open(...args);
        const write = handle.write.bind(handle) as (chunk: string) => Promise<unknown>;
        (handle as unknown as { write: (chunk: string) => Promise<unknown> }).write = (chunk: string) => {
          writes.push(chunk.length);
          return write(chunk);
        };
        return handle;
      });
      try {
        await writeSnapshot(file, header, states);
      } finally {
        spy.mockRestore();
      }
      // 64 KiB and one state line at most per write (1 MiB before: 2 writes for this file).
      expect(Math.max(...writes)).toBeLessThanOrEqual(64 * 1024 + 2 * line);
      expect(writes.length).toBeGreaterThan(25);
      expect(SNAPSHOT_CHUNK_CHARS).toBe(64 * 1024);
      const read = await readSnapshot(file);
      expect(read?.states.map((s) => s.caseId)).toEqual(states.map((s) => s.caseId));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
