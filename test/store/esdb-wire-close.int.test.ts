/**
 * Regression: `close()` of an EventStoreDB subscription ends the iteration
 * when it is called between two messages (the consumer has taken `caught-up`
 * and is about to ask for the next). The generator resumed after its `yield`
 * and waited for a wake-up that `close()` had already given, so `for await`
 * never ended, and with it the projections' `stop()` (the engine's shutdown).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { events, openWire, streamOf, type Wire } from './esdb-wire/harness.js';

let wire: Wire | undefined;
afterEach(async () => {
  await wire?.close();
  wire = undefined;
});

describe('closing an EventStoreDB subscription (real client, wire server)', () => {
  it('ends the iteration when close() comes right after caught-up, before the next message is asked for', async () => {
    wire = await openWire();
    const s = streamOf();
    await wire.store.append(s, events(3));
    const sub = wire.store.subscribeToAll({ fromPosition: 'start', streamPrefixes: [s] });
    let caughtUp!: () => void;
    const reachedHead = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    const kinds: string[] = [];
    const iteration = (async () => {
      for await (const m of sub) {
        kinds.push(m.kind);
        if (m.kind === 'caught-up') caughtUp();
      }
    })();
    await reachedHead;
    await sub.close();
    const ended = await Promise.race([
      iteration.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 3000)),
    ]);
    expect(ended).toBe(true);
    expect(kinds.filter((k) => k === 'event')).toHaveLength(3);
  });
});
