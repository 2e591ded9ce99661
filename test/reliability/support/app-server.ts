/**
 * The API in this process on an ephemeral port, with the real projections, the
 * system clock and any store, for the reliability tests that need to reach
 * inside (swap the store, read the logger, the access trail or the metrics).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { memoryAccessTrail } from '../../../src/api/accessTrail.js';
import { createApp, type AppDeps, type SupervisionApp } from '../../../src/api/app.js';
import { memoryLogger } from '../../../src/api/logger.js';
import { createMetrics, type Metrics } from '../../../src/api/metrics.js';
import type { TokenConfig } from '../../../src/config/tokens.js';
import { createCalendarService } from '../../../src/domain/calendar/index.js';
import { DEFAULT_POLICY } from '../../../src/domain/policy.js';
import { createProjections, type Projections } from '../../../src/projections/index.js';
import type { EventStore } from '../../../src/store/port.js';

export const ZONE = 'Asia/Shanghai';

export const TOKENS = {
  admin: 'rel-admin-token-aaaaaaaaaaaaaaaa',
  recorder: 'rel-recorder-token-bbbbbbbbbbbbbbbb',
  recorderA: 'rel-recorder-center-a-cccccccccccc',
  monitor: 'rel-monitor-token-dddddddddddddddd',
  auditor: 'rel-auditor-token-eeeeeeeeeeeeeeee',
} as const;

export const TOKEN_CONFIG: TokenConfig[] = [
  { token: TOKENS.admin, role: 'admin' },
  { token: TOKENS.recorder, role: 'recorder' },
  { token: TOKENS.recorderA, role: 'recorder', centers: ['center-A'] },
  { token: TOKENS.monitor, role: 'monitor' },
  { token: TOKENS.auditor, role: 'auditor' },
];

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
    store, calendarService, policy: DEFAULT_POLICY, clock, zone: ZONE, metrics: metrics.sink,
    log: (m) => projectionLog.push(m),
  });
  await projections.start();
  const logger = memoryLogger();
  const accessTrail = memoryAccessTrail();
  const app = createApp({
    store, readModels: projections.readModels, calendarService, policy: DEFAULT_POLICY, clock,
    tokens: TOKEN_CONFIG, zone: ZONE, logger, metrics, accessTrail, options,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server, app, store, projections, metrics, logger, accessTrail, projectionLog,
    async close() {
      app.closeStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await projections.stop();
      await store.close().catch(() => undefined);
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly text: string;
  readonly headers: Headers;
}

export async function http(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (body === undefined && opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** An ISO instant with +08:00 (to the second), `offsetMs` from now. */
export function shanghai(offsetMs = 0): string {
  const ms = Math.floor((Date.now() + offsetMs) / 1000) * 1000;
  return new Date(ms + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
}

export const acceptedBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'CaseAccepted', occurredAt: shanghai(-60_000), centerId: 'center-A', departmentId: 'dep-1',
  matterCode: 'M-1', kind: 'promised', promisedDays: 5, channel: 'window', ...extra,
});
