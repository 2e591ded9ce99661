/**
 * The projection runner: subscribes to the store after its checkpoint, folds
 * case and calendar events into the read models, keeps the checkpoint with a
 * snapshot of the states (see snapshot.ts), and serves the ReadModels the API
 * consumes. `start()` resolves once the read models have caught up with the
 * store (readiness); from then on they follow it live.
 */
import {
  EVENT_TYPES,
  evaluate,
  tryParseInstant,
  type CalendarService,
  type CaseEvent,
  type EpochMs,
  type Policy,
} from '../domain/index.js';
import { CASE_STREAM_PREFIX, type EventStore, type RecordedEvent, type Subscription } from '../store/port.js';
import {
  CALENDAR_EVENT_TYPE,
  CALENDAR_STREAM_PREFIX,
  applyCalendarPublication,
  decodeCalendarYearPublished,
  type CalendarYearPublishedData,
} from './calendarEvents.js';
import { CaseProjection } from './caseProjection.js';
import { computeMonthlyReport, monthlyReportToCsv } from './report.js';
import { createRealScheduler, type Scheduler } from './scheduler.js';
import { readSnapshot, writeSnapshot, SnapshotError } from './snapshot.js';
import { computeStats } from './stats.js';
import type { ProjectionMetricsSink, ProjectionStatus, ReadModels } from './types.js';

export interface ProjectionsOptions {
  readonly store: EventStore;
  readonly calendarService: CalendarService;
  readonly policy: Policy;
  readonly clock: () => EpochMs;
  readonly zone: string;
  readonly metrics?: ProjectionMetricsSink;
  /** Where to keep the snapshot + checkpoint; without it every start replays from the beginning. */
  readonly checkpointFile?: string;
  /** Timers for time-driven alerts; default: setTimeout on `clock`. */
  readonly scheduler?: Scheduler;
  /** Write a snapshot after this many live events (default 10,000); also after catch-up and on stop. */
  readonly snapshotEveryEvents?: number;
  /** Operational messages (never with case ids). */
  readonly log?: (message: string) => void;
}

export interface Projections {
  readonly readModels: ReadModels;
  /** Load the snapshot, subscribe, and resolve once caught up with the store. */
  start(): Promise<void>;
  /** Stop following the store and write a final snapshot. */
  stop(): Promise<void>;
  /** Write a snapshot now (no-op without checkpointFile). */
  saveSnapshot(): Promise<void>;
  /** Counters for operations and tests. */
  info(): { cases: number; alerts: number; eventsFolded: number; skippedEvents: number; nextDueAt?: EpochMs };
}

const STREAM_PREFIXES = [CASE_STREAM_PREFIX, CALENDAR_STREAM_PREFIX];
const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const RETRY_MS = 1_000;

interface Waiter {
  readonly position: bigint;
  readonly resolve: (ok: boolean) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export function createProjections(options: ProjectionsOptions): Projections {
  const { store, calendarService, policy, zone } = options;
  const scheduler = options.scheduler ?? createRealScheduler(options.clock);
  const clock = (): EpochMs => scheduler.clock();
  const log = options.log ?? (() => {});
  const snapshotEvery = options.snapshotEveryEvents ?? 10_000;

  const projection = new CaseProjection({
    calendarService,
    policy,
    scheduler,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  let position = -1n;
  let head = -1n;
  let headRefreshing = false;
  let caughtUp = false;
  let stopped = false;
  let subscription: Subscription | undefined;
  let loop: Promise<void> | undefined;
  let eventsFolded = 0;
  let sinceSnapshot = 0;
  let snapshotting: Promise<void> | undefined;
  const calendarLog: CalendarYearPublishedData[] = [];
  let skippedCalendar = 0;
  const waiters = new Set<Waiter>();
  let resolveCaughtUp: (() => void) | undefined;

  function advance(to: bigint): void {
    if (to <= position) return;
    position = to;
    if (position > head) head = position;
    if (waiters.size === 0) return;
    for (const w of waiters) {
      if (w.position <= position) {
        waiters.delete(w);
        if (w.timer !== undefined) clearTimeout(w.timer);
        w.resolve(true);
      }
    }
  }

  function applyEvent(e: RecordedEvent): void {
    if (e.streamId.startsWith(CASE_STREAM_PREFIX)) {
      const caseId = e.streamId.slice(CASE_STREAM_PREFIX.length);
      const data = e.data as Record<string, unknown>;
      if (!CASE_EVENT_TYPES.has(e.type) || typeof data['occurredAt'] !== 'string') {
        projection.skippedEvents++;
        log(`projections: skipped a malformed ${e.type} event at position ${e.position}`);
        return;
      }
      const event = (data['type'] === e.type && data['caseId'] === caseId
        ? data
        : { ...data, type: e.type, caseId }) as unknown as CaseEvent;
      projection.applyCaseEvent(caseId, event, {
        revision: Number(e.revision),
        recordedAt: tryParseInstant(e.recordedAt),
      });
    } else if (e.streamId.startsWith(CALENDAR_STREAM_PREFIX) && e.type === CALENDAR_EVENT_TYPE) {
      const decoded = decodeCalendarYearPublished(e.data);
      if (!decoded.ok || !applyCalendar(decoded.value)) {
        skippedCalendar++;
        log(`projections: skipped an invalid calendar event at position ${e.position}`);
        return;
      }
      calendarLog.push(decoded.value);
    }
  }

  /** Apply a publication to the calendar service (which notifies the projection to recompute). */
  function applyCalendar(value: CalendarYearPublishedData): boolean {
    return applyCalendarPublication(calendarService, value);
  }

  async function loadSnapshot(): Promise<void> {
    const file = options.checkpointFile;
    if (file === undefined) return;
    let content;
    try {
      content = await readSnapshot(file);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      log(`projections: ${error.message}; rebuilding from the beginning`);
      return;
    }
    if (content === undefined) return;
    const checkpoint = BigInt(content.header.checkpoint);
    const storeHead = await store.headPosition();
    if (checkpoint > storeHead) {
      log(
        `projections: snapshot checkpoint ${checkpoint} is past the store's head ${storeHead} (another store?); rebuilding from the beginning`,
      );
      return;
    }
    for (const value of content.header.calendarEvents) {
      if (applyCalendar(value)) calendarLog.push(value);
    }
    for (const state of content.states) projection.restoreState(state);
    position = checkpoint;
    if (position > head) head = position;
    log(`projections: resumed from snapshot at position ${checkpoint} (${content.states.length} cases)`);
  }

  /**
   * Catch-up fast path: read what is already stored in arrays (one await per
   * array, not per event), then let the subscription take over from there.
   */
  async function catchUpInBatches(): Promise<void> {
    if (typeof store.readAllBatches !== 'function') return;
    const from = position + 1n; // readAll is inclusive of fromPosition
    for await (const batch of store.readAllBatches({ fromPosition: from, streamPrefixes: STREAM_PREFIXES })) {
      if (stopped) return;
      for (const e of batch) applyEvent(e);
      eventsFolded += batch.length;
      sinceSnapshot += batch.length;
      advance(batch[batch.length - 1]!.position);
    }
  }

  async function run(): Promise<void> {
    while (!stopped) {
      try {
        if (!caughtUp) await catchUpInBatches();
        if (stopped) break;
        subscription = store.subscribeToAll({
          fromPosition: position < 0n ? 'start' : position,
          streamPrefixes: STREAM_PREFIXES,
          checkpointInterval: 1024,
        });
        for await (const message of subscription) {
          if (stopped) break;
          if (message.kind === 'event') {
            applyEvent(message.event);
            eventsFolded++;
            sinceSnapshot++;
            advance(message.event.position);
            if (caughtUp && sinceSnapshot >= snapshotEvery) void saveSnapshot();
          } else if (message.kind === 'checkpoint') {
            advance(message.position);
          } else {
            advance(message.position);
            if (!caughtUp) becomeLive();
          }
        }
      } catch (error) {
        if (stopped) break;
        // Only the error's name: a store message may name a stream, i.e. a case id.
        log(`projections: subscription failed (${(error as Error).name}); retrying from position ${position}`);
        await new Promise((r) => setTimeout(r, RETRY_MS).unref?.());
      }
    }
  }

  function becomeLive(): void {
    projection.goLive(clock());
    caughtUp = true;
    resolveCaughtUp?.();
    if (sinceSnapshot > 0) void saveSnapshot();
  }

  async function saveSnapshot(): Promise<void> {
    const file = options.checkpointFile;
    if (file === undefined) return;
    if (snapshotting !== undefined) return snapshotting;
    // Capture states and checkpoint together, synchronously: states are immutable values.
    const states = Array.from(projection.entries.values(), (e) => e.state);
    const header = {
      checkpoint: position.toString(),
      storeName: store.name,
      calendarEvents: [...calendarLog],
      policyVersion: policy.version,
      calendarVersion: calendarService.current().version,
    };
    sinceSnapshot = 0;
    snapshotting = writeSnapshot(file, header, states)
      .catch((error: unknown) => log(`projections: snapshot not written: ${(error as Error).message}`))
      .finally(() => {
        snapshotting = undefined;
      });
    return snapshotting;
  }

  /** Ask the store for its head in the background (one request in flight at most). */
  function refreshHead(): void {
    if (headRefreshing) return;
    headRefreshing = true;
    store.headPosition().then(
      (h) => {
        if (h > head) head = h;
        headRefreshing = false;
      },
      () => {
        headRefreshing = false;
      },
    );
  }

  function status(): ProjectionStatus {
    refreshHead();
    const lag = head > position ? Number(head - position) : 0;
    return { caughtUp, lagEvents: lag, checkpoint: position.toString(), headPosition: head.toString() };
  }

  const readModels: ReadModels = {
    getCaseState: (caseId) => projection.entries.get(caseId)?.state,
    evaluateCase(caseId, asOf) {
      const entry = projection.entries.get(caseId);
      if (entry === undefined) return undefined;
      return evaluate(entry.state, asOf, policy, calendarService.current()) ?? undefined;
    },
    activeAlerts: (filter) => projection.board.list(filter),
    onAlert: (listener) => projection.board.onAlert(listener),
    stats: (query) => computeStats(projection.entries.values(), query, zone, clock()),
    monthlyReport: (month, filter) =>
      computeMonthlyReport(() => projection.entries.values(), month, filter, zone, clock()),
    monthlyReportCsv: (month, filter) =>
      monthlyReportToCsv(computeMonthlyReport(() => projection.entries.values(), month, filter, zone, clock())),
    status,
    waitForPosition(target, timeoutMs) {
      if (target <= position) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const w: Waiter = { position: target, resolve };
        w.timer = setTimeout(
          () => {
            waiters.delete(w);
            resolve(false);
          },
          Math.max(0, timeoutMs),
        );
        w.timer.unref?.();
        waiters.add(w);
      });
    },
    openCaseCounts: () => projection.openCaseCounts(),
    alertCounts: () => projection.board.countsByRuleColorCenter(),
  };

  return {
    readModels,
    async start() {
      if (loop !== undefined) throw new Error('projections already started');
      if (stopped) throw new Error('projections were stopped; create a new instance to start again');
      await loadSnapshot();
      head = await store.headPosition().catch(() => head);
      // Until the store answers, start() stays pending and the loop keeps retrying.
      const ready = new Promise<void>((resolve) => {
        resolveCaughtUp = resolve;
      });
      loop = run();
      await ready;
    },
    async stop() {
      stopped = true;
      await subscription?.close();
      await loop;
      loop = undefined;
      projection.stop();
      for (const w of waiters) {
        if (w.timer !== undefined) clearTimeout(w.timer);
        w.resolve(false);
      }
      waiters.clear();
      if (snapshotting !== undefined) await snapshotting;
      if (caughtUp && sinceSnapshot > 0) await saveSnapshot();
    },
    saveSnapshot,
    info: () => {
      const next = projection.nextDueAt();
      return {
        cases: projection.entries.size,
        alerts: projection.board.size,
        eventsFolded,
        skippedEvents: projection.skippedEvents + skippedCalendar,
        ...(next !== undefined ? { nextDueAt: next } : {}),
      };
    },
  };
}
