import { describe, expect, it } from 'vitest';
import { mixSeed, Rng } from './prng.js';

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const draw = (...seed: number[]) => {
      const r = new Rng(...seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1, 2)).not.toEqual(draw(2, 1));
  });

  it('draws uniformly enough: mean ≈ 0.5, ints cover their range inclusively', () => {
    const r = new Rng(7);
    let sum = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      sum += r.next();
      seen.add(r.int(1, 6));
    }
    expect(sum / 20_000).toBeGreaterThan(0.49);
    expect(sum / 20_000).toBeLessThan(0.51);
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('makes well-formed UUIDs that do not repeat across 200,000 per-case streams', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200_000; i++) ids.add(new Rng(42, i % 8, 20_000 + (i >> 3), i).uuid());
    expect(ids.size).toBe(200_000);
    expect([...ids][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('picks by weight', () => {
    const r = new Rng(3);
    let a = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        r.weighted([
          ['a', 3],
          ['b', 1],
        ] as const) === 'a'
      )
        a++;
    expect(a / 10_000).toBeGreaterThan(0.72);
    expect(a / 10_000).toBeLessThan(0.78);
    expect(() => r.pick([])).toThrow(/empty/);
  });

  it('mixSeed spreads nearby inputs', () => {
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 2, 4));
    expect(mixSeed(0)).toBe(mixSeed(0));
  });
});
