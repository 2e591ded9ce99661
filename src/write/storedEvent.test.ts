import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../store/port.js';
import { decodeStoredCaseEvent } from './storedEvent.js';

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

  it('leaves recordedAt out of the meta when the store wrote none it can parse', () => {
    const decoded = decodeStoredCaseEvent(recorded({ recordedAt: '' }));
    expect(decoded.ok && decoded.value.meta).toEqual({ revision: 3, occurredAt: Date.parse('2025-09-22T01:30:00Z') });
  });
});
