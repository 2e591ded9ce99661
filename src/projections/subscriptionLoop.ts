/**
 * Following the store: catch up in arrays (one await per array, not per
 * event), then subscribe after the last position folded and keep going; on a
 * failure, wait and resubscribe from the last position folded (events are
 * never skipped, and a redelivered one is a no-op for the fold). A failure
 * before the first catch-up ends is not retried: the start fails with it.
 */
import type { EventStore, RecordedEvent, Subscription } from '../store/port.js';
import { STREAM_PREFIXES } from './eventRouting.js';

const RETRY_MS = 1_000;

export interface LoopTarget {
  /** Last global position folded (-1n before any). */
  position(): bigint;
  caughtUp(): boolean;
  /** Fold one event (its position is then folded). */
  fold(event: RecordedEvent): void;
  /** Everything up to `position` is folded (a checkpoint, or the end of an array). */
  advance(position: bigint): void;
  /** The subscription reached the store's head (first time: the end of catch-up). */
  reachedHead(position: bigint): void;
  /** The store failed before the first catch-up ended: nothing is served yet, so the start fails (no retry). */
  failedBeforeHead(error: Error): void;
}

export class SubscriptionLoop {
  private stopped = false;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly target: LoopTarget,
    private readonly log: (message: string) => void,
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
    for await (const batch of this.store.readAllBatches({ fromPosition: from, streamPrefixes: STREAM_PREFIXES })) {
      if (this.stopped) return;
      for (const e of batch) this.target.fold(e);
      this.target.advance(batch[batch.length - 1]!.position);
    }
  }

  private async follow(): Promise<void> {
    const position = this.target.position();
    this.subscription = this.store.subscribeToAll({
      fromPosition: position < 0n ? 'start' : position,
      streamPrefixes: STREAM_PREFIXES,
      checkpointInterval: 1024,
    });
    for await (const message of this.subscription) {
      if (this.stopped) break;
      if (message.kind === 'event') {
        this.target.fold(message.event);
        this.target.advance(message.event.position);
      } else if (message.kind === 'checkpoint') {
        this.target.advance(message.position);
      } else {
        this.target.advance(message.position);
        this.target.reachedHead(message.position);
      }
    }
  }
}
