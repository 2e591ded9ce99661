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
