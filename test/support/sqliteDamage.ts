/**
 * Damage a sqlite event store on disk the way a failing disk would, for the
 * tests of how loudly the engine reports it. The store must be closed (its
 * WAL checkpointed into the file).
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Overwrite the header of the `events` table's leaf page that holds the event
 * at `position` with garbage: the events on that page no longer read; the
 * other pages (the newest events, the indexes) still do. Returns the page number.
 */
export function damageEventsPage(path: string, position: number): number {
  const db = new Database(path, { readonly: true });
  let page: number | undefined;
  let pageSize: number;
  try {
    pageSize = db.pragma('page_size', { simple: true }) as number;
    // dbstat's `path` orders a table's leaves left to right, i.e. in rowid (position) order.
    const leaves = db
      .prepare("SELECT pageno, ncell FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY path")
      .all() as { pageno: number; ncell: number }[];
    const rank = db.prepare('SELECT COUNT(*) FROM events WHERE position < ?').pluck().get(position) as number;
    let before = 0;
    for (const leaf of leaves) {
      if (rank < before + leaf.ncell) {
        page = leaf.pageno;
        break;
      }
      before += leaf.ncell;
    }
  } finally {
    db.close();
  }
  if (page === undefined) throw new Error(`no leaf page of events holds position ${position}`);
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return page;
}

/** Replace the stored JSON body of the event at `position` with text that does not parse. */
export function garbleEventBody(path: string, position: number): void {
  const db = new Database(path);
  try {
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run('{"type":"CaseAcc', position);
  } finally {
    db.close();
  }
}
