/**
 * The fold of a case's events into its small state. Pure and total: events
 * that break the transition rules (which `decide` prevents) are applied as far
 * as they make sense; an event whose revision ≤ state.revision is a replay and
 * leaves the state unchanged.
 */
import type { CaseEvent } from './events.js';
import type { CaseState, CaseStatus, EventMeta, LateRecord, PauseState } from './types.js';
import { parseInstant, MS_PER_HOUR } from './time.js';
import { intern } from './intern.js';
import { DEFAULT_POLICY } from './policy.js';

const NONE: readonly never[] = Object.freeze([]);

export function initialCaseState(caseId: string): CaseState {
  return { caseId, revision: -1, pauses: NONE, escalations: NONE, lateRecords: NONE };
}

export interface EvolveOptions {
  /** Keep a LateRecord when recordedAt − occurredAt exceeds this (default: the default policy's). */
  readonly lateRecordHours?: number;
}

function statusOf(completedAt: number | undefined, pauses: readonly PauseState[]): CaseStatus {
  if (completedAt !== undefined) return 'completed';
  return pauses.some((p) => p.resumedAt === undefined) ? 'paused' : 'open';
}

export function evolve(state: CaseState, event: CaseEvent, meta: EventMeta, options: EvolveOptions = {}): CaseState {
  if (meta.revision <= state.revision) return state;
  const at = parseInstant(event.occurredAt);
  const lateMs = (options.lateRecordHours ?? DEFAULT_POLICY.lateRecordHours) * MS_PER_HOUR;
  let lateRecords = state.lateRecords;
  if (meta.recordedAt !== undefined && meta.recordedAt - at > lateMs) {
    const record: LateRecord = { eventType: event.type, revision: meta.revision, occurredAt: at, recordedAt: meta.recordedAt };
    lateRecords = [...lateRecords, record];
  }
  const base = {
    ...state,
    revision: meta.revision,
    lastOccurredAt: state.lastOccurredAt === undefined ? at : Math.max(state.lastOccurredAt, at),
    lateRecords,
  };
  switch (event.type) {
    case 'CaseAccepted': {
      if (state.accepted !== undefined) return base;
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
      return {
        ...base,
        accepted: accepted as unknown as NonNullable<CaseState['accepted']>,
        acceptedAt: at,
        status: statusOf(state.completedAt, state.pauses),
      };
    }
    case 'CasePaused': {
      if (state.completedAt !== undefined || state.pauses.some((p) => p.pauseId === event.pauseId)) return base;
      const pause: { -readonly [K in keyof PauseState]: PauseState[K] } = {
        pauseId: intern(event.pauseId),
        reason: event.reason,
        pausedAt: at,
      };
      if (event.declaredDays !== undefined) pause.declaredDays = event.declaredDays;
      if (event.note !== undefined) pause.note = event.note;
      if (meta.recordedAt !== undefined) pause.recordedAt = meta.recordedAt;
      const pauses = [...state.pauses, pause];
      return { ...base, pauses, status: state.accepted === undefined ? undefined : statusOf(undefined, pauses) };
    }
    case 'CaseResumed': {
      const i = state.pauses.findIndex((p) => p.pauseId === event.pauseId && p.resumedAt === undefined);
      if (i < 0) return base;
      const pauses = state.pauses.map((p, j) => (j === i ? { ...p, resumedAt: at } : p));
      return { ...base, pauses, status: state.accepted === undefined ? undefined : statusOf(state.completedAt, pauses) };
    }
    case 'CaseEscalated': {
      const escalation: Record<string, unknown> = { level: event.level, at, by: intern(event.by) };
      if (event.respondWithinDays !== undefined) escalation['respondWithinDays'] = event.respondWithinDays;
      if (event.note !== undefined) escalation['note'] = event.note;
      return { ...base, escalations: [...state.escalations, escalation as unknown as CaseState['escalations'][number]] };
    }
    case 'CaseCompleted': {
      if (state.completedAt !== undefined) return base;
      return { ...base, completedAt: at, outcome: event.outcome, status: 'completed' };
    }
  }
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
