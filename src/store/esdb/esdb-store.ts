/**
 * EventStoreDB adapter (STORE=esdb://…). Every call runs under the adapter's own
 * deadline (deadline.ts: the client has none on reads, subscriptions, batch appends
 * and its server-features probe), so a server that accepts and never answers yields
 * StoreUnavailableError within seconds, never a hang. Semantics that differ from the
 * embedded stores are listed in docs/event-store.md. (Over 300 lines: the port's
 * operations over one client, each under its deadline; the filtered read of `$all`
 * is filtered-read.ts, the subscription esdb-subscription.ts.)
 */
import { identityFromStream, STORE_IDENTITY_STREAM } from './identity.js';
import { batchesOf } from '../core/batches.js';
import type { StoreClock } from '../core/clock.js';
import {
  validateAppend,
  validateBatchSize,
  validateMaxCount,
  validatePosition,
  validatePrefixes,
  validateStreamId,
} from '../core/validate.js';
import {
  type AppendOptions,
  type AppendOutcome,
  type AppendResult,
  type EventData,
  type EventStore,
  InvalidAppendError,
  type ReadAllBatchesOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StoreError,
  StoreRefusedError,
  StoreUnavailableError,
  type SubscribeOptions,
  type Subscription,
  UNKNOWN_POSITION,
} from '../port.js';
import { appendIdempotent, type StreamScan } from './append.js';
import { appendConcurrently } from './appendMany.js';
import { type ClaimDeps, claimEventIds, releaseClaims } from './eventIdClaims.js';
import { PositionCache } from './positionCache.js';
import { positionsOf } from './positions.js';
import type { BackoffPolicy } from './backoff.js';
import type { EsdbClientLike, EsdbPosition, EsdbReadPosition, EsdbResolvedEvent } from './client-like.js';
import { collectWithin, withDeadline } from './deadline.js';
import { EsdbSubscription } from './esdb-subscription.js';
import { CHECKPOINT_INTERVAL, type FilteredRead, filteredBatches } from './filtered-read.js';
import { HeadTracker } from './head.js';
import { AppendInstants } from './appendInstants.js';
import {
  appendIdOf,
  appendIndexOf,
  comparePositions,
  fromEsdbEvent,
  isStreamNotFound,
  isUnavailable,
  mapEsdbError,
  toReadAllFrom,
} from './mapping.js';

export interface EsdbStoreOptions {
  /** Deadline of each call and of each read page (ms, default 5000). */
  readonly deadlineMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly onSubscriptionDrop?: (error: Error, retryInMs: number) => void;
  /**
   * Requests of one appendMany in flight at once (default 16; 1 appends them one after the other).
   * Each holds up to 16 eventId claims in flight of its own (eventIdClaims.ts).
   */
  readonly appendConcurrency?: number;
  /** Ignored: EventStoreDB stamps `recordedAt` (its `created`) with the server's clock. */
  readonly clock?: StoreClock;
}

const PAGE = 1000;
const APPEND_CONCURRENCY = 16;

/** The server's answer to a read from a position that is not the start of a record (RpcExceptions.InvalidPositionException). */
const isInvalidPosition = (e: unknown): boolean => /invalid position/i.test(String((e as Error | null)?.message ?? e));

export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly deadline: number;
  private readonly heads: HeadTracker;
  /** Positions of stream events learnt (a stream read carries none): positionCache.ts. */
  private readonly positions = new PositionCache();
  private readonly claims: ClaimDeps;
  private readonly appendConcurrency: number;

  constructor(
    private readonly client: EsdbClientLike,
    readonly name: string,
    private readonly options: EsdbStoreOptions = {},
  ) {
    this.deadline = options.deadlineMs ?? 5000;
    this.appendConcurrency = options.appendConcurrency ?? APPEND_CONCURRENCY;
    if (!Number.isInteger(this.appendConcurrency) || this.appendConcurrency < 1)
      throw new RangeError(`appendConcurrency must be an integer >= 1, got ${this.appendConcurrency}`);
    this.claims = {
      client,
      storeName: name,
      deadlineMs: this.deadline,
      readLast: (streamId) => this.readLast(streamId),
    };
    this.heads = new HeadTracker(
      (from, maxCount) =>
        this.page('reading the head of $all', () =>
          this.client.readAll({ fromPosition: from, direction: 'backwards', maxCount, deadline: this.deadline }),
        ),
      [STORE_IDENTITY_STREAM],
    );
  }

  async append(streamId: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    const batch = validateAppend(streamId, events, options.expectedRevision);
    const result = await appendIdempotent(
      {
        client: this.client,
        storeName: this.name,
        deadlineMs: this.deadline,
        scanStream: (id) => this.scanStream(id),
        positionsOf: (id, read) => this.positionsOf(id, read),
        appendIdAt: (id, revision) => this.appendIdAt(id, revision),
        claimEventIds: (id, eventIds) => claimEventIds(this.claims, id, eventIds),
        releaseClaims: (id, made) => releaseClaims(this.claims, id, made),
      },
      batch,
    );
    if (result.position !== UNKNOWN_POSITION)
      this.positions.set(streamId, result.nextExpectedRevision, result.position);
    return result;
  }

  /** EventStoreDB has no multi-stream transaction: each request is its own append, different streams concurrently (appendMany.ts). */
  async appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    this.ensureOpen();
    if (!Array.isArray(requests)) throw new InvalidAppendError('requests', 'must be an array');
    return appendConcurrently(
      requests,
      (r) =>
        this.append(
          r?.streamId,
          r?.events,
          r?.expectedRevision === undefined ? {} : { expectedRevision: r.expectedRevision },
        ),
      this.appendConcurrency,
    );
  }

  /** Every stored event of a stream by eventId (paged): the idempotency check of append.ts. */
  private async scanStream(streamId: string): Promise<StreamScan> {
    const read = new Map<string, RecordedEvent>();
    let last: bigint | undefined;
    for await (const e of this.readStream(streamId)) {
      read.set(e.eventId, e);
      last = e.revision;
    }
    return { last, read };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    validateStreamId(streamId);
    let next = validatePosition(options.fromRevision, 'fromRevision') ?? 0n;
    if (next < 0n) next = 0n;
    let remaining = validateMaxCount(options.maxCount);
    const instants = this.appendInstants();
    while (remaining > 0) {
      const size = Math.min(PAGE, remaining);
      const from = next;
      const page = await this.page(`reading ${streamId}`, () =>
        this.client.readStream(streamId, {
          fromRevision: from,
          maxCount: size,
          direction: 'forwards',
          deadline: this.deadline,
        }),
      );
      for (const resolved of page) {
        const event = this.withKnownPosition(fromEsdbEvent(resolved.event));
        if (event) {
          const read = instants.of(event, appendIndexOf(resolved.event!));
          yield read instanceof Promise ? await read : read;
        }
      }
      if (page.length < size) return;
      remaining -= page.length;
      next = (page.at(-1)?.event?.revision ?? next) + 1n;
    }
  }

  /**
   * Reads `$all` from `fromPosition` (inclusive). Positions are byte offsets of
   * records, and the server refuses one inside a record. The only such position a
   * caller hands over is "the event at p, plus one" (the embedded stores' way of
   * saying "after p", used by the projection runner): when the server refuses p + 1,
   * the read starts at p and skips it. Any other position is refused with its field named.
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    const from = validatePosition(options.fromPosition, 'fromPosition');
    const maxCount = validateMaxCount(options.maxCount);
    const prefixes = validatePrefixes(options.streamPrefixes);
    if (prefixes !== undefined) {
      for await (const batch of this.filtered({ from, prefixes, maxCount, batchSize: PAGE })) yield* batch;
      return;
    }
    yield* this.pagedReadAll(from, maxCount);
  }

  /** The filtered read: through the server-side filtered subscription (filtered-read.ts). */
  private filtered(read: FilteredRead): AsyncIterable<RecordedEvent[]> {
    return filteredBatches(
      {
        storeName: this.name,
        stallMs: this.deadline,
        firstAtOrAfter: async (from) => {
          for await (const event of this.pagedReadAll(from, 1)) return event;
          return undefined;
        },
        subscribe: (from, streamPrefixes) =>
          this.subscribeToAll({ fromPosition: from, streamPrefixes, checkpointInterval: CHECKPOINT_INTERVAL }),
      },
      read,
    );
  }

  /** Every user event of `$all` from `from` (inclusive), paged. */
  private async *pagedReadAll(from: bigint | undefined, maxCount: number): AsyncIterable<RecordedEvent> {
    let remaining = maxCount;
    const instants = this.appendInstants();
    // A page restarts inclusively at the last record seen: one more than wanted still brings a fresh one.
    // A page of internal records only (eventId claims and their links before a batch's first event)
    // makes the next one larger, so they are skipped a page at a time, not one record a call.
    let size = Math.min(PAGE, remaining + 1);
    let start: EsdbReadPosition = toReadAllFrom(from);
    let after: EsdbPosition | undefined;
    let firstPage: EsdbResolvedEvent[] | undefined = await this.readAllPage(start, size).catch(async (e: unknown) => {
      if (from === undefined || from <= 0n || !isInvalidPosition((e as StoreError).message)) throw e;
      after = { commit: from - 1n, prepare: from - 1n };
      return this.readAllPage(after, size).catch((again: unknown) => {
        if (!isInvalidPosition((again as StoreError).message)) throw again;
        throw new InvalidAppendError('fromPosition', `${from} is not the position of an event in this EventStoreDB`);
      });
    });
    while (remaining > 0) {
      const page = firstPage ?? (await this.readAllPage(start, size));
      firstPage = undefined;
      let fresh = 0;
      const wanted = remaining;
      for (const resolved of page) {
        const position = resolved.event?.position;
        // Pages restart inclusively at the last position: skip what was already seen.
        if (position !== undefined && after !== undefined && comparePositions(position, after) <= 0) continue;
        fresh++;
        if (position !== undefined) after = position;
        const event = fromEsdbEvent(resolved.event);
        if (event === undefined) continue;
        const read = instants.of(event, appendIndexOf(resolved.event!));
        yield read instanceof Promise ? await read : read;
        if (--remaining <= 0) return;
      }
      if (page.length < size || fresh === 0 || after === undefined) return;
      start = after;
      if (remaining === wanted) size = Math.min(PAGE, size * 8);
    }
  }

  private readAllPage(fromPosition: EsdbReadPosition, maxCount: number): Promise<EsdbResolvedEvent[]> {
    return this.page('reading $all', () =>
      this.client.readAll({ fromPosition, maxCount, direction: 'forwards', deadline: this.deadline }),
    );
  }

  async *readAllBatches(options: ReadAllBatchesOptions = {}): AsyncIterable<readonly RecordedEvent[]> {
    const batchSize = validateBatchSize(options.batchSize, PAGE);
    const prefixes = validatePrefixes(options.streamPrefixes);
    if (prefixes === undefined) {
      yield* batchesOf(this.readAll(options), batchSize);
      return;
    }
    this.ensureOpen();
    const from = validatePosition(options.fromPosition, 'fromPosition');
    const maxCount = validateMaxCount(options.maxCount);
    yield* this.filtered({
      from,
      prefixes,
      maxCount,
      batchSize,
      ...(options.onScanned && { onScanned: options.onScanned }),
    });
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.ensureOpen();
    return new EsdbSubscription(
      {
        client: this.client,
        storeName: this.name,
        deadlineMs: this.deadline,
        appendInstants: this.appendInstants(),
        remember: (e) => this.positions.set(e.streamId, e.revision, e.position),
        ...(this.options.backoff && { backoff: this.options.backoff }),
        ...(this.options.sleep && { sleep: this.options.sleep }),
        ...(this.options.onSubscriptionDrop && { onDrop: this.options.onSubscriptionDrop }),
      },
      options,
    );
  }

  private storeIdentity: Promise<string> | undefined;

  /** Kept in stream `store-identity` (see identity.ts); read once per process. */
  identity(): Promise<string> {
    this.storeIdentity ??= identityFromStream(this).catch((e: unknown) => {
      this.storeIdentity = undefined; // a failed read is retried on the next call
      throw e;
    });
    return this.storeIdentity;
  }

  /**
   * How many events lie after `position`, counting at most `limit`: the projections'
   * lag in events (positions here are byte offsets, so head − position is not a count).
   * Bookkeeping events (store-identity) are not counted, as in the head.
   */
  async countEventsAfter(position: bigint, limit: number): Promise<number> {
    let n = 0;
    const from = position < 0n ? undefined : position + 1n;
    for await (const e of this.readAll({ ...(from === undefined ? {} : { fromPosition: from }), maxCount: limit })) {
      if (e.streamId !== STORE_IDENTITY_STREAM) n++;
    }
    return n;
  }

  /** A stream read's event with the position the cache learnt, where the read carries none. */
  private withKnownPosition(event: RecordedEvent | undefined): RecordedEvent | undefined {
    if (event === undefined || event.position !== UNKNOWN_POSITION) return event;
    const position = this.positions.get(event.streamId, event.revision);
    return position === undefined ? event : { ...event, position };
  }

  /** The append id on a stored event's metadata (append.ts `wroteIt`). */
  private async appendIdAt(streamId: string, revision: bigint): Promise<string | undefined> {
    const event = (await this.readOne(streamId, revision))[0]?.event;
    return event?.revision === revision ? appendIdOf(event) : undefined;
  }

  /** The positions its stream reads cannot carry (positions.ts). */
  async positionsOf(streamId: string, events: readonly RecordedEvent[]): Promise<bigint[]> {
    this.ensureOpen();
    const deps = { client: this.client, storeName: this.name, deadlineMs: this.deadline, cache: this.positions };
    return positionsOf(deps, streamId, events);
  }

  /** Position of the last user event (system and link events are skipped: see head.ts), -1n when none. */
  async headPosition(): Promise<bigint> {
    this.ensureOpen();
    return this.heads.head();
  }

  /** Position of the last record of `$all`, internal ones included (a filtered subscription's checkpoint may lie there). */
  async endPosition(): Promise<bigint> {
    this.ensureOpen();
    const [last] = await this.page('reading the end of $all', () =>
      this.client.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1, deadline: this.deadline }),
    );
    return last?.event?.position?.commit ?? -1n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // dispose() waits for every open call to finish; against a server that never answers it would wait forever.
    await withDeadline(this.client.dispose(), this.deadline, 'closing the client').catch(() => undefined);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError(this.name, 'the store is closed');
  }

  /**
   * One read's view of appends: each event with its append's first event's recordedAt
   * (appendInstants.ts). When that event is gone (its stream deleted or truncated, or the read
   * refused) the event keeps its own `created`; an unavailable server fails the read as any read
   * (a subscription then resubscribes before the event and asks again).
   */
  private appendInstants(): AppendInstants {
    return new AppendInstants(async (streamId, revision) => {
      try {
        const first = (await this.readOne(streamId, revision))[0]?.event;
        return first?.revision === revision ? first.created.toISOString() : undefined;
      } catch (error) {
        if (error instanceof StoreUnavailableError && !(error instanceof StoreRefusedError)) throw error; // transient
        return undefined;
      }
    });
  }

  /** The event of a stream at `revision` (a page of at most one: empty when there is none). */
  private readOne(streamId: string, revision: bigint): Promise<EsdbResolvedEvent[]> {
    return this.page(`reading ${streamId}@${revision}`, () =>
      this.client.readStream(streamId, {
        fromRevision: revision,
        maxCount: 1,
        direction: 'forwards',
        deadline: this.deadline,
      }),
    );
  }

  /** The last event of a stream (a page of at most one: empty when there is none). */
  private readLast(streamId: string): Promise<EsdbResolvedEvent[]> {
    return this.page(`reading the end of ${streamId}`, () =>
      this.client.readStream(streamId, {
        fromRevision: 'end',
        maxCount: 1,
        direction: 'backwards',
        deadline: this.deadline,
      }),
    );
  }

  /** One bounded read, fully collected within the deadline; a missing stream is empty. */
  private async page(what: string, read: () => AsyncIterable<EsdbResolvedEvent>): Promise<EsdbResolvedEvent[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await collectWithin(read(), this.deadline, what);
      } catch (e) {
        if (isStreamNotFound(e)) return [];
        if (attempt === 0 && isUnavailable(e)) continue; // the client has reconnected by now (mapping.ts)
        throw mapEsdbError(e, this.name, { operation: 'read' });
      }
    }
  }
}
