/** How long the projections have been behind the store (behindWatch.ts; operations review). */
import { describe, expect, it } from 'vitest';
import { BehindWatch } from './behindWatch.js';

function watch() {
  let now = 0;
  const w = new BehindWatch(() => now);
  return { w, advance: (ms: number) => (now += ms) };
}

describe('BehindWatch', () => {
  it('under load, a lag at every reading whose head the fold then reaches is not behind', () => {
    const { w, advance } = watch();
    let head = 100n;
    for (let i = 0; i < 100; i++) {
      w.read(head, 3); // every reading sees a few events not folded yet
      w.folded(head); // the fold reaches that head before the next reading
      head += 50n;
      advance(15_000);
    }
    expect(w.seconds()).toBe(0);
  });

  it('a head never reached counts from its reading, and a later one from its own once the first is reached', () => {
    const { w, advance } = watch();
    w.read(10n, 4);
    advance(30_000);
    w.read(20n, 14);
    advance(45_000);
    expect(w.seconds()).toBe(75);
    w.folded(10n); // slow but moving: behind since the reading of head 20
    expect(w.seconds()).toBe(45);
    w.folded(20n);
    expect(w.seconds()).toBe(0);
  });

  it('a reading without a lag clears it (EventStoreDB: the head may lie past the last event folded)', () => {
    const { w, advance } = watch();
    w.read(10n, 4);
    advance(90_000);
    w.read(12n, 0);
    expect(w.seconds()).toBe(0);
  });
});
