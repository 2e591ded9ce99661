import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { historyArb, OFFSET_ZONES } from '../domain/testing/arbitraries.js';
import { formatInstant, parseInstant } from '../domain/time.js';
import { sameEvent } from './sameEvent.js';

const anEvent = historyArb().chain((h) => fc.constantFrom(...h.events));

describe('sameEvent', () => {
  it('is reflexive and ignores eventId', () => {
    fc.assert(
      fc.property(anEvent, fc.uuid(), fc.uuid(), (event, a, b) =>
        sameEvent({ ...event, eventId: a }, { ...event, eventId: b }),
      ),
    );
  });

  it('compares occurredAt as an instant, whatever offset it is written in', () => {
    fc.assert(
      fc.property(anEvent, fc.constantFrom(...OFFSET_ZONES), (event, zone) => {
        const moved = { ...event, occurredAt: formatInstant(parseInstant(event.occurredAt), zone) };
        return sameEvent(event, moved) && sameEvent(moved, event);
      }),
    );
  });

  it('tells apart events that differ in any other field, present or absent, symmetrically', () => {
    fc.assert(
      fc.property(anEvent, fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), (event, key, value) => {
        fc.pre(key !== 'eventId' && key !== 'occurredAt');
        const body = event as unknown as Record<string, unknown>;
        fc.pre(JSON.stringify(body[key]) !== JSON.stringify(value));
        const changed = { ...body, [key]: value };
        return !sameEvent(body, changed) && !sameEvent(changed, body);
      }),
    );
  });

  it('treats a field set to undefined as absent, and a different instant as a different event', () => {
    const base = { type: 'CaseEscalated', caseId: 'A', occurredAt: '2025-09-22T09:30:00+08:00', level: 'reminder' };
    expect(sameEvent(base, { ...base, note: undefined })).toBe(true);
    expect(sameEvent(base, { ...base, occurredAt: '2025-09-22T01:30:00Z' })).toBe(true);
    expect(sameEvent(base, { ...base, occurredAt: '2025-09-22T09:30:01+08:00' })).toBe(false);
    expect(sameEvent(base, { ...base, type: 'CaseCompleted' })).toBe(false);
  });
});
