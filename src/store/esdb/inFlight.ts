/**
 * Runs `task(0) … task(count − 1)` with at most `limit` in flight, in index order of start (the
 * adapter's questions to the server a page or a batch asks: positions, eventId claims). A task
 * answering `'stop'` starts no more; those in flight finish. Rejects with the first task's error.
 */
export async function inFlight(
  count: number,
  limit: number,
  task: (index: number) => Promise<'stop' | undefined>,
): Promise<void> {
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (next < count && !stopped) {
      if ((await task(next++)) === 'stop') stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
