/**
 * The read-ahead worker of SqliteEventStore.readAllBatches (readAhead.ts):
 * runs the store's `$all` query (prefixFilter.ts allReadQuery, with the packed
 * columns of readAhead.ts) page after page on its own read-only connection, so
 * SQLite's stepping and the conversion of columns into JavaScript values happen
 * on this thread, and posts each page as one string (readAhead.ts, "Page
 * layout"). At most `credits` pages are in flight: the main thread grants
 * more as it takes them (CREDITS_A_MESSAGE at a time). Plain JavaScript, so the
 * Worker needs no TypeScript loader.
 *
 * workerData: { path, sql, bounds, after (bigint), pageSize, credits, chunkChars, headSql }.
 * Messages posted: { kind: 'page', texts, lengths, numbers, last, head } (the
 * typed arrays transferred; `head`, when `headSql` is given, is the head
 * position read before the page's query, -1 for an empty log);
 * { kind: 'error', code, message, after } (the read after `after` failed; the
 * main thread reports it as the store reports its own).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, sql, pageSize, chunkChars, headSql } = workerData;
/** A bound that was a Buffer arrives as a Uint8Array. */
const bounds = workerData.bounds.map((b) => (typeof b === 'string' ? b : Buffer.from(b)));
let after = workerData.after;
let credits = workerData.credits;
let finished = false;
let db;
let statement;
let headStatement;

/** Positions and revisions are integers below 2^53; anything else is damage (SQLite's own word for it). */
function integer(value, row, column) {
  if (Number.isSafeInteger(value)) return value;
  const error = new Error(`the ${column} of the row after position ${after} is not an integer (${row[0]})`);
  error.code = 'SQLITE_CORRUPT';
  throw error;
}

/**
 * Rows [position, revision, packed text] as one page: the texts joined into
 * chunks of whole rows of at most `chunkChars` (unless one row is longer), their
 * lengths, positions and revisions.
 */
function pack(rows) {
  const lengths = new Int32Array(rows.length);
  const numbers = new Float64Array(rows.length * 2);
  const chunks = [];
  let chunk = [];
  let chunkLength = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const text = typeof row[2] === 'string' ? row[2] : String(row[2]);
    if (chunkLength > 0 && chunkLength + text.length > chunkChars) {
      chunks.push(chunk.join(''));
      chunk = [];
      chunkLength = 0;
    }
    chunk.push(text);
    chunkLength += text.length;
    lengths[i] = text.length;
    numbers[2 * i] = integer(row[0], row, 'position');
    numbers[2 * i + 1] = integer(row[1], row, 'revision');
  }
  if (chunkLength > 0) chunks.push(chunk.join(''));
  return { texts: chunks, lengths, numbers };
}

function fail(error) {
  finished = true;
  parentPort.postMessage({
    kind: 'error',
    code: typeof error?.code === 'string' ? error.code : undefined,
    message: String(error?.message ?? error),
    after,
  });
}

function pump() {
  while (credits > 0 && !finished) {
    let rows;
    let page;
    let head;
    try {
      db ??= new Database(path, { readonly: true, fileMustExist: true });
      statement ??= db.prepare(sql).raw();
      // Before the page: a page that comes back short saw at least this head (allPages.ts scannedTo).
      if (headSql !== undefined) head = (headStatement ??= db.prepare(headSql).pluck()).get() ?? -1;
      rows = statement.all(after, ...bounds, pageSize);
      page = pack(rows);
    } catch (error) {
      fail(error);
      return;
    }
    const last = rows.length < pageSize;
    if (rows.length > 0) after = BigInt(rows[rows.length - 1][0]);
    credits--;
    finished = last;
    parentPort.postMessage({ kind: 'page', ...page, last, head }, [page.lengths.buffer, page.numbers.buffer]);
  }
  if (finished && db?.open) db.close();
}

parentPort.on('message', (message) => {
  credits += message.credits;
  pump();
});
pump();
