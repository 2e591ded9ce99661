/**
 * The projection runner: composes the case fold, the event routing, the
 * checkpoint, the subscription loop and the read-your-writes waiters, and
 * keeps the progress they share (last position folded, the store's head,
 * caught up or not). `start()` resolves once the read models have caught up
 * with the store (readiness); from then on they follow it live.
 */
import type { CalendarService, EpochMs, Policy } from '../domain/index.js';
import type { EventStore } from '../store/port.js';
import { BehindWatch } from './behindWatch.js';
import { CaseProjection } from './caseProjection.js';
import { Checkpoint } from './checkpoint.js';
import { ComplaintAlerts } from './complaints/complaintAlerts.js';
import { ComplaintProjection } from './complaints/complaintProjection.js';
import { earliest } from './dueTimer.js';
import { EventRouter } from './eventRouting.js';
import { type Counted, LiveUntil } from './liveUntil.js';
import { partitionStreamPrefixes, type ProjectionPartition } from './partition.js';
import type { DirectoryBook } from './directoryEvents.js';
import type { PolicyBook } from './policyEvents.js';
import { PositionWaiters } from './positionWaiters.js';
import { readModelFacade } from './readModelFacade.js';
import { createRealScheduler, type Scheduler } from './scheduler.js';
import { SubscriptionLoop } from './subscriptionLoop.js';
import type { ProjectionMetricsSink, ProjectionStatus, ReadModels } from './types.js';

/** The most events a lag count reads (the gauge then shows this many: "at least"). */
const LAG_COUNT_LIMIT = 10_000;
/** A probe or scrape waits this long for the store's head, then answers with the last one known. */
const HEAD_READ_TIMEOUT_MS = 2_000;

export interface ProjectionsOptions {
  readonly store: EventStore;
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  /** The policy versions recorded in the store; each case uses the one in force when accepted (default: `policy` for all). */
  readonly policies?: PolicyBook;
  /** The directory in force; the runner hands it each publication (the engine reads those before start). */
  readonly directory?: DirectoryBook;
  readonly clock: () => EpochMs;
  readonly zone: string;
  readonly metrics?: ProjectionMetricsSink;
  /** Where to keep the snapshot + checkpoint; without it every start replays from the beginning. */
  readonly checkpointFile?: string;
  /** Timers for time-driven alerts; default: setTimeout on `clock`. */
  readonly scheduler?: Scheduler;
  /** Record the instant cards were counted up to (liveUntil.ts) this often while live (default 60 s); also at stop. */
  readonly liveUntilEveryMs?: number;
  /** Write a snapshot after this many live events (default 10,000); also after catch-up and on stop. */
  readonly snapshotEveryEvents?: number;
  /** Operational messages (never with case ids); `warn` for a snapshot refused (damaged, edited, another store's). */
  readonly log?: (message: string, level?: 'info' | 'warn') => void;
  /**
   * Fold only these centers' cases and complaints (one worker of several, partition.ts); default all.
   * Each worker needs its own checkpointFile: a snapshot records its partition, and a worker of
   * another partition does not use it (warns and rebuilds).
   */
  readonly partition?: ProjectionPartition;
}

export interface ProjectionsInfo {
  readonly cases: number;
  readonly complaints: number;
  readonly alerts: number;
  readonly eventsFolded: number;
  readonly skippedEvents: number;
  readonly nextDueAt?: EpochMs;
}

export interface Projections {
  readonly readModels: ReadModels;
  /**
   * Before anything is written to the store: rejects with StoreHistoryLostError
   * when the snapshot says the store held more than it holds (start() checks it too).
   */
  verifyStore(): Promise<void>;
  /** Load the snapshot, subscribe, and resolve once caught up with the store. */
  start(): Promise<void>;
  /** Stop following the store and write a final snapshot. */
  stop(): Promise<void>;
  /** Write a snapshot now (no-op without checkpointFile). */
  saveSnapshot(): Promise<void>;
  /** Counters for operations and tests. */
  info(): ProjectionsInfo;
}

export function createProjections(options: ProjectionsOptions): Projections {
  const { store, calendarService, policy, zone } = options;
  const scheduler = options.scheduler ?? createRealScheduler(options.clock);
  const clock = (): EpochMs => scheduler.clock();
  const log = options.log ?? (() => {});
  const snapshotEvery = options.snapshotEveryEvents ?? 10_000;
  const streamPrefixes = partitionStreamPrefixes(options.partition); // throws PartitionError on a bad one

  const projection = new CaseProjection({
    calendarService,
    policy,
    ...(options.policies ? { policies: options.policies } : {}),
    scheduler,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const complaints = new ComplaintProjection(
    {
      calendar: () => calendarService.current(),
      // A complaint is timed by the policy version in force at its receipt (as a case by its acceptance).
      policyFor: (receivedAt) =>
        options.policies?.inForce({ day: calendarService.current().dayOf(receivedAt), at: receivedAt }) ?? policy,
      // One window for both folds: a publication's withdrawn cards are compared in each.
      publication: projection.publication,
      // Late records kept as the case fold keeps them (the lowest threshold of any version).
      evolveOptions: () => options.policies?.evolveOptions ?? { lateRecordHours: policy.lateRecordHours },
    },
    // Called only as events are folded, after both exist.
    (card) => complaintAlerts.noteWithdrawn(card),
  );
  const complaintAlerts = new ComplaintAlerts({
    complaints,
    calendarService,
    scheduler,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const router = new EventRouter(
    projection,
    calendarService,
    log,
    options.policies,
    options.directory,
    complaintAlerts,
  );
  const directory = options.directory;
  const checkpoint = new Checkpoint({
    file: options.checkpointFile,
    store,
    policy,
    calendarService,
    log,
    partition: options.partition,
    ...(directory === undefined ? {} : { directoryVersion: () => router.directoryVersion }),
  });
  const waiters = new PositionWaiters();
  const liveUntil = new LiveUntil({
    // Only a process that counts cards records how far it counted: `npm run rebuild` (no sink) leaves the record.
    snapshotFile: options.metrics === undefined ? undefined : options.checkpointFile,
    storeIdentity: () => checkpoint.storeIdentity,
    partition: options.partition,
    scheduler,
    log,
    ...(options.liveUntilEveryMs === undefined ? {} : { everyMs: options.liveUntilEveryMs }),
  });

  let position = -1n;
  let head = -1n;
  /** The store's last user event as last read (`head` also moves with the fold's checkpoints). */
  let userHead = -1n;
  let countedLag: number | undefined;
  let caughtUp = false;
  let subscriptionFailed = false;
  const behind = new BehindWatch(clock);
  let stopped = false;
  let started = false;
  let eventsFolded = 0;
  let sinceSnapshot = 0;
  let resolveCaughtUp: (() => void) | undefined;
  let failStart: ((error: Error) => void) | undefined;

  const loop = new SubscriptionLoop(
    store,
    {
      position: () => position,
      caughtUp: () => caughtUp,
      fold(event) {
        router.route(event);
        eventsFolded++;
        sinceSnapshot++;
      },
      foldRow(rows, i) {
        router.routeRow(rows, i);
        eventsFolded++;
        sinceSnapshot++;
      },
      advance(to) {
        if (to <= position) return;
        position = to;
        if (position > head) head = position;
        behind.folded(position);
        // A writer released here reads its write evaluated (caseProjection.ts `unsettled`).
        waiters.reached(position, () => projection.settle());
        if (caughtUp && sinceSnapshot >= snapshotEvery) void saveSnapshot();
      },
      reachedHead() {
        if (caughtUp) return;
        projection.goLive(clock());
        complaintAlerts.goLive(clock());
        caughtUp = true;
        liveUntil.beat(counted);
        resolveCaughtUp?.();
        if (sinceSnapshot > 0) void saveSnapshot();
      },
      failedBeforeHead: (error) => failStart?.(error),
      subscriptionFailed: () => {
        subscriptionFailed = true;
      },
      following: () => {
        subscriptionFailed = false;
      },
    },
    log,
    streamPrefixes,
  );

  /**
   * The instant cards are counted up to: now, unless a boundary due by now has not been evaluated
   * yet (a real timer fires a little after its instant): then just before it.
   */
  function countedUntil(): EpochMs {
    const next = earliest(projection.nextDueAt(), complaintAlerts.nextDueAt());
    return next === undefined ? clock() : Math.min(clock(), next - 1);
  }

  /** What the live-until record holds: the instant, and the cards counted that start after it (countedAhead.ts). */
  function counted(): Counted {
    const until = countedUntil();
    return { until, ahead: [...projection.cardsCountedAfter(until), ...complaintAlerts.cardsCountedAfter(until)] };
  }

  function saveSnapshot(): Promise<void> {
    if (!checkpoint.enabled) return Promise.resolve();
    return checkpoint.save(() => {
      sinceSnapshot = 0;
      const cases = projection.snapshotCases();
      const complaintWrites = complaints.snapshotWithdrawals();
      return {
        position,
        storeHead: head,
        userHead,
        rows: cases.rows,
        policiesSeen: cases.policiesSeen,
        states: cases.states,
        complaints: complaints.states(),
        withdrawn: [...cases.withdrawn, ...complaintWrites.closed],
        openWrites: { cases: cases.openWrite ?? null, complaint: complaintWrites.openWrite ?? null },
        calendarEvents: router.calendarEvents(),
      };
    });
  }

  async function readHeadOnce(): Promise<void> {
    const h = await store.headPosition();
    if (h > head) head = h;
    if (h > userHead) userHead = h;
    // Where positions are not event counts (EventStoreDB: byte offsets) the store counts the lag itself.
    countedLag =
      store.countEventsAfter && head > position ? await store.countEventsAfter(position, LAG_COUNT_LIMIT) : undefined;
    // A partitioned worker's position moves only with its own streams' events, while the store's head
    // counts every stream's: on a quiet store it would read as behind for ever (a reviewer's find).
    // Its lag is the global distance still; the behind check is for the whole-store worker.
    if (options.partition === undefined) behind.read(head, lagEvents());
  }

  /**
   * The head read, one in flight at most: every caller at that moment shares it. `/readyz` is open
   * and exempt from the rate limit, so its probes must not start a store read each (on EventStoreDB a
   * head read and, while behind, a count of up to LAG_COUNT_LIMIT events).
   */
  let headRead: Promise<void> | undefined;
  function readHead(): Promise<void> {
    headRead ??= readHeadOnce().finally(() => {
      headRead = undefined;
    });
    return headRead;
  }

  const lagEvents = (): number => (head > position ? (countedLag ?? Number(head - position)) : 0);

  /** Ask the store for its head in the background (one request in flight at most: readHead). */
  function refreshHead(): void {
    readHead().catch(() => {});
  }

  function statusNow(): ProjectionStatus {
    return {
      caughtUp,
      lagEvents: lagEvents(),
      checkpoint: position.toString(),
      headPosition: head.toString(),
      following: !subscriptionFailed,
      behindSeconds: behind.seconds(),
    };
  }

  function status(): ProjectionStatus {
    refreshHead();
    return statusNow();
  }

  async function currentStatus(): Promise<ProjectionStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HEAD_READ_TIMEOUT_MS);
    });
    await Promise.race([readHead(), timeout]).catch(() => {});
    clearTimeout(timer);
    return statusNow();
  }

  const readModels = readModelFacade({
    projection,
    complaints,
    complaintAlerts,
    zone,
    clock,
    status,
    currentStatus,
    waitForPosition: (target, timeoutMs) => waiters.waitFor(target, timeoutMs, position),
    ...(options.directory === undefined ? {} : { directory: options.directory }),
  });

  return {
    readModels,
    async start() {
      if (started) throw new Error('projections already started');
      if (stopped) throw new Error('projections were stopped; create a new instance to start again');
      started = true;
      const restored = await checkpoint.restore({
        applyCalendar: (value) => router.applyCalendar(value),
        prepareCases: (cases) => projection.prepareRestore(cases),
        startDirectoryAt: (version) => router.startDirectoryAt(version),
        restoreComplaint: (state, at) => complaints.restore(state, at),
        restoreComplaintWithdrawals: (cards, openWrite) => complaints.restoreWithdrawn(cards, openWrite),
      });
      if (restored !== undefined) {
        position = restored;
        if (position > head) head = position;
      } else router.startDirectoryAt(0); // a rebuild: the directory's publications are replayed in the fold
      const counted = await liveUntil.read();
      if (counted !== undefined) {
        projection.countCardsStartedAfter(counted);
        complaintAlerts.countCardsStartedAfter(counted);
      }
      const read = await store.headPosition().catch(() => undefined);
      if (read !== undefined) {
        head = read;
        userHead = read;
      }
      // A store failure before the read models have caught up rejects start() (the engine exits non-zero).
      const ready = new Promise<void>((resolve, reject) => {
        resolveCaughtUp = resolve;
        failStart = reject;
      });
      loop.start();
      await ready;
    },
    async stop() {
      const first = !stopped;
      stopped = true;
      await loop.stop();
      // Counted up to here; a second stop counted nothing since the first.
      const until = first && caughtUp ? counted() : undefined;
      projection.stop();
      complaintAlerts.stop();
      waiters.cancelAll();
      await liveUntil.stop(until);
      await checkpoint.settled();
      if (caughtUp && sinceSnapshot > 0) await saveSnapshot();
    },
    saveSnapshot,
    verifyStore: () => checkpoint.verifyStore(),
    info: () => {
      const next = earliest(projection.nextDueAt(), complaintAlerts.nextDueAt());
      return {
        cases: projection.caseCount,
        complaints: complaints.size,
        alerts: projection.alertCount + complaintAlerts.alertCount,
        eventsFolded,
        skippedEvents: projection.skippedEvents + router.skippedEvents + complaints.skippedEvents,
        ...(next !== undefined ? { nextDueAt: next } : {}),
      };
    },
  };
}
