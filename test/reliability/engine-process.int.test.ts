/**
 * The real engine process: nothing it prints or writes to its access trail
 * holds a token; a client trickling a request body neither blocks other
 * clients nor crashes it, and is cut off by the request timeout.
 */
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEngine, type Engine } from './support/engine-process.js';
import { acceptedBody, TOKEN_CONFIG, TOKENS } from './support/app-server.js';

const REQUEST_TIMEOUT_MS = 3_000;
const BAD_TOKENS = ['bad-token-that-nobody-configured-1', 'Bearer-looking-but-wrong-token-22'];
let engine: Engine;
let dir: string;
let auditLog: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rel-engine-'));
  auditLog = join(dir, 'audit.log');
  engine = await startEngine({
    store: `sqlite:${join(dir, 'events.db')}`,
    port: await freePort(),
    tokens: TOKEN_CONFIG,
    auditLog,
    env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
  });
});
afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, token?: string, init: RequestInit = {}) => {
  const res = await fetch(`${engine.url}${path}`, {
    ...init,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  await res.arrayBuffer();
  return res.status;
};

describe('the engine process', () => {
  it('never prints a token, configured or refused, and keeps auditor reads in a private trail with fingerprints', async () => {
    const post = (path: string, token: string, body: unknown) =>
      get(path, token, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(await post('/cases/P-1/events', TOKENS.recorder, acceptedBody())).toBe(201);
    for (const token of [...Object.values(TOKENS), ...BAD_TOKENS]) {
      for (const path of ['/cases/P-1', '/cases/P-1/history', '/alerts', '/metrics', '/cases/%'])
        await get(path, token);
      await post('/cases/P-2/events', token, { type: 'Nope' });
      await get('/cases/P-1', undefined, {
        headers: { authorization: `Basic ${Buffer.from(token).toString('base64')}` },
      });
    }
    expect(await engine.stop()).toBe(0); // flushes everything it had to say
    const printed = engine.output();
    const trail = readFileSync(auditLog, 'utf8');
    expect(printed.length).toBeGreaterThan(0);
    for (const token of [...Object.values(TOKENS), ...BAD_TOKENS]) {
      expect(printed).not.toContain(token);
      expect(trail).not.toContain(token);
    }
    const entries = trail
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.filter((e) => e['role'] === 'auditor').length).toBeGreaterThanOrEqual(2);
    for (const e of entries) expect(e['token']).toMatch(/^[0-9a-f]{8}$/);
    expect(statSync(auditLog).mode & 0o777).toBe(0o600);
    // Restart for the next test.
    engine = await startEngine({
      store: `sqlite:${join(dir, 'events.db')}`,
      port: await freePort(),
      tokens: TOKEN_CONFIG,
      auditLog,
      env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    });
  }, 120_000);

  it('a trickled body does not block other clients or crash the engine', async () => {
    const slow = trickle(engine.url, 5_000);
    for (let i = 0; i < 5; i++) {
      expect(await get('/healthz')).toBe(200);
      expect(await get('/alerts', TOKENS.monitor)).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
    }
    await slow;
    expect(await get('/readyz')).toBe(200);
  }, 60_000);

  it('a request whose body trickles past REQUEST_TIMEOUT_MS is cut off (408 or closed)', async () => {
    const outcome = await trickle(engine.url, REQUEST_TIMEOUT_MS + 4_000);
    expect(outcome).not.toBe('still-open');
  }, 60_000);
});

/**
 * Sends the headers of a POST with a 100 kB body, then one byte every 500 ms for
 * `forMs`. 'answered' (with the status line) or 'closed' when the engine ended it, else 'still-open'.
 */
function trickle(url: string, forMs: number): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let outcome: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (o: string): void => {
      if (outcome !== undefined) return;
      outcome = o;
      clearInterval(timer);
      socket.destroy();
      resolve(o);
    };
    socket.on('connect', () => {
      socket.write(
        `POST /cases/SLOW-1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKENS.recorder}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
      );
      timer = setInterval(() => socket.write(' '), 500);
    });
    socket.on('data', (d: Buffer) => finish(`answered ${d.toString('utf8').split('\r\n')[0]}`));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('closed'));
    setTimeout(() => finish('still-open'), forMs);
  });
}
