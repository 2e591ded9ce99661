/**
 * Convention for benchmarks: each area exports `benchmarks` from
 * `bench/<area>.bench.ts`; `scripts/bench.ts` runs them all and prints one table.
 * A row compares a figure with a baseline measured in the same run.
 */
export interface BenchRow {
  readonly name: string;
  /** The measured figure, e.g. ops/s. */
  readonly value: number;
  readonly unit: string;
  /** What the figure is compared against, measured in the same run. */
  readonly baselineName?: string;
  readonly baseline?: number;
  /** value / baseline (or baseline / value when lower is better: say so in `note`). */
  readonly ratio?: number;
  /** The target from the issue, e.g. ">= 5,000,000 ops/s and >= 50x baseline". */
  readonly target?: string;
  readonly pass?: boolean;
  readonly note?: string;
}

export interface BenchOptions {
  readonly quick: boolean;
}

export type Benchmark = (options: BenchOptions) => Promise<BenchRow[]>;
