/**
 * The OpenAPI document says what a read answers when the event store, or the access trail, fails:
 * every GET operation is called (admin token) while the store refuses every read (unavailable, then
 * corrupt), and while the access trail cannot be written; each 503 it answers must be documented for
 * that operation naming its `error.code`. A read is never told "nothing was written" (it asked to
 * write nothing). The writes' 503s name the store failures an append answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { type EventStore, StoreCorruptError, StoreUnavailableError } from '../../src/store/port.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

/** The store's reads (streams, `$all`, its head) throw `failing` while it is set; appends and the subscription run on. */
function failingReads(inner: EventStore) {
  const state: { failing: Error | undefined } = { failing: undefined };
  const READS = new Set(['readStream', 'readAll', 'headPosition', 'endPosition', 'countEventsAfter', 'positionsOf']);
  const store = new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (typeof key !== 'string' || !READS.has(key)) return value.bind(target);
      return (...args: unknown[]) => {
        const error = state.failing;
        if (error === undefined) return value.apply(target, args);
        if (key === 'readStream' || key === 'readAll') {
          return {
            [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
          };
        }
        return Promise.reject(error);
      };
    },
  });
  return { store: store as EventStore, state };
}

const CASE = 'WH-2025-000123';
const KNOWN_AT = encodeURIComponent('2025-10-20T10:00:00+08:00');
/** Path values, and the queries a route needs to reach the store (required ones, or the one that reads it). */
const URLS: Record<string, string[]> = {
  '/cases/{caseId}': [`/cases/${CASE}`, `/cases/${CASE}?asKnownAt=${KNOWN_AT}`],
  '/cases/{caseId}/history': [`/cases/${CASE}/history`],
  '/complaints/{complaintId}': [`/complaints/${CASE}`],
  '/cards': ['/cards?from=2025-10-01&to=2025-11-01'],
  '/cards/withdrawn': ['/cards/withdrawn?from=2025-10-01&to=2025-11-01'],
  '/stats': ['/stats?from=2025-10-01&to=2025-11-01'],
  '/calendar/{year}': ['/calendar/2025', `/calendar/2025?asKnownAt=${KNOWN_AT}`],
  '/policies/{version}': ['/policies/1'],
  '/reports/monthly': ['/reports/monthly?month=2025-10'],
};

// biome-ignore lint/suspicious/noExplicitAny: the document is walked by path
const doc = openApiDocument as any;
const getPaths = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
  .filter(([path, ops]) => ops['get'] !== undefined && path !== '/alerts/stream')
  .map(([path]) => path);

let srv: TestServer;
let state: { failing: Error | undefined };
beforeAll(async () => {
  const failing = failingReads(new MemoryEventStore());
  state = failing.state;
  srv = await startTestServer({ store: failing.store, now: '2025-10-20T10:00:00+08:00' });
});
afterAll(async () => {
  state.failing = undefined;
  await srv.close();
});

/** Each GET operation's answers while `fail()` holds (it returns the undoing). */
async function readsWhile(fail: () => () => void) {
  const undo = fail();
  const out: { path: string; url: string; status: number; code?: string; message?: string }[] = [];
  try {
    for (const path of getPaths) {
      for (const url of URLS[path] ?? [path]) {
        const res = await call(srv.baseUrl, 'GET', url, { token: TOKENS.admin });
        out.push({ path, url, status: res.status, code: res.body?.error?.code, message: res.body?.error?.message });
      }
    }
  } finally {
    undo();
  }
  // Every answer with an error is one the document lists; a 503 names its code there.
  for (const a of out.filter((x) => x.status >= 400)) {
    const documented = doc.paths[a.path].get.responses[String(a.status)];
    expect(documented, `GET ${a.url} ${a.status} ${a.code}`).toBeDefined();
    if (a.status === 503 && a.code !== undefined)
      expect(documented.description, `GET ${a.url} answers 503 ${a.code}: its document must name it`).toContain(
        `\`${a.code}\``,
      );
  }
  return out;
}

const failingStore = (error: Error) => () => {
  state.failing = error;
  return () => {
    state.failing = undefined;
  };
};

describe('the OpenAPI document names the 503 a read answers when the store fails', () => {
  for (const [name, error, code] of [
    ['unavailable', new StoreUnavailableError('test', 'down for the test'), 'store-unavailable'],
    ['corrupt', new StoreCorruptError('test', 'stream x', 'damaged for the test'), 'store-corrupt'],
  ] as const) {
    it(`a store ${name}: each read answering ${code} documents it by code, and is not told "nothing was written"`, async () => {
      const answers = await readsWhile(failingStore(error));
      const refused = answers.filter((a) => a.status === 503 && a.code === code);
      // The routes that read the store's streams or its head (read-your-writes) do meet it.
      expect(refused.map((a) => a.path)).toEqual(
        expect.arrayContaining(['/cases/{caseId}', '/cases/{caseId}/history', '/complaints/{complaintId}', '/stats']),
      );
      for (const a of refused) expect(a.message, `GET ${a.url}`).not.toContain('nothing was written');
    });
  }

  it('an access trail that cannot be written: each read it refuses documents access-trail-unavailable', async () => {
    const trail = srv.accessTrail as { record: (entry: unknown) => void };
    const answers = await readsWhile(() => {
      const record = trail.record;
      trail.record = () => {
        throw new Error('ENOSPC: no space left on device');
      };
      return () => {
        trail.record = record;
      };
    });
    const refused = answers.filter((a) => a.status === 503 && a.code === 'access-trail-unavailable');
    expect(refused.map((a) => a.path)).toEqual(
      expect.arrayContaining(['/cases/{caseId}', '/cases', '/cards', '/alerts', '/complaints']),
    );
  });

  it('the writes document the store failures they answer by code, as errors.ts words them', () => {
    for (const [path, method] of [
      ['/cases/{caseId}/events', 'post'],
      ['/complaints/{complaintId}/events', 'post'],
    ] as const) {
      const described: string = doc.paths[path][method].responses['503'].description;
      for (const code of ['store-unavailable', 'store-corrupt', 'store-outcome-unknown'])
        expect(described, `${method} ${path}`).toContain(`\`${code}\``);
    }
  });
});
