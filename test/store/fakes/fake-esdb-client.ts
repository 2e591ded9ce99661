/**
 * An in-memory stand-in for the EventStoreDB client 6.x, modelling the server
 * behaviour the adapter relies on (see docs/event-store.md for what it models):
 * - revisions from 0; wrong expected revision → error with type 'wrong-expected-version';
 * - an append is one transaction: its events share the commit position
 *   (the prepare position of its first event), each has its own prepare position;
 * - an idempotent retry (same eventIds at the same revisions) succeeds with no position;
 * - readStream of a missing stream fails with type 'stream-not-found';
 * - readAll is inclusive of fromPosition, subscribeToAll exclusive;
 * - system events ($…) live in the log; filters call checkpointReached every
 *   checkpointInterval scanned events; 'caughtUp' is emitted after catch-up (optional).
 */
import { PassThrough } from 'node:stream';
import type {
  EsdbClientLike,
  EsdbEventData,
  EsdbExpectedRevision,
  EsdbFilter,
  EsdbPosition,
  EsdbReadPosition,
  EsdbRecordedEvent,
  EsdbResolvedEvent,
  EsdbSubscriptionLike,
} from '../../../src/store/esdb/client-like.js';

const EVENT_SIZE = 100n;

export class FakeClientError extends Error {
  constructor(
    readonly type: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this, extra);
  }
}

const cmp = (a: EsdbPosition, b: EsdbPosition): number =>
  a.commit !== b.commit ? (a.commit < b.commit ? -1 : 1) : a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;

export interface FakeOptions {
  readonly clock?: () => number;
  readonly emitCaughtUp?: boolean;
  readonly highWaterMark?: number;
}

type FakeSub = PassThrough & { unsubscribe(): Promise<void>; fakeDrop(error: Error): void };

export class FakeEsdbClient implements EsdbClientLike {
  readonly log: EsdbRecordedEvent[] = [];
  private nextPrepare = 1000n;
  unavailable = false;
  disposed = false;
  readonly subscribeCalls: EsdbReadPosition[] = [];
  readonly subscriptions: FakeSub[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: FakeOptions = {}) {
    this.write('$stats-127.0.0.1:2113', [
      { id: '00000000-0000-4000-8000-000000000000', type: '$statsCollected', data: {} },
    ]);
  }

  private check(): void {
    if (this.disposed) throw new FakeClientError('cancelled', 'client disposed');
    if (this.unavailable) throw new FakeClientError('unavailable', 'failed to connect');
  }

  private stream(name: string): EsdbRecordedEvent[] {
    return this.log.filter((e) => e.streamId === name);
  }

  private write(streamName: string, events: { id: string; type: string; data: unknown }[]): EsdbPosition {
    const commit = this.nextPrepare;
    let revision = BigInt(this.stream(streamName).length);
    let position: EsdbPosition = { commit, prepare: commit };
    const created = new Date(this.options.clock?.() ?? Date.now());
    for (const e of events) {
      position = { commit, prepare: this.nextPrepare };
      this.nextPrepare += EVENT_SIZE;
      this.log.push({
        streamId: streamName,
        id: e.id,
        isJson: true,
        revision: revision++,
        type: e.type,
        created,
        data: e.data,
        position,
      });
    }
    for (const l of [...this.listeners]) l();
    return position;
  }

  async appendToStream(
    streamName: string,
    events: EsdbEventData[],
    options: { expectedRevision: EsdbExpectedRevision },
  ): Promise<{ nextExpectedRevision: bigint; position?: EsdbPosition }> {
    this.check();
    const stream = this.stream(streamName);
    const current = stream.length === 0 ? undefined : BigInt(stream.length - 1);
    const expected = options.expectedRevision;
    const wrong = (): never => {
      throw new FakeClientError('wrong-expected-version', 'wrong expected version', {
        streamName,
        expectedVersion: expected,
        actualVersion: current ?? 'no_stream',
      });
    };
    // Idempotency: the batch's ids already sit at consecutive revisions where they were meant to go.
    const start =
      typeof expected === 'bigint'
        ? Number(expected) + 1
        : expected === 'no_stream'
          ? 0
          : stream.findIndex((e) => e.id === events[0]?.id);
    if (start >= 0 && stream[start]?.id === events[0]?.id) {
      const all = events.every((e, i) => stream[start + i]?.id === e.id);
      if (all) return { nextExpectedRevision: BigInt(start + events.length - 1) };
      wrong(); // "corrupted idempotency" is reported as a wrong expected version
    }
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === undefined) ||
      (expected === 'stream_exists' && current !== undefined) ||
      expected === current;
    if (!ok) wrong();
    const position = this.write(streamName, events);
    return { nextExpectedRevision: BigInt(this.stream(streamName).length - 1), position };
  }

  async *readStream(
    streamName: string,
    options: {
      fromRevision?: 'start' | 'end' | bigint;
      maxCount?: number | bigint;
      direction?: 'forwards' | 'backwards';
    },
  ): AsyncIterable<EsdbResolvedEvent> {
    this.check();
    const stream = this.stream(streamName);
    if (stream.length === 0) throw new FakeClientError('stream-not-found', `${streamName} not found`);
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const backwards = options.direction === 'backwards';
    const from =
      options.fromRevision === undefined || options.fromRevision === 'start'
        ? 0n
        : options.fromRevision === 'end'
          ? BigInt(stream.length - 1)
          : options.fromRevision;
    const picked = backwards
      ? stream.filter((e) => e.revision <= from).reverse()
      : stream.filter((e) => e.revision >= from);
    for (const event of picked.slice(0, max)) yield { event };
  }

  async *readAll(options: {
    fromPosition?: EsdbReadPosition;
    maxCount?: number | bigint;
    direction?: 'forwards' | 'backwards';
  }): AsyncIterable<EsdbResolvedEvent> {
    this.check();
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition ?? 'start';
    let picked: EsdbRecordedEvent[];
    if (options.direction === 'backwards') {
      picked = [...this.log]
        .reverse()
        .filter((e) => (from === 'end' || from === 'start' ? from === 'end' : cmp(e.position!, from) < 0));
    } else {
      picked = from === 'start' ? this.log : from === 'end' ? [] : this.log.filter((e) => cmp(e.position!, from) >= 0);
    }
    for (const event of picked.slice(0, max)) yield { event };
  }

  subscribeToAll(options: { fromPosition?: EsdbReadPosition; filter?: EsdbFilter }): EsdbSubscriptionLike {
    const from = options.fromPosition ?? 'start';
    this.subscribeCalls.push(from);
    const out = new PassThrough({
      objectMode: true,
      highWaterMark: this.options.highWaterMark ?? 4,
    }) as unknown as FakeSub;
    let stopped = false;
    let wake: (() => void) | undefined;
    const onAppend = (): void => wake?.();
    out.unsubscribe = async () => {
      stopped = true;
      this.listeners.delete(onAppend);
      wake?.();
      out.end();
    };
    out.fakeDrop = (error: Error) => {
      stopped = true;
      this.listeners.delete(onAppend);
      wake?.();
      out.destroy(error);
    };
    this.subscriptions.push(out);
    this.listeners.add(onAppend);
    const filter = options.filter as
      | (EsdbFilter & { prefixes?: string[]; regex?: string; filterOn: string })
      | undefined;
    const passes = (e: EsdbRecordedEvent): boolean => {
      if (filter === undefined) return true;
      const subject = filter.filterOn === 'eventType' ? e.type : e.streamId;
      if (filter.prefixes) return filter.prefixes.some((p) => subject.startsWith(p));
      return new RegExp(filter.regex ?? '').test(subject);
    };
    const pump = async (): Promise<void> => {
      if (this.unavailable) {
        setImmediate(() => out.destroy(new FakeClientError('unavailable', 'failed to connect')));
        return;
      }
      let index =
        from === 'start' ? 0 : from === 'end' ? this.log.length : this.log.findIndex((e) => cmp(e.position!, from) > 0);
      if (index < 0) index = this.log.length;
      let scanned = 0;
      let caughtUp = false;
      while (!stopped) {
        const event = this.log[index];
        if (event === undefined) {
          if (!caughtUp && this.options.emitCaughtUp !== false) out.emit('caughtUp');
          caughtUp = true;
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        index++;
        if (passes(event)) {
          if (!out.write({ event }))
            await new Promise<void>((r) => {
              wake = r;
              out.once('drain', r);
            });
        }
        if (filter && ++scanned % filter.checkpointInterval === 0) {
          await filter.checkpointReached?.(out as never, event.position!);
        }
      }
    };
    setImmediate(() => void pump().catch((e: unknown) => out.destroy(e as Error)));
    return out;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const s of this.subscriptions) await s.unsubscribe();
  }
}
