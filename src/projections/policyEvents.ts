/**
 * Policy versions are event-sourced (SPEC §3 "Policy versions"): a start with
 * a policy the store has not seen appends `PolicyPublished` to stream
 * `policy-CN`, like the calendar's `CalendarYearPublished` on `calendar-CN`.
 * The `PolicyBook` holds the versions read back, in publication order; which
 * version a case uses is the domain's rule (`policyInForce`).
 */
import { shownName } from '../domain/inputBounds.js';
import { randomUUID } from 'node:crypto';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  formatDate,
  formatInstant,
  parsePolicy,
  policyContent,
  policyInForce,
  tryParseDate,
  tryParseInstant,
  zoneClock,
  decidePolicyPublication,
  type Acceptance,
  type EpochDay,
  type EpochMs,
  type Policy,
  type PolicyDecision,
  type PolicyHistory,
  type PolicyPublication,
} from '../domain/index.js';
import { WrongExpectedRevisionError, type EventData, type EventStore, type RecordedEvent } from '../store/port.js';

export const POLICY_STREAM_ID = 'policy-CN';
export const POLICY_STREAM_PREFIX = 'policy-';
export const POLICY_EVENT_TYPE = 'PolicyPublished';

/** The stored event's data: the full rules (not an override), so a replay never depends on today's defaults. */
export interface PolicyPublishedData {
  readonly version: string;
  /** Local date `YYYY-MM-DD`. */
  readonly effectiveFrom: string;
  /** ISO-8601 instant with offset. */
  readonly publishedAt: string;
  readonly policy: Readonly<Record<string, unknown>>;
}

export function policyEventData(
  publication: PolicyPublication,
  zone: string,
  eventId: string = randomUUID(),
): EventData {
  const data: PolicyPublishedData = {
    version: publication.policy.version,
    effectiveFrom: formatDate(publication.effectiveFrom),
    publishedAt: formatInstant(publication.publishedAt, zone),
    policy: { ...policyContent(publication.policy) },
  };
  return { eventId, type: POLICY_EVENT_TYPE, data: { ...data } };
}

/** A stored `PolicyPublished` event's data as a publication, or a reason it is not one. */
export function decodePolicyPublished(input: unknown): PolicyPublication | string {
  if (typeof input !== 'object' || input === null) return 'not an object';
  const d = input as Record<string, unknown>;
  const effectiveFrom = typeof d['effectiveFrom'] === 'string' ? tryParseDate(d['effectiveFrom']) : undefined;
  const publishedAt = typeof d['publishedAt'] === 'string' ? tryParseInstant(d['publishedAt']) : undefined;
  if (effectiveFrom === undefined) return 'effectiveFrom is not a date YYYY-MM-DD';
  if (publishedAt === undefined) return 'publishedAt is not an instant';
  const rules = d['policy'];
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) return 'policy is not an object';
  const parsed = parsePolicy({ ...(rules as Record<string, unknown>), version: d['version'] });
  if (isLeft(parsed)) return parsed.left.map((e) => `${e.field}: ${e.message}`).join('; ');
  return { policy: parsed.right, effectiveFrom, publishedAt };
}

export const isPolicyEvent = (event: Pick<RecordedEvent, 'streamId' | 'type'>): boolean =>
  event.streamId.startsWith(POLICY_STREAM_PREFIX) && event.type === POLICY_EVENT_TYPE;

/** The versions recorded in the store, as they are read (at start, then live); `fallback` before any. */
export class PolicyBook {
  private readonly list: PolicyPublication[] = [];
  /** Revision of the last `policy-CN` event taken in; -1 before any. */
  private lastRevision = -1n;
  private keep: { readonly lateRecordHours: number };

  constructor(readonly fallback: Policy) {
    this.keep = { lateRecordHours: fallback.lateRecordHours };
  }

  /**
   * Options for the fold (`evolve`): keep late records over the lowest
   * threshold of any version; each case's own version then decides which count.
   */
  get evolveOptions(): { readonly lateRecordHours: number } {
    return this.keep;
  }

  get publications(): PolicyHistory {
    return this.list;
  }

  /** Take in the event at `revision` of `policy-CN`; false when already taken in (start read + live replay). */
  add(revision: bigint, publication: PolicyPublication): boolean {
    if (revision <= this.lastRevision) return false;
    this.lastRevision = revision;
    this.list.push(publication);
    const hours = Math.min(...this.list.map((p) => p.policy.lateRecordHours));
    if (hours !== this.keep.lateRecordHours) this.keep = { lateRecordHours: hours };
    return true;
  }

  /** The revision to expect when appending the next publication. */
  get expectedRevision(): bigint | 'no_stream' {
    return this.lastRevision < 0n ? 'no_stream' : this.lastRevision;
  }

  /** The version a case accepted at `acceptance` uses (as known at `knownAt` when given). */
  inForce(acceptance: Acceptance, knownAt?: EpochMs): Policy {
    if (this.list.length === 0) return this.fallback;
    return policyInForce(this.list, acceptance, this.fallback, knownAt);
  }

  /** The versions a case can be under (the fallback alone before any is recorded). */
  versions(): readonly Policy[] {
    return this.list.length === 0 ? [this.fallback] : this.list.map((p) => p.policy);
  }
}

/** Read `policy-CN` into the book (events it already holds are skipped); returns the undecodable ones. */
export async function loadPolicies(store: EventStore, book: PolicyBook): Promise<string[]> {
  const problems: string[] = [];
  for await (const recorded of store.readStream(POLICY_STREAM_ID)) {
    const problem = applyPolicyEvent(book, recorded);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

/** Apply one recorded policy event to the book; a reason when it cannot be read. */
export function applyPolicyEvent(book: PolicyBook, recorded: RecordedEvent): string | undefined {
  if (recorded.type !== POLICY_EVENT_TYPE)
    return `unknown event type ${shownName(recorded.type)} at revision ${recorded.revision}`;
  const decoded = decodePolicyPublished(recorded.data);
  if (typeof decoded === 'string') return `${POLICY_STREAM_ID} revision ${recorded.revision}: ${decoded}`;
  book.add(recorded.revision, decoded);
  return undefined;
}

export class PolicyRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PolicyRefusedError';
  }
}

/**
 * At start: read the versions recorded, and record `configured` unless it is
 * the version published last (SPEC §3). `requestedFrom` is the file's
 * `effectiveFrom`, else the next local day. Another engine recording at the
 * same moment is seen by the expected revision: the stream is read again and
 * the decision taken again.
 */
export async function recordPolicy(
  store: EventStore,
  book: PolicyBook,
  configured: Policy,
  requestedFrom: EpochDay | undefined,
  now: EpochMs,
  zone: string,
): Promise<PolicyDecision> {
  for (let attempt = 0; ; attempt++) {
    const decision = await decideOnStore(store, book, configured, requestedFrom, now, zone);
    if (decision.kind === 'already-recorded') return decision;
    try {
      const result = await store.append(POLICY_STREAM_ID, [policyEventData(decision.publication, zone)], {
        expectedRevision: book.expectedRevision,
      });
      book.add(result.nextExpectedRevision, decision.publication);
      return decision;
    } catch (e) {
      if (!(e instanceof WrongExpectedRevisionError) || attempt >= 3) throw e;
    }
  }
}

/**
 * Refuse `configured` as `recordPolicy` would, writing nothing: a start checks it before it prints or
 * serves anything, so a refused POLICY_FILE prints only its error (session 16). Reads the versions into the book.
 */
export async function refuseRuledOutPolicy(
  store: EventStore,
  book: PolicyBook,
  configured: Policy,
  requestedFrom: EpochDay | undefined,
  now: EpochMs,
  zone: string,
): Promise<void> {
  await decideOnStore(store, book, configured, requestedFrom, now, zone);
}

/** The versions recorded read into `book`, and the decision on `configured` (PolicyRefusedError when refused). */
async function decideOnStore(
  store: EventStore,
  book: PolicyBook,
  configured: Policy,
  requestedFrom: EpochDay | undefined,
  now: EpochMs,
  zone: string,
): Promise<Exclude<PolicyDecision, { kind: 'refused' }>> {
  await loadPolicies(store, book);
  const today = zoneClock(zone).dayOf(now);
  const decision = decidePolicyPublication(book.publications, configured, requestedFrom, now, today);
  if (decision.kind === 'refused') throw new PolicyRefusedError(decision.reason);
  return decision;
}

/**
 * Record `configured` only as the store's first version (no POLICY_FILE: a default must never
 * supersede a recorded policy), effective as `decidePolicyPublication` sets a first version.
 * Undefined when a version is recorded already, or another engine records one first: that one
 * is read and kept, where `recordPolicy` would decide again and supersede it.
 */
export async function recordFirstPolicy(
  store: EventStore,
  book: PolicyBook,
  configured: Policy,
  requestedFrom: EpochDay | undefined,
  now: EpochMs,
  zone: string,
): Promise<PolicyPublication | undefined> {
  if (book.publications.length > 0) return undefined;
  const decision = decidePolicyPublication([], configured, requestedFrom, now, zoneClock(zone).dayOf(now));
  if (decision.kind !== 'record') return undefined;
  try {
    const result = await store.append(POLICY_STREAM_ID, [policyEventData(decision.publication, zone)], {
      expectedRevision: 'no_stream',
    });
    book.add(result.nextExpectedRevision, decision.publication);
    return decision.publication;
  } catch (e) {
    if (!(e instanceof WrongExpectedRevisionError)) throw e;
    await loadPolicies(store, book);
    return undefined;
  }
}
