/**
 * The write path of SPEC §4: decode, authorise by center, de-duplicate on
 * eventId, decide against the committed state, append atomically.
 *
 * One "group" is the events of one case taken from a request, in order. A group
 * is read once, decided event by event on a running state, and the accepted
 * events are appended in one atomic append with the expected revision of the
 * state that was read. A rejected event is never written and does not stop the
 * others. Without If-Match an optimistic-concurrency conflict re-reads and
 * re-decides (so concurrent valid writers both succeed).
 */
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decide } from '../domain/decide.js';
import { evolve } from '../domain/evolve.js';
import type { Policy } from '../domain/policy.js';
import type { CaseEvent } from '../domain/events.js';
import type { EpochMs } from '../domain/types.js';
import {
  DuplicateEventConflictError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  caseStreamId,
  type EventData,
  type EventStore,
} from '../store/port.js';
import { mayWriteCenter, type Principal } from './auth.js';
import { loadCase } from './caseStream.js';
import type { Metrics } from './metrics.js';

export const MAX_CONFLICT_RETRIES = 20;

export interface EventError {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/** The outcome for one event. status follows HTTP: 201 created, 200 duplicate, 4xx/503 rejected. */
export interface EventAppended {
  readonly status: 200 | 201;
  readonly caseId: string;
  readonly eventId: string;
  readonly revision: number;
  readonly position: string;
}
export interface EventRejected {
  readonly status: 400 | 403 | 409 | 422 | 503;
  readonly caseId?: string;
  readonly eventId?: string;
  readonly error: EventError;
}
export type EventOutcome = EventAppended | EventRejected;

export const isAppended = (o: EventOutcome): o is EventAppended => o.status === 200 || o.status === 201;

export interface Candidate {
  /** Decoded event; its eventId is set (generated when the client sent none) and lower-cased. */
  readonly event: CaseEvent & { readonly eventId: string };
}

export interface AppendDeps {
  readonly store: EventStore;
  readonly clock: () => EpochMs;
  readonly metrics: Metrics;
  readonly policy: Policy;
  readonly zone: string;
}

/** Give the event an eventId (client's, lower-cased like the store does, or a new UUID). */
export function withEventId(event: CaseEvent): CaseEvent & { eventId: string } {
  return { ...event, eventId: (event.eventId ?? randomUUID()).toLowerCase() } as CaseEvent & { eventId: string };
}

/**
 * Append the events of one case (in order). `ifMatch`: the exact revision the
 * client expects the stream to be at before the first event (single-event path).
 */
export async function appendCaseGroup(
  deps: AppendDeps,
  caseId: string,
  candidates: readonly Candidate[],
  principal: Principal,
  ifMatch?: number,
): Promise<EventOutcome[]> {
  const results: (EventOutcome | undefined)[] = candidates.map(() => undefined);
  const excluded = new Set<number>(); // eventId conflicts with another stream
  for (let attempt = 0; ; attempt++) {
    const loaded = await loadCase(deps.store, caseId, deps.policy.lateRecordHours);
    let state = loaded.state;
    const now = deps.clock();
    const pending: { index: number; event: CaseEvent & { eventId: string } }[] = [];
    const inBatch = new Map<string, number>(); // eventId → index of its first occurrence
    const duplicateOf = new Map<number, number>(); // index → index of the pending original
    candidates.forEach(({ event }, index) => {
      if (excluded.has(index)) return;
      const center = state.accepted?.centerId ?? (event.type === 'CaseAccepted' ? event.centerId : undefined);
      if (center !== undefined && !mayWriteCenter(principal, center)) {
        results[index] = rejected(403, caseId, event.eventId, 'forbidden-center', `this token may not write cases of center ${center}`);
        return;
      }
      const stored = loaded.byEventId.get(event.eventId);
      if (stored !== undefined) {
        results[index] = { status: 200, caseId, eventId: event.eventId, revision: Number(stored.revision), position: stored.position.toString() };
        return;
      }
      const earlier = inBatch.get(event.eventId);
      if (earlier !== undefined) {
        duplicateOf.set(index, earlier);
        return;
      }
      if (ifMatch !== undefined && state.revision !== ifMatch) {
        results[index] = rejected(409, caseId, event.eventId, 'revision-conflict',
          `If-Match expects revision ${ifMatch} but the case is at revision ${state.revision}`,
          { expected: ifMatch, actual: state.revision });
        return;
      }
      const decision = decide(state, event, now, { futureToleranceMinutes: deps.policy.futureToleranceMinutes, zone: deps.zone });
      if (isLeft(decision)) {
        const { code, message } = decision.left;
        results[index] = rejected(code === 'time-rejected' ? 422 : 409, caseId, event.eventId, code, message);
        return;
      }
      inBatch.set(event.eventId, index);
      pending.push({ index, event });
      state = evolve(state, event, { revision: state.revision + 1, recordedAt: now }, { lateRecordHours: deps.policy.lateRecordHours });
    });
    if (pending.length === 0) return finish(results, duplicateOf);

    const expectedRevision = loaded.state.revision < 0 ? 'no_stream' : BigInt(loaded.state.revision);
    const data: EventData[] = pending.map(({ event }) => ({ eventId: event.eventId, type: event.type, data: { ...event } }));
    const stopTimer = deps.metrics.startAppendTimer();
    try {
      const result = await deps.store.append(caseStreamId(caseId), data, { expectedRevision });
      stopTimer();
      if (result.duplicate) continue; // a concurrent identical retry won the race: re-read for the original results
      const first = Number(result.nextExpectedRevision) - (pending.length - 1);
      pending.forEach(({ index, event }, k) => {
        deps.metrics.eventAppended(event.type);
        results[index] = { status: 201, caseId, eventId: event.eventId, revision: first + k, position: result.position.toString() };
      });
      return finish(results, duplicateOf);
    } catch (err) {
      stopTimer();
      if (err instanceof StoreUnavailableError) throw err;
      const retriesLeft = attempt < MAX_CONFLICT_RETRIES;
      if (err instanceof WrongExpectedRevisionError) {
        if (ifMatch !== undefined) {
          for (const { index, event } of pending) {
            results[index] = rejected(409, caseId, event.eventId, 'revision-conflict',
              `If-Match expects revision ${ifMatch} but another write got there first`, { expected: ifMatch });
          }
          return finish(results, duplicateOf);
        }
        if (retriesLeft) continue;
      }
      if (err instanceof DuplicateEventConflictError) {
        const clash = pending.find(({ event }) => event.eventId === err.eventId.toLowerCase());
        if (clash !== undefined && !loaded.byEventId.has(clash.event.eventId)) {
          // Stored in another stream (or concurrently here): re-reading tells which.
          if (attempt > 0) {
            excluded.add(clash.index);
            results[clash.index] = rejected(409, caseId, clash.event.eventId, 'event-id-conflict',
              `eventId ${clash.event.eventId} is already used by another event`);
          }
        }
        if (retriesLeft) continue;
      }
      if (err instanceof WrongExpectedRevisionError || err instanceof DuplicateEventConflictError) {
        for (const { index, event } of pending) {
          results[index] = rejected(409, caseId, event.eventId, 'concurrency-conflict',
            `the case kept changing under ${MAX_CONFLICT_RETRIES} attempts; retry`);
        }
        return finish(results, duplicateOf);
      }
      throw err;
    }
  }
}

function finish(results: (EventOutcome | undefined)[], duplicateOf: ReadonlyMap<number, number>): EventOutcome[] {
  for (const [index, original] of duplicateOf) {
    const o = results[original];
    results[index] = o !== undefined && isAppended(o) ? { ...o, status: 200 } : o;
  }
  return results.map((r) => {
    if (r === undefined) throw new Error('append group left an event without an outcome');
    return r;
  });
}

function rejected(
  status: 403 | 409 | 422,
  caseId: string,
  eventId: string,
  code: string,
  message: string,
  details?: unknown,
): EventOutcome {
  return { status, caseId, eventId, error: details === undefined ? { code, message } : { code, message, details } };
}
