/**
 * The one decoder from a stored event (the store's RecordedEvent) to a domain
 * case event, shared by the write side and the projections. Case streams only
 * hold events validated by `decodeCaseEvent` on the way in, so this is a light
 * check (stream, type, instants), not a second schema validation; `occurredAt`
 * and `recordedAt` are parsed here once and handed to `evolve` in its meta.
 */
import { EVENT_TYPES, type CaseEvent } from '../domain/events.js';
import { tryParseInstant } from '../domain/time.js';
import type { EpochMs, EventMeta } from '../domain/types.js';
import { CASE_STREAM_PREFIX } from '../domain/streams.js';
import type { RecordedEvent } from '../store/port.js';

/** A stored case event, decoded once. */
export interface StoredCaseEvent {
  readonly caseId: string;
  /** Lower case, as the store keeps it. */
  readonly eventId: string;
  /** The body as stored, with `type` and `caseId` taken from the store's envelope. */
  readonly event: CaseEvent;
  /** What `evolve` needs: revision, recordedAt and the parsed occurredAt (epoch ms). */
  readonly meta: EventMeta & { readonly occurredAt: EpochMs };
  readonly position: bigint;
  /** The store's own ISO-8601 recordedAt, as stored. */
  readonly recordedAt: string;
}

export type StoredDecoding =
  | { readonly ok: true; readonly value: StoredCaseEvent }
  /** `reason` names what is wrong without quoting the event (logs must not carry case ids). */
  | { readonly ok: false; readonly reason: string };

const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

export function decodeStoredCaseEvent(recorded: RecordedEvent): StoredDecoding {
  if (!recorded.streamId.startsWith(CASE_STREAM_PREFIX)) return { ok: false, reason: 'not a case stream' };
  if (!CASE_EVENT_TYPES.has(recorded.type)) return { ok: false, reason: `unknown case event type ${recorded.type}` };
  const data = recorded.data as Record<string, unknown>;
  const occurredText = data['occurredAt'];
  const occurredAt = typeof occurredText === 'string' ? tryParseInstant(occurredText) : undefined;
  if (occurredAt === undefined) return { ok: false, reason: `${recorded.type} without a valid occurredAt` };
  const caseId = recorded.streamId.slice(CASE_STREAM_PREFIX.length);
  const event = (data['type'] === recorded.type && data['caseId'] === caseId
    ? data
    : { ...data, type: recorded.type, caseId }) as unknown as CaseEvent;
  const recordedAt = tryParseInstant(recorded.recordedAt);
  const revision = Number(recorded.revision);
  return {
    ok: true,
    value: {
      caseId,
      eventId: recorded.eventId,
      event,
      meta: recordedAt === undefined ? { revision, occurredAt } : { revision, recordedAt, occurredAt },
      position: recorded.position,
      recordedAt: recorded.recordedAt,
    },
  };
}
