/**
 * An eventId belongs to one stream (SPEC §2: the same eventId with another event is a 409, in
 * another case too). EventStoreDB's idempotency is per stream, so before an append's events are
 * sent, each eventId is claimed for its stream: a claim stream `eventid-<id>` whose first event
 * names the stream, appended with expected revision `no_stream`.
 * - The claim event's own id is derived from (stream, eventId), so a claim sent again for the same
 *   stream (a retry, another node writing the same event) is the server's recognised retry: success.
 * - A claim for another stream finds the stream existing under another first event (wrong expected
 *   version): the claim is read, and the append refused with `DuplicateEventConflictError`.
 * Two nodes racing with one eventId for two streams: the server lets one claim through.
 *
 * A claim is not undone when its append then fails (a revision conflict, a refused batch-mate, a
 * crash): the eventId stays its stream's, so a retry there still works, and the same eventId in
 * another stream is refused as a reuse. Events written before claims existed are not claimed.
 * Claims are never handed to a reader of the port (mapping.ts `isInternalEvent`).
 */
import { createHash } from 'node:crypto';
import { DuplicateEventConflictError, StoreCorruptError, WrongExpectedRevisionError } from '../port.js';
import type { EsdbClientLike, EsdbResolvedEvent } from './client-like.js';
import { withDeadline } from './deadline.js';
import { inFlight } from './inFlight.js';
import { EVENT_ID_CLAIM_PREFIX, mapEsdbError, toEsdbEvent } from './mapping.js';

export interface ClaimDeps {
  readonly client: EsdbClientLike;
  readonly storeName: string;
  readonly deadlineMs: number;
  /** One bounded read of a stream from revision 0 (empty when there is none). */
  readonly readFirst: (streamId: string) => Promise<EsdbResolvedEvent[]>;
}

const CLAIM_TYPE = 'EventIdClaimed';

/** At most this many claims in flight: a batch may hold up to 1000 events. */
const IN_FLIGHT = 16;

export const claimStreamOf = (eventId: string): string => `${EVENT_ID_CLAIM_PREFIX}${eventId.toLowerCase()}`;

/** The claim event's id: a UUID (version 8, RFC 9562) from the stream and the eventId, the same on every node. */
export function claimEventId(streamId: string, eventId: string): string {
  const b = createHash('sha256').update(`${streamId}\u0000${eventId.toLowerCase()}`).digest();
  b[6] = ((b[6] as number) & 0x0f) | 0x80;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The claim event of `eventId` for `streamId`, as written (before it is made the client's event). */
export const claimOf = (streamId: string, eventId: string) =>
  ({ eventId: claimEventId(streamId, eventId), type: CLAIM_TYPE, data: { streamId, eventId } }) as const;

/** Claims every eventId for `streamId`; throws `DuplicateEventConflictError` for the first one another stream holds. */
export async function claimEventIds(deps: ClaimDeps, streamId: string, eventIds: readonly string[]): Promise<void> {
  const refused: (DuplicateEventConflictError | undefined)[] = new Array(eventIds.length);
  // Once one is refused the batch is, so no more claims are started (each would be kept).
  await inFlight(eventIds.length, IN_FLIGHT, async (i) => {
    refused[i] = await claim(deps, streamId, eventIds[i] as string);
    return refused[i] === undefined ? undefined : 'stop';
  });
  const first = refused.find((r) => r !== undefined);
  if (first !== undefined) throw first;
}

async function claim(
  deps: ClaimDeps,
  streamId: string,
  eventId: string,
): Promise<DuplicateEventConflictError | undefined> {
  const claimStream = claimStreamOf(eventId);
  const event = toEsdbEvent(claimOf(streamId, eventId));
  try {
    await withDeadline(
      deps.client.appendToStream(claimStream, [event], { expectedRevision: 'no_stream', deadline: deps.deadlineMs }),
      deps.deadlineMs,
      `claiming eventId ${eventId}`,
    );
    return undefined;
  } catch (e) {
    // Not an 'append' to the caller: whatever became of the claim, none of its events was sent.
    const error = mapEsdbError(e, deps.storeName, { streamId: claimStream, expected: 'no_stream' });
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
  }
  const holder = (await deps.readFirst(claimStream))[0]?.event?.data as { streamId?: unknown } | undefined;
  if (typeof holder?.streamId !== 'string') {
    throw new StoreCorruptError(deps.storeName, `stream ${claimStream}`, 'its first event names no stream');
  }
  if (holder.streamId === streamId) return undefined; // claimed by an earlier form of this claim
  // Its claim is another stream's: stored there, or sent there by an append that then failed.
  return new DuplicateEventConflictError(
    eventId,
    `eventId ${eventId} is already used by another stream (an event there was stored or sent with it)`,
  );
}
