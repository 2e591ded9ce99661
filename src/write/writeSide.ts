/**
 * The write side (SPEC §2, §4): load a case's state → decide → append, one
 * linear pass per attempt, answering each event `appended | duplicate |
 * rejected{code}`. A peer of the read side (src/projections); it knows nothing
 * of HTTP (src/api/routes/events.ts maps its answers to statuses).
 *
 * Each group (one case's events of a request, in order) is decided on a running
 * state (planGroup.ts); its accepted events are appended atomically with the
 * expected revision of the state decided on; a rejected event is never written
 * and does not stop the others. Every group of a call is decided before any is
 * appended (in time slices, timeSlice.ts); the groups then go to the group
 * committer, which shares commits with other calls and keeps each commit short
 * (a call's groups may span several commits; each group is one atomic append). Without If-Match an optimistic-
 * concurrency conflict re-reads and re-decides that case only.
 *
 * Where the state comes from: the write cache when the case is there, an empty
 * stream when the group opens with CaseAccepted (appended with no_stream, no
 * read), else a read of the stream. After an append the cache keeps the state
 * the decision already computed (each event evolved once per write) and the
 * eventIds grow in place: the cost of an append does not grow with the case.
 */
import { randomUUID } from 'node:crypto';
import type { DecideOptions } from '../domain/decide.js';
import { initialCaseState } from '../domain/evolve.js';
import type { CaseEvent } from '../domain/events.js';
import type { EpochMs } from '../domain/types.js';
import { caseStreamId } from '../domain/streams.js';
import {
  DuplicateEventConflictError,
  StoreUnavailableError,
  StreamDeletedError,
  WrongExpectedRevisionError,
  type AppendOutcome,
  type EventStore,
} from '../store/port.js';
import { loadCase } from './caseStream.js';
import { appendedPositions, withOriginalPositions } from './originalPositions.js';
import type { GroupCommitter } from './groupCommit.js';
import {
  finish,
  gaveUp,
  MAX_CONFLICT_RETRIES,
  noteStoredEventId,
  streamDeleted,
  unavailable,
  type Job,
} from './job.js';
import { planGroup, type Basis, type CaseGroup, type Plan, type WriteEvent } from './planGroup.js';
import { rejected, type WriteResult } from './results.js';
import { timeSlice, type TimeSlice } from './timeSlice.js';
import type { CaseWriteCache } from './writeCache.js';

/** What the write side reports to metrics (src/api/metrics.ts implements it). */
export interface WriteMetrics {
  /** Starts timing one store call; the returned function stops it. */
  startAppendTimer(): () => void;
  eventAppended(type: string): void;
}

export interface WriteSideDeps {
  readonly store: EventStore;
  /** One per store and process: every writer of the process shares it. */
  readonly cache: CaseWriteCache;
  readonly committer: GroupCommitter;
  readonly clock: () => EpochMs;
  readonly futureToleranceMinutes: FutureTolerance;
  /** Zone used to render instants in messages. */
  readonly zone: string;
  /** The domain decide's other options (e.g. the calendar and policy a case's deadline is computed with). */
  readonly decideOptions?: Omit<DecideOptions, 'futureToleranceMinutes' | 'zone'>;
  readonly metrics?: WriteMetrics;
  /** How a call's deciding is sliced (default: timeSlice(), SLICE_MS of work between yields). */
  readonly timeSlice?: () => TimeSlice;
}

/**
 * How far ahead of the clock an `occurredAt` may lie, in minutes: fixed, or read at each write
 * (the engine's: the policy version in force then, as recorded in the store).
 */
export type FutureTolerance = number | (() => number);

export const toleranceNow = (tolerance: FutureTolerance): number =>
  typeof tolerance === 'function' ? tolerance() : tolerance;

/** Who is writing: may they write cases of this center? (all centers when absent) */
export interface WriteAccess {
  readonly mayWriteCenter?: (centerId: string) => boolean;
}

export interface WriteSide {
  /**
   * Appends several cases' groups (distinct caseIds); results per group, per event, in order.
   * A store outage does not throw: the events not written are rejected 'store-unavailable'.
   */
  appendGroups(groups: readonly CaseGroup[], access?: WriteAccess): Promise<WriteResult[][]>;
}

/** Gives the event an eventId: the client's, lower-cased as the store keeps it, or a new UUID. */
export function withEventId(event: CaseEvent): WriteEvent {
  return { ...event, eventId: (event.eventId ?? randomUUID()).toLowerCase() } as WriteEvent;
}

const ALL_CENTERS = (): boolean => true;

export function createWriteSide(deps: WriteSideDeps): WriteSide {
  const decideOptionsNow = (): DecideOptions => ({
    ...deps.decideOptions,
    futureToleranceMinutes: toleranceNow(deps.futureToleranceMinutes),
    zone: deps.zone,
  });

  async function appendGroups(groups: readonly CaseGroup[], access: WriteAccess = {}): Promise<WriteResult[][]> {
    const mayWriteCenter = access.mayWriteCenter ?? ALL_CENTERS;
    const jobs: Job[] = groups.map((group) => ({
      group,
      results: group.events.map(() => undefined),
      storedSomewhere: new Set(),
      attempt: 0,
      done: false,
    }));
    try {
      let active = jobs;
      while (active.length > 0) {
        const now = deps.clock();
        const decideOptions = decideOptionsNow();
        const toWrite: Job[] = [];
        const slice = (deps.timeSlice ?? timeSlice)(); // 200 cases' groups are decided in slices, other requests answered between them
        for (const job of active) {
          await slice.pause();
          await planUnlessDeleted(job, { now, mayWriteCenter, decideOptions, storedSomewhere: job.storedSomewhere });
          if (job.done) continue;
          if ((job.plan as Plan).pending.length === 0) job.done = true;
          else toWrite.push(job);
        }
        if (toWrite.length === 0) break;
        const outcomes = await appendPlans(toWrite);
        active = [];
        // Every group answers its own outcome (EventStoreDB appends each on its own: one may be written
        // while another is refused); only then does a store found unavailable stop the groups to retry.
        let down: StoreUnavailableError | undefined;
        for (const [k, job] of toWrite.entries()) {
          const outcome = outcomes[k] as AppendOutcome;
          await settle(job, outcome);
          const error = outcome.ok ? undefined : outcome.error;
          if (error instanceof StoreUnavailableError && !(error instanceof StreamDeletedError)) down ??= error;
          if (!job.done) active.push(job);
        }
        if (down !== undefined) throw down;
      }
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      for (const job of jobs) if (!job.done) unavailable(job, err);
    }
    return jobs.map(finish);
  }

  /** `plan`, but a case whose stream is deleted (its read refused) is refused alone, not the call. */
  async function planUnlessDeleted(job: Job, ctx: Parameters<typeof planGroup>[2]): Promise<void> {
    try {
      await plan(job, ctx);
    } catch (err) {
      if (!(err instanceof StreamDeletedError)) throw err;
      deps.cache.delete(job.group.caseId);
      streamDeleted(job);
    }
  }

  /** Decides the group on the cache or the new-case guess when that says "append"; on a fresh read otherwise. */
  async function plan(job: Job, ctx: Parameters<typeof planGroup>[2]): Promise<void> {
    const { caseId } = job.group;
    const cached = deps.cache.get(caseId);
    const guess =
      cached ??
      (job.attempt === 0 && opensCase(job.group)
        ? { state: initialCaseState(caseId), eventIds: new Set<string>() }
        : undefined);
    if (guess !== undefined) {
      const basis: Basis = { fresh: false, state: guess.state, eventIds: guess.eventIds };
      const planned = planGroup(job.group, basis, ctx);
      if (planned !== undefined) {
        record(job, planned, guess.eventIds);
        return;
      }
    }
    const loaded = await loadCase(deps.store, caseId);
    const eventIds = new Set(loaded.byEventId.keys());
    deps.cache.set(caseId, { state: loaded.state, eventIds });
    const basis: Basis = { fresh: true, state: loaded.state, byEventId: loaded.byEventId };
    const planned = planGroup(job.group, basis, ctx) as Plan;
    const storedOf = (eventId: string) => loaded.byEventId.get(eventId)?.recorded;
    record(
      job,
      { ...planned, answered: await withOriginalPositions(deps.store, planned.answered, storedOf) },
      eventIds,
    );
  }

  function record(job: Job, planned: Plan, eventIds: Set<string>): void {
    for (const [index, result] of planned.answered) job.results[index] = result;
    job.plan = planned;
    job.eventIds = eventIds;
  }

  async function appendPlans(jobs: readonly Job[]): Promise<AppendOutcome[]> {
    const requests = jobs.map((job) => {
      const { base, pending } = job.plan as Plan;
      return {
        streamId: caseStreamId(job.group.caseId),
        events: pending.map(({ event }) => ({ eventId: event.eventId, type: event.type, data: event })),
        expectedRevision: base.revision < 0 ? ('no_stream' as const) : BigInt(base.revision),
      };
    });
    const stopTimer = deps.metrics?.startAppendTimer();
    try {
      return await deps.committer.appendMany(requests);
    } finally {
      stopTimer?.();
    }
  }

  /** Applies the store's answer to one group: its results and the cache, or another attempt. */
  async function settle(job: Job, outcome: AppendOutcome): Promise<void> {
    const { caseId, ifMatch } = job.group;
    const { pending, base, after } = job.plan as Plan;
    const retriesLeft = job.attempt < MAX_CONFLICT_RETRIES;
    job.attempt++;
    if (outcome.ok && !outcome.result.duplicate) {
      const streamId = caseStreamId(caseId);
      const positions = await appendedPositions(
        deps.store,
        streamId,
        outcome.result,
        base.revision + 1,
        pending.length,
      );
      for (const [k, { index, event }] of pending.entries()) {
        deps.metrics?.eventAppended(event.type);
        const position = positions[k] as bigint;
        job.results[index] = {
          kind: 'appended',
          caseId,
          eventId: event.eventId,
          revision: base.revision + 1 + k,
          position,
        };
      }
      const eventIds = job.eventIds as Set<string>;
      for (const { event } of pending) eventIds.add(event.eventId);
      if (Number(outcome.result.nextExpectedRevision) === after.revision)
        deps.cache.set(caseId, { state: after, eventIds });
      else deps.cache.delete(caseId);
      job.done = true;
      return;
    }
    // Anything else is answered from a fresh read on the next attempt (an exact retry that won a race included).
    deps.cache.delete(caseId);
    if (outcome.ok) return retriesLeft ? undefined : gaveUp(job);
    const err = outcome.error;
    // Before unavailability (it is one, to the port): that case's stream is gone, not the store.
    if (err instanceof StreamDeletedError) return streamDeleted(job);
    if (err instanceof StoreUnavailableError) return unavailable(job, err);
    if (err instanceof WrongExpectedRevisionError && ifMatch !== undefined) {
      for (const { index, event } of pending) {
        job.results[index] = rejected(
          caseId,
          event.eventId,
          'revision-conflict',
          `If-Match expects revision ${ifMatch} but another write got there first`,
          { expected: ifMatch },
        );
      }
      job.done = true;
      return;
    }
    if (err instanceof DuplicateEventConflictError) noteStoredEventId(job, err);
    if (err instanceof WrongExpectedRevisionError || err instanceof DuplicateEventConflictError) {
      return retriesLeft ? undefined : gaveUp(job);
    }
    throw err;
  }

  return { appendGroups };
}

/** A group starting with CaseAccepted is most likely a new case: guess "no stream" rather than read it. */
const opensCase = (group: CaseGroup): boolean => group.events[0]?.type === 'CaseAccepted';
