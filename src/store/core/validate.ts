/**
 * Input validation shared by every adapter: bad input is rejected with an
 * `InvalidAppendError` naming the field, before any driver is called.
 */
import {
  InvalidAppendError,
  MAX_STREAM_NAME_LENGTH,
  MAX_STREAM_PREFIX_LENGTH,
  MAX_STREAM_PREFIXES,
  type EventData,
  type ExpectedRevision,
} from '../port.js';

export { MAX_STREAM_NAME_LENGTH };
/** Stream names are printable ASCII without spaces: what every adapter can store and log as is. */
const STREAM_NAME_RE = /^[\x21-\x7e]+$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event ready to store: eventId lower-cased (as EventStoreDB does), data serialised once. */
export interface ValidEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly json: string;
}

/** The EventStoreDB adapter claims eventIds in streams of this prefix (esdb/eventIdClaims.ts): no store takes it, so every store answers alike. */
export const RESERVED_STREAM_PREFIX = 'eventid-';

export function validateStreamId(streamId: unknown, field = 'streamId'): string {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidAppendError(field, 'must be a non-empty string');
  }
  if (streamId.length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidAppendError(field, `must be at most ${MAX_STREAM_NAME_LENGTH} characters`);
  }
  if (streamId.startsWith('$')) {
    throw new InvalidAppendError(field, 'system streams ($…) are not writable');
  }
  if (streamId.toLowerCase().startsWith(RESERVED_STREAM_PREFIX)) {
    throw new InvalidAppendError(
      field,
      `streams named ${RESERVED_STREAM_PREFIX}… are reserved for the store's eventId claims`,
    );
  }
  if (!STREAM_NAME_RE.test(streamId)) {
    throw new InvalidAppendError(field, 'must be printable ASCII without spaces or control characters');
  }
  return streamId;
}

export function validateExpectedRevision(expected: unknown): ExpectedRevision {
  if (expected === undefined) return 'any';
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  throw new InvalidAppendError(
    'expectedRevision',
    "must be 'any', 'no_stream', 'stream_exists' or a bigint revision >= 0",
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function validateEvents(events: unknown): ValidEvent[] {
  if (!Array.isArray(events)) throw new InvalidAppendError('events', 'must be an array');
  if (events.length === 0) throw new InvalidAppendError('events', 'must not be empty');
  const seen = new Set<string>();
  return events.map((event: unknown, i): ValidEvent => {
    const at = `events[${i}]`;
    if (!isPlainObject(event)) throw new InvalidAppendError(at, 'must be an object');
    const { eventId, type, data } = event as Partial<EventData>;
    if (typeof eventId !== 'string' || !UUID_RE.test(eventId)) {
      throw new InvalidAppendError(`${at}.eventId`, 'must be a UUID');
    }
    const id = eventId.toLowerCase();
    if (seen.has(id)) throw new InvalidAppendError(`${at}.eventId`, 'repeats an eventId of the same batch');
    seen.add(id);
    if (typeof type !== 'string' || type.length === 0) {
      throw new InvalidAppendError(`${at}.type`, 'must be a non-empty string');
    }
    if (!isPlainObject(data)) throw new InvalidAppendError(`${at}.data`, 'must be a JSON object');
    let json: string;
    try {
      json = JSON.stringify(data);
    } catch (e) {
      throw new InvalidAppendError(`${at}.data`, `is not serialisable as JSON (${(e as Error).message})`);
    }
    return { eventId: id, type, data, json };
  });
}

export interface ValidAppend {
  readonly streamId: string;
  readonly events: ValidEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export function validateAppend(streamId: unknown, events: unknown, expectedRevision: unknown): ValidAppend {
  return {
    streamId: validateStreamId(streamId),
    events: validateEvents(events),
    expectedRevision: validateExpectedRevision(expectedRevision),
  };
}

export function validateMaxCount(maxCount: unknown): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  if (typeof maxCount === 'number' && Number.isInteger(maxCount) && maxCount >= 0) return maxCount;
  throw new InvalidAppendError('maxCount', 'must be an integer >= 0');
}

export function validateBatchSize(batchSize: unknown, fallback: number): number {
  if (batchSize === undefined) return fallback;
  if (typeof batchSize === 'number' && Number.isInteger(batchSize) && batchSize >= 1) return batchSize;
  throw new InvalidAppendError('batchSize', 'must be an integer >= 1');
}

export function validatePosition(position: unknown, field: string): bigint | undefined {
  if (position === undefined) return undefined;
  if (typeof position === 'bigint' && position >= -1n) return position;
  throw new InvalidAppendError(field, 'must be a bigint >= -1');
}

export function validatePrefixes(prefixes: unknown): readonly string[] | undefined {
  if (prefixes === undefined) return undefined;
  if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== 'string' || p.length === 0)) {
    throw new InvalidAppendError('streamPrefixes', 'must be an array of non-empty strings');
  }
  if (prefixes.length > MAX_STREAM_PREFIXES) {
    throw new InvalidAppendError('streamPrefixes', `names ${prefixes.length} prefixes, at most ${MAX_STREAM_PREFIXES}`);
  }
  const long = prefixes.findIndex((p: string) => p.length > MAX_STREAM_PREFIX_LENGTH);
  if (long >= 0) {
    throw new InvalidAppendError(
      `streamPrefixes[${long}]`,
      `is ${prefixes[long].length} characters, at most ${MAX_STREAM_PREFIX_LENGTH} (the longest stream name)`,
    );
  }
  return prefixes as string[];
}

export const matchesPrefixes = (streamId: string, prefixes: readonly string[] | undefined): boolean =>
  prefixes === undefined || prefixes.some((p) => streamId.startsWith(p));
