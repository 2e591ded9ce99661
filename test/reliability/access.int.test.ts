/**
 * Access: every route × every role (SPEC §4, docs/api.md "Routes") and a
 * foreign center, as one table; tokens never in the log or the access trail;
 * auditor reads recorded in the trail with a fingerprint, not the token.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_HEADERS } from '../../src/api/net.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { acceptedBody, http, shanghai, startAppServer, TOKENS, type AppServer } from './support/app-server.js';

type Who = 'recorder' | 'recorderA' | 'monitor' | 'auditor' | 'admin' | 'none' | 'bad';
const WHO: readonly Who[] = ['recorder', 'recorderA', 'monitor', 'auditor', 'admin', 'none', 'bad'];
const BAD_TOKEN = 'not-a-configured-token-zzzzzzzzzz';
const tokenOf = (who: Who): string | undefined =>
  who === 'none' ? undefined : who === 'bad' ? BAD_TOKEN : TOKENS[who];

let srv: AppServer;
beforeAll(async () => {
  srv = await startAppServer(new MemoryEventStore());
  for (const [id, centerId] of [
    ['OWN-1', 'center-A'],
    ['FOREIGN-1', 'center-B'],
  ]) {
    expect(
      (await http(srv.url, 'POST', `/cases/${id}/events`, { token: TOKENS.admin, body: acceptedBody({ centerId }) }))
        .status,
    ).toBe(201);
  }
});
afterAll(async () => {
  await srv.close();
});

interface Row {
  readonly name: string;
  readonly allowed: readonly Who[];
  /** Sends the request as `who`; returns the status that decides (per-event status for a batch). */
  readonly send: (who: Who) => Promise<number>;
}

const esc = () => ({
  type: 'CaseEscalated',
  level: 'reminder',
  by: 'office',
  occurredAt: shanghai(-10_000),
  eventId: randomUUID(),
});
const fresh = () => `T-${randomUUID().slice(0, 8)}`;
const simple = (method: string, path: string, body?: unknown) => async (who: Who) => {
  const token = tokenOf(who);
  return (
    await http(srv.url, method, path, {
      ...(token === undefined ? {} : { token }),
      ...(body === undefined ? {} : { body }),
      headers: { accept: 'application/json' },
    })
  ).status;
};
const batchStatus = (events: () => unknown[]) => async (who: Who) => {
  const token = tokenOf(who);
  const res = await http(srv.url, 'POST', '/events', {
    ...(token === undefined ? {} : { token }),
    body: { events: events() },
  });
  return res.status === 200 ? (res.body.results[0].status as number) : res.status;
};
const sse = async (who: Who) => {
  const token = tokenOf(who);
  const ac = new AbortController();
  const res = await fetch(`${srv.url}/alerts/stream`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    signal: ac.signal,
  });
  const status = res.status;
  if (status === 200) ac.abort();
  else await res.text();
  return status;
};

const WRITERS: Who[] = ['recorder', 'recorderA', 'admin'];
const TABLE: Row[] = [
  {
    name: 'POST /cases/{id}/events (own center)',
    allowed: WRITERS,
    send: (w) => simple('POST', `/cases/${fresh()}/events`, acceptedBody())(w),
  },
  {
    name: 'POST /cases/{id}/events (foreign center, new case)',
    allowed: ['recorder', 'admin'],
    send: (w) => simple('POST', `/cases/${fresh()}/events`, acceptedBody({ centerId: 'center-B' }))(w),
  },
  {
    name: 'POST /cases/{id}/events (foreign center, existing case)',
    allowed: ['recorder', 'admin'],
    send: (w) => simple('POST', '/cases/FOREIGN-1/events', esc())(w),
  },
  {
    name: 'POST /events (own center)',
    allowed: WRITERS,
    send: batchStatus(() => [{ ...acceptedBody(), caseId: fresh() }]),
  },
  {
    name: 'POST /events (foreign center)',
    allowed: ['recorder', 'admin'],
    send: batchStatus(() => [{ ...esc(), caseId: 'FOREIGN-1' }]),
  },
  { name: 'GET /cases/{id}', allowed: ['monitor', 'auditor', 'admin'], send: simple('GET', '/cases/OWN-1') },
  {
    name: 'GET /cases/{id} (foreign center)',
    allowed: ['monitor', 'auditor', 'admin'],
    send: simple('GET', '/cases/FOREIGN-1'),
  },
  { name: 'GET /cases/{id}/history', allowed: ['auditor', 'admin'], send: simple('GET', '/cases/OWN-1/history') },
  { name: 'GET /alerts', allowed: ['monitor', 'admin'], send: simple('GET', '/alerts') },
  { name: 'GET /alerts/stream', allowed: ['monitor', 'admin'], send: sse },
  { name: 'GET /stats', allowed: ['monitor', 'admin'], send: simple('GET', '/stats?from=2025-09-01&to=2025-10-01') },
  {
    name: 'GET /reports/monthly',
    allowed: ['monitor', 'admin'],
    send: simple('GET', '/reports/monthly?month=2025-09'),
  },
  {
    name: 'GET /calendar/{year}',
    allowed: ['monitor', 'auditor', 'admin'],
    send: simple('GET', '/calendar/2025'),
  },
  { name: 'GET /policies', allowed: ['monitor', 'auditor', 'admin'], send: simple('GET', '/policies') },
  {
    name: 'GET /policies/{version}',
    allowed: ['monitor', 'auditor', 'admin'],
    send: simple('GET', '/policies/policy%40nope'),
  },
  {
    name: 'PUT /calendar/{year}',
    allowed: ['admin'],
    send: simple('PUT', '/calendar/2031', { holidays: 'not a list' }),
  },
];

describe('route × role table (SPEC §4, docs/api.md)', () => {
  for (const row of TABLE) {
    it(`${row.name}: allowed for ${row.allowed.join(', ')}; 401 without a known token; 403 for the other roles`, async () => {
      const got: Record<string, number> = {};
      for (const who of WHO) got[who] = await row.send(who);
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      for (const who of WHO) {
        const status = got[who] as number;
        expected[who] = row.allowed.includes(who) ? 'allowed' : who === 'none' || who === 'bad' ? '401' : '403';
        actual[who] = status === 401 || status === 403 ? String(status) : status >= 500 ? `error ${status}` : 'allowed';
      }
      expect(actual).toEqual(expected);
    });
  }

  it('GET /metrics: no token needed from loopback, any known token works, an unknown token is 401', async () => {
    for (const who of WHO) {
      const status = await simple('GET', '/metrics')(who);
      expect(status, who).toBe(who === 'bad' ? 401 : 200);
    }
  });

  it('GET /metrics: a loopback scrape a proxy forwarded needs a known token (401 without one), a plain one does not', async () => {
    // A reverse proxy on the same host makes every remote caller a loopback peer (session 25).
    const scrape = (headers: Record<string, string>, token?: string) =>
      http(srv.url, 'GET', '/metrics', { headers, ...(token === undefined ? {} : { token }) });
    for (const name of PROXY_HEADERS) {
      const forwarded = await scrape({ [name]: '203.0.113.7' });
      expect(forwarded.status, name).toBe(401);
      expect(forwarded.body, name).toMatchObject({ error: { code: 'unauthorized' } });
      expect((await scrape({ [name]: '203.0.113.7' }, TOKENS.monitor)).status, name).toBe(200);
      expect((await scrape({ [name]: '203.0.113.7' }, BAD_TOKEN)).status, name).toBe(401);
    }
    expect((await scrape({})).status).toBe(200);
  });

  it('open routes answer without a token: /healthz, /readyz, /openapi.json', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json'])
      expect(await simple('GET', path)('none'), path).toBe(200);
  });

  it('a foreign-center batch writes nothing', async () => {
    const before = await srv.store.headPosition();
    const res = await http(srv.url, 'POST', '/events', {
      token: TOKENS.recorderA,
      body: {
        events: [
          { ...esc(), caseId: 'FOREIGN-1' },
          { ...acceptedBody({ centerId: 'center-B' }), caseId: fresh() },
        ],
      },
    });
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([403, 403]);
    expect(res.body.results[0].error.code).toBe('forbidden-center');
    expect(await srv.store.headPosition()).toBe(before);
  });
});

describe('tokens and the access trail', () => {
  it('auditor reads are recorded in the access trail with a fingerprint, never the token', async () => {
    const before = srv.accessTrail.entries.length;
    expect((await http(srv.url, 'GET', '/cases/OWN-1', { token: TOKENS.auditor })).status).toBe(200);
    expect(
      (await http(srv.url, 'GET', '/cases/OWN-1/history?asOf=2030-01-01T00:00:00%2B08:00', { token: TOKENS.auditor }))
        .status,
    ).toBe(200);
    const fingerprint = createHash('sha256').update(TOKENS.auditor).digest('hex').slice(0, 8);
    expect(srv.accessTrail.entries.slice(before)).toEqual([
      expect.objectContaining({ role: 'auditor', token: fingerprint, caseId: 'OWN-1', what: 'case' }),
      expect.objectContaining({
        role: 'auditor',
        token: fingerprint,
        caseId: 'OWN-1',
        what: 'history',
        asOf: '2030-01-01T00:00:00+08:00',
      }),
    ]);
  });

  it('auditor reads of the case list and the card register are recorded with the query and the cases disclosed; monitors leave none', async () => {
    const before = srv.accessTrail.entries.length;
    const list = await http(srv.url, 'GET', '/cases?q=OWN&limit=50', { token: TOKENS.auditor });
    expect(list.status).toBe(200);
    const listed = (list.body.items as { caseId: string }[]).map((r) => r.caseId);
    expect(listed).toContain('OWN-1');
    const cards = await http(srv.url, 'GET', '/cards?from=2020-01-01&to=2031-01-01', { token: TOKENS.auditor });
    expect(cards.status).toBe(200);
    const carded = [...new Set((cards.body.items as { caseId: string }[]).map((r) => r.caseId))];
    expect((await http(srv.url, 'GET', '/cases?q=OWN', { token: TOKENS.monitor })).status).toBe(200);
    const fingerprint = createHash('sha256').update(TOKENS.auditor).digest('hex').slice(0, 8);
    expect(srv.accessTrail.entries.slice(before)).toEqual([
      expect.objectContaining({
        role: 'auditor',
        token: fingerprint,
        what: 'case-list',
        query: 'q=OWN&limit=50',
        caseIds: listed,
      }),
      expect.objectContaining({ role: 'auditor', token: fingerprint, what: 'card-register', caseIds: carded }),
    ]);
  });

  it('no token — configured or refused — ever appears in the operational log or the access trail', async () => {
    // Provoke every kind of log line we can: errors, unknown tokens, a 500 (see the known bug in hostile.int.test.ts).
    await http(srv.url, 'GET', '/cases/%', { token: TOKENS.admin });
    await http(srv.url, 'GET', '/alerts', { token: BAD_TOKEN });
    await http(srv.url, 'POST', '/cases/X/events', {
      token: TOKENS.recorder,
      raw: '{bad json',
      headers: { 'content-type': 'application/json' },
    });
    const logged =
      JSON.stringify(srv.logger.entries) + JSON.stringify(srv.accessTrail.entries) + srv.projectionLog.join('\n');
    for (const token of [...Object.values(TOKENS), BAD_TOKEN]) expect(logged).not.toContain(token);
  });
});
