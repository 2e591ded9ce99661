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
}
