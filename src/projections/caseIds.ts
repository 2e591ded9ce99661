/**
 * The case ids the case fold has seen, each given a slot number in the order
 * first seen (issue 18, goal 1: bytes per completed case). A `Map` keyed by
 * the id strings costs ≈ 50–90 bytes a case (its entry, and the string, which
 * the event decoder or a generator may have built as a concatenation); here an
 * id is packed in one pool of 4-bit codes (ids being codes like
 * `WH-20250922-00017`: a digit or a separator in one code, any other character
 * up to U+00FF in three), where it starts is kept per slot (its length is the
 * next slot's start minus its own), and an open-addressing hash table of
 * `Int32Array` holds per entry the id's full 32-bit hash beside its slot.
 * A lookup of a held id touches three places (its entry, its start, its
 * codes) and a probe past another id compares 32 bits, so it almost never
 * decodes a wrong id: with millions of ids each place is a cache miss, and
 * fewer places is what made the fold faster (docs/scaling.md, session 8).
 * ≈ 26 bytes for a 17-character id. An id with a character above U+00FF
 * (none in practice) has no codes and is kept in a small `Map` beside it, so
 * every string works.
 *
 * Over 300 lines: the snapshot's export and import of the ids (and of their
 * hash table) read this layout, and must change with it.
 */
import { grown } from './pausePool.js';
import { columnOf, countOf, listOf, type Parts } from './snapshotRows.js';

/** The default room, in ids. Slots are never removed, so the table only grows (by a quarter, when three quarters full). */
const MIN_TABLE = 1024;

/** The characters with a 4-bit code of their own (the code is the index); code 15 is followed by the character's byte. */
const SYMBOLS = '0123456789-_./:';
const ESCAPE = 15;
/** Per character code below 256: its 4-bit code, or −1 when it is escaped. */
const CODE_OF = new Int8Array(256).fill(-1);
for (let i = 0; i < SYMBOLS.length; i++) CODE_OF[SYMBOLS.charCodeAt(i)] = i;
const SYMBOL_CHAR = Array.from(SYMBOLS, (c) => c.charCodeAt(0));

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the characters of `s`; −1 when one of them does not fit in a byte. Exported for tests. */
export function hashOf(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return -1;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h >>> 0;
}

/** Entries of a table that holds `count` ids at most three quarters full. */
function entriesFor(count: number): number {
  return Math.ceil((4 * count) / 3) + 1;
}

export class CaseIds {
  private count = 0;
  /** Per slot: where its codes start; `starts[count]` is the codes used (a wide slot has none: its length is 0). */
  private starts: Int32Array;
  /** The codes, two per byte (the even one in the low half). */
  private codes: Uint8Array;
  /**
   * Open addressing, linear probing from hash mod entries; entry i is
   * `table[2i]`, the id's hash (`| 0`), and `table[2i + 1]`, its slot + 1 (0
   * when free): one 8-byte entry, never across two cache lines.
   */
  private table: Int32Array;
  /** Ids with a character above U+00FF (in no entry), by slot, and their slots. */
  private readonly wideAt = new Map<number, string>();
  private readonly wideSlots = new Map<string, number>();
  /**
   * The id looked up last and its slot, −1 when not held: a fold asks for the
   * same case several times an event (a new case three times before it is added).
   */
  private lastId: string | undefined;
  private lastSlot = -1;

  /** `initial`: ids room is made for at first (small in tests, for collisions and growth). */
  constructor(initial = MIN_TABLE) {
    if (!Number.isInteger(initial) || initial < 1)
      throw new RangeError(`CaseIds: initial ${initial} is not a positive integer`);
    this.starts = new Int32Array(initial + 1);
    this.codes = new Uint8Array(12 * initial);
    this.table = new Int32Array(2 * entriesFor(initial));
  }

  /** Ids held (the next slot number). */
  get size(): number {
    return this.count;
  }

  /** The slot of `id`, −1 when not held. */
  slotOf(id: string): number {
    if (id === this.lastId) return this.lastSlot;
    const slot = this.find(id);
    this.lastId = id;
    this.lastSlot = slot;
    return slot;
  }

  private find(id: string): number {
    const hash = hashOf(id);
    if (hash < 0) return this.wideSlots.get(id) ?? -1;
    const table = this.table;
    const entries = table.length >> 1;
    const key = hash | 0;
    for (let i = hash % entries; ; i = i + 1 === entries ? 0 : i + 1) {
      const held = table[2 * i + 1]!;
      if (held === 0) return -1;
      if (table[2 * i] === key && this.holds(held - 1, id)) return held - 1;
    }
  }

  /** Add `id` (not held yet): its slot, the next number. */
  add(id: string): number {
    const slot = this.count++;
    this.lastId = id;
    this.lastSlot = slot;
    this.starts = grown(this.starts, slot + 2);
    const hash = hashOf(id);
    if (hash < 0) {
      this.starts[slot + 1] = this.starts[slot]!;
      this.wideAt.set(slot, id);
      this.wideSlots.set(id, slot);
      return slot;
    }
    let n = 0;
    for (let i = 0; i < id.length; i++) n += CODE_OF[id.charCodeAt(i)]! < 0 ? 3 : 1;
    const at = this.starts[slot]!;
    this.codes = grown(this.codes, (at + n + 1) >> 1);
    let k = at;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      const code = CODE_OF[c]!;
      if (code >= 0) this.put(k++, code);
      else {
        this.put(k++, ESCAPE);
        this.put(k++, c >> 4);
        this.put(k++, c & 15);
      }
    }
    this.starts[slot + 1] = k;
    if (4 * (slot + 1) > 3 * (this.table.length >> 1)) this.grow(entriesFor(Math.ceil((slot + 1) * 1.25)));
    this.place(slot, hash);
    return slot;
  }

  /** The id of `slot` (a fresh string for a narrow id). */
  idOf(slot: number): string {
    const at = this.starts[slot]!;
    const end = this.starts[slot + 1]!;
    if (at === end) return this.wideAt.get(slot) ?? '';
    const chars: number[] = [];
    for (let k = at; k < end; ) {
      const step = this.charAt(k);
      chars.push(step >> 2);
      k += step & 3;
    }
    return String.fromCharCode.apply(null, chars);
  }

  /** The character whose codes start at `k`, times 4, plus how many codes it takes (1, or 3 escaped). */
  private charAt(k: number): number {
    const code = this.codeAt(k);
    return code !== ESCAPE
      ? (SYMBOL_CHAR[code]! << 2) | 1
      : (((this.codeAt(k + 1) << 4) | this.codeAt(k + 2)) << 2) | 3;
  }

  private codeAt(k: number): number {
    return (this.codes[k >> 1]! >> ((k & 1) << 2)) & 15;
  }

  private put(k: number, code: number): void {
    const i = k >> 1;
    this.codes[i] = k & 1 ? (this.codes[i]! & 0x0f) | (code << 4) : code;
  }

  /** A copy of the ids and their hash table, for a snapshot (snapshotRows.ts). */
  exportParts(): Parts {
    const wideSlots = Int32Array.from(this.wideAt.keys()).sort();
    return {
      count: this.count,
      starts: this.starts.slice(0, this.count + 1),
      codes: this.codes.slice(0, (this.starts[this.count]! + 1) >> 1),
      wideSlots,
      wide: Array.from(wideSlots, (slot) => this.wideAt.get(slot)!),
      table: this.table.slice(),
    };
  }

  /** The ids `exportParts` gave, in the same slots; RangeError naming what is wrong. */
  static fromParts(parts: Parts | undefined): CaseIds {
    const count = countOf(parts, 'count');
    const ids = new CaseIds(Math.max(count, 1));
    ids.count = count;
    ids.starts = columnOf(parts, 'starts', ids.starts, count + 1);
    ids.codes = columnOf(parts, 'codes', ids.codes);
    if (ids.starts[0] !== 0) throw new RangeError('rows: the first id does not start at code 0');
    for (let slot = 0; slot < count; slot++)
      if (ids.starts[slot + 1]! < ids.starts[slot]!)
        throw new RangeError(`rows: id of slot ${slot} ends before it starts`);
    if (ids.starts[count]! > 2 * ids.codes.length) throw new RangeError('rows: id codes used beyond their bytes');
    const wideSlots = columnOf(parts, 'wideSlots', new Int32Array(0));
    const wide = listOf(parts, 'wide');
    if (wide.length !== wideSlots.length) throw new RangeError('rows: wide ids and their slots differ in number');
    wideSlots.forEach((slot, k) => {
      const id = wide[k];
      if (slot < 0 || slot >= count || ids.starts[slot] !== ids.starts[slot + 1] || ids.wideAt.has(slot))
        throw new RangeError(`rows: slot ${slot} of a wide id is not one`);
      if (typeof id !== 'string' || hashOf(id) >= 0 || ids.wideSlots.has(id))
        throw new RangeError(`rows: the wide id of slot ${slot} is not one`);
      ids.wideAt.set(slot, id);
      ids.wideSlots.set(id, slot);
    });
    for (let slot = 0; slot < count; slot++)
      if (!ids.decodes(slot)) throw new RangeError(`rows: id of slot ${slot} is cut short`);
    if (!ids.adoptTable(columnOf(parts, 'table', new Int32Array(0)))) ids.rehash(ids.table.length >> 1);
    return ids;
  }

  /**
   * Take a snapshot's hash table instead of rebuilding it (the rebuild hashes
   * every id: ≈ 0.8 s at 3.35 M ids), when it is a table of these ids: every
   * narrow slot once and nothing else, room left, and a sample of ids found
   * where `find` looks (their hashes too). Any other table (another hash
   * function, or damaged under a matching checksum) is not taken: the caller
   * rebuilds it.
   */
  private adoptTable(table: Int32Array): boolean {
    const entries = table.length >> 1;
    if (entries === 0 || table.length !== 2 * entries || 4 * this.count > 3 * entries) return false;
    const seen = new Uint8Array(this.count);
    let held = 0;
    for (let i = 1; i < table.length; i += 2) {
      const entry = table[i]!;
      if (entry === 0) continue;
      const slot = entry - 1;
      if (slot < 0 || slot >= this.count || seen[slot] === 1 || this.wideAt.has(slot)) return false;
      seen[slot] = 1;
      held++;
    }
    if (held !== this.count - this.wideAt.size) return false;
    const rebuilt = this.table;
    this.table = table;
    const step = Math.max(1, Math.floor(this.count / 4096));
    for (let slot = 0; slot < this.count; slot += step)
      if (!this.wideAt.has(slot) && this.find(this.idOf(slot)) !== slot) {
        this.table = rebuilt;
        return false;
      }
    return true;
  }

  /** Whether the codes of `slot` end on a whole character (an escape has its two codes). */
  private decodes(slot: number): boolean {
    let k = this.starts[slot]!;
    const end = this.starts[slot + 1]!;
    while (k < end) k += this.codeAt(k) === ESCAPE ? 3 : 1;
    return k === end;
  }

  /** Whether narrow `slot` holds `id` (a narrow one). */
  private holds(slot: number, id: string): boolean {
    const at = this.starts[slot]!;
    const end = this.starts[slot + 1]!;
    if (end - at < id.length) return false; // at least one code a character
    let i = 0;
    for (let k = at; k < end; i++) {
      if (i === id.length) return false;
      const step = this.charAt(k);
      k += step & 3;
      if (step >> 2 !== id.charCodeAt(i)) return false;
    }
    return i === id.length;
  }

  private place(slot: number, hash: number): void {
    const table = this.table;
    const entries = table.length >> 1;
    let i = hash % entries;
    while (table[2 * i + 1] !== 0) i = i + 1 === entries ? 0 : i + 1;
    table[2 * i] = hash;
    table[2 * i + 1] = slot + 1;
  }

  /** A larger table of the same entries: their hashes are kept, so no id is decoded. */
  private grow(entries: number): void {
    const old = this.table;
    this.table = new Int32Array(2 * entries);
    for (let i = 1; i < old.length; i += 2) if (old[i] !== 0) this.place(old[i]! - 1, old[i - 1]! >>> 0);
  }

  /** A table of `entries` built from the codes (a snapshot's table not taken). */
  private rehash(entries: number): void {
    this.table = new Int32Array(2 * entries);
    for (let slot = 0; slot < this.count; slot++) {
      if (this.wideAt.has(slot)) continue;
      const end = this.starts[slot + 1]!;
      let h = FNV_OFFSET; // hashOf, over the decoded characters
      for (let k = this.starts[slot]!; k < end; ) {
        const step = this.charAt(k);
        k += step & 3;
        h = Math.imul(h ^ (step >> 2), FNV_PRIME);
      }
      this.place(slot, h >>> 0);
    }
  }
}
