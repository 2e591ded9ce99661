/**
 * The checkpoint of the projections: the snapshot file that holds the folded
 * case and complaint states and the calendar publications together with the last global
 * position folded (see snapshot.ts for the format). Loading puts them back in
 * place before the subscription starts; saving captures them in one
 * synchronous step (states are immutable values), then writes atomically.
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
import { readSnapshot, readSnapshotHeader, SnapshotError, writeSnapshot, type SnapshotHeader } from './snapshot.js';

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
}

/** The store holds less than its snapshot says it held: the engine must not start on it. */
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

/** What a snapshot restores into. */
export interface RestoreTarget {
  applyCalendar(value: CalendarYearPublishedData): boolean;
  restoreState(state: CaseState): void;
  /** A complaint state folded up to the snapshot's `position`. */
  restoreComplaint(state: ComplaintState, position: bigint): void;
}

/** What a snapshot captures, at one instant. */
export interface Capture {
  readonly position: bigint;
  /** The store's head as last known (at least `position`). */
  readonly storeHead: bigint;
  readonly states: readonly CaseState[];
  readonly complaints: readonly ComplaintState[];
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
    for (const value of h.calendarEvents) target.applyCalendar(value);
    for (const state of content.states) target.restoreState(state);
    const checkpoint = BigInt(h.checkpoint);
    for (const state of content.complaints) target.restoreComplaint(state, checkpoint);
    log(
      `projections: resumed from snapshot at position ${checkpoint} ` +
        `(${content.states.length} cases, ${content.complaints.length} complaints)`,
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

  private async storeNow(): Promise<{ identity: string; head: bigint }> {
    const { store } = this.options;
    const [identity, head] = await Promise.all([store.identity(), store.headPosition()]);
    this.identity = identity;
    return { identity, head };
  }

  /**
   * The store lost history when it holds less than the snapshot says it held:
   * the same store behind it, or an empty store beside a snapshot of history (a
   * database emptied or recreated gets a new identity). A non-empty store of
   * another identity is just another store: its snapshot is not used.
   */
  private refuseIfHistoryLost(file: string, h: SnapshotHeader, here: { identity: string; head: bigint }): void {
    const checkpoint = BigInt(h.checkpoint);
    const takenAt = later(BigInt(h.storeHead), checkpoint);
    const sameStore = h.storeIdentity === here.identity;
    if (takenAt <= here.head || (!sameStore && here.head >= 0n)) return;
    throw new StoreHistoryLostError(this.options.store.name, here.identity, here.head, file, h.storeIdentity, takenAt);
  }

  /** Write a snapshot of `capture()` (one write at a time; a failure is logged, never thrown). */
  save(capture: () => Capture): Promise<void> {
    const { file, store, policy, calendarService, log } = this.options;
    const storeIdentity = this.identity;
    if (file === undefined || storeIdentity === undefined) return Promise.resolve();
    if (this.writing !== undefined) return this.writing;
    const { position, storeHead, states, complaints, calendarEvents } = capture();
    const header = {
      checkpoint: position.toString(),
      storeName: store.name,
      storeIdentity,
      storeHead: later(storeHead, position).toString(),
      calendarEvents: [...calendarEvents],
      policyVersion: policy.version,
      calendarVersion: calendarService.current().version,
    };
    this.writing = writeSnapshot(file, header, states, complaints)
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
