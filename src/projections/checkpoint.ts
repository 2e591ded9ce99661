/**
 * The checkpoint of the projections: the snapshot file that holds the folded
 * case states and the calendar publications together with the last global
 * position folded (see snapshot.ts for the format). Loading puts them back in
 * place before the subscription starts; saving captures them in one
 * synchronous step (states are immutable values), then writes atomically.
 */
import type { CalendarService, CaseState, Policy } from '../domain/index.js';
import type { EventStore } from '../store/port.js';
import type { CalendarYearPublishedData } from './calendarEvents.js';
import { readSnapshot, SnapshotError, writeSnapshot } from './snapshot.js';

export interface CheckpointOptions {
  /** The snapshot file; without it nothing is loaded or saved. */
  readonly file: string | undefined;
  readonly store: EventStore;
  readonly policy: Policy;
  readonly calendarService: CalendarService;
  readonly log: (message: string) => void;
}

/** What a snapshot restores into. */
export interface RestoreTarget {
  applyCalendar(value: CalendarYearPublishedData): boolean;
  restoreState(state: CaseState): void;
}

/** What a snapshot captures, at one instant. */
export interface Capture {
  readonly position: bigint;
  readonly states: readonly CaseState[];
  readonly calendarEvents: readonly CalendarYearPublishedData[];
}

export class Checkpoint {
  private writing: Promise<void> | undefined;

  constructor(private readonly options: CheckpointOptions) {}

  get enabled(): boolean {
    return this.options.file !== undefined;
  }

  /**
   * Put the snapshot's content in place; returns its checkpoint, or undefined
   * when there is none to use (no file, or one refused: then the projections
   * rebuild from the beginning, and the reason is logged).
   */
  async restore(target: RestoreTarget): Promise<bigint | undefined> {
    const { file, store, log } = this.options;
    if (file === undefined) return undefined;
    let content: Awaited<ReturnType<typeof readSnapshot>>;
    try {
      content = await readSnapshot(file);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      log(`projections: ${error.message}; rebuilding from the beginning`);
      return undefined;
    }
    if (content === undefined) return undefined;
    const checkpoint = BigInt(content.header.checkpoint);
    const storeHead = await store.headPosition();
    if (checkpoint > storeHead) {
      log(
        `projections: snapshot checkpoint ${checkpoint} is past the store's head ${storeHead} (another store?); rebuilding from the beginning`,
      );
      return undefined;
    }
    for (const value of content.header.calendarEvents) target.applyCalendar(value);
    for (const state of content.states) target.restoreState(state);
    log(`projections: resumed from snapshot at position ${checkpoint} (${content.states.length} cases)`);
    return checkpoint;
  }

  /** Write a snapshot of `capture()` (one write at a time; a failure is logged, never thrown). */
  save(capture: () => Capture): Promise<void> {
    const { file, store, policy, calendarService, log } = this.options;
    if (file === undefined) return Promise.resolve();
    if (this.writing !== undefined) return this.writing;
    const { position, states, calendarEvents } = capture();
    const header = {
      checkpoint: position.toString(),
      storeName: store.name,
      calendarEvents: [...calendarEvents],
      policyVersion: policy.version,
      calendarVersion: calendarService.current().version,
    };
    this.writing = writeSnapshot(file, header, states)
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
