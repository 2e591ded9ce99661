/**
 * Client-side deadlines. The 6.x client creates reads, subscriptions and batch
 * appends with `deadline: Infinity` (dist/streams/readAll.js, readStream.js,
 * subscribeToAll.js, appendToStream/batchAppend.js pass `{ deadline: Infinity }`
 * as call options, which win over the per-call `deadline`), and its server-features
 * probe has none at all: against a server that accepts and never answers they
 * wait forever. Every call of the adapter therefore runs under its own timer.
 */

export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`no answer to ${what} within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** `work`, or a DeadlineError after `ms` (then `cancel` is called to release the call). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string, cancel?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel?.();
      reject(new DeadlineError(what, ms));
    }, ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface Cancellable {
  cancel?: () => unknown;
  destroy?: (error?: Error) => unknown;
}

/** Collects a bounded read, all of it within `ms`; on timeout the client's stream is cancelled. */
export async function collectWithin<T>(read: AsyncIterable<T>, ms: number, what: string): Promise<T[]> {
  const out: T[] = [];
  const collect = (async () => {
    for await (const x of read) out.push(x);
    return out;
  })();
  const stream = read as Cancellable;
  return withDeadline(collect, ms, what, () => {
    void Promise.resolve(stream.cancel?.()).catch(() => undefined);
    stream.destroy?.();
  });
}
