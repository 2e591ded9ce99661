/** The median of a bench's runs (the upper one of an even count): load on the machine hits a run, not the median. */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}
