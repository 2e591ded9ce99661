/**
 * Test harness: the API on an ephemeral port, memory store, fake clock.
 * `readModels` defaults to the real projections; write-path tests may pass a
 * stub to prove the write path never consults them.
 */
import type { AppDeps, SupervisionApp } from '../../src/api/app.js';
import { memoryAccessTrail } from '../../src/api/accessTrail.js';
import { memoryLogger } from '../../src/api/logger.js';
import { createMetrics, type Metrics } from '../../src/api/metrics.js';
import { createCalendarService, type CalendarService } from '../../src/domain/calendar/index.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { createEngine } from '../../src/engine.js';
import type { ReadModels } from '../../src/projections/types.js';
import { createManualScheduler, type ManualScheduler } from '../../src/projections/scheduler.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { EventStore } from '../../src/store/port.js';
import { listen, request, TEST_TOKEN_CONFIG, TEST_TOKENS, type Answer } from '../support/server.js';

export const ZONE = 'Asia/Shanghai';

export const TOKENS = TEST_TOKENS;
export const TOKEN_CONFIG = TEST_TOKEN_CONFIG;

/** The fake clock is a manual scheduler: moving it fires the projections' due timers. */
export class FakeClock {
  readonly scheduler: ManualScheduler;
  constructor(start: number) {
    this.scheduler = createManualScheduler(start);
  }
  get now(): number {
    return this.scheduler.clock();
  }
  readonly fn = (): number => this.scheduler.clock();
  /** Move forward to `iso` (never backwards). */
  set(iso: string): void {
    this.scheduler.advanceTo(Date.parse(iso));
  }
  advance(ms: number): void {
    this.scheduler.advanceBy(ms);
  }
}

export interface TestServer {
  readonly baseUrl: string;
  readonly store: EventStore;
  readonly clock: FakeClock;
  readonly app: SupervisionApp;
  readonly metrics: Metrics;
  readonly calendarService: CalendarService;
  readonly readModels: ReadModels;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly accessTrail: ReturnType<typeof memoryAccessTrail>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly now?: string;
  readonly store?: EventStore;
  /** Read models to serve instead of the real projections over the store. */
  readonly readModels?: (ctx: {
    store: EventStore;
    clock: FakeClock;
    calendarService: CalendarService;
    metrics: Metrics;
  }) => Promise<{ readModels: ReadModels; stop(): Promise<void> }>;
  readonly options?: AppDeps['options'];
  /** Where the projections keep their snapshot (default: none, every start rebuilds). */
  readonly checkpointFile?: string;
  /** The projections' operational messages (default: dropped). */
  readonly projectionLog?: (message: string, level?: 'info' | 'warn') => void;
}

export async function startTestServer(options: HarnessOptions = {}): Promise<TestServer> {
  const clock = new FakeClock(Date.parse(options.now ?? '2025-09-22T10:00:00+08:00'));
  const store = options.store ?? new MemoryEventStore({ clock: clock.fn });
  const calendarService = createCalendarService(ZONE);
  const metrics = createMetrics({ defaultMetrics: false });
  const stub = await options.readModels?.({ store, clock, calendarService, metrics });
  const logger = memoryLogger();
  const accessTrail = memoryAccessTrail();
  const engine = await createEngine({
    store,
    zone: ZONE,
    tokens: TOKEN_CONFIG,
    policy: DEFAULT_POLICY,
    scheduler: clock.scheduler,
    calendarService,
    metrics,
    logger,
    accessTrail,
    ...(stub === undefined ? {} : { readModels: stub.readModels }),
    ...(options.checkpointFile === undefined ? {} : { checkpointFile: options.checkpointFile }),
    ...(options.projectionLog === undefined ? {} : { projectionLog: options.projectionLog }),
    // Property tests fire requests faster than the per-token limit; the limit itself is
    // tested in test/reliability/hostile.int.test.ts.
    appOptions: { rateLimitPerSecond: 0, ...options.options },
  });
  await engine.start();
  const server = await listen(engine.app);
  return {
    baseUrl: server.baseUrl,
    store,
    clock,
    app: engine.app,
    metrics,
    calendarService,
    readModels: engine.readModels,
    logger,
    accessTrail,
    async close() {
      await server.close();
      await stub?.stop();
      await engine.close();
    },
  };
}

/** Read models that fail loudly if used: the write path must not need them. */
export const unusedReadModels = async (): Promise<{ readModels: ReadModels; stop(): Promise<void> }> => {
  const fail = (): never => {
    throw new Error('read models must not be used here');
  };
  const readModels = new Proxy({}, { get: () => fail }) as ReadModels;
  return { readModels, stop: async () => {} };
};

export type Call = Answer;

/** fetch with a bearer token and a JSON body (or `rawBody` as is); the answer parsed when it is JSON. */
export function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Call> {
  const { rawBody, ...rest } = opts;
  return request(base, method, path, rawBody === undefined ? rest : { ...rest, raw: rawBody });
}

export const accepted = (caseId: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt,
  centerId: 'center-A',
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
  ...extra,
});
