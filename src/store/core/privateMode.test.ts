import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodRefusal } from './chmodRefusal.testSupport.js';
import { tightenPathToPrivate, tightenToPrivate } from './privateMode.js';

vi.mock('node:fs', async (original) =>
  (await import('./chmodRefusal.testSupport.js')).refusingChmod(await original<typeof import('node:fs')>()),
);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'private-mode-'));
  file = join(dir, 'evidence');
  writeFileSync(file, '');
  chmodSync(file, 0o644);
});
afterEach(() => {
  chmodRefusal.reset();
  rmSync(dir, { recursive: true, force: true });
});

/** Both ways of tightening: through a descriptor, and by path. */
const WAYS = [
  [
    'tightenToPrivate',
    (path: string) => {
      const fd = openSync(path, 'r');
      try {
        tightenToPrivate(fd, path);
      } finally {
        closeSync(fd);
      }
    },
    'fchmod',
  ],
  ['tightenPathToPrivate', tightenPathToPrivate, 'chmod'],
] as const;

describe.each(WAYS)('%s: a refused chmod is worded by its code', (_name, tighten, call) => {
  it('EPERM: the engine’s user is not its owner', () => {
    chmodRefusal.code = 'EPERM';
    expect(() => tighten(file)).toThrow(
      `${file} is mode 644 and cannot be made 600 (EPERM: the engine's user is not its owner); chown it to that user or chmod 600 it`,
    );
  });

  it('EROFS: a read-only file system, not ownership', () => {
    chmodRefusal.code = 'EROFS';
    const refused = () => tighten(file);
    expect(refused).toThrow(
      `${file} is mode 644 and cannot be made 600 (EROFS: it is on a read-only file system); mount its file system read-write, or chmod 600 it before mounting it read-only`,
    );
    expect(refused).not.toThrow(/owner/);
  });

  it('any other code: the error as it came, its code first', () => {
    chmodRefusal.code = 'EIO';
    expect(() => tighten(file)).toThrow(
      `${file} is mode 644 and cannot be made 600 (EIO: refused, ${call}); chmod 600 it`,
    );
    chmodRefusal.message = 'the disk went away';
    expect(() => tighten(file)).toThrow(
      `${file} is mode 644 and cannot be made 600 (EIO: the disk went away); chmod 600 it`,
    );
  });

  it('a file already 600 is left alone, whatever chmod would answer', () => {
    chmodSync(file, 0o600);
    chmodRefusal.code = 'EROFS';
    expect(() => tighten(file)).not.toThrow();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
