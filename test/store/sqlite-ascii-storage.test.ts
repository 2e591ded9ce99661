import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RecordedEvent } from '../../src/store/port.js';

const dir = mkdtempSync(join(tmpdir(), 'store-sqlite-ascii-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const body = {
  matterName: '食品经营许可',
  emoji: '😀',
  loneSurrogate: '\ud800x',
  separators: 'é\u2028\u2029',
  quoteAndSlash: '"\\/',
  nested: { list: ['办结', 1, null, true] },
};

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('sqlite store: JSON bodies are stored as ASCII', () => {
  it('stores non-ASCII characters as \\u escapes and reads back the same body on every read path', async () => {
    const path = join(dir, 'ascii.db');
    const store = new SqliteEventStore(path);
    await store.append('case-ascii1', [{ eventId: randomUUID(), type: 'CaseAccepted', data: body }]);

    const raw = new Database(path, { readonly: true });
    const stored = raw.prepare('SELECT data FROM events').pluck().get() as string;
    raw.close();
    expect(stored).toMatch(/^[ -~\t\n\r]*$/);
    expect(stored).toContain('\\u98df');

    const [fromAll] = await collect(store.readAll());
    const [fromStream] = await collect(store.readStream('case-ascii1'));
    const [[fromBatch] = []] = await collect(store.readAllBatches());
    const sub = store.subscribeToAll({ fromPosition: 'start' });
    let fromSub: RecordedEvent | undefined;
    for await (const m of sub) {
      if (m.kind === 'event') fromSub = m.event;
      if (m.kind === 'caught-up') break;
    }
    await sub.close();
    for (const e of [fromAll, fromStream, fromBatch, fromSub]) expect(e?.data).toEqual(body);
    await store.close();
  });

  it('reads rows stored unescaped (by earlier versions) unchanged', async () => {
    const path = join(dir, 'legacy.db');
    const store = new SqliteEventStore(path);
    await store.append('case-ascii2', [{ eventId: randomUUID(), type: 'CaseAccepted', data: { x: 1 } }]);
    await store.close();
    const raw = new Database(path);
    raw.prepare('UPDATE events SET data = ?').run(JSON.stringify(body));
    raw.close();

    const reopened = new SqliteEventStore(path);
    const [event] = await collect(reopened.readAll());
    expect(event?.data).toEqual(body);
    await reopened.close();
  });
});
