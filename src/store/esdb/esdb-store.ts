/**
 * EventStoreDB adapter (STORE=esdb://…). Every call carries a deadline, so an
 * unreachable server yields StoreUnavailableError within seconds, never a hang.
 * Semantics that differ from the embedded stores are listed in docs/event-store.md.
 */
import { batchesOf } from '../core/batches.js';
import { EventStoreDBClient } from '@eventstore/db-client';
import {
  DuplicateEventConflictError,
  InvalidAppendError,
  StoreError,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendOutcome,
  type AppendResult,
  type EventData,
  type EventStore,
  type ReadAllBatchesOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type StreamAppend,
  type Subscription,
  StoreUnavailableError,
} from '../port.js';
import type { StoreClock } from '../core/clock.js';
import { resolveDuplicates, type StoredLocation } from '../core/concurrency.js';
import {
  matchesPrefixes,
  validateAppend,
  validateBatchSize,
  validateMaxCount,
  validatePosition,
  validatePrefixes,
  validateStreamId,
  type ValidAppend,
} from '../core/validate.js';
import type { BackoffPolicy } from './backoff.js';
import type { EsdbClientLike, EsdbPosition, EsdbResolvedEvent } from './client-like.js';
import { EsdbSubscription } from './esdb-subscription.js';
import {
  comparePositions,
  fromEsdbEvent,
  isStreamNotFound,
  mapEsdbError,
  toEsdbEvent,
  toEsdbExpectedRevision,
  toReadAllFrom,
} from './mapping.js';

export interface EsdbStoreOptions {
  /** Deadline of each call and of each read page (ms, default 5000). */
  readonly deadlineMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly onSubscriptionDrop?: (error: Error, retryInMs: number) => void;
  /** Ignored: EventStoreDB stamps `recordedAt` (its `created`) with the server's clock. */
  readonly clock?: StoreClock;
}

const PAGE = 1000;
/** How many of a stream's last events are checked for eventIds when appending without an exact revision. */
const PRECHECK_WINDOW = 1000;

export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly deadline: number;

  constructor(
    private readonly client: EsdbClientLike,
    readonly name: string,
    private readonly options: EsdbStoreOptions = {},
  ) {
    this.deadline = options.deadlineMs ?? 5000;
  }

  async append(streamId: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    const batch = validateAppend(streamId, events, options.expectedRevision);
    if (batch.expectedRevision === 'any' || batch.expectedRevision === 'stream_exists') {
      const duplicate = await this.findStoredBatch(batch);
      if (duplicate) return duplicate;
    }
    let result: { nextExpectedRevision: bigint; position?: EsdbPosition };
    try {
      result = await this.client.appendToStream(streamId, batch.events.map(toEsdbEvent), {
        expectedRevision: toEsdbExpectedRevision(batch.expectedRevision),
        deadline: this.deadline,
      });
    } catch (e) {
      const error = mapEsdbError(e, this.name, { streamId, expected: batch.expectedRevision });
      if (error instanceof WrongExpectedRevisionError) await this.rejectPartialRetry(batch);
      throw error;
    }
    // The server answers an idempotent retry (all eventIds already there) with success and no position.
    if (result.position === undefined) return this.originalResult(batch, result.nextExpectedRevision);
    return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit, duplicate: false };
  }

  /**
   * EventStoreDB has no multi-stream transaction: the requests are appended one
   * after the other, each atomic on its own. Once the server is unavailable, that
   * request and every later one get a StoreUnavailableError outcome (the earlier
   * ones are written).
   */
  async appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    this.ensureOpen();
    if (!Array.isArray(requests)) throw new InvalidAppendError('requests', 'must be an array');
    const outcomes: AppendOutcome[] = [];
    let unavailable: StoreUnavailableError | undefined;
    for (const r of requests) {
      if (unavailable !== undefined) {
        outcomes.push({ ok: false, error: unavailable });
        continue;
      }
      try {
        const options = r?.expectedRevision === undefined ? {} : { expectedRevision: r.expectedRevision };
        outcomes.push({ ok: true, result: await this.append(r?.streamId, r?.events, options) });
      } catch (e) {
        if (!(e instanceof StoreError)) throw e;
        if (e instanceof StoreUnavailableError) unavailable = e;
        outcomes.push({ ok: false, error: e });
      }
    }
    return outcomes;
  }

  /**
   * Without an exact expected revision the server's idempotency is best effort:
   * look for the batch's eventIds in the stream's last events first (case streams are short).
   */
  private async findStoredBatch(batch: ValidAppend): Promise<AppendResult | undefined> {
    const tail = await this.page(() =>
      this.client.readStream(batch.streamId, {
        fromRevision: 'end',
        direction: 'backwards',
        maxCount: PRECHECK_WINDOW,
        deadline: this.deadline,
      }),
    );
    const byId = new Map<string, StoredLocation>();
    for (const resolved of tail) {
      const e = fromEsdbEvent(resolved.event);
      if (e) byId.set(e.eventId, { streamId: e.streamId, revision: e.revision, position: e.position });
    }
    const ids = batch.events.map((e) => e.eventId);
    return resolveDuplicates(
      batch.streamId,
      ids,
      ids.map((id) => byId.get(id)),
    );
  }

  /** Reads the stream back to confirm a retry and answer its original position. */
  private async originalResult(batch: ValidAppend, last: bigint): Promise<AppendResult> {
    const first = last - BigInt(batch.events.length) + 1n;
    const stored =
      first < 0n
        ? []
        : await this.collect(this.readStream(batch.streamId, { fromRevision: first, maxCount: batch.events.length }));
    const sameIds =
      stored.length === batch.events.length && stored.every((e, i) => e.eventId === batch.events[i]?.eventId);
    if (!sameIds) {
      throw new DuplicateEventConflictError(
        batch.events[0]?.eventId ?? '',
        'the server treated the batch as a retry but the stream holds other events at its revisions',
      );
    }
    return { nextExpectedRevision: last, position: stored.at(-1)?.position ?? -1n, duplicate: true };
  }

  /** After a wrong-revision error on an exact revision: stored eventIds in the batch make it a conflict. */
  private async rejectPartialRetry(batch: ValidAppend): Promise<void> {
    if (typeof batch.expectedRevision !== 'bigint' && batch.expectedRevision !== 'no_stream') return;
    const from = batch.expectedRevision === 'no_stream' ? 0n : batch.expectedRevision + 1n;
    const ids = new Set(batch.events.map((e) => e.eventId));
    const there = await this.collect(
      this.readStream(batch.streamId, { fromRevision: from, maxCount: batch.events.length }),
    ).catch(() => [] as RecordedEvent[]);
    const stored = there.find((e) => ids.has(e.eventId));
    if (stored) {
      throw new DuplicateEventConflictError(
        stored.eventId,
        `batch mixes already stored eventIds (e.g. ${stored.eventId}) with new ones`,
      );
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    validateStreamId(streamId);
    let next = validatePosition(options.fromRevision, 'fromRevision') ?? 0n;
    if (next < 0n) next = 0n;
    let remaining = validateMaxCount(options.maxCount);
    while (remaining > 0) {
      const size = Math.min(PAGE, remaining);
      const page = await this.page(() =>
        this.client.readStream(streamId, {
          fromRevision: next,
          maxCount: size,
          direction: 'forwards',
          deadline: this.deadline,
        }),
      );
      for (const resolved of page) {
        const event = fromEsdbEvent(resolved.event);
        if (event) yield event;
      }
      if (page.length < size) return;
      remaining -= page.length;
      next = (page.at(-1)?.event?.revision ?? next) + 1n;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    const from = validatePosition(options.fromPosition, 'fromPosition');
    let remaining = validateMaxCount(options.maxCount);
    const prefixes = validatePrefixes(options.streamPrefixes);
    let start = toReadAllFrom(from);
    let after: EsdbPosition | undefined;
    while (remaining > 0) {
      const fromPosition = start;
      const page = await this.page(() =>
        this.client.readAll({ fromPosition, maxCount: PAGE, direction: 'forwards', deadline: this.deadline }),
      );
      let fresh = 0;
      for (const resolved of page) {
        const position = resolved.event?.position;
        // Pages restart inclusively at the last position: skip what was already seen.
        if (position !== undefined && after !== undefined && comparePositions(position, after) <= 0) continue;
        fresh++;
        if (position !== undefined) after = position;
        const event = fromEsdbEvent(resolved.event);
        if (event === undefined || !matchesPrefixes(event.streamId, prefixes)) continue;
        yield event;
        if (--remaining <= 0) return;
      }
      if (page.length < PAGE || fresh === 0 || after === undefined) return;
      start = after;
    }
  }

  async *readAllBatches(options: ReadAllBatchesOptions = {}): AsyncIterable<readonly RecordedEvent[]> {
    yield* batchesOf(this.readAll(options), validateBatchSize(options.batchSize, PAGE));
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.ensureOpen();
    return new EsdbSubscription(
      {
        client: this.client,
        storeName: this.name,
        readHead: () => this.head(),
        ...(this.options.backoff && { backoff: this.options.backoff }),
        ...(this.options.sleep && { sleep: this.options.sleep }),
        ...(this.options.onSubscriptionDrop && { onDrop: this.options.onSubscriptionDrop }),
      },
      options,
    );
  }

  async headPosition(): Promise<bigint> {
    return (await this.head())?.commit ?? -1n;
  }

  /** Position of the last event in $all (system events included), undefined when empty. */
  private async head(): Promise<EsdbPosition | undefined> {
    this.ensureOpen();
    const last = await this.page(() =>
      this.client.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1, deadline: this.deadline }),
    );
    return last[0]?.event?.position;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose().catch(() => undefined);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError(this.name, 'the store is closed');
  }

  /** One bounded read, fully collected; a missing stream is empty. */
  private async page(read: () => AsyncIterable<EsdbResolvedEvent>): Promise<EsdbResolvedEvent[]> {
    const out: EsdbResolvedEvent[] = [];
    try {
      for await (const resolved of read()) out.push(resolved);
    } catch (e) {
      if (isStreamNotFound(e)) return [];
      throw mapEsdbError(e, this.name);
    }
    return out;
  }

  private async collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of iterable) out.push(x);
    return out;
  }
}

/** The connection string without credentials, for logs and errors. */
export const redactConnectionString = (cs: string): string => cs.replace(/\/\/[^@/]*@/, '//***@');

/**
 * Connects to EventStoreDB and checks it answers within the deadline:
 * an unreachable server is a StoreUnavailableError naming the store.
 */
export async function openEsdbStore(connectionString: string, options: EsdbStoreOptions = {}): Promise<EsdbEventStore> {
  const name = redactConnectionString(connectionString);
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(connectionString);
  } catch (e) {
    throw new StoreUnavailableError(name, `bad connection string (${(e as Error).message})`);
  }
  const store = new EsdbEventStore(client, name, options);
  try {
    await store.headPosition();
  } catch (e) {
    await store.close();
    throw e instanceof StoreUnavailableError ? e : mapEsdbError(e, name);
  }
  return store;
}
