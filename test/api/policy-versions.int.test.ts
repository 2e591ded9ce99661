/**
 * Policy versions through the engine (SPEC §3 "Policy versions", issue 12
 * defect 5): start with policy A, record cases, restart with policy B on the
 * same store. Every card, deadline and report figure of the earlier cases is
 * unchanged; a case accepted from B's effectiveFrom on uses B; starting with
 * the same policy again records nothing. Each engine here is a restart: a new
 * composition on the same sqlite file, its read models rebuilt from the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/api/logger.js';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.js';
import { parseDate } from '../../src/domain/time.js';
import { createEngine, type EngineConfig } from '../../src/engine.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import type { EventStore } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { listen, request, TEST_TOKEN_CONFIG, TEST_TOKENS } from '../support/server.js';
import { accepted, FakeClock, ZONE } from './harness.js';

const A: Policy = {
  ...DEFAULT_POLICY,
  version: 'A',
  deadlineWarningRatio: 0.5,
  respondWithinDays: { ...DEFAULT_POLICY.respondWithinDays, reminder: 1 },
};
const B: Policy = {
  ...DEFAULT_POLICY,
  version: 'B',
  deadlineWarningRatio: 0.9,
  respondWithinDays: { ...DEFAULT_POLICY.respondWithinDays, reminder: 6 },
};

let dir: string;
let path: string;
const clock = new FakeClock(Date.parse('2026-01-05T09:00:00+08:00'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-versions-'));
  path = join(dir, 'events.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

/** A start of the engine with `policy`, recording it as the process does. */
async function start(policy: Policy): Promise<Running> {
  const engine = await createEngine({
    store: new SqliteEventStore(path, { clock: clock.fn }),
    zone: ZONE,
    tokens: TEST_TOKEN_CONFIG,
    policy,
    recordPolicy: {},
    scheduler: clock.scheduler,
    metrics: { defaultMetrics: false },
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const server = await listen(engine.app);
  return {
    url: server.baseUrl,
    async close() {
      await server.close();
      await engine.close();
    },
  };
}

async function post(url: string, caseId: string, body: Record<string, unknown>): Promise<void> {
  clock.set(body['occurredAt'] as string);
  const res = await request(url, 'POST', `/cases/${caseId}/events`, { token: TEST_TOKENS.recorder, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const get = async (url: string, path: string) => {
  const res = await request(url, 'GET', path, { token: TEST_TOKENS.admin });
  expect(res.status, path).toBe(200);
  return res.body;
};

/** What an auditor and the efficiency office see of the earlier cases, at fixed instants. */
async function record(url: string): Promise<Record<string, unknown>> {
  const asOf = encodeURIComponent('2026-02-10T10:00:00+08:00');
  const out: Record<string, unknown> = {};
  for (const id of ['P-1', 'P-2', 'P-3']) out[id] = await get(url, `/cases/${id}?asOf=${asOf}`);
  out['report'] = figures(await get(url, '/reports/monthly?month=2026-01'));
  return out;
}

/** The report without what depends on when it is asked, not on the month: the instant, the latest month with data. */
function figures(report: Record<string, unknown>): Record<string, unknown> {
  const { asOf: _at, latestMonthWithData: _latest, ...rest } = report;
  return rest;
}

async function policyEvents(file = path): Promise<number> {
  const store = new SqliteEventStore(file);
  let n = 0;
  for await (const _ of store.readStream(POLICY_STREAM_ID)) n++;
  await store.close();
  return n;
}

describe('a new policy never rewrites the record', () => {
  let underA: Record<string, unknown>;

  it('records under policy A', async () => {
    const engine = await start(A);
    await post(engine.url, 'P-1', accepted('P-1', '2026-01-05T09:00:00+08:00', { promisedDays: 10 }));
    await post(engine.url, 'P-2', accepted('P-2', '2026-01-06T09:00:00+08:00', { promisedDays: 4 }));
    await post(engine.url, 'P-2', {
      type: 'CaseEscalated',
      occurredAt: '2026-01-07T09:00:00+08:00',
      level: 'reminder',
      by: 'office',
    });
    await post(engine.url, 'P-3', accepted('P-3', '2026-01-07T10:00:00+08:00', { promisedDays: 20 }));
    await post(engine.url, 'P-2', {
      type: 'CaseCompleted',
      occurredAt: '2026-01-20T16:00:00+08:00',
      outcome: 'approved',
    });
    await post(engine.url, 'P-1', {
      type: 'CaseCompleted',
      occurredAt: '2026-01-26T16:00:00+08:00',
      outcome: 'approved',
    });
    clock.set('2026-02-10T10:00:00+08:00');
    underA = await record(engine.url);
    await engine.close();
    const p1 = underA['P-1'] as { policyVersion: string; cards: { rule: string; startedAt: string }[] };
    expect(p1.policyVersion).toBe('A');
    // A's warning day: counted day ⌈0.5 × 10⌉ = 5 (2026-01-12); B's would be day 9.
    expect(p1.cards.find((c) => c.rule === 'deadline-warning')?.startedAt).toBe('2026-01-12T00:00:00.000+08:00');
    expect((underA['report'] as { policyVersions: string[] }).policyVersions).toEqual(['A']);
    expect(await policyEvents()).toBe(1);
  });

  it('after a restart with policy B every card, deadline and report figure of those cases is unchanged', async () => {
    clock.set('2026-02-10T10:05:00+08:00');
    const engine = await start(B);
    expect(await record(engine.url)).toEqual(underA);
    expect(await policyEvents()).toBe(2);

    // B takes effect the next local day: a case accepted then uses it; P-3 (open, accepted under A) keeps A.
    await post(engine.url, 'P-4', accepted('P-4', '2026-02-11T09:00:00+08:00', { promisedDays: 10 }));
    clock.set('2026-03-10T10:00:00+08:00');
    const p4 = await get(engine.url, '/cases/P-4');
    expect(p4.policyVersion).toBe('B');
    // B's warning day: counted day ⌈0.9 × 10⌉ = 9 after 2026-02-11, across the Spring Festival
    // holiday (15–23 Feb off, Sat 14 and 28 Feb worked): 12, 13, 14, 24, 25, 26, 27, 28 Feb, 2 Mar.
    expect(p4.cards.find((c: { rule: string }) => c.rule === 'deadline-warning')?.startedAt).toBe(
      '2026-03-02T00:00:00.000+08:00',
    );
    const p3 = await get(engine.url, '/cases/P-3');
    expect(p3.policyVersion).toBe('A');
    expect(p3.cards.find((c: { rule: string }) => c.rule === 'deadline-warning')?.startedAt).toBe(
      (underA['P-3'] as { cards: { rule: string; startedAt: string }[] }).cards.find(
        (c) => c.rule === 'deadline-warning',
      )?.startedAt,
    );
    const february = await get(engine.url, '/reports/monthly?month=2026-02');
    expect(february.policyVersions).toEqual(['A', 'B']);
    // /stats names its versions too (SPEC §3): February counts P-3 (open, under A) and P-4 (B); the
    // first half of January only cases accepted under A; a period before any case none.
    const stats = (from: string, to: string) => get(engine.url, `/stats?from=${from}&to=${to}`);
    const feb = await stats('2026-02-01', '2026-03-01');
    expect(feb.policyVersions).toEqual(['A', 'B']);
    expect(feb.calendarVersion).toBe(february.calendarVersion);
    expect((await stats('2026-01-01', '2026-01-15')).policyVersions).toEqual(['A']);
    expect((await stats('2025-06-01', '2025-07-01')).policyVersions).toEqual([]);
    await engine.close();
  });

  it('starting with the same policy again records nothing, and the closed month still reads the same', async () => {
    const engine = await start(B);
    expect(await policyEvents()).toBe(2);
    expect(figures(await get(engine.url, '/reports/monthly?month=2026-01'))).toEqual(underA['report']);
    await engine.close();
  });
});

describe('a start without POLICY_FILE keeps the versions recorded (a pending one included)', () => {
  const later = new FakeClock(Date.parse('2026-12-03T09:00:00+08:00'));
  const yanji: Policy = { ...DEFAULT_POLICY, version: 'yanji-2027.1', deadlineWarningRatio: 0.5 };
  /** How src/main.ts starts the engine without POLICY_FILE. */
  const noFile = { onlyIfNoneRecorded: true };

  /** A start on the sqlite `file` (or a store) with `policy` (default: the default policy, as without POLICY_FILE). */
  async function startAs(
    file: string | EventStore,
    recordPolicy: NonNullable<EngineConfig['recordPolicy']>,
    policy = DEFAULT_POLICY,
  ) {
    const logger = memoryLogger();
    const engine = await createEngine({
      store: typeof file === 'string' ? new SqliteEventStore(file, { clock: later.fn }) : file,
      zone: ZONE,
      tokens: TEST_TOKEN_CONFIG,
      policy,
      recordPolicy,
      logger,
      scheduler: later.scheduler,
      metrics: { defaultMetrics: false },
      appOptions: { rateLimitPerSecond: 0 },
    });
    await engine.start();
    const policyLines = logger.entries.filter((e) => /polic/i.test(e.message));
    return { engine, policyLines };
  }

  it('records the default on a store with no version, then the file version, then nothing without the file', async () => {
    const file = join(dir, 'no-file.db');
    const first = await startAs(file, noFile);
    expect(first.policyLines).toEqual([
      {
        level: 'info',
        message: 'policy version recorded',
        fields: { policyVersion: DEFAULT_POLICY.version, effectiveFrom: '2026-12-04' },
      },
    ]);
    await first.engine.close();

    later.set('2026-12-03T10:00:00+08:00');
    const withFile = await startAs(file, { effectiveFrom: parseDate('2027-01-01') }, yanji);
    expect(withFile.policyLines.map((e) => e.fields)).toEqual([
      { policyVersion: 'yanji-2027.1', effectiveFrom: '2027-01-01' },
    ]);
    await withFile.engine.close();
    expect(await policyEvents(file)).toBe(2);

    later.set('2026-12-03T11:00:00+08:00');
    const without = await startAs(file, noFile);
    expect(await policyEvents(file)).toBe(2);
    expect(without.policyLines).toEqual([
      {
        level: 'info',
        message: 'no POLICY_FILE given: the policy versions recorded are kept',
        fields: {
          policyVersion: DEFAULT_POLICY.version,
          lastPublished: 'yanji-2027.1',
          lastEffectiveFrom: '2027-01-01',
        },
      },
    ]);
    expect(without.engine.policyInForce().version).toBe(DEFAULT_POLICY.version);

    // yanji-2027.1 still takes effect on its date.
    const server = await listen(without.engine.app);
    later.set('2027-01-04T09:00:00+08:00');
    const res = await request(server.baseUrl, 'POST', '/cases/Y-1/events', {
      token: TEST_TOKENS.recorder,
      body: accepted('Y-1', '2027-01-04T09:00:00+08:00', { promisedDays: 10 }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const y1 = await request(server.baseUrl, 'GET', '/cases/Y-1', { token: TEST_TOKENS.admin });
    expect(y1.body.policyVersion).toBe('yanji-2027.1');
    expect(without.engine.policyInForce().version).toBe('yanji-2027.1');
    await server.close();
    await without.engine.close();
  });

  it('without the file, a store whose only version is the file version keeps it in force', async () => {
    const file = join(dir, 'only-file.db');
    await (await startAs(file, { effectiveFrom: parseDate('2027-02-01') }, yanji)).engine.close();
    const without = await startAs(file, noFile);
    expect(await policyEvents(file)).toBe(1);
    expect(without.policyLines.map((e) => e.fields)).toEqual([{ policyVersion: 'yanji-2027.1' }]);
    expect(without.engine.policyInForce().version).toBe('yanji-2027.1');
    await without.engine.close();
  });

  it('without the file, a version another engine records first is kept, not superseded', async () => {
    const file = join(dir, 'race.db');
    const store = new SqliteEventStore(file, { clock: later.fn });
    // The other engine appends yanji-2027.1 between this engine's read of policy-CN and its append.
    const append: EventStore['append'] = async (streamId, events, options) => {
      if (streamId === POLICY_STREAM_ID && (await store.headPosition()) < 0n) {
        const publication = { policy: yanji, effectiveFrom: parseDate('2027-03-01'), publishedAt: later.now };
        await store.append(POLICY_STREAM_ID, [policyEventData(publication, ZONE)]);
      }
      return store.append(streamId, events, options);
    };
    const racing = new Proxy(store, {
      get: (target, key) => (key === 'append' ? append : Reflect.get(target, key, target)),
    });
    const without = await startAs(racing, noFile);
    expect(without.policyLines.map((e) => e.fields)).toEqual([{ policyVersion: 'yanji-2027.1' }]);
    await without.engine.close();
    expect(await policyEvents(file)).toBe(1);
  });
});
