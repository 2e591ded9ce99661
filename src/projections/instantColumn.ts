/**
 * A column of instants kept as 4-byte offsets from another instant of the same
 * row (issue 18, goal 1: bytes per completed case): a case's completion, last
 * event, deadline and rating fall within weeks of its acceptance, so an offset
 * in milliseconds fits a `Uint32Array` (up to ≈ 49 days) and halves the 8 bytes
 * of a `Float64Array`. NaN ("none") has its own code; any other value that is
 * not a whole offset in range (a longer case, a fraction, −0) is kept exactly
 * in a map beside the column. Every value reads back `Object.is`-equal.
 */
import { grown } from './pausePool.js';
import { columnOf, type Parts } from './snapshotRows.js';

/** Codes above the largest offset. */
const NONE = 0xffffffff;
const ASIDE = 0xfffffffe;
const MAX_OFFSET = 0xfffffffd;

export class InstantColumn {
  private offsets = new Uint32Array(0);
  /** The values that are not a whole offset in range, by row. */
  private readonly aside = new Map<number, number>();

  /** Make room for rows below `size`. */
  grow(size: number): void {
    // Checked here, where the column's type is known: `grown` sees every kind of typed array (a slower read of its length).
    if (size > this.offsets.length) this.offsets = grown(this.offsets, size);
  }

  /** Store `value` at `row` (below the room made), as an offset from `base` (an instant of the same row). */
  set(row: number, value: number, base: number): void {
    // A row kept aside is coded ASIDE (`clear` leaves the code): any other row has nothing in the map to drop.
    if (this.offsets[row] === ASIDE) this.aside.delete(row);
    if (Number.isNaN(value)) {
      this.offsets[row] = NONE;
      return;
    }
    const offset = value - base;
    if (
      Number.isInteger(offset) &&
      offset >= 0 &&
      offset <= MAX_OFFSET &&
      base + offset === value &&
      !Object.is(value, -0)
    ) {
      this.offsets[row] = offset;
      return;
    }
    this.offsets[row] = ASIDE;
    this.aside.set(row, value);
  }

  /** The value at `row`, given the same `base` it was stored with. */
  get(row: number, base: number): number {
    const offset = this.offsets[row]!;
    if (offset === NONE) return Number.NaN;
    if (offset === ASIDE) return this.aside.get(row)!;
    return base + offset;
  }

  /** Forget `row`'s value (it is released); a later `set` stores a new one. */
  clear(row: number): void {
    this.aside.delete(row);
  }

  /** A copy of rows below `rows`, for a snapshot (snapshotRows.ts). */
  exportParts(rows: number): Parts {
    return { offsets: this.offsets.slice(0, rows), ...asideArrays(this.aside) };
  }

  /** The column `exportParts(rows)` gave; RangeError naming what is wrong. */
  static fromParts(parts: Parts | undefined, rows: number): InstantColumn {
    const column = new InstantColumn();
    column.offsets = columnOf(parts, 'offsets', column.offsets, rows);
    const asideRows = columnOf(parts, 'asideRows', new Int32Array(0));
    const asideValues = columnOf(parts, 'asideValues', new Float64Array(0), asideRows.length);
    for (let k = 0; k < asideRows.length; k++) {
      const row = asideRows[k]!;
      if (row < 0 || row >= rows || column.offsets[row] !== ASIDE)
        throw new RangeError(`rows: an instant kept aside for row ${row}, which does not hold one`);
      column.aside.set(row, asideValues[k]!);
    }
    return column;
  }
}

/** The values a column keeps aside, as two arrays (rows, values) for a snapshot. */
export function asideArrays(aside: ReadonlyMap<number, number>): { asideRows: Int32Array; asideValues: Float64Array } {
  const asideRows = new Int32Array(aside.size);
  const asideValues = new Float64Array(aside.size);
  let k = 0;
  for (const [row, value] of aside) {
    asideRows[k] = row;
    asideValues[k++] = value;
  }
  return { asideRows, asideValues };
}
