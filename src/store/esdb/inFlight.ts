/**
 * Runs `task(0) … task(count − 1)` with at most `limit` in flight, in index order of start (the
 * adapter's questions to the server a page or a batch asks: positions, eventId claims; the
 * requests of appendMany). A task answering `'stop'` starts no more; those in flight finish. A
 * task that throws starts no more either: the call rejects with the first error once every task
 * in flight has settled, so none is left running unobserved.
 */
export async function inFlight(
  count: number,
  limit: number,
  task: (index: number) => Promise<'stop' | undefined>,
): Promise<void> {
  let next = 0;
  let stopped = false;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && !stopped) {
      try {
        if ((await task(next++)) === 'stop') stopped = true;
      } catch (error) {
        stopped = true;
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  if (failure !== undefined) throw failure.error;
}
