/**
 * Reading the projection snapshot (format: snapshotFormat.ts). The rows'
 * bytes go straight into new typed arrays (no JSON per row); the states are
 * JSON lines as before. Nothing is returned unless the whole file is there and
 * its checksum matches: a torn, edited or damaged file is a SnapshotError.
 */
import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tightenToPrivate } from '../store/core/privateMode.js';
import { defaultEscalationId, initialCaseState, intern, type CaseState } from '../domain/index.js';
import type { ComplaintState } from '../domain/complaints/evolve.js';
import { headerProblem, SnapshotError, type SavedWithdrawal, type SnapshotHeader } from './snapshotFormat.js';
import { BYTE_ORDER, bytesOf, decodeParts, type Parts } from './snapshotRows.js';

export interface SnapshotContent {
  readonly header: SnapshotHeader;
  /** The case table's parts (caseTable.ts), when the file holds rows. */
  readonly rows: Parts | undefined;
  readonly states: readonly CaseState[];
  readonly complaints: readonly ComplaintState[];
  readonly withdrawn: readonly SavedWithdrawal[];
}

/** Bytes read from the file per read. */
const READ_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** A file read front to back: lines, or exact byte counts straight into a target. */
class FileBytes {
  private buffer = Buffer.alloc(0);
  private at = 0;
  private filePosition = 0;
  private ended = false;

  constructor(private readonly fh: fs.FileHandle) {}

  /** The next line without its newline; undefined at the end of the file. */
  async line(): Promise<Buffer | undefined> {
    for (;;) {
      const end = this.buffer.indexOf(NEWLINE, this.at);
      if (end >= 0) {
        const line = this.buffer.subarray(this.at, end);
        this.at = end + 1;
        return line;
      }
      if (this.ended) {
        if (this.at >= this.buffer.length) return undefined;
        const rest = this.buffer.subarray(this.at);
        this.at = this.buffer.length;
        return rest;
      }
      await this.more();
    }
  }

  /** Fill `target` with the next bytes; false when the file ends first. */
  async exact(target: Uint8Array): Promise<boolean> {
    const buffered = Math.min(target.length, this.buffer.length - this.at);
    target.set(this.buffer.subarray(this.at, this.at + buffered));
    this.at += buffered;
    let filled = buffered;
    while (filled < target.length) {
      const { bytesRead } = await this.fh.read(target, filled, target.length - filled, this.filePosition);
      if (bytesRead === 0) return false;
      this.filePosition += bytesRead;
      filled += bytesRead;
    }
    return true;
  }

  private async more(): Promise<void> {
    // A long line (the rows' JSON) is read in chunks as long as what is held: copies stay linear in it.
    const size = Math.max(READ_BYTES, this.buffer.length - this.at);
    const chunk = Buffer.allocUnsafe(size);
    const { bytesRead } = await this.fh.read(chunk, 0, size, this.filePosition);
    this.filePosition += bytesRead;
    if (bytesRead === 0) this.ended = true;
    this.buffer = Buffer.concat([this.buffer.subarray(this.at), chunk.subarray(0, bytesRead)]);
    this.at = 0;
  }
}

/** The header alone (its checksum is not verified: only the whole file can be); undefined when there is no file. */
export async function readSnapshotHeader(file: string): Promise<SnapshotHeader | undefined> {
  return (await readSnapshot(file, true))?.header;
}

/**
 * Read a snapshot; undefined when the file does not exist; SnapshotError when it is unusable.
 * It holds the cases' states: a file found readable by others (`644` left by an operator's copy
 * or an older version) is made mode 600 here, since the next write, which replaces it by a file
 * of mode 600, may come only at the engine's stop; an Error naming the file and its mode when the
 * engine's user may not (not its owner), which stops the start.
 */
export async function readSnapshot(file: string, headerOnly = false): Promise<SnapshotContent | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    try {
      tightenToPrivate(fh.fd, file);
    } catch (error) {
      throw new Error(`projections: the snapshot ${(error as Error).message}`);
    }
    return await readFrom(new FileBytes(fh), file, headerOnly);
  } finally {
    await fh.close();
  }
}

function parseLine(file: string, line: Buffer, what: string): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    throw new SnapshotError(file, `${what} is not JSON`);
  }
}

async function readFrom(bytes: FileBytes, file: string, headerOnly: boolean): Promise<SnapshotContent> {
  const hash = createHash('sha256');
  const first = await bytes.line();
  if (first === undefined) throw new SnapshotError(file, 'empty file');
  const value = parseLine(file, first, 'line 1');
  const problem = headerProblem(value);
  if (problem !== undefined) throw new SnapshotError(file, problem);
  const header = readOpenWrites(file, value as SnapshotHeader);
  if (headerOnly) return { header, rows: undefined, states: [], complaints: [], withdrawn: [] };
  hash.update(first).update('\n');
  const rows = header.rows === null ? undefined : await readRows(bytes, file, header.rows, hash);
  const states: CaseState[] = [];
  const complaints: ComplaintState[] = [];
  const withdrawn: SavedWithdrawal[] = [];
  let trailer: { end?: unknown; sha256?: unknown } | undefined;
  for (let line = await bytes.line(); line !== undefined; line = await bytes.line()) {
    if (line.length === 0) continue;
    const n = states.length + complaints.length + withdrawn.length + 1;
    const item = parseLine(file, line, `state ${n}`);
    if ((item as { end?: unknown }).end === true) {
      trailer = item as { sha256?: unknown };
      break;
    }
    if (states.length < header.cases) {
      if (!looksLikeState(item)) throw new SnapshotError(file, `state ${n} is not a case state`);
      states.push(compactState(item));
    } else if (complaints.length < header.complaints) {
      if (!looksLikeComplaint(item)) throw new SnapshotError(file, `state ${n} is not a complaint state`);
      complaints.push(item);
    } else {
      if (!looksLikeWithdrawnCard(item)) throw new SnapshotError(file, `line ${n} is not a withdrawn card`);
      withdrawn.push(item);
    }
    hash.update(line).update('\n');
  }
  if (
    trailer === undefined ||
    states.length !== header.cases ||
    complaints.length !== header.complaints ||
    withdrawn.length !== header.withdrawnCards
  )
    throw new SnapshotError(file, 'truncated');
  if (trailer.sha256 !== hash.digest('hex'))
    throw new SnapshotError(file, 'its checksum does not match its content (edited or damaged)');
  return { header, rows, states, complaints, withdrawn };
}

/** The rows section: its JSON line, then each column's bytes read into its array. */
async function readRows(
  bytes: FileBytes,
  file: string,
  section: NonNullable<SnapshotHeader['rows']>,
  hash: Hash,
): Promise<Parts> {
  if (section.byteOrder !== BYTE_ORDER)
    throw new SnapshotError(file, `its rows are ${section.byteOrder}, this machine is ${BYTE_ORDER}`);
  const json = await bytes.line();
  if (json === undefined || json.length !== section.jsonBytes) throw new SnapshotError(file, 'truncated rows');
  hash.update(json).update('\n');
  let decoded: ReturnType<typeof decodeParts>;
  try {
    decoded = decodeParts(json.toString('utf8'), section.binaryBytes);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof RangeError)
      throw new SnapshotError(file, `its rows cannot be read (${error.message})`);
    throw error;
  }
  for (const { array } of decoded.slots) {
    const target = bytesOf(array);
    if (!(await bytes.exact(target))) throw new SnapshotError(file, 'truncated rows');
    hash.update(target);
  }
  const end = await bytes.line();
  if (end === undefined || end.length !== 0) throw new SnapshotError(file, 'rows longer than announced');
  hash.update('\n');
  return decoded.parts;
}

/** The header with its open writes' states in the fold's shape; SnapshotError when one is not what it says. */
function readOpenWrites(file: string, header: SnapshotHeader): SnapshotHeader {
  const { cases, complaint } = header.openWrites;
  const refs = (v: unknown) =>
    Array.isArray(v) &&
    v.every((r) => typeof r?.type === 'string' && typeof r.revision === 'number' && typeof r.occurredAt === 'number');
  const cards = (v: unknown, of: 'caseId' | 'complaintId') =>
    Array.isArray(v) && v.every((c) => looksLikeWithdrawnCard(c) && of in c);
  // The rows an open write put back: indexes into the register (absent: none).
  const reinstated = (v: unknown) =>
    v === undefined ||
    (Array.isArray(v) &&
      v.every((i: unknown) => Number.isInteger(i) && (i as number) < header.withdrawnCards && (i as number) >= 0));
  if (
    cases !== null &&
    !(
      typeof cases.at === 'number' &&
      typeof cases.horizon === 'number' &&
      Array.isArray(cases.cases) &&
      new Set(cases.cases.map((c) => c?.caseId)).size === cases.cases.length &&
      cases.cases.every(
        (c) =>
          typeof c?.caseId === 'string' &&
          looksLikeState(c.before) &&
          refs(c.events) &&
          typeof c.compared === 'boolean' &&
          cards(c.found, 'caseId') &&
          reinstated(c.reinstated),
      )
    )
  )
    throw new SnapshotError(file, "its header's open case write is not one");
  if (
    complaint !== null &&
    !(
      typeof complaint.complaintId === 'string' &&
      typeof complaint.at === 'number' &&
      looksLikeComplaint(complaint.before) &&
      refs(complaint.events) &&
      cards(complaint.found, 'complaintId') &&
      reinstated(complaint.reinstated)
    )
  )
    throw new SnapshotError(file, "its header's open complaint write is not one");
  if (cases === null) return header;
  const open = { ...cases, cases: cases.cases.map((c) => ({ ...c, before: compactState(c.before) })) };
  return { ...header, openWrites: { cases: open, complaint } };
}

const NONE: readonly never[] = Object.freeze([]);

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
    (s.received === undefined || (typeof s.received === 'object' && typeof s.received.centerId === 'string')) &&
    (s.lateRecords === undefined || Array.isArray(s.lateRecords))
  );
}

function looksLikeWithdrawnCard(v: unknown): v is SavedWithdrawal {
  const w = v as (Partial<SavedWithdrawal> & { caseId?: unknown; complaintId?: unknown }) | null;
  return (
    typeof w === 'object' &&
    w !== null &&
    (typeof w.caseId === 'string') !== (typeof w.complaintId === 'string') &&
    typeof w.rule === 'string' &&
    typeof w.startedAt === 'number' &&
    typeof w.withdrawnAt === 'number' &&
    typeof w.by === 'object' &&
    w.by !== null &&
    (w.by.kind === 'events' || w.by.kind === 'calendar')
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
