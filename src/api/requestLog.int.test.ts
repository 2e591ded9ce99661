/** Which requests get a log line (requestLog.ts): refused, failed and slow ones, not event streams. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from './logger.js';
import { requestLog } from './requestLog.js';

const logger = memoryLogger();
let clock = 0;
let server: Server;
let base = '';
beforeAll(async () => {
  const app = express();
  app.use(requestLog(logger, () => clock));
  // Each route moves the injected clock by how long it "took".
  app.get('/fast', (_req, res) => res.json({ ok: true }));
  app.get('/slow', (_req, res) => {
    clock += 1500;
    res.json({ ok: true });
  });
  app.get('/stream', (_req, res) => {
    clock += 60_000;
    res.setHeader('Content-Type', 'text/event-stream');
    res.end('data: x\n\n');
  });
  app.get('/refused', (_req, res) => res.status(403).json({}));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the request log', () => {
  it('logs the slow and the refused, not the fast nor an event stream however long it lasted', async () => {
    for (const path of ['/fast', '/slow', '/stream', '/refused']) await (await fetch(`${base}${path}`)).text();
    expect(logger.entries.map((e) => [e.message, e.fields?.['status'], e.fields?.['ms']])).toEqual([
      ['slow request', 200, 1500],
      ['request refused', 403, 0],
    ]);
  });
});
