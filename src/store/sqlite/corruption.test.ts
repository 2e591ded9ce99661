import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { damageEventsPage, garbleEventBody } from '../../../test/support/sqliteDamage.js';
import { StoreCorruptError, type RecordedEvent } from '../port.js';
import { SqliteEventStore } from './sqlite-store.js';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-corrupt-'));
  path = join(dir, 'events.db');
  const store = new SqliteEventStore(path);
  for (let i = 0; i < 300; i++) {
    await store.append(`case-C-${i}`, [
      { eventId: randomUUID(), type: 'CaseAccepted', data: { pad: 'x'.repeat(200) } },
    ]);
  }
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('a damaged sqlite store says it is corrupt', () => {
  it('a damaged page: reads of its streams fail as corrupt, naming the stream; reported once per place; the rest reads', async () => {
    damageEventsPage(path, 1);
    const reported: StoreCorruptError[] = [];
    const store = new SqliteEventStore(path, { onCorruption: (e) => reported.push(e) });
    expect(store.corruption()).toBeUndefined();
    expect(await store.headPosition()).toBe(300n);
    expect((await drain(store.readStream('case-C-299'))).length).toBe(1);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await drain(store.readStream('case-C-0')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect(error).toMatchObject({ code: 'store-corrupt', where: 'stream case-C-0' });
      expect((error as Error).message).toMatch(/^event store sqlite:.* is corrupt \(stream case-C-0\): /);
    }
    expect(reported).toHaveLength(1);
    expect(store.corruption()).toBe(reported[0]);
    const all = await drain(store.readAll()).catch((e: unknown) => e);
    expect(all).toBeInstanceOf(StoreCorruptError);
    expect(reported.map((e) => e.where)).toEqual(['stream case-C-0', 'positions from 0']);
    await store.close();
  });

  it('a record that does not parse: corrupt, naming its stream and position, on every read path', async () => {
    garbleEventBody(path, 7);
    const store = new SqliteEventStore(path);
    const where = 'stream case-C-6 at position 7';
    await expect(drain(store.readStream('case-C-6'))).rejects.toMatchObject({ code: 'store-corrupt', where });
    await expect(drain(store.readAllBatches())).rejects.toMatchObject({ code: 'store-corrupt', where });
    const sub = store.subscribeToAll({ fromPosition: 'start' });
    const seen: RecordedEvent[] = [];
    const failed = await (async () => {
      for await (const m of sub) if (m.kind === 'event') seen.push(m.event);
    })().catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'store-corrupt', where });
    expect(seen.length).toBeLessThan(7);
    await store.close();
  });

  it('a file that is not a database: corrupt at open', () => {
    rmSync(path);
    writeFileSync(path, 'this is not a sqlite database at all, just text '.repeat(200));
    expect(() => new SqliteEventStore(path)).toThrow(StoreCorruptError);
  });
});
