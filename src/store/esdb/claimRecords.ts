/**
 * The records of an eventId's claim stream `eventid-<id>` (eventIdClaims.ts) and what its last
 * one says: a claim names the stream holding the eventId; a release frees it again (written only
 * by the request whose own claim it undoes, after that request's append was refused for good).
 */
import { randomUUID } from 'node:crypto';
import { StoreCorruptError } from '../port.js';
import type { EsdbRecordedEvent } from './client-like.js';
import { EVENT_ID_CLAIM_PREFIX } from './mapping.js';

const CLAIM_TYPE = 'EventIdClaimed';
const RELEASE_TYPE = 'EventIdReleased';

export const claimStreamOf = (eventId: string): string => `${EVENT_ID_CLAIM_PREFIX}${eventId.toLowerCase()}`;

/**
 * A claim of `eventId` for `streamId`, as written (before it is made the client's event). Its id is
 * new on every send: the server answers a `no_stream` append whose id is the stream's first event's
 * as a recognised retry, so a claim id derived from (stream, eventId) sent again after a release
 * would be answered success without being written (EventStore docs, "Optimistic concurrency and
 * idempotence": expected revision below the current one, the ids match).
 */
export const claimOf = (streamId: string, eventId: string, id: string = randomUUID()) =>
  ({ eventId: id, type: CLAIM_TYPE, data: { streamId, eventId } }) as const;

/** The release of the claim at `revision`, by the stream that made it. */
export const releaseOf = (streamId: string, eventId: string, revision: bigint) =>
  ({ eventId: randomUUID(), type: RELEASE_TYPE, data: { streamId, eventId, released: revision.toString() } }) as const;

/** Where a claim stream stands: free to claim at `expected`, or held by a stream (its claim at `revision`). */
export type ClaimState =
  | { readonly kind: 'free'; readonly expected: 'no_stream' | bigint }
  | { readonly kind: 'held'; readonly by: string; readonly revision: bigint };

/** What the claim stream's last record (undefined: none) says. */
export function claimStateOf(last: EsdbRecordedEvent | undefined, storeName: string): ClaimState {
  if (last === undefined) return { kind: 'free', expected: 'no_stream' };
  if (last.type === RELEASE_TYPE) return { kind: 'free', expected: last.revision };
  const by = (last.data as { streamId?: unknown } | undefined)?.streamId;
  if (last.type !== CLAIM_TYPE || typeof by !== 'string') {
    throw new StoreCorruptError(
      storeName,
      `stream ${last.streamId}`,
      'its last event is neither a claim nor a release',
    );
  }
  return { kind: 'held', by, revision: last.revision };
}
