/**
 * Command side of a complaint (SPEC §8): may this event be appended to this
 * state at `now`? Order: received first; accepted or rejected once; assigned and
 * answered only after acceptance (answered once); closed after an answer or a
 * rejection; nothing after closed. Then the stream's length and the time rules
 * of cases (not before the last event, not in the future beyond the tolerance).
 * The HTTP status of each code is the HTTP layer's: complaint-not-found 404,
 * transition-not-allowed 409, time-rejected 422, complaint-too-long 409.
 */
import * as E from 'fp-ts/lib/Either.js';
import { MAX_CASE_EVENTS } from '../decide.js';
import { parseInstant } from '../time.js';
import { eventTimeRejection, type EventTimeOptions } from '../eventTime.js';
import type { EpochMs } from '../types.js';
import type { ComplaintEvent } from './events.js';
import type { ComplaintState } from './evolve.js';

export type ComplaintErrorCode =
  | 'complaint-not-found'
  | 'transition-not-allowed'
  | 'complaint-too-long'
  | 'time-rejected';

export interface ComplaintError {
  readonly code: ComplaintErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export interface ComplaintDecideOptions {
  readonly futureToleranceMinutes?: number;
  /** Zone used to render instants in messages. */
  readonly zone?: string;
}

const transition = (message: string): E.Either<ComplaintError, never> =>
  E.left({ code: 'transition-not-allowed', message });

function checkOrder(s: ComplaintState, event: ComplaintEvent): E.Either<ComplaintError, ComplaintEvent> {
  const id = s.complaintId;
  if (s.received === undefined)
    return event.type === 'ComplaintReceived'
      ? E.right(event)
      : E.left({
          code: 'complaint-not-found',
          message: `complaint ${id} has not been received: its first event must be ComplaintReceived, not ${event.type}`,
        });
  if (s.closed !== undefined) return transition(`complaint ${id} is closed; nothing may follow ComplaintClosed`);
  switch (event.type) {
    case 'ComplaintReceived':
      return transition(`complaint ${id} was already received; ComplaintReceived may occur only once`);
    case 'ComplaintAccepted':
    case 'ComplaintRejected':
      if (s.acceptedAt !== undefined) return transition(`complaint ${id} was already accepted; it is decided once`);
      if (s.rejected !== undefined) return transition(`complaint ${id} was already rejected; it is decided once`);
      return E.right(event);
    case 'ComplaintAssigned':
    case 'ComplaintAnswered':
      if (s.acceptedAt === undefined)
        return transition(
          `complaint ${id} ${s.rejected !== undefined ? 'was rejected' : 'is not accepted yet'}; ${event.type} comes only after ComplaintAccepted`,
        );
      if (event.type === 'ComplaintAnswered' && s.answered !== undefined)
        return transition(`complaint ${id} was already answered; ComplaintAnswered may occur only once`);
      return E.right(event);
    case 'ComplaintClosed':
      return s.answered !== undefined || s.rejected !== undefined
        ? E.right(event)
        : transition(`complaint ${id} has neither an answer nor a rejection; ComplaintClosed comes after one of them`);
  }
}

/** The stream's revision counts from 0: a complaint at revision r holds r + 1 events (the same bound as a case). */
function checkLength(s: ComplaintState, event: ComplaintEvent): E.Either<ComplaintError, ComplaintEvent> {
  const events = s.revision + 1;
  if (events < MAX_CASE_EVENTS) return E.right(event);
  return E.left({
    code: 'complaint-too-long',
    message: `complaint ${s.complaintId} already holds ${events} events, the most a complaint may hold (${MAX_CASE_EVENTS})`,
    details: { events, max: MAX_CASE_EVENTS },
  });
}

function checkTime(
  s: ComplaintState,
  event: ComplaintEvent,
  now: EpochMs,
  options: EventTimeOptions,
): E.Either<ComplaintError, ComplaintEvent> {
  const rejection = eventTimeRejection(parseInstant(event.occurredAt), s.lastOccurredAt, now, options, 'complaint');
  return rejection === undefined ? E.right(event) : E.left(rejection);
}

/** Accept the event (Right) or say why not (Left): order first (the most specific), then length, then time. */
export function decideComplaint(
  state: ComplaintState,
  event: ComplaintEvent,
  now: EpochMs,
  options: ComplaintDecideOptions = {},
): E.Either<ComplaintError, ComplaintEvent> {
  const order = checkOrder(state, event);
  if (E.isLeft(order)) return order;
  const length = checkLength(state, event);
  if (E.isLeft(length)) return length;
  return checkTime(state, event, now, options);
}
