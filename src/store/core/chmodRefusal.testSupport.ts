/**
 * Tests only: a `node:fs` whose chmodSync and fchmodSync fail with an errno code while
 * `chmodRefusal.code` is set. The tests run as root on a writable file system, where the
 * refusals that tightening an evidence file to mode 600 must report (EPERM: not its owner,
 * EROFS…) cannot happen for real. A test file mocks `node:fs` with it:
 *
 *   vi.mock('node:fs', async (original) =>
 *     (await import('…/chmodRefusal.testSupport.js')).refusingChmod(await original()));
 *
 * and sets `chmodRefusal.code` (and `message`, else Node's form `CODE: refused, chmod`),
 * resetting both with `chmodRefusal.reset()` after each test.
 */
import type * as Fs from 'node:fs';

export const chmodRefusal = {
  code: undefined as string | undefined,
  message: undefined as string | undefined,
  reset(): void {
    this.code = undefined;
    this.message = undefined;
  },
};

const refusal = (call: string): Error =>
  Object.assign(new Error(chmodRefusal.message ?? `${chmodRefusal.code}: refused, ${call}`), {
    code: chmodRefusal.code,
  });

export function refusingChmod(fs: typeof Fs): typeof Fs {
  const chmodSync: typeof fs.chmodSync = (path, mode) => {
    if (chmodRefusal.code !== undefined) throw refusal('chmod');
    fs.chmodSync(path, mode);
  };
  const fchmodSync: typeof fs.fchmodSync = (fd, mode) => {
    if (chmodRefusal.code !== undefined) throw refusal('fchmod');
    fs.fchmodSync(fd, mode);
  };
  return { ...fs, chmodSync, fchmodSync };
}
