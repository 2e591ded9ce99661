/**
 * Completed cases kept as rows of columns (completedCases.ts) answer exactly
 * as the full objects do: a row rebuilds the entry it was made from, and a
 * projection that keeps rows gives the same /stats, /reports/monthly, /cases,
 * /cards, alerts, counters and states as one that keeps every case as objects,
 * for random histories (catch-up, then live with time passing, ratings after
 * completion, late records, a calendar republished mid-stream; rows made during
 * the catch-up, with calendar and policy publications read after completions,
 * and a restart from a snapshot).
 */
import fc from 'fast-check';
import { fraction } from '../domain/testing/fraction.js';
import { describe, expect, it } from 'vitest';
import {
  createCalendarService,
  DEFAULT_POLICY,
  formatInstant,
  parseInstant,
  parseDate,
  type CalendarService,
  type CaseEvent,
  type Policy,
} from '../domain/index.js';
import { listCards } from './cardRegister.js';
import { listCases, type CaseListQuery } from './caseList.js';
import { CaseProjection } from './caseProjection.js';
import { CompletedCases, isCompactable } from './completedCases.js';
import { computeMonthlyReport } from './report.js';
import { PolicyBook } from './policyEvents.js';
import { NO_NAMES } from './rowNames.js';
import { throughBytes } from './rowsThroughBytes.js';
import { createManualScheduler } from './scheduler.js';
import { computeStats } from './stats.js';
import type { AlertEvent, ProjectionMetricsSink } from './types.js';
import { DEFAULT_VERSIONS, liveCaseProjection } from './testSupport.js';

const ZONE = 'Asia/Shanghai';
const H = 3_600_000;
const BASE = parseInstant('2025-09-01T09:00:00+08:00');
const REASONS = ['supplement', 'testing', 'expert-review'] as const;
const LEVELS = ['reminder', 'supervision', 'referral'] as const;
const OUTCOMES = ['approved', 'rejected', 'withdrawn'] as const;
const CHANNELS = ['window', 'online', 'sms', 'kiosk'] as const;

const stepArb = fc.oneof(
  fc.record({ op: fc.constant('pause' as const), gap: fc.integer({ min: 0, max: 200 }), reason: fc.nat(2) }),
  fc.record({ op: fc.constant('resume' as const), gap: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ op: fc.constant('escalate' as const), gap: fc.integer({ min: 0, max: 200 }), level: fc.nat(2) }),
);

const caseArb = fc.record({
  startHours: fc.integer({ min: 0, max: 24 * 40 }),
  promisedDays: fc.integer({ min: 0, max: 10 }),
  center: fc.constantFrom('c1', 'c2'),
  department: fc.constantFrom('d1', 'd2'),
  channel: fc.constantFrom('window', 'online'),
  // Mostly the plain shape a row keeps (no pause, escalation or late record), often not.
  steps: fc.oneof(
    { arbitrary: fc.constant([]), weight: 2 },
    { arbitrary: fc.array(stepArb, { maxLength: 3 }), weight: 1 },
  ),
  complete: fc.option(fc.integer({ min: 0, max: 24 * 20 }), { freq: 5 }),
  outcome: fc.nat(2),
  lateRecord: fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    { arbitrary: fc.integer({ min: 25, max: 60 }), weight: 1 },
  ),
  rating: fc.option(
    fc.record({
      gap: fc.integer({ min: 0, max: 24 * 6 }),
      score: fc.integer({ min: 1, max: 5 }),
      channel: fc.nat(3),
      comment: fc.option(fc.constantFrom('很好', '太慢了', '')),
      followUp: fc.option(fc.integer({ min: 0, max: 24 * 25 })),
    }),
  ),
});

type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

interface Planned {
  readonly caseId: string;
  readonly event: CaseEvent;
  readonly revision: number;
  readonly recordAt: number;
}

/** Valid histories (SPEC §2 transitions) in recording order; the 2nd event of some cases recorded late. */
function plan(cases: readonly CaseSpec[]): Planned[] {
  const out: Planned[] = [];
  cases.forEach((c, i) => {
    const caseId = `Q-${i}`;
    let t = BASE + c.startHours * H;
    let revision = 0;
    let lastRecord = 0;
    const push = (body: Record<string, unknown>) => {
      const delay = c.lateRecord !== null && revision === 1 ? c.lateRecord * H : 0;
      const recordAt = Math.max(t + delay, lastRecord);
      lastRecord = recordAt;
      const event = { ...body, caseId, occurredAt: formatInstant(t, ZONE) } as unknown as CaseEvent;
      out.push({ caseId, event, revision: revision++, recordAt });
    };
    push({
      type: 'CaseAccepted',
      centerId: c.center,
      departmentId: `${c.center}-${c.department}`,
      matterCode: `M${c.promisedDays}`,
      matterName: `事项${c.promisedDays}`,
      kind: c.promisedDays === 0 ? 'instant' : 'promised',
      promisedDays: c.promisedDays,
      channel: c.channel,
    });
    const open: string[] = [];
    let n = 0;
    for (const s of c.steps) {
      t += s.gap * H;
      if (s.op === 'pause') {
        const pauseId = `p${n++}`;
        open.push(pauseId);
        push({ type: 'CasePaused', pauseId, reason: REASONS[s.reason]! });
      } else if (s.op === 'resume') {
        const pauseId = open.shift();
        if (pauseId !== undefined) push({ type: 'CaseResumed', pauseId });
      } else {
        push({ type: 'CaseEscalated', level: LEVELS[s.level]!, by: 'office' });
      }
    }
    if (c.complete === null) return;
    t += c.complete * H;
    for (const pauseId of open.splice(0)) push({ type: 'CaseResumed', pauseId });
    push({ type: 'CaseCompleted', outcome: OUTCOMES[c.outcome]! });
    const r = c.rating;
    if (r === null) return;
    t += r.gap * H;
    push({
      type: 'CaseRated',
      score: r.score,
      channel: CHANNELS[r.channel]!,
      ...(r.comment === null ? {} : { comment: r.comment }),
    });
    if (r.score <= 2 && r.followUp !== null) {
      t += r.followUp * H;
      push({ type: 'RatingFollowedUp', note: '已回访', by: 'office' });
    }
  });
  return out.sort((a, b) => a.recordAt - b.recordAt);
}

interface Run {
  readonly projection: CaseProjection;
  readonly alerts: AlertEvent[];
  readonly counters: unknown[];
  readonly now: number;
  /** Rows made by the catch-up (before `goLive`). */
  readonly rowsAtGoLive: number;
  /** Rows restored at a restart (as they were saved, and made from the states restored). */
  readonly rowsRestored: number;
}

/** What happens besides the case events (all optional: the plain run is catch-up then live). */
interface Scenario {
  /** Events folded while catching up, before `goLive`. */
  readonly catchUp: number;
  /** Hours the clock runs on after the last event. */
  readonly tailHours: number;
  /** A calendar republished live, when the clock reaches this instant. */
  readonly republishAt?: number | null;
  /** Catching up with the clock at the end of the catch-up (as a restart sees it), not at its start. */
  readonly catchUpClockAtEnd?: boolean;
  /** A calendar publication read after this many catch-up events (a holiday added on `day`). */
  readonly calendarInCatchUp?: { readonly after: number; readonly day: string } | null;
  /** Policy publications read after so many catch-up events. */
  readonly policiesInCatchUp?: readonly {
    readonly after: number;
    readonly version: Policy;
    readonly effectiveFrom: string;
    readonly publishedHours: number;
  }[];
  /** Stop after this many catch-up events, and resume a new projection from the states (a snapshot). */
  readonly snapshotAfter?: number | null;
  /** Completed cases that wait before they are made rows in the catch-up (settlingRing.ts); 0 when not given. */
  readonly settling?: number;
}

/** One more holiday in 2025 (a publication that changes the calendar the cases were evaluated with). */
function addHoliday(calendarService: CalendarService, day: string): void {
  const year = calendarService.getYear(2025)!;
  const holidays = [...new Set([...year.holidays, day])];
  calendarService.publishYear(2025, { holidays, workdays: [...year.workdays] });
}

/** Fold `planned` as `scenario` says: catch-up (maybe across a restart), then live with the clock following the events. */
function fold(planned: readonly Planned[], scenario: Scenario, compactCompleted: boolean): Run {
  const { catchUp, tailHours } = scenario;
  const head = planned.slice(0, catchUp);
  const headEnd = Math.max(BASE, ...head.map((p) => p.recordAt));
  const scheduler = createManualScheduler(scenario.catchUpClockAtEnd === true ? headEnd : BASE);
  const calendarService = createCalendarService(ZONE);
  const policies = new PolicyBook(DEFAULT_POLICY);
  const counters: unknown[] = [];
  const count =
    (name: string) =>
    (...a: unknown[]): void => {
      counters.push([name, ...a]);
    };
  // Only the case counters: complaints are not folded here.
  const metrics = {
    caseAccepted: count('accepted'),
    caseCompleted: count('completed'),
    cardIssued: count('card'),
    caseRated: count('rated'),
    cardWithdrawn: count('withdrawn'),
  } as unknown as ProjectionMetricsSink;
  const newProjection = () =>
    new CaseProjection({
      calendarService,
      policy: DEFAULT_POLICY,
      policies,
      scheduler,
      metrics,
      compactCompleted,
      rowsInCatchUpAbove: 0, // rows from the first completed case of the catch-up
      settlingInCatchUp: scenario.settling ?? 0,
    });
  let projection = newProjection();
  const apply = (p: Planned) =>
    projection.applyCaseEvent(p.caseId, p.event, { revision: p.revision, recordedAt: p.recordAt });
  let policyRevision = 0n;
  let rowsRestored = 0;
  head.forEach((p, i) => {
    if (i === scenario.snapshotAfter) {
      // A restart: the snapshot holds the rows (through their bytes, as snapshot.ts writes them) and the
      // states of the other cases (the calendar is restored before them, as checkpoint.ts does).
      const saved = projection.snapshotCases();
      projection.stop();
      projection = newProjection();
      projection.prepareRestore({ ...saved, rows: throughBytes(saved.rows) })(false);
      rowsRestored = projection.compactedCount;
    }
    if (scenario.calendarInCatchUp?.after === i) addHoliday(calendarService, scenario.calendarInCatchUp.day);
    for (const q of scenario.policiesInCatchUp ?? [])
      if (q.after === i)
        policies.add(policyRevision++, {
          policy: q.version,
          effectiveFrom: parseDate(q.effectiveFrom),
          publishedAt: BASE + q.publishedHours * H,
        });
    apply(p);
  });
  const alerts: AlertEvent[] = [];
  projection.onAlert((a) => alerts.push(a));
  scheduler.advanceTo(headEnd);
  const rowsAtGoLive = projection.compactedCount;
  projection.goLive(scheduler.clock());
  let republished = scenario.republishAt === undefined || scenario.republishAt === null;
  for (const p of planned.slice(catchUp)) {
    scheduler.advanceTo(Math.max(p.recordAt, scheduler.clock()));
    if (!republished && scheduler.clock() >= scenario.republishAt!) {
      republished = true;
      // One more holiday in October, published mid-stream: cases whose span touches it are evaluated again.
      addHoliday(calendarService, '2025-10-15');
    }
    apply(p);
  }
  scheduler.advanceTo(scheduler.clock() + tailHours * H);
  return { projection, alerts, counters, now: scheduler.clock(), rowsAtGoLive, rowsRestored };
}

function allPages<R extends { nextCursor?: string | null }>(page: (cursor?: string) => R): R[] {
  const pages = [page()];
  for (let i = 0; i < 50; i++) {
    const cursor = pages[pages.length - 1]!.nextCursor;
    if (cursor === undefined || cursor === null) break;
    pages.push(page(cursor));
  }
  return pages;
}

/** What the read models answer, as plain data. */
function answers(run: Run): unknown {
  const { projection, now } = run;
  const entries = () => projection.caseEntries();
  const sources = () => ({
    entries: projection.caseEntries(),
    evaluate: projection.evaluateCase.bind(projection),
    timing: projection.caseTiming.bind(projection),
    explain: projection.explainCard.bind(projection),
    zone: ZONE,
    now,
    names: NO_NAMES,
  });
  const caseQueries: CaseListQuery[] = [
    { limit: 7 },
    { limit: 5, sort: '-dueAt' },
    { limit: 4, sort: 'overdueDays', status: 'completed' },
    { limit: 6, centerId: 'c1', completedFrom: '2025-09-10', completedTo: '2025-11-01' },
  ];
  return {
    entries: [...projection.caseEntries()],
    states: projection.states(),
    stats: [
      computeStats(
        entries(),
        { from: '2025-09-01', to: '2025-10-01', groupBy: 'department' },
        ZONE,
        now,
        DEFAULT_VERSIONS,
      ),
      computeStats(entries(), { from: '2025-09-15', to: '2025-12-15', centerId: 'c1' }, ZONE, now, DEFAULT_VERSIONS),
      computeStats(entries(), { from: '2025-10-01', to: '2026-01-01', groupBy: 'matter' }, ZONE, now, DEFAULT_VERSIONS),
    ],
    reports: ['2025-09', '2025-10', '2025-11'].map((month) =>
      computeMonthlyReport(entries, month, undefined, ZONE, now, projection.figureVersions()),
    ),
    cases: caseQueries.map((q) =>
      allPages((cursor) => listCases({ ...q, ...(cursor === undefined ? {} : { cursor }) }, sources())),
    ),
    cards: allPages((cursor) =>
      listCards(
        { from: '2025-09-01', to: '2026-01-01', limit: 5, ...(cursor === undefined ? {} : { cursor }) },
        sources(),
      ),
    ),
    alerts: projection.activeAlerts(),
    alertCounts: projection.alertCounts(),
    openCounts: projection.openCaseCounts(),
    nextDueAt: projection.nextDueAt() ?? null,
    alertEvents: run.alerts,
    counters: run.counters,
    cases1: projection.evaluateCase('Q-1', now) ?? null,
  };
}

const historyArb = fc.record({
  cases: fc.array(caseArb, { minLength: 1, maxLength: 8 }),
  catchUpShare: fraction(),
  tailHours: fc.integer({ min: 0, max: 24 * 40 }),
  republishHours: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { freq: 3 }),
});

/** Policy versions a catch-up may read (each changes the warning and follow-up clocks). */
const VERSIONS: readonly Policy[] = [
  { ...DEFAULT_POLICY, version: 'tight', deadlineWarningRatio: 0.5, badRatingFollowUpDays: 2 },
  { ...DEFAULT_POLICY, version: 'loose', deadlineWarningRatio: 0.95, badRatingFollowUpDays: 9 },
];

const catchUpArb = fc.record({
  cases: fc.array(caseArb, { minLength: 2, maxLength: 12 }),
  catchUpShare: fraction({ min: 0.3 }),
  tailHours: fc.integer({ min: 0, max: 24 * 40 }),
  clockAtEnd: fc.boolean(),
  calendar: fc.option(
    fc.record({
      at: fraction({ maxExcluded: true }),
      day: fc.constantFrom('2025-09-03', '2025-09-12', '2025-09-25', '2025-10-15', '2025-11-04'),
    }),
    { freq: 3 },
  ),
  policies: fc.array(
    fc.record({
      at: fraction({ maxExcluded: true }),
      version: fc.nat(1),
      effectiveFrom: fc.constantFrom('2025-01-01', '2025-09-05', '2025-09-20', '2025-10-10'),
      publishedHours: fc.integer({ min: -24 * 30, max: 24 * 50 }),
    }),
    { maxLength: 2 },
  ),
  snapshotAt: fc.option(fraction({ min: 0.3, maxExcluded: true }), { freq: 2 }),
  settling: fc.constantFrom(0, 0, 1, 3),
});

type CatchUpHistory = typeof catchUpArb extends fc.Arbitrary<infer T> ? T : never;

/** Folds one catch-up history with rows and with objects, asserts equal answers, and says what it exercised. */
function checkCatchUp(h: CatchUpHistory) {
  const planned = plan(h.cases);
  const catchUp = Math.ceil(h.catchUpShare * planned.length);
  const at = (share: number | null) => (share === null ? null : Math.floor(share * catchUp));
  const scenario: Scenario = {
    catchUp,
    tailHours: h.tailHours,
    catchUpClockAtEnd: h.clockAtEnd,
    calendarInCatchUp: h.calendar === null ? null : { after: at(h.calendar.at)!, day: h.calendar.day },
    policiesInCatchUp: h.policies.map((q) => ({
      after: at(q.at)!,
      version: VERSIONS[q.version]!,
      effectiveFrom: q.effectiveFrom,
      publishedHours: q.publishedHours,
    })),
    snapshotAfter: at(h.snapshotAt),
    settling: h.settling,
  };
  const rows = fold(planned, scenario, true);
  const objects = fold(planned, scenario, false);
  expect(answers(rows)).toStrictEqual(answers(objects));
  return {
    caughtUpRows: rows.rowsAtGoLive,
    released: rows.projection.rowsTurnedBack,
    restoredRows: rows.rowsRestored,
  };
}

describe('completed cases as rows of columns', () => {
  it('law: a row rebuilds exactly the entry it was made from (same fields, same key order), and releasing it too', () => {
    let compacted = 0;
    fc.assert(
      fc.property(historyArb, ({ cases, catchUpShare, tailHours }) => {
        const planned = plan(cases);
        const run = fold(planned, { catchUp: Math.floor(catchUpShare * planned.length), tailHours }, false);
        const rows = new CompletedCases();
        for (const entry of run.projection.caseEntries()) {
          const row = rows.add(entry);
          expect(row !== undefined).toBe(isCompactable(entry));
          if (row === undefined) continue;
          compacted++;
          const back = rows.entryAt(row, entry.caseId);
          expect(back).toStrictEqual(entry);
          expect(JSON.stringify(back)).toBe(JSON.stringify(entry));
          expect(rows.revisionAt(row)).toBe(entry.state.revision);
        }
        // Release every other row, add the others again: rows are reused, nothing leaks between them.
        const kept = [...run.projection.caseEntries()].filter(isCompactable);
        const numbers = kept.map((e) => rows.add(e)!);
        numbers.forEach((n, i) => {
          if (i % 2 === 0) expect(rows.release(n, kept[i]!.caseId)).toStrictEqual(kept[i]);
        });
        numbers.forEach((n, i) => {
          if (i % 2 === 1) expect(rows.entryAt(n, kept[i]!.caseId)).toStrictEqual(kept[i]);
        });
      }),
      { numRuns: 80 },
    );
    expect(compacted).toBeGreaterThan(50); // the law was exercised, not vacuous
  });

  it('law: a projection keeping rows answers /stats, /reports/monthly, /cases, /cards, alerts and counters exactly as one keeping objects', () => {
    let compacted = 0;
    fc.assert(
      fc.property(historyArb, ({ cases, catchUpShare, tailHours, republishHours }) => {
        const planned = plan(cases);
        const catchUp = Math.floor(catchUpShare * planned.length);
        const republishAt = republishHours === null ? null : BASE + republishHours * H;
        const rows = fold(planned, { catchUp, tailHours, republishAt }, true);
        const objects = fold(planned, { catchUp, tailHours, republishAt }, false);
        expect(objects.projection.compactedCount).toBe(0);
        compacted += rows.projection.compactedCount;
        expect(answers(rows)).toStrictEqual(answers(objects));
      }),
      { numRuns: 80 },
    );
    expect(compacted).toBeGreaterThan(50);
  });

  it('law: rows made during a catch-up (clock at its start or end, calendar and policy publications read after completions, a restart from a snapshot) answer exactly as objects', () => {
    fc.assert(
      fc.property(catchUpArb, (h) => {
        checkCatchUp(h);
      }),
      { numRuns: 100 },
    );
  });

  it('alerts falling due at one instant are published in one order, whether their cases were rows or objects (a history the law found; failed before due cases were taken in order of instant, then id)', () => {
    type Case = CatchUpHistory['cases'][number];
    const at = (startHours: number, promisedDays: number, more: Partial<Case> = {}): Case => ({
      startHours,
      promisedDays,
      center: 'c1',
      department: 'd1',
      channel: 'window',
      steps: [],
      complete: null,
      outcome: 0,
      lateRecord: null,
      rating: null,
      ...more,
    });
    const found: CatchUpHistory = {
      cases: [
        at(903, 3),
        at(687, 5),
        at(838, 9, { complete: 78, rating: { gap: 11, score: 1, channel: 0, comment: null, followUp: null } }),
        at(0, 0, { lateRecord: 25 }),
        at(0, 0),
      ],
      catchUpShare: 0.3,
      tailHours: 96,
      clockAtEnd: false,
      calendar: null,
      policies: [{ at: 0, version: 0, effectiveFrom: '2025-01-01', publishedHours: 0 }],
      snapshotAt: null,
      settling: 0,
    };
    checkCatchUp(found);
  });

  // The law above runs on fresh random histories each time, so how often it reaches a branch varies
  // from run to run (a CI run once saw only 5 turn-backs). Whether the generator reaches every branch
  // is checked here on a fixed sample, so this check cannot flake.
  it('the catch-up law reaches rows made during catch-ups (some after waiting in the settling ring), turn-backs by publications and restored rows (fixed sample)', () => {
    const reached = { caughtUpRows: 0, settledRows: 0, released: 0, restoredRows: 0 };
    for (const h of fc.sample(catchUpArb, { seed: 20261130, numRuns: 60 })) {
      const counts = checkCatchUp(h);
      reached.caughtUpRows += counts.caughtUpRows;
      if (h.settling > 0) reached.settledRows += counts.caughtUpRows;
      reached.released += counts.released;
      reached.restoredRows += counts.restoredRows;
    }
    expect(reached.caughtUpRows).toBeGreaterThan(50); // rows were made during catch-ups, not only live
    expect(reached.settledRows).toBeGreaterThan(10); // ... also by cases leaving the settling ring
    expect(reached.released).toBeGreaterThan(5); // publications turned some of them back
    expect(reached.restoredRows).toBeGreaterThan(10); // states restored from a snapshot became rows
  });

  it('rows stay exact through many releases and additions (the card and pause pools repack)', () => {
    const planned = plan(
      Array.from({ length: 400 }, (_, i) => ({
        startHours: i % 300,
        promisedDays: 1 + (i % 4),
        center: 'c1',
        department: i % 2 === 0 ? 'd1' : 'd2',
        channel: 'window',
        steps: Array.from({ length: i % 3 }, () => [
          { op: 'pause' as const, gap: 5, reason: i % 3 },
          { op: 'resume' as const, gap: 30 },
        ]).flat(),
        complete: 24 * (1 + (i % 12)), // some late: overdue and warning cards
        outcome: 0,
        lateRecord: null,
        rating: i % 4 === 0 ? { gap: 1, score: 4, channel: 1, comment: null, followUp: null } : null,
      })),
    );
    const run = fold(planned, { catchUp: planned.length, tailHours: 24 * 30 }, false);
    const kept = [...run.projection.caseEntries()].filter(isCompactable);
    expect(kept.filter((e) => e.state.pauses.length > 0).length).toBeGreaterThan(100);
    expect(kept.filter((e) => e.cards !== undefined).length).toBeGreaterThan(100);
    const rows = new CompletedCases();
    const live = new Map<number, (typeof kept)[number]>();
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed >>> 8; // the low bits of this generator repeat with a short period
    };
    // Grow to a few thousand rows while releasing a third, then shrink releasing two thirds: the pools
    // repack with many rows holding cards and pauses.
    for (let step = 0; step < 40_000; step++) {
      const releaseShare = step < 20_000 ? 1 : 2;
      if (live.size > 0 && next() % 3 < releaseShare) {
        const at = [...live.keys()][next() % live.size]!;
        expect(rows.release(at, live.get(at)!.caseId)).toStrictEqual(live.get(at));
        live.delete(at);
      } else {
        const entry = kept[next() % kept.length]!;
        live.set(rows.add(entry)!, entry);
      }
    }
    for (const [at, entry] of live) expect(rows.entryAt(at, entry.caseId)).toStrictEqual(entry);
    expect(rows.size).toBe(live.size);
  });

  it('a catch-up holding more objects than rowsInCatchUpAbove makes rows as cases complete; a smaller one after goLive, in slices', () => {
    const planned = plan(
      Array.from({ length: 5000 }, (_, i) => ({
        startHours: i % 500,
        promisedDays: 1 + (i % 5),
        center: i % 2 === 0 ? 'c1' : 'c2',
        department: 'd1',
        channel: 'window',
        steps: [],
        complete: i % 10 === 0 ? null : 20,
        outcome: i % 3,
        lateRecord: null,
        rating: null,
      })),
    );
    const caughtUp = (rowsInCatchUpAbove: number | undefined) => {
      const scheduler = createManualScheduler(BASE + 60 * 24 * H);
      const projection = new CaseProjection({
        calendarService: createCalendarService(ZONE),
        policy: DEFAULT_POLICY,
        scheduler,
        settlingInCatchUp: 0,
        ...(rowsInCatchUpAbove === undefined ? {} : { rowsInCatchUpAbove }),
      });
      for (const p of planned)
        projection.applyCaseEvent(p.caseId, p.event, { revision: p.revision, recordedAt: p.recordAt });
      const beforeLive = projection.compactedCount;
      projection.goLive(scheduler.clock());
      const atLive = projection.compactedCount;
      scheduler.advanceTo(scheduler.clock()); // the slices after goLive run on the scheduler (4,096 cases each)
      return { beforeLive, atLive, after: projection.compactedCount, cases: projection.caseCount };
    };
    // 1,000 objects at most: the rest become rows as they complete, before goLive.
    const bounded = caughtUp(1000);
    expect(bounded.beforeLive).toBeGreaterThan(3400);
    expect(bounded.beforeLive).toBeLessThan(4500);
    expect(bounded.after).toBe(4500);
    // The default (65,536) is above these 5,000 cases: none before goLive, none within it, all in the slices.
    expect(caughtUp(undefined)).toStrictEqual({ beforeLive: 0, atLive: 0, after: 4500, cases: 5000 });
  });

  it('a rating after completion turns the row back into an object, and it is kept as a row again once evaluated', () => {
    const planned = plan([
      {
        startHours: 0,
        promisedDays: 3,
        center: 'c1',
        department: 'd1',
        channel: 'window',
        steps: [],
        complete: 30,
        outcome: 0,
        lateRecord: null,
        rating: { gap: 2, score: 5, channel: 1, comment: '很好', followUp: null },
      },
    ]);
    const scheduler = createManualScheduler(BASE);
    const projection = liveCaseProjection(scheduler, BASE);
    const [accepted, completed, rated] = planned;
    for (const p of [accepted!, completed!]) {
      scheduler.advanceTo(p.recordAt);
      projection.applyCaseEvent(p.caseId, p.event, { revision: p.revision, recordedAt: p.recordAt });
    }
    expect(projection.compactedCount).toBe(1);
    expect(projection.getState('Q-0')?.rating).toBeUndefined();
    // A replay of the completion changes nothing and stays a row.
    projection.applyCaseEvent('Q-0', completed!.event, {
      revision: completed!.revision,
      recordedAt: completed!.recordAt,
    });
    expect(projection.compactedCount).toBe(1);
    scheduler.advanceTo(rated!.recordAt);
    projection.applyCaseEvent('Q-0', rated!.event, { revision: rated!.revision, recordedAt: rated!.recordAt });
    expect(projection.compactedCount).toBe(1);
    expect(projection.getState('Q-0')?.rating).toStrictEqual({
      at: parseInstant(rated!.event.occurredAt),
      score: 5,
      channel: 'online',
      comment: '很好',
    });
  });
});
