/**
 * subscribeToAll over EventStoreDB: a server-side stream-prefix filter with
 * checkpoints, consumed one event at a time with `read()` (backpressure: the
 * client stops pulling from the server when its buffer is full), resubscribed
 * with exponential backoff from the last seen position after a drop.
 *
 * Ordering: the client calls `checkpointReached` and emits `caughtUp` while
 * events received before them may still sit in its buffer. Each such marker
 * records how many events precede it, and is delivered only after those.
 *
 * Caught-up is the server's `caughtUp` message (23.10+, checked when the store
 * opens: server-version.ts). A subscription that gets no confirmation within the
 * deadline counts as dropped (the client subscribes with `deadline: Infinity`). A
 * permanent refusal (access denied, stream deleted) ends the subscription with its
 * error instead of resubscribing forever.
 */
import { excludeSystemEvents, streamNameFilter } from '@eventstore/db-client';
import type { RecordedEvent, SubscribeOptions, Subscription, SubscriptionMessage } from '../port.js';
import { parseSubscribeOptions } from '../core/catch-up-subscription.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type {
  EsdbClientLike,
  EsdbFilter,
  EsdbPosition,
  EsdbReadPosition,
  EsdbSubscriptionLike,
} from './client-like.js';
import { DeadlineError, withDeadline } from './deadline.js';
import type { AppendInstants } from './appendInstants.js';
import {
  appendIndexOf,
  comparePositions,
  fromEsdbEvent,
  isPermanent,
  mapEsdbError,
  toSubscribeFrom,
} from './mapping.js';

/** The server's default search window of a filtered subscription (its ReadBatchSize). */
export const SERVER_SEARCH_WINDOW = 32;

/**
 * The port's "a checkpoint after at most n events scanned" as the client's filter
 * options: the client sends `checkpointInterval` as a MULTIPLIER of the server's
 * search window (32 × multiplier records; issue 14, row 7), so n ≤ 32 becomes a
 * window of n with multiplier 1, and larger n a multiplier of ⌊n / 32⌋.
 */
export function checkpointWindow(interval: number): { maxSearchWindow: number; checkpointInterval: number } {
  return interval <= SERVER_SEARCH_WINDOW
    ? { maxSearchWindow: interval, checkpointInterval: 1 }
    : { maxSearchWindow: SERVER_SEARCH_WINDOW, checkpointInterval: Math.floor(interval / SERVER_SEARCH_WINDOW) };
}

export interface EsdbSubscriptionDeps {
  readonly client: EsdbClientLike;
  /** Gives each event its append's recordedAt (appendInstants.ts); absent: each event's own `created`. */
  readonly appendInstants?: AppendInstants;
  readonly storeName: string;
  /** How long a new subscription may stay without confirmation before it counts as dropped (ms). */
  readonly deadlineMs: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told about each drop (no case ids in it). */
  readonly onDrop?: (error: Error, retryInMs: number) => void;
  /** Told each event delivered live (after caught-up), with its log position: positionCache.ts. */
  readonly remember?: (event: RecordedEvent) => void;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

interface Marker {
  readonly after: number;
  readonly position: EsdbPosition | undefined;
  readonly kind: 'checkpoint' | 'caught-up';
}

export class EsdbSubscription implements Subscription {
  private closed = false;
  private readonly abort = new AbortController();
  private iterator: AsyncGenerator<SubscriptionMessage> | undefined;
  private wake: (() => void) | undefined;
  private last: EsdbReadPosition;
  private readonly prefixes: readonly string[] | undefined;
  private readonly interval: number;
  private caughtUpSent = false;

  constructor(
    private readonly deps: EsdbSubscriptionDeps,
    options: SubscribeOptions = {},
  ) {
    const parsed = parseSubscribeOptions(options);
    this.prefixes = parsed.prefixes;
    this.interval = parsed.interval;
    this.last = toSubscribeFrom(options.fromPosition === undefined ? 'start' : options.fromPosition);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  /** Where a resubscription starts (exclusive): the exact {commit, prepare} last seen. */
  get resumePosition(): EsdbReadPosition {
    return this.last;
  }

  private async *run(): AsyncGenerator<SubscriptionMessage> {
    let attempt = 0;
    try {
      while (!this.closed) {
        let failure: Error;
        try {
          for await (const message of this.once(() => (attempt = 0))) yield message;
          failure = new Error('subscription ended by the server');
        } catch (e) {
          const error = mapEsdbError(e, this.deps.storeName, { operation: 'subscribe' });
          if (isPermanent(error) && !this.closed) throw error;
          failure = error;
        }
        if (this.closed) return;
        const delay = backoffDelay(attempt++, this.deps.backoff ?? DEFAULT_BACKOFF);
        this.deps.onDrop?.(failure, delay);
        await (this.deps.sleep ?? defaultSleep)(delay, this.abort.signal);
      }
    } finally {
      this.closed = true;
      this.abort.abort();
    }
  }

  /** One server subscription, from `this.last`, until it drops (throws) or we close (returns). */
  private async *once(onHealthy: () => void): AsyncGenerator<SubscriptionMessage> {
    const markers: Marker[] = [];
    let taken = 0;
    let failed: unknown;
    let ended = false;
    let sub: EsdbSubscriptionLike;
    const mark = (kind: Marker['kind'], position: EsdbPosition | undefined): void => {
      markers.push({ after: taken + sub.readableLength, kind, position });
      this.wake?.();
    };
    const filter = this.buildFilter((_s, position) => mark('checkpoint', position));
    sub = this.deps.client.subscribeToAll({ fromPosition: this.last, filter });
    const confirm = (): void => {
      clearTimeout(unconfirmed);
    };
    const unconfirmed = setTimeout(() => {
      failed = new DeadlineError('a new subscription', this.deps.deadlineMs);
      this.wake?.();
    }, this.deps.deadlineMs);
    sub.on('confirmation', confirm);
    sub.on('caughtUp', () => {
      confirm();
      mark('caught-up', undefined);
    });
    sub.on('error', (e: unknown) => {
      failed = e;
      this.wake?.();
    });
    sub.on('end', () => {
      ended = true;
      this.wake?.();
    });
    sub.on('close', () => {
      ended = true;
      this.wake?.();
    });
    sub.on('readable', () => this.wake?.());
    try {
      while (!this.closed) {
        while (markers[0] !== undefined && markers[0].after <= taken) {
          const marker = markers.shift() as Marker;
          onHealthy();
          if (marker.kind === 'checkpoint' && marker.position !== undefined) {
            if (this.advance(marker.position)) yield { kind: 'checkpoint', position: marker.position.commit };
          } else {
            yield* this.caughtUp(this.lastCommit());
          }
        }
        const resolved = sub.read() as { event?: Parameters<typeof fromEsdbEvent>[0] } | null;
        if (resolved !== null) {
          taken++;
          confirm();
          onHealthy();
          const raw = resolved.event;
          if (raw?.position !== undefined && !this.isNew(raw.position)) continue; // already delivered before a drop
          const event = fromEsdbEvent(raw);
          const instants = this.deps.appendInstants;
          const wanted = event !== undefined && this.matches(event.streamId);
          const read = !wanted || instants === undefined ? event : instants.of(event, appendIndexOf(raw!));
          const delivered = read instanceof Promise ? await read : read;
          // Past it only now: the read above may wait, and whatever ends this subscription meanwhile resubscribes before it.
          if (raw?.position !== undefined) this.advance(raw.position);
          if (wanted && delivered !== undefined) {
            if (this.caughtUpSent) this.deps.remember?.(delivered);
            yield { kind: 'event', event: delivered };
          }
          continue;
        }
        if (markers[0] !== undefined && markers[0].after <= taken) continue;
        if (failed !== undefined) throw failed;
        if (ended) throw new Error('subscription ended by the server');
        // close() may have come while this generator was suspended at a yield: its wake-up is gone.
        if (this.closed) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      clearTimeout(unconfirmed);
      this.wake = undefined;
      sub.removeAllListeners('readable');
      sub.on('error', () => undefined); // late errors after unsubscribe are expected
      // A cancelled gRPC stream may never emit anything: do not wait on it past the deadline.
      await withDeadline(sub.unsubscribe(), this.deps.deadlineMs, 'unsubscribing').catch(() => undefined);
    }
  }

  private buildFilter(checkpointReached: NonNullable<EsdbFilter['checkpointReached']>): EsdbFilter {
    const checkpoints = { ...checkpointWindow(this.interval), checkpointReached };
    // With prefixes the server filters stream names; without, it still must skip system events.
    return this.prefixes !== undefined
      ? streamNameFilter({ ...checkpoints, prefixes: [...this.prefixes] })
      : excludeSystemEvents(checkpoints);
  }

  private matches(streamId: string): boolean {
    return this.prefixes === undefined || this.prefixes.some((p) => streamId.startsWith(p));
  }

  /** Moves `last` forward; false when `position` is not after it (a redelivery). */
  private advance(position: EsdbPosition): boolean {
    if (!this.isNew(position)) return false;
    this.last = position;
    return true;
  }

  private isNew(position: EsdbPosition): boolean {
    return this.last === 'start' || this.last === 'end' || comparePositions(position, this.last) > 0;
  }

  private lastCommit(): bigint {
    return this.last === 'start' || this.last === 'end' ? -1n : this.last.commit;
  }

  private *caughtUp(position: bigint): Generator<SubscriptionMessage> {
    if (this.caughtUpSent) return;
    this.caughtUpSent = true;
    yield { kind: 'caught-up', position };
  }
}
