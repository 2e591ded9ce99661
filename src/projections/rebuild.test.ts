import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { complaintStreamId } from '../domain/complaints/streams.js';
import fc from 'fast-check';
import { createCalendarService, formatInstant, parseInstant } from '../domain/index.js';
import { calendarEventData, CALENDAR_STREAM_ID, decodeCalendarYearRequest } from './calendarEvents.js';
import { DIRECTORY_STREAM_ID, DirectoryBook, directoryEventData, loadDirectory } from './directoryEvents.js';
import { caseStreamId } from '../domain/streams.js';
import { appendBody, makeRig, ZONE, type Body, type Rig } from './testSupport.js';
import type { ProjectionMetricsSink } from './types.js';
import { writeSnapshot } from './snapshot.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const H = 3_600_000;
const BASE = parseInstant('2025-09-01T09:00:00+08:00');
const REASONS = ['supplement', 'testing', 'expert-review', 'site-survey', 'hearing', 'other'] as const;
const LEVELS = ['reminder', 'supervision', 'referral'] as const;

type Step =
  | { op: 'pause'; gap: number; reason: number; declared: number | null }
  | { op: 'resume'; gap: number }
  | { op: 'escalate'; gap: number; level: number; within: number | null };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('pause' as const),
    gap: fc.integer({ min: 0, max: 240 }),
    reason: fc.nat(REASONS.length - 1),
    declared: fc.option(fc.integer({ min: 1, max: 8 })),
  }),
  fc.record({ op: fc.constant('resume' as const), gap: fc.integer({ min: 0, max: 240 }) }),
  fc.record({
    op: fc.constant('escalate' as const),
    gap: fc.integer({ min: 0, max: 240 }),
    level: fc.nat(LEVELS.length - 1),
    within: fc.option(fc.integer({ min: 0, max: 4 })),
  }),
);

const caseArb = fc.record({
  startHours: fc.integer({ min: 0, max: 24 * 50 }),
  promisedDays: fc.integer({ min: 0, max: 12 }),
  center: fc.constantFrom('c1', 'c2'),
  department: fc.constantFrom('d1', 'd2', 'd3'),
  steps: fc.array(stepArb, { maxLength: 5 }),
  complete: fc.option(fc.integer({ min: 0, max: 24 * 20 })),
  lateRecord: fc.option(fc.integer({ min: 25, max: 60 }), { freq: 4 }),
  // 好差评 after completion: a score, and for a 差评 maybe a follow-up (some after the 15 working days)
  rating: fc.option(
    fc.record({
      gap: fc.integer({ min: 0, max: 24 * 10 }),
      score: fc.integer({ min: 1, max: 5 }),
      followUp: fc.option(fc.integer({ min: 0, max: 24 * 30 })),
    }),
  ),
});

interface Planned {
  body: Body;
  recordAt: number;
  calendar?: { holidays: string[]; workdays: string[] };
  /** A complaint event (SPEC §8), appended to its own stream. */
  complaint?: Record<string, unknown> & { complaintId: string; type: string };
}

/** A complaint: received, decided, maybe answered; the decision or the answer maybe recorded days late. */
const complaintArb = fc.record({
  startHours: fc.integer({ min: 0, max: 24 * 50 }),
  decideAfterH: fc.integer({ min: 0, max: 24 * 8 }),
  reject: fc.boolean(),
  answerAfterH: fc.option(fc.integer({ min: 0, max: 24 * 25 })),
  lateH: fc.option(fc.integer({ min: 1, max: 24 * 6 }), { freq: 2 }),
  lateAnswer: fc.boolean(),
});

/** The complaints' events, recorded as they occur except the one recorded late. */
function planComplaints(complaints: Array<typeof complaintArb extends fc.Arbitrary<infer T> ? T : never>): Planned[] {
  const out: Planned[] = [];
  complaints.forEach((c, i) => {
    const complaintId = `Q-${i}`;
    let last = 0;
    const push = (t: number, type: string, extra: Record<string, unknown>, late: boolean) => {
      last = Math.max(last, t + (late && c.lateH !== null ? c.lateH * H : 0));
      out.push({
        body: undefined as never,
        recordAt: last,
        complaint: { type, complaintId, occurredAt: formatInstant(t, ZONE), ...extra },
      });
    };
    const received = BASE + c.startHours * H;
    push(received, 'ComplaintReceived', { channel: 'online', centerId: 'c1', subject: 's' }, false);
    const decided = received + c.decideAfterH * H;
    if (c.reject) push(decided, 'ComplaintRejected', { reason: 'r' }, !c.lateAnswer);
    else push(decided, 'ComplaintAccepted', {}, !c.lateAnswer);
    if (!c.reject && c.answerAfterH !== null)
      push(decided + c.answerAfterH * H, 'ComplaintAnswered', { finding: 'partly' }, c.lateAnswer);
  });
  return out;
}

/** A valid event history per case (SPEC §2 transitions), occurredAt non-decreasing, some recorded late. */
function plan(
  cases: Array<{
    startHours: number;
    promisedDays: number;
    center: string;
    department: string;
    steps: Step[];
    complete: number | null;
    lateRecord: number | null;
    rating: { gap: number; score: number; followUp: number | null } | null;
  }>,
): Planned[] {
  const out: Planned[] = [];
  cases.forEach((c, i) => {
    const caseId = `P-${i}`;
    let t = BASE + c.startHours * H;
    let lastRecord = 0;
    let eventNo = 0;
    const push = (body: Omit<Body, 'caseId' | 'occurredAt'>) => {
      const delay = c.lateRecord !== null && eventNo === 1 ? c.lateRecord * H : 0; // the 2nd event may be recorded late
      eventNo++;
      const recordAt = Math.max(t + delay, lastRecord);
      lastRecord = recordAt;
      out.push({ body: { ...body, caseId, occurredAt: formatInstant(t, ZONE) } as Body, recordAt });
    };
    push({
      type: 'CaseAccepted',
      centerId: c.center,
      departmentId: c.department,
      matterCode: `M${c.promisedDays}`,
      kind: c.promisedDays === 0 ? 'instant' : 'promised',
      promisedDays: c.promisedDays,
      channel: 'window',
    });
    const open: string[] = [];
    let n = 0;
    for (const s of c.steps) {
      t += s.gap * H;
      if (s.op === 'pause') {
        const pauseId = `p${n++}`;
        open.push(pauseId);
        push({
          type: 'CasePaused',
          pauseId,
          reason: REASONS[s.reason]!,
          ...(s.declared !== null ? { declaredDays: s.declared } : {}),
        });
      } else if (s.op === 'resume') {
        const pauseId = open.shift();
        if (pauseId !== undefined) push({ type: 'CaseResumed', pauseId });
      } else {
        push({
          type: 'CaseEscalated',
          level: LEVELS[s.level]!,
          by: 'office',
          ...(s.within !== null ? { respondWithinDays: s.within } : {}),
        });
      }
    }
    if (c.complete !== null) {
      t += c.complete * H;
      for (const pauseId of open.splice(0)) push({ type: 'CaseResumed', pauseId });
      push({ type: 'CaseCompleted', outcome: 'approved' });
      if (c.rating !== null) {
        t += c.rating.gap * H;
        push({ type: 'CaseRated', score: c.rating.score, channel: 'sms' });
        if (c.rating.score <= 2 && c.rating.followUp !== null) {
          t += c.rating.followUp * H;
          push({ type: 'RatingFollowedUp', note: '已回访' });
        }
      }
    }
  });
  return out.sort((a, b) => a.recordAt - b.recordAt);
}

/** A monthly report without what it says of the register of withdrawn cards (`observe`'s `withWithdrawn` false). */
function withoutWithdrawn(report: ReturnType<Rig['projections']['readModels']['monthlyReport']>): unknown {
  return { ...report, cards: { ...report.cards, withdrawn: null } };
}

/**
 * Everything the read models answer, as plain data. `withWithdrawn`: with the register of withdrawn
 * cards, which only a fold of the writes in their order can find (a replay onto final states cannot).
 */
function observe(rig: Rig, caseIds: string[], withWithdrawn = true): unknown {
  const rm = rig.projections.readModels;
  const sortBy = <T>(xs: T[], k: (x: T) => string) => xs.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
  return {
    states: caseIds.map((id) => rm.getCaseState(id) ?? null),
    alerts: rm.activeAlerts(),
    openCounts: sortBy(rm.openCaseCounts(), (c) => `${c.center}/${c.status}`),
    alertCounts: sortBy(rm.alertCounts(), (c) => `${c.rule}/${c.color}/${c.center}`),
    stats: [
      rm.stats({ from: '2025-09-01', to: '2025-10-01', groupBy: 'department' }),
      rm.stats({ from: '2025-09-15', to: '2025-11-15', centerId: 'c1' }),
      rm.stats({ from: '2025-10-01', to: '2026-01-01', groupBy: 'matter' }),
    ],
    report: withWithdrawn ? rm.monthlyReport('2025-10') : withoutWithdrawn(rm.monthlyReport('2025-10')),
    csv: withWithdrawn
      ? rm.monthlyReportCsv('2025-09')
      : rm
          .monthlyReportCsv('2025-09')
          .split('\r\n')
          .filter((line) => !/^(亮出后撤销|黄牌消除时间被更正|撤销后又恢复)/.test(line))
          .join('\r\n'),
    next: rig.projections.info().nextDueAt ?? null,
    ...(withWithdrawn ? { withdrawn: rm.withdrawnCards({ from: '2025-08-01', to: '2026-03-01', limit: 1000 }) } : {}),
  };
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.projections.stop();
});

describe('incremental projection equals a rebuild from scratch', () => {
  it('for random valid histories, folded live with time passing, then rebuilt at the same instant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArb, { minLength: 1, maxLength: 6 }),
        fc.array(complaintArb, { maxLength: 3 }),
        fc.integer({ min: 0, max: 24 * 40 }),
        fc.option(
          fc.record({ atHours: fc.integer({ min: 0, max: 24 * 60 }), extraHoliday: fc.integer({ min: 0, max: 70 }) }),
          { freq: 2 },
        ),
        async (cases, complaints, tailHours, republish) => {
          const planned = [...plan(cases as never), ...planComplaints(complaints)].sort(
            (a, b) => a.recordAt - b.recordAt,
          );
          if (republish !== null) {
            // An operator corrects 2025 mid-stream: one more holiday in Sept–Nov.
            const base = createCalendarService(ZONE).getYear(2025)!;
            const extra = formatInstant(BASE + republish.extraHoliday * 24 * H, ZONE).slice(0, 10);
            const holidays = [...new Set([...base.holidays, extra])].filter((d) => !base.workdays.includes(d));
            planned.push({
              body: undefined as never,
              recordAt: BASE + republish.atHours * H,
              calendar: { holidays, workdays: [...base.workdays] },
            });
            planned.sort((a, b) => a.recordAt - b.recordAt);
          }
          const live = await makeRig(BASE);
          rigs.push(live);
          for (const p of planned) {
            live.scheduler.advanceTo(Math.max(p.recordAt, live.scheduler.clock()));
            if (p.calendar !== undefined) {
              const decoded = decodeCalendarYearRequest(
                '2025',
                p.calendar,
                new Date(live.scheduler.clock()).toISOString(),
              );
              if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
              const r = await live.store.append(CALENDAR_STREAM_ID, [calendarEventData(decoded.value)]);
              expect(await live.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
            } else if (p.complaint !== undefined) {
              const { type } = p.complaint;
              const r = await live.store.append(complaintStreamId(p.complaint.complaintId), [
                { eventId: randomUUID(), type, data: p.complaint },
              ]);
              expect(await live.projections.readModels.waitForPosition(r.position, 2_000)).toBe(true);
            } else {
              await live.append(p.body);
            }
          }
          const end = live.scheduler.clock() + tailHours * H;
          live.scheduler.advanceTo(end);
          const ids = [
            ...new Set(
              planned.filter((p) => p.calendar === undefined && p.complaint === undefined).map((p) => p.body.caseId),
            ),
          ];

          const rebuilt = await makeRig(end, { store: live.store });
          rigs.push(rebuilt);
          expect(rebuilt.alerts).toEqual([]); // catching up publishes nothing
          expect(rebuilt.calendarService.current().version).toBe(live.calendarService.current().version);
          expect(observe(rebuilt, ids)).toEqual(observe(live, ids));

          // Delivering every event a second time (a snapshot whose checkpoint is behind its states) changes nothing.
          const dir = mkdtempSync(join(tmpdir(), 'proj-twice-'));
          try {
            const file = join(dir, 'snap.ndjson');
            const cal = live.calendarService.current().version;
            await writeSnapshot(
              file,
              {
                checkpoint: '-1',
                storeName: live.store.name,
                storeIdentity: await live.store.identity(),
                storeHead: '-1',
                calendarEvents: [],
                policyVersion: 'x',
                calendarVersion: cal,
              },
              ids.map((id) => live.projections.readModels.getCaseState(id)!),
            );
            const twice = await makeRig(end, { store: live.store, checkpointFile: file });
            rigs.push(twice);
            expect(twice.projections.info().eventsFolded).toBe(planned.length);
            expect(twice.calendarService.current().version).toBe(live.calendarService.current().version);
            expect(observe(twice, ids, false)).toEqual(observe(live, ids, false));
          } finally {
            // Stopped first: the rig restarted from the snapshot may still be writing one into `dir`
            // (rmSync then failed with ENOTEMPTY, on every run, hiding the property's own verdict).
            for (const r of rigs.splice(0)) await r.projections.stop();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/**
 * The record as folded live, against a restart from any snapshot the live run took (one after every
 * event, `snapshotEveryEvents` 1, some between two events of one append) and a rebuild: the same
 * answers and the same register of withdrawn cards. Events of a case recorded at the same instant go
 * in one append; a region's notice, and maybe a directory that moves center c1 into that region
 * part-way through (a move withdraws cards too; the engine reads the directory before the fold).
 */
describe('a restart from any snapshot of the live run, and a rebuild, equal the live run', () => {
  // Every Wednesday of September and October 2025 outside the National Day week.
  const REGIONAL = {
    region: 'r1',
    holidays: ['2025-09-03', '2025-09-10', '2025-09-17', '2025-09-24', '2025-10-15', '2025-10-22', '2025-10-29'],
    workdays: [],
  };
  const directory = (region?: string) => ({
    centers: [
      { centerId: 'c1', name: '一中心', level: 'district' as const, ...(region === undefined ? {} : { region }) },
      { centerId: 'c2', name: '二中心', level: 'district' as const },
    ],
    departments: [],
  });

  /** A rig on `store` with the directory it holds read first, as the engine starts. */
  async function engineLike(at: number, extra: Parameters<typeof makeRig>[1] = {}): Promise<Rig> {
    const book = new DirectoryBook();
    if (extra.store !== undefined) await loadDirectory(extra.store, book);
    const rig = await makeRig(at, { ...extra, directory: book });
    rigs.push(rig);
    return rig;
  }

  it('for random histories with late records, batched appends and a region move', async () => {
    let moved = 0; // runs where the move withdrew cards
    let restoredOpen = 0; // restarts from a snapshot holding an open write
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArb, { minLength: 1, maxLength: 5 }),
        fc.array(complaintArb, { maxLength: 2 }),
        fc.option(fc.integer({ min: 0, max: 24 * 60 }), { freq: 3 }),
        fc.nat(),
        async (cases, complaints, moveAtHours, pick) => {
          const planned: Array<Planned & { directory?: true }> = [
            ...plan(cases as never),
            ...planComplaints(complaints),
          ];
          if (moveAtHours !== null)
            planned.push({ body: undefined as never, recordAt: BASE + moveAtHours * H, directory: true });
          planned.sort((a, b) => a.recordAt - b.recordAt);
          const dir = mkdtempSync(join(tmpdir(), 'restart-law-'));
          try {
            const file = join(dir, 'snap.ndjson');
            const live = await engineLike(BASE, { checkpointFile: file, snapshotEveryEvents: 1 });
            const waitFor = async (position: bigint) =>
              expect(await live.projections.readModels.waitForPosition(position, 2_000)).toBe(true);
            const publishedAt = () => new Date(live.scheduler.clock()).toISOString();
            const notice = decodeCalendarYearRequest('2025', REGIONAL, publishedAt());
            if (!notice.ok) throw new Error(JSON.stringify(notice.errors));
            await waitFor((await live.store.append(CALENDAR_STREAM_ID, [calendarEventData(notice.value)])).position);
            await waitFor(
              (await live.store.append(DIRECTORY_STREAM_ID, [directoryEventData(directory(), publishedAt())])).position,
            );
            const taken = new Map<string, Buffer>();
            for (let i = 0; i < planned.length; ) {
              const p = planned[i]!;
              live.scheduler.advanceTo(Math.max(p.recordAt, live.scheduler.clock()));
              let appended: { position: bigint };
              if (p.directory) {
                appended = await live.store.append(DIRECTORY_STREAM_ID, [
                  directoryEventData(directory('r1'), publishedAt()),
                ]);
                i++;
              } else if (p.complaint !== undefined) {
                const { type } = p.complaint;
                appended = await live.store.append(complaintStreamId(p.complaint.complaintId), [
                  { eventId: randomUUID(), type, data: p.complaint },
                ]);
                i++;
              } else {
                // The case's next events recorded at the same instant: one append.
                const batch = [p.body];
                for (i++; i < planned.length; i++) {
                  const q = planned[i]!;
                  if (q.body?.caseId !== p.body.caseId || q.recordAt !== p.recordAt || q.directory) break;
                  batch.push(q.body);
                }
                appended = await live.store.append(
                  caseStreamId(p.body.caseId),
                  batch.map((b) => ({ eventId: randomUUID(), type: b.type, data: b })),
                );
              }
              await waitFor(appended.position);
              await live.projections.saveSnapshot(); // the one in progress, if any, has ended
              const bytes = readFileSync(file);
              taken.set(bytes.subarray(0, 200).toString('latin1'), bytes);
            }
            const ids = [...new Set(planned.filter((p) => p.body !== undefined).map((p) => p.body.caseId))];
            const end = live.scheduler.clock() + 24 * H;
            live.scheduler.advanceTo(end);
            const expected = observe(live, ids);

            const withdrawn = live.projections.readModels.withdrawnCards({
              from: '2025-08-01',
              to: '2026-03-01',
              limit: 1000,
            });
            if (withdrawn.items.some((c) => 'directoryVersion' in c.withdrawnBy)) moved++;

            const rebuilt = await engineLike(end, { store: live.store });
            expect(observe(rebuilt, ids)).toEqual(expected);

            const snapshots = [...taken.values()];
            const chosen = snapshots[pick % snapshots.length]!;
            const header = JSON.parse(chosen.subarray(0, chosen.indexOf(10)).toString('utf8'));
            if ((header.openWrites?.cases ?? null) !== null || (header.openWrites?.complaint ?? null) !== null)
              restoredOpen++;
            writeFileSync(file, chosen);
            const restarted = await engineLike(end, { store: live.store, checkpointFile: file });
            expect(observe(restarted, ids)).toEqual(expected);
          } finally {
            for (const r of rigs.splice(0)) await r.projections.stop();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 30 },
    );
    console.log('MOVED', moved, 'OPEN', restoredOpen);
    expect(moved).toBeGreaterThan(0);
    expect(restoredOpen).toBeGreaterThan(0);
  });
});

/**
 * Two appends recorded in one millisecond are two writes (session 26): a store's clock may give
 * two appends, even to one case, the same recordedAt under load. Each planned event is its own
 * append; events planned at one instant are recorded in one millisecond (a frozen clock), against
 * the same appends a millisecond apart: the same register of withdrawn cards (but for the instants
 * of the writes) and the same live counter of withdrawals. A rebuild of the frozen-clock store
 * gives the live register.
 */
describe('appends sharing a millisecond are separate writes, live and rebuilt', () => {
  /** A register row without the instants of the writes (a millisecond apart in one run). */
  const rowShape = (c: ReturnType<Rig['projections']['readModels']['withdrawnCards']>['items'][number]) => ({
    ...c,
    withdrawnAt: null,
    reinstatedAt: c.reinstatedAt === undefined ? null : 'reinstated',
    withdrawnBy: 'events' in c.withdrawnBy ? c.withdrawnBy.events.map((e) => e.type) : c.withdrawnBy,
    reinstatedBy: undefined,
    nowStartedAt: undefined,
    nowClearedAt: undefined,
  });

  it('for random histories with late records, a frozen clock against one that ticks between appends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseArb, { minLength: 1, maxLength: 4 }),
        fc.array(complaintArb, { maxLength: 2 }),
        async (cases, complaints) => {
          const planned = [...plan(cases as never), ...planComplaints(complaints)].sort(
            (a, b) => a.recordAt - b.recordAt,
          );
          const run = async (tick: boolean) => {
            const withdrawn: unknown[][] = [];
            const metrics = new Proxy({} as ProjectionMetricsSink, {
              get:
                (_t, name) =>
                (...a: unknown[]) => {
                  if (name === 'cardWithdrawn') withdrawn.push(a);
                },
            });
            const rig = await makeRig(BASE, { metrics });
            rigs.push(rig);
            for (const p of planned) {
              const now = rig.scheduler.clock();
              rig.scheduler.advanceTo(tick && p.recordAt <= now ? now + 1 : Math.max(p.recordAt, now));
              const r =
                p.complaint === undefined
                  ? await appendBody(rig.store, p.body)
                  : (
                      await rig.store.append(complaintStreamId(p.complaint.complaintId), [
                        { eventId: randomUUID(), type: p.complaint.type, data: p.complaint },
                      ])
                    ).position;
              expect(await rig.projections.readModels.waitForPosition(r, 2_000)).toBe(true);
            }
            // One more write, an hour later: the last one is over (counted).
            rig.scheduler.advanceTo(rig.scheduler.clock() + H);
            await rig.append({ ...CLOSING, occurredAt: formatInstant(rig.scheduler.clock(), ZONE) });
            const register = rig.projections.readModels.withdrawnCards(EVERY_MONTH);
            return { rig, register, withdrawn };
          };
          const frozen = await run(false);
          const ticking = await run(true);
          expect(frozen.register.items.map(rowShape)).toEqual(ticking.register.items.map(rowShape));
          expect(frozen.withdrawn).toEqual(ticking.withdrawn);

          const rebuilt = await makeRig(frozen.rig.scheduler.clock(), { store: frozen.rig.store });
          rigs.push(rebuilt);
          expect(rebuilt.projections.readModels.withdrawnCards(EVERY_MONTH)).toEqual(frozen.register);
          for (const r of rigs.splice(0)) await r.projections.stop();
        },
      ),
      { numRuns: 40 },
    );
  });
});

const EVERY_MONTH = { from: '2025-08-01', to: '2026-03-01', limit: 1000 };
const CLOSING: Body = {
  type: 'CaseAccepted',
  caseId: 'CLOSING',
  occurredAt: '',
  centerId: 'c2',
  departmentId: 'd1',
  matterCode: 'M1',
  kind: 'instant',
  promisedDays: 0,
  channel: 'window',
};
