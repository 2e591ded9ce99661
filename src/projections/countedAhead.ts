/**
 * The cards a live fold counted that start after the instant the live-until record holds
 * (liveUntil.ts). A case (complaint) whose last event lies ahead of the clock — the API takes events
 * up to 5 minutes ahead — is evaluated at that event, so its cards up to there are counted before
 * their instant; and the record's instant may stop just before a boundary not yet evaluated while
 * another object's later card was. Recorded beside the instant, they are skipped by the next
 * process's go-live, which counts the cards started after the instant: each card counted once
 * across a stop and a start.
 */
import type { EpochMs } from '../domain/types.js';

/** A card as the record names it: which fold, its case (complaint), its rule, colour and start. */
export const countedCardKey = (
  of: 'case' | 'complaint',
  id: string,
  card: { readonly rule: string; readonly color: string; readonly start: EpochMs },
): string => `${of} ${id} ${card.rule} ${card.color} ${card.start}`;

/**
 * Cards older than this are forgotten without a record asking (an engine with no snapshot file
 * writes none): every record's instant is later, unless a due timer were an hour late.
 */
const FORGET_AFTER_MS = 3_600_000;

export class CountedAhead {
  /** key → the card's start. */
  private readonly cards = new Map<string, EpochMs>();
  private forgetAbove = 1024;

  /** A card counted live at `now`. */
  note(key: string, start: EpochMs, now: EpochMs): void {
    this.cards.set(key, start);
    if (this.cards.size <= this.forgetAbove) return;
    this.after(now - FORGET_AFTER_MS);
    this.forgetAbove = Math.max(1024, 2 * this.cards.size);
  }

  /**
   * The cards counted that start after `until` (the instant being recorded); those at or before
   * it are forgotten (the instant covers them). Few: a few minutes' cards at most.
   */
  after(until: EpochMs): string[] {
    const out: string[] = [];
    for (const [key, start] of this.cards) {
      if (start > until) out.push(key);
      else this.cards.delete(key);
    }
    return out;
  }
}

/** What the previous process counted (the live-until record): the cards started by `until`, and `ahead`. */
export interface CountedBefore {
  readonly until: EpochMs;
  /** countedCardKey of each card it counted that starts after `until`. */
  readonly ahead: ReadonlySet<string>;
}

/** Whether go-live counts this card: started after the record's instant and not counted ahead of it. */
export const leftToCount = (
  before: CountedBefore,
  of: 'case' | 'complaint',
  id: string,
  card: { readonly rule: string; readonly color: string; readonly start: EpochMs },
): boolean => card.start > before.until && !before.ahead.has(countedCardKey(of, id, card));
