/**
 * Session 16 (an auditor's probe): every result names a `policyVersion` and a `calendarVersion`,
 * and evidence citing them must be resolvable after the fact. `GET /policies` and
 * `GET /policies/{version}` give a version's rules and dates; `GET /calendar/{year}?asKnownAt=`
 * gives the year as known then, with the version a read then named. Checked here on the versions
 * a case read names, after a new policy publication and after a calendar correction; and who may
 * read them (auditor, monitor, admin; not a recorder).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy, policyContent } from '../../src/domain/policy.js';
import { parseDate } from '../../src/domain/time.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { type Listening, listen, request, TEST_TOKEN_CONFIG, TEST_TOKENS } from '../support/server.js';
import { accepted, FakeClock, ZONE } from './harness.js';

const A: Policy = { ...DEFAULT_POLICY, version: 'A', deadlineWarningRatio: 0.5 };
/** Recorded second, effective 1 Feb; never in force: C, recorded after it, applies from 20 Jan on. */
const B: Policy = { ...DEFAULT_POLICY, version: 'policy@b/2026', deadlineWarningRatio: 0.9 };
const C: Policy = {
  ...DEFAULT_POLICY,
  version: 'C',
  respondWithinDays: { ...DEFAULT_POLICY.respondWithinDays, reminder: 6 },
};

const clock = new FakeClock(Date.parse('2026-01-05T09:00:00+08:00'));
const store = new MemoryEventStore({ clock: clock.fn });
let engine: Engine;
let server: Listening;

beforeAll(async () => {
  engine = await createEngine({
    store,
    zone: ZONE,
    tokens: TEST_TOKEN_CONFIG,
    policy: A,
    recordPolicy: { effectiveFrom: parseDate('2026-01-01') },
    scheduler: clock.scheduler,
    metrics: { defaultMetrics: false },
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  server = await listen(engine.app);
});
afterAll(async () => {
  await server?.close();
  await engine?.close();
});

const as = (token: string) => (method: string, path: string, body?: unknown) =>
  request(server.baseUrl, method, path, { token, ...(body === undefined ? {} : { body }) });
const auditor = as(TEST_TOKENS.auditor);
const admin = as(TEST_TOKENS.admin);
const q = encodeURIComponent;

async function ok(answer: Promise<Awaited<ReturnType<typeof auditor>>>) {
  const res = await answer;
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  return res.body;
}

/** Another engine (a restart with POLICY_FILE) records a version while this one runs. */
async function publish(policy: Policy, effectiveFrom: string, expectedRevision: bigint): Promise<void> {
  await store.append(
    POLICY_STREAM_ID,
    [policyEventData({ policy, effectiveFrom: parseDate(effectiveFrom), publishedAt: clock.now }, ZONE)],
    { expectedRevision },
  );
}

const statuses = (book: { versions: { version: string; status: string }[] }) =>
  book.versions.map((v) => [v.version, v.status]);

describe('a policy version named by a case read is found by GET /policies', () => {
  it('before and after new publications, with its rules, dates and status', async () => {
    expect((await admin('POST', '/cases/P-1/events', accepted('P-1', '2026-01-05T09:00:00+08:00'))).status).toBe(201);
    const cited = (await ok(auditor('GET', '/cases/P-1'))).policyVersion;
    expect(cited).toBe('A');

    const first = await ok(auditor('GET', '/policies'));
    expect(first).toEqual({
      asOf: '2026-01-05T09:00:00.000+08:00',
      today: '2026-01-05',
      inForce: 'A',
      pending: [],
      versions: [
        {
          publication: 1,
          version: 'A',
          effectiveFrom: '2026-01-01',
          publishedAt: '2026-01-05T09:00:00.000+08:00',
          status: 'in-force',
          founding: true,
          policy: policyContent(A),
        },
      ],
    });
    expect(first.versions[0].policy.deadlineWarningRatio).toBe(0.5);

    clock.set('2026-01-05T10:00:00+08:00');
    await publish(B, '2026-02-01', 0n);
    const pendingB = await ok(auditor('GET', '/policies'));
    expect(pendingB.inForce).toBe('A');
    expect(pendingB.pending).toEqual([B.version]);
    expect(statuses(pendingB)).toEqual([
      ['A', 'in-force'],
      [B.version, 'pending'],
    ]);

    clock.set('2026-01-06T10:00:00+08:00');
    await publish(C, '2026-01-20', 1n);
    const withC = await ok(auditor('GET', '/policies'));
    // B is superseded before its date: C, recorded later, applies from 20 Jan on (SPEC §3).
    expect(withC.pending).toEqual(['C']);
    expect(statuses(withC)).toEqual([
      ['A', 'in-force'],
      [B.version, 'superseded'],
      ['C', 'pending'],
    ]);
    const b = await ok(auditor('GET', `/policies/${q(B.version)}`));
    expect(b.policy.deadlineWarningRatio).toBe(0.9);
    expect(b.publications).toEqual([
      {
        publication: 2,
        effectiveFrom: '2026-02-01',
        publishedAt: '2026-01-05T10:00:00.000+08:00',
        status: 'superseded',
      },
    ]);

    // A month later C is in force; the case keeps A for its whole life, and A still resolves.
    clock.set('2026-02-02T09:00:00+08:00');
    expect((await admin('POST', '/cases/P-2/events', accepted('P-2', '2026-02-02T09:00:00+08:00'))).status).toBe(201);
    expect((await ok(auditor('GET', '/cases/P-1'))).policyVersion).toBe(cited);
    const later = await ok(auditor('GET', '/policies'));
    expect(later.inForce).toBe('C');
    expect(later.pending).toEqual([]);
    expect(statuses(later)).toEqual([
      ['A', 'superseded'],
      [B.version, 'superseded'],
      ['C', 'in-force'],
    ]);
    const a = await ok(auditor('GET', `/policies/${q(cited)}`));
    expect(a).toMatchObject({ version: 'A', recorded: true, inForce: 'C' });
    expect(a.policy).toEqual(first.versions[0].policy);
    expect(a.publications).toEqual([
      {
        publication: 1,
        effectiveFrom: '2026-01-01',
        publishedAt: '2026-01-05T09:00:00.000+08:00',
        status: 'superseded',
        founding: true,
      },
    ]);
    const p2 = (await ok(auditor('GET', '/cases/P-2'))).policyVersion;
    expect(p2).toBe('C');
    expect((await ok(auditor('GET', `/policies/${q(p2)}`))).policy.respondWithinDays.reminder).toBe(6);
  });

  it('an unknown version is a 404 naming it and the versions recorded', async () => {
    const res = await auditor('GET', `/policies/${q('policy@deadbeef')}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('policy-version-not-found');
    expect(res.body.error.message).toContain('"policy@deadbeef"');
    expect(res.body.error.details).toEqual({ version: 'policy@deadbeef', known: ['A', B.version, 'C'] });
  });

  it('a malformed or overlong version is a 400 (naming version when too long), never 500', async () => {
    expect((await auditor('GET', '/policies/%zz')).status).toBe(400);
    const long = await auditor('GET', `/policies/${'v'.repeat(2000)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual([expect.objectContaining({ field: 'version' })]);
    expect(long.text.length).toBeLessThan(500);
    expect((await auditor('GET', `/policies/${'v'.repeat(100)}`)).status).toBe(404);
  });

  it('takes no parameter: one is a 400 naming it', async () => {
    const res = await auditor('GET', `/policies?asKnownAt=${q('2026-01-05T10:00:00+08:00')}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'asKnownAt' })]);
  });
});

describe('a calendar version named by a case read is found by GET /calendar/{year}?asKnownAt', () => {
  it('after a correction, the version cited earlier is read as known then', async () => {
    clock.set('2026-02-03T09:00:00+08:00');
    const before = await ok(auditor('GET', '/cases/P-2'));
    const cited = before.calendarVersion;
    expect((await ok(auditor('GET', '/calendar/2026'))).version).toBe(cited);

    // The correction: 2026-02-06 (a Friday) declared a holiday.
    clock.set('2026-02-03T09:05:00+08:00');
    const year = await ok(admin('GET', '/calendar/2026'));
    const corrected = await ok(
      admin('PUT', '/calendar/2026', { holidays: [...year.holidays, '2026-02-06'].sort(), workdays: year.workdays }),
    );
    expect(corrected.version).not.toBe(cited);
    const after = await ok(auditor('GET', '/cases/P-2'));
    expect(after.calendarVersion).toBe(corrected.version);
    expect(after.deadlineDate).not.toBe(before.deadlineDate);

    // Now: the corrected year. As known then: the version the earlier read named, without the day.
    const now = await ok(auditor('GET', '/calendar/2026'));
    expect(now.version).toBe(corrected.version);
    expect(now.holidays).toContain('2026-02-06');
    const then = await ok(auditor('GET', `/calendar/2026?asKnownAt=${q('2026-02-03T09:00:00+08:00')}`));
    expect(then.version).toBe(cited);
    expect(then.holidays).not.toContain('2026-02-06');
    expect(then.asKnownAt).toBe('2026-02-03T09:00:00.000+08:00');
    const { asKnownAt: _k, ...thenYear } = then;
    expect(thenYear).toEqual(year);
    // The case read as known then names that same version.
    const caseThen = await ok(auditor('GET', `/cases/P-2?asKnownAt=${q('2026-02-03T09:00:00+08:00')}`));
    expect(caseThen.calendarVersion).toBe(cited);
    expect(caseThen.deadlineDate).toBe(before.deadlineDate);
    // Read as known at the correction's instant or later: the corrected version.
    expect((await ok(auditor('GET', `/calendar/2026?asKnownAt=${q('2026-02-03T09:05:00+08:00')}`))).version).toBe(
      corrected.version,
    );
  });

  it('an asKnownAt after now or malformed is a 400 naming it; other parameters too', async () => {
    for (const bad of ['2026-02-03T10:00:00+08:00', '2026-02-03', 'yesterday']) {
      const res = await auditor('GET', `/calendar/2026?asKnownAt=${q(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.details, bad).toEqual([expect.objectContaining({ field: 'asKnownAt' })]);
    }
    const twice = await auditor('GET', `/calendar/2026?asKnownAt=${q('2026-01-05T10:00:00+08:00')}&asKnownAt=x`);
    expect(twice.status).toBe(400);
    const asOf = await auditor('GET', `/calendar/2026?asOf=${q('2026-01-05T10:00:00+08:00')}`);
    expect(asOf.status).toBe(400);
    expect(asOf.body.error.details).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });
});

describe('who may read versions', () => {
  it('auditor, monitor and admin read policies and calendars; a recorder gets 403; PUT stays admin', async () => {
    const reads = [
      '/policies',
      '/policies/A',
      '/calendar/2026',
      `/calendar/2026?asKnownAt=${q('2026-01-05T10:00:00+08:00')}`,
    ];
    for (const path of reads) {
      for (const token of [TEST_TOKENS.auditor, TEST_TOKENS.monitor, TEST_TOKENS.admin])
        expect((await as(token)('GET', path)).status, path).toBe(200);
      const refused = await as(TEST_TOKENS.recorder)('GET', path);
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect(refused.body.error.message).toMatch(/^role recorder may not read (policy|calendar)$/);
      expect((await request(server.baseUrl, 'GET', path)).status, path).toBe(401);
    }
    const year = await ok(admin('GET', '/calendar/2026'));
    for (const token of [TEST_TOKENS.auditor, TEST_TOKENS.monitor, TEST_TOKENS.recorder]) {
      const res = await as(token)('PUT', '/calendar/2026', { holidays: year.holidays, workdays: year.workdays });
      expect(res.status).toBe(403);
    }
  });
});
