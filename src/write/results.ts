/**
 * What the write side answers for each event: appended, a duplicate of an event
 * already stored (the original result), or rejected with a code. It knows
 * nothing of HTTP: the HTTP layer maps each code to a status (src/api/errors.ts).
 */
import { complaintStreamId } from '../domain/complaints/streams.js';
import type { DomainErrorCode } from '../domain/decide.js';
import { caseStreamId } from '../domain/streams.js';

/** Codes the write side adds to the domain's own. */
export const WRITE_REJECTION_CODES = [
  /** A recorder limited to some centers wrote a case of another. */
  'forbidden-center',
  /** If-Match named a revision the case is not at. */
  'revision-conflict',
  /** The eventId is already used by a different event (here, in another case, or earlier in the request). */
  'event-id-conflict',
  /**
   * An earlier event of the same case in the request was refused: a case's story is decided in
   * order, so nothing after a refused event is written (a prefix is a true story; a story with a
   * hole is not). Send the corrected event and the rest again: those already stored answer 200.
   */
  'earlier-event-refused',
  /** The case kept changing under every attempt. */
  'concurrency-conflict',
  /**
   * The case's stream was deleted in the store (an operator's tombstone on EventStoreDB): it takes
   * no more events, for good; nothing of the event's case was written, other cases are unaffected.
   */
  'case-stream-deleted',
  /** The store could not be reached; nothing of the event's case was written. */
  'store-unavailable',
  /** The store's data is damaged (found corrupt); nothing of the event's case was written. */
  'store-corrupt',
  /** The store's answer was lost (no answer in time, a dropped connection): the event may have been written; a retry with the same eventId is safe. */
  'store-outcome-unknown',
] as const;

export type RejectionCode = DomainErrorCode | (typeof WRITE_REJECTION_CODES)[number];

interface Placed {
  readonly caseId: string;
  readonly eventId: string;
  readonly revision: number;
  /** The event's own global position in the store. */
  readonly position: bigint;
}

export interface Appended extends Placed {
  readonly kind: 'appended';
}

/** The same event was already stored: the original result, nothing written. */
export interface Duplicate extends Placed {
  readonly kind: 'duplicate';
}

export interface Rejected {
  readonly kind: 'rejected';
  readonly caseId: string;
  readonly eventId: string;
  readonly code: RejectionCode;
  readonly message: string;
  readonly details?: unknown;
  /** The store's error behind a 'store-unavailable' (for the HTTP layer's error handling and logs). */
  readonly cause?: unknown;
}

export type WriteResult = Appended | Duplicate | Rejected;

export const isStored = (r: WriteResult): r is Appended | Duplicate => r.kind !== 'rejected';

export function rejected(
  caseId: string,
  eventId: string,
  code: RejectionCode,
  message: string,
  details?: unknown,
): Rejected {
  return details === undefined
    ? { kind: 'rejected', caseId, eventId, code, message }
    : { kind: 'rejected', caseId, eventId, code, message, details };
}

/**
 * The message of `forbidden-center`. For a new case or complaint it names the center the caller sent;
 * for one already recorded it does not name the center it belongs to (a scoped recorder must not
 * learn another center's cases through refusals: a reviewer read "center -B2" of a case it probed).
 */
export function forbiddenCenter(streams: 'cases' | 'complaints', requested: string | undefined): string {
  return requested === undefined
    ? `this token may not write this ${streams === 'cases' ? 'case' : 'complaint'}: it belongs to a center outside the token's centers`
    : `this token may not write ${streams} of center ${requested}`;
}

/**
 * The message of `case-stream-deleted` / `complaint-stream-deleted` (the stream an operator deleted on
 * EventStoreDB): names the case (complaint) and its stream, then what became of the request — an
 * append's "takes no more events; nothing was written", a read's "its events can no longer be read".
 */
export function streamDeletedMessage(of: 'case' | 'complaint', id: string, outcome: string): string {
  const streamId = of === 'case' ? caseStreamId(id) : complaintStreamId(id);
  return `${of} ${id}: its stream ${streamId} was deleted in the event store (tombstoned) ${outcome}`;
}

/** What became of an append to a deleted stream (streamDeletedMessage). */
export const NOTHING_WRITTEN_TO_DELETED = 'and takes no more events; nothing was written';

/**
 * The message of `event-id-conflict` for an eventId the store holds in another stream. eventIds are
 * unique across cases and complaints alike, and the write does not read which stream holds it, so the
 * case and the complaint write paths say the same.
 */
export const usedInAnotherStream = (eventId: string): string =>
  `eventId ${eventId} is already used by an event of another case or complaint; nothing was written for this one`;
