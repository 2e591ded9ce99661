import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFolders } from './makeFolders.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'make-folders-'));
  dirs.push(d);
  return d;
};

describe('makeFolders (mkdir -p, one folder at a time)', () => {
  it('makes every missing folder, and is a no-op when the folder is there', () => {
    const target = join(scratch(), 'a', 'b', 'c');
    makeFolders(target);
    expect(existsSync(target)).toBe(true);
    expect(() => makeFolders(target)).not.toThrow();
  });

  it('fails at once naming the cause where a folder cannot be made (recursive mkdir spun there)', () => {
    expect(() => makeFolders('/proc/nope/events')).toThrow(/ENOENT/);
    const file = join(scratch(), 'file');
    writeFileSync(file, 'x');
    expect(() => makeFolders(join(file, 'sub'))).toThrow(/ENOTDIR/);
  });
});
