/**
 * Cooperative slicing of a request's own synchronous work (decoding and
 * deciding up to 1000 events): after SLICE_MS of it the request waits one turn
 * of the event loop (setImmediate), so `/healthz` and other clients are answered
 * in between (issue 13: a 1000-event request was one stretch of 20–100 ms).
 * Yielding changes nothing a request decides: its events are still all decided
 * before any is appended, and a case changed by another request meanwhile is an
 * expected-revision conflict, re-read and re-decided as before.
 */

/** Synchronous work between two yields at most (ms; 2 was tried with 100-event commits: see groupCommit.ts). */
export const SLICE_MS = 4;

export interface TimeSlice {
  /** Waits one turn of the event loop when the slice is used up (then starts a new one), else returns at once. */
  pause(): Promise<void> | undefined;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function timeSlice(sliceMs = SLICE_MS, now: () => number = () => performance.now()): TimeSlice {
  let started = now();
  return {
    pause() {
      if (now() - started < sliceMs) return undefined;
      return nextTurn().then(() => {
        started = now();
      });
    },
  };
}
