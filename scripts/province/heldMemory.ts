/**
 * What a replay holds, for bytes per case (issue 18 goal 1): the JS heap and
 * the array buffers (typed arrays' contents are outside the heap), after full
 * garbage collections. Shared by the live replay and the rebuild.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Node's gc(), exposed at run time when the process was not started with --expose-gc. */
export function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) return g;
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
}

export interface Held {
  readonly heap: number;
  readonly arrayBuffers: number;
}

/** The JS heap and the array buffers after three full GCs. */
export function heldAfterGc(gc: () => void): Held {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
}
