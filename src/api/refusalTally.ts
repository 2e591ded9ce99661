/**
 * Refusals anyone reaching the port can cause (operations review): one log line each let 3,000
 * requests without a token write 3,000 lines. They are counted instead, and each (route, status)
 * gets at most one line per interval with its count: the first refusal starts the interval, its
 * end writes the counts (a refusal shows in the log within REFUSAL_SUMMARY_MS).
 */
import type { Logger } from './logger.js';

export const REFUSAL_SUMMARY_MS = 10_000;

export type StartTimer = (run: () => void, ms: number) => void;

const unrefTimer: StartTimer = (run, ms) => {
  setTimeout(run, ms).unref();
};

interface Count {
  readonly route: string;
  readonly status: number;
  count: number;
}

export class RefusalTally {
  /** Keyed by status and route pattern: bounded by the routes, whatever the paths sent. */
  private readonly counts = new Map<string, Count>();
  private timing = false;

  constructor(
    private readonly logger: Logger,
    private readonly startTimer: StartTimer = unrefTimer,
  ) {}

  count(route: string, status: number): void {
    const key = `${status} ${route}`;
    const entry = this.counts.get(key);
    if (entry !== undefined) entry.count++;
    else this.counts.set(key, { route, status, count: 1 });
    if (this.timing) return;
    this.timing = true;
    this.startTimer(() => this.flush(), REFUSAL_SUMMARY_MS);
  }

  private flush(): void {
    this.timing = false;
    for (const { route, status, count } of this.counts.values())
      this.logger.info('requests refused', { route, status, count, seconds: REFUSAL_SUMMARY_MS / 1000 });
    this.counts.clear();
  }
}
