/**
 * `GET /cases/{caseId}/history`: the auditor's replay, one page at a time.
 * Every event of the case stream in revision order with the store's revision,
 * position and recordedAt, and a summary of the case right after it (evaluated
 * at its occurredAt); cards are interleaved at the instants they started (and,
 * for yellow, cleared), and the register's withdrawn cards of the case at the
 * instants they were withdrawn (`card-withdrawn`: a card, or a yellow card's
 * clearing, a later write withdrew; the first page's `current.withdrawnCards`
 * lists them all, as `GET /cases/{id}` does). `asOf` cuts the story at the
 * events that occurred by then; `asKnownAt` keeps only what was recorded by
 * then (caseKnownAt.ts), withdrawals included.
 *
 * Bounded work per page: one fold of the stream (evolve per event, in 4 ms
 * slices with a turn of the event loop between them), one summary per event of
 * the page, one full evaluation at asOf for the cards (and, with `asKnownAt` and
 * a withdrawn card, one at K, where the withdrawn cards now start as known then:
 * the fold then reads the events recorded by K past `asOf` too).
 * A page holds `limit` events; `next` is the revision to pass as `after`.
 * A card belongs to the page of the last event at or before its instant.
 */
import { evaluate, formatInstant, type Card, type CaseEvaluation, type EpochMs } from '../domain/index.js';
import type { EvaluateOptions } from '../domain/evaluate.js';
import {
  calendarFor,
  defaultAsOf,
  directoryVersionOf,
  foldKnownCase,
  type CaseSourceDeps,
  type FoldContext,
} from './caseKnownAt.js';
import { summarize, type StateSummary } from './historySummary.js';
import type { CaseEvent } from '../domain/events.js';
import type { CaseState } from '../domain/types.js';
import type { CaseKnownAtK, KnownAt } from '../projections/types.js';
import type { WithdrawnCardView } from '../projections/withdrawnCardRegister.js';
import { knownPositions } from '../store/core/positions.js';
import { onOwnStream } from './ownStream.js';
import { type RecordedEvent, UNKNOWN_POSITION } from '../store/port.js';
import { timeSlice, type TimeSlice } from '../write/timeSlice.js';

export interface HistoryDeps extends CaseSourceDeps {
  /** The case's withdrawn cards (the read models' register; as known at K when given). Absent: none shown. */
  readonly withdrawnCardsOf?: (caseId: string, known?: KnownAt<CaseKnownAtK>) => readonly WithdrawnCardView[];
}

export const HISTORY_DEFAULT_LIMIT = 200;
export const HISTORY_MAX_LIMIT = 1000;

export interface HistoryQuery {
  /** Cut the story at this instant; default: now, or the case's last event when that lies ahead. */
  readonly asOf: EpochMs | undefined;
  readonly knownAt: EpochMs | undefined;
  readonly now: EpochMs;
  /** Events per page, 1–HISTORY_MAX_LIMIT. */
  readonly limit: number;
  /** Start after this revision (the previous page's `next`); undefined for the first page. */
  readonly after: number | undefined;
}

export type HistoryEntry =
  | {
      readonly kind: 'event';
      readonly at: string;
      readonly revision: number;
      readonly position: string;
      readonly recordedAt: string;
      readonly type: string;
      readonly actor?: string;
      /**
       * Recorded later after it occurred than the policy allows: the event a `late-record` card is of
       * (the domain's rule, folded with the case's policy; the page marks it from here, never recomputes it).
       */
      readonly lateRecord?: true;
      readonly event: CaseEvent;
      /** The case right after this event, at its occurredAt. */
      readonly state: StateSummary;
    }
  | { readonly kind: 'card-raised' | 'card-cleared'; readonly at: string; readonly card: Card }
  /** A card (or a yellow card's clearing) a write recorded at `at` withdrew: the register's row. */
  | { readonly kind: 'card-withdrawn'; readonly at: string; readonly card: WithdrawnCardView };

export interface HistoryPage {
  readonly caseId: string;
  readonly asOf: string;
  readonly asKnownAt?: string;
  readonly calendarVersion: string;
  readonly policyVersion: string;
  /** The directory whose regions the case was timed by (as known at K when given); absent: none kept. */
  readonly directoryVersion?: number;
  readonly limit: number;
  readonly entries: readonly HistoryEntry[];
  /** The revision to ask `after` for the next page; null on the last page. */
  readonly next: number | null;
  /** The case evaluated at asOf, cards explained, and its withdrawn cards (when any): on the first page only. */
  readonly current?: CaseEvaluation & { readonly withdrawnCards?: readonly WithdrawnCardView[] };
}

interface Row {
  readonly t: EpochMs;
  /** Events before cards at the same instant; then revision, or card order. */
  readonly rank: number;
  readonly order: number;
  readonly entry: HistoryEntry;
  /** An event row's event as read (its position may be UNKNOWN_POSITION: withStorePositions). */
  readonly recorded?: RecordedEvent;
}

export async function buildHistoryPage(
  deps: HistoryDeps,
  caseId: string,
  query: HistoryQuery,
  /** When the fold yields a turn (every 4 ms of work by default). */
  slice: TimeSlice = timeSlice(),
): Promise<HistoryPage | undefined> {
  const calendar = await calendarFor(deps, query.knownAt);
  const context: FoldContext = { policy: undefined };
  const firstRevision = (query.after ?? -1) + 1;
  const rows: Row[] = [];
  let state: CaseState | undefined;
  // Every event recorded by K, past asOf too: where the withdrawn cards start as known at K.
  let knownState: CaseState | undefined;
  const readsPastAsOf = query.knownAt !== undefined && deps.withdrawnCardsOf !== undefined;
  let followingAt: EpochMs | undefined; // occurredAt of the first event after the page
  for await (const known of foldKnownCase(deps, caseId, query.knownAt, calendar, context, slice)) {
    knownState = known.state;
    if (query.asOf !== undefined && known.occurredAt > query.asOf) {
      if (readsPastAsOf) continue;
      break; // occurredAt never goes backwards
    }
    state = known.state;
    const revision = Number(known.recorded.revision);
    if (revision < firstRevision || followingAt !== undefined) continue;
    if (rows.length === query.limit) {
      followingAt = known.occurredAt;
      continue;
    }
    const { recorded, event } = known;
    rows.push({
      t: known.occurredAt,
      rank: 0,
      order: revision,
      recorded,
      entry: {
        kind: 'event',
        // In the deployment zone, as the card rows (the event keeps occurredAt as it was sent).
        at: formatInstant(known.occurredAt, calendar.zone),
        revision,
        position: recorded.position.toString(),
        recordedAt: recorded.recordedAt,
        type: recorded.type,
        ...(event.actor === undefined ? {} : { actor: event.actor }),
        ...(known.state.lateRecords.at(-1)?.revision === revision ? { lateRecord: true as const } : {}),
        event,
        state: summarize(known.state, known.occurredAt, context.policy!, calendar),
      },
    });
  }
  await withStorePositions(deps, caseId, rows);
  const policy = context.policy;
  if (state?.accepted === undefined || policy === undefined) return undefined;
  const asOf = query.asOf ?? defaultAsOf(query.now, state.lastOccurredAt);
  const firstPage = query.after === undefined;
  const current = evaluate(state, asOf, policy, calendar, firstPage ? CARDS_EXPLAINED : {});
  if (current === null) return undefined;
  const { knownAt } = query;
  const atK = knownState;
  const withdrawn =
    deps.withdrawnCardsOf?.(
      caseId,
      knownAt === undefined || atK === undefined
        ? undefined
        : {
            at: knownAt,
            read: () => ({ state: atK, evaluation: evaluate(atK, knownAt, policy, calendar) ?? undefined }),
          },
    ) ?? [];

  if (rows.length > 0) {
    const from = firstRevision === 0 ? -Infinity : rows[0]!.t;
    const to = followingAt ?? Infinity;
    rows.push(...cardRows(current.cards, from, to));
    rows.push(...withdrawnRows(withdrawn, from, Math.min(to, Date.parse(current.asOf) + 1)));
    rows.sort((a, b) => a.t - b.t || a.rank - b.rank || a.order - b.order);
  }
  const lastRow = rows.findLast((r) => r.entry.kind === 'event');
  return {
    caseId,
    asOf: current.asOf,
    ...(query.knownAt === undefined ? {} : { asKnownAt: formatInstant(query.knownAt, calendar.zone) }),
    calendarVersion: current.calendarVersion,
    policyVersion: current.policyVersion,
    ...directoryVersionOf(deps, query.knownAt),
    limit: query.limit,
    entries: rows.map((r) => r.entry),
    next: followingAt !== undefined && lastRow !== undefined ? lastRow.order : null,
    ...(firstPage ? { current: withdrawn.length === 0 ? current : { ...current, withdrawnCards: withdrawn } } : {}),
  };
}

/** The `card-withdrawn` rows of the register's cards withdrawn in [from, to), after the events and cards of an instant. */
function withdrawnRows(cards: readonly WithdrawnCardView[], from: EpochMs, to: EpochMs): Row[] {
  const rows: Row[] = [];
  cards.forEach((card, i) => {
    const t = Date.parse(card.withdrawnAt);
    if (t >= from && t < to)
      rows.push({ t, rank: 2, order: i, entry: { kind: 'card-withdrawn', at: card.withdrawnAt, card } });
  });
  return rows;
}

/** The page's events with their positions where the store's stream read could not tell them (EventStoreDB). */
async function withStorePositions(deps: HistoryDeps, caseId: string, rows: Row[]): Promise<void> {
  const read = rows.flatMap((r) => (r.recorded === undefined ? [] : [r.recorded]));
  if (!read.some((e) => e.position === UNKNOWN_POSITION)) return;
  const positions = await onOwnStream('case', caseId, () => knownPositions(deps.store, read));
  rows.forEach((row, i) => {
    const entry = { ...row.entry, position: (positions[i] as bigint).toString() } as HistoryEntry;
    rows[i] = { ...row, entry };
  });
}

/**
 * Cards `current` explains at most: a case of 999 back-dated pauses has about 3,000 cards, and
 * explaining each (≈ 4.4 KB) made a first page of `limit=1` 12.5 MB and 1 s (a reviewer's probe).
 * The card register explains any card (`GET /cards`, by its period).
 */
export const EXPLAINED_CARDS = 200;

/** A case read's cards explained (`GET /cases/{id}`, a history's `current`): the register's words, within the bound. */
export const CARDS_EXPLAINED: EvaluateOptions = { explain: true, explainAtMost: EXPLAINED_CARDS };

/** The raised and cleared rows of the cards whose instant lies in [from, to); explanations stay in `current`. */
function cardRows(cards: readonly Card[], from: EpochMs, to: EpochMs): Row[] {
  const rows: Row[] = [];
  cards.forEach((full, i) => {
    const { explain: _explained, ...card } = full;
    const started = Date.parse(card.startedAt);
    if (started >= from && started < to) {
      rows.push({ t: started, rank: 1, order: 2 * i, entry: { kind: 'card-raised', at: card.startedAt, card } });
    }
    if (card.clearedAt === undefined) return;
    const cleared = Date.parse(card.clearedAt);
    if (cleared >= from && cleared < to) {
      rows.push({ t: cleared, rank: 1, order: 2 * i + 1, entry: { kind: 'card-cleared', at: card.clearedAt, card } });
    }
  });
  return rows;
}
