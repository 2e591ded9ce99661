/**
 * Issue 13 defect 2: slow SSE readers and stream hoarding. The alert routes run
 * on an express app of their own with alerts fed by hand, so a test can push
 * megabytes of alerts at a client that reads nothing.
 */
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/api/auth.js';
import { finalErrorHandler } from '../../src/api/errors.js';
import { memoryLogger } from '../../src/api/logger.js';
import { alertRoutes, type AlertStreams } from '../../src/api/routes/alerts.js';
import { DEFAULT_SSE_LIMITS, RESET_EVENT, type SseLimits } from '../../src/api/sse.js';
import type { AlertEvent, ReadModels } from '../../src/projections/types.js';
import { TEST_TOKEN_CONFIG, TEST_TOKENS } from '../support/server.js';

interface Fixture {
  readonly port: number;
  readonly streams: AlertStreams;
  emit(event: AlertEvent): void;
  listeners(): number;
  /** The server's side of every connection it accepted. */
  readonly sockets: Socket[];
  close(): Promise<void>;
}

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function start(limits: Partial<SseLimits>): Promise<Fixture> {
  const listeners = new Set<(e: AlertEvent) => void>();
  const readModels = {
    activeAlerts: () => [],
    onAlert(listener: (e: AlertEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as ReadModels;
  const streams = alertRoutes(
    { readModels, sse: { ...DEFAULT_SSE_LIMITS, ...limits } },
    createAuthenticator(TEST_TOKEN_CONFIG),
  );
  const app = express();
  app.use(streams.router);
  app.use(finalErrorHandler(memoryLogger()));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  fixture = {
    port,
    sockets,
    streams,
    emit: (e) => {
      for (const l of [...listeners]) l(e);
    },
    listeners: () => listeners.size,
    async close() {
      streams.closeAll();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return fixture;
}

const alert = (i: number): AlertEvent => ({
  type: 'alert-raised',
  at: '2025-09-22T10:00:00+08:00',
  alert: {
    key: `C-${i}:overdue`,
    caseId: `C-${i}`,
    rule: 'overdue',
    color: 'red',
    centerId: 'center-A',
    departmentId: 'dep-1',
    padding: 'x'.repeat(900),
  } as unknown as AlertEvent['alert'],
});

/** A raw client that sends the request and then reads nothing until told to. */
function silentClient(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET /alerts/stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      );
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

const waitFor = async (condition: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * Emits `count` alerts, `perTurn` per event-loop turn, so the server flushes
 * between them and the kernel's socket buffers fill up before Node's do.
 */
async function flood(f: Fixture, count: number, perTurn = 20): Promise<void> {
  for (let i = 0; i < count; i++) {
    f.emit(alert(i));
    if (i % perTurn === perTurn - 1) await new Promise((r) => setImmediate(r));
  }
}

describe('a client that does not read its alert stream', () => {
  it('is sent a final reset event and dropped once its unsent bytes pass the bound; its listener is gone', async () => {
    const f = await start({ maxBufferedBytes: 64 * 1024, closeGraceMs: 60_000 });
    const client = await silentClient(f.port, TEST_TOKENS.monitor);
    await waitFor(() => f.streams.count() === 1);
    const started = Date.now();
    await flood(f, 20_000); // ~20 MB of alerts, far beyond what the socket buffers hold
    process.stdout.write(`[reliability] flood of 20,000 alerts: ${Date.now() - started} ms\n`);
    expect(f.streams.count()).toBe(0);
    expect(f.listeners()).toBe(0);
    // Reading now, the client gets what was buffered, then the reset, then the end of the answer.
    const chunks: Buffer[] = [];
    client.on('data', (c: Buffer) => chunks.push(c));
    client.resume();
    // The answer's last chunk (chunked encoding's terminator) says the server ended it.
    await waitFor(() => Buffer.concat(chunks).toString('utf8').endsWith('\r\n0\r\n\r\n'));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toContain('event: alert-raised');
    const events = [...text.matchAll(/^event: (.*)$/gm)].map((m) => m[1]);
    expect(events.at(-1)).toBe('reset');
    expect(text).toContain(RESET_EVENT.split('\n')[1]);
    process.stdout.write(
      `[reliability] slow SSE reader: ${events.length - 1} alerts delivered before the reset, ${text.length} bytes\n`,
    );
    client.destroy();
  });

  it('that never reads again has its socket destroyed after the grace period (nothing is kept for it)', async () => {
    // A grace long enough that the check below runs before it ends, even on a busy machine.
    const f = await start({ maxBufferedBytes: 64 * 1024, closeGraceMs: 3_000 });
    const client = await silentClient(f.port, TEST_TOKENS.monitor);
    client.on('error', () => undefined);
    await waitFor(() => f.streams.count() === 1);
    await flood(f, 20_000);
    expect(f.streams.count()).toBe(0);
    expect(f.sockets[0]?.writableLength).toBeGreaterThan(0); // the kernel's buffers are full: Node holds the rest
    await waitFor(() => f.sockets.length === 1 && f.sockets.every((s) => s.destroyed), 10_000);
    client.destroy();
  });

  it('a reader that keeps up is never reset', async () => {
    const f = await start({ maxBufferedBytes: 64 * 1024 });
    const ac = new AbortController();
    const res = await fetch(`http://127.0.0.1:${f.port}/alerts/stream`, {
      headers: { authorization: `Bearer ${TEST_TOKENS.monitor}` },
      signal: ac.signal,
    });
    const reader = res.body?.getReader();
    let received = '';
    const decoder = new TextDecoder();
    for (let i = 0; i < 300; i++) {
      f.emit(alert(i));
      if (i % 20 === 19) {
        while (!received.includes(`C-${i}:overdue`)) {
          const { value } = (await reader?.read()) ?? {};
          received += decoder.decode(value);
        }
      }
    }
    expect(received).not.toContain('event: reset');
    expect(f.streams.count()).toBe(1);
    ac.abort();
  });
});

describe('stream caps', () => {
  const openStream = async (port: number, token: string, open: AbortController[]) => {
    const ac = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/alerts/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: ac.signal,
    });
    if (res.status === 200) open.push(ac);
    const body = res.status === 200 ? undefined : await res.json();
    return { status: res.status, body };
  };

  it('one token holds at most maxStreamsPerToken streams (429 naming the cap); other tokens still get theirs', async () => {
    const f = await start({ maxStreams: 5, maxStreamsPerToken: 3 });
    const open: AbortController[] = [];
    try {
      for (let i = 0; i < 3; i++) expect((await openStream(f.port, TEST_TOKENS.monitor, open)).status).toBe(200);
      const refused = await openStream(f.port, TEST_TOKENS.monitor, open);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('too-many-streams');
      expect(refused.body.error.message).toContain('at most 3 alert streams');
      expect((await openStream(f.port, TEST_TOKENS.admin, open)).status).toBe(200);
      expect((await openStream(f.port, TEST_TOKENS.admin, open)).status).toBe(200);
      // The global cap (5) is reached: 503 for anyone.
      const full = await openStream(f.port, TEST_TOKENS.admin, open);
      expect(full.status).toBe(503);
      expect(full.body.error.message).toContain('at most 5 alert streams');
      // Closing one of the monitor's streams frees a place for that token.
      open.shift()?.abort();
      await waitFor(() => f.streams.count() === 4);
      expect((await openStream(f.port, TEST_TOKENS.monitor, open)).status).toBe(200);
    } finally {
      for (const ac of open) ac.abort();
    }
  });

  it('the default per-token cap is 10', async () => {
    const f = await start({});
    const open: AbortController[] = [];
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await openStream(f.port, TEST_TOKENS.monitor, open)).status);
      expect(statuses).toEqual([...Array(10).fill(200), 429]);
    } finally {
      for (const ac of open) ac.abort();
    }
  });
});
