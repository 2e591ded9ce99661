/**
 * An AsyncIterable over synchronously fetched pages, without async-generator
 * overhead per item (reads are the hot path of rebuilds). `nextPage` returns
 * the next page, or undefined when there is no more; it runs lazily, on demand.
 */
export function pagedIterable<T>(start: () => () => readonly T[] | undefined): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let nextPage: (() => readonly T[] | undefined) | undefined;
      let page: readonly T[] = [];
      let index = 0;
      let done = false;
      const finish = (): IteratorResult<T> => {
        done = true;
        page = [];
        return { value: undefined, done: true };
      };
      return {
        next(): Promise<IteratorResult<T>> {
          try {
            while (!done && index >= page.length) {
              nextPage ??= start();
              const fetched = nextPage();
              if (fetched === undefined) return Promise.resolve(finish());
              page = fetched;
              index = 0;
            }
            if (done) return Promise.resolve({ value: undefined, done: true });
            return Promise.resolve({ value: page[index++] as T, done: false });
          } catch (e) {
            finish();
            return Promise.reject(e);
          }
        },
        return(): Promise<IteratorResult<T>> {
          return Promise.resolve(finish());
        },
      };
    },
  };
}
