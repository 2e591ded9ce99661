/**
 * A sqlite store's files: the database and those SQLite keeps beside it, named by their suffix.
 * `-wal` and `-shm` in WAL mode, the store's from its first open. `-journal`, the rollback journal,
 * holds the pages a write replaces while a database is not in WAL mode: the store's first open
 * writes one to turn a new database to WAL mode (seen with strace: created, then removed), and so
 * does any write by a tool that leaves the default mode; a crash then leaves it, with the pages of
 * the evidence it held, for the next open to roll back.
 */
export const SIDE_FILE_SUFFIXES = ['-journal', '-wal', '-shm'] as const;

/** The database file first, then its side files. */
export const databaseFilesOf = (path: string): string[] => [
  path,
  ...SIDE_FILE_SUFFIXES.map((suffix) => `${path}${suffix}`),
];
