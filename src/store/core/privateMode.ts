import { fchmodSync, fstatSync } from 'node:fs';

/** Owner read and write, no one else: the mode of the files of evidence the engine writes. */
export const PRIVATE_MODE = 0o600;

/** A file mode as `ls` and `chmod` write it (`644`). */
const octal = (mode: number): string => mode.toString(8).padStart(3, '0');

/**
 * A file keeps the mode it was created with, so one found at start (left `644` by an operator or
 * an older version) is tightened to PRIVATE_MODE through its open descriptor. When this process
 * may not (EPERM: it is not the file's owner), the error names the path and the mode found, and
 * the start stops rather than keep writing evidence others may read.
 */
export function tightenToPrivate(fd: number, path: string): void {
  const mode = fstatSync(fd).mode & 0o777;
  if (mode === PRIVATE_MODE) return;
  try {
    fchmodSync(fd, PRIVATE_MODE);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(
      `${path} is mode ${octal(mode)} and cannot be made ${octal(PRIVATE_MODE)} (${code}: the engine's user is not its owner); chown it to that user or chmod ${octal(PRIVATE_MODE)} it`,
    );
  }
}
