import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AsyncPageSource, asyncPages } from './async-pages.js';

/**
 * A source of `pages`, each answered at once or after `delays[i]` ms, that refuses
 * a call before the last one settled (as the read-ahead does); counts its close() calls.
 */
function sourceOf(pages: number[][], delays: (number | null)[]) {
  const counts = { starts: 0, closes: 0 };
  const start = (): AsyncPageSource<number> => {
    counts.starts++;
    let i = 0;
    let busy = false;
    return {
      next: () => {
        if (busy) throw new Error('next() before the last call settled');
        const page = pages[i];
        const delay = delays[i % delays.length] ?? null;
        i++;
        if (delay === null) return page;
        busy = true;
        return new Promise((resolve) =>
          setTimeout(() => {
            busy = false;
            resolve(page);
          }, delay),
        );
      },
      close: () => counts.closes++,
    };
  };
  return { start, counts };
}

const pagesArb = fc.array(fc.array(fc.integer(), { minLength: 1, maxLength: 4 }), { maxLength: 8 });
const delaysArb = fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { minLength: 1, maxLength: 4 });

describe('asyncPages', () => {
  it('yields the pages in order, then ends and closes the source once, answered at once or later (property)', async () => {
    await fc.assert(
      fc.asyncProperty(pagesArb, delaysArb, async (pages, delays) => {
        const { start, counts } = sourceOf(pages, delays);
        const seen: (readonly number[])[] = [];
        for await (const page of asyncPages(start)) seen.push(page);
        expect(seen).toEqual(pages);
        expect(counts).toEqual({ starts: 1, closes: 1 });
      }),
      { numRuns: 60 },
    );
  });

  it('answers next() calls made before the last settled in order, one page each (property)', async () => {
    await fc.assert(
      fc.asyncProperty(pagesArb, delaysArb, fc.integer({ min: 1, max: 12 }), async (pages, delays, calls) => {
        const { start, counts } = sourceOf(pages, delays);
        const it = asyncPages(start)[Symbol.asyncIterator]();
        const results = await Promise.all(Array.from({ length: calls }, () => it.next()));
        const expected = Array.from({ length: calls }, (_, i) =>
          i < pages.length ? { value: pages[i], done: false } : { value: undefined, done: true },
        );
        expect(results).toEqual(expected);
        expect(counts.closes).toBe(calls > pages.length ? 1 : 0);
      }),
      { numRuns: 60 },
    );
  });

  it('starts lazily; a failing start or page rejects that next(), then the iteration is over and closed', async () => {
    let started = false;
    const failingStart = asyncPages<number>(() => {
      started = true;
      throw new RangeError('bad option');
    });
    const it = failingStart[Symbol.asyncIterator]();
    expect(started).toBe(false);
    await expect(it.next()).rejects.toThrow('bad option');
    expect(await it.next()).toEqual({ value: undefined, done: true });

    let closes = 0;
    const failingPage = asyncPages<number>(() => ({
      next: () => Promise.reject(new Error('read failed')),
      close: () => closes++,
    }))[Symbol.asyncIterator]();
    await expect(failingPage.next()).rejects.toThrow('read failed');
    expect(await failingPage.next()).toEqual({ value: undefined, done: true });
    expect(closes).toBe(1);
  });

  it('return() closes the source once, and later next() calls are done', async () => {
    const { start, counts } = sourceOf([[1], [2], [3]], [null]);
    const it = asyncPages(start)[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: [1], done: false });
    expect(await it.return?.()).toEqual({ value: undefined, done: true });
    await it.return?.();
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(counts).toEqual({ starts: 1, closes: 1 });
  });
});
