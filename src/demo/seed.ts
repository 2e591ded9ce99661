/**
 * Seeds the demo backlog straight into the event store, the way
 * scripts/simulate.ts records a history: appends in the order a live store would
 * have recorded them, with the store's clock set to each append's recordedAt.
 * Only the planned 补录 events (~0.2%) come out more than 24 h late, so the board
 * shows timing alerts rather than a wall of late-record cards (which is what
 * posting the same backlog through the HTTP API "now" gives; see docs/demo.md).
 *
 * Complaints (complaint-<id> streams) are planned beside the cases and recorded
 * in the same order; the live feed carries on the open ones.
 *
 * Used by main.ts on an empty store, before the projections start; the live
 * feed (feed.ts) then carries on through the HTTP API with the same generator,
 * which has taken over exactly the open cases that were recorded.
 */
import type { Calendar, EpochMs } from '../domain/types.js';
import { dayFromYmd, formatDate } from '../domain/time.js';
import { complaintStreamId } from '../domain/complaints/streams.js';
import { caseStreamId } from '../domain/streams.js';
import type { EventStore } from '../store/port.js';
import type { GeneratedCase } from './case-plan.js';
import type { LiveGenerator } from './live.js';
import { inRecordOrder, mergeByStart, type ScheduledAppend, type ScheduledComplaintAppend } from './record-order.js';

/** A store clock that can be pinned while seeding: `now()` is the pinned instant, else `base()`. */
export interface SettableClock {
  readonly now: () => number;
  /** Pin the clock to `at`; `undefined` releases it to the base clock. */
  set(at: EpochMs | undefined): void;
}

export function settableClock(base: () => number = Date.now): SettableClock {
  let pinned: EpochMs | undefined;
  return {
    now: () => pinned ?? base(),
    set(at) {
      pinned = at;
    },
  };
}

/**
 * The fewest working days of backlog main.ts seeds: about a month, so 10- and
 * 20-day matters reach their warning day and every timing rule shows on the board.
 */
export const DEMO_BACKLOG_WORKING_DAYS = 20;

/**
 * Working days of backlog main.ts seeds at `now`: from the first day of the
 * previous month (so the monthly report's 环比 has a whole month to compare
 * with), and at least DEMO_BACKLOG_WORKING_DAYS. Between 20 and about 45.
 */
export function demoBacklogWorkingDays(now: EpochMs, calendar: Pick<Calendar, 'dayOf' | 'isWorkday'>): number {
  const today = calendar.dayOf(now);
  const [year, month] = formatDate(today).split('-').map(Number) as [number, number];
  const first = month === 1 ? dayFromYmd(year - 1, 12, 1) : dayFromYmd(year, month - 1, 1);
  let days = 0;
  for (let d = first; d <= today; d++) if (calendar.isWorkday(d) || d === today) days++;
  return Math.max(DEMO_BACKLOG_WORKING_DAYS, days);
}

/**
 * The complaint backlog reaches twice as far back as the cases' (up to
 * DEMO_BACKLOG_WORKING_DAYS; a longer case backlog, the complaints cover as
 * far): a complaint's answer is due 15 working days after its acceptance, so
 * only complaints accepted more than 12 (warning) or 15 (overdue) working days
 * ago can hold those cards on a fresh board.
 */
export const COMPLAINT_BACKLOG_FACTOR = 2;

/** Working days of complaints beside `workingDays` of cases (see COMPLAINT_BACKLOG_FACTOR). */
export const complaintBacklogDays = (workingDays: number): number =>
  Math.max(workingDays, COMPLAINT_BACKLOG_FACTOR * Math.min(workingDays, DEMO_BACKLOG_WORKING_DAYS));

export interface BacklogPlan {
  /** The appends of cases and complaints, in recording order; every recordedAt ≤ now. */
  readonly appends: readonly (ScheduledAppend | ScheduledComplaintAppend)[];
  readonly cases: number;
  readonly complaints: number;
  readonly events: number;
  /** Events recorded more than 24 h after they occurred (the planned 补录). */
  readonly lateEvents: number;
}

/**
 * The last `workingDays` working days up to `now`, as the appends a live store
 * would have recorded by `now`. Events that occurred by `now` but would be
 * recorded later (a window system's few minutes of sync lag, or a 补录 not yet
 * typed in) are left out, with the rest of their case. The generator takes over
 * the open cases as recorded, so the live feed only sends what SPEC §2 allows.
 */
export function planBacklog(
  generator: LiveGenerator,
  now: EpochMs,
  workingDays: number,
  casesPerDistrictDay = 60,
): BacklogPlan {
  const cases = generator.backlogCases(now, workingDays, casesPerDistrictDay);
  const complaints = generator.backlogComplaints(
    now,
    complaintBacklogDays(workingDays),
    casesPerDistrictDay,
    workingDays,
  );
  const appends = [...inRecordOrder(mergeByStart(cases, complaints), now)];
  const recorded = new Map<string, number>();
  let events = 0;
  let lateEvents = 0;
  for (const a of appends) {
    recorded.set(a.streamId, a.firstRevision + a.events.length);
    events += a.events.length;
    lateEvents += a.lateEvents;
  }
  const taken: GeneratedCase[] = [];
  for (const c of cases) {
    const n = recorded.get(caseStreamId(c.caseId)) ?? 0;
    if (n === 0) continue;
    taken.push(
      n === c.events.length
        ? c
        : { ...c, events: c.events.slice(0, n), at: c.at.slice(0, n), recordLagMs: c.recordLagMs.slice(0, n) },
    );
  }
  generator.observe(taken);
  const recordedComplaint = (id: string) => recorded.get(complaintStreamId(id)) ?? 0;
  generator.observeComplaints(complaints, recordedComplaint);
  const complaintCount = complaints.filter((c) => recordedComplaint(c.complaintId) > 0).length;
  return { appends, cases: taken.length, complaints: complaintCount, events, lateEvents };
}

/**
 * Appends the plan, one append per batch with its expected revision, pinning
 * `clock` to each batch's recordedAt; releases the clock afterwards (also on
 * failure). The store must have been opened with `clock.now` as its clock.
 */
export async function appendBacklog(store: EventStore, clock: SettableClock, plan: BacklogPlan): Promise<void> {
  try {
    for (const batch of plan.appends) {
      clock.set(batch.recordedAt);
      await store.append(
        batch.streamId,
        batch.events.map((e) => ({ eventId: idOf(e), type: e.type, data: e as unknown as Record<string, unknown> })),
        { expectedRevision: batch.firstRevision === 0 ? 'no_stream' : BigInt(batch.firstRevision - 1) },
      );
    }
  } finally {
    clock.set(undefined);
  }
}

/** Generated events always carry their id (so a re-run is idempotent). */
function idOf(event: { readonly type: string; readonly eventId?: string | undefined }): string {
  if (event.eventId === undefined) throw new Error(`a generated ${event.type} has no eventId`);
  return event.eventId;
}
