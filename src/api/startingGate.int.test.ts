/** While the engine starts, probes are answered and everything else is told to retry (startingGate.ts). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from './openapi.js';
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

  // Day-one review: while starting, /healthz added `starting` to the closed Health schema and /readyz gave none
  // of Ready's required `store` and `projection`, so a client built from the OpenAPI document refused both answers.
  it('answers as the OpenAPI document says: the probes, and 503 starting on every other operation', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...openApiDocument, $id: 'doc' });
    const paths = openApiDocument.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const answers = [
      { method: 'get', path: '/healthz', status: 200 },
      { method: 'get', path: '/readyz', status: 503 },
      { method: 'get', path: '/alerts', status: 503 },
      { method: 'post', path: '/events', status: 503 },
    ];
    for (const { method, path, status } of answers) {
      const res = await fetch(`${base}${path}`, { method: method.toUpperCase() });
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(paths[path]?.[method]?.responses[String(status)], `${method} ${path} documents ${status}`).toBeDefined();
      const pointer = ['paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema']
        .map((part) => encodeURIComponent(part.replace(/~/g, '~0').replace(/\//g, '~1')))
        .join('/');
      const validate = ajv.getSchema(`doc#/${pointer}`);
      const body = await res.json();
      expect(validate?.(body) ? [] : validate?.errors, `${method} ${path}: ${JSON.stringify(body)}`).toEqual([]);
    }
  });

  it('hands every request to the app once started', async () => {
    started = true;
    const res = await fetch(`${base}/healthz`);
    expect([res.status, await res.text()]).toEqual([200, 'the app']);
  });
});
