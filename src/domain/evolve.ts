/**
 * The fold of a case's events into its small state. Pure and total: events
 * that break the transition rules (which `decide` prevents) are applied as far
 * as they make sense; an event whose revision ≤ state.revision is a replay and
 * leaves the state unchanged.
 */
import type { CaseEvent } from './events.js';
import type {
  CaseState,
  CaseStatus,
  EscalationAnswer,
  EventMeta,
  ExtensionState,
  LateRecord,
  PauseState,
  RatingFollowUp,
  RatingState,
} from './types.js';
import { BAD_RATING_MAX_SCORE } from './lists.js';
import { parseInstant, MS_PER_HOUR } from './time.js';
import { intern } from './intern.js';
import { DEFAULT_POLICY } from './policy.js';

const NONE: readonly never[] = Object.freeze([]);

export function initialCaseState(caseId: string): CaseState {
  return {
    caseId,
    revision: -1,
    accepted: undefined,
    acceptedAt: undefined,
    status: undefined,
    pauses: NONE,
    escalations: NONE,
    extensions: NONE,
    completedAt: undefined,
    outcome: undefined,
    lastOccurredAt: undefined,
    lateRecords: NONE,
    rating: undefined,
  };
}

export interface EvolveOptions {
  /** Keep a LateRecord when recordedAt − occurredAt exceeds this (default: the default policy's). */
  readonly lateRecordHours?: number;
}

/** Status of an accepted case from its completion and pauses. */
export function statusOf(completedAt: number | undefined, pauses: readonly PauseState[]): CaseStatus {
  if (completedAt !== undefined) return 'completed';
  for (const p of pauses) if (p.resumedAt === undefined) return 'paused';
  return 'open';
}

/** A 差评 (SPEC §2): a score ≤ 2, which opens a follow-up. */
export const isBadScore = (score: number): boolean => score <= BAD_RATING_MAX_SCORE;

/** The 差评 follow-up of a state that is still open (a bad rating not followed up). */
export const followUpOpen = (state: CaseState): boolean =>
  state.rating !== undefined && isBadScore(state.rating.score) && state.rating.followUp === undefined;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** SPEC §2: an escalation without an id is `e<n>`, n its 1-based ordinal in the case. */
export const defaultEscalationId = (escalationsBefore: number): string => `e${escalationsBefore + 1}`;

export function evolve(state: CaseState, event: CaseEvent, meta: EventMeta, options: EvolveOptions = {}): CaseState {
  if (meta.revision <= state.revision) return state;
  const at = meta.occurredAt ?? parseInstant(event.occurredAt);
  const lateMs = (options.lateRecordHours ?? DEFAULT_POLICY.lateRecordHours) * MS_PER_HOUR;
  let lateRecords = state.lateRecords;
  if (meta.recordedAt !== undefined && meta.recordedAt - at > lateMs) {
    const record: LateRecord = {
      eventType: event.type,
      revision: meta.revision,
      occurredAt: at,
      recordedAt: meta.recordedAt,
    };
    lateRecords = [...lateRecords, record];
  }
  // One allocation per event: the next state, copied field by field and then changed by the
  // switch before anyone sees it. Every field is present (absent ones undefined) and in the same
  // order as in initialCaseState, so all folded states share one hidden class (in-object fields).
  const next: Mutable<CaseState> = {
    caseId: state.caseId,
    revision: meta.revision,
    accepted: state.accepted,
    acceptedAt: state.acceptedAt,
    status: state.status,
    pauses: state.pauses,
    escalations: state.escalations,
    extensions: state.extensions,
    completedAt: state.completedAt,
    outcome: state.outcome,
    lastOccurredAt: state.lastOccurredAt === undefined || at > state.lastOccurredAt ? at : state.lastOccurredAt,
    lateRecords,
    rating: state.rating,
  };
  switch (event.type) {
    case 'CaseAccepted': {
      if (state.accepted !== undefined) break;
      const accepted: Record<string, unknown> = {
        centerId: intern(event.centerId),
        departmentId: intern(event.departmentId),
        matterCode: intern(event.matterCode),
        kind: event.kind,
        promisedDays: event.promisedDays,
        channel: event.channel,
      };
      if (event.matterName !== undefined) accepted['matterName'] = intern(event.matterName);
      if (event.legalDays !== undefined) accepted['legalDays'] = event.legalDays;
      if (event.category !== undefined) accepted['category'] = event.category;
      next.accepted = accepted as unknown as NonNullable<CaseState['accepted']>;
      next.acceptedAt = at;
      next.status = statusOf(state.completedAt, state.pauses);
      break;
    }
    case 'CasePaused': {
      if (state.completedAt !== undefined || state.pauses.some((p) => p.pauseId === event.pauseId)) break;
      const pause: Mutable<PauseState> = {
        pauseId: intern(event.pauseId),
        reason: event.reason,
        pausedAt: at,
      };
      if (event.declaredDays !== undefined) pause.declaredDays = event.declaredDays;
      if (event.note !== undefined) pause.note = event.note;
      if (meta.recordedAt !== undefined) pause.recordedAt = meta.recordedAt;
      next.pauses = [...state.pauses, pause];
      next.status = state.accepted === undefined ? undefined : 'paused';
      break;
    }
    case 'CaseResumed': {
      const i = state.pauses.findIndex((p) => p.pauseId === event.pauseId && p.resumedAt === undefined);
      if (i < 0) break;
      const pauses = state.pauses.map((p, j) => (j === i ? { ...p, resumedAt: at } : p));
      next.pauses = pauses;
      next.status = state.accepted === undefined ? undefined : statusOf(state.completedAt, pauses);
      break;
    }
    case 'CaseEscalated': {
      const escalationId = intern(event.escalationId ?? defaultEscalationId(state.escalations.length));
      if (state.escalations.some((e) => e.escalationId === escalationId)) break;
      const escalation: Record<string, unknown> = { escalationId, level: event.level, at, by: intern(event.by) };
      if (event.respondWithinDays !== undefined) escalation['respondWithinDays'] = event.respondWithinDays;
      if (event.note !== undefined) escalation['note'] = event.note;
      next.escalations = [...state.escalations, escalation as unknown as CaseState['escalations'][number]];
      break;
    }
    case 'CaseEscalationAnswered': {
      const i = state.escalations.findIndex((e) => e.escalationId === event.escalationId && e.answer === undefined);
      if (i < 0 || state.completedAt !== undefined) break;
      const answer: Mutable<EscalationAnswer> = { at };
      if (event.by !== undefined) answer.by = intern(event.by);
      if (event.note !== undefined) answer.note = event.note;
      next.escalations = state.escalations.map((e, j) => (j === i ? { ...e, answer } : e));
      break;
    }
    case 'CaseExtended': {
      if (state.accepted === undefined || state.completedAt !== undefined) break;
      const extension: ExtensionState = {
        at,
        days: event.days,
        approvedBy: intern(event.approvedBy),
        reason: event.reason,
      };
      next.extensions = [...state.extensions, extension];
      break;
    }
    case 'CaseCompleted': {
      if (state.completedAt !== undefined) break;
      next.completedAt = at;
      next.outcome = event.outcome;
      next.status = 'completed';
      break;
    }
    case 'CaseRated': {
      if (state.completedAt === undefined || state.rating !== undefined) break;
      const rating: Mutable<RatingState> = { at, score: event.score, channel: event.channel };
      if (event.comment !== undefined) rating.comment = event.comment;
      next.rating = rating;
      break;
    }
    case 'RatingFollowedUp': {
      const rating = state.rating;
      if (rating === undefined || !isBadScore(rating.score) || rating.followUp !== undefined) break;
      const followUp: Mutable<RatingFollowUp> = { at, note: event.note };
      if (event.by !== undefined) followUp.by = intern(event.by);
      next.rating = { ...rating, followUp };
      break;
    }
  }
  return next;
}

/** Fold a list of events (revisions 0, 1, … unless given) from the initial state. */
export function foldEvents(
  caseId: string,
  events: readonly (CaseEvent | { readonly event: CaseEvent; readonly meta: EventMeta })[],
  options: EvolveOptions = {},
): CaseState {
  let state = initialCaseState(caseId);
  events.forEach((item, i) => {
    const pair = 'meta' in item ? item : { event: item, meta: { revision: i } };
    state = evolve(state, pair.event, pair.meta, options);
  });
  return state;
}
