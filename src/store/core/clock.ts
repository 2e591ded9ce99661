/** The store's clock, injected for tests: epoch milliseconds or a Date. */
export type StoreClock = () => number | Date;

export const systemClock: StoreClock = () => Date.now();

/** ISO-8601 UTC text of the clock's current instant. */
export const recordedAtNow = (clock: StoreClock): string => {
  const now = clock();
  return (typeof now === 'number' ? new Date(now) : now).toISOString();
};

export interface StoreOptions {
  readonly clock?: StoreClock;
}
