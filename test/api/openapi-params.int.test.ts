/**
 * The query parameters of every route against the OpenAPI document (a day-one review): each
 * documented operation is called with one parameter no route takes, and the 400 it answers names
 * the parameters the route takes (`takesParams`, src/api/validation.ts). Those must be exactly the
 * operation's documented query parameters — so a parameter a route reads but the document omits,
 * or one the document lists but the route refuses, fails here — and a route that takes none must
 * refuse the stranger too (README: "a query parameter a route does not take … is a 400").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

interface Parameter {
  readonly name: string;
  readonly in: string;
}
type Operation = { readonly parameters?: readonly Parameter[] };

const SAMPLE_PATH_VALUES: Readonly<Record<string, string>> = {
  caseId: 'WH-2025-000123',
  complaintId: 'TS-2025-000001',
  year: '2025',
  version: 'policy@00000000',
};

const STRANGER = 'zzNotAParameter';

const operations = Object.entries(openApiDocument.paths as Record<string, Record<string, Operation>>).flatMap(
  ([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

/** The parameters a route's refusal says it takes ("known: a, b" or "it takes none"). */
function namedAsKnown(message: string): string[] {
  if (/it takes none$/.test(message)) return [];
  const known = /; known: (.*)$/.exec(message)?.[1];
  if (known === undefined) throw new Error(`no list of known parameters in "${message}"`);
  return known.split(', ');
}

describe('query parameters: the routes against the OpenAPI document', () => {
  it('covers every documented operation', () => {
    expect(operations.length).toBeGreaterThanOrEqual(24);
  });

  it.each(operations)('$method $path takes exactly its documented query parameters', async ({ method, path, op }) => {
    const url = path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => {
      const value = SAMPLE_PATH_VALUES[name];
      if (value === undefined) throw new Error(`no sample value for the path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const res = await call(srv.baseUrl, method, `${url}?${STRANGER}=1`, { token: TOKENS.admin });
    expect(res.status, `${method} ${url}?${STRANGER}=1: ${res.text.slice(0, 300)}`).toBe(400);
    const error = (res.body as { error: { code: string; details?: { field: string; message: string }[] } }).error;
    expect(error.code).toBe('invalid-request');
    const detail = error.details?.find((d) => d.field === STRANGER);
    expect(detail, `the refusal names ${STRANGER}: ${res.text.slice(0, 300)}`).toBeDefined();
    const documented = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(namedAsKnown(detail?.message ?? '').sort()).toEqual([...documented].sort());
  });
});
