/** Which requests get a log line (requestLog.ts): refused, failed and slow ones, not event streams. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from './logger.js';
import { RefusalTally } from './refusalTally.js';
import { requestLog } from './requestLog.js';

const logger = memoryLogger();
let clock = 0;
/** The tally's interval timers, fired by hand. */
const timers: Array<() => void> = [];
const fireTimers = () => {
  for (const run of timers.splice(0)) run();
};
let server: Server;
let base = '';
beforeAll(async () => {
  const app = express();
  app.use(requestLog(logger, () => clock, new RefusalTally(logger, (run) => timers.push(run))));
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
  // A known token (auth.ts sets the principal) refused, as a client's bad request is.
  app.get('/refused', (_req, res) => {
    res.locals['principal'] = { role: 'monitor', fingerprint: '00000000' };
    res.status(403).json({});
  });
  app.get('/refused-anonymous', (_req, res) => res.status(400).json({}));
  app.get('/needs-token', (_req, res) => res.status(401).json({}));
  app.get('/limited', (_req, res) => {
    res.locals['principal'] = { role: 'monitor', fingerprint: '00000000' };
    res.status(429).json({});
  });
  app.get('/fails', (_req, res) => res.status(500).json({}));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  fireTimers();
  logger.entries.length = 0;
});

const get = async (path: string, times = 1) => {
  for (let i = 0; i < times; i++) await (await fetch(`${base}${path}`)).text();
};

describe('the request log', () => {
  it('logs the slow and the refused, not the fast nor an event stream however long it lasted', async () => {
    for (const path of ['/fast', '/slow', '/stream', '/refused', '/fails']) await get(path);
    expect(logger.entries.map((e) => [e.message, e.fields?.['status'], e.fields?.['ms']])).toEqual([
      ['slow request', 200, 1500],
      ['request refused', 403, 0],
      ['request failed', 500, 0],
    ]);
  });

  it('counts the refusals anyone can cause: one line per route and status per interval, with the count', async () => {
    await get('/needs-token', 300);
    await get('/nowhere', 200);
    await get('/limited', 100);
    await get('/refused-anonymous', 50);
    expect(logger.entries).toEqual([]);
    fireTimers();
    expect(logger.entries.map((e) => e.fields)).toEqual([
      { route: '/needs-token', status: 401, count: 300, seconds: 10 },
      { route: 'unmatched', status: 404, count: 200, seconds: 10 },
      { route: '/limited', status: 429, count: 100, seconds: 10 },
      { route: '/refused-anonymous', status: 400, count: 50, seconds: 10 },
    ]);
    expect(logger.entries.every((e) => e.message === 'requests refused' && e.level === 'info')).toBe(true);
    // The next interval starts afresh.
    await get('/needs-token', 2);
    fireTimers();
    expect(logger.entries.at(-1)?.fields).toEqual({ route: '/needs-token', status: 401, count: 2, seconds: 10 });
    expect(logger.entries).toHaveLength(5);
  });
});
