/**
 * The auditors' access trail: who (role + token fingerprint, never the token)
 * read which case, when. Kept apart from the operational log, which never
 * carries case ids; in production it is an append-only JSON-lines file.
 */
import { appendFileSync, closeSync, openSync } from 'node:fs';
import { ConfigError } from '../config/tokens.js';
import { dirname } from 'node:path';
import { formatInstant } from '../domain/time.js';
import type { EpochMs } from '../domain/types.js';
import { makeFolders } from '../store/core/makeFolders.js';
import { failureBurst, type WriteFailure, writeFailureReason } from '../store/core/failure-burst.js';
import { PRIVATE_MODE, tightenToPrivate } from '../store/core/privateMode.js';
import { ApiError } from './errors.js';
import type { Logger } from './logger.js';

export interface AccessRecord {
  /**
   * When the read was recorded, as the API states its instants (`trailInstant`): in the deployment
   * zone with its offset. Lines written before session 25 have UTC (`…Z`); readAccessTrail takes both.
   */
  readonly at: string;
  readonly role: string;
  /** First 8 hex digits of the token's SHA-256. */
  readonly token: string;
  /** The case read (one case or its history). */
  readonly caseId?: string;
  /** The cases a list answered with (a page of the case list, the card register or the alert board). */
  readonly caseIds?: readonly string[];
  /** The complaint read (`what: 'complaint'`). */
  readonly complaintId?: string;
  /** The complaints a page of the complaint list answered with. */
  readonly complaintIds?: readonly string[];
  readonly what:
    | 'case'
    | 'history'
    | 'case-list'
    | 'card-register'
    | 'withdrawn-cards'
    | 'complaint'
    | 'complaint-list'
    | 'alert-board'
    | 'alert-stream';
  /** The query string, as sent (a list's filters and page; a case read's instants; a history page's limit and after). */
  readonly query?: string;
  /** As sent. */
  readonly asOf?: string;
  readonly asKnownAt?: string;
  /** The instant the answer was evaluated at (a case or history read; the default when none was sent), in the deployment zone. */
  readonly answeredAsOf?: string;
  /** A history page: the revisions of the first and last events it disclosed (absent: none). */
  readonly revisions?: readonly [number, number];
  /** `csv` when the answer was CSV (absent: JSON). */
  readonly format?: 'csv';
  /**
   * The outcome: the status the read is answered with once recorded — 200, or 404 when the case or
   * complaint asked for was not there (as known at `asKnownAt`, by `asOf`): the fact of its absence
   * is all that was disclosed. A read refused before anything is looked up (a 400 naming a
   * parameter, a 403) leaves no line; one the trail could not record is answered 503 and never sent.
   */
  readonly status: 200 | 404;
}

/**
 * A trail line's `at`: the instant in the deployment zone with its offset, the form of every instant
 * the API answers (`answeredAsOf`, `occurredAt`), so a line and the answer it records read one clock.
 */
export const trailInstant = (now: EpochMs, zone: string): string => formatInstant(now, zone);

/** Auditors (SPEC §4) and admins, who may read everything, leave a trail; monitors read the board's figures. */
export const leavesTrail = (role: string): boolean => role === 'auditor' || role === 'admin';

export interface AccessTrail {
  record(entry: AccessRecord): void;
}

/**
 * The trail in a file, checked at once: its folder is made and the file opened for appending, so
 * a path that cannot hold it (a folder, a file as its parent, a place not writable) stops the
 * start with `name` and the cause, rather than refusing every auditor read later. Who read what is
 * private: a new file is made mode 600, an existing one tightened to it, or the start stops
 * naming the path and its mode (privateMode.ts).
 */
export function fileAccessTrail(path: string, name = 'AUDIT_LOG'): AccessTrail {
  let fd: number;
  try {
    makeFolders(dirname(path));
    fd = openSync(path, 'a', PRIVATE_MODE);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ConfigError(name, `cannot write the access trail at ${path} (${code})`);
  }
  try {
    tightenToPrivate(fd, path);
  } catch (e) {
    throw new ConfigError(name, `the access trail ${(e as Error).message}`);
  } finally {
    closeSync(fd);
  }
  return {
    record(entry) {
      appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: PRIVATE_MODE });
    },
  };
}

export function memoryAccessTrail(): AccessTrail & { readonly entries: AccessRecord[] } {
  const entries: AccessRecord[] = [];
  return { entries, record: (e) => void entries.push(e) };
}

export interface GuardedAccessTrail extends AccessTrail {
  /** The burst of failed trail writes running now, if any (readiness reports it). */
  failure(): WriteFailure | undefined;
}

/**
 * An auditor read that is not recorded must not happen: when the trail cannot
 * be written (a full disk…), `record` throws a 503 naming the access trail, so
 * the read is refused, never answered unrecorded and never a 500. The first
 * failure of a burst is logged at error, the recovery at info.
 */
export function guardedAccessTrail(
  trail: AccessTrail,
  deps: { logger: Logger; clock: () => number },
): GuardedAccessTrail {
  const burst = failureBurst();
  return {
    record(entry) {
      try {
        trail.record(entry);
      } catch (e) {
        const reason = writeFailureReason(e) ?? `write failed (${(e as Error)?.name ?? 'error'})`;
        if (burst.failed(reason, deps.clock())) {
          deps.logger.error('access trail cannot be written; auditor and admin case reads are refused', { reason });
        }
        throw new ApiError(
          503,
          'access-trail-unavailable',
          `the access trail cannot be written (${reason}); case reads that must be recorded are refused until it can`,
        );
      }
      const ended = burst.succeeded();
      if (ended !== undefined) {
        deps.logger.info('access trail writable again', { reason: ended.reason, failures: ended.failures });
      }
    },
    failure: () => burst.current(deps.clock()),
  };
}
