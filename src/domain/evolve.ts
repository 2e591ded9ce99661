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
  EscalationState,
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
import { markIndexed } from './idIndex.js';
import {
  append,
  ARRAY_FIELDS,
  escalationPosition,
  pausePosition,
  replaceAt,
  type ArrayField,
  type Mutable,
} from './stateArrays.js';

export { escalationPosition, pausePosition } from './stateArrays.js';

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

/** SPEC §2: an escalation without an id is `e<n>`, n its 1-based ordinal in the case. */
export const defaultEscalationId = (escalationsBefore: number): string => `e${escalationsBefore + 1}`;

export function evolve(state: CaseState, event: CaseEvent, meta: EventMeta, options: EvolveOptions = {}): CaseState {
  if (meta.revision <= state.revision) return state;
  // One allocation per event: the next state, a copy of this one changed by applyEvent before anyone
  // sees it (an array it changes is copied, never the one `state` holds).
  const next = copyState(state);
  applyEvent(next, event, meta, options, undefined);
  return next;
}

/**
 * A private fold of many events of one case (a batch being decided, a stream
 * being read): `evolve`'s rules, but each array of the state is copied at most
 * once (the first time an event changes it) and then grown in place, and
 * lookups by pause or escalation id use an index (idIndex.ts). n events cost
 * O(n) however long the case is: `evolve` in a loop copies an array per event,
 * O(n²) for a case of many escalations (issue 13).
 *
 * The base state is never changed. `state` is the running state, for `decide`
 * between events: read it, do not keep it (it changes with the next `apply`).
 */
export class CaseDraft {
  private readonly next: Mutable<CaseState>;
  private readonly owned = new Set<ArrayField>();
  private finished = false;

  constructor(
    base: CaseState,
    private readonly options: EvolveOptions = {},
  ) {
    this.next = copyState(base);
    for (const field of ARRAY_FIELDS) markIndexed(base[field]);
  }

  get state(): CaseState {
    return this.next;
  }

  /** Folds one more event, exactly as `evolve` would (a replay, revision ≤ the state's, changes nothing). */
  apply(event: CaseEvent, meta: EventMeta): void {
    if (this.finished) throw new Error('CaseDraft: apply after finish');
    if (meta.revision <= this.next.revision) return;
    applyEvent(this.next, event, meta, this.options, this.owned);
  }

  /** Marks the stream's revision without an event (a stored event that cannot be decoded still holds its place). */
  skipTo(revision: number): void {
    if (this.finished) throw new Error('CaseDraft: skipTo after finish');
    if (revision > this.next.revision) this.next.revision = revision;
  }

  /** The state after every event applied; the draft takes no more events. */
  finish(): CaseState {
    this.finished = true;
    return this.next;
  }
}

/**
 * Every field present (absent ones undefined) and in the same order as in initialCaseState,
 * so all folded states share one hidden class (in-object fields).
 */
function copyState(state: CaseState): Mutable<CaseState> {
  return {
    caseId: state.caseId,
    revision: state.revision,
    accepted: state.accepted,
    acceptedAt: state.acceptedAt,
    status: state.status,
    pauses: state.pauses,
    escalations: state.escalations,
    extensions: state.extensions,
    completedAt: state.completedAt,
    outcome: state.outcome,
    lastOccurredAt: state.lastOccurredAt,
    lateRecords: state.lateRecords,
    rating: state.rating,
  };
}

/**
 * `evolve`'s rules, applied to `next` (the state before the event, written over): each case reads
 * what it needs of `next` before it changes it. `owned`: the arrays `next` may change in place.
 */
function applyEvent(
  next: Mutable<CaseState>,
  event: CaseEvent,
  meta: EventMeta,
  options: EvolveOptions,
  owned: Set<ArrayField> | undefined,
): void {
  const at = meta.occurredAt ?? parseInstant(event.occurredAt);
  const lateMs = (options.lateRecordHours ?? DEFAULT_POLICY.lateRecordHours) * MS_PER_HOUR;
  if (meta.recordedAt !== undefined && meta.recordedAt - at > lateMs) {
    const record: LateRecord = {
      eventType: event.type,
      revision: meta.revision,
      occurredAt: at,
      recordedAt: meta.recordedAt,
    };
    append(next, 'lateRecords', record, owned);
  }
  next.revision = meta.revision;
  if (next.lastOccurredAt === undefined || at > next.lastOccurredAt) next.lastOccurredAt = at;
  switch (event.type) {
    case 'CaseAccepted': {
      if (next.accepted !== undefined) break;
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
      next.status = statusOf(next.completedAt, next.pauses);
      break;
    }
    case 'CasePaused': {
      if (next.completedAt !== undefined || pausePosition(next.pauses, event.pauseId) >= 0) break;
      const pause: Mutable<PauseState> = {
        pauseId: intern(event.pauseId),
        reason: event.reason,
        pausedAt: at,
      };
      if (event.declaredDays !== undefined) pause.declaredDays = event.declaredDays;
      if (event.note !== undefined) pause.note = event.note;
      if (meta.recordedAt !== undefined) pause.recordedAt = meta.recordedAt;
      append(next, 'pauses', pause, owned);
      next.status = next.accepted === undefined ? undefined : 'paused';
      break;
    }
    case 'CaseResumed': {
      const i = pausePosition(next.pauses, event.pauseId);
      const pause = next.pauses[i];
      if (pause === undefined || pause.resumedAt !== undefined) break;
      replaceAt(next, 'pauses', i, { ...pause, resumedAt: at }, owned);
      next.status = next.accepted === undefined ? undefined : statusOf(next.completedAt, next.pauses);
      break;
    }
    case 'CaseEscalated': {
      const escalationId = intern(event.escalationId ?? defaultEscalationId(next.escalations.length));
      if (escalationPosition(next.escalations, escalationId) >= 0) break;
      const escalation: Record<string, unknown> = { escalationId, level: event.level, at, by: intern(event.by) };
      if (event.respondWithinDays !== undefined) escalation['respondWithinDays'] = event.respondWithinDays;
      if (event.note !== undefined) escalation['note'] = event.note;
      append(next, 'escalations', escalation as unknown as EscalationState, owned);
      break;
    }
    case 'CaseEscalationAnswered': {
      const i = escalationPosition(next.escalations, event.escalationId);
      const escalation = next.escalations[i];
      if (escalation === undefined || escalation.answer !== undefined || next.completedAt !== undefined) break;
      const answer: Mutable<EscalationAnswer> = { at };
      if (event.by !== undefined) answer.by = intern(event.by);
      if (event.note !== undefined) answer.note = event.note;
      replaceAt(next, 'escalations', i, { ...escalation, answer }, owned);
      break;
    }
    case 'CaseExtended': {
      if (next.accepted === undefined || next.completedAt !== undefined) break;
      const extension: Mutable<ExtensionState> = {
        at,
        days: event.days,
        approvedBy: intern(event.approvedBy),
        reason: event.reason,
      };
      if (meta.recordedAt !== undefined) extension.recordedAt = meta.recordedAt;
      append(next, 'extensions', extension, owned);
      break;
    }
    case 'CaseCompleted': {
      if (next.completedAt !== undefined) break;
      next.completedAt = at;
      next.outcome = event.outcome;
      next.status = 'completed';
      break;
    }
    case 'CaseRated': {
      if (next.completedAt === undefined || next.rating !== undefined) break;
      const rating: Mutable<RatingState> = { at, score: event.score, channel: event.channel };
      if (event.comment !== undefined) rating.comment = event.comment;
      next.rating = rating;
      break;
    }
    case 'RatingFollowedUp': {
      const rating = next.rating;
      if (rating === undefined || !isBadScore(rating.score) || rating.followUp !== undefined) break;
      const followUp: Mutable<RatingFollowUp> = { at, note: event.note };
      if (event.by !== undefined) followUp.by = intern(event.by);
      next.rating = { ...rating, followUp };
      break;
    }
  }
}

/** Fold a list of events (revisions 0, 1, … unless given) from the initial state, in O(n) (a CaseDraft). */
export function foldEvents(
  caseId: string,
  events: readonly (CaseEvent | { readonly event: CaseEvent; readonly meta: EventMeta })[],
  options: EvolveOptions = {},
): CaseState {
  const draft = new CaseDraft(initialCaseState(caseId), options);
  events.forEach((item, i) => {
    if ('meta' in item) draft.apply(item.event, item.meta);
    else draft.apply(item, { revision: i });
  });
  return draft.finish();
}
