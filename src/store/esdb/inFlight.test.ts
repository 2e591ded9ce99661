import { describe, expect, it } from 'vitest';
import { inFlight } from './inFlight.js';

describe('inFlight', () => {
  it('after a task throws, starts no more and rejects with its error once those in flight have settled', async () => {
    const release: (() => void)[] = [];
    const started: number[] = [];
    const failing = new Error('the server went away');
    let settled = false;
    const run = inFlight(10, 3, async (i) => {
      started.push(i);
      if (i === 0) throw failing;
      await new Promise<void>((resolve) => release.push(resolve));
      return undefined;
    }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    expect(settled).toBe(false);
    for (const r of release) r();
    await expect(run).rejects.toBe(failing);
    expect(started).toEqual([0, 1, 2]);
  });
});
