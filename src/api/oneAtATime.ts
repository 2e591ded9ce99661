/**
 * A queue of one: each task starts when the one handed in before it has settled. A write that
 * decides from what the read models show (a notice's `unchanged`, its `changes`) must not read them
 * while another such write is between its append and its apply.
 */
export type OneAtATime = <T>(task: () => Promise<T>) => Promise<T>;

export function oneAtATime(): OneAtATime {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = last.then(task, task);
    last = run.catch(() => undefined);
    return run;
  };
}
