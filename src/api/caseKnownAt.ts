/**
 * One case read from its stream, as known at an instant (SPEC §3 "What was
 * known"): only the events the store recorded by K, the calendar as published
 * by K, and the policy version selected for the case as known at K. Without K,
 * everything recorded. Serves `GET /cases/{id}?asKnownAt=` and `/history`.
 *
 * The events recorded by K are the stream's prefix up to the first event
 * recorded after K: a stream is committed in revision order, so on a store whose
 * clock does not go backwards the prefix is exactly "recorded by K", and a
 * prefix is always a valid history (a filtered middle might not be).
 */
import {
  createCalendarService,
  evaluate,
  evolve,
  initialCaseState,
  tryParseInstant,
  type CalendarService,
  type RegionOfCenter,
  type CaseEvaluation,
  type CaseEvent,
  type CaseState,
  type EpochDay,
  type EpochMs,
  type Policy,
  type WorkCalendar,
} from '../domain/index.js';
import type { EvaluateOptions } from '../domain/evaluate.js';
import {
  CALENDAR_STREAM_ID,
  applyCalendarPublication,
  decodeCalendarYearPublished,
} from '../projections/calendarEvents.js';
import type { CaseKnownAtK, KnownAt } from '../projections/types.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { timeSlice, type TimeSlice } from '../write/timeSlice.js';
import { readOwnStream } from './ownStream.js';

/** When a case was accepted: its local date and its instant. */
export interface CaseAcceptance {
  readonly day: EpochDay;
  readonly at: EpochMs;
}

/**
 * The policy a case is evaluated under, given its acceptance and, for a
 * bitemporal read, the instant K (only versions published by K count). The one
 * place the read path chooses a policy; versioned policies plug in here: with
 * the projections' PolicyBook (src/projections/policyEvents.ts) it is
 * `(acceptance, knownAt) => book.inForce(acceptance, knownAt)`, so that a read
 * as known now and the projections choose the same version.
 */
export type PolicySelector = (acceptance: CaseAcceptance, knownAt: EpochMs | undefined) => Policy;

/** A deployment with one policy for every case and every K. */
export const singlePolicy =
  (policy: Policy): PolicySelector =>
  () =>
    policy;

export interface CaseSourceDeps {
  readonly store: EventStore;
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  /** Default: `singlePolicy(policy)`. */
  readonly policyFor?: PolicySelector;
  /** Which region each center was in as known at K (the directory then); default: the mapping in force now. */
  readonly regionsKnownAt?: (knownAt: EpochMs) => RegionOfCenter | undefined;
  /** The directory's version as known at K, or in force now without K; absent: no directory kept. */
  readonly directoryVersionAt?: (knownAt: EpochMs | undefined) => number;
}

/**
 * The `directoryVersion` an answer names (docs/api.md "Versions cited as evidence"): the publication
 * whose regions (and a complaint's names) it used, read back by `GET /directory?asKnownAt=`.
 */
export function directoryVersionOf(
  deps: CaseSourceDeps,
  knownAt: EpochMs | undefined,
): { readonly directoryVersion?: number } {
  const version = deps.directoryVersionAt?.(knownAt);
  return version === undefined ? {} : { directoryVersion: version };
}

/** One stored event of the case with the case's state right after it. */
export interface KnownEvent {
  readonly recorded: RecordedEvent;
  readonly event: CaseEvent;
  readonly occurredAt: EpochMs;
  readonly state: CaseState;
}

/** The policy of a case: chosen at its first event (the acceptance), kept for the rest of the stream. */
export interface FoldContext {
  policy: Policy | undefined;
}

/**
 * Read the case stream in order, folding it with `evolve`, stopping before the
 * first event recorded after `knownAt`. `context.policy` is set at the first
 * event (its lateRecordHours feeds the fold).
 *
 * The fold waits a turn of the event loop after every `slice` of its work (4 ms):
 * a 1000-event case was one stretch of 23–85 ms (the sqlite store hands over the
 * whole stream in one page, and each escalation's evolve copies the case's arrays).
 */
export async function* foldKnownCase(
  deps: CaseSourceDeps,
  caseId: string,
  knownAt: EpochMs | undefined,
  calendar: WorkCalendar,
  context: FoldContext,
  slice: TimeSlice = timeSlice(),
): AsyncIterable<KnownEvent> {
  const select = deps.policyFor ?? singlePolicy(deps.policy);
  let state = initialCaseState(caseId);
  for await (const recorded of readOwnStream(deps.store, 'case', caseId)) {
    const recordedAt = tryParseInstant(recorded.recordedAt);
    if (knownAt !== undefined && recordedAt !== undefined && recordedAt > knownAt) return;
    // Case streams only hold events validated by decodeCaseEvent on the way in.
    const event = recorded.data as unknown as CaseEvent;
    const occurredAt = Date.parse(event.occurredAt);
    context.policy ??= select({ day: calendar.dayOf(occurredAt), at: occurredAt }, knownAt);
    state = evolve(
      state,
      event,
      { revision: Number(recorded.revision), ...(recordedAt === undefined ? {} : { recordedAt }) },
      { lateRecordHours: context.policy.lateRecordHours },
    );
    yield { recorded, event, occurredAt, state };
    const pause = slice.pause();
    if (pause !== undefined) await pause;
  }
}

/**
 * The calendar as published by `knownAt`: the base data plus the
 * `CalendarYearPublished` events recorded by then, applied as the projections
 * apply them (so with every publication known, it is the projections' calendar).
 */
export async function calendarKnownAt(
  store: EventStore,
  zone: string,
  knownAt: EpochMs,
  regionOfCenter?: RegionOfCenter,
): Promise<WorkCalendar> {
  const service = createCalendarService(zone, undefined, regionOfCenter);
  for await (const recorded of store.readStream(CALENDAR_STREAM_ID)) {
    const recordedAt = tryParseInstant(recorded.recordedAt);
    if (recordedAt !== undefined && recordedAt > knownAt) break;
    const decoded = decodeCalendarYearPublished(recorded.data);
    if (decoded.ok) applyCalendarPublication(service, decoded.value);
  }
  return service.current();
}

/** The calendar for a read: as published by K, or the one in force now. */
export function calendarFor(deps: CaseSourceDeps, knownAt: EpochMs | undefined): Promise<WorkCalendar> {
  if (knownAt === undefined) return Promise.resolve(deps.calendarService.current());
  const regions = deps.regionsKnownAt?.(knownAt) ?? deps.calendarService.regionOfCenter();
  return calendarKnownAt(deps.store, deps.calendarService.zone, knownAt, regions);
}

export interface KnownCase {
  readonly state: CaseState;
  readonly policy: Policy;
  readonly calendar: WorkCalendar;
}

/** The case's state as known at K (undefined when nothing of it was recorded by then). */
export async function readCaseKnownAt(
  deps: CaseSourceDeps,
  caseId: string,
  knownAt: EpochMs,
): Promise<KnownCase | undefined> {
  const calendar = await calendarFor(deps, knownAt);
  const context: FoldContext = { policy: undefined };
  let state: CaseState | undefined;
  for await (const known of foldKnownCase(deps, caseId, knownAt, calendar, context)) state = known.state;
  if (state === undefined || context.policy === undefined) return undefined;
  return { state, policy: context.policy, calendar };
}

/**
 * The default `asOf` of a case read (SPEC §4): now, or the case's last event
 * when it lies ahead of the server clock (allowed up to the future tolerance),
 * so a case that exists is never hidden at the default instants.
 */
export function defaultAsOf(now: EpochMs, lastOccurredAt: EpochMs | undefined): EpochMs {
  return lastOccurredAt !== undefined && lastOccurredAt > now ? lastOccurredAt : now;
}

/** A case read as known at K: its evaluation at asOf, and the case as known at K read at K. */
export interface CaseReadKnownAt {
  readonly evaluation: CaseEvaluation;
  readonly atK: KnownAt<CaseKnownAtK>;
}

/**
 * `GET /cases/{id}?asKnownAt=K`: the case evaluated at asOf (default as above) from what was recorded by K;
 * `atK`, the same case evaluated at K, is where its withdrawn cards started as known then.
 */
export async function evaluateCaseKnownAt(
  deps: CaseSourceDeps,
  caseId: string,
  query: { readonly asOf: EpochMs | undefined; readonly knownAt: EpochMs; readonly now: EpochMs },
  options: EvaluateOptions = {},
): Promise<CaseReadKnownAt | undefined> {
  const known = await readCaseKnownAt(deps, caseId, query.knownAt);
  if (known === undefined) return undefined;
  const asOf = query.asOf ?? defaultAsOf(query.now, known.state.lastOccurredAt);
  const evaluation = evaluate(known.state, asOf, known.policy, known.calendar, options);
  if (evaluation === null) return undefined;
  const { knownAt } = query;
  const read = (): CaseKnownAtK => ({
    state: known.state,
    evaluation:
      asOf === knownAt ? evaluation : (evaluate(known.state, knownAt, known.policy, known.calendar) ?? undefined),
  });
  return { evaluation, atK: { at: knownAt, read } };
}
