/**
 * Wire messages of the test server: recorded events and errors, encoded as the
 * real server encodes them (metadata keys `type`, `content-type`, `created` in
 * .NET ticks, read by the client's convertGrpcEvent.js; error statuses and the
 * `exception` metadata key as in the server's RpcExceptions.cs).
 */
import * as grpc from '@grpc/grpc-js';
import type { WireRecord } from './log.js';
import { sharedPb, streamsPb, type ReadResp } from './proto.js';

export function streamName(identifier: { getStreamName_asU8(): Uint8Array } | undefined): string {
  return identifier === undefined ? '' : Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(name: string) {
  const id = new sharedPb.StreamIdentifier();
  id.setStreamName(Buffer.from(name, 'utf8'));
  return id;
}

/** What a Read call writes: a message, or a record's response already encoded (eventResponseBytes). */
export type ReadOut = ReadResp | Buffer;

const encodedResponses = new WeakMap<WireRecord, Buffer>();

/**
 * A record's ReadResp as the bytes on the wire, encoded once per record (the
 * server encodes each record as the log takes it): a record never changes once
 * written, and building a google-protobuf message per record per reader made
 * encoding the larger part of the server's CPU while it served a catch-up.
 * The scale-out bench runs this server on the workers' cores, so that cost was
 * theirs too.
 */
export function eventResponseBytes(record: WireRecord): Buffer {
  let bytes = encodedResponses.get(record);
  if (bytes === undefined) {
    bytes = Buffer.from(eventResponse(record).serializeBinary());
    encodedResponses.set(record, bytes);
  }
  return bytes;
}

/**
 * A record as a *stream* read answers it. The server reads a stream through its index, which
 * holds no log position: commit and prepare are 2^64 − 1 and the ReadEvent says `no_position`
 * (`Enumerators.cs` ConvertToRecordedEvent with no commit position; the maintainers in
 * EventStore-Client-Go #88 and KurrentDB-Client-Dotnet #211). Only `$all` reads carry positions.
 */
export function streamEventResponseBytes(record: WireRecord): Buffer {
  return Buffer.from(eventResponse(record, false).serializeBinary());
}

const NO_POSITION = '18446744073709551615';

function eventResponse(record: WireRecord, withPosition = true): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const uuid = new sharedPb.UUID();
  uuid.setString(record.eventId);
  recorded.setId(uuid);
  recorded.setStreamIdentifier(streamIdentifier(record.streamId));
  recorded.setStreamRevision(record.revision.toString());
  recorded.setPreparePosition(withPosition ? record.position.toString() : NO_POSITION);
  recorded.setCommitPosition(withPosition ? record.position.toString() : NO_POSITION);
  const map = recorded.getMetadataMap();
  map.set('type', record.type);
  map.set('content-type', record.contentType);
  map.set('created', record.created.toString());
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.metadata);
  const read = new streamsPb.ReadResp.ReadEvent();
  read.setEvent(recorded);
  if (withPosition) read.setCommitPosition(record.position.toString());
  else read.setNoPosition(new sharedPb.Empty());
  const resp = new streamsPb.ReadResp();
  resp.setEvent(read);
  return resp;
}

export function checkpointResponse(commit: bigint, prepare: bigint): ReadResp {
  const checkpoint = new streamsPb.ReadResp.Checkpoint();
  checkpoint.setCommitPosition(commit.toString());
  checkpoint.setPreparePosition(prepare.toString());
  const resp = new streamsPb.ReadResp();
  resp.setCheckpoint(checkpoint);
  return resp;
}

export function caughtUpResponse(): ReadResp {
  const resp = new streamsPb.ReadResp();
  resp.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
  return resp;
}

export function confirmationResponse(id: string): ReadResp {
  const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(id);
  const resp = new streamsPb.ReadResp();
  resp.setConfirmation(confirmation);
  return resp;
}

export function streamNotFoundResponse(name: string): ReadResp {
  const notFound = new streamsPb.ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(streamIdentifier(name));
  const resp = new streamsPb.ReadResp();
  resp.setStreamNotFound(notFound);
  return resp;
}

export interface WireError extends Partial<grpc.StatusObject> {
  readonly code: grpc.status;
  readonly details: string;
  readonly metadata: grpc.Metadata;
}

const withException = (code: grpc.status, details: string, entries: Record<string, string> = {}): WireError => {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(entries)) metadata.set(k, v);
  return { code, details, metadata };
};

/** RpcExceptions.InvalidPositionException. */
export const invalidPosition = (): WireError =>
  withException(grpc.status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');
/** RpcExceptions.AccessDenied. */
export const accessDenied = (): WireError =>
  withException(grpc.status.PERMISSION_DENIED, 'Access Denied', { exception: 'access-denied' });
/** RpcExceptions.StreamDeleted: a read of (or a unary append to) a tombstoned stream. */
export const streamDeleted = (name: string): WireError =>
  withException(grpc.status.FAILED_PRECONDITION, `Event stream '${name}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': name,
  });
/** A node going away: the client sees UNAVAILABLE. */
export const unavailable = (details: string): WireError => withException(grpc.status.UNAVAILABLE, details);
/** RpcExceptions.LeaderInfo: a follower refusing a write that requires the leader. */
export const notLeader = (port: number): WireError =>
  withException(grpc.status.NOT_FOUND, 'Leader info available', {
    exception: 'not-leader',
    'leader-endpoint-host': '127.0.0.1',
    'leader-endpoint-port': String(port),
  });
