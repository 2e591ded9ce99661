import { shownName } from '../domain/inputBounds.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseEvent, EVENT_TYPES } from '../domain/events.js';
import { CASE_STREAM_PREFIX } from '../domain/streams.js';
import { tryParseInstant } from '../domain/time.js';
import type { RecordedEvent } from '../store/port.js';
import { decodeCaseEventParts, decodeStoredCaseEvent, type StoredDecoding } from './storedEvent.js';

const recorded = (over: Partial<RecordedEvent> = {}, data: Record<string, unknown> = {}): RecordedEvent => ({
  streamId: 'case-A-1',
  eventId: '0d6c5f4e-1111-4222-8333-944455556666',
  type: 'CaseEscalated',
  data: {
    type: 'CaseEscalated',
    caseId: 'A-1',
    occurredAt: '2025-09-22T09:30:00+08:00',
    level: 'reminder',
    by: 'x',
    ...data,
  },
  revision: 3n,
  position: 42n,
  recordedAt: '2025-09-22T01:31:00.000Z',
  ...over,
});

describe('decodeStoredCaseEvent', () => {
  it('decodes a case event with its instants parsed once and its place in the store', () => {
    const decoded = decodeStoredCaseEvent(recorded());
    expect(decoded).toEqual({
      ok: true,
      value: {
        caseId: 'A-1',
        eventId: '0d6c5f4e-1111-4222-8333-944455556666',
        event: recorded().data,
        meta: {
          revision: 3,
          occurredAt: Date.parse('2025-09-22T01:30:00Z'),
          recordedAt: Date.parse('2025-09-22T01:31:00Z'),
        },
        position: 42n,
        recordedAt: '2025-09-22T01:31:00.000Z',
      },
    });
  });

  it("takes type and caseId from the store's envelope when the body disagrees", () => {
    const decoded = decodeStoredCaseEvent(recorded({}, { type: 'CaseCompleted', caseId: 'other' }));
    expect(decoded.ok && decoded.value.event).toMatchObject({ type: 'CaseEscalated', caseId: 'A-1' });
  });

  it('refuses what is not a case event, naming why without quoting the event', () => {
    expect(decodeStoredCaseEvent(recorded({ streamId: 'calendar-CN' }))).toEqual({
      ok: false,
      reason: 'not a case stream',
    });
    expect(decodeStoredCaseEvent(recorded({ type: 'Nope' }))).toMatchObject({ ok: false });
    expect(decodeStoredCaseEvent(recorded({}, { occurredAt: '2025-02-30T00:00:00Z' }))).toEqual({
      ok: false,
      reason: 'CaseEscalated without a valid occurredAt',
    });
  });

  it("names another writer's unknown type cut to 64 characters: the skip's log line never grows with it", () => {
    const decoded = decodeStoredCaseEvent(recorded({ type: `Nope${'x'.repeat(5000)}` }));
    expect(decoded).toEqual({ ok: false, reason: `unknown case event type Nope${'x'.repeat(59)}…` });
  });

  it('leaves recordedAt out of the meta when the store wrote none it can parse', () => {
    const decoded = decodeStoredCaseEvent(recorded({ recordedAt: '' }));
    expect(decoded.ok && decoded.value.meta).toEqual({ revision: 3, occurredAt: Date.parse('2025-09-22T01:30:00Z') });
  });
});

/**
 * The decoder as it was before the rules moved into decodeCaseEventParts
 * (session 9), kept verbatim as the reference: the parts' decoding (the
 * catch-up's rows, the router) must answer exactly as it did.
 */
function referenceDecode(recorded: RecordedEvent): StoredDecoding {
  if (!recorded.streamId.startsWith(CASE_STREAM_PREFIX)) return { ok: false, reason: 'not a case stream' };
  if (!REFERENCE_TYPES.has(recorded.type))
    return { ok: false, reason: `unknown case event type ${shownName(recorded.type)}` };
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
const REFERENCE_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

const caseIdArb = fc.string({ unit: fc.constantFrom('A', '1', '-', 'z', '中', '😀'), maxLength: 6 });
const instantArb = fc.oneof(
  fc.constantFrom(
    '2025-09-22T09:30:00+08:00',
    '2025-09-22T01:30:00.123Z',
    '2025-09-22T01:30Z',
    '2024-02-29T24:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-09-22',
    '',
    'x',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 30 }),
);
/** Stored events, good and bad: other streams, unknown types, bodies that disagree with the envelope, no or bad instants. */
const storedArb = fc
  .record({
    prefix: fc.constantFrom('case-', 'case-', 'case-', 'cas', 'complaint-', ''),
    id: caseIdArb,
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom('Nope', '', 'caseAccepted')),
    bodyType: fc.option(fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constant(7)), { nil: undefined }),
    bodyCaseId: fc.oneof(fc.constant('same'), fc.constant(undefined), caseIdArb, fc.constant(42), fc.constant('samex')),
    occurredAt: fc.option(fc.oneof(instantArb, fc.integer()), { nil: undefined }),
    extra: fc.dictionary(fc.constantFrom('level', 'by', 'note', 'score'), fc.oneof(fc.string(), fc.integer())),
    revision: fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }),
    position: fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }),
    recordedAt: instantArb,
  })
  .map((r): RecordedEvent => {
    const data: Record<string, unknown> = { ...r.extra };
    if (r.bodyType !== undefined) data['type'] = r.bodyType;
    if (r.bodyCaseId === 'same') data['caseId'] = r.id;
    else if (r.bodyCaseId === 'samex') data['caseId'] = `${r.id}x`;
    else if (r.bodyCaseId !== undefined) data['caseId'] = r.bodyCaseId;
    if (r.occurredAt !== undefined) data['occurredAt'] = r.occurredAt;
    return {
      streamId: r.prefix + r.id,
      eventId: 'e-1',
      type: r.type,
      data,
      revision: r.revision,
      position: r.position,
      recordedAt: r.recordedAt,
    };
  });

describe('decodeCaseEventParts: the rules of decodeStoredCaseEvent, over the parts of a stored event', () => {
  it('law: decodes and refuses exactly as the decoder did before, through decodeStoredCaseEvent and through the parts (property)', () => {
    fc.assert(
      fc.property(storedArb, (recorded) => {
        const reference = referenceDecode(recorded);
        expect(decodeStoredCaseEvent(recorded)).toStrictEqual(reference);
        const handed: unknown[][] = [];
        const reason = decodeCaseEventParts(
          recorded.streamId,
          recorded.type,
          recorded.data,
          Number(recorded.revision),
          recorded.recordedAt,
          { applyCaseEvent: (...args) => handed.push(args) },
        );
        if (reference.ok) {
          expect(reason).toBeUndefined();
          const { caseId, event, meta } = reference.value;
          expect(handed).toStrictEqual([[caseId, event, meta]]);
        } else {
          expect(handed).toEqual([]);
          expect(reason).toBe(reference.reason);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('hands over the body itself when it agrees with the envelope, and its caseId string (no copy of the stream name)', () => {
    const stored = recorded();
    const handed: unknown[][] = [];
    decodeCaseEventParts(stored.streamId, stored.type, stored.data, 3, stored.recordedAt, {
      applyCaseEvent: (...args) => handed.push(args),
    });
    expect(handed[0]?.[1]).toBe(stored.data);
    expect(handed[0]?.[0]).toBe('A-1');
  });
});
