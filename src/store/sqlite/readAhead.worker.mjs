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
 * workerData: { path, sql, bounds, after (bigint), pageSize, credits, chunkChars, headSql, withIds }.
 * Messages posted: { kind: 'page', texts, lengths, numbers, ids, idLengths, last, head } (the
 * eventIds apart with `withIds`: the rows form, PACKED_ROW_COLUMNS; the
 * typed arrays transferred; `head`, when `headSql` is given, is the head
 * position read before the page's query, -1 for an empty log);
 * { kind: 'error', code, message, after } (the read after `after` failed; the
 * main thread reports it as the store reports its own).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, sql, pageSize, chunkChars, headSql, withIds } = workerData;
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
 * The texts of column `column` of the rows joined into chunks of whole texts of
 * at most `chunkChars` (unless one text is longer), and their lengths.
 */
function chunked(rows, column) {
  const lengths = new Int32Array(rows.length);
  const chunks = [];
  let chunk = [];
  let chunkLength = 0;
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][column];
    const text = typeof value === 'string' ? value : String(value);
    if (chunkLength > 0 && chunkLength + text.length > chunkChars) {
      chunks.push(chunk.join(''));
      chunk = [];
      chunkLength = 0;
    }
    chunk.push(text);
    chunkLength += text.length;
    lengths[i] = text.length;
  }
  if (chunkLength > 0) chunks.push(chunk.join(''));
  return { chunks, lengths };
}

/**
 * Rows [position, revision, packed text (, quoted eventId)] as one page: the
 * texts in chunks (chunked), positions and revisions; the eventIds of the rows
 * form likewise, apart.
 */
function pack(rows) {
  const numbers = new Float64Array(rows.length * 2);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    numbers[2 * i] = integer(row[0], row, 'position');
    numbers[2 * i + 1] = integer(row[1], row, 'revision');
  }
  const { chunks, lengths } = chunked(rows, 2);
  if (!withIds) return { texts: chunks, lengths, numbers };
  const ids = chunked(rows, 3);
  return { texts: chunks, lengths, numbers, ids: ids.chunks, idLengths: ids.lengths };
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
    const transfer = [page.lengths.buffer, page.numbers.buffer];
    if (page.idLengths !== undefined) transfer.push(page.idLengths.buffer);
    parentPort.postMessage({ kind: 'page', ...page, last, head }, transfer);
  }
  if (finished && db?.open) db.close();
}

parentPort.on('message', (message) => {
  credits += message.credits;
  pump();
});
pump();
