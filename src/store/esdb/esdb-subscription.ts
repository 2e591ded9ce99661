/**
 * subscribeToAll over EventStoreDB: a server-side stream-prefix filter with
 * checkpoints, consumed one event at a time with `read()` (backpressure: the
 * client stops pulling from the server when its buffer is full), resubscribed
 * with exponential backoff from the last seen position after a drop.
 *
 * Ordering: the client calls `checkpointReached` and emits `caughtUp` while
 * events received before them may still sit in its buffer. Each such marker
 * records how many events precede it, and is delivered only after those.
 */
import { excludeSystemEvents, streamNameFilter } from '@eventstore/db-client';
import type { SubscribeOptions, Subscription, SubscriptionMessage } from '../port.js';
import { parseSubscribeOptions } from '../core/catch-up-subscription.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type {
  EsdbClientLike,
  EsdbFilter,
  EsdbPosition,
  EsdbReadPosition,
  EsdbSubscriptionLike,
} from './client-like.js';
import { comparePositions, fromEsdbEvent, mapEsdbError, toSubscribeFrom } from './mapping.js';

export interface EsdbSubscriptionDeps {
  readonly client: EsdbClientLike;
  readonly storeName: string;
  /** Position of the last event now, undefined when empty (for the caught-up fallback on servers that do not send it). */
  readonly readHead: () => Promise<EsdbPosition | undefined>;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told about each drop (no case ids in it). */
  readonly onDrop?: (error: Error, retryInMs: number) => void;
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
          failure = mapEsdbError(e, this.deps.storeName);
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
    const head = await this.deps.readHead();
    const markers: Marker[] = [];
    let taken = 0;
    let failed: unknown;
    let ended = false;
    // eslint-disable-next-line prefer-const
    let sub: EsdbSubscriptionLike;
    const mark = (kind: Marker['kind'], position: EsdbPosition | undefined): void => {
      markers.push({ after: taken + sub.readableLength, kind, position });
      this.wake?.();
    };
    const filter = this.buildFilter((_s, position) => mark('checkpoint', position));
    sub = this.deps.client.subscribeToAll({ fromPosition: this.last, filter });
    sub.on('caughtUp', () => mark('caught-up', undefined));
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
    const startedAt = this.last;
    const reachedHead = (p: EsdbPosition): boolean => head !== undefined && comparePositions(p, head) >= 0;
    if (head === undefined || (startedAt !== 'start' && startedAt !== 'end' && reachedHead(startedAt))) {
      yield* this.caughtUp(this.lastCommit());
    }
    try {
      while (!this.closed) {
        while (markers[0] !== undefined && markers[0].after <= taken) {
          const marker = markers.shift() as Marker;
          onHealthy();
          if (marker.kind === 'checkpoint' && marker.position !== undefined) {
            if (this.advance(marker.position)) yield { kind: 'checkpoint', position: marker.position.commit };
            if (reachedHead(marker.position)) yield* this.caughtUp(marker.position.commit);
          } else {
            yield* this.caughtUp(this.lastCommit());
          }
        }
        const resolved = sub.read() as { event?: Parameters<typeof fromEsdbEvent>[0] } | null;
        if (resolved !== null) {
          taken++;
          onHealthy();
          const raw = resolved.event;
          if (raw?.position !== undefined && !this.advance(raw.position)) continue; // already delivered before a drop
          const event = fromEsdbEvent(raw);
          if (event !== undefined && this.matches(event.streamId)) yield { kind: 'event', event };
          if (raw?.position !== undefined && reachedHead(raw.position)) yield* this.caughtUp(raw.position.commit);
          continue;
        }
        if (markers[0] !== undefined && markers[0].after <= taken) continue;
        if (failed !== undefined) throw failed;
        if (ended) throw new Error('subscription ended by the server');
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.wake = undefined;
      sub.removeAllListeners('readable');
      sub.on('error', () => undefined); // late errors after unsubscribe are expected
      await sub.unsubscribe().catch(() => undefined);
    }
  }

  private buildFilter(checkpointReached: NonNullable<EsdbFilter['checkpointReached']>): EsdbFilter {
    const checkpoints = { checkpointInterval: this.interval, checkpointReached };
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
    if (this.last !== 'start' && this.last !== 'end' && comparePositions(position, this.last) <= 0) return false;
    this.last = position;
    return true;
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
