import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCalendarService, parseInstant } from '../domain/index.js';
import { caseStreamId } from '../domain/streams.js';
import { complaintStreamId } from '../domain/complaints/streams.js';
import { calendarEventData, CALENDAR_STREAM_ID, decodeCalendarYearRequest } from './calendarEvents.js';
import { readSnapshotHeader } from './snapshot.js';
import { ACCEPTED, COMPLETED, LATE, NOVEMBER } from './withdrawnCards.testSupport.js';
import { makeRig, ZONE, type Body, type Rig } from './testSupport.js';
import type { ProjectionMetricsSink } from './types.js';

const rigs: Rig[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function rigAt(start: string | number, extra: Parameters<typeof makeRig>[1] = {}): Promise<Rig> {
  const rig = await makeRig(start, extra);
  rigs.push(rig);
  return rig;
}

/** A metrics sink that keeps the arguments of each `cardWithdrawn` (the live counter's calls). */
function withdrawalCounter(): { calls: unknown[][]; sink: ProjectionMetricsSink } {
  const calls: unknown[][] = [];
  const sink = new Proxy({} as ProjectionMetricsSink, {
    get:
      (_t, name) =>
      (...a: unknown[]) => {
        if (name === 'cardWithdrawn') calls.push(a);
      },
  });
  return { calls, sink };
}

/** A rig that writes its snapshot to a file of its own when stopped. */
async function rigWithSnapshot(start: string | number): Promise<{ live: Rig; checkpointFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'withdrawn-'));
  dirs.push(dir);
  const checkpointFile = join(dir, 'snap.ndjson');
  return { live: await rigAt(start, { checkpointFile }), checkpointFile };
}

/** Stops `live` (writing its snapshot); a rebuild from its store and a restart from the snapshot give `expected`. */
async function expectRebuildAndRestartGive<T>(
  live: Rig,
  checkpointFile: string,
  register: (rig: Rig) => T,
  expected: T,
): Promise<void> {
  await live.projections.stop();
  const now = live.scheduler.clock();
  const rebuilt = await rigAt(now, { store: live.store });
  expect(register(rebuilt)).toEqual(expected);
  const restarted = await rigAt(now, { store: live.store, checkpointFile });
  expect(restarted.projections.info().eventsFolded).toBe(0);
  expect(register(restarted)).toEqual(expected);
}

/** A correction of 2026 recorded now: one more holiday (or, with `workday`, one more working day). */
async function correctWithHoliday(rig: Rig, holiday: string | undefined, workday?: string): Promise<void> {
  const base = createCalendarService(ZONE).getYear(2026)!;
  const decoded = decodeCalendarYearRequest(
    '2026',
    {
      holidays: [...base.holidays, ...(holiday === undefined ? [] : [holiday])],
      workdays: [...base.workdays, ...(workday === undefined ? [] : [workday])],
    },
    new Date(rig.scheduler.clock()).toISOString(),
  );
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
  const r = await rig.store.append(CALENDAR_STREAM_ID, [calendarEventData(decoded.value)]);
  expect(await rig.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
}

describe('withdrawn cards: the record keeps the cards a later write withdrew', () => {
  it('a completion recorded days after the deadline, that occurred before it, withdraws the red card the board showed', async () => {
    const rig = await rigAt('2026-11-16T09:00:00+08:00');
    await rig.append(ACCEPTED);
    rig.scheduler.advanceTo(LATE);
    const rm = rig.projections.readModels;
    expect(rm.cardRegister(NOVEMBER).items.map((c) => c.rule)).toEqual(['deadline-warning', 'overdue']);

    await rig.append(COMPLETED);
    // The red card is gone from the register; the completion recorded 4 days late raised its own yellow card.
    expect(rm.cardRegister(NOVEMBER).items.map((c) => c.rule)).toEqual(['deadline-warning', 'late-record']);
    const withdrawn = rm.withdrawnCards(NOVEMBER);
    expect(withdrawn.total).toBe(2);
    const red = withdrawn.items.find((c) => c.rule === 'overdue');
    expect(red).toMatchObject({
      caseId: 'W-1',
      rule: 'overdue',
      color: 'red',
      startedAt: '2026-11-20T00:00:00.000+08:00',
      withdrawnAt: '2026-11-23T10:00:00.000+08:00',
      withdrawnBy: { events: [{ type: 'CaseCompleted', revision: 1, occurredAt: '2026-11-19T16:00:00.000+08:00' }] },
      centerId: 'c1',
      departmentId: 'd1',
      matterCode: 'M1',
    });
    expect(red!.nowStartedAt).toBeUndefined();
    // The warning stays on record; the clearing the board showed (the red card's start) moved to the completion.
    expect(withdrawn.items.find((c) => c.rule === 'deadline-warning')).toMatchObject({
      clearingChanged: true,
      clearedAt: '2026-11-20T00:00:00.000+08:00',
      nowClearedAt: '2026-11-19T16:00:00.000+08:00',
      withdrawnAt: '2026-11-23T10:00:00.000+08:00',
    });
    expect(rm.withdrawnCardsOf('W-1').map((c) => [c.rule, c.clearingChanged])).toEqual([
      ['overdue', undefined],
      ['deadline-warning', true],
    ]);
    // The month's report counts the record as it stands, and says what was withdrawn beside it.
    const report = rm.monthlyReport('2026-11');
    expect(report.cards.byRule.map((c) => c.rule)).toEqual(['deadline-warning', 'late-record']);
    expect(report.cards.withdrawn).toEqual({ total: 1, yellow: 0, red: 1, clearingsChanged: 1 });
    expect(rm.monthlyReport('2026-11', { centerId: 'c2' }).cards.withdrawn.total).toBe(0);
    expect(rm.monthlyReport('2026-10').cards.withdrawn.total).toBe(0);
    expect(rm.monthlyReportCsv('2026-11')).toContain('亮出后撤销（不计入上表）,红牌 1、黄牌 0,1');
    // Not yet withdrawn as known just before.
    const justBefore = { at: LATE - 1, read: () => ({ state: rm.getCaseState('W-1')!, evaluation: undefined }) };
    expect(rm.withdrawnCardsOf('W-1', justBefore)).toEqual([]);
  });

  it('a case accepted back-dated and completed in one write withdrew nothing: no one saw it in between', async () => {
    const rig = await rigAt('2026-11-23T10:00:00+08:00');
    const data = (b: Body) => ({ eventId: randomUUID(), type: b.type, data: b });
    const r = await rig.store.append(caseStreamId('W-1'), [data(ACCEPTED), data(COMPLETED)]);
    expect(await rig.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
    expect(rig.projections.readModels.withdrawnCards(NOVEMBER).total).toBe(0);
  });

  it('events recorded as they happen withdraw nothing', async () => {
    const rig = await rigAt('2026-11-16T09:00:00+08:00');
    await rig.append(ACCEPTED);
    rig.scheduler.advanceTo(parseInstant(COMPLETED.occurredAt));
    await rig.append(COMPLETED);
    rig.scheduler.advanceTo(LATE);
    expect(rig.projections.readModels.withdrawnCards(NOVEMBER).total).toBe(0);
  });

  it('a calendar correction that moves the deadline withdraws the cards it moved, and says where they start now', async () => {
    const rig = await rigAt('2026-11-16T09:00:00+08:00');
    await rig.append(ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-20T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');

    const rows = rig.projections.readModels.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.rule, c.startedAt, c.nowStartedAt])).toEqual([
      ['deadline-warning', '2026-11-19T00:00:00.000+08:00', '2026-11-20T00:00:00.000+08:00'],
      ['overdue', '2026-11-20T00:00:00.000+08:00', undefined],
    ]);
    expect(rows[0]!.withdrawnBy).toEqual({
      calendarVersion: rig.calendarService.current().version,
      previousCalendarVersion: createCalendarService(ZONE).current().version,
    });
  });

  it('a correction adding a working day moves a shown warning earlier: the withdrawn one now starts where it does', async () => {
    // Accepted Thursday 11-19 for 3 days: due at the end of Tuesday 11-24, warning from 11-24 00:00.
    // Saturday 11-21 made a working day on 11-24: due the end of 11-23, warning from 11-23 00:00.
    const rig = await rigAt('2026-11-19T09:00:00+08:00');
    await rig.append({ ...ACCEPTED, occurredAt: '2026-11-19T09:00:00+08:00' });
    rig.scheduler.advanceTo(parseInstant('2026-11-24T10:00:00+08:00'));
    await correctWithHoliday(rig, undefined, '2026-11-21');

    const rows = rig.projections.readModels.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.rule, c.startedAt, c.nowStartedAt])).toEqual([
      ['deadline-warning', '2026-11-24T00:00:00.000+08:00', '2026-11-23T00:00:00.000+08:00'],
    ]);
  });

  it('a case with two cards of a rule: the withdrawn one now starts where the card in its place does, not the earlier one', async () => {
    // A 5-day case accepted Monday 2025-09-01 warns from 09-05; extended that day by 5 days, it warns
    // again from 09-11. A 停止计时 of 09-09 recorded on 09-11 moves that warning to 09-12.
    const rig = await rigAt('2025-09-01T09:00:00+08:00');
    const body = (type: string, occurredAt: string, extra: Record<string, unknown> = {}): Body => ({
      type,
      caseId: 'X-1',
      occurredAt,
      ...extra,
    });
    await rig.append({ ...ACCEPTED, caseId: 'X-1', occurredAt: '2025-09-01T09:00:00+08:00', promisedDays: 5 });
    rig.scheduler.advanceTo(parseInstant('2025-09-05T10:00:00+08:00'));
    await rig.append(
      body('CaseExtended', '2025-09-05T10:00:00+08:00', { days: 5, approvedBy: 'head', reason: 'complex' }),
    );
    rig.scheduler.advanceTo(parseInstant('2025-09-11T11:00:00+08:00'));
    const data = (b: Body) => ({ eventId: randomUUID(), type: b.type, data: b });
    const r = await rig.store.append(caseStreamId('X-1'), [
      data(body('CasePaused', '2025-09-09T09:00:00+08:00', { pauseId: 'p1', reason: 'testing' })),
      data(body('CaseResumed', '2025-09-10T09:00:00+08:00', { pauseId: 'p1' })),
    ]);
    const rm = rig.projections.readModels;
    expect(await rm.waitForPosition(r.position, 2_000)).toBe(true);
    rig.scheduler.advanceTo(parseInstant('2025-09-12T10:00:00+08:00'));

    const warnings = rm.evaluateCase('X-1', rig.scheduler.clock())!.cards.filter((c) => c.rule === 'deadline-warning');
    expect(warnings.map((c) => c.startedAt)).toEqual([
      '2025-09-05T00:00:00.000+08:00',
      '2025-09-12T00:00:00.000+08:00',
    ]);
    const row = ['deadline-warning', '2025-09-11T00:00:00.000+08:00', '2025-09-12T00:00:00.000+08:00'];
    const rows = rm.withdrawnCards({ from: '2025-09-01', to: '2025-10-01', limit: 50 }).items;
    expect(rows.map((c) => [c.rule, c.startedAt, c.nowStartedAt])).toEqual([row]);
    expect(rm.withdrawnCardsOf('X-1').map((c) => [c.rule, c.startedAt, c.nowStartedAt])).toEqual([row]);
  });

  it('a rebuild and a restart from the snapshot give the same register as the live run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'withdrawn-'));
    dirs.push(dir);
    const checkpointFile = join(dir, 'snap.ndjson');
    const live = await rigAt('2026-11-16T09:00:00+08:00', { checkpointFile });
    await live.append(ACCEPTED);
    live.scheduler.advanceTo(LATE);
    await live.append(COMPLETED);
    const expected = live.projections.readModels.withdrawnCards(NOVEMBER);
    expect(expected.total).toBe(2); // the red card, and the warning's changed clearing
    await live.projections.stop(); // writes the snapshot

    const rebuilt = await rigAt(LATE, { store: live.store });
    expect(rebuilt.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(expected);
    const restarted = await rigAt(LATE, { store: live.store, checkpointFile });
    expect(restarted.projections.info().eventsFolded).toBe(0);
    expect(restarted.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(expected);
  });
});

// A complaint received Monday 2026-11-16 10:00 is to be accepted or rejected by the end of Thursday
// 11-19 (3 working days): its red complaint-undecided card starts 11-20 00:00 if still undecided.
// As the write side stores them: the body carries its eventId.
const complaint = (type: string, occurredAt: string, extra: Record<string, unknown> = {}) => {
  const eventId = randomUUID();
  return { eventId, type, data: { type, eventId, complaintId: 'Q-1', occurredAt, ...extra } };
};
const RECEIVED = complaint('ComplaintReceived', '2026-11-16T10:00:00+08:00', {
  channel: 'hotline',
  centerId: 'c1',
  departmentId: 'd1',
  subject: '窗口推诿',
});
const ACCEPTED_IN_TIME = complaint('ComplaintAccepted', '2026-11-19T15:00:00+08:00');

async function appendComplaint(rig: Rig, ...events: ReturnType<typeof complaint>[]): Promise<void> {
  const r = await rig.store.append(complaintStreamId('Q-1'), events);
  expect(await rig.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
}

describe("withdrawn cards: a complaint's cards too (SPEC §8)", () => {
  it('an acceptance recorded after the decision deadline, that occurred before it, withdraws the red card', async () => {
    const rig = await rigAt('2026-11-16T10:00:00+08:00');
    await appendComplaint(rig, RECEIVED);
    rig.scheduler.advanceTo(LATE);
    const rm = rig.projections.readModels;
    expect(rm.cardRegister(NOVEMBER).items.map((c) => c.rule)).toEqual(['complaint-undecided']);

    await appendComplaint(rig, ACCEPTED_IN_TIME);
    // The late acceptance is itself on record: complaint-late-record from its recording (session 21;
    // before, the register was empty and only the withdrawn register told of the write).
    expect(rm.cardRegister(NOVEMBER).items.map((c) => [c.rule, c.startedAt])).toEqual([
      ['complaint-late-record', '2026-11-23T10:00:00.000+08:00'],
    ]);
    const withdrawn = rm.withdrawnCards(NOVEMBER);
    expect(withdrawn.total).toBe(1);
    expect(withdrawn.items[0]).toEqual({
      complaintId: 'Q-1',
      rule: 'complaint-undecided',
      color: 'red',
      startedAt: '2026-11-20T00:00:00.000+08:00',
      withdrawnAt: '2026-11-23T10:00:00.000+08:00',
      withdrawnBy: {
        events: [
          {
            eventId: ACCEPTED_IN_TIME.eventId,
            type: 'ComplaintAccepted',
            revision: 1,
            occurredAt: '2026-11-19T15:00:00.000+08:00',
          },
        ],
      },
      centerId: 'c1',
      departmentId: 'd1',
    });
    // Filters: by rule and colour, and the case rules leave it out.
    expect(rm.withdrawnCards({ ...NOVEMBER, rule: 'complaint-undecided' }).total).toBe(1);
    expect(rm.withdrawnCards({ ...NOVEMBER, rule: 'overdue' }).total).toBe(0);
    expect(rm.withdrawnCards({ ...NOVEMBER, color: 'yellow' }).total).toBe(0);
    expect(rm.withdrawnCards({ ...NOVEMBER, departmentId: 'd1' }).total).toBe(1);
    expect(rm.withdrawnCards({ ...NOVEMBER, centerId: 'c2' }).total).toBe(0);
  });

  it('a complaint received back-dated and accepted in one write withdrew nothing', async () => {
    const rig = await rigAt(LATE);
    await appendComplaint(rig, RECEIVED, ACCEPTED_IN_TIME);
    expect(rig.projections.readModels.withdrawnCards(NOVEMBER).total).toBe(0);
  });

  it('a calendar correction that moves the decision deadline withdraws the card and says where it starts now', async () => {
    const rig = await rigAt('2026-11-16T10:00:00+08:00');
    await appendComplaint(rig, RECEIVED);
    rig.scheduler.advanceTo(parseInstant('2026-11-20T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');

    const rows = rig.projections.readModels.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.complaintId, c.rule, c.startedAt, c.nowStartedAt])).toEqual([
      ['Q-1', 'complaint-undecided', '2026-11-20T00:00:00.000+08:00', undefined],
    ]);
    expect(rows[0]!.withdrawnBy).toEqual({
      calendarVersion: rig.calendarService.current().version,
      previousCalendarVersion: createCalendarService(ZONE).current().version,
    });
    // Later, the card the record now holds starts a day on: the row says where.
    rig.scheduler.advanceTo(LATE);
    expect(rig.projections.readModels.withdrawnCards(NOVEMBER).items[0]!.nowStartedAt).toBe(
      '2026-11-21T00:00:00.000+08:00',
    );
  });

  it('a rebuild and a restart from the snapshot give the same register of complaint cards as the live run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'withdrawn-'));
    dirs.push(dir);
    const checkpointFile = join(dir, 'snap.ndjson');
    const live = await rigAt('2026-11-16T09:00:00+08:00', { checkpointFile });
    await live.append(ACCEPTED);
    await appendComplaint(live, RECEIVED);
    live.scheduler.advanceTo(LATE);
    await live.append(COMPLETED);
    await appendComplaint(live, ACCEPTED_IN_TIME);
    const expected = live.projections.readModels.withdrawnCards(NOVEMBER);
    // The warning's changed clearing first (11-19), then one start: by id.
    expect(expected.items.map((c) => c.caseId ?? c.complaintId)).toEqual(['W-1', 'Q-1', 'W-1']);
    // The gauge supervision_cards_withdrawn counts them by rule, colour and center.
    expect(live.projections.readModels.withdrawnCardCounts()).toEqual([
      { rule: 'overdue', color: 'red', center: 'c1', count: 1 },
      { rule: 'complaint-undecided', color: 'red', center: 'c1', count: 1 },
    ]);
    await live.projections.stop(); // writes the snapshot

    const rebuilt = await rigAt(LATE, { store: live.store });
    expect(rebuilt.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(expected);
    const restarted = await rigAt(LATE, { store: live.store, checkpointFile });
    expect(restarted.projections.info().eventsFolded).toBe(0);
    expect(restarted.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(expected);
  });
});

/**
 * The file a crash right after the snapshot taken at `position` leaves: with snapshotEveryEvents 1
 * the runner snapshots after a write's first event, and skips the second (a write in progress).
 */
async function snapshotTakenAt(file: string, position: bigint): Promise<Buffer> {
  for (let tries = 0; tries < 500; tries++) {
    const header = await readSnapshotHeader(file).catch(() => undefined);
    if (header?.checkpoint === position.toString()) return readFileSync(file);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no snapshot at position ${position}`);
}

/** Stop `live` (its final snapshot overwritten by `crashed`), then start on its store from `crashed`. */
async function restartFrom(live: Rig, file: string, crashed: Buffer): Promise<Rig> {
  await live.projections.stop();
  writeFileSync(file, crashed);
  return rigAt(LATE, { store: live.store, checkpointFile: file });
}

describe('withdrawn cards: a snapshot taken between two events of one write', () => {
  const event = (b: Record<string, unknown> & { type: string }) => ({ eventId: randomUUID(), type: b.type, data: b });

  it("a restart from it finds what the live run found: a card the write's later event put back is not withdrawn", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'withdrawn-mid-'));
    dirs.push(dir);
    const checkpointFile = join(dir, 'snap.ndjson');
    // A 1-day case accepted Friday 11-13, red from 11-17; paused and resumed over the weekend
    // before, both recorded in one write on 11-23: the deadline does not move, nothing is withdrawn.
    const accepted = { ...ACCEPTED, caseId: 'P-1', occurredAt: '2026-11-13T09:00:00+08:00', promisedDays: 1 };
    const live = await rigAt(accepted.occurredAt, { checkpointFile, snapshotEveryEvents: 1 });
    await live.append(accepted);
    await live.projections.saveSnapshot(); // no snapshot write in progress when the append arrives
    live.scheduler.advanceTo(LATE);
    const base = { caseId: 'P-1', pauseId: 'p1' };
    const write = await live.store.append(caseStreamId('P-1'), [
      event({ type: 'CasePaused', ...base, occurredAt: '2026-11-14T10:00:00+08:00', reason: 'testing' }),
      event({ type: 'CaseResumed', ...base, occurredAt: '2026-11-15T10:00:00+08:00' }),
    ]);
    expect(await live.projections.readModels.waitForPosition(write.position, 2_000)).toBe(true);
    const crashed = await snapshotTakenAt(checkpointFile, write.position - 1n);
    const expected = live.projections.readModels.withdrawnCards(NOVEMBER);
    expect(expected.total).toBe(0);

    const restarted = await restartFrom(live, checkpointFile, crashed);
    expect(restarted.projections.info().eventsFolded).toBe(1); // the resume, after the snapshot
    expect(restarted.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(expected);
  });

  it("a restart from it names every event of the write that withdrew a complaint's card", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'withdrawn-mid-'));
    dirs.push(dir);
    const checkpointFile = join(dir, 'snap.ndjson');
    const live = await rigAt('2026-11-16T09:00:00+08:00', { checkpointFile, snapshotEveryEvents: 1 });
    await appendComplaint(live, RECEIVED);
    await live.projections.saveSnapshot(); // no snapshot write in progress when the append arrives
    live.scheduler.advanceTo(LATE);
    const assigned = complaint('ComplaintAssigned', '2026-11-19T16:00:00+08:00', { departmentId: 'd2' });
    await appendComplaint(live, ACCEPTED_IN_TIME, assigned);
    const head = await live.store.headPosition();
    const crashed = await snapshotTakenAt(checkpointFile, head - 1n);
    const expected = live.projections.readModels.withdrawnCards(NOVEMBER);
    expect(expected.items.map((c) => c.withdrawnBy)).toEqual([
      {
        events: [
          expect.objectContaining({ type: 'ComplaintAccepted' }),
          expect.objectContaining({ type: 'ComplaintAssigned' }),
        ],
      },
    ]);

    const restarted = await restartFrom(live, checkpointFile, crashed);
    expect(restarted.projections.info().eventsFolded).toBe(1);
    expect(restarted.projections.readModels.withdrawnCards(NOVEMBER)).toEqual(expected);
  });
});

describe('the live counter of withdrawals (supervision_cards_withdrawn_total)', () => {
  it('counts each card once its write is over (the next write is folded); a rebuild of the same store counts none', async () => {
    const { calls, sink } = withdrawalCounter();
    const live = await rigAt('2026-11-16T09:00:00+08:00', { metrics: sink });
    await live.append(ACCEPTED);
    await appendComplaint(live, RECEIVED);
    live.scheduler.advanceTo(LATE);
    await live.append(COMPLETED);
    // Read while the completion's write is the last one: listed, not yet counted (a later event of
    // the same write could still put the card back).
    expect(live.projections.readModels.withdrawnCards(NOVEMBER).total).toBe(2); // with the warning's changed clearing
    expect(calls).toEqual([]);
    live.scheduler.advanceTo(LATE + 1_000);
    await appendComplaint(live, ACCEPTED_IN_TIME); // another write: the case's is over
    expect(calls).toEqual([['overdue', 'red', 'c1']]);
    live.scheduler.advanceTo(LATE + 2_000);
    await live.append({ ...ACCEPTED, caseId: 'W-2', occurredAt: '2026-11-23T10:00:00+08:00' });
    expect(calls).toEqual([
      ['overdue', 'red', 'c1'],
      ['complaint-undecided', 'red', 'c1'],
    ]);

    const rebuiltCalls = calls.length;
    const rebuilt = await rigAt(LATE, { store: live.store, metrics: sink });
    expect(rebuilt.projections.readModels.withdrawnCards(NOVEMBER).total).toBe(3);
    rebuilt.scheduler.advanceTo(LATE + 3_000);
    await rebuilt.append({ ...ACCEPTED, caseId: 'W-3', occurredAt: '2026-11-23T10:00:00+08:00' });
    expect(calls.length).toBe(rebuiltCalls);
  });
});

// A 5-day case accepted Monday 2025-09-01 09:00 warns from 09-05 00:00 and is red from 09-09 00:00,
// which clears the warning. A 停止计时 of 09-05 10:00–09-08 10:00 recorded on 09-09 11:00 moves the
// deadline: the red card vanishes, and the warning the board showed cleared at 09-09 00:00 is not.
const Y1: Body = { ...ACCEPTED, caseId: 'Y-1', occurredAt: '2025-09-01T09:00:00+08:00', promisedDays: 5 };
const SEPTEMBER = { from: '2025-09-01', to: '2025-10-01', limit: 50 };
const BACKDATED_PAUSE_AT = parseInstant('2025-09-09T11:00:00+08:00');

async function backdatedPause(rig: Rig): Promise<void> {
  const data = (b: Body) => ({ eventId: randomUUID(), type: b.type, data: b });
  const base = { caseId: 'Y-1', pauseId: 'p1' };
  const r = await rig.store.append(caseStreamId('Y-1'), [
    data({ type: 'CasePaused', ...base, occurredAt: '2025-09-05T10:00:00+08:00', reason: 'testing' }),
    data({ type: 'CaseResumed', ...base, occurredAt: '2025-09-08T10:00:00+08:00' }),
  ]);
  expect(await rig.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
}

describe("withdrawn cards: a yellow card's clearing the board showed, moved or erased by a later write", () => {
  it('is kept in the register as a changed clearing, not counted as a withdrawn card', async () => {
    const rig = await rigAt(Y1.occurredAt);
    await rig.append(Y1);
    rig.scheduler.advanceTo(parseInstant('2025-09-09T10:00:00+08:00'));
    const rm = rig.projections.readModels;
    expect(rm.cardRegister(SEPTEMBER).items.map((c) => [c.rule, c.clearedAt])).toEqual([
      ['deadline-warning', '2025-09-09T00:00:00.000+08:00'],
      ['overdue', undefined],
    ]);
    rig.scheduler.advanceTo(BACKDATED_PAUSE_AT);
    await backdatedPause(rig);
    rig.scheduler.advanceTo(parseInstant('2025-09-09T12:00:00+08:00'));
    const warning = rm.cardRegister(SEPTEMBER).items.find((c) => c.rule === 'deadline-warning');
    expect(warning?.clearedAt).toBeUndefined(); // the record now: not cleared

    const rows = rm.withdrawnCards(SEPTEMBER).items;
    const changed = rows.find((c) => c.rule === 'deadline-warning');
    expect(changed).toMatchObject({
      caseId: 'Y-1',
      startedAt: '2025-09-05T00:00:00.000+08:00',
      clearedAt: '2025-09-09T00:00:00.000+08:00',
      clearingChanged: true,
      withdrawnAt: '2025-09-09T11:00:00.000+08:00',
      withdrawnBy: {
        events: [expect.objectContaining({ type: 'CasePaused' }), expect.objectContaining({ type: 'CaseResumed' })],
      },
      nowStartedAt: '2025-09-05T00:00:00.000+08:00',
    });
    expect(changed?.nowClearedAt).toBeUndefined();
    expect(rows.find((c) => c.rule === 'overdue')?.clearingChanged).toBeUndefined();
    expect(rm.withdrawnCardsOf('Y-1').map((c) => [c.rule, c.clearingChanged])).toEqual([
      ['overdue', undefined],
      ['deadline-warning', true],
    ]);
    // Later the record clears it again, at the moved red card's start: the row says where.
    rig.scheduler.advanceTo(parseInstant('2025-09-20T12:00:00+08:00'));
    const later = rm.withdrawnCards(SEPTEMBER).items.find((c) => c.rule === 'deadline-warning');
    expect(later?.nowClearedAt).toBe(rm.cardRegister(SEPTEMBER).items.find((c) => c.rule === 'overdue')?.startedAt);
    // The report counts the red card withdrawn, and the changed clearing apart; the gauge only the red card.
    const report = rm.monthlyReport('2025-09');
    expect(report.cards.withdrawn).toEqual({ total: 1, yellow: 0, red: 1, clearingsChanged: 1 });
    expect(rm.monthlyReportCsv('2025-09')).toContain('黄牌消除时间被更正（牌仍在册，不计入撤销）,,1');
    expect(rm.withdrawnCardCounts()).toEqual([{ rule: 'overdue', color: 'red', center: 'c1', count: 1 }]);
  });

  it('a clearing still ahead at the write was never shown: nothing recorded', async () => {
    // The same write recorded on 09-08 11:00, before the red card (and the clearing) of 09-09.
    const rig = await rigAt(Y1.occurredAt);
    await rig.append(Y1);
    rig.scheduler.advanceTo(parseInstant('2025-09-08T11:00:00+08:00'));
    await backdatedPause(rig);
    expect(rig.projections.readModels.withdrawnCards(SEPTEMBER).items).toEqual([]);
  });
});

describe('withdrawn cards: a card withdrawn and later put back as it was', () => {
  it('is marked reinstated (when, by what) and no longer counted as withdrawn', async () => {
    // The 3-day case warns from 11-19 00:00; at 11-19 10:00 a correction makes 11-18 a holiday
    // (the warning moves to 11-20: withdrawn); at 12:00 the next restores the days (put back).
    const rig = await rigAt('2026-11-16T09:00:00+08:00');
    await rig.append(ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-19T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');
    const withHoliday = rig.calendarService.current().version;
    const rm = rig.projections.readModels;
    expect(rm.withdrawnCards(NOVEMBER).items.map((c) => [c.rule, c.startedAt, c.reinstatedAt])).toEqual([
      ['deadline-warning', '2026-11-19T00:00:00.000+08:00', undefined],
    ]);
    expect(rm.monthlyReport('2026-11').cards.withdrawn.total).toBe(1);
    rig.scheduler.advanceTo(parseInstant('2026-11-19T12:00:00+08:00'));
    await correctWithHoliday(rig, undefined);

    expect(rm.cardRegister(NOVEMBER).items.map((c) => [c.rule, c.startedAt])).toEqual([
      ['deadline-warning', '2026-11-19T00:00:00.000+08:00'],
    ]);
    const rows = rm.withdrawnCards(NOVEMBER).items;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      rule: 'deadline-warning',
      startedAt: '2026-11-19T00:00:00.000+08:00',
      withdrawnAt: '2026-11-19T10:00:00.000+08:00',
      reinstatedAt: '2026-11-19T12:00:00.000+08:00',
      reinstatedBy: { calendarVersion: rig.calendarService.current().version, previousCalendarVersion: withHoliday },
    });
    const report = rm.monthlyReport('2026-11');
    expect(report.cards.withdrawn).toEqual({ total: 0, yellow: 0, red: 0, reinstated: 1 });
    expect(rm.monthlyReportCsv('2026-11')).not.toContain('亮出后撤销');
    expect(rm.withdrawnCardCounts()).toEqual([]);
    // As known at 11:00 it was withdrawn, not yet put back.
    const known = {
      at: parseInstant('2026-11-19T11:00:00+08:00'),
      read: () => ({ state: rm.getCaseState('W-1')!, evaluation: undefined }),
    };
    expect(rm.withdrawnCardsOf('W-1', known)[0]?.reinstatedAt).toBeUndefined();
    expect(rm.withdrawnCardsOf('W-1')[0]?.reinstatedAt).toBe('2026-11-19T12:00:00.000+08:00');
  });

  it('withdrawn again after it was put back: a second row, the first still says it was put back', async () => {
    const rig = await rigAt('2026-11-16T09:00:00+08:00');
    await rig.append(ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-19T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');
    rig.scheduler.advanceTo(parseInstant('2026-11-19T12:00:00+08:00'));
    await correctWithHoliday(rig, undefined);
    rig.scheduler.advanceTo(parseInstant('2026-11-19T14:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');
    const rows = rig.projections.readModels.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.withdrawnAt, c.reinstatedAt])).toEqual([
      ['2026-11-19T10:00:00.000+08:00', '2026-11-19T12:00:00.000+08:00'],
      ['2026-11-19T14:00:00.000+08:00', undefined],
    ]);
    expect(rig.projections.readModels.monthlyReport('2026-11').cards.withdrawn).toEqual({
      total: 1,
      yellow: 1,
      red: 0,
      reinstated: 1,
    });
  });

  it('a rebuild and a restart from the snapshot give the same register: changed clearings and reinstated cards', async () => {
    const { live, checkpointFile } = await rigWithSnapshot(Y1.occurredAt);
    await live.append(Y1);
    live.scheduler.advanceTo(BACKDATED_PAUSE_AT);
    await backdatedPause(live);
    live.scheduler.advanceTo(parseInstant('2026-11-16T09:00:00+08:00'));
    await live.append(ACCEPTED);
    live.scheduler.advanceTo(parseInstant('2026-11-19T10:00:00+08:00'));
    await correctWithHoliday(live, '2026-11-18');
    live.scheduler.advanceTo(parseInstant('2026-11-19T12:00:00+08:00'));
    await correctWithHoliday(live, undefined);
    const register = (r: Rig) => [SEPTEMBER, NOVEMBER].map((q) => r.projections.readModels.withdrawnCards(q));
    const expected = register(live);
    expect(expected.map((p) => p.items.map((c) => [c.rule, c.clearingChanged, c.reinstatedAt]))).toEqual([
      [
        ['deadline-warning', true, undefined],
        ['overdue', undefined, undefined],
      ],
      [['deadline-warning', undefined, '2026-11-19T12:00:00.000+08:00']],
    ]);
    await expectRebuildAndRestartGive(live, checkpointFile, register, expected);
  });
});

// A complaint received and accepted Monday 2026-11-02 is to be answered by the end of Monday 11-23
// (15 working days): its answer warning starts Wednesday 11-18 00:00 (day 12), its red card 11-24
// 00:00, which the board shows clearing the warning. An answer of Thursday 11-19 16:00 recorded on
// 11-25 10:00 withdraws the red card and moves the warning's shown clearing to 11-19 16:00.
const Q_RECEIVED = complaint('ComplaintReceived', '2026-11-02T10:00:00+08:00', {
  channel: 'hotline',
  centerId: 'c1',
  departmentId: 'd1',
  subject: '窗口推诿',
});
const Q_ACCEPTED = complaint('ComplaintAccepted', '2026-11-02T11:00:00+08:00');
const Q_ANSWERED = complaint('ComplaintAnswered', '2026-11-19T16:00:00+08:00', { finding: 'partly' });
const Q_ANSWER_RECORDED = parseInstant('2026-11-25T10:00:00+08:00');

describe("withdrawn complaint cards: the answer warning's clearing the board showed, moved by a later write", () => {
  it('is kept in the register as a changed clearing, beside the red card withdrawn, and not counted as withdrawn', async () => {
    const { calls, sink } = withdrawalCounter();
    const rig = await rigAt('2026-11-02T10:00:00+08:00', { metrics: sink });
    await appendComplaint(rig, Q_RECEIVED, Q_ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-24T10:00:00+08:00'));
    const rm = rig.projections.readModels;
    expect(rm.cardRegister(NOVEMBER).items.map((c) => [c.rule, c.clearedAt])).toEqual([
      ['complaint-answer-warning', '2026-11-24T00:00:00.000+08:00'],
      ['complaint-overdue', undefined],
    ]);
    rig.scheduler.advanceTo(Q_ANSWER_RECORDED);
    await appendComplaint(rig, Q_ANSWERED);
    expect(rm.cardRegister(NOVEMBER).items.map((c) => [c.rule, c.clearedAt])).toEqual([
      ['complaint-answer-warning', '2026-11-19T16:00:00.000+08:00'],
      ['complaint-late-record', undefined], // the answer recorded 6 days late (session 21)
    ]);

    const rows = rm.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.rule, c.clearedAt, c.clearingChanged, c.nowStartedAt, c.nowClearedAt])).toEqual([
      [
        'complaint-answer-warning',
        '2026-11-24T00:00:00.000+08:00',
        true,
        '2026-11-18T00:00:00.000+08:00',
        '2026-11-19T16:00:00.000+08:00',
      ],
      ['complaint-overdue', undefined, undefined, undefined, undefined],
    ]);
    expect(rows[0]).toMatchObject({
      complaintId: 'Q-1',
      startedAt: '2026-11-18T00:00:00.000+08:00',
      withdrawnAt: '2026-11-25T10:00:00.000+08:00',
      withdrawnBy: { events: [expect.objectContaining({ type: 'ComplaintAnswered', revision: 2 })] },
      centerId: 'c1',
    });
    expect(rm.withdrawnComplaintCardsOf('Q-1').map((c) => [c.rule, c.clearingChanged])).toEqual([
      ['complaint-overdue', undefined],
      ['complaint-answer-warning', true],
    ]);
    // The report counts the red card withdrawn and the changed clearing apart; the gauge only the red card.
    expect(rm.monthlyReport('2026-11').cards.withdrawn).toEqual({ total: 1, yellow: 0, red: 1, clearingsChanged: 1 });
    expect(rm.monthlyReportCsv('2026-11')).toContain('黄牌消除时间被更正（牌仍在册，不计入撤销）,,1');
    expect(rm.withdrawnCardCounts()).toEqual([{ rule: 'complaint-overdue', color: 'red', center: 'c1', count: 1 }]);
    // The live counter, once the write is over: the red card only.
    rig.scheduler.advanceTo(Q_ANSWER_RECORDED + 1_000);
    await rig.append({ ...ACCEPTED, caseId: 'W-9', occurredAt: '2026-11-25T10:00:00+08:00' });
    expect(calls).toEqual([['complaint-overdue', 'red', 'c1']]);
  });

  it('an answer recorded before the red card began: the clearing was still ahead, nothing recorded', async () => {
    const rig = await rigAt('2026-11-02T10:00:00+08:00');
    await appendComplaint(rig, Q_RECEIVED, Q_ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-23T10:00:00+08:00'));
    await appendComplaint(rig, Q_ANSWERED);
    expect(rig.projections.readModels.withdrawnCards(NOVEMBER).items).toEqual([]);
  });

  it("a calendar correction that moves the due day but not the warning's: the warning's shown clearing changed, the red card withdrawn", async () => {
    const rig = await rigAt('2026-11-02T10:00:00+08:00');
    await appendComplaint(rig, Q_RECEIVED, Q_ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-24T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-20'); // after the warning day: due at the end of 11-24
    const rows = rig.projections.readModels.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.rule, c.clearedAt, c.clearingChanged, c.nowClearedAt])).toEqual([
      ['complaint-answer-warning', '2026-11-24T00:00:00.000+08:00', true, undefined],
      ['complaint-overdue', undefined, undefined, undefined],
    ]);
    expect(rows[0]!.withdrawnBy).toEqual({
      calendarVersion: rig.calendarService.current().version,
      previousCalendarVersion: createCalendarService(ZONE).current().version,
    });
    // Later the record clears it at the moved red card's start: the row says where.
    rig.scheduler.advanceTo(parseInstant('2026-11-26T10:00:00+08:00'));
    expect(rig.projections.readModels.withdrawnCards(NOVEMBER).items[0]!.nowClearedAt).toBe(
      '2026-11-25T00:00:00.000+08:00',
    );
  });
});

describe('withdrawn complaint cards: withdrawn and later put back as it was', () => {
  it('is marked reinstated (when, by what) and no longer counted as withdrawn; as known in between, withdrawn', async () => {
    // The complaint of 11-16 is undecided from 11-20 00:00; at 11-20 10:00 a correction makes 11-18 a
    // holiday (the card moves to 11-21: withdrawn); at 12:00 the next restores the days (put back).
    const rig = await rigAt('2026-11-16T10:00:00+08:00');
    await appendComplaint(rig, RECEIVED);
    rig.scheduler.advanceTo(parseInstant('2026-11-20T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');
    const withHoliday = rig.calendarService.current().version;
    const rm = rig.projections.readModels;
    expect(rm.monthlyReport('2026-11').cards.withdrawn.total).toBe(1);
    rig.scheduler.advanceTo(parseInstant('2026-11-20T12:00:00+08:00'));
    await correctWithHoliday(rig, undefined);

    const rows = rm.withdrawnCards(NOVEMBER).items;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      complaintId: 'Q-1',
      rule: 'complaint-undecided',
      startedAt: '2026-11-20T00:00:00.000+08:00',
      withdrawnAt: '2026-11-20T10:00:00.000+08:00',
      reinstatedAt: '2026-11-20T12:00:00.000+08:00',
      reinstatedBy: { calendarVersion: rig.calendarService.current().version, previousCalendarVersion: withHoliday },
    });
    expect(rm.monthlyReport('2026-11').cards.withdrawn).toEqual({ total: 0, yellow: 0, red: 0, reinstated: 1 });
    expect(rm.monthlyReportCsv('2026-11')).not.toContain('亮出后撤销');
    expect(rm.withdrawnCardCounts()).toEqual([]);
    // As known at 11:00 it was withdrawn, not yet put back.
    const known = { at: parseInstant('2026-11-20T11:00:00+08:00'), read: () => null };
    expect(rm.withdrawnComplaintCardsOf('Q-1', known)[0]?.reinstatedAt).toBeUndefined();
    expect(rm.withdrawnComplaintCardsOf('Q-1')[0]?.reinstatedAt).toBe('2026-11-20T12:00:00.000+08:00');

    // Withdrawn again: a second row, the first still says it was put back.
    rig.scheduler.advanceTo(parseInstant('2026-11-20T14:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-18');
    expect(rm.withdrawnCards(NOVEMBER).items.map((c) => [c.withdrawnAt, c.reinstatedAt])).toEqual([
      ['2026-11-20T10:00:00.000+08:00', '2026-11-20T12:00:00.000+08:00'],
      ['2026-11-20T14:00:00.000+08:00', undefined],
    ]);
  });

  it('a changed clearing of the answer warning put back by the next correction', async () => {
    const rig = await rigAt('2026-11-02T10:00:00+08:00');
    await appendComplaint(rig, Q_RECEIVED, Q_ACCEPTED);
    rig.scheduler.advanceTo(parseInstant('2026-11-24T10:00:00+08:00'));
    await correctWithHoliday(rig, '2026-11-20');
    rig.scheduler.advanceTo(parseInstant('2026-11-24T12:00:00+08:00'));
    await correctWithHoliday(rig, undefined);
    const rows = rig.projections.readModels.withdrawnCards(NOVEMBER).items;
    expect(rows.map((c) => [c.rule, c.clearingChanged, c.reinstatedAt])).toEqual([
      ['complaint-answer-warning', true, '2026-11-24T12:00:00.000+08:00'],
      ['complaint-overdue', undefined, '2026-11-24T12:00:00.000+08:00'],
    ]);
    expect(rig.projections.readModels.monthlyReport('2026-11').cards.withdrawn).toEqual({
      total: 0,
      yellow: 0,
      red: 0,
      reinstated: 2,
    });
  });

  it('a rebuild and a restart from the snapshot give the same register: complaint changed clearings and reinstated cards', async () => {
    const { live, checkpointFile } = await rigWithSnapshot('2026-11-02T10:00:00+08:00');
    await appendComplaint(live, Q_RECEIVED, Q_ACCEPTED);
    live.scheduler.advanceTo(parseInstant('2026-11-24T10:00:00+08:00'));
    await correctWithHoliday(live, '2026-11-20');
    live.scheduler.advanceTo(parseInstant('2026-11-24T12:00:00+08:00'));
    await correctWithHoliday(live, undefined);
    live.scheduler.advanceTo(Q_ANSWER_RECORDED);
    await appendComplaint(live, Q_ANSWERED);
    const expected = live.projections.readModels.withdrawnCards(NOVEMBER);
    expect(expected.items.map((c) => [c.rule, c.withdrawnAt, c.clearingChanged, c.reinstatedAt])).toEqual([
      ['complaint-answer-warning', '2026-11-24T10:00:00.000+08:00', true, '2026-11-24T12:00:00.000+08:00'],
      ['complaint-answer-warning', '2026-11-25T10:00:00.000+08:00', true, undefined],
      ['complaint-overdue', '2026-11-24T10:00:00.000+08:00', undefined, '2026-11-24T12:00:00.000+08:00'],
      ['complaint-overdue', '2026-11-25T10:00:00.000+08:00', undefined, undefined],
    ]);
    const register = (r: Rig) => r.projections.readModels.withdrawnCards(NOVEMBER);
    await expectRebuildAndRestartGive(live, checkpointFile, register, expected);
  });
});
