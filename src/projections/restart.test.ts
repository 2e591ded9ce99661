import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { openStore } from '../store/open.js';
import type { EventStore } from '../store/port.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';
import { createManualScheduler } from './scheduler.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot.js';

const H = 3_600_000;
const START = parseInstant('2025-03-03T09:00:00+08:00');

/** A deterministic history: 120 cases over two weeks, some paused, escalated, completed. */
function history(): Array<{ at: number; body: Body }> {
  const out: Array<{ at: number; body: Body }> = [];
  for (let i = 0; i < 120; i++) {
    const caseId = `R-${i}`;
    let t = START + (i % 40) * 5 * H;
    const at = () => formatInstant(t, ZONE);
    out.push({
      at: t,
      body: {
        type: 'CaseAccepted',
        caseId,
        occurredAt: at(),
        centerId: `c${i % 3}`,
        departmentId: `d${i % 5}`,
        matterCode: 'm',
        kind: i % 7 === 0 ? 'instant' : 'promised',
        promisedDays: i % 7 === 0 ? 0 : 1 + (i % 6),
        channel: 'online',
      },
    });
    if (i % 4 === 1) {
      t += 20 * H;
      out.push({
        at: t,
        body: { type: 'CasePaused', caseId, occurredAt: at(), pauseId: 'p1', reason: 'testing', declaredDays: 2 },
      });
      if (i % 8 === 1) {
        t += 50 * H;
        out.push({ at: t, body: { type: 'CaseResumed', caseId, occurredAt: at(), pauseId: 'p1' } });
      }
    }
    if (i % 5 === 2) {
      t += 30 * H;
      out.push({ at: t, body: { type: 'CaseEscalated', caseId, occurredAt: at(), level: 'reminder', by: 'office' } });
    }
    if (i % 3 === 0 && !(i % 4 === 1 && i % 8 !== 1)) {
      t += (i % 11) * 12 * H;
      out.push({ at: t, body: { type: 'CaseCompleted', caseId, occurredAt: at(), outcome: 'approved' } });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

const rigs: Rig[] = [];
const stores: EventStore[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  for (const s of stores.splice(0)) await s.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function view(rig: Rig) {
  const rm = rig.projections.readModels;
  return {
    states: Array.from({ length: 120 }, (_, i) => rm.getCaseState(`R-${i}`) ?? null),
    alerts: rm.activeAlerts(),
    stats: rm.stats({ from: '2025-03-01', to: '2025-04-01', groupBy: 'center' }),
    report: rm.monthlyReport('2025-03'),
    next: rig.projections.info().nextDueAt ?? null,
  };
}

describe('restart from the checkpoint (sqlite store)', () => {
  it('stopping mid-stream and resuming from the snapshot gives the read models of a clean rebuild', async () => {
    dir = mkdtempSync(join(tmpdir(), 'proj-restart-'));
    const clock = createManualScheduler(START);
    const store = await openStore(`sqlite:${join(dir, 'events.db')}`, { clock: () => clock.clock() });
    stores.push(store);
    const checkpointFile = join(dir, 'projections.snapshot.ndjson');
    const events = history();
    const half = Math.floor(events.length / 2);
    for (const e of events.slice(0, half)) {
      clock.advanceTo(Math.max(clock.clock(), e.at));
      await appendBody(store, e.body);
    }
    const first = await makeRig(clock.clock(), { store, checkpointFile });
    expect(first.projections.info().eventsFolded).toBe(half);
    await first.projections.stop(); // writes the snapshot + checkpoint
    expect(existsSync(checkpointFile)).toBe(true);

    for (const e of events.slice(half)) {
      clock.advanceTo(Math.max(clock.clock(), e.at));
      await appendBody(store, e.body);
    }
    const end = clock.clock() + 72 * H;
    const resumed = await makeRig(end, { store, checkpointFile });
    rigs.push(resumed);
    // It folded only what came after the checkpoint.
    expect(resumed.projections.info().eventsFolded).toBe(events.length - half);
    expect(resumed.projections.readModels.status()).toMatchObject({
      caughtUp: true,
      checkpoint: String(await store.headPosition()),
    });

    const clean = await makeRig(end, { store });
    rigs.push(clean);
    expect(clean.projections.info().eventsFolded).toBe(events.length);
    expect(view(resumed)).toEqual(view(clean));
    expect(view(clean).alerts.length).toBeGreaterThan(0);
  });

  it('a damaged snapshot is ignored and the read models are rebuilt from the beginning', async () => {
    dir = mkdtempSync(join(tmpdir(), 'proj-restart-'));
    const store = await openStore(`sqlite:${join(dir, 'events.db')}`, { clock: () => START });
    stores.push(store);
    const file = join(dir, 'snap.ndjson');
    const { writeFileSync } = await import('node:fs');
    const header = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      checkpoint: '5',
      storeHead: '5',
      calendarEvents: [],
      partition: null,
      policiesSeen: 0,
      directoryVersion: null,
      rows: null,
      openWrites: { cases: null, complaint: null },
    };
    writeFileSync(
      file,
      `${JSON.stringify({ ...header, storeIdentity: await store.identity(), cases: 3, complaints: 0, withdrawnCards: 0 })}\n{}\n`,
    );
    for (const e of history().slice(0, 10)) await appendBody(store, e.body);
    const logs: string[] = [];
    const rig = await makeRig(START + 1000 * H, { store, checkpointFile: file, log: (m) => logs.push(m) });
    rigs.push(rig);
    expect(rig.projections.info().eventsFolded).toBe(10);
    expect(logs.join('\n')).toMatch(/is not a case state; rebuilding from the beginning/);
  });
});
