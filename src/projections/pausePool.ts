/**
 * The pauses of the completed-case rows (completedCases.ts), one slot per
 * pause in typed arrays; a released row's slots stay until enough of them are
 * free to repack. Fields are rebuilt in evolve's order. A pause takes 18 bytes:
 * its start in 6 (epochColumn.ts), its resumption and recording as 4-byte
 * offsets from its start and its declared days in 4 (instantColumn.ts: none,
 * and any value that is not a whole offset in range, coded or kept aside), its
 * reason, id and note in a byte each.
 */
import { PAUSE_REASONS } from '../domain/lists.js';
import type { PauseState } from '../domain/types.js';
import { EpochColumn } from './epochColumn.js';
import { InstantColumn } from './instantColumn.js';
import { StringCodes } from './stringCodes.js';
import { countOf, exportColumns, field, importColumns, type Parts } from './snapshotRows.js';

/** The pool's typed arrays, by field name: a snapshot copies these (snapshotRows.ts). */
const POOL_COLUMNS = ['reason'] as const;
/** Its columns of numbers kept as offsets (instantColumn.ts): `declaredDays` from 0, the others from `pausedAt`. */
const OFFSET_COLUMNS = ['resumedAt', 'recordedAt', 'declaredDays'] as const;

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
  private pausedAt = new EpochColumn();
  private resumedAt = new InstantColumn();
  private recordedAt = new InstantColumn();
  private declaredDays = new InstantColumn();
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
    // The columns grow together (each by an eighth of the same length): one has room when `reason` has.
    if (size > this.reason.length) {
      this.pausedAt.grow(size);
      this.resumedAt.grow(size);
      this.recordedAt.grow(size);
      this.declaredDays.grow(size);
      this.reason = grown(this.reason, size);
      this.ids.grow(size);
      this.notes.grow(size);
    }
    for (let k = 0; k < pauses.length; k++) {
      const p = pauses[k]!;
      const i = at + k;
      this.pausedAt.set(i, p.pausedAt);
      this.resumedAt.set(i, p.resumedAt ?? Number.NaN, p.pausedAt);
      this.recordedAt.set(i, p.recordedAt ?? Number.NaN, p.pausedAt);
      this.declaredDays.set(i, p.declaredDays ?? Number.NaN, 0);
      this.reason[i] = REASON_INDEX.get(p.reason)!;
      this.ids.set(i, p.pauseId);
      this.notes.set(i, p.note);
    }
    this.used = size;
    return at;
  }

  /** The `count` pauses from `at`, rebuilt with their fields in evolve's order. */
  read(at: number, count: number): PauseState[] {
    const out: PauseState[] = [];
    for (let i = at; i < at + count; i++) {
      const pausedAt = this.pausedAt.get(i);
      const p: Record<string, unknown> = {
        pauseId: this.ids.get(i),
        reason: PAUSE_REASONS[this.reason[i]!],
        pausedAt,
      };
      const declaredDays = this.declaredDays.get(i, 0);
      if (!Number.isNaN(declaredDays)) p['declaredDays'] = declaredDays;
      const note = this.notes.get(i);
      if (note !== undefined) p['note'] = note;
      const recordedAt = this.recordedAt.get(i, pausedAt);
      if (!Number.isNaN(recordedAt)) p['recordedAt'] = recordedAt;
      const resumedAt = this.resumedAt.get(i, pausedAt);
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
      pausedAt: this.pausedAt.copy(n) as unknown as Parts,
      offsets: Object.fromEntries(OFFSET_COLUMNS.map((name) => [name, this[name].exportParts(n)])),
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
    pool.pausedAt = EpochColumn.fromParts(field(parts, 'pausedAt'), n);
    const offsets = field(parts, 'offsets');
    for (const name of OFFSET_COLUMNS) pool[name] = InstantColumn.fromParts(field(offsets, name), n);
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
    const size = Math.max(16, this.used - this.slack);
    const pausedAt = new EpochColumn();
    const resumedAt = new InstantColumn();
    const recordedAt = new InstantColumn();
    const declaredDays = new InstantColumn();
    const reason = new Uint8Array(size);
    const ids = new StringCodes();
    const notes = new StringCodes();
    for (const column of [pausedAt, resumedAt, recordedAt, declaredDays, ids, notes]) column.grow(size);
    let used = 0;
    for (let row = 0; row < rows.rows; row++) {
      const n = rows.count[row]!;
      if (n === 0) continue;
      const from = rows.at[row]!;
      for (let k = 0; k < n; k++) {
        const at = this.pausedAt.get(from + k);
        pausedAt.set(used + k, at);
        resumedAt.set(used + k, this.resumedAt.get(from + k, at), at);
        recordedAt.set(used + k, this.recordedAt.get(from + k, at), at);
        declaredDays.set(used + k, this.declaredDays.get(from + k, 0), 0);
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
