/**
 * Following the store: catch up in pages (one await per page, not per
 * event; rows read by index, eventRows.ts), then subscribe after the last
 * position folded and keep going; on a failure, wait and resubscribe from the
 * last position folded (events are never skipped, and a redelivered one is a
 * no-op for the fold). A failure before the first catch-up ends is not
 * retried: the start fails with it.
 *
 * The fold is synchronous, and a store hands over up to a page (512–1024
 * events) at once, so folding a page in one go would hold the event loop for
 * the whole page (a 1000-event `POST /events` kept `/healthz` waiting 100+ ms).
 * The loop therefore yields to the event loop (setImmediate) after every
 * slice of SLICE_EVENTS events or SLICE_MS of folding, whichever comes first;
 * the position is advanced over what was folded before each yield, so waiters
 * and checkpoints never see an event that is not folded yet.
 *
 * The first catch-up (before the read models are ready) slices by time only:
 * nothing but `/healthz` waits on it, and SLICE_MS bounds that wait as well;
 * a yield every 64 events cost a rebuild ≈ 650 turns of the event loop per
 * 40 k events, ≈ 10% of its wall time (docs/scaling.md).
 */
import { type EventRows, rowsOfBatches } from '../store/eventRows.js';
import type { EventStore, RecordedEvent, Subscription } from '../store/port.js';
import { STREAM_PREFIXES } from './eventRouting.js';

const RETRY_MS = 1_000;
/** Events folded between two yields to the event loop at most. */
export const SLICE_EVENTS = 64;
/** Folding time between two yields at most (a long case's events cost more than most). */
export const SLICE_MS = 4;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface LoopTarget {
  /** Last global position folded (-1n before any). */
  position(): bigint;
  caughtUp(): boolean;
  /** Fold one event (its position is then folded). */
  fold(event: RecordedEvent): void;
  /** Fold the event at `i` of a page of the catch-up, as `fold(rows.event(i))` would (when absent, that is what is done). */
  foldRow?(rows: EventRows, i: number): void;
  /** Everything up to `position` is folded (a checkpoint, or the end of an array). */
  advance(position: bigint): void;
  /** The subscription reached the store's head (first time: the end of catch-up). */
  reachedHead(position: bigint): void;
  /** The store failed before the first catch-up ended: nothing is served yet, so the start fails (no retry). */
  failedBeforeHead(error: Error): void;
  /** The live subscription failed; it is retried every RETRY_MS until `following()`. */
  subscriptionFailed?(error: Error): void;
  /** A subscription answered (its first message): the store is followed again. */
  following?(): void;
}

export class SubscriptionLoop {
  private stopped = false;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private sliceEvents = 0;
  private sliceStarted = 0;

  constructor(
    private readonly store: EventStore,
    private readonly target: LoopTarget,
    private readonly log: (message: string) => void,
    /** The stream prefixes followed (a partition's share, partition.ts; default every projected stream). */
    private readonly streamPrefixes: readonly string[] = STREAM_PREFIXES,
    /** Milliseconds, for the slices (tests pass a fake clock). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /** Stop following the store; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.target.caughtUp()) await this.catchUpInBatches();
        if (this.stopped) break;
        await this.follow();
      } catch (error) {
        if (this.stopped) break;
        if (!this.target.caughtUp()) {
          this.target.failedBeforeHead(error as Error);
          break;
        }
        this.target.subscriptionFailed?.(error as Error);
        // Only the error's name: a store message may name a stream, i.e. a case id.
        this.log(
          `projections: subscription failed (${(error as Error).name}); retrying from position ${this.target.position()}`,
        );
        await new Promise((r) => setTimeout(r, RETRY_MS).unref?.());
      }
    }
  }

  private async catchUpInBatches(): Promise<void> {
    if (typeof this.store.readAllBatches !== 'function') return; // test doubles may lack it: subscribe instead
    const from = this.target.position() + 1n; // readAll is inclusive of fromPosition
    const options = {
      fromPosition: from,
      streamPrefixes: this.streamPrefixes,
      // A filtered read's checkpoints: past events of other streams (every event before it is folded).
      onScanned: (position: bigint) => this.target.advance(position),
    };
    // The store's rows when it has them (no RecordedEvent per event), its arrays otherwise.
    const pages =
      typeof this.store.readAllRows === 'function'
        ? this.store.readAllRows(options)
        : rowsOfBatches(this.store.readAllBatches(options));
    const target = this.target;
    for await (const rows of pages) {
      if (this.stopped) return;
      const n = rows.length;
      for (let i = 0; i < n; i++) {
        if (target.foldRow !== undefined) target.foldRow(rows, i);
        else target.fold(rows.event(i));
        if (this.sliceFull(true)) {
          target.advance(rows.position(i));
          await this.yieldSlice();
          if (this.stopped) return;
        }
      }
      target.advance(rows.position(n - 1));
    }
  }

  /** Counts one event folded; true when the slice is used up (time to yield): by time only, or SLICE_EVENTS too. */
  private sliceFull(byTimeOnly: boolean): boolean {
    if (this.sliceEvents === 0) this.sliceStarted = this.now();
    this.sliceEvents++;
    return (!byTimeOnly && this.sliceEvents >= SLICE_EVENTS) || this.now() - this.sliceStarted >= SLICE_MS;
  }

  private async yieldSlice(): Promise<void> {
    await yieldToEventLoop();
    this.sliceEvents = 0;
  }

  private async follow(): Promise<void> {
    const position = this.target.position();
    this.subscription = this.store.subscribeToAll({
      fromPosition: position < 0n ? 'start' : position,
      streamPrefixes: this.streamPrefixes,
      checkpointInterval: 1024,
    });
    let answered = false;
    for await (const message of this.subscription) {
      if (this.stopped) break;
      if (!answered) {
        answered = true;
        this.target.following?.();
      }
      if (message.kind === 'event') {
        this.target.fold(message.event);
        this.target.advance(message.event.position);
        if (this.sliceFull(false)) await this.yieldSlice();
      } else if (message.kind === 'checkpoint') {
        this.target.advance(message.position);
      } else {
        this.target.advance(message.position);
        this.target.reachedHead(message.position);
      }
    }
  }
}
