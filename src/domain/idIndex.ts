/**
 * Finding a pause or an escalation of a case by its id without a scan per
 * lookup, where that matters: a fold of many events (a CaseDraft, evolve.ts)
 * marks the arrays it reads and grows as `indexed`, and a lookup in such an
 * array builds an id → position map once and extends it as the array grows.
 * Any other array is scanned, which is cheaper for the few pauses of a usual
 * case and for a state made by a single `evolve` (a new array per event).
 *
 * Sound because the case state's arrays only ever grow at the end (a draft's
 * `push`) or have an element replaced by one with the same id (a resume, an
 * answer): a position once found stays the id's first position.
 */
interface IdPositions {
  /** id → first position; made at the first lookup (most marked arrays are never searched). */
  first: Map<string, number> | undefined;
  /** Elements looked at so far (the array may have grown since). */
  seen: number;
}

const positions = new WeakMap<readonly object[], IdPositions>();

/**
 * Lookups in `array` may build and keep an index from now on (it must only grow at the end).
 * `copyOf`: the array `array` was copied from, whose index (if any) it starts with.
 */
export function markIndexed(array: readonly object[], copyOf?: readonly object[]): void {
  if (positions.has(array)) return;
  const original = copyOf === undefined ? undefined : positions.get(copyOf);
  positions.set(
    array,
    original?.first === undefined
      ? { first: undefined, seen: 0 }
      : { first: new Map(original.first), seen: original.seen },
  );
}

/** The position of the first element whose id is `id`, or -1. */
export function positionOfId<T extends object>(array: readonly T[], id: string, idOf: (item: T) => string): number {
  const index = positions.get(array);
  if (index === undefined) {
    for (let i = 0; i < array.length; i++) if (idOf(array[i] as T) === id) return i;
    return -1;
  }
  const first = (index.first ??= new Map());
  for (; index.seen < array.length; index.seen++) {
    const key = idOf(array[index.seen] as T);
    if (!first.has(key)) first.set(key, index.seen);
  }
  return first.get(id) ?? -1;
}
