/**
 * Snapshot of the read models' source of truth: every case's folded state, the
 * calendar publications applied, and the checkpoint (last global position
 * folded), written together atomically (temp file, fsync, rename). Everything
 * else (alerts, statistics figures, the due-queue) is derived again from these
 * at start, so a restart from a snapshot equals a rebuild from zero.
 *
 * Format: NDJSON. Line 1 is the header (which store, at which position), then
 * one CaseState per line (`cases` of them), then one ComplaintState per line
 * (`complaints` of them), then a trailer `{"end":true,"cases":N,"sha256":H}`
 * that proves the file is complete and unchanged: H is the SHA-256 of every
 * byte before the trailer. Created mode 600 (it holds case data).
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultEscalationId, initialCaseState, intern, type CaseState } from '../domain/index.js';
import type { ComplaintState } from '../domain/complaints/evolve.js';
import type { CalendarYearPublishedData } from './calendarEvents.js';

export const SNAPSHOT_FORMAT = 'e-supervision/projections-snapshot';
/**
 * 2: store identity, store head and checksum. 3: the complaint states. Older
 * files are refused, so the first start rebuilds: a version 2 file was written
 * when complaint events were not folded, and resuming from it would lose the
 * complaints before its position.
 */
export const SNAPSHOT_VERSION = 3;

export interface SnapshotHeader {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: number;
  /** Last global position folded into the states (string: bigint). */
  readonly checkpoint: string;
  readonly storeName: string;
  /** The identity of the store the states were folded from (EventStore.identity()). */
  readonly storeIdentity: string;
  /** The store's head when the snapshot was taken (string: bigint), at least `checkpoint`. */
  readonly storeHead: string;
  readonly cases: number;
  /** Complaint states after the case states. */
  readonly complaints: number;
  /** Calendar publications applied, in commit order. */
  readonly calendarEvents: readonly CalendarYearPublishedData[];
  readonly policyVersion: string;
  readonly calendarVersion: string;
}

export interface SnapshotContent {
  readonly header: SnapshotHeader;
  readonly states: readonly CaseState[];
  readonly complaints: readonly ComplaintState[];
}

/**
 * Characters serialised (and hashed) between two writes; each write is a turn of the event loop.
 * 64 KiB, ≈ 1 ms of JSON.stringify: with 1 MiB the writer held the loop 26–38 ms a chunk while the
 * engine ran (issue 13, docs/reliability.md §8); the number of writes does not change its speed.
 */
export const SNAPSHOT_CHUNK_CHARS = 1 << 16;

/** Write atomically: a reader sees the old snapshot or the new one, never a mix. */
export async function writeSnapshot(
  file: string,
  header: Omit<SnapshotHeader, 'format' | 'version' | 'cases' | 'complaints'>,
  states: readonly CaseState[],
  complaints: readonly ComplaintState[] = [],
): Promise<void> {
  await fs.mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fh = await fs.open(tmp, 'w', 0o600);
  const hash = createHash('sha256');
  try {
    const full: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      cases: states.length,
      complaints: complaints.length,
      ...header,
    };
    let chunk = `${JSON.stringify(full)}\n`;
    // Two loops, not one over a concatenation: no copy of a province's case list just to write it.
    for (const list of [states, complaints] as const)
      for (const state of list) {
        chunk += `${JSON.stringify(state)}\n`;
        if (chunk.length >= SNAPSHOT_CHUNK_CHARS) {
          hash.update(chunk);
          await fh.write(chunk);
          chunk = '';
        }
      }
    hash.update(chunk);
    chunk += `${JSON.stringify({ end: true, cases: states.length, sha256: hash.digest('hex') })}\n`;
    await fh.write(chunk);
    await fh.sync();
  } catch (error) {
    await fh.close();
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await fh.close();
  await fs.rename(tmp, file);
  try {
    const dir = await fs.open(dirname(file), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is atomic.
  }
}

export class SnapshotError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`projection snapshot ${file}: ${reason}`);
    this.name = 'SnapshotError';
  }
}

/** The header alone (its checksum is not verified: only the whole file can be); undefined when there is no file. */
export async function readSnapshotHeader(file: string): Promise<SnapshotHeader | undefined> {
  return (await readSnapshot(file, true))?.header;
}

/** Read a snapshot; undefined when the file does not exist; SnapshotError when it is unusable. */
export async function readSnapshot(file: string, headerOnly = false): Promise<SnapshotContent | undefined> {
  try {
    await fs.access(file);
  } catch {
    return undefined;
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: SnapshotHeader | undefined;
  const states: CaseState[] = [];
  const complaints: ComplaintState[] = [];
  const hash = createHash('sha256');
  let trailer: { end?: unknown; sha256?: unknown } | undefined;
  for await (const line of lines) {
    if (line.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new SnapshotError(file, `line ${states.length + 2} is not JSON`);
    }
    if (header === undefined) {
      const h = value as Partial<SnapshotHeader>;
      if (
        h.format !== SNAPSHOT_FORMAT ||
        h.version !== SNAPSHOT_VERSION ||
        !isPosition(h.checkpoint) ||
        !isPosition(h.storeHead) ||
        typeof h.storeIdentity !== 'string' ||
        !Number.isSafeInteger(h.cases) ||
        !Number.isSafeInteger(h.complaints)
      ) {
        throw new SnapshotError(file, 'not a snapshot of this version');
      }
      header = h as SnapshotHeader;
      if (headerOnly) {
        lines.close();
        return { header, states, complaints };
      }
      hash.update(`${line}\n`);
      continue;
    }
    if ((value as { end?: unknown }).end === true) {
      trailer = value as { sha256?: unknown };
      break;
    }
    const lineNo = states.length + complaints.length + 2;
    if (states.length < header.cases) {
      if (!looksLikeState(value)) throw new SnapshotError(file, `line ${lineNo} is not a case state`);
      states.push(compactState(value));
    } else {
      if (!looksLikeComplaint(value)) throw new SnapshotError(file, `line ${lineNo} is not a complaint state`);
      complaints.push(value);
    }
    hash.update(`${line}\n`);
  }
  if (header === undefined) throw new SnapshotError(file, 'empty file');
  if (trailer === undefined || states.length !== header.cases || complaints.length !== header.complaints)
    throw new SnapshotError(file, 'truncated');
  if (trailer.sha256 !== hash.digest('hex')) {
    throw new SnapshotError(file, 'its checksum does not match its content (edited or damaged)');
  }
  return { header, states, complaints };
}

const NONE: readonly never[] = Object.freeze([]);

const isPosition = (v: unknown): v is string => typeof v === 'string' && /^-?\d+$/.test(v);

function looksLikeState(v: unknown): v is CaseState {
  const s = v as Partial<CaseState> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.caseId === 'string' &&
    typeof s.revision === 'number' &&
    Array.isArray(s.pauses) &&
    Array.isArray(s.escalations) &&
    Array.isArray(s.lateRecords)
  );
}

function looksLikeComplaint(v: unknown): v is ComplaintState {
  const s = v as Partial<ComplaintState> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.complaintId === 'string' &&
    typeof s.revision === 'number' &&
    (s.received === undefined || (typeof s.received === 'object' && typeof s.received.centerId === 'string'))
  );
}

/**
 * Share repeated strings and empty arrays, as the fold does, to keep memory per
 * case small; and give the state the same object shape as `evolve`'s (JSON drops
 * undefined fields), so the fold stays fast after a restart.
 */
function compactState(parsed: CaseState): CaseState {
  const s = Object.assign(initialCaseState(parsed.caseId), parsed) as {
    -readonly [K in keyof CaseState]: CaseState[K];
  };
  if (s.pauses.length === 0) s.pauses = NONE;
  else s.pauses = s.pauses.map((p) => ({ ...p, pauseId: intern(p.pauseId) }));
  if (s.escalations.length === 0) s.escalations = NONE;
  // A snapshot written before escalation ids has none: they were e<n> (SPEC §2's default).
  else
    s.escalations = s.escalations.map((e, i) => ({
      ...e,
      escalationId: intern(e.escalationId ?? defaultEscalationId(i)),
      by: intern(e.by),
    }));
  if (s.lateRecords.length === 0) s.lateRecords = NONE;
  const a = s.accepted as Record<string, unknown> | undefined;
  if (a !== undefined) {
    for (const k of ['centerId', 'departmentId', 'matterCode', 'matterName', 'kind', 'channel', 'category']) {
      const v = a[k];
      if (typeof v === 'string') a[k] = intern(v);
    }
  }
  if (typeof s.status === 'string') s.status = intern(s.status) as CaseState['status'];
  return s;
}
