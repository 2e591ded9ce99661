/**
 * A bounded write-side cache of case streams: the folded state and the eventIds
 * stored, as of the stream revision `state.revision`. It saves the
 * write path from re-reading a case for every append. It is only a guess: an
 * append made from it carries its revision as the expected revision, so a stale
 * entry costs a WrongExpectedRevision conflict and a re-read, never a wrong write.
 * Entries are immutable; a newer revision replaces an older one, never the reverse.
 */
import type { CaseState } from '../domain/types.js';
import type { EventStore } from '../store/port.js';

export interface CachedCase {
  readonly state: CaseState;
  /** eventIds (lower case) stored in the stream; a hit sends the writer back to the store for the original result. */
  readonly eventIds: ReadonlySet<string>;
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

const caches = new WeakMap<EventStore, CaseWriteCache>();

/** The one write cache of a store (every writer in this process shares it). */
export function writeCacheOf(store: EventStore, capacity?: number): CaseWriteCache {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new CaseWriteCache(capacity);
    caches.set(store, cache);
  }
  return cache;
}
