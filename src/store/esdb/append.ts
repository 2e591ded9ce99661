/**
 * Appends on EventStoreDB under the port's idempotency rule (src/store/core/concurrency.ts).
 *
 * The server's own idempotency is not enough for the port (issue 14, rows 1–3):
 * - a retry with `no_stream` or a stale exact revision is answered with success and
 *   the ORIGINAL position (server 20.6+), indistinguishable from a new write;
 * - a retry sent with the stream's current revision (a writer that re-read the stream
 *   after its first answer was lost) is simply written again, same eventIds twice;
 * - with `any` the server only consults an in-memory eventId cache (~8 MiB) that a
 *   restart loses.
 * So every append first reads the stream's eventIds (all of them: case streams are
 * short) and answers a stored batch as the original result itself; `any` and
 * `stream_exists` are then sent as the exact revision just read, so a write racing in
 * between is caught by the server (wrong expected version) and the check runs again.
 *
 * A new batch's eventIds are first claimed for the stream (eventIdClaims.ts): the server's
 * idempotency is per stream, and an eventId of another stream is a conflict. An append refused for
 * good afterwards releases the claims it made (`refusedForGood`).
 *
 * The first event carries an append id: after the server's success the adapter reads it back,
 * so a write that raced in between with the same eventIds (answered by the server as a retry of
 * it) is answered `duplicate` rather than as written (`wroteIt`).
 */
import { checkExpectedRevision, type StoredLocation, resolveDuplicates } from '../core/concurrency.js';
import type { ValidAppend } from '../core/validate.js';
import { randomUUID } from 'node:crypto';
import {
  type AppendResult,
  DuplicateEventConflictError,
  InvalidAppendError,
  type RecordedEvent,
  StoreOutcomeUnknownError,
  StoreRefusedError,
  WrongExpectedRevisionError,
} from '../port.js';
import type { EsdbClientLike } from './client-like.js';
import { withDeadline } from './deadline.js';
import type { MadeClaim } from './eventIdClaims.js';
import { logPosition, mapEsdbError, neverStarted, toEsdbEvent } from './mapping.js';

/** Where a read event is stored (without its recordedAt: the server's first answer carried none). */
const locationOf = (e: RecordedEvent | undefined): StoredLocation | undefined =>
  e === undefined ? undefined : { streamId: e.streamId, revision: e.revision, position: e.position };

/** A stream's stored events by eventId, and its last revision (undefined: no stream). */
export interface StreamScan {
  readonly last: bigint | undefined;
  /** The events as read, by eventId (a position may be unknown: a stream read carries none). */
  readonly read: ReadonlyMap<string, RecordedEvent>;
}

export interface AppendDeps {
  readonly client: EsdbClientLike;
  readonly storeName: string;
  readonly deadlineMs: number;
  readonly scanStream: (streamId: string) => Promise<StreamScan>;
  readonly positionsOf: (streamId: string, events: readonly RecordedEvent[]) => Promise<bigint[]>;
  /** The append id on the stored event at `revision` (undefined: none, or no such event). */
  readonly appendIdAt: (streamId: string, revision: bigint) => Promise<string | undefined>;
  /** Claims the eventIds for the stream, or refuses the one another stream holds (eventIdClaims.ts): the claims it made. */
  readonly claimEventIds: (streamId: string, eventIds: readonly string[]) => Promise<MadeClaim[]>;
  /** Releases claims made for the stream; never rejects (a claim whose release fails stays). */
  readonly releaseClaims: (streamId: string, made: readonly MadeClaim[]) => Promise<void>;
}

/** How often a loose (`any`, `stream_exists`) append re-checks after losing a race. */
const RACE_ATTEMPTS = 5;

/**
 * Whether the stored events are this append's. A write of the same eventIds landing between the
 * scan and the send (another API node) makes the server answer this one as a recognised retry —
 * success, though what is stored is the other write's (a reused eventId with another event):
 * answered `duplicate`, the write side re-reads and compares the bodies (200 or 409).
 */
async function wroteIt(deps: AppendDeps, streamId: string, first: bigint, appendId: string): Promise<boolean> {
  try {
    return (await deps.appendIdAt(streamId, first)) === appendId;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new StoreOutcomeUnknownError(
      deps.storeName,
      `the append to ${streamId} could not be told from a retry (${reason})`,
    );
  }
}

/**
 * An answer of the server after which nothing of this request is stored or in flight: every send of
 * it was refused (the loop sends again only after a wrong expected version), or none was made. Not
 * a timeout or a lost connection (the append may still land), nor any error after a success.
 */
const refusedForGood = (e: unknown): boolean =>
  e instanceof WrongExpectedRevisionError ||
  e instanceof DuplicateEventConflictError ||
  e instanceof InvalidAppendError ||
  e instanceof StoreRefusedError; // access denied, stream deleted

export async function appendIdempotent(deps: AppendDeps, batch: ValidAppend): Promise<AppendResult> {
  const claims: { made?: MadeClaim[] } = {};
  try {
    return await appendClaimed(deps, batch, claims);
  } catch (e) {
    if (claims.made !== undefined && claims.made.length > 0 && refusedForGood(e))
      await deps.releaseClaims(batch.streamId, claims.made);
    throw e;
  }
}

async function appendClaimed(
  deps: AppendDeps,
  batch: ValidAppend,
  claims: { made?: MadeClaim[] },
): Promise<AppendResult> {
  const { streamId, expectedRevision: expected } = batch;
  const ids = batch.events.map((e) => e.eventId);
  const loose = expected === 'any' || expected === 'stream_exists';
  for (let attempt = 0; ; attempt++) {
    const scan = await deps.scanStream(streamId);
    const duplicate = resolveDuplicates(
      streamId,
      ids,
      ids.map((id) => locationOf(scan.read.get(id))),
    );
    if (duplicate !== undefined) {
      // The original answer: the last event's position (asked of the server: the scan's read has
      // none), no per-event positions (the server gives the last one only).
      const last = scan.read.get(ids.at(-1) as string) as RecordedEvent;
      const [position] = await deps.positionsOf(streamId, [last]);
      const { positions: _, ...original } = duplicate;
      return { ...original, position: position as bigint };
    }
    // A request the stream as read already refuses claims nothing.
    // `any` and `stream_exists` are sent as the revision just read; an exact one the server checks again.
    if (!loose || expected === 'stream_exists') checkExpectedRevision(streamId, expected, scan.last);
    claims.made ??= await deps.claimEventIds(streamId, ids);
    const sent = loose ? (scan.last ?? 'no_stream') : expected;
    const appendId = randomUUID();
    const send = () =>
      withDeadline(
        deps.client.appendToStream(
          streamId,
          batch.events.map((e, index) => toEsdbEvent(e, index, appendId)),
          {
            expectedRevision: sent,
            deadline: deps.deadlineMs,
          },
        ),
        deps.deadlineMs,
        `an append to ${streamId}`,
      );
    try {
      // A call failed on a closed channel before it was sent is sent once more (mapping.ts, neverStarted).
      const result = await send().catch((e: unknown) => (neverStarted(e) ? send() : Promise.reject(e)));
      const first = result.nextExpectedRevision - BigInt(ids.length - 1);
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: logPosition(result.position),
        duplicate: !(await wroteIt(deps, streamId, first, appendId)),
      };
    } catch (e) {
      const error = mapEsdbError(e, deps.storeName, { streamId, expected, operation: 'append' });
      if (error instanceof WrongExpectedRevisionError && loose && attempt < RACE_ATTEMPTS) continue;
      throw error;
    }
  }
}
