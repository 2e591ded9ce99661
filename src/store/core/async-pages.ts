/**
 * An AsyncIterable of pages whose source may answer later (a page read ahead
 * in a worker thread) or at once, one page per `next()`, without an async
 * generator. The synchronous sibling is pagedIterable (paged-iterable.ts).
 */
export interface AsyncPageSource<T> {
  /** The next non-empty page, or undefined at the end. */
  next(): readonly T[] | undefined | Promise<readonly T[] | undefined>;
  /** Releases what the source holds (a worker): called once, at the end, after an error, or when the consumer stops. */
  close(): void;
}

/**
 * `start` runs lazily, at the first `next()`, so a bad option rejects that
 * call as the synchronous readers do. Calls of `next()` made before the
 * previous one settled are answered in order, one page each.
 */
export function asyncPages<T>(start: () => AsyncPageSource<T>): AsyncIterable<readonly T[]> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<readonly T[]> {
      let source: AsyncPageSource<T> | undefined;
      let done = false;
      let previous: Promise<unknown> = Promise.resolve();
      const finish = (): IteratorResult<readonly T[]> => {
        if (!done) {
          done = true;
          source?.close();
        }
        return { value: undefined, done: true };
      };
      const step = async (): Promise<IteratorResult<readonly T[]>> => {
        if (done) return { value: undefined, done: true };
        try {
          source ??= start();
          const page = await source.next();
          if (page === undefined || done) return finish();
          return { value: page, done: false };
        } catch (e) {
          finish();
          throw e;
        }
      };
      return {
        next(): Promise<IteratorResult<readonly T[]>> {
          const result = previous.then(step, step);
          previous = result.catch(() => undefined);
          return result;
        },
        return(): Promise<IteratorResult<readonly T[]>> {
          return Promise.resolve(finish());
        },
      };
    },
  };
}
