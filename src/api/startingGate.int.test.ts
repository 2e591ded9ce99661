/** While the engine starts, probes are answered and everything else is told to retry (startingGate.ts). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateUntilStarted } from './startingGate.js';

let started = false;
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer(
    gateUntilStarted(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('the app');
      },
      () => started,
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the starting gate', () => {
  it('answers /healthz alive and /readyz not ready while starting, and anything else 503 with Retry-After', async () => {
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', starting: true }]);
    const ready = await fetch(`${base}/readyz?x=1`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).status).toBe('not-ready');
    const write = await fetch(`${base}/cases/A-1/events`, { method: 'POST', body: '{"type":"CaseAccepted"}' });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    expect((await write.json()).error.code).toBe('starting');
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(503);
  });

  it('hands every request to the app once started', async () => {
    started = true;
    const res = await fetch(`${base}/healthz`);
    expect([res.status, await res.text()]).toEqual([200, 'the app']);
  });
});
