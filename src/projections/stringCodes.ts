/**
 * Optional strings by row in one byte each (issue 18, goal 1: bytes per
 * completed case): the rows' rating comments and the pause pool's ids and
 * notes (completedCases.ts, pausePool.ts). A JS array of strings costs an
 * 8-byte slot per row, although most rows have no comment and the comments,
 * pause ids and notes a center's systems send repeat a few set phrases and
 * labels. The first 254 distinct strings get a code each (one string shared by
 * every row using it); any later distinct string is kept as it is, by row, in a
 * map beside the column. Every string reads back equal (`===`) to the one
 * stored.
 */
import { grown } from './pausePool.js';
import { columnOf, listOf, type Parts } from './snapshotRows.js';

const NONE = 0;
const OTHER = 255;
const MAX_SHARED = OTHER - 1;

export class StringCodes {
  private codes = new Uint8Array(0);
  /** Code k (1–254) is `shared[k − 1]`. */
  private readonly shared: string[] = [];
  private readonly codeOf = new Map<string, number>();
  /** Strings without a code, by row. */
  private readonly other = new Map<number, string>();

  /** Make room for rows below `size`. */
  grow(size: number): void {
    this.codes = grown(this.codes, size);
  }

  /** Store row `row`'s string (undefined: none), in place of the one it held. */
  set(row: number, value: string | undefined): void {
    if (this.codes[row] === OTHER) this.other.delete(row);
    if (value === undefined) {
      this.codes[row] = NONE;
      return;
    }
    let code = this.codeOf.get(value);
    if (code === undefined && this.shared.length < MAX_SHARED) {
      this.shared.push(value);
      code = this.shared.length;
      this.codeOf.set(value, code);
    }
    if (code !== undefined) {
      this.codes[row] = code;
      return;
    }
    this.codes[row] = OTHER;
    this.other.set(row, value);
  }

  /** Row `row`'s string, undefined when none. */
  get(row: number): string | undefined {
    const code = this.codes[row]!;
    if (code === NONE) return undefined;
    return code === OTHER ? this.other.get(row) : this.shared[code - 1];
  }

  /** A copy of rows below `rows`, for a snapshot (snapshotRows.ts): the codes as bytes, the strings once. */
  exportParts(rows: number): Parts {
    const otherRows: number[] = [];
    const otherTexts: string[] = [];
    for (const [row, text] of this.other)
      if (row < rows) {
        otherRows.push(row);
        otherTexts.push(text);
      }
    return {
      codes: this.codes.slice(0, rows),
      shared: [...this.shared],
      otherRows: Int32Array.from(otherRows),
      otherTexts,
    };
  }

  /** The strings `exportParts(rows)` gave; RangeError naming what is wrong. */
  static fromParts(parts: Parts | undefined, rows: number): StringCodes {
    const c = new StringCodes();
    c.codes = columnOf(parts, 'codes', c.codes, rows);
    for (const text of listOf(parts, 'shared')) {
      if (typeof text !== 'string' || c.codeOf.has(text) || c.shared.length === MAX_SHARED)
        throw new RangeError('rows: a shared string is not one');
      c.shared.push(text);
      c.codeOf.set(text, c.shared.length);
    }
    const otherRows = columnOf(parts, 'otherRows', new Int32Array(0));
    const otherTexts = listOf(parts, 'otherTexts');
    if (otherTexts.length !== otherRows.length) throw new RangeError('rows: strings and their rows differ');
    for (let k = 0; k < otherRows.length; k++) {
      const row = otherRows[k]!;
      const text = otherTexts[k];
      if (row < 0 || row >= rows || c.codes[row] !== OTHER || typeof text !== 'string')
        throw new RangeError(`rows: string ${k} is not a row's`);
      c.other.set(row, text);
    }
    for (let row = 0; row < rows; row++) {
      const code = c.codes[row]!;
      if (code !== NONE && code !== OTHER && code > c.shared.length)
        throw new RangeError(`rows: row ${row} has no string`);
      if (code === OTHER && !c.other.has(row)) throw new RangeError(`rows: row ${row} has no string`);
    }
    return c;
  }
}
