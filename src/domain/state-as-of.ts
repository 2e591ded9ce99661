import type { CaseState, EpochMs, EscalationState, PauseState, RatingState } from './types.js';
import { statusOf } from './evolve.js';

/**
 * The state as it was at `asOf`: only the events that occurred by then. Lets a
 * read model answer `?asOf=` without keeping events. Within a case `occurredAt`
 * never goes backwards, so the events by `asOf` are a prefix of the stream and
 * `revision` is the last of them: one less than the events the cut state holds.
 */
export function stateAsOf(state: CaseState, asOf: EpochMs): CaseState {
  if (state.lastOccurredAt === undefined || state.lastOccurredAt <= asOf) return state;
  const lateRecords = state.lateRecords.filter((r) => r.occurredAt <= asOf);
  if (state.acceptedAt === undefined || state.acceptedAt > asOf) {
    return { caseId: state.caseId, revision: state.revision, pauses: [], escalations: [], extensions: [], lateRecords };
  }
  const pauses = state.pauses
    .filter((p) => p.pausedAt <= asOf)
    .map((p): PauseState => {
      if (p.resumedAt === undefined || p.resumedAt <= asOf) return p;
      const { resumedAt: _dropped, ...rest } = p;
      return rest;
    });
  const escalations = state.escalations
    .filter((e) => e.at <= asOf)
    .map((e): EscalationState => {
      if (e.answer === undefined || e.answer.at <= asOf) return e;
      const { answer: _later, ...rest } = e;
      return rest;
    });
  const extensions = state.extensions.filter((x) => x.at <= asOf);
  const completed = state.completedAt !== undefined && state.completedAt <= asOf;
  const rating = ratingAsOf(state.rating, asOf);
  let last = state.acceptedAt;
  for (const p of pauses) last = Math.max(last, p.pausedAt, p.resumedAt ?? last);
  for (const e of escalations) last = Math.max(last, e.at, e.answer?.at ?? last);
  for (const x of extensions) last = Math.max(last, x.at);
  if (completed) last = Math.max(last, state.completedAt!);
  if (rating !== undefined) last = Math.max(last, rating.at, rating.followUp?.at ?? last);
  const status = statusOf(completed ? state.completedAt : undefined, pauses);
  const events =
    1 +
    pauses.reduce((n, p) => n + (p.resumedAt === undefined ? 1 : 2), 0) +
    escalations.reduce((n, e) => n + (e.answer === undefined ? 1 : 2), 0) +
    extensions.length +
    (completed ? 1 : 0) +
    (rating === undefined ? 0 : rating.followUp === undefined ? 1 : 2);
  const { completedAt: _c, outcome: _o, rating: _r, ...rest } = state;
  return {
    ...rest,
    revision: events - 1,
    ...(completed ? { completedAt: state.completedAt!, outcome: state.outcome! } : {}),
    pauses,
    escalations,
    extensions,
    lateRecords,
    rating,
    lastOccurredAt: last,
    status,
  };
}

function ratingAsOf(rating: RatingState | undefined, asOf: EpochMs): RatingState | undefined {
  if (rating === undefined || rating.at > asOf) return undefined;
  if (rating.followUp === undefined || rating.followUp.at <= asOf) return rating;
  const { followUp: _later, ...rest } = rating;
  return rest;
}
