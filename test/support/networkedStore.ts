/**
 * A memory store whose appends answer after a round trip, as EventStoreDB's do over the network:
 * with the memory and sqlite stores an append and its apply finish within one turn of the event
 * loop, which hides what a second request does between the two.
 */
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';

export function networkedStore(clock: () => number, roundTripMs = 20): MemoryEventStore {
  const store = new MemoryEventStore({ clock });
  const append = store.append.bind(store);
  store.append = async (...args) => {
    await new Promise((resolve) => setTimeout(resolve, roundTripMs));
    return append(...args);
  };
  return store;
}
