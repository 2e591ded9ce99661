/**
 * A wire-level EventStoreDB test server (test code only, never a product store):
 * serves the gRPC services the real `EventStoreDBClient` 6.x speaks — Streams
 * (Read, Append, BatchAppend) and ServerFeatures — with @grpc/grpc-js, using the
 * service definitions that ship in `@eventstore/db-client/generated`. The real
 * client connects with `esdb://127.0.0.1:<port>?tls=false` and runs its own
 * encoding, server-features probe, batch append and deadlines.
 *
 * What it models is in log.ts (positions, idempotency, system events) and
 * subscription.ts (filtered catch-up, checkpoints, caughtUp). Modes let tests
 * break it the ways a real server breaks:
 * - `refuse`: stop listening (connection refused), `restart()` brings it back on
 *   the same port with the log kept and the eventId cache lost;
 * - `hang`: accept every call and never answer;
 * - `delayMs`: answer every call slowly; `appendDelayMs`: commit appends at once and
 *   answer them late (a client deadline then leaves the outcome unknown, as on a real server),
 *   those to streams starting with `appendDelayPrefix` (all by default);
 * - `timeoutPrefix`: appends to streams starting with it are answered Timeout at once, not written
 *   (the server's commit timed out: for the client the outcome is unknown), the others as usual;
 * - `dropAfterCommitPrefix`: appends to streams starting with it are committed, then the call fails
 *   UNAVAILABLE instead of answering (the connection lost after the commit: on a batch append, the
 *   shared stream fails, as a dropped connection fails it);
 * - `dropSubscriptions()`: fail every live subscription with UNAVAILABLE;
 *   `dropAtCheckpoint = n`: do so once, right after the n-th filter checkpoint sent
 *   (a node going away in the middle of a filtered catch-up);
 * - `deny`: answer AccessDenied (RpcExceptions.AccessDenied / event_store.client.AccessDenied);
 * - `notLeader`: writes answer NotLeader (RpcExceptions.LeaderInfo);
 * - `maxAppendSize`: a batch over it answers MaximumAppendSizeExceeded (1 MiB by default,
 *   as the server's MaxAppendSize; the client's appendToStream-errors.test.ts);
 * - `log.tombstone(stream)`: the stream hard-deleted (by an operator or another client): its reads
 *   and appends answer StreamDeleted, as RpcExceptions.StreamDeleted on a read or a unary append,
 *   and on a batch append as a status whose details pack `event_store.client.StreamDeleted`
 *   (what the client's unpackToCommandError reads).
 */
import * as grpc from '@grpc/grpc-js';
import { type ProposedEvent, WireLog, type WireExpected, type WireLogOptions } from './log.js';
import {
  accessDenied,
  eventResponseBytes,
  streamEventResponseBytes,
  invalidPosition,
  notLeader,
  type ReadOut,
  streamIdentifier,
  streamName,
  streamDeleted,
  streamNotFoundResponse,
  unavailable,
  type WireError,
} from './messages.js';
import {
  googleEmpty,
  packAny,
  serverFeaturesPb,
  serverFeaturesService,
  sharedPb,
  statusPb,
  streamsPb,
  streamsService,
  type AppendReq,
  type AppendResp,
  type BatchAppendReq,
  type BatchAppendResp,
  type ReadReq,
} from './proto.js';
import { parseFilter, parseStart, type WireStart, WireSubscription } from './subscription.js';

export interface WireServerOptions extends WireLogOptions {
  /** The version the server advertises (ServerFeatures); `caughtUp` is sent from 23.10 on. */
  readonly version?: string;
  /** Largest batch in bytes of data + metadata (the server's MaxAppendSize, 1 MiB). */
  readonly maxAppendSize?: number;
  /** Port to bind (0: any free port). */
  readonly port?: number;
}

type Call = grpc.ServerWritableStream<ReadReq, ReadOut> | grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

/** Streams, with a Read response that is already bytes (eventResponseBytes) sent as it is. */
const streamsSendingEncoded: grpc.ServiceDefinition = {
  ...streamsService,
  read: {
    ...streamsService['read']!,
    responseSerialize: (value: ReadOut): Buffer =>
      Buffer.isBuffer(value) ? value : streamsService['read']!.responseSerialize(value),
  },
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const versionAtLeast = (version: string, major: number, minor: number): boolean => {
  const [a = 0, b = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
};

export class WireServer {
  readonly log: WireLog;
  mode: 'normal' | 'hang' | 'deny' | 'notLeader' = 'normal';
  delayMs = 0;
  appendDelayMs = 0;
  appendDelayPrefix = '';
  port = 0;
  /** How many appends (unary or batch requests) reached the server. */
  appendCalls = 0;
  /** The most appends the server was handling at once, from a request's arrival to its answer. */
  maxAppendsInFlight = 0;
  private appendsInFlight = 0;
  timeoutPrefix: string | undefined;
  dropAfterCommitPrefix: string | undefined;
  /** Where each `$all` subscription asked to start, in order. */
  readonly subscribeStarts: WireStart[] = [];
  /** Records sent by `$all` reads (not subscriptions): what a client-side filter would have to parse. */
  allReadRecordsSent = 0;
  /** Drop every subscription once, after this many checkpoints sent in all (0: never). */
  dropAtCheckpoint = 0;
  private checkpointsSent = 0;
  private server: grpc.Server | undefined;
  private readonly subscriptions = new Map<Call, WireSubscription>();
  private readonly hung = new Set<unknown>();

  private constructor(private readonly options: WireServerOptions) {
    this.log = new WireLog(options);
    this.log.onRecord((record) => void eventResponseBytes(record)); // encoded as written, not per reader
  }

  static async start(options: WireServerOptions = {}): Promise<WireServer> {
    const server = new WireServer(options);
    await server.listen(options.port ?? 0);
    return server;
  }

  get version(): string {
    return this.options.version ?? '24.10.0';
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Stops listening: new connections are refused and open calls are cut. */
  async stop(): Promise<void> {
    for (const sub of this.subscriptions.values()) sub.stop();
    this.subscriptions.clear();
    this.hung.clear();
    const server = this.server;
    this.server = undefined;
    server?.forceShutdown();
  }

  /** A server restart: the log survives, the in-memory eventId cache does not. */
  async restart(): Promise<void> {
    await this.stop();
    this.log.restart();
    await this.listen(this.port);
  }

  /** Fails every live subscription as a node going away would. */
  dropSubscriptions(): void {
    for (const [call, sub] of this.subscriptions) {
      sub.stop();
      call.emit('error', unavailable('subscription dropped by the server'));
    }
    this.subscriptions.clear();
  }

  get liveSubscriptions(): number {
    return this.subscriptions.size;
  }

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(streamsSendingEncoded, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadOut>) => void this.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, cb: grpc.sendUnaryData<AppendResp>) =>
        void this.unaryAppend(call, cb),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => this.batchAppend(call),
      delete: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
        cb({ code: grpc.status.UNIMPLEMENTED, details: 'not modelled' }),
      tombstone: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
        cb({ code: grpc.status.UNIMPLEMENTED, details: 'not modelled' }),
    });
    server.addService(serverFeaturesService, {
      getSupportedMethods: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => void this.features(cb),
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, bound) =>
        e ? reject(e) : resolve(bound),
      ),
    );
    this.server = server;
  }

  /** Common entry of every call: hang, answer late, or refuse per the mode. Returns false when the call must not proceed. */
  private async admit(call: unknown, fail: (e: WireError) => void, write: boolean): Promise<boolean> {
    if (this.mode === 'hang') {
      this.hung.add(call);
      return false;
    }
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (this.mode === 'deny') {
      fail(accessDenied());
      return false;
    }
    if (this.mode === 'notLeader' && write) {
      fail(notLeader(this.port));
      return false;
    }
    return true;
  }

  private async features(cb: grpc.sendUnaryData<unknown>): Promise<void> {
    if (!(await this.admit(cb, (e) => cb(e), false))) return;
    const methods = new serverFeaturesPb.SupportedMethods();
    methods.setEventStoreServerVersion(this.version);
    const names = ['read', 'append', 'delete', 'tombstone'];
    // Batch append exists from 21.10 on (the client's appendToStream-errors.test.ts: "Batch append (>21.10)").
    if (versionAtLeast(this.version, 21, 10)) names.push('batchappend');
    methods.setMethodsList(
      names.map((name) => {
        const m = new serverFeaturesPb.SupportedMethod();
        m.setServiceName('event_store.client.streams.Streams');
        m.setMethodName(name);
        m.setFeaturesList(name === 'read' ? ['position', 'events'] : []);
        return m;
      }),
    );
    cb(null, methods);
  }

  private async read(call: grpc.ServerWritableStream<ReadReq, ReadOut>): Promise<void> {
    const fail = (e: WireError): void => void call.emit('error', e);
    if (!(await this.admit(call, fail, false))) return;
    const options = call.request.getOptions();
    if (options === undefined) return fail({ ...invalidPosition(), details: 'no options' });
    const all = options.getAll();
    if (options.hasSubscription()) {
      if (all === undefined) return fail({ ...invalidPosition(), details: 'stream subscriptions are not modelled' });
      this.subscribeStarts.push(parseStart(all));
      const sub = new WireSubscription(
        {
          log: this.log,
          call,
          sendCaughtUp: versionAtLeast(this.version, 23, 10),
          fail,
          checkpointSent: () => {
            if (++this.checkpointsSent === this.dropAtCheckpoint) this.dropSubscriptions();
          },
        },
        parseStart(all),
        parseFilter(options),
      );
      this.subscriptions.set(call, sub);
      call.on('cancelled', () => this.subscriptions.delete(call));
      sub.begin();
      return;
    }
    const count = Number(BigInt(options.getCount() || '0'));
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    const stream = options.getStream();
    let records: readonly import('./log.js').WireRecord[];
    if (stream !== undefined) {
      const name = streamName(stream.getStreamIdentifier());
      if (this.log.isTombstoned(name)) return fail(streamDeleted(name));
      const events = this.log.stream(name);
      if (events.length === 0) {
        call.write(streamNotFoundResponse(name));
        call.end();
        return;
      }
      const from = stream.hasStart() ? 0 : stream.hasEnd() ? events.length - 1 : Number(stream.getRevision());
      records = backwards ? events.slice(0, from + 1).reverse() : events.slice(from);
    } else if (all !== undefined) {
      const start = parseStart(all);
      const log = this.log.records;
      if (typeof start === 'object' && (!this.log.isValidPosition(start.commit) || start.prepare > start.commit)) {
        return fail(invalidPosition());
      }
      const at = start === 'start' ? 0 : start === 'end' ? log.length : this.log.indexAtOrAfter(start.commit);
      records = backwards ? log.slice(0, at).reverse() : log.slice(at);
    } else {
      return fail({ ...invalidPosition(), details: 'no stream option' });
    }
    for (const record of records.slice(0, count)) {
      if (all !== undefined) this.allReadRecordsSent++;
      const bytes = all !== undefined ? eventResponseBytes(record) : streamEventResponseBytes(record);
      if (!call.write(bytes)) await new Promise((r) => call.once('drain', r));
      if (call.cancelled) return;
    }
    call.end();
  }

  private async unaryAppend(
    call: grpc.ServerReadableStream<AppendReq, AppendResp>,
    cb: grpc.sendUnaryData<AppendResp>,
  ): Promise<void> {
    let stream = '';
    let expected: WireExpected = 'any';
    const events: ProposedEvent[] = [];
    call.on('data', (req: AppendReq) => {
      const o = req.getOptions();
      if (o !== undefined) {
        stream = streamName(o.getStreamIdentifier());
        expected = o.hasNoStream()
          ? 'no_stream'
          : o.hasStreamExists()
            ? 'stream_exists'
            : o.hasAny()
              ? 'any'
              : BigInt(o.getRevision());
      }
      const m = req.getProposedMessage();
      if (m !== undefined) events.push(proposed(m));
    });
    await new Promise((r) => call.on('end', r));
    await this.counted(() => this.answerUnary(stream, expected, events, cb));
  }

  /** Runs the handling of one append, counted in `maxAppendsInFlight`. */
  private async counted(handle: () => Promise<void>): Promise<void> {
    this.maxAppendsInFlight = Math.max(this.maxAppendsInFlight, ++this.appendsInFlight);
    try {
      await handle();
    } finally {
      this.appendsInFlight--;
    }
  }

  private dropsAfterCommit(stream: string): boolean {
    return this.dropAfterCommitPrefix !== undefined && stream.startsWith(this.dropAfterCommitPrefix);
  }

  private timesOut(stream: string): boolean {
    return this.timeoutPrefix !== undefined && stream.startsWith(this.timeoutPrefix);
  }

  private async answerUnary(
    stream: string,
    expected: WireExpected,
    events: ProposedEvent[],
    cb: grpc.sendUnaryData<AppendResp>,
  ): Promise<void> {
    if (!(await this.admit(cb, (e) => cb(e), true))) return;
    this.appendCalls++;
    if (this.timesOut(stream)) return cb({ code: grpc.status.DEADLINE_EXCEEDED, details: 'Operation timed out' });
    const decision = this.log.append(stream, expected, events);
    if (this.appendDelayMs > 0 && stream.startsWith(this.appendDelayPrefix)) await sleep(this.appendDelayMs);
    if (this.dropsAfterCommit(stream)) return cb(unavailable('connection lost after the commit'));
    if (decision.kind === 'stream-deleted') return cb(streamDeleted(stream));
    const resp = new streamsPb.AppendResp();
    if (decision.kind === 'wrong-expected-version') {
      const wev = new streamsPb.AppendResp.WrongExpectedVersion();
      if (decision.current === 'no_stream') wev.setCurrentNoStream(new sharedPb.Empty());
      else wev.setCurrentRevision(decision.current.toString());
      // The expected side too (Streams.Append.cs): the client reports it as the error's expectedVersion.
      if (typeof expected === 'bigint') wev.setExpectedRevision(expected.toString());
      else if (expected === 'no_stream') wev.setExpectedNoStream(new sharedPb.Empty());
      else if (expected === 'stream_exists') wev.setExpectedStreamExists(new sharedPb.Empty());
      else wev.setExpectedAny(new sharedPb.Empty());
      resp.setWrongExpectedVersion(wev);
    } else {
      const success = new streamsPb.AppendResp.Success();
      success.setCurrentRevision(decision.revision.toString());
      const position = new streamsPb.AppendResp.Position();
      position.setCommitPosition(decision.position.toString());
      position.setPreparePosition(decision.position.toString());
      success.setPosition(position);
      resp.setSuccess(success);
    }
    cb(null, resp);
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<
      string,
      { options: BatchAppendReq['getOptions'] extends () => infer O ? O : never; events: ProposedEvent[] }
    >();
    call.on('data', (req: BatchAppendReq) => {
      const correlation = req.getCorrelationId()?.getString() ?? '';
      const entry = pending.get(correlation) ?? { options: req.getOptions(), events: [] };
      for (const m of req.getProposedMessagesList()) entry.events.push(proposed(m));
      pending.set(correlation, entry);
      if (req.getIsFinal()) {
        pending.delete(correlation);
        void this.counted(() => this.answerBatch(call, correlation, entry.options, entry.events));
      }
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  private async answerBatch(
    call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>,
    correlation: string,
    options: ReturnType<BatchAppendReq['getOptions']>,
    events: ProposedEvent[],
  ): Promise<void> {
    const stream = streamName(options?.getStreamIdentifier());
    const resp = new streamsPb.BatchAppendResp();
    const id = new sharedPb.UUID();
    id.setString(correlation);
    resp.setCorrelationId(id);
    resp.setStreamIdentifier(streamIdentifier(stream));
    const error = (code: grpc.status, message: string, detail: { serializeBinary(): Uint8Array }, name: string) => {
      const status = new statusPb.Status();
      status.setCode(code as never);
      status.setMessage(message);
      status.setDetails(packAny(detail, `event_store.client.${name}`) as never);
      resp.setError(status);
      call.write(resp);
    };
    const deny = (e: WireError): void =>
      e.code === grpc.status.PERMISSION_DENIED
        ? error(e.code, e.details, new sharedPb.AccessDenied(), 'AccessDenied')
        : void call.emit('error', e);
    if (!(await this.admit(call, deny, true))) return;
    this.appendCalls++;
    if (this.timesOut(stream))
      return error(grpc.status.DEADLINE_EXCEEDED, 'Operation timed out', new sharedPb.Timeout(), 'Timeout');
    const size = events.reduce((n, e) => n + e.data.length + e.metadata.length, 0);
    const max = this.options.maxAppendSize ?? 1024 * 1024;
    if (size > max) {
      const detail = new sharedPb.MaximumAppendSizeExceeded();
      detail.setMaxappendsize(max);
      return error(
        grpc.status.INVALID_ARGUMENT,
        `Maximum Append Size of ${max} Exceeded.`,
        detail,
        'MaximumAppendSizeExceeded',
      );
    }
    const expected: WireExpected = options?.hasNoStream()
      ? 'no_stream'
      : options?.hasStreamExists()
        ? 'stream_exists'
        : options?.hasAny()
          ? 'any'
          : BigInt(options?.getStreamPosition() ?? '0');
    const decision = this.log.append(stream, expected, events);
    if (this.appendDelayMs > 0 && stream.startsWith(this.appendDelayPrefix)) await sleep(this.appendDelayMs);
    if (this.dropsAfterCommit(stream)) return void call.emit('error', unavailable('connection lost after the commit'));
    const deadline = options?.getDeadline();
    if (deadline !== undefined && deadline.getSeconds() * 1000 + deadline.getNanos() / 1e6 < Date.now()) {
      // Committed already: the caller only learns that the deadline passed (outcome unknown).
      return error(grpc.status.DEADLINE_EXCEEDED, 'Operation timed out', new sharedPb.Timeout(), 'Timeout');
    }
    if (decision.kind === 'stream-deleted') {
      const detail = new sharedPb.StreamDeleted();
      detail.setStreamIdentifier(streamIdentifier(stream));
      return error(grpc.status.FAILED_PRECONDITION, `Event stream '${stream}' is deleted.`, detail, 'StreamDeleted');
    }
    if (decision.kind === 'wrong-expected-version') {
      const wev = new sharedPb.WrongExpectedVersion();
      if (decision.current === 'no_stream') wev.setCurrentNoStream(googleEmpty() as never);
      else wev.setCurrentStreamRevision(decision.current.toString());
      if (typeof expected === 'bigint') wev.setExpectedStreamPosition(expected.toString());
      else if (expected === 'no_stream') wev.setExpectedNoStream(googleEmpty() as never);
      else if (expected === 'stream_exists') wev.setExpectedStreamExists(googleEmpty() as never);
      else wev.setExpectedAny(googleEmpty() as never);
      return error(grpc.status.FAILED_PRECONDITION, 'WrongExpectedVersion', wev, 'WrongExpectedVersion');
    }
    const success = new streamsPb.BatchAppendResp.Success();
    success.setCurrentRevision(decision.revision.toString());
    const position = new sharedPb.AllStreamPosition();
    position.setCommitPosition(decision.position.toString());
    position.setPreparePosition(decision.position.toString());
    success.setPosition(position);
    resp.setSuccess(success);
    call.write(resp);
  }
}

function proposed(m: {
  getId(): { getString(): string } | undefined;
  getMetadataMap(): { get(k: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}): ProposedEvent {
  const map = m.getMetadataMap();
  return {
    eventId: m.getId()?.getString() ?? crypto.randomUUID(),
    type: map.get('type') ?? '',
    contentType: map.get('content-type') ?? 'application/octet-stream',
    data: m.getData_asU8(),
    metadata: m.getCustomMetadata_asU8(),
  };
}

/** A TCP port that accepts connections and never answers a byte (below gRPC: no HTTP/2 handshake). */
export async function startBlackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const net = await import('node:net');
  const sockets = new Set<import('node:net').Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
