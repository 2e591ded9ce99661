/**
 * The instant up to which the read model last counted cards (`supervision_cards_issued_total`),
 * kept beside the snapshot (`<snapshot>.live-until.json`): written when it goes live, every
 * `everyMs` while live (a heartbeat on the injected scheduler) and at a graceful stop. The next
 * process's go-live counts the cards that started after it, and by then: the cards that started
 * while no engine ran (caseProjection.ts, complaintAlerts.ts `countCardsStartedAfter`). Beside the
 * instant, `countedAhead` names the cards counted that start after it (countedAhead.ts: a case or
 * complaint evaluated at an event recorded ahead of the clock), which the next go-live skips: each
 * card is counted once across a graceful stop and a start.
 *
 * It names the store identity and the partition, as the snapshot does; a record of another store
 * or partition, or one that cannot be read, is ignored (warn): then go-live counts no card, as a
 * first start. A crash loses what was counted since the last heartbeat: the next process counts
 * those cards again (at most `everyMs` of them).
 *
 * Independent of the snapshot: a refused snapshot is rebuilt from the store, and the record still
 * says what the previous process counted. A process that stops before going live writes nothing,
 * nor does one without a metrics sink (`npm run rebuild`: the runner gives it no file).
 */
import { promises as fs } from 'node:fs';
import type { EpochMs } from '../domain/types.js';
import { snapshotPartition } from './checkpoint.js';
import type { CountedBefore } from './countedAhead.js';
import type { ProjectionPartition } from './partition.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import { writePrivateFileAtomically } from './privateFileWrite.js';

export const LIVE_UNTIL_FORMAT = 'supervision-live-until';
/** The heartbeat's default period: what a crash may count twice. */
export const LIVE_UNTIL_EVERY_MS = 60_000;

/** The record's file for a snapshot file. */
export const liveUntilFile = (snapshotFile: string): string => `${snapshotFile}.live-until.json`;

export interface LiveUntilOptions {
  /** The snapshot file (none: nothing is read or written). */
  readonly snapshotFile: string | undefined;
  /** The store's identity, once read (checkpoint.ts reads it at start). */
  readonly storeIdentity: () => string | undefined;
  readonly partition: ProjectionPartition | undefined;
  readonly scheduler: Scheduler;
  readonly log: (message: string, level?: 'info' | 'warn') => void;
  readonly everyMs?: number;
}

/** What a process counted: the cards started by `until`, and those after it it counted ahead (their keys). */
export interface Counted {
  readonly until: EpochMs;
  readonly ahead: readonly string[];
}

export class LiveUntil {
  private readonly file: string | undefined;
  private timer: TimerHandle | undefined;
  /** The write in progress, and the instant to write after it. */
  private writing: Promise<void> | undefined;
  private waiting: Counted | undefined;

  constructor(private readonly options: LiveUntilOptions) {
    this.file = options.snapshotFile === undefined ? undefined : liveUntilFile(options.snapshotFile);
    const every = options.everyMs ?? LIVE_UNTIL_EVERY_MS;
    if (!Number.isInteger(every) || every <= 0)
      throw new RangeError(`live-until heartbeat: everyMs must be a positive integer of milliseconds, got ${every}`);
  }

  /** What is recorded for this store and partition; undefined when nothing is (missing, foreign, unreadable). */
  async read(): Promise<CountedBefore | undefined> {
    const { file } = this;
    const identity = this.options.storeIdentity();
    if (file === undefined || identity === undefined) return undefined;
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return this.ignored(`cannot be read (${(e as Error).message})`);
    }
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      return this.ignored('is not JSON');
    }
    if (typeof record !== 'object' || record === null) return this.ignored('is not a JSON object');
    const r = record as Record<string, unknown>;
    if (r['format'] !== LIVE_UNTIL_FORMAT)
      return this.ignored(`has format ${String(r['format'])}, not ${LIVE_UNTIL_FORMAT}`);
    if (r['storeIdentity'] !== identity)
      return this.ignored(`is of store identity ${String(r['storeIdentity'])}, not ${identity}`);
    const partition = JSON.stringify(snapshotPartition(this.options.partition));
    if (JSON.stringify(r['partition']) !== partition)
      return this.ignored(`is of partition ${JSON.stringify(r['partition'])}, this worker folds ${partition}`);
    const at = typeof r['liveUntil'] === 'string' ? Date.parse(r['liveUntil']) : Number.NaN;
    if (!Number.isFinite(at)) return this.ignored(`liveUntil ${JSON.stringify(r['liveUntil'])} is not an instant`);
    // A record written before session 26 names none.
    const ahead = r['countedAhead'] ?? [];
    if (!Array.isArray(ahead) || !ahead.every((k) => typeof k === 'string'))
      return this.ignored('countedAhead is not a list of card keys');
    return { until: at, ahead: new Set(ahead) };
  }

  /** Live from here: record `counted()` now and every `everyMs` until `stop`. */
  beat(counted: () => Counted): void {
    if (this.file === undefined || this.timer !== undefined) return;
    const { scheduler } = this.options;
    const every = this.options.everyMs ?? LIVE_UNTIL_EVERY_MS;
    const next = (): void => {
      void this.write(counted());
      this.timer = scheduler.setTimer(scheduler.clock() + every, next);
    };
    next();
  }

  /**
   * A graceful stop: no more heartbeats; record `at` (what was counted) once the write in progress
   * has ended. Undefined `at` (never live) writes nothing: the last record still holds.
   */
  async stop(at: Counted | undefined): Promise<void> {
    if (this.timer !== undefined) this.options.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    if (at !== undefined) await this.write(at);
    await this.writing;
  }

  /**
   * One write at a time; an instant asked for while one is being written replaces any still
   * waiting (only the latest matters). A failure is logged, never thrown (the next beat tries again).
   */
  private write(at: Counted): Promise<void> {
    const storeIdentity = this.options.storeIdentity();
    if (this.file === undefined || storeIdentity === undefined) return this.writing ?? Promise.resolve();
    this.waiting = at;
    this.writing ??= this.drain(this.file, storeIdentity);
    return this.writing;
  }

  private async drain(file: string, storeIdentity: string): Promise<void> {
    for (let at = this.waiting; at !== undefined; at = this.waiting) {
      this.waiting = undefined;
      const record = {
        format: LIVE_UNTIL_FORMAT,
        storeIdentity,
        partition: snapshotPartition(this.options.partition),
        liveUntil: new Date(at.until).toISOString(),
        countedAhead: at.ahead,
      };
      await writePrivateFileAtomically(file, (fh) =>
        fh.write(`${JSON.stringify(record)}\n`).then(() => undefined),
      ).catch((e: unknown) => this.options.log(`projections: live-until record not written: ${(e as Error).message}`));
    }
    this.writing = undefined;
  }

  private ignored(why: string): undefined {
    this.options.log(
      `projections: live-until record ${this.file} ${why}; ignored: cards that started while no engine ran are not counted`,
      'warn',
    );
    return undefined;
  }
}
