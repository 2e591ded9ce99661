/**
 * Small trees of plain values (the rarer parts of a completed-case row:
 * escalations and their replies, extensions, late records, a 差评's follow-up)
 * kept as bytes in one pool, by row (issue 18, goal 1: bytes per completed
 * case). Held as the state's own arrays and objects, such a part costs
 * ≈ 350 bytes of heap a row (an object per escalation, reply and follow-up,
 * their arrays, boxed instants); as bytes ≈ 40–80, plus the row's entry in a
 * `Map` of row → offset.
 *
 * A tree is undefined, null, a boolean, a number, a string, an array without
 * holes or a plain object (own enumerable string keys, `Object.prototype`),
 * at most `MAX_DEPTH` deep (`encodable` says whether a value is one). It reads
 * back as fresh arrays and objects with the same keys in the same order and
 * the same values (`Object.is`: NaN and −0 kept). Strings repeated across rows
 * (escalation ids, who escalated, set phrases) are shared by a code, up to
 * `MAX_SHARED_STRINGS`; later distinct strings are written out.
 *
 * Over 300 lines: the byte encoder, its decoder and the pool's snapshot
 * export/import read and write one format and must change together.
 */
import { grown } from './pausePool.js';

export type Tree = undefined | null | boolean | number | string | readonly Tree[] | { readonly [k: string]: Tree };

const MAX_DEPTH = 8;
const MAX_SHARED_STRINGS = 65_536;

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
/** An integer 0–255 in one byte. */
const BYTE = 4;
const FLOAT = 5;
/** A shared string: its code follows. */
const SHARED = 6;
/** A string written out: its length, then its UTF-16 code units, two bytes each. */
const TEXT = 7;
const ARRAY = 8;
const OBJECT = 9;

/** Whether `value` is a tree this pool keeps exactly. */
export function encodable(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
    case 'string':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !encodable(value[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      if (Object.getOwnPropertySymbols(value).length > 0) return false;
      for (const k of Object.getOwnPropertyNames(value)) {
        if (k === '__proto__') return false;
        const d = Object.getOwnPropertyDescriptor(value, k)!;
        if (!d.enumerable || d.get !== undefined || d.set !== undefined) return false;
        if (!encodable(d.value, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** What `TreePool.copy` gives and `TreePool.fromCopy` takes. */
export interface TreePoolCopy {
  readonly rows: Int32Array;
  readonly starts: Int32Array;
  readonly bytes: Uint8Array;
  readonly shared: readonly string[];
}

const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);

export class TreePool {
  private bytes: Uint8Array = new Uint8Array(0);
  private used = 0;
  /** Bytes of released trees, dropped when the pool repacks. */
  private slack = 0;
  /** Per row holding a tree: where it starts (its byte length first). */
  private readonly at = new Map<number, number>();
  private readonly shared: string[] = [];
  private readonly codeOf = new Map<string, number>();
  /** Write position while encoding. */
  private w = 0;
  /** Read position while decoding, and where the tree being read ends. */
  private r = 0;
  private end = 0;

  /** `repackAbove`: released bytes tolerated before the pool repacks (small in tests). */
  constructor(private readonly repackAbove = 65_536) {}

  /** Rows holding a tree. */
  get size(): number {
    return this.at.size;
  }

  /** Keep `tree` (encodable) for `row`, in place of the one it held; undefined keeps none. */
  set(row: number, tree: Tree | undefined): void {
    this.delete(row);
    if (tree === undefined) return;
    if (this.slack > this.repackAbove && this.slack > this.used / 2) this.repack();
    const start = this.used;
    const body = start + 5; // room for the length, known once the tree is written
    this.w = body;
    this.write(tree);
    const end = this.w;
    this.w = start;
    this.writeCount(end - body);
    this.bytes.copyWithin(this.w, body, end);
    this.used = this.w + (end - body);
    this.at.set(row, start);
  }

  /** The tree of `row` (fresh arrays and objects), undefined when none. */
  get(row: number): Tree | undefined {
    const start = this.at.get(row);
    if (start === undefined) return undefined;
    this.r = start;
    this.end = this.used;
    const length = this.readCount();
    this.end = this.r + length;
    const tree = this.read(0);
    if (this.r !== this.end) throw new RangeError(`rows: the tree of row ${row} does not end where its length says`);
    return tree;
  }

  delete(row: number): void {
    const start = this.at.get(row);
    if (start === undefined) return;
    this.r = start;
    this.end = this.used;
    this.slack += this.readCount() + (this.r - start);
    this.at.delete(row);
  }

  private ensure(n: number): void {
    // Checked here, where the type is known: `grown` sees every kind of typed array (a slower read of its length).
    if (this.w + n > this.bytes.length) this.bytes = grown(this.bytes, this.w + n);
  }

  private writeCount(n: number): void {
    this.ensure(5);
    while (n >= 0x80) {
      this.bytes[this.w++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.bytes[this.w++] = n;
  }

  private writeString(s: string): void {
    let code = this.codeOf.get(s);
    if (code === undefined && this.shared.length < MAX_SHARED_STRINGS) {
      code = this.shared.length;
      this.shared.push(s);
      this.codeOf.set(s, code);
    }
    this.ensure(1);
    if (code !== undefined) {
      this.bytes[this.w++] = SHARED;
      this.writeCount(code);
      return;
    }
    this.bytes[this.w++] = TEXT;
    this.writeCount(s.length);
    this.ensure(2 * s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.bytes[this.w++] = c & 0xff;
      this.bytes[this.w++] = c >>> 8;
    }
  }

  private write(v: Tree): void {
    this.ensure(9);
    if (v === undefined) this.bytes[this.w++] = UNDEFINED;
    else if (v === null) this.bytes[this.w++] = NULL;
    else if (v === false) this.bytes[this.w++] = FALSE;
    else if (v === true) this.bytes[this.w++] = TRUE;
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= 0 && v <= 0xff && !Object.is(v, -0)) {
        this.bytes[this.w++] = BYTE;
        this.bytes[this.w++] = v;
      } else {
        this.bytes[this.w++] = FLOAT;
        scratch[0] = v;
        this.bytes.set(scratchBytes, this.w);
        this.w += 8;
      }
    } else if (typeof v === 'string') this.writeString(v);
    else if (Array.isArray(v)) {
      this.bytes[this.w++] = ARRAY;
      this.writeCount(v.length);
      for (const item of v as readonly Tree[]) this.write(item);
    } else {
      const o = v as { readonly [k: string]: Tree };
      const keys = Object.keys(o);
      this.bytes[this.w++] = OBJECT;
      this.writeCount(keys.length);
      for (const k of keys) {
        this.writeString(k);
        this.write(o[k]);
      }
    }
  }

  private byte(): number {
    if (this.r >= this.end) throw new RangeError('rows: a tree is cut short');
    return this.bytes[this.r++]!;
  }

  private readCount(): number {
    let n = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
    }
    throw new RangeError('rows: a count in a tree is too long');
  }

  private readString(tag: number): string {
    if (tag === SHARED) {
      const s = this.shared[this.readCount()];
      if (s === undefined) throw new RangeError('rows: a tree names a string it does not hold');
      return s;
    }
    if (tag !== TEXT) throw new RangeError(`rows: a tree has a key of tag ${tag}`);
    const n = this.readCount();
    if (this.r + 2 * n > this.end) throw new RangeError('rows: a tree is cut short');
    let s = '';
    for (let i = 0; i < n; i++, this.r += 2)
      s += String.fromCharCode(this.bytes[this.r]! | (this.bytes[this.r + 1]! << 8));
    return s;
  }

  private read(depth: number): Tree {
    if (depth > MAX_DEPTH) throw new RangeError('rows: a tree is too deep');
    const tag = this.byte();
    switch (tag) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case BYTE:
        return this.byte();
      case FLOAT: {
        if (this.r + 8 > this.end) throw new RangeError('rows: a tree is cut short');
        scratchBytes.set(this.bytes.subarray(this.r, this.r + 8));
        this.r += 8;
        return scratch[0]!;
      }
      case SHARED:
      case TEXT:
        return this.readString(tag);
      case ARRAY: {
        const n = this.readCount();
        if (n > this.end - this.r) throw new RangeError('rows: a tree is cut short');
        const out: Tree[] = [];
        for (let i = 0; i < n; i++) out.push(this.read(depth + 1));
        return out;
      }
      case OBJECT: {
        const n = this.readCount();
        if (n > this.end - this.r) throw new RangeError('rows: a tree is cut short');
        const out: Record<string, Tree> = {};
        for (let i = 0; i < n; i++) {
          const k = this.readString(this.byte());
          if (Object.hasOwn(out, k) || k === '__proto__') throw new RangeError(`rows: a tree repeats the key ${k}`);
          out[k] = this.read(depth + 1);
        }
        return out;
      }
      default:
        throw new RangeError(`rows: a tree has tag ${tag}`);
    }
  }

  /** A copy of the pool (for a snapshot): the rows holding a tree, where each starts, the bytes, the shared strings. */
  copy(): TreePoolCopy {
    const rows = new Int32Array(this.at.size);
    const starts = new Int32Array(this.at.size);
    let k = 0;
    for (const [row, start] of this.at) {
      rows[k] = row;
      starts[k++] = start;
    }
    return { rows, starts, bytes: this.bytes.slice(0, this.used), shared: [...this.shared] };
  }

  /** The pool `copy` gave, every tree read once to check it (rows below `rowLimit`); RangeError naming what is wrong. */
  static fromCopy(copy: TreePoolCopy, rowLimit: number): TreePool {
    const pool = new TreePool();
    if (copy.rows.length !== copy.starts.length) throw new RangeError('rows: tree rows and starts differ in number');
    if (copy.shared.length > MAX_SHARED_STRINGS) throw new RangeError('rows: more shared tree strings than codes');
    for (const s of copy.shared) {
      if (typeof s !== 'string' || pool.codeOf.has(s)) throw new RangeError('rows: a shared tree string is not one');
      pool.codeOf.set(s, pool.shared.length);
      pool.shared.push(s);
    }
    pool.bytes = copy.bytes;
    pool.used = copy.bytes.length;
    let live = 0;
    copy.rows.forEach((row, k) => {
      const start = copy.starts[k]!;
      if (row < 0 || row >= rowLimit || pool.at.has(row) || start < 0 || start >= pool.used)
        throw new RangeError(`rows: tree ${k} is not a row's`);
      pool.at.set(row, start);
      pool.get(row);
      live += pool.r - start;
    });
    if (live > pool.used) throw new RangeError('rows: trees overlap');
    pool.slack = pool.used - live;
    return pool;
  }

  /** Move every row's tree to the front, dropping released ones. */
  private repack(): void {
    const bytes = new Uint8Array(Math.max(1024, this.used - this.slack));
    let used = 0;
    for (const [row, start] of this.at) {
      this.r = start;
      this.end = this.used;
      const n = this.readCount() + (this.r - start);
      bytes.set(this.bytes.subarray(start, start + n), used);
      this.at.set(row, used);
      used += n;
    }
    this.bytes = bytes;
    this.used = used;
    this.slack = 0;
  }
}
