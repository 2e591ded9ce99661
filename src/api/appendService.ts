/**
 * The write path of SPEC §4: decode, authorise by center, de-duplicate on
 * eventId, decide against the committed state, append atomically.
 *
 * One "group" is the events of one case taken from a request, in order. A group
 * is decided event by event on a running state, and its accepted events are
 * appended atomically with the expected revision of the state decided on. A
 * rejected event is never written and does not stop the others. Without
 * If-Match an optimistic-concurrency conflict re-reads and re-decides (so
 * concurrent valid writers both succeed), for the conflicting cases only.
 *
 * Every group of a request goes to the store in one `appendMany` call (one
 * commit on sqlite), shared with the other requests of the same event-loop
 * turn (groupCommit.ts). The state decided on comes from the write cache when the
 * case is there, or is guessed empty when the group opens with CaseAccepted
 * (no read: appended with expected revision no_stream), else from reading the stream; an answer other than
 * "append it" (a rejection, or an eventId already stored) is only ever given
 * from a fresh read, so idempotent retries still answer 200 with the original
 * result and a stale cache never refuses an event.
 */
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DOMAIN_ERROR_STATUS, decide } from '../domain/decide.js';
import { evolve, initialCaseState } from '../domain/evolve.js';
import type { Policy } from '../domain/policy.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState, EpochMs } from '../domain/types.js';
import {
  DuplicateEventConflictError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  caseStreamId,
  type AppendOutcome,
  type EventData,
  type EventStore,
} from '../store/port.js';
import { mayWriteCenter, type Principal } from './auth.js';
import { loadCaseSnapshot, type StoredAt } from './caseStream.js';
import type { Metrics } from './metrics.js';
import { groupCommitterOf } from './groupCommit.js';
import { writeCacheOf, type CachedCase, type CaseWriteCache } from './writeCache.js';

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

/** The events of one case, in request order; `ifMatch`: the revision the client expects before the first event. */
export interface CaseGroup {
  readonly caseId: string;
  readonly candidates: readonly Candidate[];
  readonly ifMatch?: number;
}

export interface AppendGroupsOptions {
  /**
   * 'outcome' (default): when the store is unavailable, every event not yet
   * answered gets a 503 outcome; 'throw': the StoreUnavailableError is thrown.
   */
  readonly onUnavailable?: 'outcome' | 'throw';
}

type PendingEvent = { readonly index: number; readonly event: CaseEvent & { eventId: string } };

/** The decisions of one attempt for one group. */
interface Plan {
  readonly decided: ReadonlyMap<number, EventOutcome>;
  readonly pending: readonly PendingEvent[];
  readonly duplicateOf: ReadonlyMap<number, number>;
  /** The state the pending events were decided on (its revision is the expected revision). */
  readonly base: CaseState;
  /** eventIds stored in the stream as of `base`. */
  readonly storedIds: ReadonlySet<string> | ReadonlyMap<string, StoredAt>;
}

interface Job {
  readonly group: CaseGroup;
  readonly results: (EventOutcome | undefined)[];
  /** Indexes whose eventId is used in another stream: answered, never retried. */
  readonly excluded: Set<number>;
  attempt: number;
  done: boolean;
  plan?: Plan;
}

/**
 * Append the events of one case (in order). `ifMatch`: the exact revision the
 * client expects the stream to be at before the first event (single-event path).
 * A StoreUnavailableError is thrown.
 */
export async function appendCaseGroup(
  deps: AppendDeps,
  caseId: string,
  candidates: readonly Candidate[],
  principal: Principal,
  ifMatch?: number,
): Promise<EventOutcome[]> {
  const group: CaseGroup = ifMatch === undefined ? { caseId, candidates } : { caseId, candidates, ifMatch };
  const [outcomes] = await appendCaseGroups(deps, [group], principal, { onUnavailable: 'throw' });
  if (outcomes === undefined) throw new Error('append left a group without outcomes');
  return outcomes;
}

/** Append several cases' groups (distinct caseIds), one store call per attempt; outcomes per group, in order. */
export async function appendCaseGroups(
  deps: AppendDeps,
  groups: readonly CaseGroup[],
  principal: Principal,
  options: AppendGroupsOptions = {},
): Promise<EventOutcome[][]> {
  const cache = writeCacheOf(deps.store);
  const jobs: Job[] = groups.map((group) => ({
    group,
    results: group.candidates.map(() => undefined),
    excluded: new Set(),
    attempt: 0,
    done: false,
  }));
  try {
    let active = jobs;
    while (active.length > 0) {
      const now = deps.clock();
      const toWrite: Job[] = [];
      for (const job of active) {
        const plan = await planGroup(deps, cache, job, principal, now);
        for (const [index, outcome] of plan.decided) job.results[index] = outcome;
        job.plan = plan;
        if (plan.pending.length === 0) job.done = true;
        else toWrite.push(job);
      }
      if (toWrite.length === 0) break;
      const requests = toWrite.map((job) => {
        const plan = job.plan as Plan;
        return {
          streamId: caseStreamId(job.group.caseId),
          events: plan.pending.map(
            ({ event }): EventData => ({ eventId: event.eventId, type: event.type, data: event }),
          ),
          expectedRevision: plan.base.revision < 0 ? ('no_stream' as const) : BigInt(plan.base.revision),
        };
      });
      const stopTimer = deps.metrics.startAppendTimer();
      let outcomes: AppendOutcome[];
      try {
        outcomes = await groupCommitterOf(deps.store).appendMany(requests);
      } finally {
        stopTimer();
      }
      active = [];
      toWrite.forEach((job, k) => {
        const outcome = outcomes[k];
        if (outcome === undefined) throw new Error('appendMany left a request without an outcome');
        settle(deps, cache, job, outcome);
        if (!job.done) active.push(job);
      });
    }
  } catch (err) {
    if (!(err instanceof StoreUnavailableError) || options.onUnavailable === 'throw') throw err;
    for (const job of jobs) if (!job.done) unavailable(job);
  }
  return jobs.map((job) => finish(job.results, job.plan?.duplicateOf ?? new Map()));
}

/** Decide the group on the cached state when there is one and it says "append"; on a fresh read otherwise. */
async function planGroup(
  deps: AppendDeps,
  cache: CaseWriteCache,
  job: Job,
  principal: Principal,
  now: EpochMs,
): Promise<Plan> {
  const { caseId } = job.group;
  const guess = cache.get(caseId) ?? (job.attempt === 0 && opensCase(job.group) ? newCase(caseId) : undefined);
  if (guess !== undefined) {
    const plan = decideGroup(deps, job, principal, now, guess.state, guess.eventIds);
    if (plan !== undefined) return plan;
  }
  const loaded = await loadCaseSnapshot(deps.store, caseId, deps.policy.lateRecordHours);
  cache.set(caseId, { state: loaded.state, eventIds: new Set(loaded.byEventId.keys()) });
  return decideGroup(deps, job, principal, now, loaded.state, loaded.byEventId) as Plan;
}

const NO_EVENT_IDS: ReadonlySet<string> = new Set();

/** A group starting with CaseAccepted is most likely a new case: guess "no stream" rather than read it. */
const opensCase = (group: CaseGroup): boolean => group.candidates[0]?.event.type === 'CaseAccepted';
const newCase = (caseId: string): CachedCase => ({ state: initialCaseState(caseId), eventIds: NO_EVENT_IDS });

/**
 * Decides each event of the group on a running state. With a cached basis
 * (`stored` a Set) it answers undefined as soon as an event would not simply be
 * appended: that answer must come from a fresh read.
 */
function decideGroup(
  deps: AppendDeps,
  job: Job,
  principal: Principal,
  now: EpochMs,
  base: CaseState,
  stored: ReadonlySet<string> | ReadonlyMap<string, StoredAt>,
): Plan | undefined {
  const { caseId, candidates, ifMatch } = job.group;
  const fromCache = !(stored instanceof Map);
  const decided = new Map<number, EventOutcome>();
  const pending: PendingEvent[] = [];
  const inBatch = new Map<string, number>(); // eventId → index of its first occurrence
  const duplicateOf = new Map<number, number>(); // index → index of the pending original
  const decideOptions = { futureToleranceMinutes: deps.policy.futureToleranceMinutes, zone: deps.zone };
  const evolveOptions = { lateRecordHours: deps.policy.lateRecordHours };
  let state = base;
  for (let index = 0; index < candidates.length; index++) {
    if (job.excluded.has(index)) continue;
    const event = (candidates[index] as Candidate).event;
    const center = state.accepted?.centerId ?? (event.type === 'CaseAccepted' ? event.centerId : undefined);
    if (center !== undefined && !mayWriteCenter(principal, center)) {
      if (fromCache) return undefined;
      decided.set(
        index,
        rejected(403, caseId, event.eventId, 'forbidden-center', `this token may not write cases of center ${center}`),
      );
      continue;
    }
    if (stored.has(event.eventId)) {
      if (fromCache) return undefined;
      const at = (stored as ReadonlyMap<string, StoredAt>).get(event.eventId) as StoredAt;
      decided.set(index, {
        status: 200,
        caseId,
        eventId: event.eventId,
        revision: Number(at.revision),
        position: at.position.toString(),
      });
      continue;
    }
    const earlier = inBatch.get(event.eventId);
    if (earlier !== undefined) {
      duplicateOf.set(index, earlier);
      continue;
    }
    if (ifMatch !== undefined && state.revision !== ifMatch) {
      if (fromCache) return undefined;
      decided.set(
        index,
        rejected(
          409,
          caseId,
          event.eventId,
          'revision-conflict',
          `If-Match expects revision ${ifMatch} but the case is at revision ${state.revision}`,
          { expected: ifMatch, actual: state.revision },
        ),
      );
      continue;
    }
    const decision = decide(state, event, now, decideOptions);
    if (isLeft(decision)) {
      if (fromCache) return undefined;
      const { code, message } = decision.left;
      decided.set(index, rejected(DOMAIN_ERROR_STATUS[code], caseId, event.eventId, code, message));
      continue;
    }
    inBatch.set(event.eventId, index);
    pending.push({ index, event });
    state = evolve(state, event, { revision: state.revision + 1, recordedAt: now }, evolveOptions);
  }
  return { decided, pending, duplicateOf, base, storedIds: stored };
}

/** Applies the store's answer to one group: its results, the cache, or another attempt. */
function settle(deps: AppendDeps, cache: CaseWriteCache, job: Job, outcome: AppendOutcome): void {
  const { caseId, ifMatch } = job.group;
  const plan = job.plan as Plan;
  const { pending } = plan;
  const retriesLeft = job.attempt < MAX_CONFLICT_RETRIES;
  job.attempt++;
  if (outcome.ok) {
    const result = outcome.result;
    if (result.duplicate) {
      // A concurrent identical retry won the race: re-read for the original results.
      cache.delete(caseId);
      if (retriesLeft) return;
      gaveUp(job);
      return;
    }
    const first = Number(result.nextExpectedRevision) - (pending.length - 1);
    pending.forEach(({ index, event }, k) => {
      deps.metrics.eventAppended(event.type);
      job.results[index] = {
        status: 201,
        caseId,
        eventId: event.eventId,
        revision: first + k,
        position: result.position.toString(),
      };
    });
    remember(deps, cache, caseId, plan, first, result.recordedAt);
    job.done = true;
    return;
  }
  cache.delete(caseId);
  const err = outcome.error;
  if (err instanceof StoreUnavailableError) throw err;
  if (err instanceof WrongExpectedRevisionError) {
    if (ifMatch !== undefined) {
      for (const { index, event } of pending) {
        job.results[index] = rejected(
          409,
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
    if (retriesLeft) return;
  }
  if (err instanceof DuplicateEventConflictError) {
    const clash = pending.find(({ event }) => event.eventId === err.eventId.toLowerCase());
    if (clash !== undefined && !plan.storedIds.has(clash.event.eventId) && job.attempt > 1) {
      // Stored in another stream (a first conflict re-reads: it may have been stored here concurrently).
      job.excluded.add(clash.index);
      job.results[clash.index] = rejected(
        409,
        caseId,
        clash.event.eventId,
        'event-id-conflict',
        `eventId ${clash.event.eventId} is already used by another event`,
      );
    }
    if (retriesLeft) return;
  }
  if (err instanceof WrongExpectedRevisionError || err instanceof DuplicateEventConflictError) {
    gaveUp(job);
    return;
  }
  throw err;
}

/** Caches the state after a successful append, folded exactly as a re-read would fold it. */
function remember(
  deps: AppendDeps,
  cache: CaseWriteCache,
  caseId: string,
  plan: Plan,
  first: number,
  recordedAt: string | undefined,
): void {
  const recordedMs = recordedAt === undefined ? Number.NaN : Date.parse(recordedAt);
  if (Number.isNaN(recordedMs)) {
    cache.delete(caseId);
    return;
  }
  let state = plan.base;
  const eventIds = new Set(plan.storedIds.keys());
  const options = { lateRecordHours: deps.policy.lateRecordHours };
  plan.pending.forEach(({ event }, k) => {
    state = evolve(state, event, { revision: first + k, recordedAt: recordedMs }, options);
    eventIds.add(event.eventId);
  });
  cache.set(caseId, { state, eventIds });
}

function gaveUp(job: Job): void {
  for (const { index, event } of job.plan?.pending ?? []) {
    job.results[index] = rejected(
      409,
      job.group.caseId,
      event.eventId,
      'concurrency-conflict',
      `the case kept changing under ${MAX_CONFLICT_RETRIES} attempts; retry`,
    );
  }
  job.done = true;
}

/** Nothing of an unfinished group was written: every event not already refused for good answers 503. */
function unavailable(job: Job): void {
  job.group.candidates.forEach(({ event }, index) => {
    if (job.excluded.has(index)) return;
    job.results[index] = {
      status: 503,
      caseId: job.group.caseId,
      eventId: event.eventId,
      error: { code: 'store-unavailable', message: 'the event store is unavailable; this event was not written' },
    };
  });
  job.done = true;
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
