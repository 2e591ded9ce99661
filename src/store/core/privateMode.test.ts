import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tightenPathToPrivate, tightenToPrivate } from './privateMode.js';

/**
 * Set to make chmod and fchmod fail with an errno code (the tests run as root, on a writable
 * file system): as Node does, the error's message begins with its code unless `message` is given.
 */
const refuses = vi.hoisted(() => ({ code: undefined as string | undefined, message: undefined as string | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const refusal = (call: string) =>
    Object.assign(new Error(refuses.message ?? `${refuses.code}: refused, ${call}`), { code: refuses.code });
  const chmodSync: typeof fs.chmodSync = (path, mode) => {
    if (refuses.code !== undefined) throw refusal('chmod');
    fs.chmodSync(path, mode);
  };
  const fchmodSync: typeof fs.fchmodSync = (fd, mode) => {
    if (refuses.code !== undefined) throw refusal('fchmod');
    fs.fchmodSync(fd, mode);
  };
  return { ...fs, chmodSync, fchmodSync };
});

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'private-mode-'));
  file = join(dir, 'evidence');
  writeFileSync(file, '');
  chmodSync(file, 0o644);
});
afterEach(() => {
  refuses.code = undefined;
  refuses.message = undefined;
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
    refuses.code = 'EPERM';
    expect(() => tighten(file)).toThrow(
      `${file} is mode 644 and cannot be made 600 (EPERM: the engine's user is not its owner); chown it to that user or chmod 600 it`,
    );
  });

  it('EROFS: a read-only file system, not ownership', () => {
    refuses.code = 'EROFS';
    const refused = () => tighten(file);
    expect(refused).toThrow(
      `${file} is mode 644 and cannot be made 600 (EROFS: it is on a read-only file system); mount its file system read-write, or chmod 600 it before mounting it read-only`,
    );
    expect(refused).not.toThrow(/owner/);
  });

  it('any other code: the error as it came, its code first', () => {
    refuses.code = 'EIO';
    expect(() => tighten(file)).toThrow(
      `${file} is mode 644 and cannot be made 600 (EIO: refused, ${call}); chmod 600 it`,
    );
    refuses.message = 'the disk went away';
    expect(() => tighten(file)).toThrow(
      `${file} is mode 644 and cannot be made 600 (EIO: the disk went away); chmod 600 it`,
    );
  });

  it('a file already 600 is left alone, whatever chmod would answer', () => {
    chmodSync(file, 0o600);
    refuses.code = 'EROFS';
    expect(() => tighten(file)).not.toThrow();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
