/**
 * Replays generated events through the command side (decide) and the fold
 * (evolve), as a recorder's append would: used by the tests and benchmarks to
 * prove every generated event is one the engine accepts.
 */
import * as E from 'fp-ts/lib/Either.js';
import { decide, evolve, initialCaseState } from '../domain/index.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState, EpochMs } from '../domain/types.js';
import {
  type ComplaintEvent,
  type ComplaintState,
  decideComplaint,
  evolveComplaint,
  initialComplaintState,
} from '../domain/complaints/index.js';

export interface Refusal {
  /** The case id (or complaint id) of the refused event. */
  readonly caseId: string;
  readonly index: number;
  readonly type: string;
  readonly message: string;
}

/** Folds events in order; `now(i)` is the instant each is appended. Returns states and refusals. */
export function replayThroughDomain(
  events: readonly CaseEvent[],
  now: (event: CaseEvent, index: number) => EpochMs,
): { readonly states: Map<string, CaseState>; readonly refusals: Refusal[] } {
  const states = new Map<string, CaseState>();
  const refusals: Refusal[] = [];
  events.forEach((event, index) => {
    const state = states.get(event.caseId) ?? initialCaseState(event.caseId);
    const at = now(event, index);
    const verdict = decide(state, event, at);
    if (E.isLeft(verdict)) {
      refusals.push({ caseId: event.caseId, index, type: event.type, message: verdict.left.message });
      return;
    }
    states.set(event.caseId, evolve(state, event, { revision: state.revision + 1, recordedAt: at }));
  });
  return { states, refusals };
}

/** Folds complaint events in order through decideComplaint and evolveComplaint; `now(i)` is each one's append instant. */
export function replayComplaints(
  events: readonly ComplaintEvent[],
  now: (event: ComplaintEvent, index: number) => EpochMs,
): { readonly states: Map<string, ComplaintState>; readonly refusals: Refusal[] } {
  const states = new Map<string, ComplaintState>();
  const refusals: Refusal[] = [];
  events.forEach((event, index) => {
    const state = states.get(event.complaintId) ?? initialComplaintState(event.complaintId);
    const verdict = decideComplaint(state, event, now(event, index));
    if (E.isLeft(verdict)) {
      refusals.push({ caseId: event.complaintId, index, type: event.type, message: verdict.left.message });
      return;
    }
    states.set(event.complaintId, evolveComplaint(state, event));
  });
  return { states, refusals };
}
