/**
 * The head position on EventStoreDB: the position of the last USER event.
 *
 * `$all` also holds system and link events (`$statsCollected` every stats period,
 * `$>` links in `$ce-…` and `$et-…` after every event when the standard projections
 * run), and the adapter's eventId claims and their releases (eventIdClaims.ts). Their positions are never delivered to a prefix-filtered subscriber, so a
 * head that counts them is never reached: every read-your-writes wait would run to
 * its timeout and lag would never return to 0 (issue 14, row 5).
 *
 * The 6.x client's readAll has no server-side filter, so the head is found by reading
 * `$all` backwards from the end, skipping those events. To keep that cheap, the scan
 * stops where the previous one began: only records written since are read again.
 */
import type { EsdbPosition, EsdbReadPosition, EsdbRecordedEvent, EsdbResolvedEvent } from './client-like.js';
import { comparePositions, isInternalEvent } from './mapping.js';

export type ReadBackwardsPage = (from: EsdbReadPosition, maxCount: number) => Promise<EsdbResolvedEvent[]>;

const PAGE = 200;

export class HeadTracker {
  /** The newest record seen by the last scan, and the last user event's commit position then. */
  private known: { readonly top: EsdbPosition; readonly user: bigint } | undefined;

  /** `bookkeeping`: streams of the adapter's own that, like system events, no reader of the port waits for. */
  constructor(
    private readonly readBackwards: ReadBackwardsPage,
    private readonly bookkeeping: readonly string[] = [],
  ) {}

  private skipped(event: EsdbRecordedEvent): boolean {
    return isInternalEvent(event) || this.bookkeeping.includes(event.streamId);
  }

  async head(): Promise<bigint> {
    let from: EsdbReadPosition = 'end';
    let top: EsdbPosition | undefined;
    for (;;) {
      const page = await this.readBackwards(from, PAGE);
      for (const resolved of page) {
        const event = resolved.event;
        const position = event?.position;
        if (event === undefined || position === undefined) continue;
        top ??= position;
        if (this.known !== undefined && comparePositions(position, this.known.top) <= 0) {
          return this.remember(top, this.known.user);
        }
        if (!this.skipped(event)) return this.remember(top, position.commit);
      }
      const last = page.at(-1)?.event?.position;
      if (page.length < PAGE || last === undefined) return top === undefined ? -1n : this.remember(top, -1n);
      from = last;
    }
  }

  private remember(top: EsdbPosition, user: bigint): bigint {
    this.known = { top, user };
    return user;
  }
}
