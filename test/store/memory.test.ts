import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { describeEventStoreContract } from './contract.js';

describeEventStoreContract('memory', async (clock) => new MemoryEventStore({ clock }), {
  injectableClock: true,
  startsEmpty: true,
  uniquePositions: true,
  streamReadPositions: true,
  appendManyOrder: 'request',
});
