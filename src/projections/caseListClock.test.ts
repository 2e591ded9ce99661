/**
 * The case list's paging when only the clock moves between two pages (caseList.ts, listingCursor.ts).
 * A paused case's deadline moves on with every working day of its pause, and an open case becomes
 * overdue when the clock passes its deadline, so the `dueAt` and `overdueDays` keys are read at the
 * listing's instant (its first page's), which the cursor carries: a clock that moved on between two
 * pages, with no event appended, moves no case. Beside caseList.test.ts (whose
 * fixture has no paused case and reads every page at one instant): paused cases folded live on a
 * manual clock, read across working days, nights and weekends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant, type CaseEvent } from '../domain/index.js';
import { listCases, type CaseListFilter, type CaseListResult, type CaseSort } from './caseList.js';
import type { CaseProjection } from './caseProjection.js';
import { NO_NAMES } from './rowNames.js';
import { createManualScheduler, type ManualScheduler } from './scheduler.js';
import { liveCaseProjection, ZONE } from './testSupport.js';

const H = 3_600_000;
/** A Monday. */
const BASE = parseInstant('2025-09-01T09:00:00+08:00');

interface CaseSpec {
  readonly caseId: string;
  readonly startHours: number;
  readonly promisedDays: number;
  /** Hours after acceptance the case is paused (never, when null). */
  readonly pauseHours: number | null;
  /** Hours after the pause it is resumed (never, when null). */
  readonly resumeHours: number | null;
}

interface Folded {
  readonly projection: CaseProjection;
  readonly scheduler: ManualScheduler;
}

/** The cases folded live, the clock following their events, and left at `readFrom`. */
function fold(specs: readonly CaseSpec[], readFrom: number): Folded {
  const events: { caseId: string; at: number; body: Record<string, unknown> }[] = [];
  for (const c of specs) {
    const acceptedAt = BASE + c.startHours * H;
    events.push({
      caseId: c.caseId,
      at: acceptedAt,
      body: {
        type: 'CaseAccepted',
        centerId: 'c1',
        departmentId: 'd1',
        matterCode: `M${c.promisedDays}`,
        kind: 'promised',
        promisedDays: c.promisedDays,
        channel: 'window',
      },
    });
    if (c.pauseHours === null) continue;
    const pausedAt = acceptedAt + c.pauseHours * H;
    events.push({ caseId: c.caseId, at: pausedAt, body: { type: 'CasePaused', pauseId: 'p1', reason: 'supplement' } });
    if (c.resumeHours !== null)
      events.push({ caseId: c.caseId, at: pausedAt + c.resumeHours * H, body: { type: 'CaseResumed', pauseId: 'p1' } });
  }
  events.sort((a, b) => a.at - b.at);
  const scheduler = createManualScheduler(BASE);
  const projection = liveCaseProjection(scheduler, BASE);
  const revisions = new Map<string, number>();
  for (const e of events) {
    scheduler.advanceTo(Math.max(scheduler.clock(), e.at));
    const revision = revisions.get(e.caseId) ?? 0;
    revisions.set(e.caseId, revision + 1);
    const event = { ...e.body, caseId: e.caseId, occurredAt: formatInstant(e.at, ZONE) } as unknown as CaseEvent;
    projection.applyCaseEvent(e.caseId, event, { revision, recordedAt: e.at });
  }
  scheduler.advanceTo(Math.max(scheduler.clock(), readFrom));
  return { projection, scheduler };
}

function read(f: Folded, query: CaseListFilter & { sort: CaseSort; limit: number; cursor?: string }): CaseListResult {
  return listCases(query, {
    entries: f.projection.caseEntries(),
    evaluate: f.projection.evaluateCase.bind(f.projection),
    timing: f.projection.caseTiming.bind(f.projection),
    zone: ZONE,
    now: f.scheduler.clock(),
    names: NO_NAMES,
  });
}

/** Every page of one listing, the clock moved on by `advances[i]` ms after page i (no event in between). */
function pageAcross(
  f: Folded,
  query: CaseListFilter & { sort: CaseSort; limit: number },
  advances: readonly number[],
): CaseListResult[] {
  const pages: CaseListResult[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 500; i++) {
    const page = read(f, { ...query, ...(cursor === undefined ? {} : { cursor }) });
    pages.push(page);
    if (page.nextCursor === undefined) return pages;
    cursor = page.nextCursor;
    f.scheduler.advanceBy(advances[i % Math.max(1, advances.length)] ?? 0);
  }
  throw new Error('paging did not end');
}

const rowsOf = (pages: readonly CaseListResult[]) => pages.flatMap((p) => p.items.map((r) => [r.caseId, r.dueAt]));

describe('the case list paged while the clock moves on', () => {
  it('a Friday evening page and a Monday morning page: every paused case once, in the order of the first read', () => {
    // Paused cases whose deadlines (read on Friday) fall before, among and after the open ones'.
    const specs: CaseSpec[] = [
      { caseId: 'P-1', startHours: 0, promisedDays: 3, pauseHours: 2, resumeHours: null },
      { caseId: 'P-2', startHours: 1, promisedDays: 5, pauseHours: 3, resumeHours: null },
      { caseId: 'P-3', startHours: 24, promisedDays: 8, pauseHours: 30, resumeHours: null },
      { caseId: 'P-4', startHours: 50, promisedDays: 2, pauseHours: 1, resumeHours: null },
      { caseId: 'O-1', startHours: 2, promisedDays: 10, pauseHours: null, resumeHours: null },
      { caseId: 'O-2', startHours: 3, promisedDays: 12, pauseHours: null, resumeHours: null },
      { caseId: 'O-3', startHours: 26, promisedDays: 15, pauseHours: null, resumeHours: null },
      { caseId: 'R-1', startHours: 5, promisedDays: 9, pauseHours: 4, resumeHours: 30 },
    ];
    const friday = parseInstant('2025-09-12T18:00:00+08:00');
    const monday = parseInstant('2025-09-15T09:30:00+08:00');
    for (const sort of ['dueAt', '-dueAt'] as const) {
      const f = fold(specs, friday);
      const whole = read(f, { sort, limit: 500 });
      const page1 = read(f, { sort, limit: 3 });
      f.scheduler.advanceTo(monday);
      // Read on Monday from scratch, the paused cases' deadlines have moved on past open ones'.
      expect(rowsOf([read(f, { sort, limit: 500 })]), sort).not.toEqual(rowsOf([whole]));
      const rest: CaseListResult[] = [];
      let cursor = page1.nextCursor;
      while (cursor !== undefined) {
        const page = read(f, { sort, limit: 3, cursor });
        rest.push(page);
        cursor = page.nextCursor;
      }
      // The listing is the list as read on Friday: each case once, in that order, with the dueAt it was ordered by.
      expect(rowsOf([page1, ...rest]), sort).toEqual(rowsOf([whole]));
      for (const page of [page1, ...rest]) expect(page.listedAt, sort).toBe(whole.asOf);
      expect(rest.every((p) => p.asOf === formatInstant(monday, ZONE))).toBe(true);
    }
  });

  const specArb = fc.record({
    startHours: fc.integer({ min: 0, max: 24 * 10 }),
    promisedDays: fc.integer({ min: 1, max: 12 }),
    // Most cases paused, most of those never resumed (still paused when the list is read).
    pauseHours: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 24 * 4 }), weight: 2 }, fc.constant(null)),
    resumeHours: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, fc.integer({ min: 1, max: 24 * 6 })),
  });

  it('law: for sort dueAt and overdueDays either way, any page size and clock advances between pages (no event), every case present at both reads is sent exactly once, in order', () => {
    let moved = 0;
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 16 }),
        fc.constantFrom<CaseSort>('dueAt', '-dueAt', 'overdueDays', '-overdueDays'),
        fc.integer({ min: 1, max: 5 }),
        // Up to 30 hours between two pages: across nights, weekends and working days.
        fc.array(fc.integer({ min: 0, max: 30 * H }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<CaseListFilter>({}, { status: 'paused' }),
        fc.integer({ min: 0, max: 24 * 4 }),
        (raw, sort, limit, advances, filter, readHours) => {
          const specs = raw.map((s, i) => ({ ...s, caseId: `Q-${String(i).padStart(2, '0')}` }));
          // Read from after the last event (pauses and resumes end by hour 10 × 24 + 4 × 24 + 6 × 24).
          const f = fold(specs, BASE + (20 * 24 + readHours) * H);
          const whole = read(f, { ...filter, sort, limit: 500 });
          const pages = pageAcross(f, { ...filter, sort, limit }, advances);
          const ids = pages.flatMap((p) => p.items.map((r) => r.caseId));
          expect(new Set(ids).size).toBe(ids.length);
          expect(rowsOf(pages)).toEqual(rowsOf([whole]));
          for (const p of pages) expect(p.listedAt).toBe(whole.asOf);
          if (rowsOf([read(f, { ...filter, sort, limit: 500 })]).join() !== rowsOf([whole]).join()) moved++;
        },
      ),
      { numRuns: 200 },
    );
    // The law is not checked only on listings whose order the clock left as it was.
    expect(moved).toBeGreaterThan(20);
  });

  it('sorts by the timing numbers, evaluating only the rows of the page: the same pages as evaluating every case', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 16 }),
        fc.constantFrom<CaseSort>('dueAt', '-dueAt', 'overdueDays', '-overdueDays'),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 24 * 4 }),
        (raw, sort, limit, readHours) => {
          const specs = raw.map((s, i) => ({ ...s, caseId: `T-${String(i).padStart(2, '0')}` }));
          const f = fold(specs, BASE + (20 * 24 + readHours) * H);
          let evaluations = 0;
          const counted = (caseId: string, at: number) => {
            evaluations++;
            return f.projection.evaluateCase(caseId, at);
          };
          const base = () => ({
            entries: f.projection.caseEntries(),
            zone: ZONE,
            now: f.scheduler.clock(),
            names: NO_NAMES,
          });
          // The oracle: the sort keys read off a full evaluation, as the list did before caseTiming.
          const fromEvaluation = (caseId: string, at: number) => {
            const ev = f.projection.evaluateCase(caseId, at);
            return ev === undefined ? undefined : { dueAt: parseInstant(ev.dueAt), overdueDays: ev.overdueDays };
          };
          const query = { sort, limit };
          const bySource = listCases(query, {
            ...base(),
            evaluate: counted,
            timing: f.projection.caseTiming.bind(f.projection),
          });
          // Before: every paused case evaluated (every card formatted) to sort it, besides the page's rows.
          expect(evaluations).toBe(bySource.items.length);
          expect(bySource).toEqual(
            listCases(query, {
              ...base(),
              evaluate: f.projection.evaluateCase.bind(f.projection),
              timing: fromEvaluation,
            }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
