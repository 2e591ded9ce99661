import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialCaseState } from '../../src/domain/evolve.js';
import { CaseWriteCache } from '../../src/write/writeCache.js';

const at = (caseId: string, revision: number) => ({
  state: { ...initialCaseState(caseId), revision },
  eventIds: new Set<string>(),
});

describe('CaseWriteCache', () => {
  it('evicts the least recently used case beyond its capacity', () => {
    const cache = new CaseWriteCache(2);
    cache.set('a', at('a', 0));
    cache.set('b', at('b', 0));
    cache.get('a');
    cache.set('c', at('c', 0));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.state.revision).toBe(0);
    expect(cache.get('c')?.state.revision).toBe(0);
    expect(cache.size).toBe(2);
  });

  it('keeps the newer revision of a case when an older read arrives late', () => {
    const cache = new CaseWriteCache(10);
    cache.set('a', at('a', 3));
    cache.set('a', at('a', 2));
    expect(cache.get('a')?.state.revision).toBe(3);
    cache.set('a', at('a', 4));
    expect(cache.get('a')?.state.revision).toBe(4);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds nothing with capacity 0', () => {
    const cache = new CaseWriteCache(0);
    cache.set('a', at('a', 0));
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('CaseWriteCache bounded by events', () => {
  it('evicts the least recently used cases while the events they hold exceed the bound', () => {
    const cache = new CaseWriteCache(100, 10);
    cache.set('a', at('a', 3)); // 4 events
    cache.set('b', at('b', 3)); // 8
    cache.get('a');
    cache.set('c', at('c', 2)); // 11 > 10: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.events).toBe(7);
    cache.set('a', at('a', 8)); // a grows to 9 events: 12 > 10, c goes
    expect(cache.get('c')).toBeUndefined();
    expect(cache.events).toBe(9);
    cache.delete('a');
    expect(cache.events).toBe(0);
  });

  it('never holds more events than its bound, whatever is set (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: -1, max: 60 }), fc.boolean())),
        (maxEvents, steps) => {
          const cache = new CaseWriteCache(3, maxEvents);
          for (const [caseId, revision, remove] of steps) {
            if (remove) cache.delete(caseId);
            else cache.set(caseId, at(caseId, revision));
            if (cache.events > maxEvents || cache.size > 3) return false;
          }
          const held = ['a', 'b', 'c', 'd', 'e'].map((c) => cache.get(c)).filter((e) => e !== undefined);
          return held.length === cache.size && held.reduce((n, e) => n + e.state.revision + 1, 0) === cache.events;
        },
      ),
    );
  });
});
