import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DueQueue } from './priorityQueue.js';

interface Item {
  id: number;
  due: number | undefined;
}

describe('DueQueue (binary heap with lazy deletion)', () => {
  it('pops items in instant order and skips re-scheduled (stale) pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), fc.integer({ min: 0, max: 1000 })), { maxLength: 200 }), (ops) => {
        const items = Array.from({ length: 21 }, (_, id): Item => ({ id, due: undefined }));
        const q = new DueQueue<Item>((it) => it.due);
        for (const [id, at] of ops) {
          const item = items[id]!;
          item.due = at; // re-scheduling leaves the old pair stale
          q.push(at, item);
        }
        const expected = items.filter((i) => i.due !== undefined).map((i) => [i.due!, i.id] as const);
        const popped: Array<readonly [number, number]> = [];
        for (;;) {
          const item = q.popDue(Number.POSITIVE_INFINITY);
          if (item === undefined) break;
          popped.push([item.due!, item.id]);
          item.due = undefined;
        }
        expect(popped.map((p) => p[0])).toEqual([...expected.map((e) => e[0])].sort((a, b) => a - b));
        expect(new Set(popped.map((p) => p[1]))).toEqual(new Set(expected.map((e) => e[1])));
      }),
      { numRuns: 200 },
    );
  });

  it('popDue returns nothing before the earliest instant and peek reports it', () => {
    const a: Item = { id: 1, due: 50 };
    const b: Item = { id: 2, due: 20 };
    const q = new DueQueue<Item>((it) => it.due);
    q.push(50, a);
    q.push(20, b);
    expect(q.peek()).toBe(20);
    expect(q.popDue(19)).toBeUndefined();
    expect(q.popDue(20)).toBe(b);
    b.due = undefined;
    a.due = 70; // moved later: the 50 pair is stale
    q.push(70, a);
    expect(q.peek()).toBe(70);
    q.compact();
    expect(q.size).toBe(1);
  });
});
