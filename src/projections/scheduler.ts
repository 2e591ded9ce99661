/**
 * The time source of the projections: a clock and one-shot timers at absolute
 * instants. The real one wraps setTimeout; tests use `createManualScheduler`
 * and move time by hand.
 */
import type { EpochMs } from '../domain/types.js';

export type TimerHandle = { readonly id: number };

export interface Scheduler {
  clock(): EpochMs;
  /** Call `fn` once the clock reaches `at` (immediately-ish when `at` is past). */
  setTimer(at: EpochMs, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

// setTimeout overflows above 2^31 − 1 ms (~24.8 days) and fires at once; cap and re-arm.
const MAX_DELAY_MS = 2 ** 31 - 1;

export function createRealScheduler(clock: () => EpochMs): Scheduler {
  let nextId = 1;
  const live = new Map<number, ReturnType<typeof setTimeout>>();
  const arm = (id: number, at: EpochMs, fn: () => void): void => {
    const delay = Math.min(Math.max(0, at - clock()), MAX_DELAY_MS);
    const t = setTimeout(() => {
      if (!live.has(id)) return;
      if (clock() < at) return arm(id, at, fn); // capped wait, or the clock ran slow
      live.delete(id);
      fn();
    }, delay);
    t.unref?.();
    live.set(id, t);
  };
  return {
    clock,
    setTimer(at, fn) {
      const id = nextId++;
      arm(id, at, fn);
      return { id };
    },
    clearTimer(handle) {
      const t = live.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      live.delete(handle.id);
    },
  };
}

export interface ManualScheduler extends Scheduler {
  /** Set the clock to `to` (never backwards), firing due timers in instant order. */
  advanceTo(to: EpochMs): void;
  advanceBy(ms: number): void;
  pendingTimers(): number;
}

/** A scheduler whose time only moves when told to (for tests and simulations). */
export function createManualScheduler(start: EpochMs): ManualScheduler {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: EpochMs; fn: () => void }>();
  const self: ManualScheduler = {
    clock: () => now,
    setTimer(at, fn) {
      const id = nextId++;
      timers.set(id, { at, fn });
      return { id };
    },
    clearTimer(handle) {
      timers.delete(handle.id);
    },
    advanceTo(to) {
      if (to < now) throw new RangeError(`manual scheduler: cannot move time backwards (${to} < ${now})`);
      for (;;) {
        let bestId: number | undefined;
        let best: { at: EpochMs; fn: () => void } | undefined;
        for (const [id, t] of timers) {
          if (t.at <= to && (best === undefined || t.at < best.at || (t.at === best.at && id < (bestId ?? 0)))) {
            best = t;
            bestId = id;
          }
        }
        if (best === undefined || bestId === undefined) break;
        timers.delete(bestId);
        now = Math.max(now, best.at);
        best.fn();
      }
      now = to;
    },
    advanceBy(ms) {
      self.advanceTo(now + ms);
    },
    pendingTimers: () => timers.size,
  };
  return self;
}
