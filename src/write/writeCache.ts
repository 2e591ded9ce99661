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
/**
 * The cache is bounded by the events its cases hold as well as by cases: a case
 * may hold 1000 events, so 10,000 full cases would keep ~10 M eventIds and states
 * (over a GB); 200,000 events keep it to tens of MB whatever the cases look like.
 */
export const DEFAULT_WRITE_CACHE_EVENTS = 200_000;

const eventsOf = (entry: CachedCase): number => entry.state.revision + 1;

export class CaseWriteCache {
  private readonly entries = new Map<string, CachedCase>();
  private heldEvents = 0;

  constructor(
    readonly capacity = DEFAULT_WRITE_CACHE_CASES,
    readonly maxEvents = DEFAULT_WRITE_CACHE_EVENTS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Events held by the cached cases (the sum of their lengths). */
  get events(): number {
    return this.heldEvents;
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

  /** Keeps `entry` unless a newer revision of the case is already cached; evicts the least recently used beyond the bounds. */
  set(caseId: string, entry: CachedCase): void {
    if (this.capacity <= 0 || eventsOf(entry) > this.maxEvents) return;
    const current = this.entries.get(caseId);
    if (current !== undefined && current.state.revision > entry.state.revision) return;
    this.delete(caseId);
    this.entries.set(caseId, entry);
    this.heldEvents += eventsOf(entry);
    while (this.entries.size > this.capacity || this.heldEvents > this.maxEvents) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(caseId: string): void {
    const entry = this.entries.get(caseId);
    if (entry === undefined) return;
    this.entries.delete(caseId);
    this.heldEvents -= eventsOf(entry);
  }
}
