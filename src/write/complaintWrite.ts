/**
 * The write side of complaints (SPEC §8): load → decide → append on stream
 * `complaint-<id>`, one request's events in order, idempotent on eventId.
 *
 * A small path beside the case write side rather than a generalisation of it:
 * complaints are few (a few per thousand cases), so every attempt reads the
 * stream (a complaint holds a handful of events) and there is no write cache.
 * It reuses the case write side's pieces: the same-event rule (sameEvent.ts),
 * the group committer (one commit per event-loop turn), the expected revision
 * (no_stream for a new complaint) with re-read and re-decide on a conflict.
 */
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decideComplaint, type ComplaintErrorCode } from '../domain/complaints/decide.js';
import { decodeComplaintEvent, type ComplaintEvent } from '../domain/complaints/events.js';
import { evolveComplaint, initialComplaintState, type ComplaintState } from '../domain/complaints/evolve.js';
import { complaintStreamId } from '../domain/complaints/streams.js';
import type { EpochMs } from '../domain/types.js';
import {
  DuplicateEventConflictError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '../store/port.js';
import type { GroupCommitter } from './groupCommit.js';
import { MAX_CONFLICT_RETRIES } from './job.js';
import { sameEvent } from './sameEvent.js';
import { appendedPositions, withOriginalPositions } from './originalPositions.js';
import { forbiddenCenter, NOTHING_WRITTEN_TO_DELETED, streamDeletedMessage, usedInAnotherStream } from './results.js';
import { toleranceNow, type FutureTolerance, type WriteMetrics } from './writeSide.js';

export type ComplaintRejectionCode =
  | ComplaintErrorCode
  | 'forbidden-center'
  | 'event-id-conflict'
  | 'revision-conflict'
  | 'concurrency-conflict'
  | 'complaint-stream-deleted';

export type ComplaintWriteResult =
  | {
      readonly kind: 'appended' | 'duplicate';
      readonly complaintId: string;
      readonly eventId: string;
      readonly revision: number;
      readonly position: bigint;
    }
  | {
      readonly kind: 'rejected';
      readonly complaintId: string;
      readonly eventId: string;
      readonly code: ComplaintRejectionCode;
      readonly message: string;
      readonly details?: unknown;
    };

export interface ComplaintWriteDeps {
  readonly store: EventStore;
  readonly committer: GroupCommitter;
  readonly clock: () => EpochMs;
  readonly futureToleranceMinutes: FutureTolerance;
  readonly zone: string;
  /** The same counters and append timer as the case write side's (events appended by type). */
  readonly metrics?: WriteMetrics;
}

export interface ComplaintWriteRequest {
  readonly complaintId: string;
  readonly events: readonly ComplaintEvent[];
  /** The revision the client expects before the first event (If-Match). */
  readonly ifMatch?: number;
  readonly mayWriteCenter?: (centerId: string) => boolean;
}

type WriteEvent = ComplaintEvent & { readonly eventId: string };
interface Stored {
  readonly revision: number;
  readonly recorded: RecordedEvent;
}

/** The decision state of a complaint stream and its stored events by eventId (lower case). */
export async function loadComplaint(
  store: EventStore,
  complaintId: string,
): Promise<{ state: ComplaintState; byEventId: Map<string, Stored> }> {
  let state = initialComplaintState(complaintId);
  const byEventId = new Map<string, Stored>();
  for await (const recorded of store.readStream(complaintStreamId(complaintId))) {
    const revision = Number(recorded.revision);
    const decoded = decodeComplaintEvent(recorded.data);
    // An undecodable stored event still holds its revision: keep the expected revision right.
    state = decoded.ok ? evolveComplaint(state, decoded.event, { revision }) : { ...state, revision };
    byEventId.set(recorded.eventId.toLowerCase(), { revision, recorded });
  }
  return { state, byEventId };
}

export function createComplaintWriteSide(deps: ComplaintWriteDeps) {
  async function append(request: ComplaintWriteRequest): Promise<ComplaintWriteResult[]> {
    const { complaintId } = request;
    const events: WriteEvent[] = request.events.map(
      (e) => ({ ...e, eventId: (e.eventId ?? randomUUID()).toLowerCase() }) as WriteEvent,
    );
    try {
      return await decideAndAppend(request, events);
    } catch (err) {
      if (!(err instanceof StreamDeletedError)) throw err;
      // The complaint's stream is gone for good (an operator's tombstone): refused alone, not as a store down.
      return events.map(({ eventId }) => ({
        kind: 'rejected',
        complaintId,
        eventId,
        code: 'complaint-stream-deleted',
        message: streamDeletedMessage('complaint', complaintId, NOTHING_WRITTEN_TO_DELETED),
      }));
    }
  }

  async function decideAndAppend(
    request: ComplaintWriteRequest,
    events: readonly WriteEvent[],
  ): Promise<ComplaintWriteResult[]> {
    const options = { futureToleranceMinutes: toleranceNow(deps.futureToleranceMinutes), zone: deps.zone };
    const { complaintId, ifMatch } = request;
    const mayWrite = request.mayWriteCenter ?? (() => true);
    const reject = (e: WriteEvent, code: ComplaintRejectionCode, message: string, details?: unknown) =>
      ({
        kind: 'rejected',
        complaintId,
        eventId: e.eventId,
        code,
        message,
        ...(details !== undefined ? { details } : {}),
      }) as const;
    const usedElsewhere = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      const { state: base, byEventId } = await loadComplaint(deps.store, complaintId);
      const results: (ComplaintWriteResult | undefined)[] = events.map(() => undefined);
      const pending: { index: number; event: WriteEvent }[] = [];
      const firstIndex = new Map<string, number>();
      const sameAs = new Map<number, number>();
      const now = deps.clock();
      let state = base;
      for (const [index, event] of events.entries()) {
        const first = firstIndex.get(event.eventId);
        if (first !== undefined) {
          if (sameEvent(events[first] as WriteEvent, event)) sameAs.set(index, first);
          else
            results[index] = reject(
              event,
              'event-id-conflict',
              `eventId ${event.eventId} is used earlier in this request by a different event; nothing was written for this one`,
            );
          continue;
        }
        firstIndex.set(event.eventId, index);
        // The center before the stored eventIds (as the case write side): a token of another center
        // learns nothing of the complaint's events from a 200 duplicate or a 409 against them.
        const center = state.received?.centerId ?? (event.type === 'ComplaintReceived' ? event.centerId : undefined);
        if (center !== undefined && !mayWrite(center)) {
          results[index] = reject(
            event,
            'forbidden-center',
            forbiddenCenter('complaints', state.received === undefined ? center : undefined),
          );
          continue;
        }
        const stored = byEventId.get(event.eventId);
        if (stored !== undefined) {
          results[index] = sameEvent(event, stored.recorded.data)
            ? {
                kind: 'duplicate',
                complaintId,
                eventId: event.eventId,
                revision: stored.revision,
                position: stored.recorded.position,
              }
            : reject(
                event,
                'event-id-conflict',
                `eventId ${event.eventId} is already used by a different event of this complaint (revision ${stored.revision}); nothing was written`,
                { revision: stored.revision },
              );
          continue;
        }
        if (usedElsewhere.has(event.eventId)) {
          results[index] = reject(event, 'event-id-conflict', usedInAnotherStream(event.eventId));
          continue;
        }
        // A complaint with no events answers complaint-not-found to all but ComplaintReceived, If-Match or not.
        const unknownComplaint = state.revision < 0 && event.type !== 'ComplaintReceived';
        if (ifMatch !== undefined && state.revision !== ifMatch && !unknownComplaint) {
          results[index] = reject(
            event,
            'revision-conflict',
            `If-Match expects revision ${ifMatch} but the complaint is at revision ${state.revision}`,
            { expected: ifMatch, actual: state.revision },
          );
          continue;
        }
        const decision = decideComplaint(state, event, now, options);
        if (isLeft(decision)) {
          results[index] = reject(event, decision.left.code, decision.left.message, decision.left.details);
          continue;
        }
        pending.push({ index, event });
        state = evolveComplaint(state, event, { revision: state.revision + 1 });
      }
      if (pending.length > 0) {
        const stopTimer = deps.metrics?.startAppendTimer();
        const [outcome] = await deps.committer
          .appendMany([
            {
              streamId: complaintStreamId(complaintId),
              events: pending.map(({ event }) => ({ eventId: event.eventId, type: event.type, data: event })),
              expectedRevision: base.revision < 0 ? 'no_stream' : BigInt(base.revision),
            },
          ])
          .finally(() => stopTimer?.());
        if (outcome === undefined) throw new Error('the store answered no outcome');
        if (!outcome.ok || outcome.result.duplicate) {
          // A lost race or an exact retry: answer from a fresh read (If-Match conflicts are the client's).
          const err = outcome.ok ? undefined : outcome.error;
          if (
            err !== undefined &&
            !(err instanceof WrongExpectedRevisionError || err instanceof DuplicateEventConflictError)
          )
            throw err;
          if (err instanceof WrongExpectedRevisionError && ifMatch !== undefined)
            return events.map(
              (e, i) =>
                results[i] ??
                reject(
                  e,
                  'revision-conflict',
                  `If-Match expects revision ${ifMatch} but another write got there first`,
                  {
                    expected: ifMatch,
                  },
                ),
            );
          if (err instanceof DuplicateEventConflictError) usedElsewhere.add(err.eventId.toLowerCase());
          if (attempt < MAX_CONFLICT_RETRIES) continue;
          return events.map(
            (e, i) =>
              results[i] ??
              reject(
                e,
                'concurrency-conflict',
                `complaint ${complaintId} kept changing during ${attempt + 1} attempts; retry`,
              ),
          );
        }
        const streamId = complaintStreamId(complaintId);
        const first = base.revision + 1;
        const positions = await appendedPositions(deps.store, streamId, outcome.result, first, pending.length);
        for (const [k, { index, event }] of pending.entries()) {
          deps.metrics?.eventAppended(event.type);
          results[index] = {
            kind: 'appended',
            complaintId,
            eventId: event.eventId,
            revision: first + k,
            position: positions[k] as bigint,
          };
        }
      }
      for (const [index, first] of sameAs) results[index] = results[first];
      const done = results as ComplaintWriteResult[];
      const storedOf = (eventId: string) => byEventId.get(eventId)?.recorded;
      const answered = await withOriginalPositions(deps.store, new Map(done.entries()), storedOf);
      return done.map((r, i) => answered.get(i) ?? r);
    }
  }

  return { append };
}

export type ComplaintWriteSide = ReturnType<typeof createComplaintWriteSide>;
