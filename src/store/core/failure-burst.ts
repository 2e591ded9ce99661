/**
 * A run of failures of one kind of write (the event store's appends, the
 * access trail's lines) seen as one incident: it starts at the first failure
 * after a success (or after `quietMs` without failures) and ends at the next
 * success or once `quietMs` pass without another failure. Callers log the
 * start and the end, so a full disk gives two log lines, not one per request,
 * and readiness reports the incident while it lasts.
 */

export interface WriteFailure {
  /** What is wrong, in words an operator can act on (e.g. "disk full (SQLITE_FULL)"). */
  readonly reason: string;
  /** ISO-8601 instant of the burst's first failure. */
  readonly since: string;
  /** Failures in this burst so far. */
  readonly failures: number;
}

export const DEFAULT_QUIET_MS = 30_000;

export interface FailureBurst {
  /** Records a failure; true when it starts a new burst (log it). */
  failed(reason: string, nowMs: number): boolean;
  /** Records a success; the burst it ends, if one was running (log the recovery). */
  succeeded(): WriteFailure | undefined;
  /** The burst running at `nowMs`, if any. */
  current(nowMs: number): WriteFailure | undefined;
}

export function failureBurst(quietMs: number = DEFAULT_QUIET_MS): FailureBurst {
  let burst: { reason: string; sinceMs: number; lastMs: number; failures: number } | undefined;
  const running = (nowMs: number) => (burst !== undefined && nowMs - burst.lastMs < quietMs ? burst : undefined);
  const view = (b: NonNullable<typeof burst>): WriteFailure => ({
    reason: b.reason,
    since: new Date(b.sinceMs).toISOString(),
    failures: b.failures,
  });
  return {
    failed(reason, nowMs) {
      const open = running(nowMs);
      if (open !== undefined) {
        open.lastMs = nowMs;
        open.failures += 1;
        open.reason = reason;
        return false;
      }
      burst = { reason, sinceMs: nowMs, lastMs: nowMs, failures: 1 };
      return true;
    },
    succeeded() {
      const ended = burst;
      burst = undefined;
      return ended === undefined ? undefined : view(ended);
    },
    current(nowMs) {
      const open = running(nowMs);
      return open === undefined ? undefined : view(open);
    },
  };
}

/**
 * What a write failed on, when the cause is the disk or another process rather than the data:
 * SQLite's SQLITE_FULL, SQLITE_IOERR_* and SQLITE_BUSY / SQLITE_LOCKED codes, or the system's
 * errno (ENOSPC, EDQUOT, EIO). Undefined for anything else.
 */
export function writeFailureReason(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `disk full (${code})`;
  if (code === 'EDQUOT') return `disk quota exceeded (${code})`;
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return `I/O error (${code})`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return `the database is locked by another process (${code})`;
  return undefined;
}
