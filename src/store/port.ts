/**
 * The event-store port. Semantics follow the EventStoreDB client:
 * - stream revisions count from 0; `no_stream` means the stream must not exist;
 * - global positions are bigint, monotonically increasing in commit order
 *   (strings on the wire);
 * - readAll is inclusive of `fromPosition`; subscribeToAll is exclusive of it;
 * - an append is atomic: all events of the batch or none.
 */
import type { WriteFailure } from './core/failure-burst.js';
import type { EventRows } from './eventRows.js';

export type { WriteFailure } from './core/failure-burst.js';

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** An event to append. `data` is the JSON body of SPEC §2, stored as is. */
export interface EventData {
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A stream read's position where the store cannot tell it (see RecordedEvent.position). */
export const UNKNOWN_POSITION = -1n;

export interface RecordedEvent {
  readonly streamId: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Revision within its stream, from 0. */
  readonly revision: bigint;
  /**
   * Global position in the store (commit order). From `readStream` it is `UNKNOWN_POSITION` on a
   * store whose stream reads do not carry one (EventStoreDB reads a stream through its index,
   * which holds none): `knownPositions` (src/store/core/positions.ts) asks `positionsOf` then.
   */
  readonly position: bigint;
  /** The store's clock when the event was committed, ISO-8601 UTC. */
  readonly recordedAt: string;
  /**
   * The event's index in its append (0 for the first): what tells two appends apart, since two
   * appends may share a recordedAt millisecond. Absent where the store cannot tell (events stored
   * before session 26 on sqlite, before session 18 on EventStoreDB): readers then take events of
   * one stream with one recordedAt for one append.
   */
  readonly appendIndex?: number;
}

export interface AppendResult {
  /** Revision of the last event of the batch (= the next expected revision). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event of the batch. */
  readonly position: bigint;
  /**
   * Each event's own global position, in batch order, when the adapter knows
   * them without another read (the embedded stores); absent otherwise.
   */
  readonly positions?: readonly bigint[];
  /** True when every eventId of the batch was already stored: nothing new was written. */
  readonly duplicate: boolean;
  /**
   * The stored recordedAt of the batch's events (ISO-8601 UTC), when the adapter
   * knows it without another read (embedded stores; absent on EventStoreDB).
   */
  readonly recordedAt?: string;
}

/** One stream's part of `appendMany`. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly EventData[];
  readonly expectedRevision?: ExpectedRevision; // default 'any'
}

/** The outcome of one stream's append in `appendMany`: its result, or the typed error that refused it. */
export type AppendOutcome =
  | { readonly ok: true; readonly result: AppendResult }
  | { readonly ok: false; readonly error: StoreError };

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision; // default 'any'
}

export interface ReadStreamOptions {
  readonly fromRevision?: bigint; // inclusive, default 0
  readonly maxCount?: number;
}

/** The longest stream name every adapter stores. */
export const MAX_STREAM_NAME_LENGTH = 200;
/**
 * The most stream prefixes one read or subscription may name (`streamPrefixes`),
 * the one rule of the prefix caps: every adapter filters with all of them
 * (SQLite binds two parameters a prefix, EventStoreDB sends them in the
 * request), and a projection worker's partition is sized to fit (partition.ts).
 */
export const MAX_STREAM_PREFIXES = 2048;
/** A prefix longer than the longest stream name matches nothing: refused, not read for nothing. */
export const MAX_STREAM_PREFIX_LENGTH = MAX_STREAM_NAME_LENGTH;

export interface ReadAllOptions {
  readonly fromPosition?: bigint; // inclusive, default start
  readonly maxCount?: number;
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllBatchesOptions extends ReadAllOptions {
  /** Largest array yielded (default 1024 on the embedded stores, 1000 on EventStoreDB); arrays are never empty. */
  readonly batchSize?: number;
  /**
   * Told, between two arrays, a position up to which the read has scanned `$all`
   * (every matching event up to it was in an earlier array), so a filtered
   * reader may move its own position past events it does not get. Called by
   * the stores that learn it (EventStoreDB's filter checkpoints; sqlite at the end of a read,
   * read ahead or not); optional.
   */
  readonly onScanned?: (position: bigint) => void;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position; 'start' delivers from the beginning. */
  readonly fromPosition?: bigint | 'start';
  /** Server-side filter on stream name prefixes, e.g. ['case-']. */
  readonly streamPrefixes?: readonly string[];
  /** Emit a checkpoint after at most this many events scanned (default 32). */
  readonly checkpointInterval?: number;
}

export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | { readonly kind: 'checkpoint'; readonly position: bigint }
  | { readonly kind: 'caught-up'; readonly position: bigint };

/** A live subscription: consume with `for await`; `close()` ends the iteration. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface EventStore {
  /** Human-readable name for logs and errors, e.g. "sqlite:./data/events.db". */
  readonly name: string;
  /**
   * The store's identity: a UUID written once when the store is created, the
   * same for its whole life. Snapshots and checkpoints name it, so read models
   * never resume from another store's (a memory store has a new one per process).
   */
  identity(): Promise<string>;
  append(streamId: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams in one call, in request order, as if by
   * successive `append`s: each request is atomic and independent (a conflict or
   * bad input refuses that request only, as an `ok: false` outcome), and the
   * outcomes come back in request order. Embedded stores commit all requests in
   * one transaction (one commit); a rejected promise (StoreUnavailableError)
   * means nothing was written. EventStoreDB has no multi-stream transaction:
   * each request is its own append, requests for different streams concurrently
   * (at most 16 at once), those for one stream (and for streams sharing an eventId)
   * in request order, each after the one before has finished; once one request fails
   * with StoreUnavailableError (not StoreRefusedError: that stream's alone), the
   * requests not yet sent get an unavailable outcome saying so (those in flight keep their own).
   */
  appendMany(requests: readonly StreamAppend[]): Promise<AppendOutcome[]>;
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** The same events as `readAll`, yielded as non-empty arrays in commit order (one await per array, for rebuilds). */
  readAllBatches(options?: ReadAllBatchesOptions): AsyncIterable<readonly RecordedEvent[]>;
  /**
   * Optional: the arrays of `readAllBatches`, as rows read by index (eventRows.ts), for the
   * projections' catch-up only; a store implements it where that spares the per-event objects.
   */
  readAllRows?(options?: ReadAllBatchesOptions): AsyncIterable<EventRows>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Position of the last committed event (-1n when empty). */
  headPosition(): Promise<bigint>;
  /**
   * Optional: the position of the last record the store holds, of any kind (-1n when empty). Only
   * stores whose log holds records no reader sees implement it (EventStoreDB: system and link
   * events, eventId claims), where a subscription's checkpoint may lie past `headPosition`.
   */
  endPosition?(): Promise<bigint>;
  /**
   * The global positions of events read from `streamId` by `readStream`, in the order given.
   * Stores whose stream reads answer `UNKNOWN_POSITION` implement it (one request an event on
   * EventStoreDB: callers ask only for the events they answer with).
   */
  positionsOf?(streamId: string, events: readonly RecordedEvent[]): Promise<bigint[]>;
  /**
   * How many events lie after `position`, counting at most `limit`. Only stores whose
   * positions are not dense event counts implement it (EventStoreDB: byte offsets);
   * elsewhere the distance is head − position.
   */
  countEventsAfter?(position: bigint, limit: number): Promise<number>;
  /** The first damage found in the stored data, if any (it does not heal: restore from a backup). */
  corruption?(): StoreCorruptError | undefined;
  /** The burst of failed writes running now (disk full, I/O error), if any: readiness reports it. */
  writeFailure?(): WriteFailure | undefined;
  close(): Promise<void>;
}

/** Base of every typed store error. */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The expected revision did not match (optimistic concurrency). */
export class WrongExpectedRevisionError extends StoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(
      'wrong-expected-revision',
      `stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`,
    );
  }
}

/** The store cannot be reached or is closed; nothing was written. */
export class StoreUnavailableError extends StoreError {
  constructor(
    readonly storeName: string,
    reason: string,
  ) {
    super('store-unavailable', `event store ${storeName} unavailable: ${reason}`);
  }
}

/**
 * An append whose answer was lost (none within its deadline, or the connection
 * dropped after the call was sent): the server may have committed it. Retrying the same batch (same eventIds) is safe: the adapter
 * answers a stored batch as a duplicate with its original result.
 */
export class StoreOutcomeUnknownError extends StoreUnavailableError {
  readonly outcomeUnknown = true;
  constructor(storeName: string, reason: string) {
    super(storeName, `${reason}; the append may have been written: retry it with the same eventIds`);
  }
}

/**
 * The server refused for a reason retrying will not fix (access denied, stream
 * deleted): subscriptions end with it instead of resubscribing.
 */
export class StoreRefusedError extends StoreUnavailableError {
  readonly permanent = true;
}

/**
 * The server refused because the stream is deleted (tombstoned, e.g. by an operator): that stream's
 * appends and reads, for good; the store itself is up (the write side refuses that case alone).
 */
export class StreamDeletedError extends StoreRefusedError {
  constructor(
    storeName: string,
    /** The deleted stream, when the request or the server named it. */
    readonly streamId: string | undefined,
  ) {
    super(
      storeName,
      `stream ${streamId ?? '(unnamed)'} is deleted (tombstoned): the server refuses its writes and reads for good; nothing was written`,
    );
  }
}

/**
 * The stored data is damaged (a page the database cannot read, a record that
 * does not parse): a kind of unavailability (nothing was written), named as
 * such so that nobody mistakes it for a server that will come back.
 */
export class StoreCorruptError extends StoreUnavailableError {
  override readonly code = 'store-corrupt';
  constructor(
    storeName: string,
    /** Where it was found: `stream <id>` or the positions being read. */
    readonly where: string,
    readonly reason: string,
  ) {
    super(storeName, reason);
    this.message = `event store ${storeName} is corrupt (${where}): ${reason}`;
  }
}

/** Bad input to the port (empty batch, bad stream name, bad eventId…). */
export class InvalidAppendError extends StoreError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('invalid-append', `${field}: ${message}`);
  }
}

/** Some but not all eventIds of a batch were already stored, or an eventId was reused with different content. */
export class DuplicateEventConflictError extends StoreError {
  constructor(
    readonly eventId: string,
    message: string,
  ) {
    super('duplicate-event-conflict', message);
  }
}
