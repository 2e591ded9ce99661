/**
 * The one composition of the engine: store, projections (read side), the HTTP
 * app with its write path, metrics, clock and scheduler. `src/main.ts`, every
 * test harness and every benchmark build the engine here, so a new dependency
 * is wired once.
 *
 * Two steps, because the demo seeds its backlog into the store before the
 * projections subscribe: `createEngine` opens and wires everything, `start()`
 * resolves once the read models have caught up with the store.
 */
import { type AccessTrail, memoryAccessTrail } from './api/accessTrail.js';
import { type AppDeps, type AppOptions, createApp, type SupervisionApp } from './api/app.js';
import { type Logger, silentLogger } from './api/logger.js';
import { createMetrics, type Metrics } from './api/metrics.js';
import { sameRegions } from './domain/directory.js';
import { DirectoryBook, loadDirectory } from './projections/directoryEvents.js';
import type { TokenConfig } from './config/tokens.js';
import { type CalendarService, createCalendarService } from './domain/calendar/index.js';
import { DEFAULT_POLICY, type Policy, type PolicyPublication } from './domain/policy.js';
import { formatDate } from './domain/time.js';
import { zoneClock } from './domain/zone.js';
import type { EpochDay, EpochMs } from './domain/types.js';
import { createProjections, type Projections } from './projections/index.js';
import type { ProjectionPartition } from './projections/partition.js';
import { createRealScheduler, type Scheduler } from './projections/scheduler.js';
import type { ReadModels } from './projections/types.js';
import {
  loadPolicies,
  PolicyBook,
  recordFirstPolicy,
  recordPolicy,
  refuseRuledOutPolicy,
} from './projections/policyEvents.js';
import { type OpenStoreOptions, openStore } from './store/open.js';
import type { EventStore, StoreCorruptError } from './store/port.js';
import type { SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
import { CaseWriteCache, createWriteSide, GroupCommitter, type WriteSide } from './write/index.js';

export interface EngineConfig {
  /** An open store, or a store spec (`memory`, `sqlite:<path>`, `esdb://…`) opened with `storeClock`. */
  readonly store: EventStore | string;
  /** The clock the store stamps `recordedAt` with when it is opened from a spec (default: `clock`). */
  readonly storeClock?: () => EpochMs;
  /** Read-ahead of a sqlite store opened from `store` (SQLITE_READ_AHEAD; default the store's 'auto'). */
  readonly sqliteReadAhead?: SqliteStoreOptions['readAhead'];
  readonly zone: string;
  readonly tokens: readonly TokenConfig[];
  /** Default: the built-in policy (SPEC §3). Cases use the versions recorded in the store; this one before any. */
  readonly policy?: Policy;
  /**
   * At start, record `policy` unless it is the version published last (SPEC §3 "Policy versions"),
   * effective `effectiveFrom` (default: the next local day). With `onlyIfNoneRecorded` (no POLICY_FILE),
   * record it only on a store that holds no version yet: a default must not supersede a recorded policy.
   * Without `recordPolicy`, the versions recorded are only read.
   */
  readonly recordPolicy?: { readonly effectiveFrom?: EpochDay; readonly onlyIfNoneRecorded?: boolean };
  /** Timers of the time-driven alerts; its clock is the engine's clock unless `clock` is given. */
  readonly scheduler?: Scheduler;
  /** Default: the scheduler's clock, else Date.now. */
  readonly clock?: () => EpochMs;
  /** Default: the calendar of `zone`. */
  readonly calendarService?: CalendarService;
  /** Default: a registry with prom-client's process metrics (`defaultMetrics: false` leaves them out). */
  readonly metrics?: Metrics | { readonly defaultMetrics: boolean };
  readonly logger?: Logger;
  readonly accessTrail?: AccessTrail;
  /** The web pages (createWebPages): their router before the API, their not-found page after it. */
  readonly web?: AppDeps['web'];
  /** Where the projections keep their snapshot + checkpoint (default: none, replay from zero). */
  readonly checkpointFile?: string;
  /** Operational messages of the projections (default: dropped). */
  readonly projectionLog?: (message: string, level?: 'info' | 'warn') => void;
  /** Project only these centers' cases (a worker of several, src/projections/partition.ts); default all. */
  readonly projectionPartition?: ProjectionPartition;
  /** Read models to serve instead of the projections (tests that prove a path never reads them). */
  readonly readModels?: ReadModels;
  readonly appOptions?: Partial<AppOptions>;
  /** The directory in force (default: a new book, read from the store at start). */
  readonly directory?: DirectoryBook;
}

export interface Engine {
  readonly store: EventStore;
  readonly clock: () => EpochMs;
  readonly calendarService: CalendarService;
  /**
   * The policy configured (POLICY_FILE, else the built-in one): what `start()` records. Cases, reads
   * and writes use the versions recorded (`policyInForce`, `policies`), which need not include it.
   */
  readonly policy: Policy;
  /** The policy versions recorded in the store (read at start, then followed live). */
  readonly policies: PolicyBook;
  /** The directory recorded in the store (read at start, then followed live). */
  readonly directory: DirectoryBook;
  /** The version a case accepted now is evaluated under (after `start()`: from the versions recorded). */
  policyInForce(): Policy;
  readonly metrics: Metrics;
  /** Undefined when `readModels` was given in the config. */
  readonly projections: Projections | undefined;
  readonly readModels: ReadModels;
  /** load → decide → append, with this process's write cache and group committer. */
  readonly writeSide: WriteSide;
  readonly app: SupervisionApp;
  /**
   * Throws PolicyRefusedError when `recordPolicy` would refuse the configured policy at `start()`
   * (a version reused with other rules, an effectiveFrom not after today); writes nothing.
   */
  checkPolicy(): Promise<void>;
  /** Resolves once the read models have caught up with the store. */
  start(): Promise<void>;
  /** Ends SSE streams, stops the projections (final snapshot) and closes the store. Listening servers are the caller's. */
  close(): Promise<void>;
}

export async function createEngine(config: EngineConfig): Promise<Engine> {
  const clock = config.clock ?? config.scheduler?.clock ?? ((): EpochMs => Date.now());
  const scheduler = config.scheduler ?? createRealScheduler(clock);
  const logger = config.logger ?? silentLogger;
  if (typeof config.store !== 'string' && config.sqliteReadAhead !== undefined)
    throw new Error('sqliteReadAhead applies to a store the engine opens from a spec, not to an open store');
  const store =
    typeof config.store === 'string'
      ? await openStore(config.store, {
          clock: config.storeClock ?? clock,
          ...storeFailureLog(logger),
          onCorruption: corruptionLog(logger),
          ...(config.sqliteReadAhead === undefined ? {} : { readAhead: config.sqliteReadAhead }),
        })
      : config.store;
  const calendarService = config.calendarService ?? createCalendarService(config.zone);
  const policy = config.policy ?? DEFAULT_POLICY;
  const policies = new PolicyBook(policy);
  const directory = config.directory ?? new DirectoryBook();
  const metrics =
    config.metrics !== undefined && 'registry' in config.metrics
      ? config.metrics
      : createMetrics({ defaultMetrics: config.metrics?.defaultMetrics ?? true });
  // The `center` label takes only this directory's centers (SPEC §7), however the metrics were made.
  metrics.bind({ directory });
  const projections =
    config.readModels !== undefined
      ? undefined
      : createProjections({
          store,
          calendarService,
          policy,
          policies,
          directory,
          clock,
          zone: config.zone,
          metrics: metrics.sink,
          scheduler,
          ...(config.checkpointFile === undefined ? {} : { checkpointFile: config.checkpointFile }),
          ...(config.projectionLog === undefined ? {} : { log: config.projectionLog }),
          ...(config.projectionPartition === undefined ? {} : { partition: config.projectionPartition }),
        });
  // With projections, the fold gives the calendar each publication's regions as it reaches it
  // (eventRouting.ts `routeDirectoryEvent`); without, they follow the book read at start.
  if (projections === undefined) followDirectoryRegions(directory, calendarService);
  const readModels = config.readModels ?? (projections as Projections).readModels;
  // The write side's policy is the version in force now as recorded, not the configured one (session 16).
  const policyInForce = (): Policy => inForceNow(policies, clock(), config.zone);
  const writeSide = createWriteSide({
    store,
    cache: new CaseWriteCache(),
    committer: new GroupCommitter(store),
    clock,
    futureToleranceMinutes: () => policyInForce().futureToleranceMinutes,
    zone: config.zone,
    metrics,
    // The deadline an extension must precede: the calendar in force and the case's policy version.
    decideOptions: {
      timing: (state) => {
        const calendar = calendarService.current();
        const at = state.acceptedAt;
        return {
          calendar,
          policy: at === undefined ? policyInForce() : policies.inForce({ day: calendar.dayOf(at), at }),
        };
      },
    },
  });
  const app = createApp({
    store,
    readModels,
    calendarService,
    policy,
    policyFor: (acceptance, knownAt) => policies.inForce(acceptance, knownAt),
    policyInForce,
    clock,
    tokens: config.tokens,
    zone: config.zone,
    logger,
    metrics,
    writeSide,
    accessTrail: config.accessTrail ?? memoryAccessTrail(),
    directory,
    ...(config.web === undefined ? {} : { web: config.web }),
    ...(config.appOptions === undefined ? {} : { options: config.appOptions }),
  });
  return {
    store,
    clock,
    calendarService,
    policy,
    policies,
    directory,
    policyInForce,
    metrics,
    projections,
    readModels,
    writeSide,
    app,
    checkPolicy: async () => {
      const record = config.recordPolicy;
      if (record === undefined || record.onlyIfNoneRecorded === true) return;
      await refuseRuledOutPolicy(store, policies, policy, record.effectiveFrom, clock(), config.zone);
    },
    start: async () => {
      await startPolicies(store, policies, policy, config, clock);
      // Before the projections: a snapshot's cases are evaluated with the regions of the directory in force.
      for (const problem of await loadDirectory(store, directory)) logger.warn(`directory event not used: ${problem}`);
      await projections?.start();
    },
    async close() {
      app.closeStreams();
      await projections?.stop();
      await store.close();
    },
  };
}

/** Regional days follow the directory read by the engine (no projections here to replay it in order). */
function followDirectoryRegions(directory: DirectoryBook, calendarService: CalendarService): void {
  directory.onChange((next, previous) => {
    if (!sameRegions(next.directory, previous.directory)) calendarService.setRegionOfCenter(next.regionOfCenter);
  });
}

/** A full disk is logged once when appends start failing and once when they succeed again, not per request. */
function storeFailureLog(logger: Logger): Pick<OpenStoreOptions, 'onWriteFailure' | 'onWriteRecovered'> {
  return {
    onWriteFailure: (failure) =>
      logger.error('event store writes fail; appends answer 503 store-unavailable until one succeeds', { ...failure }),
    onWriteRecovered: (failure) => logger.info('event store writes succeed again', { ...failure }),
  };
}

/** Damage found in the store is logged at error, with where (the stream), once per place. */
function corruptionLog(logger: Logger): (error: StoreCorruptError) => void {
  return (error) =>
    logger.error('event store corrupt: damaged data found; reads and writes there answer 503 store-corrupt', {
      store: error.storeName,
      where: error.where,
      cause: error.reason,
    });
}

/** Read the policy versions recorded (and record the configured one when asked), before the projections start. */
async function startPolicies(
  store: EventStore,
  policies: PolicyBook,
  policy: Policy,
  config: EngineConfig,
  clock: () => EpochMs,
): Promise<void> {
  const logger = config.logger ?? silentLogger;
  const record = config.recordPolicy;
  const logRecorded = (publication: PolicyPublication) =>
    logger.info('policy version recorded', {
      policyVersion: publication.policy.version,
      effectiveFrom: formatDate(publication.effectiveFrom),
    });
  if (record === undefined || record.onlyIfNoneRecorded === true) {
    for (const problem of await loadPolicies(store, policies)) logger.warn(`policy event not used: ${problem}`);
  }
  if (record === undefined) return;
  if (record.onlyIfNoneRecorded === true) {
    const first = await recordFirstPolicy(store, policies, policy, record.effectiveFrom, clock(), config.zone);
    if (first === undefined) logKept(logger, policies, clock(), config.zone);
    else logRecorded(first);
    return;
  }
  const decision = await recordPolicy(store, policies, policy, record.effectiveFrom, clock(), config.zone);
  if (decision.kind === 'record') logRecorded(decision.publication);
}

/** The version in force and, when it is not the same, the one published last (a policy still to come). */
function logKept(logger: Logger, policies: PolicyBook, now: EpochMs, zone: string): void {
  const inForce = inForceNow(policies, now, zone);
  const last = policies.publications.at(-1);
  logger.info('no POLICY_FILE given: the policy versions recorded are kept', {
    policyVersion: inForce.version,
    ...(last === undefined || last.policy === inForce
      ? {}
      : { lastPublished: last.policy.version, lastEffectiveFrom: formatDate(last.effectiveFrom) }),
  });
}

/** The version in force now: the one a case accepted at this instant uses. */
function inForceNow(policies: PolicyBook, now: EpochMs, zone: string): Policy {
  return policies.inForce({ day: zoneClock(zone).dayOf(now), at: now });
}
