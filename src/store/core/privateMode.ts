import { chmodSync, fchmodSync, fstatSync, statSync } from 'node:fs';

/** Owner read and write, no one else: the mode of the files of evidence the engine writes. */
export const PRIVATE_MODE = 0o600;

/** A file mode as `ls` and `chmod` write it (`644`). */
const octal = (mode: number): string => mode.toString(8).padStart(3, '0');

/**
 * A file keeps the mode it was created with, so one found at start (left `644` by an operator or
 * an older version) is tightened to PRIVATE_MODE through its open descriptor. When this process
 * may not (EPERM: it is not the file's owner; EROFS: a read-only file system; …), the error names
 * the path, the mode found and the cause by its code, and the start stops rather than keep
 * writing evidence others may read.
 */
export function tightenToPrivate(fd: number, path: string): void {
  tighten(fstatSync(fd).mode & 0o777, path, () => fchmodSync(fd, PRIVATE_MODE));
}

/**
 * tightenToPrivate by path, for files SQLite locks: closing any descriptor of a file drops every
 * POSIX lock this process holds on it, SQLite's included, so a descriptor opened here to fchmod
 * would unlock another connection of the process (a second store, a read-ahead worker). A file
 * that does not exist, or is gone before its chmod (a `-wal` its last connection removed), is
 * left alone: SQLite makes a new one with the database file's mode.
 */
export function tightenPathToPrivate(path: string): void {
  const found = statSync(path, { throwIfNoEntry: false });
  if (found === undefined) return;
  tighten(found.mode & 0o777, path, () => {
    try {
      chmodSync(path, PRIVATE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  });
}

function tighten(mode: number, path: string, chmod: () => void): void {
  if (mode === PRIVATE_MODE) return;
  try {
    chmod();
  } catch (e) {
    const { cause, fix } = refusal(e);
    throw new Error(`${path} is mode ${octal(mode)} and cannot be made ${octal(PRIVATE_MODE)} (${cause}); ${fix}`);
  }
}

const TO_PRIVATE = `chmod ${octal(PRIVATE_MODE)} it`;

/** The chmod refusals an operator meets, each with its cause and fix; any other is named as it came. */
const KNOWN_REFUSALS: ReadonlyMap<string, { cause: string; fix: string }> = new Map([
  ['EPERM', { cause: "EPERM: the engine's user is not its owner", fix: `chown it to that user or ${TO_PRIVATE}` }],
  [
    'EROFS',
    {
      cause: 'EROFS: it is on a read-only file system',
      fix: `mount its file system read-write, or ${TO_PRIVATE} before mounting it read-only`,
    },
  ],
]);

/** Why the chmod was refused, by its error code, and what the operator can do. */
function refusal(e: unknown): { cause: string; fix: string } {
  const code = (e as NodeJS.ErrnoException).code;
  const known = code === undefined ? undefined : KNOWN_REFUSALS.get(code);
  if (known !== undefined) return known;
  // Node's messages begin with their code ("EIO: i/o error, chmod '…'"); another error is given its code.
  const message = e instanceof Error ? e.message : String(e);
  const cause = code === undefined || message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
  return { cause, fix: TO_PRIVATE };
}
