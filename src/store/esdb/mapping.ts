/**
 * Pure mappings between the port and the EventStoreDB client: revisions,
 * positions, events and errors. Positions: the port's bigint position is the
 * event's commit position; see docs/event-store.md for the subtlety.
 */
import { jsonEvent } from '@eventstore/db-client';
import {
  InvalidAppendError,
  StoreError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  type ExpectedRevision,
  type RecordedEvent,
  StoreOutcomeUnknownError,
  StoreRefusedError,
  StreamDeletedError,
  UNKNOWN_POSITION,
} from '../port.js';
import { RESERVED_STREAM_PREFIX, type ValidEvent } from '../core/validate.js';
import { DeadlineError } from './deadline.js';
import type {
  EsdbEventData,
  EsdbExpectedRevision,
  EsdbPosition,
  EsdbReadPosition,
  EsdbRecordedEvent,
} from './client-like.js';

/** The port's expected revision as the client's (the client's constants are the same strings). */
export const toEsdbExpectedRevision = (expected: ExpectedRevision): EsdbExpectedRevision => expected;

/**
 * The event as `jsonEvent` builds it: the SPEC body as data, our eventId as the event id; the
 * events after an append's first carry their index in it (appendInstants.ts says why).
 */
export const toEsdbEvent = (
  event: Pick<ValidEvent, 'eventId' | 'type' | 'data'>,
  index = 0,
  appendId?: string,
): EsdbEventData => {
  const metadata =
    index > 0 ? { [APPEND_INDEX]: index } : appendId === undefined ? undefined : { [APPEND_ID]: appendId };
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    data: event.data as Record<string, unknown>,
    ...(metadata === undefined ? {} : { metadata }),
  }) as EsdbEventData;
};

const APPEND_INDEX = 'appendIndex';
/** On an append's first event: which append wrote it (append.ts tells its own write from a retry's). */
const APPEND_ID = 'appendId';

export function appendIdOf(event: EsdbRecordedEvent | undefined): string | undefined {
  const metadata = event?.metadata;
  if (!isPlainObject(metadata)) return undefined;
  const id = metadata[APPEND_ID];
  return typeof id === 'string' ? id : undefined;
}

/**
 * An event's index in its append as the port tells it (RecordedEvent.appendIndex): undefined for
 * an event written before session 18 (neither an index nor an appendId: the adapter cannot tell).
 */
export function portAppendIndexOf(event: EsdbRecordedEvent): number | undefined {
  const index = appendIndexOf(event);
  return index > 0 || appendIdOf(event) !== undefined ? index : undefined;
}

/** An event's index in its append (0 for the first, and for events written without one). */
export function appendIndexOf(event: EsdbRecordedEvent): number {
  const metadata = event.metadata;
  if (!isPlainObject(metadata)) return 0;
  const index = metadata[APPEND_INDEX];
  return Number.isSafeInteger(index) && (index as number) > 0 ? (index as number) : 0;
}

/** Start of a subscription (exclusive): 'start', or the commit position p as {commit: p, prepare: p}. */
export function toSubscribeFrom(from: bigint | 'start' | undefined): EsdbReadPosition {
  if (from === undefined || from === 'start' || from < 0n) return 'start';
  return { commit: from, prepare: from };
}

/** Start of a readAll (inclusive). */
export const toReadAllFrom = (from: bigint | undefined): EsdbReadPosition =>
  from === undefined || from <= 0n ? 'start' : { commit: from, prepare: from };

export const comparePositions = (a: EsdbPosition, b: EsdbPosition): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

/** The streams in which the adapter claims eventIds for their stream and releases them (eventIdClaims.ts), reserved for it by the port's validation. */
export const EVENT_ID_CLAIM_PREFIX = RESERVED_STREAM_PREFIX;

/** System and link events, and the adapter's eventId claims and releases: never handed to a reader of the port. */
export const isInternalEvent = (event: EsdbRecordedEvent): boolean =>
  event.streamId.startsWith('$') || event.type.startsWith('$') || event.streamId.startsWith(EVENT_ID_CLAIM_PREFIX);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored event as the port's RecordedEvent, or undefined for internal (isInternalEvent) and non-JSON-object events. */
export function fromEsdbEvent(event: EsdbRecordedEvent | undefined): RecordedEvent | undefined {
  if (event === undefined || isInternalEvent(event) || !event.isJson || !isPlainObject(event.data)) return undefined;
  const appendIndex = portAppendIndexOf(event);
  return {
    streamId: event.streamId,
    eventId: event.id.toLowerCase(),
    type: event.type,
    data: event.data,
    revision: event.revision,
    position: logPosition(event.position),
    recordedAt: event.created.toISOString(),
    ...(appendIndex === undefined ? {} : { appendIndex }),
  };
}

/**
 * A read event's commit position, or UNKNOWN_POSITION: a stream read answers 2^64 − 1 (the index
 * holds no log position; the client hands it on as a bigint), older servers none at all.
 */
export const logPosition = (position: EsdbPosition | undefined): bigint =>
  position === undefined || position.commit < 0n || position.commit >= NO_LOG_POSITION
    ? UNKNOWN_POSITION
    : position.commit;

/** Positions are signed 64-bit offsets on the server; anything from 2^63 up is its "none". */
const NO_LOG_POSITION = 1n << 63n;

/** The client's error, as seen structurally (the real errors carry `type`, see ErrorType). */
interface ClientErrorShape {
  readonly type?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly actualVersion?: unknown;
}

export const errorType = (e: unknown): string | undefined => {
  const type = (e as ClientErrorShape | null)?.type;
  return typeof type === 'string' ? type : undefined;
};

export const isStreamNotFound = (e: unknown): boolean => errorType(e) === 'stream-not-found';

/**
 * An UNAVAILABLE answer. The client then closes its channel and opens a new one on
 * the next call (Client.handleError / shouldReconnect), so a call that raced with a
 * drop or restart fails once although the server is fine again: reads retry once.
 */
export const isUnavailable = (e: unknown): boolean => errorType(e) === 'unavailable';

/** grpc-js failed the call on a closed channel before sending anything: nothing was written, an append may be retried. */
export const neverStarted = (e: unknown): boolean =>
  isUnavailable(e) && /before call started/i.test(String((e as ClientErrorShape | null)?.message ?? ''));

export type EsdbOperation = 'append' | 'read' | 'subscribe';

/**
 * Maps any client error to a typed store error; never lets a raw driver exception through.
 * - wrong expected version → WrongExpectedRevisionError (the request's own revision check);
 * - no answer within the deadline: for an append the outcome is unknown (the server may
 *   have committed it: StoreOutcomeUnknownError), for reads the store is unavailable;
 * - access denied, stream deleted → StoreRefusedError (permanent: retrying will not help), a
 *   deleted stream as StreamDeletedError naming it (the write side refuses that case alone);
 * - the server's maximum append size (1 MiB by default) → InvalidAppendError on `events`;
 * - an append's call that was sent and lost its answer (unavailable but for a call never started,
 *   cancelled, unknown: a connection dropped after the server committed is one of these) →
 *   StoreOutcomeUnknownError, as a deadline: telling "nothing written" of an event stored would
 *   be false, and a retry with the same eventIds answers the original;
 * - anything else (not-leader: the client reconnects to the leader it names; a read's or a
 *   subscription's unavailable) → StoreUnavailableError, nothing written.
 */
export function mapEsdbError(
  e: unknown,
  storeName: string,
  context: { streamId?: string; expected?: ExpectedRevision; operation?: EsdbOperation } = {},
): StoreError {
  if (e instanceof StoreError) return e;
  const type = e instanceof DeadlineError ? 'deadline' : errorType(e);
  const message = String((e as ClientErrorShape | null)?.message ?? e);
  switch (type) {
    case 'wrong-expected-version':
      if (context.streamId === undefined) break;
      return new WrongExpectedRevisionError(
        context.streamId,
        context.expected ?? 'any',
        typeof (e as ClientErrorShape).actualVersion === 'bigint'
          ? ((e as ClientErrorShape).actualVersion as bigint)
          : 'no_stream',
      );
    case 'deadline':
    case 'deadline-exceeded':
    case 'timeout':
      return context.operation === 'append'
        ? new StoreOutcomeUnknownError(storeName, `${type}: ${message}`)
        : new StoreUnavailableError(storeName, `${type}: ${message}`);
    case 'access-denied':
      return new StoreRefusedError(
        storeName,
        `access denied (${message}): check the connection string's credentials and the ACLs`,
      );
    case 'stream-deleted': {
      // A batch append's refusal carries no message: the stream is named from the request, else the error.
      const named = (e as { streamName?: unknown }).streamName;
      return new StreamDeletedError(storeName, context.streamId ?? (typeof named === 'string' ? named : undefined));
    }
    case 'maximum-append-size-exceeded': {
      const max = (e as { maxAppendSize?: unknown }).maxAppendSize;
      return new InvalidAppendError(
        'events',
        `the batch exceeds the server's maximum append size (${String(max)} bytes)`,
      );
    }
  }
  if (context.operation === 'append' && ANSWER_LOST.has(type) && !neverStarted(e))
    return new StoreOutcomeUnknownError(storeName, `${type}: ${message}`);
  return new StoreUnavailableError(storeName, type === undefined ? message : `${type}: ${message}`);
}

/** Client error types of a call whose answer may have been lost after the server acted on it. */
const ANSWER_LOST: ReadonlySet<string | undefined> = new Set(['unavailable', 'cancelled', 'unknown']);

/** True when the server refused for good: a subscription must end, not resubscribe. */
export const isPermanent = (e: StoreError): boolean => e instanceof StoreRefusedError;
