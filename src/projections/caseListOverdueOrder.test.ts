/**
 * The case list sorted by `overdueDays` (caseList.ts): the key is the case's overdue days at the listing's
 * instant — a completed late case's final count, an open one's then — so the rows come out in the order of
 * the `overdueDays` they show. Before, the key was when the overdue card started, and an auditor's
 * "most overdue first" list showed C3(1), W1(2), Q1(1), A1(2), I1(1), L1(1), B1(1) and then O1, open and
 * 5 days overdue, 8th: completed cases that became overdue earlier sorted before it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant, type CaseEvent } from '../domain/index.js';
import { listCases, type CaseListResult, type CaseListRow, type CaseSort } from './caseList.js';
import type { CaseProjection } from './caseProjection.js';
import { NO_NAMES } from './rowNames.js';
import { createManualScheduler, type ManualScheduler } from './scheduler.js';
import { liveCaseProjection, ZONE } from './testSupport.js';

const H = 3_600_000;
/** A Monday; no public holiday in September 2025. */
const BASE = parseInstant('2025-09-01T09:00:00+08:00');

interface CaseSpec {
  readonly caseId: string;
  readonly centerId: string;
  readonly startHours: number;
  readonly promisedDays: number;
  /** Hours after acceptance an extension of `extensionDays` is recorded (never, when null). */
  readonly extensionHours: number | null;
  readonly extensionDays: number;
  /** Hours after acceptance the case is paused (never, when null). */
  readonly pauseHours: number | null;
  /** Hours after the pause it is resumed (never, when null: the case stays paused and is not completed). */
  readonly resumeHours: number | null;
  /** Hours after its last other event the case is completed (never, when null). */
  readonly completeHours: number | null;
}

interface Folded {
  readonly projection: CaseProjection;
  readonly scheduler: ManualScheduler;
}

/** The cases folded live, the clock following their events, and left at `readAt`. */
function fold(specs: readonly CaseSpec[], readAt: number): Folded {
  const events: { caseId: string; at: number; body: Record<string, unknown> }[] = [];
  for (const c of specs) {
    const push = (at: number, body: Record<string, unknown>) => events.push({ caseId: c.caseId, at, body });
    let at = BASE + c.startHours * H;
    push(at, {
      type: 'CaseAccepted',
      centerId: c.centerId,
      departmentId: 'd1',
      matterCode: `M${c.promisedDays}`,
      kind: c.promisedDays === 0 ? 'instant' : 'promised',
      promisedDays: c.promisedDays,
      channel: 'window',
    });
    const accepted = at;
    if (c.extensionHours !== null) {
      at = accepted + c.extensionHours * H;
      push(at, { type: 'CaseExtended', days: c.extensionDays, approvedBy: '分管局长', reason: '需现场核查' });
    }
    let stillPaused = false;
    if (c.pauseHours !== null) {
      at = Math.max(at, accepted + c.pauseHours * H);
      push(at, { type: 'CasePaused', pauseId: 'p1', reason: 'supplement' });
      if (c.resumeHours === null) stillPaused = true;
      else {
        at += c.resumeHours * H;
        push(at, { type: 'CaseResumed', pauseId: 'p1' });
      }
    }
    if (c.completeHours !== null && !stillPaused)
      push(at + c.completeHours * H, { type: 'CaseCompleted', outcome: 'approved' });
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
  scheduler.advanceTo(Math.max(scheduler.clock(), readAt));
  return { projection, scheduler };
}

function read(f: Folded, query: { sort: CaseSort; limit: number; cursor?: string }): CaseListResult {
  return listCases(query, {
    entries: f.projection.caseEntries(),
    evaluate: f.projection.evaluateCase.bind(f.projection),
    timing: f.projection.caseTiming.bind(f.projection),
    zone: ZONE,
    now: f.scheduler.clock(),
    names: NO_NAMES,
  });
}

/** Every page of one listing, read at one instant. */
function allPages(f: Folded, sort: CaseSort, limit: number): { rows: CaseListRow[]; totals: number[] } {
  const rows: CaseListRow[] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 500; i++) {
    const page = read(f, { sort, limit, ...(cursor === undefined ? {} : { cursor }) });
    rows.push(...page.items);
    totals.push(page.total);
    if (page.nextCursor === undefined) return { rows, totals };
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

const spec = (caseId: string, startHours: number, completeHours: number | null): CaseSpec => ({
  caseId,
  centerId: 'c1',
  startHours,
  promisedDays: 1,
  extensionHours: null,
  extensionDays: 1,
  pauseHours: null,
  resumeHours: null,
  completeHours,
});

describe('the case list sorted by overdue days', () => {
  it("the auditor's list: an open case 5 days overdue comes before completed cases that became overdue earlier", () => {
    // Accepted Mon 09-01, 1 day: deadline 09-02, overdue from 09-03 00:00; completed on 09-03 (1 day) or 09-04 (2).
    const oneDay = 49; // hours after 09-01 09:00: 09-03 10:00
    const twoDays = 73; // 09-04 10:00
    const specs = [
      spec('C3', 0, oneDay),
      spec('W1', 0, twoDays),
      spec('Q1', 0, oneDay),
      spec('A1', 0, twoDays),
      spec('I1', 0, oneDay),
      spec('L1', 0, oneDay),
      spec('B1', 0, oneDay),
      spec('N1', 0, 2), // completed on time: never overdue
      // Accepted Mon 09-08, 1 day: overdue from 09-10, open; on Tue 09-16 that is 09-10, 11, 12, 15, 16.
      spec('O1', 7 * 24, null),
    ];
    const f = fold(specs, parseInstant('2025-09-16T10:00:00+08:00'));
    const { rows } = allPages(f, '-overdueDays', 3);
    expect(rows.map((r) => `${r.caseId}(${r.overdueDays})`)).toEqual([
      'O1(5)',
      'W1(2)',
      'A1(2)',
      'Q1(1)',
      'L1(1)',
      'I1(1)',
      'C3(1)',
      'B1(1)',
      'N1(0)',
    ]);
    expect(allPages(f, 'overdueDays', 4).rows.map((r) => r.caseId)).toEqual([
      'N1',
      'B1',
      'C3',
      'I1',
      'L1',
      'Q1',
      'A1',
      'W1',
      'O1',
    ]);
  });

  const specArb = fc.record({
    centerId: fc.constantFrom('c1', 'c2'),
    // Few distinct acceptance instants and promises, so that cases share a deadline.
    startHours: fc.integer({ min: 0, max: 15 }).map((d) => d * 24 + (d % 3)),
    promisedDays: fc.constantFrom(0, 1, 2, 3, 5),
    extensionHours: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, fc.integer({ min: 1, max: 24 * 3 })),
    extensionDays: fc.integer({ min: 1, max: 3 }),
    pauseHours: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, fc.integer({ min: 1, max: 24 * 12 })),
    resumeHours: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 24 * 6 }), weight: 2 }, fc.constant(null)),
    completeHours: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 24 * 14 })),
  });

  it('law: for random cases, any page size, the rows of all pages are each case once, in the order of the overdueDays they show', () => {
    let mixed = 0;
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 24 }),
        fc.constantFrom<CaseSort>('overdueDays', '-overdueDays'),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 24 * 20 }),
        (raw, sort, limit, readHours) => {
          const specs = raw.map((s, i) => ({ ...s, caseId: `Q-${String(i).padStart(2, '0')}` }));
          // Read from after the last event (by hour 15 × 24 + 3 × 24 + 12 × 24 + 6 × 24 + 14 × 24), often much later.
          const f = fold(specs, BASE + (50 * 24 + readHours) * H);
          const { rows, totals } = allPages(f, sort, limit);
          const ids = rows.map((r) => r.caseId);
          expect(new Set(ids).size).toBe(ids.length);
          expect([...ids].sort()).toEqual(specs.map((s) => s.caseId));
          for (const t of totals) expect(t).toBe(specs.length);
          const dir = sort.startsWith('-') ? -1 : 1;
          for (let i = 1; i < rows.length; i++) {
            const [a, b] = [rows[i - 1]!, rows[i]!];
            expect(dir * (b.overdueDays - a.overdueDays), `${a.caseId} then ${b.caseId}`).toBeGreaterThanOrEqual(0);
            // Ties in the secondary order (case id, in the sort's direction).
            if (a.overdueDays === b.overdueDays) expect(dir * (a.caseId < b.caseId ? 1 : -1)).toBe(1);
          }
          const late = rows.filter((r) => r.status === 'completed' && r.overdueDays > 0);
          if (late.length > 0 && rows.some((r) => r.status !== 'completed' && r.overdueDays > 0)) mixed++;
        },
      ),
      { numRuns: 150 },
    );
    // The law is checked on lists that mix completed late cases and cases still overdue.
    expect(mixed).toBeGreaterThan(30);
  });
});
