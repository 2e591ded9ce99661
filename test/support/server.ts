/**
 * What the in-process test harnesses share (test/api/harness.ts,
 * test/reliability/support/app-server.ts, test/web/harness.ts): one token per
 * role, starting and stopping an app on an ephemeral loopback port, and a
 * fetch that sends the bearer token and parses JSON answers.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { SupervisionApp } from '../../src/api/app.js';
import type { TokenConfig } from '../../src/config/tokens.js';

export const TEST_TOKENS = {
  admin: 'admin-token-0123456789abcdef',
  recorder: 'recorder-token-0123456789abcdef',
  recorderA: 'recorder-a-token-0123456789abcdef',
  monitor: 'monitor-token-0123456789abcdef',
  auditor: 'auditor-token-0123456789abcdef',
} as const;

/** `recorderA` may write only cases of center-A. */
export const TEST_TOKEN_CONFIG: TokenConfig[] = [
  { token: TEST_TOKENS.admin, role: 'admin' },
  { token: TEST_TOKENS.recorder, role: 'recorder' },
  { token: TEST_TOKENS.recorderA, role: 'recorder', centers: ['center-A'] },
  { token: TEST_TOKENS.monitor, role: 'monitor' },
  { token: TEST_TOKENS.auditor, role: 'auditor' },
];

export interface Listening {
  readonly server: Server;
  readonly baseUrl: string;
  /** Ends SSE streams and open connections, then closes the server. */
  close(): Promise<void>;
}

export async function listen(app: SupervisionApp): Promise<Listening> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      app.closeStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly token?: string;
  /** Sent as JSON (content-type application/json unless `headers` says otherwise). */
  readonly body?: unknown;
  /** Sent as is, instead of `body`. */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** fetch with a bearer token and a JSON body; the answer parsed when it is JSON. */
export async function request(base: string, method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  if (body === undefined && opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  return { status: res.status, body: parsed, text, headers: res.headers };
}
