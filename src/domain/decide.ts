/**
 * Command side of a case: may this event be appended to this state at `now`?
 * Transition rules of SPEC §2, the length of a case, and time rules. The HTTP
 * status of each code is the HTTP layer's (src/api/errors.ts).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { CaseEvent } from './events.js';
import type { CaseState, EpochMs } from './types.js';
import { parseInstant } from './time.js';
import { eventTimeRejection, type EventTimeOptions } from './eventTime.js';
import type { Policy } from './policy.js';
import { defaultEscalationId, escalationPosition, isBadScore, pausePosition } from './evolve.js';
import { checkExtension } from './extension-rules.js';
import type { TimingCalendar } from './calendar/work-calendar.js';

export type DomainErrorCode =
  | 'case-not-found'
  | 'transition-not-allowed'
  | 'case-too-long'
  | 'time-rejected'
  | 'extension-after-deadline'
  | 'extension-limit'
  | 'already-rated';

/** SPEC §2: a case holds at most this many events. */
export const MAX_CASE_EVENTS = 1000;

export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export interface DecideOptions {
  readonly futureToleranceMinutes?: number;
  /** Zone used to render instants in messages. */
  readonly zone?: string;
  /**
   * The calendar and policy a case's deadline is computed with: CaseExtended must
   * occur before its dueAt. Defaults: the default calendar and policy.
   */
  readonly timing?: (state: CaseState) => { readonly calendar: TimingCalendar; readonly policy: Policy };
}

const transition = (message: string): E.Either<DomainError, never> =>
  E.left({ code: 'transition-not-allowed', message });

function checkTransition(state: CaseState, event: CaseEvent): E.Either<DomainError, CaseEvent> {
  const id = state.caseId;
  if (state.accepted === undefined) {
    // SPEC §2: an event other than CaseAccepted for a case with no events is 404 case-not-found.
    return event.type === 'CaseAccepted'
      ? E.right(event)
      : E.left({
          code: 'case-not-found',
          message: `case ${id} has not been accepted: its first event must be CaseAccepted, not ${event.type}`,
        });
  }
  if (event.type === 'CaseAccepted')
    return transition(`case ${id} was already accepted; CaseAccepted may occur only once`);
  if (event.type === 'CaseRated' || event.type === 'RatingFollowedUp') return checkRating(state, event);
  if (state.completedAt !== undefined)
    return transition(
      `case ${id} is completed; after CaseCompleted only CaseRated and RatingFollowedUp may follow, not ${event.type}`,
    );
  switch (event.type) {
    case 'CasePaused':
      return pausePosition(state.pauses, event.pauseId) >= 0
        ? transition(`pause ${event.pauseId} was already used in case ${id}; choose a new pauseId`)
        : E.right(event);
    case 'CaseResumed': {
      const pause = state.pauses[pausePosition(state.pauses, event.pauseId)];
      if (pause === undefined) return transition(`pause ${event.pauseId} is not open: case ${id} has no such pause`);
      if (pause.resumedAt !== undefined)
        return transition(`pause ${event.pauseId} is not open: it was already resumed`);
      return E.right(event);
    }
    case 'CaseEscalated':
      return checkEscalationId(state, event);
    case 'CaseEscalationAnswered': {
      const escalation = state.escalations[escalationPosition(state.escalations, event.escalationId)];
      if (escalation === undefined) return transition(`case ${id} has no escalation ${event.escalationId} to answer`);
      if (escalation.answer !== undefined)
        return transition(`escalation ${event.escalationId} of case ${id} was already answered`);
      return E.right(event);
    }
    case 'CaseExtended':
      return E.right(event);
    case 'CaseCompleted': {
      const open = state.pauses.filter((p) => p.resumedAt === undefined).map((p) => p.pauseId);
      return open.length > 0
        ? transition(
            `case ${id} has open pause${open.length > 1 ? 's' : ''} ${open.join(', ')}; resume before CaseCompleted`,
          )
        : E.right(event);
    }
  }
}

/** The ids a default can take (`e1`, `e2`, …): `e0` or `e01` never meet one. */
const DEFAULT_ID_FORM = /^e[1-9][0-9]*$/;

/**
 * SPEC §2: an escalationId is unique within the case, and an escalation without
 * one is `e<n>`. An explicit `e<n>` is taken only as the n-th escalation's own
 * id, or it would later meet the n-th escalation's default and refuse it.
 */
function checkEscalationId(
  state: CaseState,
  event: CaseEvent & { type: 'CaseEscalated' },
): E.Either<DomainError, CaseEvent> {
  const id = state.caseId;
  const ownDefault = defaultEscalationId(state.escalations.length);
  const escalationId = event.escalationId ?? ownDefault;
  if (escalationPosition(state.escalations, escalationId) >= 0) {
    // Only in a case stored before session 16, when an explicit e<n> could take a later default.
    const hint = event.escalationId === undefined ? ` (the default id of this escalation); send an escalationId` : '';
    return transition(
      `escalation ${escalationId} already exists in case ${id}${hint}; an escalationId is unique within a case`,
    );
  }
  if (escalationId !== ownDefault && DEFAULT_ID_FORM.test(escalationId))
    return E.left({
      code: 'transition-not-allowed',
      message:
        `escalationId ${escalationId} is reserved: e<n> is the default id of the n-th escalation of a case, ` +
        `and this is escalation ${state.escalations.length + 1} of case ${id} (send ${ownDefault}, ` +
        'another id, or none)',
      details: { field: 'escalationId', ordinal: state.escalations.length + 1 },
    });
  return E.right(event);
}

/** SPEC §2: one rating per case, given after completion; a follow-up needs an open 差评. */
function checkRating(
  state: CaseState,
  event: CaseEvent & { type: 'CaseRated' | 'RatingFollowedUp' },
): E.Either<DomainError, CaseEvent> {
  const id = state.caseId;
  const rating = state.rating;
  if (event.type === 'CaseRated') {
    if (state.completedAt === undefined)
      return transition(`case ${id} is not completed: a rating (好差评) is given after CaseCompleted`);
    if (rating !== undefined)
      return E.left({
        code: 'already-rated',
        message: `case ${id} was already rated (score ${rating.score}); a case is rated at most once`,
        details: { score: rating.score },
      });
    return E.right(event);
  }
  if (rating === undefined) return transition(`case ${id} has no rating: RatingFollowedUp follows a 差评 (score ≤ 2)`);
  if (!isBadScore(rating.score))
    return transition(`case ${id} was rated ${rating.score}, not a 差评 (score ≤ 2): there is no follow-up to record`);
  if (rating.followUp !== undefined) return transition(`the 差评 of case ${id} was already followed up`);
  return E.right(event);
}

function checkTime(
  state: CaseState,
  event: CaseEvent,
  now: EpochMs,
  options: EventTimeOptions,
): E.Either<DomainError, CaseEvent> {
  const rejection = eventTimeRejection(parseInstant(event.occurredAt), state.lastOccurredAt, now, options, 'case');
  return rejection === undefined ? E.right(event) : E.left(rejection);
}

/** The stream's revision counts from 0, so a case at revision r holds r + 1 events. */
function checkLength(state: CaseState, event: CaseEvent): E.Either<DomainError, CaseEvent> {
  const events = state.revision + 1;
  if (events < MAX_CASE_EVENTS) return E.right(event);
  return E.left({
    code: 'case-too-long',
    message: `case ${state.caseId} already holds ${events} events, the most a case may hold (${MAX_CASE_EVENTS})`,
    details: { events, max: MAX_CASE_EVENTS },
  });
}

/**
 * Accept the event (Right) or say why not (Left). Transition errors are
 * reported first (the most specific), then the case's length, then time, then
 * the extension rules (they need a valid instant).
 */
export function decide(
  state: CaseState,
  event: CaseEvent,
  now: EpochMs,
  options: DecideOptions = {},
): E.Either<DomainError, CaseEvent> {
  const t = checkTransition(state, event);
  if (E.isLeft(t)) return t;
  const n = checkLength(state, event);
  if (E.isLeft(n)) return n;
  const time = checkTime(state, event, now, options);
  if (E.isLeft(time) || event.type !== 'CaseExtended') return time;
  return checkExtension(state, event, options.timing?.(state), options.zone ?? 'Asia/Shanghai');
}
