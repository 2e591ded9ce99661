/**
 * The pause pool (pausePool.ts): every row reads back the pauses it stored,
 * equal and with their fields in evolve's order (ids and notes as one-byte
 * codes, past the 254 shared ones too), through releases and the repacks they
 * cause.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAUSE_REASONS } from '../domain/lists.js';
import type { PauseState } from '../domain/types.js';
import { PausePool } from './pausePool.js';

const offsetArb = fc.oneof(
  fc.integer({ min: 0, max: 30 * 86_400_000 }),
  fc.constantFrom(-1, 0xfffffffd, 0xfffffffe, 0.5),
  fc.integer({ min: -1e10, max: 1e10 }),
);

const pauseArb: fc.Arbitrary<PauseState> = fc
  .record({
    pauseId: fc.oneof(
      fc.constantFrom('p1', 'p2', 'p3'),
      fc.nat(600).map((n) => `pause-${n}`),
    ),
    reason: fc.constantFrom(...PAUSE_REASONS),
    pausedAt: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
    declaredDays: fc.option(fc.oneof(fc.nat(30), fc.constantFrom(0.5, 2 ** 32, -1)), { nil: undefined }),
    note: fc.option(
      fc.oneof(
        fc.constantFrom('补正材料', '现场勘验'),
        fc.nat(600).map((n) => `note ${n}`),
      ),
      {
        nil: undefined,
      },
    ),
    // offsets from the start: within weeks (kept as offsets), before it, past 49 days, fractions (kept aside)
    recordedAt: fc.option(offsetArb, { nil: undefined }),
    resumedAt: fc.option(offsetArb, { nil: undefined }),
  })
  .map((p) => ({
    ...p,
    recordedAt: p.recordedAt === undefined ? undefined : p.pausedAt + p.recordedAt,
    resumedAt: p.resumedAt === undefined ? undefined : p.pausedAt + p.resumedAt,
  }))
  .map((p) => {
    // evolve's field order, with absent fields left out
    const out: Record<string, unknown> = { pauseId: p.pauseId, reason: p.reason, pausedAt: p.pausedAt };
    if (p.declaredDays !== undefined) out['declaredDays'] = p.declaredDays;
    if (p.note !== undefined) out['note'] = p.note;
    if (p.recordedAt !== undefined) out['recordedAt'] = p.recordedAt;
    if (p.resumedAt !== undefined) out['resumedAt'] = p.resumedAt;
    return out as unknown as PauseState;
  });

describe('pause pool', () => {
  it('law: rows read back their pauses (same fields, same order) through releases and repacks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.array(pauseArb, { minLength: 1, maxLength: 4 }), fc.nat(10_000)), {
          minLength: 200,
          maxLength: 1500,
        }),
        (ops) => {
          const pool = new PausePool(8); // repacks often
          const at = new Int32Array(ops.length);
          const count = new Uint8Array(ops.length);
          const model = new Map<number, readonly PauseState[]>();
          let rows = 0;
          const inUse = () => ({ rows, at, count });
          for (const op of ops) {
            if (Array.isArray(op)) {
              const row = rows++;
              at[row] = pool.add(op, inUse());
              count[row] = op.length;
              model.set(row, op);
            } else if (model.size > 0) {
              const row = [...model.keys()][op % model.size]!;
              pool.release(count[row]!);
              count[row] = 0;
              model.delete(row);
            }
          }
          for (const [row, pauses] of model) {
            const read = pool.read(at[row]!, count[row]!);
            expect(read).toStrictEqual(pauses);
            expect(JSON.stringify(read)).toBe(JSON.stringify(pauses));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('repacks once enough slots are free, rows keeping their pauses', () => {
    const pool = new PausePool();
    const n = 3000;
    const at = new Int32Array(n);
    const count = new Uint8Array(n);
    const pauses = (row: number): PauseState[] => [
      {
        pauseId: `p${row % 3}`,
        reason: PAUSE_REASONS[row % PAUSE_REASONS.length]!,
        pausedAt: row,
        note: `note ${row}`,
      },
    ];
    for (let row = 0; row < n; row++) {
      at[row] = pool.add(pauses(row), { rows: row, at, count });
      count[row] = 1;
      if (row % 3 !== 0) {
        pool.release(1);
        count[row] = 0;
      }
    }
    expect((pool as unknown as { used: number }).used).toBeLessThan(n); // repacked: freed slots dropped
    for (let row = 0; row < n; row += 3) expect(pool.read(at[row]!, 1)).toStrictEqual(pauses(row));
  });
});
