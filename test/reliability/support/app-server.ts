/**
 * The API in this process on an ephemeral port, with the real projections, the
 * system clock and any store, for the reliability tests that need to reach
 * inside (swap the store, read the logger, the access trail or the metrics).
 */
import type { Server } from 'node:http';
import { memoryAccessTrail } from '../../../src/api/accessTrail.js';
import type { AppDeps, SupervisionApp } from '../../../src/api/app.js';
import { memoryLogger } from '../../../src/api/logger.js';
import type { Metrics } from '../../../src/api/metrics.js';
import { DEFAULT_POLICY } from '../../../src/domain/policy.js';
import { createEngine } from '../../../src/engine.js';
import type { Projections } from '../../../src/projections/index.js';
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
  const projectionLog: string[] = [];
  const logger = memoryLogger();
  const accessTrail = memoryAccessTrail();
  const engine = await createEngine({
    store,
    zone: ZONE,
    tokens: TOKEN_CONFIG,
    policy: DEFAULT_POLICY,
    metrics: { defaultMetrics: false },
    logger,
    accessTrail,
    projectionLog: (m) => projectionLog.push(m),
    appOptions: options,
  });
  await engine.start();
  const listening = await listen(engine.app);
  return {
    url: listening.baseUrl,
    server: listening.server,
    app: engine.app,
    store,
    projections: engine.projections as Projections,
    metrics: engine.metrics,
    logger,
    accessTrail,
    projectionLog,
    async close() {
      await listening.close();
      // Some tests leave the store broken on purpose; closing it may fail.
      await engine.close().catch(() => undefined);
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
