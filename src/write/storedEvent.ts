/**
 * The one decoder from a stored event (the store's RecordedEvent) to a domain
 * case event, shared by the write side and the projections. Case streams only
 * hold events validated by `decodeCaseEvent` on the way in, so this is a light
 * check (stream, type, instants), not a second schema validation; `occurredAt`
 * and `recordedAt` are parsed here once and handed to `evolve` in its meta.
 */
import { shownName } from '../domain/inputBounds.js';
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
  readonly meta: StoredCaseMeta;
  readonly position: bigint;
  /** The store's own ISO-8601 recordedAt, as stored. */
  readonly recordedAt: string;
}

export type StoredDecoding =
  | { readonly ok: true; readonly value: StoredCaseEvent }
  /** `reason` names what is wrong without quoting the event (logs must not carry case ids). */
  | { readonly ok: false; readonly reason: string };

const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

/** What `evolve` is handed with a decoded case event. */
export type StoredCaseMeta = EventMeta & { readonly occurredAt: EpochMs };

/** Where a decoded case event goes (the case fold; decodeStoredCaseEvent's own result). */
export interface CaseEventSink {
  applyCaseEvent(caseId: string, event: CaseEvent, meta: StoredCaseMeta): void;
}

export function decodeStoredCaseEvent(recorded: RecordedEvent): StoredDecoding {
  let value: StoredCaseEvent | undefined;
  const reason = decodeCaseEventParts(
    recorded.streamId,
    recorded.type,
    recorded.data,
    Number(recorded.revision),
    recorded.recordedAt,
    {
      applyCaseEvent(caseId, event, meta) {
        value = {
          caseId,
          eventId: recorded.eventId,
          event,
          meta,
          position: recorded.position,
          recordedAt: recorded.recordedAt,
        };
      },
    },
  );
  return value === undefined ? { ok: false, reason: reason as string } : { ok: true, value };
}

/**
 * The decoding rules, over the parts of a stored event (a RecordedEvent's
 * fields, or a row of a page read by index: eventRows.ts): hands the case
 * event to `sink` and answers undefined, or answers why it is refused (nothing
 * handed over). No object is made for the decoding itself: the caseId is the
 * body's own string when the stream names it (the same characters as the
 * stream's suffix), the body is the event when it agrees with the envelope.
 */
export function decodeCaseEventParts(
  streamId: string,
  type: string,
  body: Readonly<Record<string, unknown>>,
  revision: number,
  recordedAtText: string,
  sink: CaseEventSink,
): string | undefined {
  if (!streamId.startsWith(CASE_STREAM_PREFIX)) return 'not a case stream';
  if (!CASE_EVENT_TYPES.has(type)) return `unknown case event type ${shownName(type)}`;
  const data = body as Record<string, unknown>;
  const occurredText = data['occurredAt'];
  const occurredAt = typeof occurredText === 'string' ? tryParseInstant(occurredText) : undefined;
  if (occurredAt === undefined) return `${type} without a valid occurredAt`;
  const bodyCaseId = data['caseId'];
  const named =
    typeof bodyCaseId === 'string' &&
    streamId.length === CASE_STREAM_PREFIX.length + bodyCaseId.length &&
    streamId.endsWith(bodyCaseId);
  const caseId = named ? bodyCaseId : streamId.slice(CASE_STREAM_PREFIX.length);
  const event = (data['type'] === type && named ? data : { ...data, type, caseId }) as unknown as CaseEvent;
  const recordedAt = tryParseInstant(recordedAtText);
  sink.applyCaseEvent(
    caseId,
    event,
    recordedAt === undefined ? { revision, occurredAt } : { revision, recordedAt, occurredAt },
  );
  return undefined;
}
