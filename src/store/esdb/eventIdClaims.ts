/**
 * An eventId belongs to one stream (SPEC §2: the same eventId with another event is a 409, in
 * another case too). EventStoreDB's idempotency is per stream, so before an append's events are
 * sent, each eventId is claimed for its stream in a claim stream `eventid-<id>` (claimRecords.ts),
 * whose last record says where the eventId stands:
 * - none, or a release at revision r: free; the claim is appended with expected revision
 *   `no_stream` (tried first, without a read) or r. Two claimants racing: the server lets one
 *   through, the other finds the winner's claim when it reads again.
 * - a claim for another stream: the append is refused with `DuplicateEventConflictError`.
 * - a claim for this stream (a request that raced this one, or whose outcome was unknown): the
 *   eventId is this stream's; a claim is appended after it all the same (see `claim`).
 *
 * A request whose append is then refused for good (append.ts `refusedForGood`: nothing of it was
 * written, nothing is in flight) releases the claims it made itself (`releaseClaims`). A claim
 * left by an unknown outcome (a timeout, a crash) stays: the append it guards may still land.
 * Events written before claims existed are not claimed.
 * Claims and releases are never handed to a reader of the port (mapping.ts `isInternalEvent`).
 */
import { DuplicateEventConflictError, StoreUnavailableError, WrongExpectedRevisionError } from '../port.js';
import { type ClaimState, claimOf, claimStateOf, claimStreamOf, releaseOf } from './claimRecords.js';
import type { EsdbClientLike, EsdbResolvedEvent } from './client-like.js';
import { withDeadline } from './deadline.js';
import { inFlight } from './inFlight.js';
import { mapEsdbError, toEsdbEvent } from './mapping.js';

export interface ClaimDeps {
  readonly client: EsdbClientLike;
  readonly storeName: string;
  readonly deadlineMs: number;
  /** One bounded read of a stream's last event (empty when there is none). */
  readonly readLast: (streamId: string) => Promise<EsdbResolvedEvent[]>;
}

/** A claim a request wrote itself (not one its stream held already): the only kind it may release. */
export interface MadeClaim {
  readonly eventId: string;
  readonly revision: bigint;
}

/** At most this many claims in flight: a batch may hold up to 1000 events. */
const IN_FLIGHT = 16;

/** Claim appends refused for a stale revision before giving up: each means another write to the claim stream. */
const CLAIM_ATTEMPTS = 8;

/**
 * Claims every eventId for `streamId` and answers the claims it made. Throws `DuplicateEventConflictError`
 * for the first one another stream holds, after releasing the claims it made (nothing was sent).
 */
export async function claimEventIds(
  deps: ClaimDeps,
  streamId: string,
  eventIds: readonly string[],
): Promise<MadeClaim[]> {
  const outcomes: (MadeClaim | 'held' | DuplicateEventConflictError | undefined)[] = new Array(eventIds.length);
  // Once one is refused the batch is, so no more claims are started.
  await inFlight(eventIds.length, IN_FLIGHT, async (i) => {
    outcomes[i] = await claim(deps, streamId, eventIds[i] as string);
    return outcomes[i] instanceof DuplicateEventConflictError ? 'stop' : undefined;
  });
  const made = outcomes.filter((o): o is MadeClaim => typeof o === 'object' && !(o instanceof Error));
  const refused = outcomes.find((o) => o instanceof DuplicateEventConflictError);
  if (refused === undefined) return made;
  await releaseClaims(deps, streamId, made);
  throw refused;
}

async function claim(
  deps: ClaimDeps,
  streamId: string,
  eventId: string,
): Promise<MadeClaim | 'held' | DuplicateEventConflictError> {
  const stream = claimStreamOf(eventId);
  let state: ClaimState = { kind: 'free', expected: 'no_stream' };
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    if (state.kind === 'held' && state.by !== streamId) {
      // Stored there, or sent there by an append whose outcome is unknown or that is in flight.
      return new DuplicateEventConflictError(
        eventId,
        `eventId ${eventId} is already used by another stream (an event there was stored or sent with it)`,
      );
    }
    // Held by this stream: a claim is written after the one found all the same, so that the request
    // which made it cannot release it from under this one (a release expects its claim to be last).
    // It is not this request's to release either: the claim found may guard an append stored or in flight.
    const expected = state.kind === 'free' ? state.expected : state.revision;
    const revision = await appendAt(deps, stream, toEsdbEvent(claimOf(streamId, eventId)), expected);
    if (revision !== undefined) return state.kind === 'free' ? { eventId, revision } : 'held';
    state = claimStateOf((await deps.readLast(stream))[0]?.event, deps.storeName);
  }
  throw new StoreUnavailableError(deps.storeName, `the claim stream of eventId ${eventId} kept changing`);
}

/**
 * Releases claims this request made, once its append was refused for good. A release is appended
 * with the expected revision of the claim it undoes, so it is written only while that claim is the
 * last record: anyone who relied on the claim since (a request of the same stream) wrote a claim
 * after it first, and the release fails. A claimant for another stream reading before the release
 * is refused (the claim held then); after it, it claims at the release's revision, one winner.
 * A release that fails or is not answered leaves the claim, as before releases existed.
 */
export async function releaseClaims(deps: ClaimDeps, streamId: string, made: readonly MadeClaim[]): Promise<void> {
  await inFlight(made.length, IN_FLIGHT, async (i) => {
    const { eventId, revision } = made[i] as MadeClaim;
    const release = toEsdbEvent(releaseOf(streamId, eventId, revision));
    await appendAt(deps, claimStreamOf(eventId), release, revision).catch(() => undefined);
    return undefined;
  });
}

/** Appends one event at `expected`: its revision, or undefined when the stream is not there (wrong expected version). */
async function appendAt(
  deps: ClaimDeps,
  stream: string,
  event: ReturnType<typeof toEsdbEvent>,
  expected: 'no_stream' | bigint,
): Promise<bigint | undefined> {
  try {
    const result = await withDeadline(
      deps.client.appendToStream(stream, [event], { expectedRevision: expected, deadline: deps.deadlineMs }),
      deps.deadlineMs,
      `an append to ${stream}`,
    );
    return result.nextExpectedRevision;
  } catch (e) {
    // Not an 'append' to the caller: whatever became of it, none of the request's events was sent.
    const error = mapEsdbError(e, deps.storeName, { streamId: stream, expected });
    if (error instanceof WrongExpectedRevisionError) return undefined;
    throw error;
  }
}
