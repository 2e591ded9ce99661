/**
 * The API in this process on an ephemeral port, with the real projections, the
 * system clock and any store, for the reliability tests that need to reach
 * inside (swap the store, read the logger, the access trail or the metrics).
 */
import type { Server } from 'node:http';
import { memoryAccessTrail } from '../../../src/api/accessTrail.js';
import { createApp, type AppDeps, type SupervisionApp } from '../../../src/api/app.js';
import { memoryLogger } from '../../../src/api/logger.js';
import { createMetrics, type Metrics } from '../../../src/api/metrics.js';
import { createCalendarService } from '../../../src/domain/calendar/index.js';
import { DEFAULT_POLICY } from '../../../src/domain/policy.js';
import { createProjections, type Projections } from '../../../src/projections/index.js';
import type { EventStore } from '../../../src/store/port.js';
import {
  listen,
  request,
  TEST_TOKEN_CONFIG,
  TEST_TOKENS,
  type Answer,
  type RequestOptions,
} from '../../support/server.js';

export type { Answer } from '../../support/server.js';

export const ZONE = 'Asia/Shanghai';

export const TOKENS = TEST_TOKENS;
export const TOKEN_CONFIG = TEST_TOKEN_CONFIG;

export interface AppServer {
  readonly url: string;
  readonly server: Server;
  readonly app: SupervisionApp;
  readonly store: EventStore;
  readonly projections: Projections;
  readonly metrics: Metrics;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly accessTrail: ReturnType<typeof memoryAccessTrail>;
  /** Every line the projections logged. */
  readonly projectionLog: string[];
  close(): Promise<void>;
}

export async function startAppServer(store: EventStore, options: AppDeps['options'] = {}): Promise<AppServer> {
  const calendarService = createCalendarService(ZONE);
  const metrics = createMetrics({ defaultMetrics: false });
  const clock = (): number => Date.now();
  const projectionLog: string[] = [];
  const projections = createProjections({
    store,
    calendarService,
    policy: DEFAULT_POLICY,
    clock,
    zone: ZONE,
    metrics: metrics.sink,
    log: (m) => projectionLog.push(m),
  });
  await projections.start();
  const logger = memoryLogger();
  const accessTrail = memoryAccessTrail();
  const app = createApp({
    store,
    readModels: projections.readModels,
    calendarService,
    policy: DEFAULT_POLICY,
    clock,
    tokens: TOKEN_CONFIG,
    zone: ZONE,
    logger,
    metrics,
    accessTrail,
    options,
  });
  const listening = await listen(app);
  return {
    url: listening.baseUrl,
    server: listening.server,
    app,
    store,
    projections,
    metrics,
    logger,
    accessTrail,
    projectionLog,
    async close() {
      await listening.close();
      await projections.stop();
      await store.close().catch(() => undefined);
    },
  };
}

export const http = (url: string, method: string, path: string, opts: RequestOptions = {}): Promise<Answer> =>
  request(url, method, path, opts);

/** An ISO instant with +08:00 (to the second), `offsetMs` from now. */
export function shanghai(offsetMs = 0): string {
  const ms = Math.floor((Date.now() + offsetMs) / 1000) * 1000;
  return new Date(ms + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
}

export const acceptedBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'CaseAccepted',
  occurredAt: shanghai(-60_000),
  centerId: 'center-A',
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays: 5,
  channel: 'window',
  ...extra,
});
