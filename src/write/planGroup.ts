/**
 * Deciding one case's events (a "group", in request order) on a running state:
 * pure, no store. Each accepted event is evolved once, here (into a CaseDraft:
 * linear in the group, however long the case); the state after
 * the group is what the write cache keeps once the append succeeds.
 *
 * The basis is either the store's fresh read (every stored event by eventId)
 * or a guess (the write cache, or an empty stream for a group opening with
 * CaseAccepted). From a guess only "append it" is answered, and case-too-long
 * (a case never gets shorter, so a stale guess cannot make that refusal wrong):
 * anything else (another rejection, a known eventId) answers undefined and the
 * caller re-reads, so a stale cache never refuses an event wrongly and a retry
 * gets its original result.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { decide, type DecideOptions } from '../domain/decide.js';
import { CaseDraft } from '../domain/evolve.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState, EpochMs } from '../domain/types.js';
import type { StoredRef } from './caseStream.js';
import { forbiddenCenter, rejected, usedInAnotherStream, type WriteResult } from './results.js';
import { sameEvent } from './sameEvent.js';

/** A decoded event with its eventId set (the client's, lower-cased, or a generated one). */
export type WriteEvent = CaseEvent & { readonly eventId: string };

/** The events of one case, in request order; `ifMatch`: the revision the client expects before the first event. */
export interface CaseGroup {
  readonly caseId: string;
  readonly events: readonly WriteEvent[];
  readonly ifMatch?: number;
}

export type Basis =
  | { readonly fresh: false; readonly state: CaseState; readonly eventIds: ReadonlySet<string> }
  | { readonly fresh: true; readonly state: CaseState; readonly byEventId: ReadonlyMap<string, StoredRef> };

export interface PendingEvent {
  readonly index: number;
  readonly event: WriteEvent;
}

export interface Plan {
  readonly answered: ReadonlyMap<number, WriteResult>;
  /** The events to append, in order, at revisions base.revision + 1, + 2, … */
  readonly pending: readonly PendingEvent[];
  /** index → index of the first occurrence of the same event in this group (answered with that one's result). */
  readonly sameAs: ReadonlyMap<number, number>;
  readonly base: CaseState;
  readonly after: CaseState;
}

export interface PlanContext {
  readonly now: EpochMs;
  readonly mayWriteCenter: (centerId: string) => boolean;
  readonly decideOptions: DecideOptions;
  /** eventIds the store said are already stored (somewhere) when an earlier attempt appended them. */
  readonly storedSomewhere: ReadonlySet<string>;
}

export function planGroup(group: CaseGroup, basis: Basis, ctx: PlanContext): Plan | undefined {
  const { caseId, events, ifMatch } = group;
  const answered = new Map<number, WriteResult>();
  const pending: PendingEvent[] = [];
  const sameAs = new Map<number, number>();
  const firstIndexOf = new Map<string, number>();
  // The running state: each accepted event folded into a private draft, so a group of n events costs O(n).
  const draft = new CaseDraft(basis.state);
  const state = draft.state;
  let refusedEventId: string | undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as WriteEvent;
    const { eventId } = event;
    if (refusedEventId === undefined) {
      const earlier = answered.get(index - 1);
      if (earlier?.kind === 'rejected') refusedEventId = earlier.eventId;
    }
    if (refusedEventId !== undefined) {
      answered.set(index, earlierRefused(caseId, eventId, { eventId: refusedEventId }));
      continue;
    }
    const first = firstIndexOf.get(eventId);
    if (first !== undefined) {
      if (sameEvent(events[first] as WriteEvent, event)) sameAs.set(index, first);
      else answered.set(index, rejected(caseId, eventId, 'event-id-conflict', usedEarlier(eventId)));
      continue;
    }
    firstIndexOf.set(eventId, index);
    const center = state.accepted?.centerId ?? (event.type === 'CaseAccepted' ? event.centerId : undefined);
    if (center !== undefined && !ctx.mayWriteCenter(center)) {
      if (!basis.fresh) return undefined;
      answered.set(
        index,
        rejected(
          caseId,
          eventId,
          'forbidden-center',
          forbiddenCenter('cases', state.accepted === undefined ? center : undefined),
        ),
      );
      continue;
    }
    if (!basis.fresh) {
      if (basis.eventIds.has(eventId) || ctx.storedSomewhere.has(eventId)) return undefined;
    } else {
      const stored = basis.byEventId.get(eventId);
      if (stored !== undefined) {
        answered.set(index, againOrConflict(caseId, event, stored));
        continue;
      }
      if (ctx.storedSomewhere.has(eventId)) {
        answered.set(index, rejected(caseId, eventId, 'event-id-conflict', usedInAnotherStream(eventId)));
        continue;
      }
    }
    // A case with no events answers 404 case-not-found to all but CaseAccepted (SPEC §2), If-Match or not.
    const unknownCase = state.revision < 0 && event.type !== 'CaseAccepted';
    if (ifMatch !== undefined && state.revision !== ifMatch && !unknownCase) {
      if (!basis.fresh) return undefined;
      answered.set(
        index,
        rejected(
          caseId,
          eventId,
          'revision-conflict',
          `If-Match expects revision ${ifMatch} but the case is at revision ${state.revision}`,
          { expected: ifMatch, actual: state.revision },
        ),
      );
      continue;
    }
    const decision = decide(state, event, ctx.now, ctx.decideOptions);
    if (isLeft(decision)) {
      // A case never gets shorter: a full case is full in the store too, so that refusal needs no read.
      if (!basis.fresh && decision.left.code !== 'case-too-long') return undefined;
      const { code, message, details } = decision.left;
      answered.set(index, rejected(caseId, eventId, code, message, details));
      continue;
    }
    pending.push({ index, event });
    draft.apply(event, { revision: state.revision + 1 });
  }
  return { answered, pending, sameAs, base: basis.state, after: draft.finish() };
}

/**
 * An event after a refused one of its case in the same request (named by its eventId, or by its
 * row when it was too malformed to have one): not decided, not written.
 */
export function earlierRefused(
  caseId: string,
  eventId: string,
  refused: { readonly eventId: string } | { readonly row: number },
): WriteResult {
  const which = 'eventId' in refused ? `event ${refused.eventId}` : `the event in row ${refused.row}`;
  return rejected(
    caseId,
    eventId,
    'earlier-event-refused',
    `${which} of case ${caseId}, earlier in this request, was refused, so nothing after it was written; send it corrected, then this again`,
    'eventId' in refused ? { refusedEventId: refused.eventId } : { refusedRow: refused.row },
  );
}

/** A known eventId: the original result for the same event, a conflict for a different one. */
function againOrConflict(caseId: string, event: WriteEvent, stored: StoredRef): WriteResult {
  if (sameEvent(event, stored.recorded.data)) {
    const { revision, recorded } = stored;
    return { kind: 'duplicate', caseId, eventId: event.eventId, revision, position: recorded.position };
  }
  return rejected(
    caseId,
    event.eventId,
    'event-id-conflict',
    `eventId ${event.eventId} is already used by a different event of this case (revision ${stored.revision}); nothing was written`,
    { revision: stored.revision },
  );
}

const usedEarlier = (eventId: string): string =>
  `eventId ${eventId} is used earlier in this request by a different event; nothing was written for this one`;
