import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { call, startTestServer, unusedReadModels, type TestServer } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ readModels: unusedReadModels });
});
afterAll(async () => {
  await srv.close();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` the express app registers (sub-routers included), in OpenAPI path syntax. */
function registeredRoutes(stack: Layer[]): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const path = layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') out.push(`${method.toUpperCase()} ${path}`);
    } else if (layer.handle?.stack !== undefined) {
      out.push(...registeredRoutes(layer.handle.stack));
    }
  }
  return out;
}

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document', async () => {
    const res = await call(srv.baseUrl, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/cases/{caseId}/events'].post).toBeDefined();
  });

  it('describes exactly the routes the app registers', () => {
    const registered = registeredRoutes((srv.app as unknown as { router: { stack: Layer[] } }).router.stack).sort();
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThanOrEqual(14);
    expect(registered).toEqual(documented);
  });
});
