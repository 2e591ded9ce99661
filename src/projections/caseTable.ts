/**
 * Where the case fold keeps its cases, in the order first seen: each case is
 * an object (`CaseEntry`), or, once completed and settled, a row of columns
 * (completedCases.ts) rebuilt equal whenever it is read. Reading never changes
 * how a case is kept; `objectEntry` turns a row back into an object to change it.
 */
import type { CaseEntry } from './caseEntry.js';
import { CompletedCases } from './completedCases.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/** Cases looked at per slice of `compactLater` (a few milliseconds). */
const COMPACT_SLICE = 4096;

export class CaseTable {
  /** An object, or the number of its row in `rows`. */
  private readonly held = new Map<string, CaseEntry | number>();
  private readonly rows = new CompletedCases();
  /** The next slice of `compactLater`, while it runs. */
  private compaction: { readonly scheduler: Scheduler; readonly handle: TimerHandle } | undefined;

  /** `compactRows` false: every case stays an object (for comparison). */
  constructor(private readonly compactRows: boolean) {}

  get size(): number {
    return this.held.size;
  }

  /** Whether completed cases are kept as rows at all. */
  get compactsRows(): boolean {
    return this.compactRows;
  }

  /** Completed cases kept as rows. */
  get rowCount(): number {
    return this.rows.size;
  }

  /** True when the case is a row that has folded `revision` already (a replayed event changes nothing). */
  foldedAsRow(caseId: string, revision: number): boolean {
    const held = this.held.get(caseId);
    return typeof held === 'number' && revision <= this.rows.revisionAt(held);
  }

  /** The case as it is, to read (a row is rebuilt and stays a row). */
  get(caseId: string): CaseEntry | undefined {
    const held = this.held.get(caseId);
    return held === undefined ? undefined : this.read(held, caseId);
  }

  /** The case as an object, to change (a row becomes an object again, in the same place in the order). */
  objectEntry(caseId: string): CaseEntry | undefined {
    const held = this.held.get(caseId);
    if (typeof held !== 'number') return held;
    const entry = this.rows.release(held, caseId);
    this.held.set(caseId, entry);
    return entry;
  }

  /** Add a case as an object (or put an object in place of the one held). */
  set(entry: CaseEntry): void {
    this.held.set(entry.caseId, entry);
  }

  /** Every case, rows rebuilt as they are reached (one pass). */
  *entries(): Iterable<CaseEntry> {
    for (const [caseId, held] of this.held) yield this.read(held, caseId);
  }

  /** The cases held as objects (those a re-evaluation can change). */
  *objects(): Iterable<CaseEntry> {
    for (const held of this.held.values()) if (typeof held !== 'number') yield held;
  }

  /** Turn back into objects the rows for which `touched` is true (their rebuilt entry); how many. */
  releaseWhere(touched: (entry: CaseEntry) => boolean): number {
    let released = 0;
    for (const [caseId, held] of this.held) {
      if (typeof held !== 'number' || !touched(this.rows.entryAt(held, caseId))) continue;
      this.held.set(caseId, this.rows.release(held, caseId));
      released++;
    }
    return released;
  }

  /** Keep `entry` as a row when it is completed and settled (completedCases.ts says which). */
  compact(entry: CaseEntry): void {
    if (!this.compactRows) return;
    const row = this.rows.add(entry);
    if (row !== undefined) this.held.set(entry.caseId, row);
  }

  /**
   * Compact every object, a slice at a time on `scheduler`: after a catch-up,
   * so that readiness does not wait for it and the event loop is never held long.
   */
  compactLater(scheduler: Scheduler): void {
    this.cancelCompaction();
    if (!this.compactRows) return;
    const rest = this.held.values();
    const slice = (): void => {
      this.compaction = undefined;
      let n = 0;
      for (let next = rest.next(); next.done !== true; next = rest.next()) {
        if (typeof next.value !== 'number') this.compact(next.value);
        if (++n === COMPACT_SLICE) {
          this.compaction = { scheduler, handle: scheduler.setTimer(scheduler.clock(), slice) };
          return;
        }
      }
    };
    this.compaction = { scheduler, handle: scheduler.setTimer(scheduler.clock(), slice) };
  }

  cancelCompaction(): void {
    if (this.compaction !== undefined) this.compaction.scheduler.clearTimer(this.compaction.handle);
    this.compaction = undefined;
  }

  /** A row does not keep its case id: the map's key is it. */
  private read(held: CaseEntry | number, caseId: string): CaseEntry {
    return typeof held === 'number' ? this.rows.entryAt(held, caseId) : held;
  }
}
