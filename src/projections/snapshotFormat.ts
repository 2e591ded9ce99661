/**
 * The projection snapshot's format (version 5, issue 18 goal 3: a
 * checkpointed read model). One file, written atomically:
 *
 *   line 1   the header (JSON): which store, at which position, the calendar
 *            publications, the policy publications the rows were evaluated
 *            with, the directory version, the partition of the worker that
 *            wrote it, and the sizes of the rows section;
 *   rows     (when the header's `rows` is not null) one JSON line of the case
 *            table's parts with placeholders for its typed arrays, then their
 *            raw bytes (`rows.binaryBytes` of them) and a newline
 *            (snapshotRows.ts): every completed case kept as a row, the case
 *            ids in the order first seen, each slot's row;
 *   states   one CaseState per line (`cases` of them): the cases held as
 *            objects (open, or with an alert or a timer);
 *   complaints  one ComplaintState per line (`complaints` of them);
 *   withdrawn   one withdrawn card per line (`withdrawnCards` of them): a
 *            case's (`caseId`) or a complaint's (`complaintId`), of the
 *            writes that were over; the header's `openWrites` holds the
 *            write folded last, with the states it is compared against;
 *   trailer  `{"end":true,"cases":N,"sha256":H}`, H the SHA-256 of every byte
 *            before it (the rows' bytes included).
 *
 * Created mode 600 (it holds case data).
 */
import type { CalendarYearPublishedData } from './calendarEvents.js';
import type { OpenComplaintWrite, WithdrawnComplaintCard } from './complaints/complaintWithdrawals.js';
import type { OpenCaseWrite, WithdrawnCard } from './withdrawalLog.js';

/** One line of the withdrawn section: a case's card (`caseId`) or, from version 7, a complaint's (`complaintId`). */
export type SavedWithdrawal = WithdrawnCard | WithdrawnComplaintCard;

/** Whether a saved withdrawal is a complaint's card. */
export const isComplaintWithdrawal = (w: SavedWithdrawal): w is WithdrawnComplaintCard => 'complaintId' in w;

export const SNAPSHOT_FORMAT = 'e-supervision/projections-snapshot';
/**
 * 2: store identity, store head and checksum. 3: the complaint states. 4: the
 * completed cases as rows in binary, the partition, the policy publications
 * the rows were evaluated with. 5 (session 15): the same layout, but complaint
 * states carry their department spells and the rows' facts count only the
 * extensions made before the deadline; a version 4 file read on would count a
 * reassigned complaint under the department in charge now, and keep a row
 * evaluated under the old extension rule. 6 (session 16): the register of
 * withdrawn cards after the complaints (withdrawalLog.ts), which a rebuild
 * finds again and a version 5 file cannot hold. 7 (session 17): the register
 * holds the complaints' withdrawn cards too, which a version 6 file lacks.
 * 8 (session 18): the write folded last is kept open (`openWrites`); a
 * version 7 file taken between two events of one append saved that write's
 * finds as final, though a later event of it could put a card back.
 * 9 (session 20): the register holds a yellow card's changed clearing
 * (`clearingChanged`) and marks a row put back (`reinstatedAt`,
 * `reinstatedBy`; the open write's `reinstated`), which a version 8 file
 * lacks.
 * 10 (session 21): the same for the complaints' cards (the answer warning's
 * changed clearing; a complaint row put back, and the open complaint write's
 * `reinstated`), which a version 9 file lacks.
 * 11 (session 21): complaint states carry their late records (`lateRecords`,
 * the complaint-late-record cards), which a version 10 file lacks: read on, a
 * complaint event recorded late before it would have no card.
 * 12: the same layout, but a card that started in the very
 * millisecond of the write that withdrew it is in the register (a case's or a
 * complaint's, domain/withdrawnCards.ts `cardsShownAt`), which a version 11
 * file, read on, would lack where a rebuild finds it.
 * Other versions are refused, so the first start rebuilds.
 */
export const SNAPSHOT_VERSION = 12;

/** The writes being folded when the snapshot was taken (null: none that may withdraw a card). */
export interface OpenWrites {
  readonly cases: OpenCaseWrite | null;
  readonly complaint: OpenComplaintWrite | null;
}

/** The prefixes of the worker that wrote a snapshot, sorted; null: every case and complaint. */
export interface SnapshotPartition {
  readonly caseIdPrefixes: readonly string[];
  readonly complaintIdPrefixes: readonly string[];
}

export interface RowsSection {
  /** UTF-8 bytes of the rows' JSON line (without its newline). */
  readonly jsonBytes: number;
  /** Bytes of the typed arrays after it (then one newline). */
  readonly binaryBytes: number;
  /** Byte order of those arrays (a reader of the other order refuses the file). */
  readonly byteOrder: 'LE' | 'BE';
}

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
  /**
   * The store's last user event as last read (string: bigint): the store must still hold that much
   * (`checkpoint` and `storeHead` may lie past it on EventStoreDB, whose log holds internal records).
   * Absent in files written before session 21: then only `storeHead` is compared.
   */
  readonly userHead?: string;
  /** Case states (the cases held as objects) after the rows. */
  readonly cases: number;
  /** Complaint states after the case states. */
  readonly complaints: number;
  /** Withdrawn cards after the complaint states. */
  readonly withdrawnCards: number;
  /** Calendar publications applied, in commit order. */
  readonly calendarEvents: readonly CalendarYearPublishedData[];
  readonly policyVersion: string;
  readonly calendarVersion: string;
  /** The partition of the worker that wrote it (null: all). */
  readonly partition: SnapshotPartition | null;
  /** The policy publications (the book's first n) the rows were evaluated with. */
  readonly policiesSeen: number;
  /** The directory's version when taken (null: the projections had no directory). */
  readonly directoryVersion: number | null;
  /** The rows section; null when the file holds every case as a state. */
  readonly rows: RowsSection | null;
  readonly openWrites: OpenWrites;
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

const isPosition = (v: unknown): v is string => typeof v === 'string' && /^-?\d+$/.test(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPrefixList = (v: unknown): boolean => Array.isArray(v) && v.every((p) => typeof p === 'string');

function isPartition(v: unknown): boolean {
  if (v === null) return true;
  const p = v as Partial<SnapshotPartition> | undefined;
  return typeof p === 'object' && isPrefixList(p.caseIdPrefixes) && isPrefixList(p.complaintIdPrefixes);
}

function isRowsSection(v: unknown): boolean {
  if (v === null) return true;
  const r = v as Partial<RowsSection> | undefined;
  return (
    typeof r === 'object' &&
    isCount(r.jsonBytes) &&
    isCount(r.binaryBytes) &&
    (r.byteOrder === 'LE' || r.byteOrder === 'BE')
  );
}

const isObjectOrNull = (v: unknown): boolean => v === null || (typeof v === 'object' && !Array.isArray(v));

/** The shape only; snapshotRead.ts checks the states and cards inside. */
function isOpenWrites(v: unknown): boolean {
  const w = v as Partial<OpenWrites> | null | undefined;
  return typeof w === 'object' && w !== null && isObjectOrNull(w.cases) && isObjectOrNull(w.complaint);
}

/** What is wrong with a parsed first line as a header of this version; undefined when nothing. */
export function headerProblem(value: unknown): string | undefined {
  const h = value as Partial<SnapshotHeader> | null;
  if (typeof h !== 'object' || h === null || h.format !== SNAPSHOT_FORMAT) return 'not a projection snapshot';
  if (h.version !== SNAPSHOT_VERSION)
    return `version ${String(h.version)}, not ${SNAPSHOT_VERSION} (written by another release)`;
  if (
    !isPosition(h.checkpoint) ||
    !isPosition(h.storeHead) ||
    (h.userHead !== undefined && !isPosition(h.userHead)) ||
    typeof h.storeIdentity !== 'string' ||
    !isCount(h.cases) ||
    !isCount(h.complaints) ||
    !isCount(h.withdrawnCards) ||
    !Array.isArray(h.calendarEvents) ||
    !isCount(h.policiesSeen) ||
    !(h.directoryVersion === null || isCount(h.directoryVersion)) ||
    !isPartition(h.partition) ||
    !isRowsSection(h.rows) ||
    !isOpenWrites(h.openWrites)
  )
    return 'its header is not one of this version';
  return undefined;
}
