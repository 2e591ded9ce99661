import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PositionCache } from './positionCache.js';

describe('the position cache', () => {
  it('answers what it was told, forgetting only the least recently used beyond its capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom('s-1', 's-2', 's-10'), fc.integer({ min: 0, max: 5 })), {
          maxLength: 60,
        }),
        (capacity, steps) => {
          const cache = new PositionCache(capacity);
          const model: string[] = []; // keys, least recently used first
          const told = new Map<string, bigint>();
          steps.forEach(([isSet, stream, revision], n) => {
            const key = `${stream}@${revision}`;
            if (isSet) {
              cache.set(stream, BigInt(revision), BigInt(n));
              told.set(key, BigInt(n));
              const at = model.indexOf(key);
              if (at >= 0) model.splice(at, 1);
              model.push(key);
              if (model.length > capacity) model.shift();
            } else {
              const got = cache.get(stream, BigInt(revision));
              expect(got).toBe(model.includes(key) ? told.get(key) : undefined);
              if (model.includes(key)) {
                model.splice(model.indexOf(key), 1);
                model.push(key);
              }
            }
            expect(cache.size).toBe(model.length);
          });
        },
      ),
    );
  });
});
