/**
 * The checkpoint of the projections: the snapshot file that holds the case
 * table (completed cases as rows, in binary; the others as states), the
 * complaint states and the calendar publications together with the last global
 * position folded (see snapshotFormat.ts for the format). Loading puts them back in
 * place before the subscription starts; saving captures them in one
 * synchronous step (states are immutable values, the rows are copied), then writes atomically.
 *
 * A snapshot records the partition of the worker that wrote it: another
 * partition's is not used (warn, rebuild). Rows are settled cases, put back as
 * they were evaluated; when the calendar, the configured policy or the
 * directory differ from those they were evaluated under, they are evaluated
 * again at start, as objects.
 *
 * A snapshot names the store it was folded from (its identity), the store's
 * head when it was taken, and a checksum of its content. It is refused, and
 * the read models rebuilt from zero, when it is damaged or edited (checksum)
 * or of another store. A snapshot that says the store held more than it holds
 * now (the store shrank, or was emptied or replaced) stops the start with
 * StoreHistoryLostError: accepting writes over a lost history is never silent.
 */
import type { ComplaintState } from '../domain/complaints/evolve.js';
import type { CalendarService, CaseState, Policy } from '../domain/index.js';
import type { EventStore } from '../store/port.js';
import type { CalendarYearPublishedData } from './calendarEvents.js';
import type { ProjectionPartition } from './partition.js';
import { readSnapshot, readSnapshotHeader, SnapshotError, writeSnapshot, type SnapshotHeader } from './snapshot.js';
import {
  isComplaintWithdrawal,
  type OpenWrites,
  type SavedWithdrawal,
  type SnapshotPartition,
} from './snapshotFormat.js';
import type { Parts } from './snapshotRows.js';
import type { OpenCaseWrite, WithdrawnCard } from './withdrawalLog.js';
import type { OpenComplaintWrite, WithdrawnComplaintCard } from './complaints/complaintWithdrawals.js';

export type LogLevel = 'info' | 'warn';

/** The later of two positions (bigint: Math.max takes numbers). */
const later = (a: bigint, b: bigint): bigint => (a > b ? a : b);

export interface CheckpointOptions {
  /** The snapshot file; without it nothing is loaded or saved. */
  readonly file: string | undefined;
  readonly store: EventStore;
  readonly policy: Policy;
  readonly calendarService: CalendarService;
  readonly log: (message: string, level?: LogLevel) => void;
  /** The worker's partition (partition.ts); a snapshot of another partition is not used. */
  readonly partition?: ProjectionPartition | undefined;
  /** The directory's version now (null without a directory): rows of another one are evaluated again. */
  readonly directoryVersion?: () => number | null;
}

/** A partition as a snapshot records it: prefixes sorted, complaints' spelled out; null for all. */
export function snapshotPartition(partition: ProjectionPartition | undefined): SnapshotPartition | null {
  if (partition === undefined) return null;
  const sorted = (xs: readonly string[]) => [...xs].sort();
  return {
    caseIdPrefixes: sorted(partition.caseIdPrefixes),
    complaintIdPrefixes: sorted(partition.complaintIdPrefixes ?? partition.caseIdPrefixes),
  };
}

const describePartition = (p: SnapshotPartition | null): string =>
  p === null
    ? 'all cases'
    : `case prefixes [${p.caseIdPrefixes.join(', ')}], complaint prefixes [${p.complaintIdPrefixes.join(', ')}]`;

/** The store holds less than its snapshot says it held: the engine must not start on it. */

/** The store as a snapshot is checked against: its identity, last user event and the end of its log. */
interface StoreNow {
  readonly identity: string;
  readonly head: bigint;
  /** The last record of any kind (`EventStore.endPosition`; the head where the store has no other). */
  readonly end: bigint;
}

export class StoreHistoryLostError extends Error {
  constructor(
    readonly storeName: string,
    readonly storeIdentity: string,
    readonly storeHead: bigint,
    readonly snapshotFile: string,
    readonly snapshotIdentity: string,
    readonly snapshotHead: bigint,
  ) {
    super(
      `event store ${storeName} (identity ${storeIdentity}) ends at position ${storeHead}, but its snapshot ` +
        `${snapshotFile} (store identity ${snapshotIdentity}) was taken with the store at position ${snapshotHead}: ` +
        'the store lost history (emptied, replaced or restored from an older copy). Not starting, rather than ' +
        'accept writes over it. Restore the store; if starting over is intended, move the snapshot away.',
    );
    this.name = 'StoreHistoryLostError';
  }
}

/** The cases of a snapshot: the rows (caseTable.ts parts) and the states of the cases held as objects. */
export interface SavedCases {
  readonly rows: Parts | undefined;
  readonly states: readonly CaseState[];
  /** The policy publications the rows were evaluated with (the book's first n). */
  readonly policiesSeen: number;
  /** The register of withdrawn cards (withdrawalLog.ts): the writes that are over. */
  readonly withdrawn: readonly WithdrawnCard[];
  /** The case write the snapshot was taken in the middle of, if any. */
  readonly openWrite?: OpenCaseWrite | undefined;
}

/** What a snapshot restores into. */
export interface RestoreTarget {
  applyCalendar(value: CalendarYearPublishedData): boolean;
  /**
   * Check the saved cases (RangeError naming what is wrong, nothing changed);
   * returns what puts them in place, after the calendar: `stale` when the rows
   * were evaluated under another calendar, policy or directory than now (then
   * they are evaluated again).
   */
  prepareCases(cases: SavedCases): (stale: boolean) => void;
  /**
   * Time the cases by the regions of directory `version` (the snapshot's; null: it had none) until
   * the fold reaches a later publication; false when that cannot be (the rows are evaluated again).
   */
  startDirectoryAt(version: number | null): boolean;
  /** A complaint state folded up to the snapshot's `position`. */
  restoreComplaint(state: ComplaintState, position: bigint): void;
  /** The complaints' withdrawn cards of the register, and the complaint write the snapshot was taken in. */
  restoreComplaintWithdrawals(cards: readonly WithdrawnComplaintCard[], openWrite?: OpenComplaintWrite): void;
}

/** What a snapshot captures, at one instant. */
export interface Capture {
  readonly position: bigint;
  /** The store's head as last known (at least `position`). */
  readonly storeHead: bigint;
  /** The store's last user event as last read from it (`headPosition`): it held at least that much history. */
  readonly userHead: bigint;
  /** The case table's parts, a copy (caseTable.ts); `states` are then the cases held as objects. */
  readonly rows: Parts;
  readonly policiesSeen: number;
  readonly states: readonly CaseState[];
  readonly complaints: readonly ComplaintState[];
  /** The register of withdrawn cards: the cases' and the complaints', of the writes that are over. */
  readonly withdrawn: readonly SavedWithdrawal[];
  /** The writes being folded (withdrawalLog.ts `OpenCaseWrite`). */
  readonly openWrites: OpenWrites;
  readonly calendarEvents: readonly CalendarYearPublishedData[];
}

export class Checkpoint {
  private writing: Promise<void> | undefined;
  /** This store's identity, read by `restore` (which runs before any save). */
  private identity: string | undefined;

  constructor(private readonly options: CheckpointOptions) {}

  get enabled(): boolean {
    return this.options.file !== undefined;
  }

  /** The store's identity, once `restore` or `verifyStore` has read it. */
  get storeIdentity(): string | undefined {
    return this.identity;
  }

  /**
   * Put the snapshot's content in place; returns its checkpoint, or undefined
   * when there is none to use (no file, or one refused: then the projections
   * rebuild from the beginning, and the reason is logged at warn). Rejects
   * with StoreHistoryLostError when the store holds less than the snapshot says.
   */
  async restore(target: RestoreTarget): Promise<bigint | undefined> {
    const { file, store, log } = this.options;
    if (file === undefined) return undefined;
    const here = await this.storeNow();
    let content: Awaited<ReturnType<typeof readSnapshot>>;
    try {
      content = await readSnapshot(file);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      log(`projections: ${error.message}; rebuilding from the beginning`, 'warn');
      return undefined;
    }
    if (content === undefined) return undefined;
    const h = content.header;
    this.refuseIfHistoryLost(file, h, here);
    if (h.storeIdentity !== here.identity) {
      log(
        `projections: snapshot ${file} is of store ${h.storeName} (identity ${h.storeIdentity}), not of ` +
          `${store.name} (identity ${here.identity}); rebuilding from the beginning`,
        'warn',
      );
      return undefined;
    }
    const partition = snapshotPartition(this.options.partition);
    if (JSON.stringify(h.partition) !== JSON.stringify(partition)) {
      log(
        `projections: snapshot ${file} holds ${describePartition(h.partition)}, this worker folds ` +
          `${describePartition(partition)}; rebuilding from the beginning`,
        'warn',
      );
      return undefined;
    }
    let putInPlace: (stale: boolean) => void;
    try {
      putInPlace = target.prepareCases({
        rows: content.rows,
        states: content.states,
        policiesSeen: h.policiesSeen,
        withdrawn: content.withdrawn.filter((w) => !isComplaintWithdrawal(w)),
        openWrite: h.openWrites.cases ?? undefined,
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      log(`projections: snapshot ${file}: ${error.message}; rebuilding from the beginning`, 'warn');
      return undefined;
    }
    for (const value of h.calendarEvents) target.applyCalendar(value);
    // The fold replays the directory's later publications from the snapshot's version (eventRouting.ts).
    // Before `putInPlace`: a change of regions is a calendar change, which would close the restored
    // open write and turn back every restored row.
    const directoryAsTaken = target.startDirectoryAt(h.directoryVersion);
    const stale =
      this.options.calendarService.current().version !== h.calendarVersion ||
      this.options.policy.version !== h.policyVersion ||
      !directoryAsTaken;
    putInPlace(stale);
    const checkpoint = BigInt(h.checkpoint);
    for (const state of content.complaints) target.restoreComplaint(state, checkpoint);
    target.restoreComplaintWithdrawals(
      content.withdrawn.filter(isComplaintWithdrawal),
      h.openWrites.complaint ?? undefined,
    );
    log(
      `projections: resumed from snapshot at position ${checkpoint} ` +
        `(${content.states.length} cases as objects${content.rows === undefined ? '' : ' and the rows'}` +
        `${stale ? ', rows evaluated again' : ''}, ${content.complaints.length} complaints)`,
    );
    return checkpoint;
  }

  /**
   * Before anything is written to the store (e.g. a demo backlog into an empty
   * one): reject with StoreHistoryLostError when the snapshot says the store
   * held more than it holds. Reads the snapshot's header only.
   */
  async verifyStore(): Promise<void> {
    const file = this.options.file;
    if (file === undefined) return;
    const header = await readSnapshotHeader(file).catch((error: unknown) => {
      if (error instanceof SnapshotError) return undefined; // restore() logs it and rebuilds
      throw error;
    });
    if (header !== undefined) this.refuseIfHistoryLost(file, header, await this.storeNow());
  }

  private async storeNow(): Promise<StoreNow> {
    const { store } = this.options;
    const [identity, head, end] = await Promise.all([
      store.identity(),
      store.headPosition(),
      store.endPosition?.() ?? Promise.resolve(undefined),
    ]);
    this.identity = identity;
    return { identity, head, end: end ?? head };
  }

  /**
   * The store lost history when it holds less than the snapshot says it held (its log ends before
   * where the snapshot was taken: a checkpoint may lie past the last user event, `StoreNow.end`):
   * the same store behind it, or an empty store beside a snapshot of history (a
   * database emptied or recreated gets a new identity). A non-empty store of
   * another identity is just another store: its snapshot is not used.
   */
  private refuseIfHistoryLost(file: string, h: SnapshotHeader, here: StoreNow): void {
    const checkpoint = BigInt(h.checkpoint);
    const takenAt = later(BigInt(h.storeHead), checkpoint);
    const sameStore = h.storeIdentity === here.identity;
    // The same store still holds the user events it had, and records up to the snapshot's checkpoint
    // (which may lie past them). Another store is judged by its user events only.
    const userHead = h.userHead === undefined ? -1n : BigInt(h.userHead);
    if (sameStore ? takenAt <= here.end && userHead <= here.head : takenAt <= here.head || here.head >= 0n) return;
    throw new StoreHistoryLostError(this.options.store.name, here.identity, here.head, file, h.storeIdentity, takenAt);
  }

  /** Write a snapshot of `capture()` (one write at a time; a failure is logged, never thrown). */
  save(capture: () => Capture): Promise<void> {
    const { file, store, policy, calendarService, log } = this.options;
    const storeIdentity = this.identity;
    if (file === undefined || storeIdentity === undefined) return Promise.resolve();
    if (this.writing !== undefined) return this.writing;
    const captured = capture();
    const { position, storeHead, userHead, rows, policiesSeen, states, complaints, withdrawn, openWrites } = captured;
    const { calendarEvents } = captured;
    const header = {
      checkpoint: position.toString(),
      storeName: store.name,
      storeIdentity,
      storeHead: later(storeHead, position).toString(),
      userHead: userHead.toString(),
      calendarEvents: [...calendarEvents],
      policyVersion: policy.version,
      calendarVersion: calendarService.current().version,
      partition: snapshotPartition(this.options.partition),
      policiesSeen,
      directoryVersion: this.options.directoryVersion?.() ?? null,
      openWrites,
    };
    this.writing = writeSnapshot(file, header, states, complaints, rows, withdrawn)
      .catch((error: unknown) => log(`projections: snapshot not written: ${(error as Error).message}`))
      .finally(() => {
        this.writing = undefined;
      });
    return this.writing;
  }

  /** Resolves once a write in progress (if any) has ended. */
  async settled(): Promise<void> {
    await this.writing;
  }
}
