/**
 * The part of the `@eventstore/db-client` 6.x client the adapter uses, typed
 * structurally so a fake can stand in for the real client in unit tests.
 * `esdb-store.ts` checks at compile time that the real client satisfies it.
 */
import type { Readable } from 'node:stream';
import type { Filter } from '@eventstore/db-client';

export type EsdbPosition = { readonly commit: bigint; readonly prepare: bigint };
export type EsdbReadPosition = 'start' | 'end' | EsdbPosition;
export type EsdbExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EsdbEventData {
  readonly id: string;
  readonly contentType: 'application/json';
  readonly type: string;
  readonly data: Record<string | number, unknown> | unknown[] | string;
  readonly metadata: Record<string, unknown> | undefined;
}

export interface EsdbRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly isJson: boolean;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  /** Custom metadata: parsed JSON, bytes, or undefined when none was written. */
  readonly metadata?: unknown;
  readonly position?: EsdbPosition;
}

export interface EsdbResolvedEvent {
  readonly event?: EsdbRecordedEvent;
}

/** The client's filter, as built by `streamNameFilter` / `excludeSystemEvents`. */
export type EsdbFilter = Filter;

export interface EsdbCallOptions {
  readonly deadline?: number;
}

/** A subscription: an object-mode Readable of resolved events that emits `caughtUp` on newer servers. */
export type EsdbSubscriptionLike = Readable & { unsubscribe(): Promise<void> };

export interface EsdbClientLike {
  appendToStream(
    streamName: string,
    events: EsdbEventData[],
    options: EsdbCallOptions & { expectedRevision: EsdbExpectedRevision },
  ): Promise<{ nextExpectedRevision: bigint; position?: EsdbPosition }>;
  readStream(
    streamName: string,
    options: EsdbCallOptions & {
      fromRevision?: 'start' | 'end' | bigint;
      maxCount?: number | bigint;
      direction?: 'forwards' | 'backwards';
    },
  ): AsyncIterable<EsdbResolvedEvent>;
  readAll(
    options: EsdbCallOptions & {
      fromPosition?: EsdbReadPosition;
      maxCount?: number | bigint;
      direction?: 'forwards' | 'backwards';
    },
  ): AsyncIterable<EsdbResolvedEvent>;
  subscribeToAll(options: { fromPosition?: EsdbReadPosition; filter?: EsdbFilter }): EsdbSubscriptionLike;
  dispose(): Promise<void>;
}
