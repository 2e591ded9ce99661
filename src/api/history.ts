/**
 * `GET /cases/{caseId}/history`: the auditor's replay. Every event of the case
 * stream in order, with the store's revision, position and recordedAt, and the
 * case as derived right after it (evaluated at the event's occurredAt); cards
 * are interleaved at the instants they started (and, for yellow, cleared).
 * `asOf` cuts the story: only events that occurred by then, cards as of then.
 */
import { initialCaseState } from '../domain/evolve.js';
import { evaluate } from '../domain/evaluate.js';
import type { CalendarService } from '../domain/calendar/service.js';
import type { CaseEvent } from '../domain/events.js';
import type { Policy } from '../domain/policy.js';
import type { Card, CaseEvaluation, EpochMs } from '../domain/types.js';
import type { EventStore } from '../store/port.js';
import { foldCaseStream } from '../write/caseStream.js';

export interface HistoryDeps {
  readonly store: EventStore;
  readonly calendarService: CalendarService;
  readonly policy: Policy;
}

export type HistoryEntry =
  | {
      readonly kind: 'event';
      readonly at: string;
      readonly revision: number;
      readonly position: string;
      readonly recordedAt: string;
      readonly type: string;
      readonly event: CaseEvent;
      /** The case right after this event, evaluated at its occurredAt. */
      readonly state: CaseEvaluation;
    }
  | { readonly kind: 'card-raised' | 'card-cleared'; readonly at: string; readonly card: Card };

export interface CaseHistory {
  readonly caseId: string;
  readonly asOf: string;
  readonly calendarVersion: string;
  readonly policyVersion: string;
  readonly entries: readonly HistoryEntry[];
  /** The case evaluated at asOf. */
  readonly current: CaseEvaluation;
}

export async function buildHistory(deps: HistoryDeps, caseId: string, asOf: EpochMs): Promise<CaseHistory | undefined> {
  const calendar = deps.calendarService.current();
  const policy = deps.policy;
  let state = initialCaseState(caseId);
  const entries: { sortKey: number; order: number; entry: HistoryEntry }[] = [];
  let order = 0;
  for await (const folded of foldCaseStream(deps.store, caseId, policy.lateRecordHours)) {
    const { recorded, event } = folded;
    const occurredAt = Date.parse(event.occurredAt);
    if (occurredAt > asOf) break; // occurredAt never goes backwards within a case
    state = folded.state;
    entries.push({
      sortKey: occurredAt,
      order: order++,
      entry: {
        kind: 'event',
        at: event.occurredAt,
        revision: Number(recorded.revision),
        position: recorded.position.toString(),
        recordedAt: recorded.recordedAt,
        type: recorded.type,
        event,
        state: evaluated(evaluate(state, occurredAt, policy, calendar)),
      },
    });
  }
  if (state.accepted === undefined) return undefined;
  const current = evaluated(evaluate(state, asOf, policy, calendar, { explain: true }));
  for (const card of current.cards) {
    entries.push({
      sortKey: Date.parse(card.startedAt),
      order: order++,
      entry: { kind: 'card-raised', at: card.startedAt, card },
    });
    if (card.clearedAt !== undefined && Date.parse(card.clearedAt) <= asOf) {
      entries.push({
        sortKey: Date.parse(card.clearedAt),
        order: order++,
        entry: { kind: 'card-cleared', at: card.clearedAt, card },
      });
    }
  }
  entries.sort((a, b) => a.sortKey - b.sortKey || a.order - b.order);
  return {
    caseId,
    asOf: current.asOf,
    calendarVersion: current.calendarVersion,
    policyVersion: current.policyVersion,
    entries: entries.map((e) => e.entry),
    current,
  };
}

function evaluated(e: CaseEvaluation | null): CaseEvaluation {
  if (e === null) throw new Error('an accepted case evaluated to nothing');
  return e;
}
