/**
 * Where the case fold keeps its cases, in the order first seen: each case is
 * an object (`CaseEntry`), or, once completed and settled, a row of columns
 * (completedCases.ts) rebuilt equal whenever it is read. Reading never changes
 * how a case is kept; `objectEntry` turns a row back into an object to change it.
 *
 * A case is a slot, numbered in the order first seen (caseIds.ts holds the ids);
 * per slot, the number of its row, or (negative) where its object is in a
 * dense list (few cases are objects at a time: the open ones, and those with
 * an alert or a timer); no hash map of slots, whose inserts and deletes (a
 * case made a row) and rehashing cost more than the list's free places.
 * Looking an id up in the ids is a few cache misses with millions of them: a
 * caller that has the slot already (`slotOf`, `set`) passes it to the methods
 * that take one, and none looks the id up again (docs/scaling.md, session 9).
 *
 * Over 300 lines: how a slot keeps its case (a row, or a place in the
 * objects' list) and the snapshot's export and checked import of that layout
 * read the same fields, and must change together.
 */
import type { CaseEntry } from './caseEntry.js';
import { CaseIds } from './caseIds.js';
import { CompletedCases } from './completedCases.js';
import { grown } from './pausePool.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import { columnOf, field, layoutOf, type Parts } from './snapshotRows.js';

/**
 * Bump when a part of the rows keeps its name and type but changes meaning
 * (e.g. the instant an offset column counts from): a snapshot of the old
 * meaning is then refused. A part added, removed, renamed or retyped is
 * caught without it (`layoutOf`).
 */
const ROWS_MEANING = 1;
let rowsLayout: string | undefined;

/** Cases looked at per slice of `compactLater` (a few milliseconds). */
const COMPACT_SLICE = 4096;

export class CaseTable {
  private ids = new CaseIds();
  /**
   * Per slot: its row in `rows` (≥ 0); or −2 − k when it is an object, `held[k]`;
   * or −1, an object slot not filled yet (a snapshot's, until its object is `set`).
   * A snapshot saves −1 for every object (`tableParts`).
   */
  private rowAt = new Int32Array(1024);
  /** The objects, at places k that are reused (`freePlaces`); undefined at a free place. */
  private held: (CaseEntry | undefined)[] = [];
  /** Per place k: the slot of `held[k]`. */
  private heldSlot = new Int32Array(1024);
  private freePlaces: number[] = [];
  private rows = new CompletedCases();
  /** The next slice of `compactLater`, while it runs. */
  private compaction: { readonly scheduler: Scheduler; readonly handle: TimerHandle } | undefined;

  /** `compactRows` false: every case stays an object (for comparison). */
  constructor(private readonly compactRows: boolean) {}

  get size(): number {
    return this.ids.size;
  }

  /** Whether completed cases are kept as rows at all. */
  get compactsRows(): boolean {
    return this.compactRows;
  }

  /** Completed cases kept as rows. */
  get rowCount(): number {
    return this.rows.size;
  }

  /** The slot of case `caseId`, −1 when it is not held: what the methods taking a slot are given. */
  slotOf(caseId: string): number {
    return this.ids.slotOf(caseId);
  }

  /** True when the case is a row that has folded `revision` already (a replayed event changes nothing). */
  foldedAsRow(caseId: string, revision: number): boolean {
    return this.foldedAsRowAt(this.ids.slotOf(caseId), revision);
  }

  /** `foldedAsRow` of the case of `slot` (−1: none). */
  foldedAsRowAt(slot: number, revision: number): boolean {
    if (slot < 0) return false;
    const row = this.rowAt[slot]!;
    return row >= 0 && revision <= this.rows.revisionAt(row);
  }

  /**
   * Whether `entry` is the object held for its case (not a row, nor replaced
   * by another object). `slot`: its case's slot when the caller knows it (no
   * lookup); an entry is only ever held at its own case's slot, so any other
   * slot answers false.
   */
  holdsObject(entry: CaseEntry, slot?: number): boolean {
    const at = slot ?? this.ids.slotOf(entry.caseId);
    return at >= 0 && this.objectAtSlot(at) === entry;
  }

  /** The case as it is, to read (a row is rebuilt and stays a row). */
  get(caseId: string): CaseEntry | undefined {
    const slot = this.ids.slotOf(caseId);
    if (slot < 0) return undefined;
    const row = this.rowAt[slot]!;
    return row < 0 ? this.objectAtSlot(slot) : this.rows.entryAt(row, caseId);
  }

  /** The case as an object, to change (a row becomes an object again, in the same place in the order). */
  objectEntry(caseId: string): CaseEntry | undefined {
    return this.objectEntryAt(this.ids.slotOf(caseId), caseId);
  }

  /** `objectEntry` of case `caseId` whose slot is `slot` (−1: none, undefined). */
  objectEntryAt(slot: number, caseId: string): CaseEntry | undefined {
    return slot < 0 ? undefined : this.objectOf(slot, caseId);
  }

  /** Add a case as an object (or put an object in place of the one held); its slot. */
  set(entry: CaseEntry): number {
    const slot = this.ids.slotOf(entry.caseId);
    if (slot >= 0) {
      const row = this.rowAt[slot]!;
      if (row >= 0) {
        this.rows.release(row, entry.caseId);
        this.rowAt[slot] = -1;
      }
      this.hold(slot, entry);
      return slot;
    }
    const added = this.ids.add(entry.caseId);
    this.rowAt = grown(this.rowAt, added + 1);
    this.rowAt[added] = -1;
    this.hold(added, entry);
    return added;
  }

  /** Every case, rows rebuilt as they are reached (one pass). */
  *entries(): Iterable<CaseEntry> {
    const n = this.ids.size;
    for (let slot = 0; slot < n; slot++) yield this.rowAt[slot]! < 0 ? this.objectAtSlot(slot)! : this.rowEntry(slot);
  }

  /**
   * The cases held as objects (those a re-evaluation can change), in slot
   * order. They are few beside the rows: sorting their slots costs less than
   * a pass over every slot (≈ 0.25 s at 3.35 M cases, at each snapshot's
   * capture and at each start's `goLive`).
   */
  objects(): CaseEntry[] {
    const slots: number[] = [];
    for (let k = 0; k < this.held.length; k++) if (this.held[k] !== undefined) slots.push(this.heldSlot[k]!);
    slots.sort((a, b) => a - b);
    return slots.map((slot) => this.objectAtSlot(slot)!);
  }

  /** Turn back into objects the rows for which `touched` is true (their rebuilt entry); how many. */
  releaseWhere(touched: (entry: CaseEntry) => boolean): number {
    let released = 0;
    const n = this.ids.size;
    for (let slot = 0; slot < n; slot++) {
      if (this.rowAt[slot]! < 0 || !touched(this.rowEntry(slot))) continue;
      this.objectOf(slot, this.ids.idOf(slot));
      released++;
    }
    return released;
  }

  /**
   * Keep `entry` as a row when it is completed and settled (completedCases.ts
   * says which), and it is the object held for its case. `slot`: as for
   * `holdsObject` (another slot than its case's: nothing is done).
   */
  compact(entry: CaseEntry, slot?: number): void {
    if (!this.compactRows) return;
    const at = slot ?? this.ids.slotOf(entry.caseId);
    if (at < 0 || this.objectAtSlot(at) !== entry) return;
    this.compactSlot(at, entry);
  }

  /**
   * Compact every object, a slice at a time on `scheduler`: after a catch-up,
   * so that readiness does not wait for it and the event loop is never held long.
   */
  compactLater(scheduler: Scheduler, beforeSlice: () => void = () => {}): void {
    this.cancelCompaction();
    if (!this.compactRows) return;
    let slot = 0;
    const slice = (): void => {
      this.compaction = undefined;
      beforeSlice();
      const end = Math.min(this.ids.size, slot + COMPACT_SLICE);
      for (; slot < end; slot++) {
        if (this.rowAt[slot]! < 0) this.compactSlot(slot, this.objectAtSlot(slot)!);
      }
      if (slot < this.ids.size) this.compaction = { scheduler, handle: scheduler.setTimer(scheduler.clock(), slice) };
      else this.repack();
    };
    this.compaction = { scheduler, handle: scheduler.setTimer(scheduler.clock(), slice) };
  }

  cancelCompaction(): void {
    if (this.compaction !== undefined) this.compaction.scheduler.clearTimer(this.compaction.handle);
    this.compaction = undefined;
  }

  /** The ids, each slot's row and the rows, copied for a snapshot (the objects are saved apart, as states). */
  exportParts(): Parts {
    return { layout: CaseTable.layout(), table: this.tableParts() };
  }

  private tableParts(): Parts {
    const rowAt = this.rowAt.slice(0, this.ids.size);
    for (let slot = 0; slot < rowAt.length; slot++) if (rowAt[slot]! < -1) rowAt[slot] = -1; // an object, saved apart
    return { ids: this.ids.exportParts(), rowAt, rows: this.rows.exportParts() };
  }

  /** The layout a snapshot's rows must have to be read by this code (an empty table's, and ROWS_MEANING). */
  private static layout(): string {
    rowsLayout ??= `${ROWS_MEANING}:${layoutOf(new CaseTable(true).tableParts())}`;
    return rowsLayout;
  }

  /**
   * Check a snapshot's parts and the ids of the cases it saved as objects
   * (each must name a slot that is not a row, each once): RangeError naming
   * what is wrong, and this table untouched. Returns what puts the ids and
   * rows in place of this table's content (empty: a start); the objects are
   * then `set` into their slots.
   */
  prepareImport(parts: Parts, objectIds: readonly string[]): () => void {
    if (this.ids.size > 0) throw new Error('CaseTable: rows are imported into an empty table only');
    if (field(parts, 'layout') !== CaseTable.layout()) throw new RangeError('rows of another layout (another release)');
    const table = field(parts, 'table');
    const ids = CaseIds.fromParts(field(table, 'ids'));
    const rows = CompletedCases.fromParts(field(table, 'rows') ?? null);
    const rowAt = columnOf(table, 'rowAt', this.rowAt, ids.size);
    const seen = new Uint8Array(Math.max(ids.size, rows.capacityUsed));
    for (const row of rows.freeRows) seen[row] = 1;
    let held = 0;
    for (let slot = 0; slot < ids.size; slot++) {
      const row = rowAt[slot]!;
      if (row === -1) continue;
      if (row < 0 || row >= rows.capacityUsed || seen[row] === 1)
        throw new RangeError(`rows: slot ${slot} holds no row of its own`);
      seen[row] = 1;
      held++;
    }
    if (held !== rows.size) throw new RangeError(`rows: ${rows.size} rows in use, ${held} held by a slot`);
    seen.fill(0);
    for (const id of objectIds) {
      const slot = ids.slotOf(id);
      if (slot < 0 || rowAt[slot] !== -1 || seen[slot] === 1)
        throw new RangeError(`rows: a case saved as an object is not an object slot of its own`);
      seen[slot] = 1;
    }
    if (objectIds.length !== ids.size - held)
      throw new RangeError(`rows: ${ids.size - held} object slots, ${objectIds.length} cases saved as objects`);
    return () => {
      this.ids = ids;
      this.rowAt = rowAt;
      this.rows = rows;
      this.held = [];
      this.freePlaces = [];
    };
  }

  private compactSlot(slot: number, entry: CaseEntry): void {
    const row = this.rows.add(entry);
    if (row === undefined) return;
    this.unhold(slot);
    this.rowAt[slot] = row;
  }

  /** The object of `slot`, a row turned back into one when it is a row. */
  private objectOf(slot: number, caseId: string): CaseEntry {
    const row = this.rowAt[slot]!;
    if (row < 0) return this.objectAtSlot(slot)!;
    const entry = this.rows.release(row, caseId);
    this.rowAt[slot] = -1;
    this.hold(slot, entry);
    return entry;
  }

  /** The object of `slot`, undefined when it is a row (or an object slot not filled yet). */
  private objectAtSlot(slot: number): CaseEntry | undefined {
    const code = this.rowAt[slot]!;
    return code < -1 ? this.held[-2 - code] : undefined;
  }

  /** Make `entry` the object of `slot` (not a row): in its place, or in a free one. */
  private hold(slot: number, entry: CaseEntry): void {
    const code = this.rowAt[slot]!;
    if (code < -1) {
      this.held[-2 - code] = entry;
      return;
    }
    const k = this.freePlaces.pop() ?? this.held.length;
    if (k === this.held.length) this.held.push(entry);
    else this.held[k] = entry;
    this.heldSlot = grown(this.heldSlot, k + 1);
    this.heldSlot[k] = slot;
    this.rowAt[slot] = -2 - k;
  }

  /**
   * The objects in places 0 … n − 1, none free: after a compaction, most
   * places of the catch-up's objects are free (≈ 4 bytes a case at 1 M
   * events, if kept).
   */
  private repack(): void {
    const held: CaseEntry[] = [];
    const slots: number[] = [];
    for (let k = 0; k < this.held.length; k++) {
      const entry = this.held[k];
      if (entry === undefined) continue;
      const slot = this.heldSlot[k]!;
      this.rowAt[slot] = -2 - held.length;
      held.push(entry);
      slots.push(slot);
    }
    this.held = held;
    this.heldSlot = Int32Array.from(slots);
    this.freePlaces = [];
  }

  /** Free the place of the object of `slot` (it is about to become a row). */
  private unhold(slot: number): void {
    const k = -2 - this.rowAt[slot]!;
    this.held[k] = undefined;
    this.freePlaces.push(k);
  }

  /** A row does not keep its case id: the ids do (caseIds.ts), by slot. */
  private rowEntry(slot: number): CaseEntry {
    return this.rows.entryAt(this.rowAt[slot]!, this.ids.idOf(slot));
  }
}
