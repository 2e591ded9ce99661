import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Directory } from '../domain/directory.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import type { RecordedEvent } from '../store/port.js';
import {
  applyDirectoryEvent,
  DIRECTORY_STREAM_ID,
  DirectoryBook,
  directoryEventData,
  loadDirectory,
} from './directoryEvents.js';

const publishedAt = '2025-09-22T10:00:00+08:00';

/** Small directories; `bad` ones have a center whose parent is missing (refused on decode). */
const publication = fc.record({
  bad: fc.boolean(),
  centers: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }),
  region: fc.constantFrom(undefined, 'r1', 'r2'),
});
const directoryOf = (p: { bad: boolean; centers: string[]; region: string | undefined }): Directory => ({
  centers: [
    ...p.centers.map((id) => ({
      centerId: id,
      name: `中心${id}`,
      level: 'street' as const,
      ...(p.region === undefined ? {} : { region: p.region }),
    })),
    ...(p.bad ? [{ centerId: 'z', name: 'Z', level: 'street' as const, parentId: 'missing' }] : []),
  ],
  departments: [],
});

async function storeWith(
  directories: readonly Directory[],
): Promise<{ store: MemoryEventStore; events: RecordedEvent[] }> {
  const store = new MemoryEventStore({ clock: () => Date.parse(publishedAt) });
  for (const d of directories) {
    // Written straight to the store (as a damaged or hand-made stream could be), not through the route's validation.
    await store.append(DIRECTORY_STREAM_ID, [directoryEventData(d, publishedAt)]);
  }
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(DIRECTORY_STREAM_ID)) events.push(e);
  return { store, events };
}

describe('DirectoryBook: the latest valid publication of directory-CN', () => {
  it('after any sequence, holds the last valid publication (version = its revision + 1); invalid ones are reported, not applied', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(publication, { maxLength: 6 }), async (pubs) => {
        const { store } = await storeWith(pubs.map(directoryOf));
        const book = new DirectoryBook();
        const problems = await loadDirectory(store, book);
        expect(problems).toHaveLength(pubs.filter((p) => p.bad).length);
        const last = pubs
          .map((p, i) => ({ p, i }))
          .filter(({ p }) => !p.bad)
          .pop();
        if (last === undefined) {
          expect(book.view()).toEqual({ version: 0, centers: [], departments: [] });
        } else {
          expect(book.view()).toEqual({ version: last.i + 1, publishedAt, ...directoryOf(last.p) });
        }
      }),
      { numRuns: 50 },
    );
  });

  it('restart-safe: the start read then a live replay of any suffix (or all) changes nothing and tells no listener', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(publication, { minLength: 1, maxLength: 6 }), fc.nat(), async (pubs, cut) => {
        const { store, events } = await storeWith(pubs.map(directoryOf));
        const book = new DirectoryBook();
        await loadDirectory(store, book);
        const before = book.view();
        let told = 0;
        book.onChange(() => told++);
        for (const e of events.slice(cut % events.length)) applyDirectoryEvent(book, e);
        await loadDirectory(store, book);
        expect(book.view()).toEqual(before);
        expect(told).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('tells its listeners each new publication with the previous one', async () => {
    const { events } = await storeWith([
      directoryOf({ bad: false, centers: ['a'], region: 'r1' }),
      directoryOf({ bad: false, centers: ['a'], region: 'r2' }),
    ]);
    const book = new DirectoryBook();
    const seen: (string | undefined)[][] = [];
    book.onChange((next, previous) => seen.push([previous.regionOfCenter('a'), next.regionOfCenter('a')]));
    for (const e of events) applyDirectoryEvent(book, e);
    expect(seen).toEqual([
      [undefined, 'r1'],
      ['r1', 'r2'],
    ]);
  });
});

describe('DirectoryBook.viewAsKnownAt: the publication recorded by K, with its version', () => {
  it('equals the view of a book that read only the events the store had recorded by K', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ p: publication, gap: fc.integer({ min: 0, max: 3 }) }), { maxLength: 6 }),
        fc.integer({ min: -1, max: 20 }),
        async (pubs, k) => {
          // Instants 0, 1, 2… minutes after T0, several publications possibly in the same minute.
          const t0 = Date.parse(publishedAt);
          let now = t0;
          const store = new MemoryEventStore({ clock: () => now });
          for (const { p, gap } of pubs) {
            now += gap * 60_000;
            await store.append(DIRECTORY_STREAM_ID, [directoryEventData(directoryOf(p), publishedAt)]);
          }
          const book = new DirectoryBook();
          await loadDirectory(store, book);
          const knownAt = t0 + k * 60_000;
          const oracle = new DirectoryBook();
          for await (const e of store.readStream(DIRECTORY_STREAM_ID)) {
            if (Date.parse(e.recordedAt) <= knownAt) applyDirectoryEvent(oracle, e);
          }
          const seen = book.viewAsKnownAt(knownAt);
          expect(seen).toEqual(oracle.view());
          // The same publication the reads as known at K take names and regions from.
          const { version: _v, publishedAt: _p, ...lists } = seen;
          expect(lists).toEqual(book.asKnownAt(knownAt).directory);
          if (knownAt >= now) expect(seen).toEqual(book.view());
        },
      ),
      { numRuns: 100 },
    );
  });
});
