/**
 * Completed cases as rows during a catch-up (issue 18): which rows a calendar
 * or policy publication read later in the same catch-up can change. Such rows
 * are turned back into objects, and `goLive` evaluates them with the final
 * calendar and policies, exactly as it evaluates every object.
 *
 * A catch-up row was evaluated with the calendar and policy versions of its
 * moment in the stream; a live projection instead re-evaluates only the cases a
 * change touches (calendarChange.ts). The test here is wider than that one on
 * purpose: a completed case's figures depend on the days from its acceptance
 * to the last instant any of them names (completion, last event, deadline,
 * card starts, the reply and follow-up due instants, late records), so a row
 * whose span misses the changed days would be evaluated the same either way.
 */
import { policyInForce, type EpochDay, type Policy, type PolicyHistory, type WorkCalendar } from '../domain/index.js';
import type { CaseEntry } from './caseEntry.js';

/** The last instant a completed case's figures name (NaN fields are skipped). */
function lastInstantOf(entry: CaseEntry): number {
  const s = entry.state;
  let last = Math.max(s.completedAt ?? -Infinity, s.lastOccurredAt ?? -Infinity);
  if (!Number.isNaN(entry.deadlineAt)) last = Math.max(last, entry.deadlineAt);
  if (!Number.isNaN(entry.followUpDue)) last = Math.max(last, entry.followUpDue);
  const cards = entry.cards;
  if (cards !== undefined) for (let i = 0; i < cards.length; i += 2) last = Math.max(last, cards[i]!);
  for (const at of entry.respondBy ?? []) last = Math.max(last, at);
  for (const r of s.lateRecords) last = Math.max(last, r.recordedAt);
  if (s.rating !== undefined) last = Math.max(last, s.rating.at);
  return last;
}

/** Whether the calendar change (`range` of changed days; undefined: anything) can change the figures of `entry`. */
export function rowTouchedByCalendar(
  entry: CaseEntry,
  range: { first: EpochDay; last: EpochDay } | undefined,
  calendar: WorkCalendar,
): boolean {
  const acceptedAt = entry.state.acceptedAt;
  if (acceptedAt === undefined) return false;
  if (range === undefined) return true;
  if (range.first > range.last) return false;
  return calendar.dayOf(acceptedAt) <= range.last && calendar.dayOf(lastInstantOf(entry)) >= range.first;
}

/**
 * Whether the policy version a case is evaluated under differs between two
 * histories (the publications seen when its row was made, and those seen now).
 */
export function policyChangedFor(
  entry: CaseEntry,
  before: PolicyHistory,
  after: PolicyHistory,
  fallback: Policy,
  calendar: WorkCalendar,
): boolean {
  const at = entry.state.acceptedAt;
  if (at === undefined) return false;
  const acceptance = { day: calendar.dayOf(at), at };
  return policyInForce(before, acceptance, fallback) !== policyInForce(after, acceptance, fallback);
}
