/**
 * The pauses of the completed-case rows (completedCases.ts), one slot per
 * pause in typed arrays; a released row's slots stay until enough of them are
 * free to repack. Fields are rebuilt in evolve's order.
 */
import { PAUSE_REASONS } from '../domain/lists.js';
import type { PauseState } from '../domain/types.js';
import { StringCodes } from './stringCodes.js';
import { countOf, exportColumns, field, importColumns, listOf, type Parts } from './snapshotRows.js';

/** The pool's typed arrays, by field name: a snapshot copies these (snapshotRows.ts). */
const POOL_COLUMNS = ['pausedAt', 'resumedAt', 'recordedAt', 'declaredDays', 'reason'] as const;

const REASON_INDEX: ReadonlyMap<string, number> = new Map(PAUSE_REASONS.map((r, i) => [r, i]));

/**
 * `a`, or a copy at least `size` long, growing by an eighth: the columns of a
 * province-year hold millions of rows, and doubling would leave up to half of
 * them unused (4.24 M rows in 8.39 M) where an eighth leaves at most a ninth
 * (the copies cost ≈ 8 passes over a column in all, and a column is copied
 * alone, so the moment of growth holds one column twice, not all).
 */
export function grown<T extends Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array>(
  a: T,
  size: number,
): T {
  if (size <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length + (a.length >> 3)));
  next.set(a);
  return next;
}

export interface RowsWithPauses {
  readonly rows: number;
  /** Per row, where its pauses start in the pool (rewritten by a repack). */
  readonly at: Int32Array;
  readonly count: Uint8Array;
}

/** The pauses of every row, one slot per pause; a released row's slots stay until enough are free to repack. */
export class PausePool {
  private used = 0;
  private slack = 0;
  private pausedAt = new Float64Array(0);
  private resumedAt = new Float64Array(0);
  private recordedAt = new Float64Array(0);
  private declaredDays = new Float64Array(0);
  private reason = new Uint8Array(0);
  /** Pause ids and notes are mostly a few labels and set phrases (`p1`, …): a byte each (stringCodes.ts). */
  private ids = new StringCodes();
  private notes = new StringCodes();

  /** `repackAbove`: free slots tolerated before the pool repacks (small in tests). */
  constructor(private readonly repackAbove = 1024) {}

  /** Store `pauses`; where they start. */
  add(pauses: readonly PauseState[], rows: RowsWithPauses): number {
    if (this.slack > this.repackAbove && this.slack > this.used / 2) this.repack(rows);
    const at = this.used;
    const size = at + pauses.length;
    this.pausedAt = grown(this.pausedAt, size);
    this.resumedAt = grown(this.resumedAt, size);
    this.recordedAt = grown(this.recordedAt, size);
    this.declaredDays = grown(this.declaredDays, size);
    this.reason = grown(this.reason, size);
    this.ids.grow(size);
    this.notes.grow(size);
    pauses.forEach((p, k) => {
      const i = at + k;
      this.pausedAt[i] = p.pausedAt;
      this.resumedAt[i] = p.resumedAt ?? Number.NaN;
      this.recordedAt[i] = p.recordedAt ?? Number.NaN;
      this.declaredDays[i] = p.declaredDays ?? Number.NaN;
      this.reason[i] = REASON_INDEX.get(p.reason)!;
      this.ids.set(i, p.pauseId);
      this.notes.set(i, p.note);
    });
    this.used = size;
    return at;
  }

  /** The `count` pauses from `at`, rebuilt with their fields in evolve's order. */
  read(at: number, count: number): PauseState[] {
    const out: PauseState[] = [];
    for (let i = at; i < at + count; i++) {
      const p: Record<string, unknown> = {
        pauseId: this.ids.get(i),
        reason: PAUSE_REASONS[this.reason[i]!],
        pausedAt: this.pausedAt[i],
      };
      const declaredDays = this.declaredDays[i]!;
      if (!Number.isNaN(declaredDays)) p['declaredDays'] = declaredDays;
      const note = this.notes.get(i);
      if (note !== undefined) p['note'] = note;
      const recordedAt = this.recordedAt[i]!;
      if (!Number.isNaN(recordedAt)) p['recordedAt'] = recordedAt;
      const resumedAt = this.resumedAt[i]!;
      if (!Number.isNaN(resumedAt)) p['resumedAt'] = resumedAt;
      out.push(p as unknown as PauseState);
    }
    return out;
  }

  /** A copy of the pool, for a snapshot (snapshotRows.ts). */
  exportParts(): Parts {
    const n = this.used;
    return {
      used: n,
      slack: this.slack,
      columns: exportColumns(this, POOL_COLUMNS, n),
      ids: this.ids.exportParts(n),
      notes: this.notes.exportParts(n),
    };
  }

  /** The pool `exportParts` gave; RangeError naming what is wrong. */
  static fromParts(parts: Parts | undefined): PausePool {
    const pool = new PausePool();
    const n = countOf(parts, 'used');
    pool.used = n;
    pool.slack = countOf(parts, 'slack');
    importColumns(pool, field(parts, 'columns'), POOL_COLUMNS, n);
    for (let i = 0; i < n; i++)
      if (pool.reason[i]! >= PAUSE_REASONS.length) throw new RangeError(`rows: pause ${i} has no reason`);
    pool.ids = StringCodes.fromParts(field(parts, 'ids'), n);
    pool.notes = StringCodes.fromParts(field(parts, 'notes'), n);
    for (let i = 0; i < n; i++) if (pool.ids.get(i) === undefined) throw new RangeError(`rows: pause ${i} has no id`);
    return pool;
  }

  /** `count` slots of a released row are free. */
  release(count: number): void {
    this.slack += count;
  }

  /** Move every row's pauses to the front, dropping the free slots. */
  private repack(rows: RowsWithPauses): void {
    const pausedAt = new Float64Array(Math.max(16, this.used - this.slack));
    const resumedAt = new Float64Array(pausedAt.length);
    const recordedAt = new Float64Array(pausedAt.length);
    const declaredDays = new Float64Array(pausedAt.length);
    const reason = new Uint8Array(pausedAt.length);
    const ids = new StringCodes();
    const notes = new StringCodes();
    ids.grow(pausedAt.length);
    notes.grow(pausedAt.length);
    let used = 0;
    for (let row = 0; row < rows.rows; row++) {
      const n = rows.count[row]!;
      if (n === 0) continue;
      const from = rows.at[row]!;
      for (let k = 0; k < n; k++) {
        pausedAt[used + k] = this.pausedAt[from + k]!;
        resumedAt[used + k] = this.resumedAt[from + k]!;
        recordedAt[used + k] = this.recordedAt[from + k]!;
        declaredDays[used + k] = this.declaredDays[from + k]!;
        reason[used + k] = this.reason[from + k]!;
        ids.set(used + k, this.ids.get(from + k));
        notes.set(used + k, this.notes.get(from + k));
      }
      rows.at[row] = used;
      used += n;
    }
    this.pausedAt = pausedAt;
    this.resumedAt = resumedAt;
    this.recordedAt = recordedAt;
    this.declaredDays = declaredDays;
    this.reason = reason;
    this.ids = ids;
    this.notes = notes;
    this.used = used;
    this.slack = 0;
  }
}
