/**
 * A complaint's state folded from its events: `(state, event) → state`, pure.
 * Instants are epoch ms read once from occurredAt; the order rules are decide's,
 * so evolve takes any event as given (a stored stream is replayed as written).
 */
import { DEFAULT_POLICY } from '../policy.js';
import { MS_PER_HOUR, parseInstant } from '../time.js';
import type { EpochMs, LateRecord } from '../types.js';
import type { ComplaintEvent } from './events.js';
import type { ComplaintChannel, ComplaintFinding, ComplaintStatus, SatisfactionLevel } from './lists.js';

export interface ComplaintState {
  readonly complaintId: string;
  /** Stream revision of the last event folded; −1 for no events. */
  readonly revision: number;
  readonly lastOccurredAt?: EpochMs;
  readonly received?: {
    readonly at: EpochMs;
    readonly channel: ComplaintChannel;
    readonly centerId: string;
    readonly subject: string;
    readonly caseId?: string;
    readonly anonymous?: boolean;
  };
  /** The department in charge: the receipt's, then the latest assignment's. */
  readonly departmentId?: string;
  /**
   * Who was in charge from when: the receipt's department (null: none), then each assignment's,
   * in stream order, so a figure of a past month stays with the department in charge then
   * (`departmentAt`). Absent in states saved before session 15 (then the department in charge now).
   */
  readonly departments?: readonly DepartmentSpell[];
  readonly acceptedAt?: EpochMs;
  readonly rejected?: { readonly at: EpochMs; readonly reason: string };
  readonly answered?: {
    readonly at: EpochMs;
    readonly finding: ComplaintFinding;
    readonly note?: string;
    /**
     * The department in charge when it was answered (null: none), whose finding it is: an
     * assignment after the answer changes the department in charge, not who answered. Absent
     * in states saved before session 14 (then the department in charge is taken).
     */
    readonly departmentId?: string | null;
  };
  readonly closed?: { readonly at: EpochMs; readonly satisfaction?: SatisfactionLevel };
  /**
   * The events recorded more than `lateRecordHours` after they occurred, in stream order (the case
   * fold's `lateRecords`): each a `complaint-late-record` card under a policy whose threshold it
   * passes. Absent when none (and in states saved before session 21: snapshot format 11).
   */
  readonly lateRecords?: readonly LateRecord[];
}

/** What the fold keeps (the case fold's `EvolveOptions`): late records over the lowest threshold of any policy version. */
export interface ComplaintEvolveOptions {
  /** Keep a LateRecord when recordedAt − occurredAt exceeds this many hours (default: the default policy's). */
  readonly lateRecordHours?: number;
}

/** A department in charge of a complaint from `from` on (null: none). */
export interface DepartmentSpell {
  readonly from: EpochMs;
  readonly departmentId: string | null;
}

export const initialComplaintState = (complaintId: string): ComplaintState => ({ complaintId, revision: -1 });

export function complaintStatusOf(s: ComplaintState): ComplaintStatus {
  if (s.closed !== undefined) return 'closed';
  if (s.answered !== undefined) return 'answered';
  if (s.rejected !== undefined) return 'rejected';
  if (s.acceptedAt !== undefined) return 'accepted';
  return 'received';
}

/** The department whose answer it is: in charge when answered (undefined: none, or not answered). */
export function answeringDepartmentOf(s: ComplaintState): string | undefined {
  const a = s.answered;
  if (a === undefined) return undefined;
  return a.departmentId === undefined ? s.departmentId : (a.departmentId ?? undefined);
}

/**
 * The department in charge at `at` (undefined: none): the last spell begun at or before it; an
 * assignment at the very instant of another event counts for that event. The answer has its
 * own record (`answeringDepartmentOf`), exact in stream order.
 */
export function departmentAt(s: ComplaintState, at: EpochMs): string | undefined {
  const spells = s.departments;
  if (spells === undefined || spells.length === 0) return s.departmentId;
  let current = spells[0]!.departmentId;
  for (let i = 1; i < spells.length && spells[i]!.from <= at; i++) current = spells[i]!.departmentId;
  return current ?? undefined;
}

/** The decision (accept or reject) instant, if any. */
export const decidedAtOf = (s: ComplaintState): EpochMs | undefined => s.acceptedAt ?? s.rejected?.at;

export function evolveComplaint(
  state: ComplaintState,
  event: ComplaintEvent,
  meta: { readonly revision?: number; readonly occurredAt?: EpochMs; readonly recordedAt?: EpochMs } = {},
  options: ComplaintEvolveOptions = {},
): ComplaintState {
  const at = meta.occurredAt ?? parseInstant(event.occurredAt);
  const revision = meta.revision ?? state.revision + 1;
  const lateMs = (options.lateRecordHours ?? DEFAULT_POLICY.lateRecordHours) * MS_PER_HOUR;
  const late: LateRecord | undefined =
    meta.recordedAt !== undefined && meta.recordedAt - at > lateMs
      ? { eventType: event.type, revision, occurredAt: at, recordedAt: meta.recordedAt }
      : undefined;
  const base = {
    ...state,
    revision,
    lastOccurredAt: state.lastOccurredAt === undefined || at > state.lastOccurredAt ? at : state.lastOccurredAt,
    ...(late === undefined ? {} : { lateRecords: [...(state.lateRecords ?? []), late] }),
  };
  switch (event.type) {
    case 'ComplaintReceived':
      return {
        ...base,
        received: {
          at,
          channel: event.channel,
          centerId: event.centerId,
          subject: event.subject,
          ...(event.caseId !== undefined ? { caseId: event.caseId } : {}),
          ...(event.anonymous !== undefined ? { anonymous: event.anonymous } : {}),
        },
        ...(event.departmentId !== undefined ? { departmentId: event.departmentId } : {}),
        departments: [{ from: at, departmentId: event.departmentId ?? null }],
      };
    case 'ComplaintAccepted':
      return { ...base, acceptedAt: at };
    case 'ComplaintRejected':
      return { ...base, rejected: { at, reason: event.reason } };
    case 'ComplaintAssigned':
      return {
        ...base,
        departmentId: event.departmentId,
        ...(state.departments === undefined
          ? {}
          : { departments: [...state.departments, { from: at, departmentId: event.departmentId }] }),
      };
    case 'ComplaintAnswered':
      return {
        ...base,
        answered: {
          at,
          finding: event.finding,
          ...(event.note !== undefined ? { note: event.note } : {}),
          departmentId: state.departmentId ?? null,
        },
      };
    case 'ComplaintClosed':
      return {
        ...base,
        closed: { at, ...(event.satisfaction !== undefined ? { satisfaction: event.satisfaction } : {}) },
      };
  }
}

/** Fold a list of events from the empty state (replaying the same list twice gives equal states). */
export function foldComplaint(complaintId: string, events: readonly ComplaintEvent[]): ComplaintState {
  let s = initialComplaintState(complaintId);
  for (const e of events) s = evolveComplaint(s, e);
  return s;
}
