/**
 * The request-rate limit (rateLimit.ts). Operations review: requests without a token were never
 * limited, so anyone reaching the port could send them without bound; the probes and a loopback
 * scrape must still never be refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator } from './auth.js';
import { perTokenRateLimit } from './rateLimit.js';

const KNOWN = 'monitor-token-0123456789abcdef';
let server: Server;
let base = '';
beforeAll(async () => {
  const app = express();
  // A limit of 10/s: 200 requests would have to spread over 20 s to escape it, so a busy machine cannot make this pass by luck.
  app.use(perTokenRateLimit(10, createAuthenticator([{ token: KNOWN, role: 'monitor' }])));
  for (const path of ['/healthz', '/readyz', '/metrics', '/alerts']) app.get(path, (_req, res) => res.json({}));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const burst = (path: string, headers: Record<string, string> = {}, n = 200) =>
  Promise.all(
    Array.from({ length: n }, () => fetch(`${base}${path}`, { headers }).then((r) => r.text().then(() => r.status))),
  );

describe('the request-rate limit', () => {
  it('limits requests without a token by address', async () => {
    const statuses = await burst('/alerts');
    expect(statuses).toContain(429);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
  });

  it('limits unknown tokens by address too', async () => {
    const statuses = await burst('/alerts', { authorization: 'Bearer not-a-real-token-000000' });
    expect(statuses).toContain(429);
  });

  it('counts a loopback scrape a proxy forwarded as a caller without a token', async () => {
    const statuses = await burst('/metrics', { 'x-forwarded-for': '203.0.113.7' });
    expect(statuses).toContain(429);
  });

  it('never refuses the probes nor a loopback scrape without a token, whatever else the address sends', async () => {
    const [flood, probes, ready, scrape] = await Promise.all([
      burst('/alerts'),
      burst('/healthz'),
      burst('/readyz'),
      burst('/metrics'),
    ]);
    expect(flood).toContain(429);
    expect([...probes, ...ready, ...scrape].every((s) => s === 200)).toBe(true);
  });
});
