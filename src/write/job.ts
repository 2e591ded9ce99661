/**
 * One case's group on its way through the write side: the answers so far, the
 * current plan, and how its attempts end (given up, store unavailable, finished).
 */
import {
  type DuplicateEventConflictError,
  StoreCorruptError,
  StoreOutcomeUnknownError,
  type StoreUnavailableError,
} from '../store/port.js';
import type { CaseGroup, Plan } from './planGroup.js';
import { isStored, NOTHING_WRITTEN_TO_DELETED, rejected, streamDeletedMessage, type WriteResult } from './results.js';

/** Attempts of a group whose case keeps changing under it (optimistic-concurrency conflicts). */
export const MAX_CONFLICT_RETRIES = 20;

export interface Job {
  readonly group: CaseGroup;
  readonly results: (WriteResult | undefined)[];
  /** eventIds the store refused as already stored: the next fresh read says whether here or in another case. */
  readonly storedSomewhere: Set<string>;
  attempt: number;
  done: boolean;
  plan?: Plan;
  /** The cache's eventId set the plan's basis grows into after a successful append. */
  eventIds?: Set<string>;
}

/**
 * The store refused the append because an eventId of it is already stored. The
 * next attempt re-reads the case: stored here, it is answered as a retry or a
 * conflict like any known eventId; not here, it is another case's (409).
 */
export function noteStoredEventId(job: Job, err: DuplicateEventConflictError): void {
  job.storedSomewhere.add(err.eventId.toLowerCase());
}

export function gaveUp(job: Job): void {
  for (const { index, event } of (job.plan as Plan).pending) {
    job.results[index] = rejected(
      job.group.caseId,
      event.eventId,
      'concurrency-conflict',
      `the case kept changing under ${MAX_CONFLICT_RETRIES} attempts; retry`,
    );
  }
  job.done = true;
}

/**
 * Nothing of an unfinished group was written: every event not already answered for good is rejected.
 * Answered for good: an event already stored (a duplicate keeps its original result, true whatever
 * the store does now) and a different event under a used eventId. Other refusals were decided on a
 * state that took the group's unwritten events as written, so they are not known to hold.
 */
export function unavailable(job: Job, cause: StoreUnavailableError): void {
  for (const [index, event] of job.group.events.entries()) {
    const answer = job.results[index];
    if (answer !== undefined && isStored(answer)) continue;
    // A different event under a used eventId is refused whatever the rest of the group does.
    if (answer?.kind === 'rejected' && answer.code === 'event-id-conflict') continue;
    job.results[index] = {
      ...(cause instanceof StoreOutcomeUnknownError
        ? rejected(
            job.group.caseId,
            event.eventId,
            'store-outcome-unknown',
            "the event store's answer was lost (no answer in time, or the connection dropped): this event may have been written; retry it with the same eventId",
          )
        : cause instanceof StoreCorruptError
          ? rejected(
              job.group.caseId,
              event.eventId,
              'store-corrupt',
              'the event store is corrupt; this event was not written',
            )
          : rejected(
              job.group.caseId,
              event.eventId,
              'store-unavailable',
              'the event store is unavailable; this event was not written',
            )),
      cause,
    };
  }
  job.done = true;
}

/**
 * The case's stream is deleted (tombstoned): nothing of the group was written, nor ever will be.
 * Every event is refused, as when the store is unavailable but for good and for this case alone.
 */
export function streamDeleted(job: Job): void {
  for (const [index, event] of job.group.events.entries()) {
    const answer = job.results[index];
    if (answer?.kind === 'rejected' && answer.code === 'event-id-conflict') continue;
    job.results[index] = rejected(
      job.group.caseId,
      event.eventId,
      'case-stream-deleted',
      streamDeletedMessage('case', job.group.caseId, NOTHING_WRITTEN_TO_DELETED),
    );
  }
  job.done = true;
}

/** Repeats of an event in the group get the first occurrence's answer (a stored one as a duplicate). */
export function finish(job: Job): WriteResult[] {
  for (const [index, first] of job.plan?.sameAs ?? []) {
    const original = job.results[first];
    job.results[index] = original?.kind === 'appended' ? { ...original, kind: 'duplicate' } : original;
  }
  return job.results.map((r) => {
    if (r === undefined) throw new Error('the write side left an event without a result');
    return r;
  });
}
