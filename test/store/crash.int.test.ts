/**
 * Durability of the sqlite store against a process crash: a child appends in a
 * loop and prints each acknowledged append; it is killed with SIGKILL mid-flight.
 * Reopened, every acknowledged append is there, every batch is whole, stream
 * revisions are contiguous, and the store accepts new appends.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFilesOf } from '../../src/store/sqlite/databaseFiles.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RecordedEvent } from '../../src/store/port.js';

const dir = mkdtempSync(join(tmpdir(), 'store-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ack {
  streamId: string;
  batch: number;
  ids: string[];
  revision: string;
}

function runAndKill(dbPath: string, acksBeforeKill: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/fixtures/append-forever.ts', dbPath], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // a torn last line is not an acknowledgement
      for (const line of lines) acks.push(JSON.parse(line) as Ack);
      if (!killed && acks.length >= acksBeforeKill) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

const collect = async (it: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
};

describe('sqlite store after SIGKILL of the writing process', () => {
  it('keeps every acknowledged append, whole batches, contiguous revisions, and stays writable', async () => {
    const dbPath = join(dir, 'crash.db');
    for (let round = 0; round < 2; round++) {
      // two independent crashes, each on a fresh database
      const acks = await runAndKill(dbPath, 300);
      expect(acks.length).toBeGreaterThanOrEqual(300);
      const store = new SqliteEventStore(dbPath);
      try {
        const all = await collect(store.readAll());
        const byId = new Map(all.map((e) => [e.eventId, e]));
        for (const ack of acks) {
          const stored = ack.ids.map((id) => byId.get(id));
          expect(stored.every((e) => e !== undefined && e.streamId === ack.streamId)).toBe(true);
          expect(stored.at(-1)!.revision).toBe(BigInt(ack.revision));
        }
        const batches = new Map<string, RecordedEvent[]>();
        const streams = new Map<string, RecordedEvent[]>();
        for (const e of all) {
          const key = String((e.data as { batch: number }).batch);
          batches.set(key, [...(batches.get(key) ?? []), e]);
          streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
        }
        for (const events of batches.values()) {
          const size = (events[0]!.data as { size: number }).size;
          expect(events.length).toBe(size);
        }
        for (const events of streams.values()) {
          expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
        }
        const last = streams.get('case-crash0')!.at(-1)!;
        const after = await store.append(
          'case-crash0',
          [{ eventId: crypto.randomUUID(), type: 'CaseEscalated', data: {} }],
          {
            expectedRevision: last.revision,
          },
        );
        expect(after.nextExpectedRevision).toBe(last.revision + 1n);
      } finally {
        await store.close();
      }
      for (const file of databaseFilesOf(dbPath)) rmSync(file, { force: true });
    }
  });
});
