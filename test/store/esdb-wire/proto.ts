/**
 * The gRPC service definitions and protobuf messages that ship with the
 * EventStoreDB client (`@eventstore/db-client/generated`), loaded as CommonJS
 * (the generated code is not ESM) and typed with their own declarations.
 */
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as ServerFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StatusPb from '@eventstore/db-client/generated/status_pb.js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';

const require = createRequire(import.meta.url);
const generated = (name: string): unknown => require(`@eventstore/db-client/generated/${name}.js`);

export const streamsPb = generated('streams_pb') as typeof StreamsPb;
export const sharedPb = generated('shared_pb') as typeof SharedPb;
export const statusPb = generated('status_pb') as typeof StatusPb;
export const serverFeaturesPb = generated('serverfeatures_pb') as typeof ServerFeaturesPb;
export const streamsService = (generated('streams_grpc_pb') as { StreamsService: GrpcJs.ServiceDefinition })
  .StreamsService;
export const serverFeaturesService = (
  generated('serverfeatures_grpc_pb') as { ServerFeaturesService: GrpcJs.ServiceDefinition }
).ServerFeaturesService;

interface AnyMessage {
  pack(serialized: Uint8Array, name: string, prefix?: string): void;
}
const anyPb = require('google-protobuf/google/protobuf/any_pb.js') as { Any: new () => AnyMessage };
const emptyPb = require('google-protobuf/google/protobuf/empty_pb.js') as { Empty: new () => unknown };

/** A `google.protobuf.Any` holding `message` under its EventStore type name (unpacked by the client's unpackError.js). */
export function packAny(message: { serializeBinary(): Uint8Array }, typeName: string): unknown {
  const any = new anyPb.Any();
  any.pack(message.serializeBinary(), typeName);
  return any;
}

export const googleEmpty = (): unknown => new emptyPb.Empty();

export type ReadReq = StreamsPb.ReadReq;
export type ReadResp = StreamsPb.ReadResp;
export type BatchAppendReq = StreamsPb.BatchAppendReq;
export type BatchAppendResp = StreamsPb.BatchAppendResp;
export type AppendReq = StreamsPb.AppendReq;
export type AppendResp = StreamsPb.AppendResp;
