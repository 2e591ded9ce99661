/**
 * The case ids the case fold has seen, each given a slot number in the order
 * first seen (issue 18, goal 1: bytes per completed case). A `Map` keyed by
 * the id strings costs ≈ 50–90 bytes a case (its entry, and the string, which
 * the event decoder or a generator may have built as a concatenation); here an
 * id is its bytes in one pool (one byte per character, ids being codes like
 * `WH-20250922-00017`), its start in an `Int32Array`, and a slot in an
 * open-addressing hash table of `Int32Array`: ≈ 30–40 bytes for a 17-character
 * id. An id with a character above U+00FF (none in practice) is kept in a
 * small `Map` beside it, so every string works.
 */
import { grown } from './pausePool.js';

/** Slots are never removed, so the table only grows; it doubles when three quarters full. The default room, in ids. */
const MIN_TABLE = 1024;

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

export class CaseIds {
  private count = 0;
  /** Per slot: where its bytes start in `bytes` (they end where the next slot's start), or −1 − k for `wide[k]`. */
  private start: Int32Array;
  private bytes: Uint8Array;
  private bytesUsed = 0;
  /** Open addressing, linear probing: slot + 1, 0 when free. */
  private table: Int32Array;
  /** Ids with a character above U+00FF, by slot, and their slots. */
  private readonly wide: string[] = [];
  private readonly wideSlots = new Map<string, number>();
  /** The id looked up last and its slot: a fold asks for the same case several times an event. */
  private lastId: string | undefined;
  private lastSlot = -1;

  /** `initial`: ids room is made for at first (a power of two; small in tests, for collisions and growth). */
  constructor(initial = MIN_TABLE) {
    if (!Number.isInteger(Math.log2(initial)))
      throw new RangeError(`CaseIds: initial ${initial} is not a power of two`);
    this.start = new Int32Array(initial);
    this.bytes = new Uint8Array(16 * initial);
    this.table = new Int32Array(initial * 2);
  }

  /** Ids held (the next slot number). */
  get size(): number {
    return this.count;
  }

  /** The slot of `id`, −1 when not held. */
  slotOf(id: string): number {
    if (id === this.lastId) return this.lastSlot;
    const slot = this.find(id);
    if (slot >= 0) {
      this.lastId = id;
      this.lastSlot = slot;
    }
    return slot;
  }

  private find(id: string): number {
    const hash = hashOf(id);
    if (hash < 0) return this.wideSlots.get(id) ?? -1;
    const mask = this.table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const held = this.table[i]!;
      if (held === 0) return -1;
      if (this.holds(held - 1, id)) return held - 1;
    }
  }

  /** Add `id` (not held yet): its slot, the next number. */
  add(id: string): number {
    const slot = this.count++;
    this.lastId = id;
    this.lastSlot = slot;
    if (slot >= this.start.length) this.start = grown(this.start, slot + 1);
    const hash = hashOf(id);
    if (hash < 0) {
      this.start[slot] = -1 - this.wide.length;
      this.wide.push(id);
      this.wideSlots.set(id, slot);
      return slot;
    }
    const at = this.bytesUsed;
    this.bytes = grown(this.bytes, at + id.length);
    for (let i = 0; i < id.length; i++) this.bytes[at + i] = id.charCodeAt(i);
    this.bytesUsed = at + id.length;
    this.start[slot] = at;
    if (4 * (slot + 1) > 3 * this.table.length) this.rehash(this.table.length * 2);
    else this.place(slot, hash);
    return slot;
  }

  /** The id of `slot` (a fresh string for a narrow id). */
  idOf(slot: number): string {
    const at = this.start[slot]!;
    if (at < 0) return this.wide[-1 - at]!;
    return String.fromCharCode.apply(null, this.bytes.subarray(at, this.endOf(slot)) as unknown as number[]);
  }

  /** Where the bytes of narrow `slot` end: the start of the next narrow id, or the end of the pool. */
  private endOf(slot: number): number {
    for (let next = slot + 1; next < this.count; next++) {
      const at = this.start[next]!;
      if (at >= 0) return at;
    }
    return this.bytesUsed;
  }

  private holds(slot: number, id: string): boolean {
    const at = this.start[slot]!;
    if (at < 0 || this.endOf(slot) - at !== id.length) return false;
    for (let i = 0; i < id.length; i++) if (this.bytes[at + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  private place(slot: number, hash: number): void {
    const mask = this.table.length - 1;
    let i = hash & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = slot + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let slot = 0; slot < this.count; slot++) {
      const at = this.start[slot]!;
      if (at < 0) continue;
      const end = this.endOf(slot);
      let h = 0x811c9dc5; // hashOf, over the bytes
      for (let i = at; i < end; i++) h = Math.imul(h ^ this.bytes[i]!, 0x01000193);
      this.place(slot, h >>> 0);
    }
  }
}
