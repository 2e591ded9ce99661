/** What a pass of `scripts/replay-province.ts` (generate, fold, projection) measured; `--json` prints it as one line. */
export interface PassResult {
  readonly pass: 'generate' | 'fold' | 'projection';
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssBytes: number;
  readonly peakHeapBytes: number;
  readonly cases?: number;
  readonly completedCases?: number;
  /** Completed cases kept as rows of columns (completedCases.ts) rather than objects. */
  readonly compactedCases?: number;
  /** Memory the projection holds at the end (full GC before and after), per case kept: JS heap + array buffers. */
  readonly bytesPerCase?: number;
  /** The JS heap part alone (what this field measured before the array buffers were counted). */
  readonly heapBytesPerCase?: number;
  /** The array buffers part alone (the rows' columns and pools). */
  readonly arrayBufferBytesPerCase?: number;
  readonly alertsRaised?: number;
  readonly alertsCleared?: number;
}
