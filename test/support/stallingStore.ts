/**
 * A memory store whose subscriptions can be made to fail (each `next()` throws, as a dropped
 * connection does, and every resubscription too) or to hang (events are held, nothing thrown, as
 * a subscription that silently stops delivering) after the engine has started.
 */
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { Subscription, SubscriptionMessage } from '../../src/store/port.js';

export type SubscriptionMode = 'live' | 'failing' | 'hung';

export function stallingStore(clock: () => number): { store: MemoryEventStore; set(mode: SubscriptionMode): void } {
  const store = new MemoryEventStore({ clock });
  let mode: SubscriptionMode = 'live';
  const now = (): SubscriptionMode => mode; // read afresh after each await
  let wake: Array<() => void> = [];
  const original = store.subscribeToAll.bind(store);
  store.subscribeToAll = (options) => {
    const inner = original(options);
    const it = inner[Symbol.asyncIterator]();
    let closed = false;
    const close = async (): Promise<void> => {
      closed = true;
      for (const w of wake.splice(0)) w();
      await inner.close();
    };
    const done = { done: true as const, value: undefined };
    const next = async (): Promise<IteratorResult<SubscriptionMessage>> => {
      if (now() === 'failing') throw new Error('subscription dropped');
      const message = await it.next();
      while (now() === 'hung' && !closed) await new Promise<void>((resolve) => wake.push(resolve));
      if (now() === 'failing') throw new Error('subscription dropped');
      return closed ? done : message;
    };
    const subscription: Subscription = {
      [Symbol.asyncIterator]: () => ({
        next,
        return: async () => {
          await close();
          return done;
        },
      }),
      close,
    };
    return subscription;
  };
  return {
    store,
    set(next) {
      mode = next;
      const woken = wake;
      wake = [];
      for (const w of woken) w();
    },
  };
}
