/**
 * The rating comments of the completed-case rows (completedCases.ts), one byte
 * per row (issue 18, goal 1: bytes per completed case): a JS array of strings
 * costs an 8-byte slot per row although most rows have no comment and the
 * comments a center's rating system sends repeat a few set phrases. The first
 * 254 distinct comments get a code each (one string shared by every row using
 * it); any later distinct comment is kept as it is, by row, in a map beside the
 * column. Every comment reads back equal (`===`) to the one stored.
 */
import { grown } from './pausePool.js';

const NONE = 0;
const OTHER = 255;
const MAX_SHARED = OTHER - 1;

export class CommentCodes {
  private codes = new Uint8Array(0);
  /** Code k (1–254) is `shared[k − 1]`. */
  private readonly shared: string[] = [];
  private readonly codeOf = new Map<string, number>();
  /** Comments without a code, by row. */
  private readonly other = new Map<number, string>();

  /** Make room for rows below `size`. */
  grow(size: number): void {
    this.codes = grown(this.codes, size);
  }

  /** Store row `row`'s comment (undefined: none), in place of the one it held. */
  set(row: number, comment: string | undefined): void {
    if (this.codes[row] === OTHER) this.other.delete(row);
    if (comment === undefined) {
      this.codes[row] = NONE;
      return;
    }
    let code = this.codeOf.get(comment);
    if (code === undefined && this.shared.length < MAX_SHARED) {
      this.shared.push(comment);
      code = this.shared.length;
      this.codeOf.set(comment, code);
    }
    if (code !== undefined) {
      this.codes[row] = code;
      return;
    }
    this.codes[row] = OTHER;
    this.other.set(row, comment);
  }

  /** Row `row`'s comment, undefined when none. */
  get(row: number): string | undefined {
    const code = this.codes[row]!;
    if (code === NONE) return undefined;
    return code === OTHER ? this.other.get(row) : this.shared[code - 1];
  }
}
