/**
 * The transaction log of the wire-level EventStoreDB test server: what the
 * server stores and how it decides an append. Pure data, no gRPC.
 *
 * Modelled on the server's documented and coded behaviour:
 * - Positions are byte offsets into the log. Every event of a gRPC append is its
 *   own record with commit == prepare (the server's v2 log writes one prepare
 *   per event with an implicit commit; EventStore Core `TFPos`,
 *   `Enumerator.AllSubscriptionFiltered.cs` reads positions per record).
 *   A record's size here is a fixed header plus its stream name, type, data and
 *   metadata bytes; a position inside a record is invalid (`ReadAllResult.InvalidPosition`,
 *   EventStore.Core/Data/ReadAllResult.cs; the subscription start fails with
 *   `InvalidPositionException` in Enumerator.AllSubscriptionFiltered.cs).
 * - Idempotency (EventStore docs "Optimistic concurrency and idempotence",
 *   docs/clients/dotnet/21.2/appending/optimistic-concurrency-and-idempotence.md):
 *   with an expected revision, a retry is recognised from the log itself (the
 *   events at expected+1.. carry the same ids) and answered with the original
 *   revision and position (since 20.6); a partial match is "corrupted idempotency",
 *   answered WrongExpectedVersion. With `any` (and `stream_exists`), the server only
 *   consults an in-memory eventId cache, which a restart loses: after a restart the
 *   retry is written again; every eventId cached for this stream, in any order, is a
 *   retry answered at the last eventId's revision (EventStore `IndexWriter.CheckCommit`;
 *   test/store/esdb-wire-log.test.ts pins each branch).
 * - `$all` holds system and link events: `$statsCollected`, and with the standard
 *   projections on, `$>` links in `$ce-<category>` and `$et-<type>` after each event.
 * - A tombstoned (hard-deleted) stream refuses every append, whatever its expected revision,
 *   before any revision check (the server's commit check: `StreamDeleted` first), and every read
 *   (RpcExceptions.StreamDeleted). Not modelled: the `$streamDeleted` record the server writes
 *   in its place (in `$all`), and soft deletes (`deleteStream`, after which a stream may be
 *   written again): the adapter never deletes, and only a tombstone answers `StreamDeleted`.
 */

export type WireExpected = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface WireRecord {
  readonly position: bigint;
  readonly size: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server's `created` metadata. */
  readonly created: bigint;
}

export interface ProposedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type AppendDecision =
  | { readonly kind: 'written'; readonly revision: bigint; readonly position: bigint }
  | { readonly kind: 'idempotent'; readonly revision: bigint; readonly position: bigint }
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint | 'no_stream' }
  | { readonly kind: 'stream-deleted' };

/** Fixed part of a record's size, in bytes (the prepare record header of the real log is of this order). */
const RECORD_HEADER = 96n;
const TICKS_PER_MS = 10_000n;

const bytes = (s: string): bigint => BigInt(Buffer.byteLength(s, 'utf8'));

export interface WireLogOptions {
  /** Write `$ce-` and `$et-` link events after each user event, as the standard projections do. */
  readonly standardProjections?: boolean;
  /** Epoch ms for `created`; default the system clock (the server's clock). */
  readonly now?: () => number;
}

export class WireLog {
  readonly records: WireRecord[] = [];
  private readonly byPosition = new Map<bigint, number>();
  private readonly streams = new Map<string, number[]>();
  /** The server's in-memory eventId → (stream, revision) cache, used for `any` appends; lost on restart. */
  private eventIdCache = new Map<string, { streamId: string; revision: bigint }>();
  /** Streams tombstoned (hard-deleted): never written or read again. */
  private readonly tombstoned = new Set<string>();
  private end = 0n;
  private readonly listeners = new Set<(record: WireRecord) => void>();

  constructor(private readonly options: WireLogOptions = {}) {
    this.writeRecord('$stats-127.0.0.1:2113', {
      eventId: '00000000-0000-4000-8000-000000000001',
      type: '$statsCollected',
      contentType: 'application/json',
      data: Buffer.from('{}'),
      metadata: new Uint8Array(),
    });
  }

  /** The log position after the last record (where the next record will start). */
  get endPosition(): bigint {
    return this.end;
  }

  /** Called for every record written, user or system. */
  onRecord(listener: (record: WireRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A restart of the server process: the log stays, the in-memory eventId cache is gone. */
  restart(): void {
    this.eventIdCache = new Map();
  }

  /** True when `position` is the start of a record, or the end of the log. */
  isValidPosition(position: bigint): boolean {
    return position === this.end || this.byPosition.has(position);
  }

  /** Index of the first record at or after `position` (records.length when none). */
  indexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.records[mid] as WireRecord).position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  stream(streamId: string): WireRecord[] {
    return (this.streams.get(streamId) ?? []).map((i) => this.records[i] as WireRecord);
  }

  /** Tombstones the stream (an operator's or another client's hard delete): kept in the log, refused from now on. */
  tombstone(streamId: string): void {
    this.tombstoned.add(streamId);
  }

  isTombstoned(streamId: string): boolean {
    return this.tombstoned.has(streamId);
  }

  currentRevision(streamId: string): bigint | 'no_stream' {
    const indexes = this.streams.get(streamId);
    return indexes === undefined || indexes.length === 0 ? 'no_stream' : BigInt(indexes.length - 1);
  }

  /** A system event, e.g. the periodic `$statsCollected`. */
  writeSystemEvent(streamId = '$stats-127.0.0.1:2113', type = '$statsCollected'): WireRecord {
    return this.writeRecord(streamId, {
      eventId: crypto.randomUUID(),
      type,
      contentType: 'application/json',
      data: Buffer.from('{}'),
      metadata: new Uint8Array(),
    });
  }

  append(streamId: string, expected: WireExpected, events: readonly ProposedEvent[]): AppendDecision {
    if (this.tombstoned.has(streamId)) return { kind: 'stream-deleted' };
    const current = this.currentRevision(streamId);
    const cur = current === 'no_stream' ? -1n : current;
    const ids = events.map((e) => e.eventId.toLowerCase());
    if (expected === 'any' || expected === 'stream_exists') {
      if (expected === 'stream_exists' && current === 'no_stream') return { kind: 'wrong-expected-version', current };
      // IndexWriter.CheckCommit: each eventId must be cached for this stream, in any order; the
      // first missing writes the batch, a later one is corrupted idempotency (answered WrongExpectedVersion).
      let last: bigint | undefined;
      for (const [i, id] of ids.entries()) {
        const cached = this.eventIdCache.get(id);
        if (cached === undefined || cached.streamId !== streamId)
          return i === 0 ? this.write(streamId, events, cur) : { kind: 'wrong-expected-version', current };
        last = cached.revision;
      }
      return last === undefined ? this.write(streamId, events, cur) : this.idempotent(streamId, last);
    }
    const exp = expected === 'no_stream' ? -1n : expected;
    if (exp === cur) return this.write(streamId, events, cur);
    if (exp < cur) {
      const check = this.compareAt(streamId, exp + 1n, ids);
      if (check === 'all') return this.idempotent(streamId, exp + BigInt(ids.length));
    }
    return { kind: 'wrong-expected-version', current };
  }

  private compareAt(streamId: string, from: bigint, ids: readonly string[]): 'all' | 'none' | 'partial' {
    const stream = this.stream(streamId);
    let same = 0;
    for (let i = 0; i < ids.length; i++) {
      if (stream[Number(from) + i]?.eventId === ids[i]) same++;
    }
    return same === ids.length ? 'all' : same === 0 ? 'none' : 'partial';
  }

  /** A recognised retry: the original last revision and its position. */
  private idempotent(streamId: string, lastRevision: bigint): AppendDecision {
    const record = this.stream(streamId)[Number(lastRevision)] as WireRecord;
    return { kind: 'idempotent', revision: lastRevision, position: record.position };
  }

  private write(streamId: string, events: readonly ProposedEvent[], current: bigint): AppendDecision {
    let last: WireRecord | undefined;
    for (const e of events) last = this.writeRecord(streamId, e);
    if (this.options.standardProjections) {
      for (const e of events) this.writeLinks(streamId, e);
    }
    if (last === undefined) return { kind: 'written', revision: current, position: this.end };
    return { kind: 'written', revision: last.revision, position: last.position };
  }

  /** `$>` links as the `$by_category` and `$by_event_type` standard projections write them. */
  private writeLinks(streamId: string, event: ProposedEvent): void {
    const record = this.stream(streamId).find((r) => r.eventId === event.eventId.toLowerCase());
    if (record === undefined || streamId.startsWith('$')) return;
    const link = Buffer.from(`${record.revision}@${streamId}`);
    const dash = streamId.indexOf('-');
    const targets = [`$et-${event.type}`, ...(dash > 0 ? [`$ce-${streamId.slice(0, dash)}`] : [])];
    for (const target of targets) {
      this.writeRecord(target, {
        eventId: crypto.randomUUID(),
        type: '$>',
        contentType: 'application/octet-stream',
        data: link,
        metadata: new Uint8Array(),
      });
    }
  }

  private writeRecord(streamId: string, e: ProposedEvent): WireRecord {
    const indexes = this.streams.get(streamId) ?? [];
    const size = RECORD_HEADER + bytes(streamId) + bytes(e.type) + BigInt(e.data.length + e.metadata.length);
    const record: WireRecord = {
      position: this.end,
      size,
      streamId,
      revision: BigInt(indexes.length),
      eventId: e.eventId.toLowerCase(),
      type: e.type,
      contentType: e.contentType,
      data: e.data,
      metadata: e.metadata,
      created: BigInt(this.options.now?.() ?? Date.now()) * TICKS_PER_MS,
    };
    indexes.push(this.records.length);
    this.streams.set(streamId, indexes);
    this.byPosition.set(record.position, this.records.length);
    this.records.push(record);
    this.eventIdCache.set(record.eventId, { streamId, revision: record.revision });
    this.end += size;
    for (const listener of this.listeners) listener(record);
    return record;
  }
}
