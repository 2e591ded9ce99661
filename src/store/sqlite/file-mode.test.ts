import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from './sqlite-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-mode-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('the sqlite store file', () => {
  it('is created mode 600, and so are its -wal and -shm files, whatever the umask allows', async () => {
    const previous = process.umask(0o022);
    try {
      const path = join(dir, 'nested', 'events.db');
      const store = new SqliteEventStore(path);
      await store.append('case-M-1', [{ eventId: randomUUID(), type: 'T', data: { a: 1 } }]);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(file), file).toBe(true);
        expect(modeOf(file), file).toBe(0o600);
      }
      await store.close();
    } finally {
      process.umask(previous);
    }
  });
  it('an existing database keeps its mode (the operator chose it)', async () => {
    const path = join(dir, 'events.db');
    writeFileSync(path, '');
    chmodSync(path, 0o640);
    const store = new SqliteEventStore(path);
    await store.append('case-M-1', [{ eventId: randomUUID(), type: 'T', data: { a: 1 } }]);
    expect(modeOf(path)).toBe(0o640);
    await store.close();
  });
});
