/**
 * The latest activity a report can show (its default month, and the "latest month with data" it names
 * when the month asked for is empty): a case's acceptance or completion, a complaint's receipt,
 * acceptance, rejection, answer or closing. One rule for both the default month and the report's field.
 */
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import type { CaseState, EpochMs } from '../../domain/index.js';
import { inCenterSet, type CenterSet } from '../../domain/directory.js';

const NONE = Number.NEGATIVE_INFINITY;

/** A case's latest acceptance or completion instant, when it is of a center counted (any when undefined); −∞ otherwise. */
export function caseActivity(s: CaseState, centers: CenterSet): EpochMs {
  const a = s.accepted;
  if (a === undefined || s.acceptedAt === undefined) return NONE;
  if (!inCenterSet(centers, a.centerId)) return NONE;
  return Math.max(s.acceptedAt, s.completedAt ?? s.acceptedAt);
}

/** A complaint's latest recorded step, when it was received by a center counted (any when undefined); −∞ otherwise. */
function complaintActivity(c: ComplaintState, centers: CenterSet): EpochMs {
  const r = c.received;
  if (r === undefined) return NONE;
  if (!inCenterSet(centers, r.centerId)) return NONE;
  return Math.max(r.at, c.acceptedAt ?? NONE, c.rejected?.at ?? NONE, c.answered?.at ?? NONE, c.closed?.at ?? NONE);
}

/** The latest complaint activity of the centers counted (any when undefined); −∞ when none. */
export function latestComplaintActivity(complaints: Iterable<ComplaintState> | undefined, centers: CenterSet): EpochMs {
  let latest = NONE;
  if (complaints !== undefined) for (const c of complaints) latest = Math.max(latest, complaintActivity(c, centers));
  return latest;
}
