/** Shared setup of the tests that run the adapter through the real client against the wire server. */
import { randomUUID } from 'node:crypto';
import type { EsdbEventStore, EsdbStoreOptions } from '../../../src/store/esdb/esdb-store.js';
import { openEsdbStore } from '../../../src/store/esdb/open-esdb.js';
import type { EventData, Subscription, SubscriptionMessage } from '../../../src/store/port.js';
import { WireServer, type WireServerOptions } from './server.js';

export const event = (type = 'CaseAccepted', data: Record<string, unknown> = { n: 1 }): EventData => ({
  eventId: randomUUID(),
  type,
  data,
});

export const events = (n: number, type = 'CaseEscalated'): EventData[] =>
  Array.from({ length: n }, (_, i) => event(type, { i }));

export const streamOf = (): string => `case-w${randomUUID().slice(0, 8)}`;

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

/** What a promise settles to: its value, or the error it rejected with. */
export const settle = <T>(p: Promise<T>): Promise<T | unknown> =>
  p.then(
    (v) => v,
    (e: unknown) => e,
  );

export interface Wire {
  readonly server: WireServer;
  readonly store: EsdbEventStore;
  close(): Promise<void>;
}

/**
 * A wire server (standard projections on, so $all holds link events) and an adapter opened on it.
 * Deadline 5 s: long enough for a 1,100-event stream read on a loaded 2-core CI machine.
 */
export async function openWire(
  serverOptions: WireServerOptions = {},
  storeOptions: EsdbStoreOptions = {},
): Promise<Wire> {
  const server = await WireServer.start({ standardProjections: true, ...serverOptions });
  const store = await openEsdbStore(server.connectionString, { deadlineMs: 5000, ...storeOptions });
  return {
    server,
    store,
    async close() {
      await store.close();
      await server.stop();
    },
  };
}

/** Reads a subscription until `until` holds (fails after `ms`). */
export async function receive(
  sub: Subscription,
  until: (got: SubscriptionMessage[]) => boolean,
  ms = 5000,
): Promise<SubscriptionMessage[]> {
  const got: SubscriptionMessage[] = [];
  const iterator = sub[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`subscription timed out after ${ms} ms; got ${got.length}`)), ms);
  });
  try {
    while (!until(got)) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      got.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return got;
}

export const eventIds = (msgs: SubscriptionMessage[]): string[] =>
  msgs.flatMap((m) => (m.kind === 'event' ? [m.event.eventId] : []));
