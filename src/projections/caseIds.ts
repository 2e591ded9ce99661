/**
 * The case ids the case fold has seen, each given a slot number in the order
 * first seen (issue 18, goal 1: bytes per completed case). A `Map` keyed by
 * the id strings costs ≈ 50–90 bytes a case (its entry, and the string, which
 * the event decoder or a generator may have built as a concatenation); here an
 * id is packed in one pool of 4-bit codes (ids being codes like
 * `WH-20250922-00017`: a digit or a separator in one code, any other character
 * up to U+00FF in three), its length in codes in a byte (where it starts is
 * kept for every 16th slot and summed from the lengths for the others), and a
 * slot in an open-addressing hash table of `Int32Array`, beside a byte of
 * each entry's hash (its fingerprint, so that a probe past another id's entry
 * does not decode that id: most lookups of a new id probe several): ≈ 20 bytes
 * for a 17-character id. An id with a character above U+00FF (none in practice) is kept in a
 * small `Map` beside it, so every string works.
 *
 * Over 300 lines: the snapshot's export and import of the ids (and of their
 * hash table) read this layout, and must change with it.
 */
import { grown } from './pausePool.js';
import { columnOf, countOf, listOf, type Parts } from './snapshotRows.js';

/** The default room, in ids. Slots are never removed, so the table only grows (by a quarter, when three quarters full). */
const MIN_TABLE = 1024;
/** A slot's length byte when its length is in `unusual` (a wide id, or 255 codes and more). */
const UNUSUAL = 0xff;

/** The characters with a 4-bit code of their own (the code is the index); code 15 is followed by the character's byte. */
const SYMBOLS = '0123456789-_./:';
const ESCAPE = 15;
/** Per character code below 256: its 4-bit code, or −1 when it is escaped. */
const CODE_OF = new Int8Array(256).fill(-1);
for (let i = 0; i < SYMBOLS.length; i++) CODE_OF[SYMBOLS.charCodeAt(i)] = i;
const SYMBOL_CHAR = Array.from(SYMBOLS, (c) => c.charCodeAt(0));

/** 32-bit FNV-1a over the characters of `s`; −1 when one of them does not fit in a byte. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return -1;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

/** The byte of a hash kept beside its table entry: the top one (the entry's place comes from hash mod length). */
const fingerprintOf = (hash: number): number => hash >>> 24;

/** A table length that holds `count` ids at most three quarters full. */
function tableLengthFor(count: number): number {
  return Math.ceil((4 * count) / 3) + 1;
}

export class CaseIds {
  private count = 0;
  /** Per slot: its length in codes, or `UNUSUAL` (see `unusual`). The codes of the slots follow one another. */
  private lengths: Uint8Array;
  /** Per 16 slots: where the first one's codes start. */
  private blockStart: Int32Array;
  /** Slots whose length is `UNUSUAL`: their length in codes (≥ 255), or −1 − k for `wide[k]` (no codes). */
  private readonly unusual = new Map<number, number>();
  /** The codes, two per byte (the even one in the low half). */
  private codes: Uint8Array;
  private codesUsed = 0;
  /** Open addressing, linear probing from hash mod length: slot + 1, 0 when free. */
  private table: Int32Array;
  /** Per table entry: the top byte of its id's hash (fingerprintOf), compared before the id is. */
  private fingerprints: Uint8Array;
  /** Ids with a character above U+00FF, by slot, and their slots. */
  private readonly wide: string[] = [];
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
    this.lengths = new Uint8Array(initial);
    this.blockStart = new Int32Array((initial >> 4) + 1);
    this.codes = new Uint8Array(12 * initial);
    this.table = new Int32Array(tableLengthFor(initial));
    this.fingerprints = new Uint8Array(this.table.length);
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
    const length = this.table.length;
    const fingerprint = fingerprintOf(hash);
    for (let i = hash % length; ; i = i + 1 === length ? 0 : i + 1) {
      const held = this.table[i]!;
      if (held === 0) return -1;
      if (this.fingerprints[i] === fingerprint && this.holds(held - 1, id)) return held - 1;
    }
  }

  /** Add `id` (not held yet): its slot, the next number. */
  add(id: string): number {
    const slot = this.count++;
    this.lastId = id;
    this.lastSlot = slot;
    this.lengths = grown(this.lengths, slot + 1);
    if ((slot & 15) === 0) {
      this.blockStart = grown(this.blockStart, (slot >> 4) + 1);
      this.blockStart[slot >> 4] = this.codesUsed;
    }
    const hash = hashOf(id);
    if (hash < 0) {
      this.lengths[slot] = UNUSUAL;
      this.unusual.set(slot, -1 - this.wide.length);
      this.wide.push(id);
      this.wideSlots.set(id, slot);
      return slot;
    }
    let n = 0;
    for (let i = 0; i < id.length; i++) n += CODE_OF[id.charCodeAt(i)]! < 0 ? 3 : 1;
    const at = this.codesUsed;
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
    this.codesUsed = k;
    this.lengths[slot] = Math.min(n, UNUSUAL);
    if (n >= UNUSUAL) this.unusual.set(slot, n);
    if (4 * (slot + 1) > 3 * this.table.length) this.rehash(tableLengthFor(Math.ceil((slot + 1) * 1.25)));
    else this.place(slot, hash);
    return slot;
  }

  /** The id of `slot` (a fresh string for a narrow id). */
  idOf(slot: number): string {
    const n = this.lengthOf(slot);
    if (n < 0) return this.wide[-1 - n]!;
    const at = this.startOf(slot);
    const end = at + n;
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

  /** The length of `slot` in codes, or −1 − k for `wide[k]`. */
  private lengthOf(slot: number): number {
    const n = this.lengths[slot]!;
    return n < UNUSUAL ? n : this.unusual.get(slot)!;
  }

  /** Where the codes of `slot` start: its block's start and the lengths of the slots before it in the block. */
  private startOf(slot: number): number {
    let at = this.blockStart[slot >> 4]!;
    for (let s = slot & ~15; s < slot; s++) at += Math.max(0, this.lengthOf(s));
    return at;
  }

  /** A copy of the ids, for a snapshot (snapshotRows.ts); the block starts and the hash table are rebuilt on import. */
  exportParts(): Parts {
    return {
      count: this.count,
      lengths: this.lengths.slice(0, this.count),
      unusualSlots: Int32Array.from(this.unusual.keys()),
      unusualValues: Int32Array.from(this.unusual.values()),
      codesUsed: this.codesUsed,
      codes: this.codes.slice(0, (this.codesUsed + 1) >> 1),
      wide: [...this.wide],
      table: this.table.slice(),
      fingerprints: this.fingerprints.slice(),
    };
  }

  /** The ids `exportParts` gave, in the same slots; RangeError naming what is wrong. */
  static fromParts(parts: Parts | undefined): CaseIds {
    const count = countOf(parts, 'count');
    const ids = new CaseIds(Math.max(count, 1));
    ids.count = count;
    ids.lengths = columnOf(parts, 'lengths', ids.lengths, count);
    ids.codes = columnOf(parts, 'codes', ids.codes);
    ids.codesUsed = countOf(parts, 'codesUsed');
    if (ids.codesUsed > 2 * ids.codes.length) throw new RangeError('rows: id codes used beyond their bytes');
    const unusualSlots = columnOf(parts, 'unusualSlots', new Int32Array(0));
    const unusualValues = columnOf(parts, 'unusualValues', new Int32Array(0), unusualSlots.length);
    const wide = listOf(parts, 'wide');
    unusualSlots.forEach((slot, k) => {
      const value = unusualValues[k]!;
      if (
        slot < 0 ||
        slot >= count ||
        ids.lengths[slot] !== UNUSUAL ||
        ids.unusual.has(slot) ||
        (value >= 0 && value < UNUSUAL)
      )
        throw new RangeError(`rows: the unusual id length of slot ${slot} is not one`);
      ids.unusual.set(slot, value);
    });
    let end = 0;
    for (let slot = 0; slot < count; slot++) {
      if ((slot & 15) === 0) ids.blockStart[slot >> 4] = end;
      if (ids.lengths[slot] === UNUSUAL && !ids.unusual.has(slot))
        throw new RangeError(`rows: slot ${slot} has no length`);
      const n = ids.lengthOf(slot);
      if (n >= 0) end += n;
      else {
        const id = wide[-1 - n];
        if (typeof id !== 'string' || ids.wide.length !== -1 - n || hashOf(id) >= 0 || ids.wideSlots.has(id))
          throw new RangeError(`rows: wide id of slot ${slot} is not the next one`);
        ids.wide.push(id);
        ids.wideSlots.set(id, slot);
      }
    }
    if (end !== ids.codesUsed) throw new RangeError(`rows: ids take ${end} codes, ${ids.codesUsed} held`);
    if (ids.wide.length !== wide.length) throw new RangeError('rows: wide ids not all in a slot');
    for (let slot = 0; slot < count; slot++)
      if (ids.lengthOf(slot) >= 0 && !ids.decodes(slot)) throw new RangeError(`rows: id of slot ${slot} is cut short`);
    const table = columnOf(parts, 'table', new Int32Array(0));
    if (!ids.adoptTable(table, columnOf(parts, 'fingerprints', new Uint8Array(0), table.length)))
      ids.rehash(ids.table.length);
    return ids;
  }

  /**
   * Take a snapshot's hash table instead of rebuilding it (the rebuild hashes
   * every id: ≈ 0.8 s at 3.35 M ids), when it is a table of these ids: every
   * narrow slot once and nothing else, room left, and a sample of ids found
   * where `find` looks (their fingerprints too). Any other table (another hash
   * function, or damaged under a matching checksum) is not taken: the caller
   * rebuilds it.
   */
  private adoptTable(table: Int32Array, fingerprints: Uint8Array): boolean {
    if (table.length === 0 || 4 * this.count > 3 * table.length) return false;
    const seen = new Uint8Array(this.count);
    let held = 0;
    for (let i = 0; i < table.length; i++) {
      const entry = table[i]!;
      if (entry === 0) continue;
      const slot = entry - 1;
      if (slot < 0 || slot >= this.count || seen[slot] === 1 || this.lengthOf(slot) < 0) return false;
      seen[slot] = 1;
      held++;
    }
    if (held !== this.count - this.wide.length) return false;
    const rebuilt = this.table;
    const rebuiltFingerprints = this.fingerprints;
    this.table = table;
    this.fingerprints = fingerprints;
    const step = Math.max(1, Math.floor(this.count / 4096));
    for (let slot = 0; slot < this.count; slot += step)
      if (this.lengthOf(slot) >= 0 && this.find(this.idOf(slot)) !== slot) {
        this.table = rebuilt;
        this.fingerprints = rebuiltFingerprints;
        return false;
      }
    return true;
  }

  /** Whether the codes of narrow `slot` end on a whole character (an escape has its two codes). */
  private decodes(slot: number): boolean {
    let k = this.startOf(slot);
    const end = k + Math.max(0, this.lengthOf(slot));
    while (k < end) k += this.codeAt(k) === ESCAPE ? 3 : 1;
    return k === end;
  }

  private holds(slot: number, id: string): boolean {
    const n = this.lengthOf(slot);
    if (n < id.length) return false; // at least one code a character (a wide slot, −1 − k, has none)
    const at = this.startOf(slot);
    const end = at + n;
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
    const length = this.table.length;
    let i = hash % length;
    while (this.table[i] !== 0) i = i + 1 === length ? 0 : i + 1;
    this.table[i] = slot + 1;
    this.fingerprints[i] = fingerprintOf(hash);
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.fingerprints = new Uint8Array(size);
    let end = 0;
    for (let slot = 0; slot < this.count; slot++) {
      const n = this.lengthOf(slot);
      if (n < 0) continue;
      const at = end;
      end = at + n;
      let h = 0x811c9dc5; // hashOf, over the decoded characters
      for (let k = at; k < end; ) {
        const step = this.charAt(k);
        k += step & 3;
        h = Math.imul(h ^ (step >> 2), 0x01000193);
      }
      this.place(slot, h >>> 0);
    }
  }
}
