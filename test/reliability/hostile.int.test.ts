/**
 * Hostile input at every route (in-process API, memory store, real clock):
 * random JSON (deep nesting, huge numbers, unicode, wrong types,
 * prototype-pollution keys), random paths and queries, header abuse (huge
 * headers, bad Authorization, bad If-Match, bad Accept, bad Content-Type and
 * Content-Encoding), and the limits (1 MB body → 413, batch of 1000, SSE
 * streams, per-token request rate). Never a 500, never a crash, never a write
 * on a rejection, never a polluted prototype.
 */
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import {
  acceptedBody,
  http,
  shanghai,
  startAppServer,
  TOKENS,
  type Answer,
  type AppServer,
} from './support/app-server.js';

const MAX_STREAMS = 5;
let srv: AppServer;
let tried = 0;

beforeAll(async () => {
  // The rate limit off: these tests send bursts with one token back to back, and a 1 s window shared with
  // the test before made an idle, fast CI run answer 429 here (session 24). The limit has its own tests below.
  srv = await startAppServer(new MemoryEventStore(), {
    maxAlertStreams: MAX_STREAMS,
    readYourWritesMs: 200,
    rateLimitPerSecond: 0,
  });
  for (const id of ['H-1', 'H-2']) {
    const res = await http(srv.url, 'POST', `/cases/${id}/events`, { token: TOKENS.admin, body: acceptedBody() });
    expect(res.status).toBe(201);
  }
});
beforeEach(() => {
  srv.logger.entries.length = 0; // each test asserts on its own log
});
afterAll(async () => {
  // The figure for docs/reliability.md.
  process.stdout.write(`[reliability] hostile-input cases tried: ${tried}\n`);
  await srv.close();
});

/** No 500, an error body naming a code on every 4xx/5xx JSON answer, and the engine still answers. */
function expectSane(res: Answer, allowed?: readonly number[]): void {
  tried++;
  expect(res.status, res.text.slice(0, 300)).not.toBe(500);
  expect(res.status).toBeLessThan(600);
  if (allowed !== undefined) expect(allowed, `status ${res.status}: ${res.text.slice(0, 300)}`).toContain(res.status);
  if (res.status >= 400 && res.body !== undefined) expect(typeof res.body.error?.code).toBe('string');
}

const head = () => srv.store.headPosition();
const noErrorsLogged = () => expect(srv.logger.entries.filter((e) => e.level === 'error')).toEqual([]);

// ---------------------------------------------------------------- arbitraries

const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
  'valueOf',
];

const hugeNumber = fc.constantFrom(
  '1e308',
  '-1e308',
  '1e999',
  '-1e999',
  '9007199254740993',
  '123456789012345678901234567890',
  '-0',
  '0.0000000000000000001',
  '1E+2',
);
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '💥',
  '\u202e',
  '𠜎𠜱',
  'é',
  '%00',
  '../../etc/passwd',
  '<script>',
  "'; DROP TABLE events;--",
  'null',
  'undefined',
  'NaN',
  '2025-02-30T10:00:00+08:00',
  '2025-09-22T10:00:00',
  '+275760-09-13T00:00:00Z',
  'x'.repeat(10_000),
);
/** Raw JSON text: JSON.stringify cannot produce lone surrogates, raw big numbers or duplicate keys. */
const rawJsonValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hugeNumber,
    nasty.map((s) => JSON.stringify(s)),
    fc.constantFrom('"\\ud800"', '"\\u0000"', 'true', 'null', '[]', '{}'),
    fc.string({ unit: 'binary', maxLength: 20 }).map((s) => JSON.stringify(s)),
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ maxLength: 8 })), tie('v')), {
        maxLength: 4,
      })
      .map((kvs) => `{${kvs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).v;
const deepNesting = fc.integer({ min: 1_000, max: 200_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const deepObject = fc
  .integer({ min: 1_000, max: 50_000 })
  .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

const EVENT_FIELDS = [
  'type',
  'caseId',
  'eventId',
  'occurredAt',
  'actor',
  'centerId',
  'departmentId',
  'matterCode',
  'matterName',
  'kind',
  'promisedDays',
  'legalDays',
  'channel',
  'category',
  'pauseId',
  'reason',
  'declaredDays',
  'note',
  'level',
  'respondWithinDays',
  'by',
  'outcome',
];
const TYPES = ['CaseAccepted', 'CasePaused', 'CaseResumed', 'CaseEscalated', 'CaseCompleted'];
/** A valid-looking event with some fields replaced by hostile raw JSON, plus pollution keys. */
const eventText = fc
  .record({
    base: fc.constantFrom(...TYPES),
    fields: fc.dictionary(fc.constantFrom(...EVENT_FIELDS, ...POLLUTION_KEYS), rawJsonValue, { maxKeys: 5 }),
  })
  .map(({ base, fields }) => {
    const valid: Record<string, string> = Object.fromEntries(
      Object.entries({
        ...acceptedBody(),
        type: base,
        pauseId: 'p1',
        reason: 'testing',
        level: 'reminder',
        by: 'x',
        outcome: 'approved',
      }).map(([k, v]) => [k, JSON.stringify(v)]),
    );
    const merged = { ...valid };
    for (const [k, v] of Object.entries(fields))
      Object.defineProperty(merged, k, { value: v, enumerable: true, writable: true, configurable: true });
    return `{${Object.entries(merged)
      .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
      .join(',')}}`;
  });
const anyBody = fc.oneof(
  eventText,
  rawJsonValue,
  deepNesting,
  deepObject,
  fc.string({ unit: 'binary', maxLength: 200 }),
);

// ---------------------------------------------------------------- bodies

describe('hostile bodies at the write routes', () => {
  it('POST /cases/{id}/events: never 500, head moves only on 201', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('H-1', 'H-2', 'H-new'), anyBody, async (caseId, raw) => {
        const before = await head();
        const res = await http(srv.url, 'POST', `/cases/${caseId}/events`, {
          token: TOKENS.recorder,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expectSane(res, [200, 201, 400, 403, 409, 413, 422]);
        expect((await head()) - before).toBe(res.status === 201 ? 1n : 0n);
      }),
      { numRuns: 300 },
    );
    noErrorsLogged();
  });

  it('POST /events: never 500, head moves only by the results marked 201', async () => {
    const batch = fc
      .array(
        anyBody.filter((s) => s.length < 50_000),
        { minLength: 1, maxLength: 5 },
      )
      .map(
        (items) =>
          `{"events":[${items.map((t) => (t.trim().startsWith('{') ? t.replace(/^\{/, '{"caseId":"H-2",') : t)).join(',')}]}`,
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(batch, anyBody), async (raw) => {
        const before = await head();
        const res = await http(srv.url, 'POST', '/events', {
          token: TOKENS.recorder,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expectSane(res, [200, 400, 413]);
        const created =
          res.status === 200 ? res.body.results.filter((r: { status: number }) => r.status === 201).length : 0;
        expect((await head()) - before).toBe(BigInt(created));
      }),
      { numRuns: 200 },
    );
    noErrorsLogged();
  });

  it('PUT /calendar/{year}: never 500, nothing stored unless 200', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('2030', '2031', '0000', '99999', 'abcd'), anyBody, async (year, raw) => {
        const before = await head();
        const res = await http(srv.url, 'PUT', `/calendar/${year}`, {
          token: TOKENS.admin,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        expectSane(res, [200, 400, 413]);
        if (res.status !== 200) expect(await head()).toBe(before);
      }),
      { numRuns: 150 },
    );
    noErrorsLogged();
  });

  it('prototype-pollution keys are inert: nothing reaches Object.prototype, stored events carry none of them', async () => {
    const payloads = [
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"prototype":{"polluted":"yes"}}',
    ];
    for (const [i, extra] of payloads.entries()) {
      const caseId = `PP-${i}`;
      const body = JSON.stringify(acceptedBody()).replace(/^\{/, `${extra.slice(1, -1)},`);
      const res = await http(srv.url, 'POST', `/cases/${caseId}/events`, {
        token: TOKENS.recorder,
        raw: body,
        headers: { 'content-type': 'application/json' },
      });
      expectSane(res, [201, 400]);
      if (res.status === 201) {
        const read = await http(srv.url, 'GET', `/cases/${caseId}/history`, { token: TOKENS.auditor });
        expectSane(read, [200]);
        expect(read.text).not.toContain('polluted');
      }
      const batch = await http(srv.url, 'POST', '/events', {
        token: TOKENS.recorder,
        raw: `{${extra.slice(1, -1)},"events":[${body.replace(/^\{/, `{"caseId":"PPB-${i}",`)}]}`,
        headers: { 'content-type': 'application/json' },
      });
      expectSane(batch, [200, 400]);
      const q = await http(srv.url, 'GET', `/alerts?__proto__[polluted]=yes&constructor[prototype][polluted]=yes`, {
        token: TOKENS.monitor,
      });
      expectSane(q, [200, 400]);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    noErrorsLogged();
  });
});

// ---------------------------------------------------------------- paths and queries

const READ_ROUTES: Array<{ path: string; token: string }> = [
  { path: '/cases/H-1', token: TOKENS.monitor },
  { path: '/cases/H-1/history', token: TOKENS.auditor },
  { path: '/alerts', token: TOKENS.monitor },
  { path: '/stats', token: TOKENS.monitor },
  { path: '/reports/monthly', token: TOKENS.monitor },
  { path: '/calendar/2025', token: TOKENS.monitor },
  { path: '/metrics', token: TOKENS.monitor },
  { path: '/healthz', token: TOKENS.monitor },
  { path: '/readyz', token: TOKENS.monitor },
  { path: '/openapi.json', token: TOKENS.monitor },
];
const QUERY_KEYS = [
  'asOf',
  'from',
  'to',
  'centerId',
  'departmentId',
  'groupBy',
  'color',
  'rule',
  'month',
  ...POLLUTION_KEYS,
  'a[b]',
  'a[]',
];

describe('hostile paths and query strings at the read routes', () => {
  it('random query strings (repeated keys, unicode, bracket syntax) never 500', async () => {
    const value = fc.oneof(
      nasty.filter((s) => !s.includes('\ud800') && !s.includes('\udfff')),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('2025-09-01', '2025-10-01', '2025-09', 'center', 'red', 'overdue', '2025-09-22T10:00:00+08:00'),
    );
    const query = fc
      .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), value), { maxLength: 6 })
      .map((kvs) =>
        kvs
          .map(([k, v]) => `${encodeURIComponent(k).replace('%5B', '[').replace('%5D', ']')}=${encodeURIComponent(v)}`)
          .join('&'),
      );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...READ_ROUTES), query, async (route, q) => {
        const res = await http(srv.url, 'GET', `${route.path}?${q}`, {
          token: route.token,
          headers: { accept: 'application/json' },
        });
        expectSane(res, [200, 400, 404, 414, 431, 503]); // 414/431: Node refuses a request line over 16 KB
      }),
      { numRuns: 300 },
    );
    noErrorsLogged();
  });

  it('random case ids and path segments never 500 (and never echo unescaped into HTML)', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        '..',
        '%2e%2e',
        '%00',
        '%ff',
        '%',
        'H-1%2Fhistory',
        'x'.repeat(65),
        'x'.repeat(5000),
        '%F0%9F%92%A5',
        '<svg onload=1>',
      ),
    );
    // Malformed percent-escapes are left out here: they are the known bug tested on their own below.
    const wellFormed = segment.filter((seg) => {
      if (!/%|\.\./.test(seg)) return true; // sent encoded
      try {
        decodeURIComponent(seg);
        return true;
      } catch {
        return false;
      }
    });
    await fc.assert(
      fc.asyncProperty(
        wellFormed,
        fc.constantFrom('', '/history', '/events'),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        async (seg, tail, method) => {
          const path = `/cases/${/%|\.\./.test(seg) ? seg : encodeURIComponent(seg)}${tail}`;
          const res = await http(srv.url, method, path, {
            token: TOKENS.admin,
            ...(method === 'GET' ? {} : { body: acceptedBody() }),
            headers: { accept: 'application/json' },
          });
          expectSane(res, [200, 201, 400, 404, 405, 409, 422]);
          expect(res.text).not.toContain('<svg onload');
        },
      ),
      { numRuns: 250 },
    );
    noErrorsLogged();
  });
});

// ---------------------------------------------------------------- headers

/** A raw request through node:http (fetch refuses some of these headers). */
function rawRequest(
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: Buffer | string,
): Promise<{ status: number; text: string }> {
  const { port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('header abuse', () => {
  it('a huge header is refused (431) and the engine keeps serving', async () => {
    const res = await rawRequest('/alerts', {
      authorization: `Bearer ${TOKENS.monitor}`,
      'x-junk': 'x'.repeat(64 * 1024),
    }).catch(() => ({ status: 0, text: '' }));
    tried++;
    expect([0, 431]).toContain(res.status); // 431, or the socket is cut before an answer
    expectSane(await http(srv.url, 'GET', '/alerts', { token: TOKENS.monitor }), [200]);
  });

  it('malformed Authorization headers are 401 (never 500, never let in)', async () => {
    const t = TOKENS.admin;
    const forms = [
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from(`admin:${t}`).toString('base64')}`,
      `Bearer ${t} extra`,
      `Bearer ${t},Bearer ${t}`,
      `${t}`,
      `Token ${t}`,
      `Bearer ${t.slice(0, -1)}`,
      `Bearer ${t}x`,
      `Bearer ${t.toUpperCase()}`,
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer null',
      'Bearer undefined',
      'Bearer %00',
      `Bearer  "${t}"`,
      `Bearer\u00a0${t}`,
      `Digest ${t}`,
    ];
    for (const auth of forms) {
      for (const path of ['/alerts', '/cases/H-1', '/cases/H-1/history', '/stats?from=2025-09-01&to=2025-10-01']) {
        const res = await rawRequest(path, { authorization: auth, accept: 'application/json' });
        tried++;
        expect(res.status, `${auth.slice(0, 40)} at ${path}`).toBe(401);
      }
    }
    const forged = await rawRequest(
      '/events',
      { authorization: 'Bearer forged-token-forged-token', 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ events: [{ ...acceptedBody(), caseId: 'FORGED' }] }),
    );
    expect(forged.status).toBe(401);
    expect(srv.projections.readModels.getCaseState('FORGED')).toBeUndefined();
    // The accepted forms: any case of "Bearer", spaces or a tab.
    for (const auth of [`Bearer ${t}`, `bearer ${t}`, `BEARER\t${t}`, `Bearer   ${t}  `]) {
      expect((await rawRequest('/alerts', { authorization: auth })).status).toBe(200);
    }
    noErrorsLogged();
  });

  it('random If-Match values: 201 only for the current revision, else 400 or 409, and nothing written', async () => {
    const caseId = `IFM-${randomUUID().slice(0, 6)}`;
    expect(
      (await http(srv.url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body: acceptedBody() })).status,
    ).toBe(201);
    const latin1 = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
    const value = fc.oneof(
      latin1,
      fc.constantFrom(
        '0',
        '"0"',
        'W/"0"',
        '-1',
        '1e3',
        '0x0',
        '00',
        '18446744073709551616',
        '*',
        '"0", "1"',
        ' 0 ',
        '9'.repeat(40),
      ),
    );
    await fc.assert(
      fc.asyncProperty(value, async (ifMatch) => {
        const before = await head();
        const res = await rawRequest(
          `/cases/${caseId}/events`,
          {
            authorization: `Bearer ${TOKENS.recorder}`,
            'content-type': 'application/json',
            'if-match': ifMatch,
          },
          'POST',
          JSON.stringify({ type: 'CaseEscalated', level: 'reminder', by: 'x', occurredAt: shanghai(-30_000) }),
        );
        tried++;
        expect([201, 400, 409], `${ifMatch}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        expect((await head()) - before).toBe(res.status === 201 ? 1n : 0n);
        if (res.status === 400) expect(res.text).toContain('If-Match');
      }),
      { numRuns: 150 },
    );
    noErrorsLogged();
  });

  it('odd Accept, Content-Type and Content-Encoding headers never 500 and never write', async () => {
    const accepts = [
      '',
      '*/*',
      'text/csv',
      'text/csv;q=0',
      'application/json;q=abc',
      'x'.repeat(4000),
      '*/*;q=0',
      'image/png',
      ',,,;;;',
      'text/*',
    ];
    for (const accept of accepts) {
      for (const path of [
        '/reports/monthly?month=2025-09',
        '/cases/H-1',
        '/alerts',
        '/stats?from=2025-09-01&to=2025-10-01',
      ]) {
        const res = await rawRequest(path, { authorization: `Bearer ${TOKENS.admin}`, accept });
        tried++;
        expect(res.status, `${accept.slice(0, 30)} ${path}`).not.toBe(500);
      }
    }
    const body = JSON.stringify(acceptedBody());
    const before = await head();
    const contentTypes = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nope',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      '',
    ];
    for (const ct of contentTypes) {
      const res = await rawRequest(
        '/cases/CT-1/events',
        { authorization: `Bearer ${TOKENS.recorder}`, ...(ct === '' ? {} : { 'content-type': ct }) },
        'POST',
        body,
      );
      tried++;
      expect([400, 415], `${ct}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
    }
    // (A corrupt compressed body is the known bug tested on its own below.)
    const encodings: Array<[string, Buffer]> = [
      ['gzip, gzip', gzipSync(gzipSync(body))],
      ['identity', Buffer.from(body.slice(0, 20))],
    ];
    for (const [encoding, payload] of encodings) {
      const res = await rawRequest(
        '/cases/CE-1/events',
        {
          authorization: `Bearer ${TOKENS.recorder}`,
          'content-type': 'application/json',
          'content-encoding': encoding,
        },
        'POST',
        payload,
      );
      tried++;
      expect([400, 415], `${encoding}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
    }
    expect(await head()).toBe(before);
    noErrorsLogged();
  });
});

// ---------------------------------------------------------------- regressions found by the fuzzers

describe('regressions found by the fuzzers', () => {
  // express's router (URIError from decodeParam) and body-parser (http-errors, e.g. a zlib failure) put a
  // 4xx `status` on their errors; src/api/errors.ts once ignored it and answered 500.
  it('a malformed percent-escape in a path parameter answers 400, not 500', async () => {
    for (const path of ['/cases/%', '/cases/%ff', '/cases/%E0%A4%A/history', '/calendar/%zz', '/cases/a%2/events']) {
      const res = await http(srv.url, path.endsWith('/events') ? 'POST' : 'GET', path, {
        token: TOKENS.admin,
        body: path.endsWith('/events') ? acceptedBody() : undefined,
      });
      tried++;
      expect(res.status, `${path}: ${res.text}`).toBe(400);
    }
    noErrorsLogged();
  });

  it('a corrupt gzip, deflate or br body answers 400, not 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await rawRequest(
        '/cases/GZ-1/events',
        {
          authorization: `Bearer ${TOKENS.recorder}`,
          'content-type': 'application/json',
          'content-encoding': encoding,
        },
        'POST',
        Buffer.from(JSON.stringify(acceptedBody())),
      );
      tried++;
      expect(res.status, `${encoding}: ${res.text}`).toBe(400);
    }
    noErrorsLogged();
  });
});

// ---------------------------------------------------------------- limits

describe('limits', () => {
  it('a body over 1 MB is 413 on every write route, also when it only inflates past 1 MB (gzip bomb)', async () => {
    const before = await head();
    const big = JSON.stringify({ ...acceptedBody(), note: 'x'.repeat(1024 * 1024) });
    for (const [method, path, token] of [
      ['POST', '/cases/BIG-1/events', TOKENS.recorder],
      ['POST', '/events', TOKENS.recorder],
      ['PUT', '/calendar/2030', TOKENS.admin],
    ] as const) {
      const res = await http(srv.url, method, path, {
        token,
        raw: big,
        headers: { 'content-type': 'application/json' },
      });
      expectSane(res, [413]);
      expect(res.body.error.code).toBe('payload-too-large');
    }
    const bomb = gzipSync(Buffer.from(`{"note":"${'0'.repeat(20 * 1024 * 1024)}"}`));
    expect(bomb.length).toBeLessThan(100_000);
    const res = await rawRequest(
      '/cases/BOMB-1/events',
      {
        authorization: `Bearer ${TOKENS.recorder}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      'POST',
      bomb,
    );
    tried++;
    expect(res.status).toBe(413);
    expect(await head()).toBe(before);
  });

  it('a batch of 1001 events is refused as a whole; 1000 are taken', async () => {
    const before = await head();
    const events = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ ...acceptedBody(), caseId: `${prefix}-${i}` }));
    const over = await http(srv.url, 'POST', '/events', {
      token: TOKENS.recorder,
      body: { events: events(1001, 'B1001') },
    });
    expectSane(over, [400]);
    expect(over.text).toContain('1000');
    expect(await head()).toBe(before);
    const full = await http(srv.url, 'POST', '/events', {
      token: TOKENS.recorder,
      body: { events: events(1000, 'B1000') },
    });
    expectSane(full, [200]);
    expect(full.body.results).toHaveLength(1000);
    expect((await head()) - before).toBe(1000n);
  });

  it(`SSE: at most ${MAX_STREAMS} alert streams at once (configured; default 100), a closed one frees its place`, async () => {
    const open: AbortController[] = [];
    const openStream = async (): Promise<number> => {
      const ac = new AbortController();
      const res = await fetch(`${srv.url}/alerts/stream`, {
        headers: { authorization: `Bearer ${TOKENS.monitor}` },
        signal: ac.signal,
      });
      if (res.status === 200) open.push(ac);
      else await res.text();
      return res.status;
    };
    for (let i = 0; i < MAX_STREAMS; i++) expect(await openStream()).toBe(200);
    expect(await openStream()).toBe(503);
    open.shift()?.abort();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = await openStream();
    }
    expect(status).toBe(200);
    for (const ac of open) ac.abort();
    tried += MAX_STREAMS + 2;
  });

  it('SSE: the default cap is 100 streams per engine (one token here, its own cap lifted)', async () => {
    const other = await startAppServer(new MemoryEventStore(), { maxAlertStreamsPerToken: 1000 });
    const open: AbortController[] = [];
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 101; i++) {
        const ac = new AbortController();
        const res = await fetch(`${other.url}/alerts/stream`, {
          headers: { authorization: `Bearer ${TOKENS.monitor}` },
          signal: ac.signal,
        });
        statuses.push(res.status);
        if (res.status === 200) open.push(ac);
        else await res.text();
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.at(-1)).toBe(503);
      tried += 101;
    } finally {
      for (const ac of open) ac.abort();
      await other.close();
    }
  });

  it('hostile query strings at /alerts/stream are refused (400) before a stream opens', async () => {
    for (const q of [
      'color=blue',
      'rule=x',
      'color=red&color=yellow',
      `centerId=${'x'.repeat(300)}`,
      'departmentId=',
    ]) {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), 2000); // a stream that opened would never end by itself
      const res = await fetch(`${srv.url}/alerts/stream?${q}`, {
        headers: { authorization: `Bearer ${TOKENS.monitor}` },
        signal: ac.signal,
      });
      const status = res.status;
      if (status !== 200) await res.text();
      clearTimeout(timer);
      ac.abort();
      tried++;
      expect(status, q.slice(0, 40)).toBe(400);
    }
  });

  it('a token sending 200 requests at once is throttled (429) by the per-token rate limit', async () => {
    // A limit of 10/s: 200 requests would have to spread over 20 s to escape it, so a busy machine cannot make this pass by luck.
    const limited = await startAppServer(new MemoryEventStore(), { rateLimitPerSecond: 10 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, () => http(limited.url, 'GET', '/alerts', { token: TOKENS.monitor })),
      );
      expect(answers.some((a) => a.status === 429)).toBe(true);
      expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    } finally {
      await limited.close();
    }
  });

  it('a fresh random token on every request does not escape the limit (unknown tokens are keyed by address)', async () => {
    const limited = await startAppServer(new MemoryEventStore(), { rateLimitPerSecond: 10 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          http(limited.url, 'GET', '/alerts', { token: `random-unknown-token-${i}-${Math.random()}` }),
        ),
      );
      expect(answers.filter((a) => a.status === 429).length).toBeGreaterThan(0);
      expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    } finally {
      await limited.close();
    }
  });
});
