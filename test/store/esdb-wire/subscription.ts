/**
 * A `$all` catch-up subscription of the wire server, following the server's
 * Enumerator.AllSubscriptionFiltered.cs (EventStore/EventStore, src/EventStore.Core/
 * Services/Transport/Enumerators):
 * - a start position is exclusive: the server reads the one record at it and starts
 *   after it; a position that is not a record start fails with InvalidPosition;
 * - catch-up reads windows of `maxSearchWindow` records (32 unless the client sets
 *   one; the client sends `count`); after each window the considered records are
 *   counted, and past 32 × `checkpointIntervalMultiplier` a checkpoint is sent at the
 *   last matching event of the window, or at `{X, 0}` (X = where the window began)
 *   when the window held no match;
 * - at the end of the log it goes live and, on servers that advertise 23.10 or later,
 *   sends `caughtUp` (the client's CHANGELOG: "Add support for caught up and fell
 *   behind subscription message"); live checkpoints count considered records too.
 * The client's own test of this is packages/test/src/streams/subscribeToAll-filters.test.ts
 * ("384 / (32 * 2 (checkpointInterval)) = 6" checkpoints).
 */
import type * as grpc from '@grpc/grpc-js';
import type { WireLog, WireRecord } from './log.js';
import {
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  eventResponseBytes,
  invalidPosition,
  type ReadOut,
  type WireError,
} from './messages.js';
import type { ReadReq } from './proto.js';

/** The server's ReadBatchSize: the default search window of a filtered read. */
export const DEFAULT_SEARCH_WINDOW = 32;

export type WireStart = 'start' | 'end' | { readonly commit: bigint; readonly prepare: bigint };

export interface WireFilter {
  readonly matches: (record: WireRecord) => boolean;
  readonly window: number;
  readonly multiplier: number;
}

type Options = NonNullable<ReturnType<ReadReq['getOptions']>>;

/** The filter of a ReadReq, or undefined for `no_filter`. */
export function parseFilter(options: Options): WireFilter | undefined {
  if (!options.hasFilter()) return undefined;
  const f = options.getFilter();
  if (f === undefined) return undefined;
  const onStream = f.hasStreamIdentifier();
  const expr = onStream ? f.getStreamIdentifier() : f.getEventType();
  const prefixes = expr?.getPrefixList() ?? [];
  const regex = expr?.getRegex() ? new RegExp(expr.getRegex()) : undefined;
  const test = (s: string): boolean =>
    regex !== undefined ? regex.test(s) : prefixes.length === 0 || prefixes.some((p) => s.startsWith(p));
  return {
    matches: (r) => test(onStream ? r.streamId : r.type),
    window: f.hasMax() ? f.getMax() : DEFAULT_SEARCH_WINDOW,
    multiplier: f.getCheckpointintervalmultiplier(),
  };
}

export function parseStart(all: NonNullable<ReturnType<Options['getAll']>>): WireStart {
  if (all.hasStart()) return 'start';
  if (all.hasEnd()) return 'end';
  const p = all.getPosition();
  return { commit: BigInt(p?.getCommitPosition() ?? '0'), prepare: BigInt(p?.getPreparePosition() ?? '0') };
}

export interface SubscriptionDeps {
  readonly log: WireLog;
  readonly call: grpc.ServerWritableStream<ReadReq, ReadOut>;
  readonly sendCaughtUp: boolean;
  readonly fail: (error: WireError) => void;
  /** Told after each checkpoint written (the server's fault injection). */
  readonly checkpointSent?: () => void;
}

export class WireSubscription {
  private cursor = 0;
  private counter = 0;
  private live = false;
  private pumping = false;
  private stopped = false;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly start: WireStart,
    private readonly filter: WireFilter | undefined,
  ) {}

  begin(): void {
    const { log, call } = this.deps;
    call.write(confirmationResponse(crypto.randomUUID()));
    if (this.start === 'end') {
      this.cursor = log.records.length;
    } else if (this.start !== 'start') {
      const { commit, prepare } = this.start;
      if (!log.isValidPosition(commit) || prepare > commit) {
        this.deps.fail(invalidPosition());
        return;
      }
      this.cursor = log.indexAtOrAfter(commit);
      if (log.records[this.cursor]?.position === commit) this.cursor++; // exclusive of the start record
    }
    this.unlisten = log.onRecord(() => void this.pump());
    call.on('cancelled', () => this.stop());
    call.on('close', () => this.stop());
    void this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.unlisten?.();
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      const { log } = this.deps;
      while (!this.stopped) {
        if (!this.live) {
          if (this.cursor >= log.records.length) {
            this.live = true;
            if (this.deps.sendCaughtUp) await this.send(caughtUpResponse());
            continue;
          }
          await this.catchUpWindow();
        } else {
          const record = log.records[this.cursor];
          if (record === undefined) return;
          this.cursor++;
          if (this.filter === undefined || this.filter.matches(record)) await this.send(eventResponseBytes(record));
          if (this.filter !== undefined && ++this.counter >= this.interval()) {
            this.counter = 0;
            await this.send(checkpointResponse(record.position, record.position));
            this.deps.checkpointSent?.();
          }
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async catchUpWindow(): Promise<void> {
    const { log } = this.deps;
    const window = log.records.slice(this.cursor, this.cursor + (this.filter?.window ?? DEFAULT_SEARCH_WINDOW));
    const windowStart = window[0]?.position ?? log.endPosition;
    let lastMatch: bigint | undefined;
    for (const record of window) {
      if (this.filter === undefined || this.filter.matches(record)) {
        await this.send(eventResponseBytes(record));
        lastMatch = record.position;
      }
    }
    this.cursor += window.length;
    if (this.filter === undefined || this.cursor >= log.records.length) return; // end of the log: go live
    this.counter += window.length;
    if (this.counter >= this.interval()) {
      this.counter %= this.interval();
      await this.send(
        lastMatch === undefined ? checkpointResponse(windowStart, 0n) : checkpointResponse(lastMatch, lastMatch),
      );
      this.deps.checkpointSent?.();
    }
  }

  private interval(): number {
    return (this.filter?.window ?? DEFAULT_SEARCH_WINDOW) * (this.filter?.multiplier ?? 1);
  }

  /** Writes with backpressure: waits for `drain` when the transport's buffer is full. */
  private async send(resp: ReadOut): Promise<void> {
    if (this.stopped) return;
    if (!this.deps.call.write(resp)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.deps.call.off('drain', done);
          this.deps.call.off('close', done);
          resolve();
        };
        this.deps.call.on('drain', done);
        this.deps.call.on('close', done);
      });
    }
  }
}
