/**
 * Test harness: the API on an ephemeral port, memory store, fake clock.
 * `readModels` defaults to the real projections; write-path tests may pass a
 * stub to prove the write path never consults them.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type AppDeps, type SupervisionApp } from '../../src/api/app.js';
import { memoryAccessTrail } from '../../src/api/accessTrail.js';
import { memoryLogger } from '../../src/api/logger.js';
import { createMetrics, type Metrics } from '../../src/api/metrics.js';
import type { TokenConfig } from '../../src/config/tokens.js';
import { createCalendarService, type CalendarService } from '../../src/domain/calendar/index.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import type { ReadModels } from '../../src/projections/types.js';
import { createManualScheduler, type ManualScheduler } from '../../src/projections/scheduler.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { EventStore } from '../../src/store/port.js';

export const ZONE = 'Asia/Shanghai';

export const TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  recorder: 'recorder-token-0123456789abcdef',
  recorderA: 'recorder-a-token-0123456789abcdef',
  monitor: 'monitor-token-0123456789abcdef',
  auditor: 'auditor-token-0123456789abcdef',
} as const;

export const TOKEN_CONFIG: TokenConfig[] = [
  { token: TOKENS.admin, role: 'admin' },
  { token: TOKENS.recorder, role: 'recorder' },
  { token: TOKENS.recorderA, role: 'recorder', centers: ['center-A'] },
  { token: TOKENS.monitor, role: 'monitor' },
  { token: TOKENS.auditor, role: 'auditor' },
];

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
  /** Build the read models (default: the real projections over the store). */
  readonly readModels?: (ctx: { store: EventStore; clock: FakeClock; calendarService: CalendarService; metrics: Metrics }) => Promise<{ readModels: ReadModels; stop(): Promise<void> }>;
  readonly options?: AppDeps['options'];
}

export async function startTestServer(options: HarnessOptions = {}): Promise<TestServer> {
  const clock = new FakeClock(Date.parse(options.now ?? '2025-09-22T10:00:00+08:00'));
  const store = options.store ?? new MemoryEventStore({ clock: clock.fn });
  const calendarService = createCalendarService(ZONE);
  const metrics = createMetrics({ defaultMetrics: false });
  const build = options.readModels ?? realProjections;
  const projections = await build({ store, clock, calendarService, metrics });
  const logger = memoryLogger();
  const accessTrail = memoryAccessTrail();
  const app = createApp({
    store,
    readModels: projections.readModels,
    calendarService,
    policy: DEFAULT_POLICY,
    clock: clock.fn,
    tokens: TOKEN_CONFIG,
    zone: ZONE,
    logger,
    metrics,
    accessTrail,
    // Property tests fire requests faster than the per-token limit; the limit itself is
    // tested in test/reliability/hostile.int.test.ts.
    options: { rateLimitPerSecond: 0, ...options.options },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    store, clock, app, metrics, calendarService, readModels: projections.readModels, logger, accessTrail,
    async close() {
      app.closeStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await projections.stop();
      await store.close();
    },
  };
}

async function realProjections(ctx: { store: EventStore; clock: FakeClock; calendarService: CalendarService; metrics: Metrics }) {
  const { createProjections } = await import('../../src/projections/index.js');
  const projections = createProjections({
    store: ctx.store,
    calendarService: ctx.calendarService,
    policy: DEFAULT_POLICY,
    clock: ctx.clock.fn,
    zone: ZONE,
    metrics: ctx.metrics.sink,
    scheduler: ctx.clock.scheduler,
  });
  await projections.start();
  return { readModels: projections.readModels, stop: () => projections.stop() };
}

/** Read models that fail loudly if used: the write path must not need them. */
export const unusedReadModels = async (): Promise<{ readModels: ReadModels; stop(): Promise<void> }> => {
  const fail = (): never => {
    throw new Error('read models must not be used here');
  };
  const readModels = new Proxy({}, { get: () => fail }) as ReadModels;
  return { readModels, stop: async () => {} };
};

export interface Call {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly headers: Headers;
  readonly text: string;
}

/** fetch with a bearer token and a JSON body; the answer parsed when it is JSON. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, body: parsed, headers: res.headers, text };
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
