/**
 * A column of instants in 6 bytes a row instead of a `Float64Array`'s 8
 * (issue 18, goal 1: bytes per completed case): a whole number of milliseconds
 * in [0, 2⁴⁸ − 2¹⁶) — every instant from 1970 to the year 10889 — is split
 * into its high 32 bits and low 16 bits. Any other value (a fraction, a
 * negative instant, −0, NaN) is kept exactly in a map beside the column.
 * Every value reads back `Object.is`-equal.
 */
import { asideArrays } from './instantColumn.js';
import { grown } from './pausePool.js';
import { columnOf, type Parts } from './snapshotRows.js';

const LOW = 0x10000;
/** The high part that says "kept aside" (above any instant held in the column). */
const ASIDE = 0xffffffff;
const LIMIT = ASIDE * LOW;

/** What `EpochColumn.copy` gives and `EpochColumn.fromCopy` takes. */
export interface EpochColumnCopy {
  readonly high: Uint32Array;
  readonly low: Uint16Array;
  readonly asideRows: Int32Array;
  readonly asideValues: Float64Array;
}

export class EpochColumn {
  private high: Uint32Array = new Uint32Array(0);
  private low: Uint16Array = new Uint16Array(0);
  private readonly aside = new Map<number, number>();

  /** Make room for rows below `size`. */
  grow(size: number): void {
    this.high = grown(this.high, size);
    this.low = grown(this.low, size);
  }

  /** Store `value` at `row` (below the room made), in place of the one it held. */
  set(row: number, value: number): void {
    // A row kept aside is coded ASIDE (`clear` leaves the code): any other row has nothing in the map to drop.
    if (this.high[row] === ASIDE) this.aside.delete(row);
    if (Number.isInteger(value) && value >= 0 && value < LIMIT && !Object.is(value, -0)) {
      const high = Math.floor(value / LOW);
      this.high[row] = high;
      this.low[row] = value - high * LOW;
      return;
    }
    this.high[row] = ASIDE;
    this.aside.set(row, value);
  }

  get(row: number): number {
    const high = this.high[row]!;
    return high === ASIDE ? this.aside.get(row)! : high * LOW + this.low[row]!;
  }

  /** Forget `row`'s value (it is released); a later `set` stores a new one. */
  clear(row: number): void {
    this.aside.delete(row);
  }

  /** A copy of rows below `rows` (for a snapshot). */
  copy(rows: number): EpochColumnCopy {
    return { high: this.high.slice(0, rows), low: this.low.slice(0, rows), ...asideArrays(this.aside) };
  }

  /** The column `copy(rows)` gave, read from a snapshot's parts; RangeError naming what is wrong. */
  static fromParts(parts: Parts | undefined, rows: number): EpochColumn {
    return EpochColumn.fromCopy(
      {
        high: columnOf(parts, 'high', new Uint32Array(0)),
        low: columnOf(parts, 'low', new Uint16Array(0)),
        asideRows: columnOf(parts, 'asideRows', new Int32Array(0)),
        asideValues: columnOf(parts, 'asideValues', new Float64Array(0)),
      },
      rows,
    );
  }

  /** The column `copy(rows)` gave; RangeError naming what is wrong. */
  static fromCopy(copy: EpochColumnCopy, rows: number): EpochColumn {
    const column = new EpochColumn();
    if (copy.high.length !== rows || copy.low.length !== rows)
      throw new RangeError(
        `rows: an instant column has ${copy.high.length} and ${copy.low.length} values, expected ${rows}`,
      );
    if (copy.asideRows.length !== copy.asideValues.length)
      throw new RangeError('rows: instants kept aside and their rows differ');
    column.high = copy.high;
    column.low = copy.low;
    copy.asideRows.forEach((row, k) => {
      if (row < 0 || row >= rows || column.high[row] !== ASIDE)
        throw new RangeError(`rows: an instant kept aside for row ${row}, which does not hold one`);
      column.aside.set(row, copy.asideValues[k]!);
    });
    return column;
  }
}
