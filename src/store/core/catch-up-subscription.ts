/**
 * A subscription to all events for the embedded stores: catch-up reads in pages
 * (pulled only as fast as the consumer iterates: backpressure), then live reads
 * woken by the commit notifier. Commit order, no gaps: positions are read from
 * the store itself, never from the notification.
 */
import type { RecordedEvent, SubscribeOptions, Subscription, SubscriptionMessage } from '../port.js';
import type { CommitNotifier } from './notifier.js';
import { InvalidAppendError } from '../port.js';
import { matchesPrefixes, validatePosition, validatePrefixes } from './validate.js';

export interface PageSource {
  /** Events with position > `after` (-1n: from the beginning), at most `limit`, in position order. */
  readAfter(after: bigint, limit: number): readonly RecordedEvent[];
  /**
   * Optional, for a source that filters before decoding (sqlite): of the next
   * `limit` events after `after`, the matching ones as events and, as bare
   * positions, at least the others on which a checkpoint falls due (`carried`
   * scanned since the last, one every `interval`) and the last of a full page.
   * Each with its ordinal in the page (1-based). Undefined: use readAfter.
   */
  readFiltered?(
    after: bigint,
    limit: number,
    prefixes: readonly string[],
    carried: number,
    interval: number,
  ): readonly ScannedItem[] | undefined;
  readonly notifier: CommitNotifier;
  /** Fallback poll for commits made by other processes (sqlite). */
  readonly pollMs?: number;
}

export interface ScannedItem {
  readonly ordinal: number;
  readonly position: bigint;
  /** Present when the event matches the prefixes. */
  readonly event?: RecordedEvent;
}

export const DEFAULT_CHECKPOINT_INTERVAL = 32;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const PAGE_SIZE = 512;

export function parseSubscribeOptions(options: SubscribeOptions): {
  after: bigint;
  prefixes: readonly string[] | undefined;
  interval: number;
} {
  const from = options.fromPosition;
  const after = from === undefined || from === 'start' ? -1n : (validatePosition(from, 'fromPosition') ?? -1n);
  const interval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
  if (!Number.isInteger(interval) || interval < 1) {
    throw new InvalidAppendError('checkpointInterval', 'must be an integer >= 1');
  }
  return { after, prefixes: validatePrefixes(options.streamPrefixes), interval };
}

export class CatchUpSubscription implements Subscription {
  private closed = false;
  private iterator: AsyncGenerator<SubscriptionMessage> | undefined;
  private cancelWait: (() => void) | undefined;
  private readonly after: bigint;
  private readonly prefixes: readonly string[] | undefined;
  private readonly interval: number;

  constructor(
    private readonly source: PageSource,
    options: SubscribeOptions = {},
  ) {
    ({ after: this.after, prefixes: this.prefixes, interval: this.interval } = parseSubscribeOptions(options));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelWait?.();
  }

  /** The one iterator of this subscription (asking again continues where the last left off). */
  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  private isDone(): boolean {
    return this.closed || this.source.notifier.closed;
  }

  private async *run(): AsyncGenerator<SubscriptionMessage> {
    const { notifier } = this.source;
    let after = this.after;
    let scanned = 0;
    let caughtUp = false;
    try {
      while (!this.isDone()) {
        const seen = notifier.version;
        const filtered =
          this.prefixes === undefined
            ? undefined
            : this.source.readFiltered?.(after, PAGE_SIZE, this.prefixes, scanned, this.interval);
        // Unfiltered pages are events as they are (no wrapper object per event): ordinal i + 1.
        const page = filtered ?? this.source.readAfter(after, PAGE_SIZE);
        let ordinal = 0;
        for (let i = 0; i < page.length; i++) {
          if (this.isDone()) return;
          const item = page[i] as ScannedItem | RecordedEvent;
          const scannedItem = filtered === undefined ? undefined : (item as ScannedItem);
          const event = scannedItem === undefined ? (item as RecordedEvent) : scannedItem.event;
          after = item.position;
          if (event !== undefined && matchesPrefixes(event.streamId, this.prefixes)) yield { kind: 'event', event };
          const next = scannedItem === undefined ? i + 1 : scannedItem.ordinal;
          scanned += next - ordinal;
          ordinal = next;
          if (scanned >= this.interval) {
            scanned = 0;
            yield { kind: 'checkpoint', position: after };
          }
        }
        if (ordinal === PAGE_SIZE) {
          // Catching up: let the event loop serve I/O (HTTP) between pages.
          await yieldToEventLoop();
        } else {
          if (!caughtUp) {
            caughtUp = true;
            yield { kind: 'caught-up', position: after };
          }
          if (this.isDone()) return;
          await notifier.waitForChange(seen, (cancel) => (this.cancelWait = cancel), this.source.pollMs);
          this.cancelWait = undefined;
        }
      }
    } finally {
      this.closed = true;
      this.cancelWait?.();
    }
  }
}
