/**
 * The latest activity a report can show (its default month, and the "latest month with data" it names
 * when the month asked for is empty): a case's acceptance or completion, a complaint's receipt,
 * acceptance, rejection, answer or closing. One rule for both the default month and the report's field.
 */
import type { ComplaintState } from '../../domain/complaints/evolve.js';
import type { CaseState, EpochMs } from '../../domain/index.js';

const NONE = Number.NEGATIVE_INFINITY;

/** A case's latest acceptance or completion instant, when it is of `centerId` (any center when undefined); −∞ otherwise. */
export function caseActivity(s: CaseState, centerId: string | undefined): EpochMs {
  const a = s.accepted;
  if (a === undefined || s.acceptedAt === undefined) return NONE;
  if (centerId !== undefined && a.centerId !== centerId) return NONE;
  return Math.max(s.acceptedAt, s.completedAt ?? s.acceptedAt);
}

/** A complaint's latest recorded step, when it was received by `centerId` (any center when undefined); −∞ otherwise. */
function complaintActivity(c: ComplaintState, centerId: string | undefined): EpochMs {
  const r = c.received;
  if (r === undefined) return NONE;
  if (centerId !== undefined && r.centerId !== centerId) return NONE;
  return Math.max(r.at, c.acceptedAt ?? NONE, c.rejected?.at ?? NONE, c.answered?.at ?? NONE, c.closed?.at ?? NONE);
}

/** The latest complaint activity of `centerId` (any when undefined); −∞ when none. */
export function latestComplaintActivity(
  complaints: Iterable<ComplaintState> | undefined,
  centerId: string | undefined,
): EpochMs {
  let latest = NONE;
  if (complaints !== undefined) for (const c of complaints) latest = Math.max(latest, complaintActivity(c, centerId));
  return latest;
}
