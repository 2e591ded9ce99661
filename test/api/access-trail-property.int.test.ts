/**
 * The access trail against the requests sent (SPEC §4, docs/api.md "Logs and the access trail"):
 * a random sequence of reads by several roles — case reads at any asOf / asKnownAt, histories,
 * the lists that name cases or complaints (JSON and CSV), complaint reads, cases that do not
 * exist, ids that are a prefix of another — and the trail must hold one line per auditor or
 * admin read that was answered, in order, with who (role, fingerprint, never the token), when,
 * what (the ids, the query as sent, the instants asked) and the outcome; nothing for a monitor,
 * nothing for a read refused before anything was disclosed (a 400 naming its parameter).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openSse } from '../support/sse.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/domain/time.js';
import { accepted, call, startTestServer, TOKENS, ZONE, type TestServer } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ now: '2025-09-01T09:00:00+08:00' });
  const write = async (path: string, body: Record<string, unknown>) => {
    const res = await call(srv.baseUrl, 'POST', path, { token: TOKENS.recorder, body });
    expect(res.status, res.text).toBe(201);
  };
  // K-1 and K-10: one id a prefix of the other.
  await write('/cases/K-1/events', accepted('K-1', '2025-09-01T09:00:00+08:00', { promisedDays: 3 }));
  await write('/cases/K-10/events', accepted('K-10', '2025-09-01T09:00:00+08:00', { promisedDays: 2 }));
  await write('/complaints/Q-1/events', {
    type: 'ComplaintReceived',
    occurredAt: '2025-09-01T09:00:00+08:00',
    channel: 'hotline',
    centerId: 'center-A',
    subject: '窗口推诿',
  });
  srv.clock.set('2025-09-10T09:00:00+08:00');
  // A late record: recorded on the 10th, occurred on the 2nd.
  await write('/cases/K-1/events', {
    type: 'CasePaused',
    occurredAt: '2025-09-02T10:00:00+08:00',
    pauseId: 'p1',
    reason: 'supplement',
  });
  srv.clock.set('2025-09-20T09:00:00+08:00');
});
afterAll(async () => {
  await srv.close();
});

type Role = 'auditor' | 'admin' | 'monitor';
const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 8);

const instants = [
  '2025-09-01T08:00:00+08:00',
  '2025-09-03T12:00:00Z',
  '2025-09-05T10:00:00+08:00',
  '2026-03-01T00:00:00+08:00',
  '2000-01-01T00:00:00Z',
  '2100-12-31T23:59:59+08:00',
];
const knownAts = ['2025-09-01T10:00:00+08:00', '2025-09-11T00:00:00+08:00', '2025-08-01T00:00:00Z'];

interface Read {
  readonly path: string;
  readonly csv: boolean;
  /** The line expected (role, at and token added), or 'none' when the read discloses nothing. */
  readonly what: string;
  readonly id?: { readonly key: 'caseId' | 'complaintId'; readonly value: string };
}

const caseIds = fc.constantFrom('K-1', 'K-10', 'K-', 'K-100');
const query = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as [string, string]])),
  ).toString();
  return s === '' ? '' : `?${s}`;
};
const read: fc.Arbitrary<Read> = fc.oneof(
  fc
    .record({ id: caseIds, asOf: fc.option(fc.constantFrom(...instants)), k: fc.option(fc.constantFrom(...knownAts)) })
    .map(({ id, asOf, k }) => ({
      path: `/cases/${id}${query({ asOf: asOf ?? undefined, asKnownAt: k ?? undefined })}`,
      csv: false,
      what: 'case',
      id: { key: 'caseId' as const, value: id },
    })),
  fc
    .record({ id: caseIds, limit: fc.option(fc.constantFrom('1', '5')), k: fc.option(fc.constantFrom(...knownAts)) })
    .map(({ id, limit, k }) => ({
      path: `/cases/${id}/history${query({ limit: limit ?? undefined, asKnownAt: k ?? undefined })}`,
      csv: false,
      what: 'history',
      id: { key: 'caseId' as const, value: id },
    })),
  fc
    .record({ csv: fc.boolean(), q: fc.option(fc.constantFrom('K-1', 'k-10', 'nothing')) })
    .map(({ csv, q }) => ({ path: `/cases${query({ q: q ?? undefined })}`, csv, what: 'case-list' })),
  fc.boolean().map((csv) => ({ path: '/cards?from=2025-09-01&to=2025-10-01', csv, what: 'card-register' })),
  fc.boolean().map((csv) => ({ path: '/cards/withdrawn?from=2025-09-01&to=2025-10-01', csv, what: 'withdrawn-cards' })),
  fc.boolean().map((csv) => ({ path: '/complaints', csv, what: 'complaint-list' })),
  // The alert board names the cases it lists as much as /cases does (an admin's read; an auditor may not).
  fc.constantFrom('/alerts', '/alerts?color=red&limit=1').map((path) => ({ path, csv: false, what: 'alert-board' })),
  fc.constantFrom('Q-1', 'Q-2').map((id) => ({
    path: `/complaints/${id}`,
    csv: false,
    what: 'complaint',
    id: { key: 'complaintId' as const, value: id },
  })),
  // Refused before anything is read: a malformed instant, an unknown parameter.
  fc
    .constantFrom(
      '/cases/K-1?asOf=yesterday',
      '/cases/K-1?asOf=1999-01-01T00:00:00Z',
      // Typed by hand: the "+" of the offset arrives as a space.
      '/cases/K-1?asOf=2025-09-02T10:00:00+08:00',
      '/complaints/Q-1?asKnownAt=2099-01-01T00:00:00Z',
      '/cases/K-1/history?asKnownAt=2025-13-01T00:00:00Z',
      '/cases?nope=1',
    )
    .map((path) => ({ path, csv: false, what: 'none' })),
);

describe('the access trail against the reads sent', () => {
  it('one line per auditor or admin read, with who, when, what was asked and the outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ role: fc.constantFrom<Role>('auditor', 'admin', 'monitor'), read }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (reads) => {
          const before = srv.accessTrail.entries.length;
          const expected: Record<string, unknown>[] = [];
          for (const { role, read: r } of reads) {
            srv.clock.advance(1000);
            const res = await call(srv.baseUrl, 'GET', r.path, {
              token: TOKENS[role],
              ...(r.csv ? { headers: { accept: 'text/csv' } } : {}),
            });
            if (r.what === 'none') {
              // A monitor is refused a history (403) before its parameters are looked at.
              expect(res.status, r.path).toBe(role === 'monitor' && r.path.includes('/history') ? 403 : 400);
              if (res.status === 400) expect(res.body.error.details[0].field).toMatch(/^(asOf|asKnownAt|nope)$/);
              continue;
            }
            if ((role === 'monitor' && r.what === 'history') || (role === 'auditor' && r.what === 'alert-board')) {
              expect(res.status).toBe(403);
              continue;
            }
            expect([200, 404], `${r.path} ${res.text}`).toContain(res.status);
            if (role === 'monitor') continue;
            const at = r.path.indexOf('?');
            const params = new URLSearchParams(at < 0 ? '' : r.path.slice(at + 1));
            const line: Record<string, unknown> = {
              at: formatInstant(srv.clock.now, ZONE),
              role,
              token: fingerprint(TOKENS[role]),
              what: r.what,
              status: res.status,
            };
            if (r.id !== undefined) line[r.id.key] = r.id.value;
            if (r.id === undefined || at >= 0) line['query'] = at < 0 ? '' : r.path.slice(at + 1);
            for (const key of ['asOf', 'asKnownAt']) if (params.has(key)) line[key] = params.get(key);
            if (r.csv) line['format'] = 'csv';
            if (res.status === 200 && r.id !== undefined) line['answeredAsOf'] = res.body.asOf;
            if (r.what === 'alert-board') {
              const alerts: { subject: string; caseId?: string; complaintId?: string }[] = res.body.alerts;
              expect(alerts.length).toBeGreaterThan(0);
              line['caseIds'] = [...new Set(alerts.flatMap((a) => (a.caseId === undefined ? [] : [a.caseId])))];
            }
            expected.push(line);
          }
          const lines = srv.accessTrail.entries.slice(before);
          const text = JSON.stringify(lines);
          for (const token of Object.values(TOKENS)) expect(text).not.toContain(token);
          expect(lines).toHaveLength(expected.length);
          for (const [i, line] of lines.entries()) expect(line, JSON.stringify(line)).toMatchObject(expected[i]!);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an admin watching the alert stream leaves a line when it opens (what it asked; the alerts arrive later)', async () => {
    const before = srv.accessTrail.entries.length;
    const monitor = await openSse(srv.baseUrl, '/alerts/stream?color=red', TOKENS.monitor);
    const admin = await openSse(srv.baseUrl, '/alerts/stream?color=red', TOKENS.admin);
    monitor.close();
    admin.close();
    expect(srv.accessTrail.entries.slice(before)).toEqual([
      {
        at: formatInstant(srv.clock.now, ZONE),
        role: 'admin',
        token: fingerprint(TOKENS.admin),
        what: 'alert-stream',
        status: 200,
        query: 'color=red',
      },
    ]);
  });

  it('a line states its instant as the answer it records does (+08:00, not UTC): at a default read, `at` is its asOf', async () => {
    srv.clock.advance(1000);
    for (const path of ['/cases/K-1', '/complaints/Q-1', '/cases/K-1/history']) {
      const res = await call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor });
      expect(res.status, res.text).toBe(200);
      const line = srv.accessTrail.entries.at(-1)!;
      const asOf: string = res.body.asOf;
      expect(asOf, path).toMatch(/\+08:00$/);
      expect({ at: line.at, answeredAsOf: line.answeredAsOf }, path).toEqual({ at: asOf, answeredAsOf: asOf });
    }
  });

  // Last: the lines of the tests above, every field and every `what` of them.
  it('every field and every kind of line written above is documented in docs/api.md', () => {
    const api = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const section = api.slice(api.indexOf('## Logs and the access trail'), api.indexOf('## Metrics'));
    const lines = srv.accessTrail.entries;
    const fields = new Set(lines.flatMap((l) => Object.keys(l)));
    const whats = new Set(lines.map((l) => l.what));
    expect(whats.size).toBeGreaterThanOrEqual(8);
    for (const field of fields) expect(section, field).toMatch(new RegExp(`[{ ,]${field}\\??[,}:]`));
    for (const what of whats) expect(section, what).toContain(`"${what}"`);
  });
});
