/**
 * Session 25: `supervision_cards_issued_total` counts, at go-live, the cards that started while no
 * engine ran — after the instant the previous process recorded it counted up to (liveUntil.ts),
 * at or before now — once; never one the previous process counted; none with a foreign record.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { ComplaintEvent } from '../domain/complaints/events.js';
import { complaintStreamId } from '../domain/complaints/streams.js';
import { acceptedC, assignedC, received } from '../domain/complaints/testing.js';
import { createCalendarService, DEFAULT_POLICY, parseInstant, type CaseEvent } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { PRIVATE_MODE } from '../store/core/privateMode.js';
import { CaseProjection } from './caseProjection.js';
import { LIVE_UNTIL_FORMAT, liveUntilFile } from './liveUntil.js';
import { createManualScheduler } from './scheduler.js';
import { makeRig, ZONE, type Body, type Rig } from './testSupport.js';
import type { ProjectionMetricsSink } from './types.js';

const rigs: Rig[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const at = (text: string) => parseInstant(text);

/** A sink that keeps the rule of each card counted. */
function cardSink(): { sink: ProjectionMetricsSink; cards: string[] } {
  const cards: string[] = [];
  const none = () => {};
  return {
    cards,
    sink: {
      caseAccepted: none,
      caseCompleted: none,
      cardIssued: (rule) => void cards.push(rule),
      caseRated: none,
      complaintStage: none,
      cardWithdrawn: none,
    },
  };
}

const CASE: Body = {
  type: 'CaseAccepted',
  caseId: 'K-1',
  occurredAt: '2025-09-22T09:00:00+08:00',
  centerId: 'c1',
  departmentId: 'd1',
  matterCode: 'm',
  kind: 'promised',
  promisedDays: 3,
  channel: 'window',
};

/** A store, a snapshot file and a rig started at `start` on them (counting into a fresh sink). */
async function engineAt(start: string | number, store: MemoryEventStore, file: string) {
  const { sink, cards } = cardSink();
  const rig = await makeRig(start, { store, checkpointFile: file, metrics: sink });
  rigs.push(rig);
  return { rig, cards };
}

/** The rules of K-1's cards that started in (from, to], as the read model has them at `to`. */
function cardsStartedIn(rig: Rig, from: number, to: number): string[] {
  const cards = rig.projections.readModels.evaluateCase('K-1', to)?.cards ?? [];
  return cards.filter((c) => at(c.startedAt) > from && at(c.startedAt) <= to).map((c) => c.rule);
}

async function stop(rig: Rig): Promise<void> {
  rigs.splice(rigs.indexOf(rig), 1);
  await rig.projections.stop();
}

describe('cards that start while no engine runs are counted once by the next process (session 25)', () => {
  const setUp = () => {
    dir = mkdtempSync(join(tmpdir(), 'live-until-'));
    return { store: new MemoryEventStore(), file: join(dir, 'snap.ndjson') };
  };

  it('a case crossing its warning and overdue instants while stopped is counted once after the restart', async () => {
    const { store, file } = setUp();
    const first = await engineAt('2025-09-22T09:00:00+08:00', store, file);
    await first.rig.append(CASE);
    const stoppedAt = first.rig.scheduler.clock();
    await stop(first.rig);
    expect(first.cards).toEqual([]);

    const restartAt = '2025-10-09T09:00:00+08:00';
    const second = await engineAt(restartAt, store, file);
    const missed = cardsStartedIn(second.rig, stoppedAt, at(restartAt));
    expect(missed).toContain('overdue');
    expect(second.cards.sort()).toEqual(missed.sort());
    // Time runs on: none of them again.
    second.rig.scheduler.advanceTo(at('2025-10-20T09:00:00+08:00'));
    expect(second.cards.sort()).toEqual(missed.sort());
  });

  it('a card counted before a graceful stop is not counted again after it', async () => {
    const { store, file } = setUp();
    const first = await engineAt('2025-09-22T09:00:00+08:00', store, file);
    await first.rig.append(CASE);
    const overdue = at(first.rig.projections.readModels.evaluateCase('K-1', at('2025-10-30T00:00:00+08:00'))!.dueAt);
    // Live until just before the overdue instant: it counts the warning.
    first.rig.scheduler.advanceTo(overdue - 1);
    expect(first.cards).toEqual(['deadline-warning']);
    await stop(first.rig);
    expect(JSON.parse(readFileSync(liveUntilFile(file), 'utf8'))).toMatchObject({
      liveUntil: new Date(overdue - 1).toISOString(),
    });
    expect(statSync(liveUntilFile(file)).mode & 0o777).toBe(PRIVATE_MODE);

    const second = await engineAt('2025-10-09T09:00:00+08:00', store, file);
    expect(second.cards).toEqual(['overdue']);
  });

  it('a process that counts nothing (npm run rebuild: no metrics sink) leaves the record as it was', async () => {
    const { store, file } = setUp();
    const first = await engineAt('2025-09-22T09:00:00+08:00', store, file);
    await first.rig.append(CASE);
    await stop(first.rig);
    const recorded = readFileSync(liveUntilFile(file), 'utf8');
    const rebuild = await makeRig('2025-10-01T09:00:00+08:00', { store, checkpointFile: file });
    await rebuild.projections.stop();
    expect(readFileSync(liveUntilFile(file), 'utf8')).toBe(recorded);
    const second = await engineAt('2025-10-09T09:00:00+08:00', store, file);
    expect(second.cards.sort()).toEqual(
      cardsStartedIn(second.rig, first.rig.scheduler.clock(), at('2025-10-09T09:00:00+08:00')).sort(),
    );
    expect(second.cards).toContain('overdue');
  });

  it('the heartbeat records the instant while live: a crash counts again at most the last interval', async () => {
    const { store, file } = setUp();
    // Half a second past the minute: the minute's beats never fall on the card's instant.
    const first = await engineAt(at('2025-09-22T09:00:00+08:00') + 500, store, file);
    await first.rig.append(CASE);
    const overdue = at(first.rig.projections.readModels.evaluateCase('K-1', at('2025-10-30T00:00:00+08:00'))!.dueAt);
    // Live past the overdue instant, killed before the next beat (no stop): the record is the last beat's.
    first.rig.scheduler.advanceTo(overdue + 400);
    expect(first.cards).toEqual(['deadline-warning', 'overdue']);
    rigs.splice(rigs.indexOf(first.rig), 1); // a crash: it writes nothing more
    const recorded = () => Date.parse(JSON.parse(readFileSync(liveUntilFile(file), 'utf8')).liveUntil);
    await vi.waitFor(() => expect(recorded()).toBe(overdue - 59_500));

    const second = await engineAt('2025-10-09T09:00:00+08:00', store, file);
    expect(second.cards).toEqual(['overdue']); // the interval's card, again: the documented trade-off
    await first.rig.projections.stop();
  });

  it('a record of another store or partition, or a damaged one, is ignored (warn): nothing counted, as a first start', async () => {
    const { store, file } = setUp();
    const first = await engineAt('2025-09-22T09:00:00+08:00', store, file);
    await first.rig.append(CASE);
    await stop(first.rig);
    const good = JSON.parse(readFileSync(liveUntilFile(file), 'utf8'));
    expect(good).toMatchObject({ format: LIVE_UNTIL_FORMAT, storeIdentity: await store.identity(), partition: null });
    for (const [record, why] of [
      [{ ...good, storeIdentity: 'another-store' }, 'is of store identity another-store'],
      [{ ...good, partition: { caseIdPrefixes: ['K'], complaintIdPrefixes: ['K'] } }, 'is of partition'],
      ['{"format":', 'is not JSON'],
      [{ ...good, liveUntil: 'yesterday' }, 'liveUntil "yesterday" is not an instant'],
      [{ ...good, countedAhead: 'overdue' }, 'countedAhead is not a list of card keys'],
    ] as const) {
      writeFileSync(liveUntilFile(file), typeof record === 'string' ? record : JSON.stringify(record));
      const warnings: string[] = [];
      const { sink, cards } = cardSink();
      const rig = await makeRig('2025-10-09T09:00:00+08:00', {
        store,
        checkpointFile: file,
        metrics: sink,
        log: (m, level) => void (level === 'warn' && warnings.push(m)),
      });
      await rig.projections.stop();
      expect(cards).toEqual([]);
      expect(warnings.join('\n')).toContain(why);
    }
  });

  it('a complaint whose warning and overdue start while stopped: each counted once after the restart', async () => {
    const { store, file } = setUp();
    const first = await engineAt('2025-11-03T09:00:00+08:00', store, file);
    const append = async (e: ComplaintEvent) => {
      const { position } = await store.append(complaintStreamId(e.complaintId), [
        { eventId: randomUUID(), type: e.type, data: e },
      ]);
      expect(await first.rig.projections.readModels.waitForPosition(position, 2_000)).toBe(true);
    };
    await append(received('2025-11-03T09:00:00+08:00', { departmentId: 'd1' }));
    await append(acceptedC('2025-11-03T10:00:00+08:00'));
    await stop(first.rig);
    const second = await engineAt('2025-11-26T09:00:00+08:00', store, file);
    expect(second.cards.sort()).toEqual(['complaint-answer-warning', 'complaint-overdue']);
    second.rig.scheduler.advanceTo(at('2025-12-20T09:00:00+08:00'));
    expect(second.cards).toHaveLength(2);
  });
});

describe('a card counted live ahead of the clock, then a stop before its instant (session 26)', () => {
  const MINUTE = 60_000;
  const setUp = () => {
    dir = mkdtempSync(join(tmpdir(), 'live-until-'));
    return { store: new MemoryEventStore(), file: join(dir, 'snap.ndjson') };
  };

  it('a case’s overdue card, counted live from an event recorded ahead of the clock, is not counted again after the restart', async () => {
    const { store, file } = setUp();
    const first = await engineAt('2025-09-22T09:00:00+08:00', store, file);
    await first.rig.append(CASE);
    const overdue = at(first.rig.projections.readModels.evaluateCase('K-1', at('2025-10-30T00:00:00+08:00'))!.dueAt);
    first.rig.scheduler.advanceTo(overdue - 2 * MINUTE);
    // Recorded 3 minutes ahead of the clock (the API takes up to 5): the case is evaluated there, its overdue card counted.
    const occurredAt = new Date(overdue + MINUTE).toISOString();
    await first.rig.append({ type: 'CaseEscalated', caseId: 'K-1', level: 'reminder', by: 'office', occurredAt });
    first.rig.scheduler.advanceTo(overdue - MINUTE);
    expect(first.cards).toContain('overdue');
    await stop(first.rig); // before the card's instant
    expect(JSON.parse(readFileSync(liveUntilFile(file), 'utf8'))).toMatchObject({
      liveUntil: new Date(overdue - MINUTE).toISOString(),
      countedAhead: [`case K-1 overdue red ${overdue}`],
    });

    const restartAt = overdue + 60 * MINUTE;
    const second = await engineAt(restartAt, store, file);
    // Each card started by the restart counted once, by one process or the other.
    expect([...first.cards, ...second.cards].sort()).toEqual(cardsStartedIn(second.rig, 0, restartAt).sort());
  });

  it('a complaint’s warning, counted live from an event recorded ahead of the clock, is not counted again after the restart', async () => {
    const opening = [
      received('2025-11-03T09:00:00+08:00', { departmentId: 'd1' }),
      acceptedC('2025-11-03T10:00:00+08:00'),
    ];
    // The warning's instant, from a probe run on a store of its own.
    const probe = await makeRig('2025-11-03T09:00:00+08:00');
    for (const e of opening) await appendComplaint(probe, e);
    probe.scheduler.advanceTo(at('2025-11-26T09:00:00+08:00'));
    const raised = probe.alerts.find((e) => e.type === 'alert-raised' && e.alert.rule === 'complaint-answer-warning');
    const warning = at(raised!.alert.startedAt);
    await probe.projections.stop();

    const { store, file } = setUp();
    const first = await engineAt('2025-11-03T09:00:00+08:00', store, file);
    for (const e of opening) await appendComplaint(first.rig, e);
    first.rig.scheduler.advanceTo(warning - 2 * MINUTE);
    await appendComplaint(first.rig, assignedC(new Date(warning + MINUTE).toISOString()));
    first.rig.scheduler.advanceTo(warning - MINUTE);
    expect(first.cards).toEqual(['complaint-answer-warning']);
    await stop(first.rig); // before the card's instant

    const second = await engineAt(warning + 60 * MINUTE, store, file);
    expect(second.cards).toEqual([]);
  });
});

/** Appends a complaint event and waits until the rig has folded it. */
async function appendComplaint(rig: Rig, e: ComplaintEvent): Promise<void> {
  const { position } = await rig.store.append(complaintStreamId(e.complaintId), [
    { eventId: randomUUID(), type: e.type, data: e },
  ]);
  expect(await rig.projections.readModels.waitForPosition(position, 2_000)).toBe(true);
}

describe('cases completed while this worker was down, made rows in its catch-up (a partitioned worker)', () => {
  const DAY = 86_400_000;
  const BASE = at('2025-09-01T09:00:00+08:00');
  const event = (type: string, caseId: string, t: number, extra: Record<string, unknown>) =>
    ({ type, caseId, occurredAt: new Date(t).toISOString(), ...extra }) as unknown as CaseEvent;

  /** Cases completed late (an overdue card started, then cleared) caught up at a clock a month on. */
  function caughtUp(rowsInCatchUpAbove: number | undefined, countedUntil: number): string[] {
    const { sink, cards } = cardSink();
    const projection = new CaseProjection({
      calendarService: createCalendarService(ZONE),
      policy: DEFAULT_POLICY,
      scheduler: createManualScheduler(BASE + 30 * DAY),
      metrics: sink,
      settlingInCatchUp: 0,
      ...(rowsInCatchUpAbove === undefined ? {} : { rowsInCatchUpAbove }),
    });
    projection.countCardsStartedAfter({ until: countedUntil, ahead: new Set() });
    for (let i = 0; i < 4; i++) {
      const caseId = `L-${i}`;
      const t = BASE + i * DAY;
      projection.applyCaseEvent(
        caseId,
        event('CaseAccepted', caseId, t, {
          centerId: 'c1',
          departmentId: 'd1',
          matterCode: 'm',
          kind: 'promised',
          promisedDays: 2,
          channel: 'window',
        }),
        { revision: 0 },
      );
      projection.applyCaseEvent(caseId, event('CaseCompleted', caseId, t + 10 * DAY, { outcome: 'approved' }), {
        revision: 1,
      });
    }
    projection.goLive(BASE + 30 * DAY);
    return cards.sort();
  }

  it('their cards started after the record are counted as the objects’ are at go-live', () => {
    const countedUntil = BASE + 4 * DAY; // the first cases' cards before it, the later ones' after
    const asObjects = caughtUp(undefined, countedUntil);
    expect(asObjects.length).toBeGreaterThan(0);
    expect(asObjects.length).toBeLessThan(caughtUp(undefined, BASE).length);
    expect(caughtUp(0, countedUntil)).toEqual(asObjects);
  });
});
