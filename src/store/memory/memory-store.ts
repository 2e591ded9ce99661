/**
 * In-memory event store (STORE=memory): same semantics as the durable stores,
 * nothing survives the process. Positions are indexes into the global log.
 */
import { randomUUID } from 'node:crypto';
import {
  InvalidAppendError,
  StoreError,
  StoreUnavailableError,
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
} from '../port.js';
import { batchesOf } from '../core/batches.js';
import { CatchUpSubscription } from '../core/catch-up-subscription.js';
import { checkExpectedRevision, resolveDuplicates } from '../core/concurrency.js';
import { recordedAtNow, systemClock, type StoreClock, type StoreOptions } from '../core/clock.js';
import { CommitNotifier } from '../core/notifier.js';
import {
  matchesPrefixes,
  validateAppend,
  validateBatchSize,
  validateMaxCount,
  validatePosition,
  validatePrefixes,
  validateStreamId,
} from '../core/validate.js';

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

export class MemoryEventStore implements EventStore {
  readonly name = 'memory';
  private readonly storeIdentity = randomUUID();
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byEventId = new Map<string, RecordedEvent>();
  private readonly notifier = new CommitNotifier();
  private readonly clock: StoreClock;

  constructor(options: StoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  async append(streamId: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    const result = this.write(streamId, events, options.expectedRevision);
    if (!result.duplicate) this.notifier.notify();
    return result;
  }

  async appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]> {
    this.ensureOpen();
    if (!Array.isArray(requests)) throw new InvalidAppendError('requests', 'must be an array');
    const outcomes = requests.map((r): AppendOutcome => {
      try {
        return { ok: true, result: this.write(r?.streamId, r?.events, r?.expectedRevision) };
      } catch (e) {
        if (e instanceof StoreError) return { ok: false, error: e };
        throw e;
      }
    });
    if (outcomes.some((o) => o.ok && !o.result.duplicate)) this.notifier.notify();
    return outcomes;
  }

  /** One atomic append: every check happens before the first event is stored. */
  private write(streamId: unknown, events: unknown, expectedRevision: unknown): AppendResult {
    const batch = validateAppend(streamId, events, expectedRevision);
    const ids = batch.events.map((e) => e.eventId);
    const duplicate = resolveDuplicates(
      batch.streamId,
      ids,
      ids.map((id) => this.byEventId.get(id)),
    );
    if (duplicate) return duplicate;
    const stream = this.streams.get(batch.streamId);
    const current = stream === undefined ? undefined : BigInt(stream.length - 1);
    checkExpectedRevision(batch.streamId, batch.expectedRevision, current);

    const recordedAt = recordedAtNow(this.clock);
    const target = stream ?? [];
    const positions: bigint[] = [];
    let last: RecordedEvent | undefined;
    for (const [appendIndex, e] of batch.events.entries()) {
      last = Object.freeze({
        streamId: batch.streamId,
        eventId: e.eventId,
        type: e.type,
        data: deepFreeze(JSON.parse(e.json) as Record<string, unknown>),
        revision: BigInt(target.length),
        position: BigInt(this.log.length),
        recordedAt,
        appendIndex,
      });
      target.push(last);
      this.log.push(last);
      this.byEventId.set(e.eventId, last);
      positions.push(last.position);
    }
    if (stream === undefined) this.streams.set(batch.streamId, target);
    const end = last as RecordedEvent;
    return { nextExpectedRevision: end.revision, position: end.position, positions, duplicate: false, recordedAt };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    validateStreamId(streamId);
    const from = validatePosition(options.fromRevision, 'fromRevision') ?? 0n;
    const max = validateMaxCount(options.maxCount);
    const stream = this.streams.get(streamId) ?? [];
    let count = 0;
    for (let i = Number(from < 0n ? 0n : from); i < stream.length && count < max; i++, count++) {
      yield stream[i] as RecordedEvent;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    const from = validatePosition(options.fromPosition, 'fromPosition') ?? 0n;
    const max = validateMaxCount(options.maxCount);
    const prefixes = validatePrefixes(options.streamPrefixes);
    let count = 0;
    for (let i = Number(from < 0n ? 0n : from); i < this.log.length && count < max; i++) {
      const event = this.log[i] as RecordedEvent;
      if (!matchesPrefixes(event.streamId, prefixes)) continue;
      count++;
      yield event;
    }
  }

  async *readAllBatches(options: ReadAllBatchesOptions = {}): AsyncIterable<readonly RecordedEvent[]> {
    yield* batchesOf(this.readAll(options), validateBatchSize(options.batchSize, 1024));
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.ensureOpen();
    return new CatchUpSubscription(
      {
        notifier: this.notifier,
        readAfter: (after, limit) => {
          const start = Number(after + 1n);
          return this.log.slice(start, start + limit);
        },
      },
      options,
    );
  }

  async identity(): Promise<string> {
    return this.storeIdentity;
  }

  async headPosition(): Promise<bigint> {
    this.ensureOpen();
    return BigInt(this.log.length - 1);
  }

  async close(): Promise<void> {
    this.notifier.close();
  }

  private ensureOpen(): void {
    if (this.notifier.closed) throw new StoreUnavailableError(this.name, 'the store is closed');
  }
}
