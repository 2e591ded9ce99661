/**
 * A bounded write-side cache of case streams: the decision state and the
 * eventIds stored, as of the stream revision `state.revision`. It saves the
 * write path from re-reading a case for every append. It is only a guess: an
 * append made from it carries its revision as the expected revision, so a stale
 * entry costs a WrongExpectedRevision conflict and a re-read, never a wrong write.
 * A newer revision replaces an older one, never the reverse.
 */
import type { CaseState } from '../domain/types.js';

export interface CachedCase {
  readonly state: CaseState;
  /**
   * eventIds (lower case) stored in the stream. The set is the cache's and grows
   * in place as events are appended (one `add` per event, never a copy: a case of
   * n events costs O(1) per append, not O(n)). A set holding more ids than
   * `state.revision` has seen only sends a writer to the store; it never answers.
   */
  readonly eventIds: Set<string>;
}

export const DEFAULT_WRITE_CACHE_CASES = 10_000;

export class CaseWriteCache {
  private readonly entries = new Map<string, CachedCase>();

  constructor(readonly capacity = DEFAULT_WRITE_CACHE_CASES) {}

  get size(): number {
    return this.entries.size;
  }

  get(caseId: string): CachedCase | undefined {
    const hit = this.entries.get(caseId);
    if (hit !== undefined) {
      // Least recently used first: re-insert to move it to the end.
      this.entries.delete(caseId);
      this.entries.set(caseId, hit);
    }
    return hit;
  }

  /** Keeps `entry` unless a newer revision of the case is already cached. */
  set(caseId: string, entry: CachedCase): void {
    if (this.capacity <= 0) return;
    const current = this.entries.get(caseId);
    if (current !== undefined && current.state.revision > entry.state.revision) return;
    this.entries.delete(caseId);
    this.entries.set(caseId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  delete(caseId: string): void {
    this.entries.delete(caseId);
  }
}
