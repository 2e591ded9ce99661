import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./read-ahead-child.ts', import.meta.url));

describe('sqlite read-ahead worker and the process', () => {
  it('holds the process while a page is awaited, and not while idle (a read left without return or close)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'read-ahead-process-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, join(dir, 'events.db')], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.signal, `the child was killed at the timeout: the idle worker kept it alive\n${r.stderr}`).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('read 3000, then 50 and left 1 worker\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
