/**
 * The projection runner on EventStoreDB, through the real client against the
 * wire server: resuming from a snapshot checkpoint (issue 14, row 4: the runner
 * reads `$all` from checkpoint + 1, a byte offset inside a record), lag counted in
 * events (row 6: positions are byte offsets) and back to 0 with system and link
 * events in `$all` (row 5). Each failed against the adapter before the fix.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../src/domain/index.js';
import { createManualScheduler } from '../../src/projections/scheduler.js';
import { appendBody, makeRig, type Body, type Rig, ZONE } from '../../src/projections/testSupport.js';
import type { EsdbEventStore } from '../../src/store/esdb/esdb-store.js';
import { openEsdbStore } from '../../src/store/esdb/open-esdb.js';
import { WireServer } from './esdb-wire/server.js';

const H = 3_600_000;
const START = parseInstant('2025-03-03T09:00:00+08:00');

/** 60 cases over a fortnight: accepted, some paused, escalated or completed. */
function history(prefix = 'W-'): Array<{ at: number; body: Body }> {
  const out: Array<{ at: number; body: Body }> = [];
  for (let i = 0; i < 60; i++) {
    const caseId = `${prefix}${i}`;
    let t = START + (i % 20) * 5 * H;
    const at = () => formatInstant(t, ZONE);
    const accepted = { centerId: `c${i % 3}`, departmentId: `d${i % 5}`, matterCode: 'm', channel: 'online' };
    out.push({
      at: t,
      body: {
        type: 'CaseAccepted',
        caseId,
        occurredAt: at(),
        ...accepted,
        kind: 'promised',
        promisedDays: 1 + (i % 6),
      },
    });
    if (i % 4 === 1) {
      t += 20 * H;
      out.push({
        at: t,
        body: { type: 'CasePaused', caseId, occurredAt: at(), pauseId: 'p1', reason: 'x', declaredDays: 2 },
      });
    }
    if (i % 5 === 2) {
      t += 30 * H;
      out.push({ at: t, body: { type: 'CaseEscalated', caseId, occurredAt: at(), level: 'reminder', by: 'office' } });
    }
    if (i % 3 === 0) {
      t += (i % 11) * 12 * H;
      out.push({ at: t, body: { type: 'CaseCompleted', caseId, occurredAt: at(), outcome: 'approved' } });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

const rigs: Rig[] = [];
const cleanups: (() => Promise<void>)[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  for (const c of cleanups.splice(0)) await c();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function wireStore(
  now: () => number,
  options: Parameters<typeof openEsdbStore>[1] = {},
): Promise<{ server: WireServer; store: EsdbEventStore }> {
  const server = await WireServer.start({ standardProjections: true, now });
  const store = await openEsdbStore(server.connectionString, { deadlineMs: 2000, ...options });
  cleanups.push(async () => {
    await store.close();
    await server.stop();
  });
  return { server, store };
}

const view = (rig: Rig, prefix = 'W-') => {
  const rm = rig.projections.readModels;
  return {
    states: Array.from({ length: 60 }, (_, i) => rm.getCaseState(`${prefix}${i}`) ?? null),
    alerts: rm.activeAlerts(),
    report: rm.monthlyReport('2025-03'),
  };
};

describe('projections on EventStoreDB (real client, wire server)', () => {
  it('row 4: resuming from the snapshot checkpoint gives the read models of a clean rebuild', async () => {
    const clock = createManualScheduler(START);
    const { store } = await wireStore(() => clock.clock());
    await resumeEqualsRebuild(store, clock);
  });

  it.skipIf(process.env['ESDB_CONNECTION_STRING'] === undefined)(
    'on a REAL server: resuming from the snapshot equals a clean rebuild — SKIPPED unless ESDB_CONNECTION_STRING is set',
    async () => {
      const store = await openEsdbStore(process.env['ESDB_CONNECTION_STRING'] as string);
      cleanups.push(() => store.close());
      await resumeEqualsRebuild(store, createManualScheduler(START), `R${Date.now()}-`);
    },
  );

  async function resumeEqualsRebuild(
    store: EsdbEventStore,
    clock: ReturnType<typeof createManualScheduler>,
    prefix = 'W-',
  ): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'esdb-proj-'));
    const checkpointFile = join(dir, 'projections.snapshot.ndjson');
    const events = history(prefix);
    const half = Math.floor(events.length / 2);
    for (const e of events.slice(0, half)) {
      clock.advanceTo(Math.max(clock.clock(), e.at));
      await appendBody(store, e.body);
    }
    const first = await makeRig(clock.clock(), { store, checkpointFile });
    expect(first.projections.info().eventsFolded).toBe(half);
    await first.projections.stop();
    expect(existsSync(checkpointFile)).toBe(true);
    for (const e of events.slice(half)) {
      clock.advanceTo(Math.max(clock.clock(), e.at));
      await appendBody(store, e.body);
    }
    const end = clock.clock() + 72 * H;
    const resumed = await Promise.race([
      makeRig(end, { store, checkpointFile }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('never became ready')), 20_000)),
    ]);
    rigs.push(resumed);
    expect(resumed.projections.info().eventsFolded).toBe(events.length - half);
    const clean = await makeRig(end, { store });
    rigs.push(clean);
    expect(view(resumed, prefix)).toEqual(view(clean, prefix));
  }

  it('rows 5 and 6: lag is counted in events while the projections are held back, and returns to 0 with links in $all', async () => {
    let hold: Promise<void> | undefined;
    let release = (): void => {};
    const { server, store } = await wireStore(Date.now, {
      backoff: { initialMs: 5, maxMs: 20, factor: 2 },
      sleep: async (ms) => {
        if (hold !== undefined) await hold;
        else await new Promise((r) => setTimeout(r, ms));
      },
    });
    const events = history();
    for (const e of events.slice(0, 5)) await appendBody(store, e.body);
    const rig = await makeRig(Date.now(), { store });
    rigs.push(rig);
    const status = () => rig.projections.readModels.status();
    await until(() => status().lagEvents === 0, 'lag 0 after catch-up, with $ce-/$et- links after the last event');
    expect(await rig.projections.readModels.waitForPosition(await store.headPosition(), 2000)).toBe(true);

    hold = new Promise<void>((r) => (release = r));
    server.dropSubscriptions();
    for (const e of events.slice(5, 12)) await appendBody(store, e.body);
    await until(
      () => status().lagEvents === 7,
      () => `lag of 7 events (got ${status().lagEvents})`,
    );
    release();
    hold = undefined;
    await until(() => status().lagEvents === 0, 'lag back to 0');
    expect(rig.projections.info().eventsFolded).toBe(12);
  });
});

async function until(check: () => boolean, what: string | (() => string), ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
