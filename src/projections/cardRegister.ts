/**
 * The card register (SPEC §4 `GET /cards`): the cards started in `[from, to)`,
 * in the order they started, a page at a time — the list a 通报 is written
 * from. Cases' cards and complaints' (SPEC §3: cards are the record of every
 * alert raised; §8's complaint rules). It counts the same cards `/stats` counts
 * (the fold's card list of each case, the period test `from ≤ startedAt < to`,
 * started by now, the case's center and department; each complaint's cards started by now, its
 * center, the department in charge when the card started), so its total equals
 * `flow.cardsTotal` + `complaints.cardsTotal` of the statistics, and the report's
 * month card count.
 *
 * Cost: one pass over the case entries and one over the complaints (each
 * complaint's clocks computed once); only the page's cases are evaluated (for
 * the cleared instant) and only the page's cards explained.
 */
import type { Card, CardColor, CardRule, CaseEvaluation, EpochMs } from '../domain/types.js';
import type { CardRef } from '../domain/index.js';
import type { Policy } from '../domain/policy.js';
import { lateRecordFigures } from '../domain/timeline.js';
import type { CardSubject } from '../domain/lists.js';
import { formatDate, formatInstant } from '../domain/index.js';
import { departmentAt, type ComplaintState } from '../domain/complaints/evolve.js';
import { COMPLAINT_RULE_INDEX, type ComplaintCardRule } from '../domain/complaints/lists.js';
import { type ComplaintCard, type ComplaintTimeline, recordedClear } from '../domain/complaints/timeline.js';
import { NO_DEPARTMENT } from './complaints/complaintStats.js';
import { RULE_COLOR, RULES, ruleIndexOf, type CaseEntry } from './caseEntry.js';
import { PLACE_HEADERS, placeCells, toCsv } from './csv.js';
import { CARD_HEADERS, type CardOfRow, cardCells } from './cardCsv.js';
import { explainFigures } from './explainFigures.js';
import { decodeCursor, encodeCursor, PageCollector, scopedOrder } from './keysetPage.js';
import { type NameLookup, type Named, withNames } from './rowNames.js';
import { resolvePeriod } from './stats.js';
import { centerSetOf, inCenterSet, type CenterScope, type Directory } from '../domain/directory.js';

export interface CardRegisterQuery {
  /** Local dates YYYY-MM-DD, period [from, to). */
  readonly from: string;
  readonly to: string;
  readonly centerId?: string;
  /** What `centerId` covers: that center alone (default) or with every center under it (domain/directory.ts). */
  readonly scope?: CenterScope;
  readonly departmentId?: string;
  readonly rule?: CardRule | ComplaintCardRule;
  readonly color?: CardColor;
  /** Only cases' cards, or only complaints' (the report's case figures link with `case`). */
  readonly subject?: CardSubject;
  readonly limit: number;
  readonly cursor?: string;
}

/** A row is a case's card (`caseId`, its matter) or a complaint's (`complaintId`, no matter). */
export interface CardRegisterRow extends Named, CardOfRow {
  readonly pauseId?: string;
  readonly escalation?: number;
  /** The escalation's own id (SPEC §2), beside its index. */
  readonly escalationId?: string;
  readonly centerId: string;
  /** A case's department; a complaint's department in charge when the card started ('' none). */
  readonly departmentId: string;
  readonly matterCode?: string;
  readonly matterName?: string;
  /** Why, in numbers (the timing core's explanation of the card, as on the case page). */
  readonly explain?: unknown;
  /**
   * The card's case or complaint is timed over a predicted day (no notice yet): it may still move
   * (SPEC §3; a case's evaluation's flag, a complaint's `ComplaintTimeline.provisional`, both as of now).
   */
  readonly provisional?: true;
}

export interface CardRegisterResult {
  readonly from: string;
  readonly to: string;
  /** Cards matching the filters in the period (all pages). */
  readonly total: number;
  readonly limit: number;
  readonly asOf: string;
  readonly items: readonly CardRegisterRow[];
  readonly nextCursor?: string;
}

export interface CardRegisterSources {
  readonly entries: Iterable<Readonly<CaseEntry>>;
  readonly evaluate: (caseId: string, asOf: EpochMs) => CaseEvaluation | undefined;
  /** One card's explanation (cheaper than explaining every card of the case). */
  readonly explain: (caseId: string, ref: CardRef, asOf: EpochMs) => Record<string, unknown> | undefined;
  readonly zone: string;
  readonly now: EpochMs;
  readonly names: NameLookup;
  /** The directory published now: what a center's subtree is (`scope`); absent, every center stands alone. */
  readonly directory?: Directory;
  /** The complaint read model (absent: cases only). */
  readonly complaints?: {
    all(): Iterable<ComplaintState>;
    timelineOf(s: ComplaintState, at: EpochMs): ComplaintTimeline | null;
    /** The policy version the complaint is timed with (its late-record threshold explains that card). */
    policyOf(s: ComplaintState): Policy | undefined;
  };
}

/** Cursors of the register carry this order name (it has one order), bound to the query's period and filters. */
const ORDER = 'startedAt';
/** The query's fields that page through one listing (the rest must stay as the first page had them). */
const PAGING = ['cursor', 'limit'] as const;

/**
 * A complaint card's code in the page key, past every case card's (rule + 8 × ordinal, ordinal < 1000);
 * a complaint's is rule + 8 × its late record's index (several late-record cards may share an instant).
 */
const COMPLAINT_CODE = 1 << 20;

type Hit =
  | { readonly entry: Readonly<CaseEntry>; readonly startedAt: EpochMs; readonly code: number }
  | {
      readonly complaint: ComplaintState;
      readonly timeline: ComplaintTimeline;
      readonly card: ComplaintCard;
      readonly startedAt: EpochMs;
    };

const isComplaintRule = (rule: string): rule is ComplaintCardRule => Object.hasOwn(COMPLAINT_RULE_INDEX, rule);

export function listCards(query: CardRegisterQuery, sources: CardRegisterSources): CardRegisterResult {
  const { fromMs, toMs } = resolvePeriod(query.from, query.to, sources.zone);
  const order = scopedOrder(ORDER, query, PAGING);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, order);
  const page = new PageCollector<Hit>(query.limit, 1, after);
  let total = 0;
  const rule = query.rule;
  const centers = centerSetOf(query, sources.directory);
  if (query.subject !== 'complaint' && (rule === undefined || !isComplaintRule(rule))) {
    for (const entry of sources.entries) {
      const a = entry.state.accepted;
      const cards = entry.cards;
      if (a === undefined || cards === undefined) continue;
      if (!inCenterSet(centers, a.centerId)) continue;
      if (query.departmentId !== undefined && a.departmentId !== query.departmentId) continue;
      for (let i = 0; i < cards.length; i += 2) {
        const startedAt = cards[i]!;
        const code = cards[i + 1]!;
        // Issued: started in the period and by now, as `/stats` counts (the fold's list of a case
        // recorded ahead of the clock may hold a card still to start).
        if (startedAt < fromMs || startedAt >= toMs || startedAt > sources.now) continue;
        const ruleIndex = ruleIndexOf(code);
        if (rule !== undefined && RULES[ruleIndex] !== rule) continue;
        if (query.color !== undefined && RULE_COLOR[ruleIndex] !== query.color) continue;
        total++;
        page.offer(startedAt, entry.caseId, code, () => ({ entry, startedAt, code }));
      }
    }
  }
  if (sources.complaints !== undefined && query.subject !== 'case' && (rule === undefined || isComplaintRule(rule))) {
    for (const complaint of sources.complaints.all()) {
      const received = complaint.received;
      if (received === undefined) continue;
      if (!inCenterSet(centers, received.centerId)) continue;
      const timeline = sources.complaints.timelineOf(complaint, sources.now);
      if (timeline === null) continue;
      for (const card of timeline.cards) {
        const startedAt = card.start;
        // Issued: started in the period and by now (a complaint's clocks also hold cards still to come).
        if (startedAt < fromMs || startedAt >= toMs || startedAt > sources.now) continue;
        if (rule !== undefined && card.rule !== rule) continue;
        if (query.color !== undefined && card.color !== query.color) continue;
        if (query.departmentId !== undefined && departmentAt(complaint, startedAt) !== query.departmentId) continue;
        total++;
        const code = COMPLAINT_CODE + COMPLAINT_RULE_INDEX[card.rule] + 8 * (card.lateRecord ?? 0);
        page.offer(startedAt, complaint.complaintId, code, () => ({ complaint, timeline, card, startedAt }));
      }
    }
  }
  const { items, next } = page.result();
  const evaluations = new Map<string, CaseEvaluation | undefined>();
  const rows = items.map((hit) => {
    if ('complaint' in hit)
      return withNames(
        complaintRowOf(hit, sources.now, sources.zone, sources.complaints?.policyOf(hit.complaint)),
        sources.names,
      );
    const caseId = hit.entry.caseId;
    const at = instantOf(hit.entry, sources.now);
    if (!evaluations.has(caseId)) evaluations.set(caseId, sources.evaluate(caseId, at));
    const row = rowOf(hit, evaluations.get(caseId), sources.zone);
    const explain = sources.explain(caseId, refOf(row, hit), at);
    return withNames(explain === undefined ? row : { ...row, explain }, sources.names);
  });
  return {
    from: query.from,
    to: query.to,
    total,
    limit: query.limit,
    asOf: formatInstant(sources.now, sources.zone),
    items: rows,
    ...(next === undefined ? {} : { nextCursor: encodeCursor(order, next) }),
  };
}

/** A case recorded up to 5 minutes ahead of the clock is read at its last event (as the fold evaluates it). */
function instantOf(entry: Readonly<CaseEntry>, now: EpochMs): EpochMs {
  const last = entry.state.lastOccurredAt;
  return last !== undefined && last > now ? last : now;
}

type CaseHit = Extract<Hit, { readonly entry: unknown }>;
type ComplaintHit = Extract<Hit, { readonly complaint: unknown }>;

/**
 * A complaint's card: cleared only if by now; explained by its clock (SPEC §8), in numbers, or a
 * late-record card by its late event, as a case's late-record card is (domain/explain.ts).
 */
function complaintRowOf(hit: ComplaintHit, now: EpochMs, zone: string, policy: Policy | undefined): CardRegisterRow {
  const { complaint, timeline, card } = hit;
  const fmt = (ms: EpochMs) => formatInstant(ms, zone);
  const { decide, answer } = timeline;
  const cleared = recordedClear(card, now);
  const late = card.lateRecord === undefined ? undefined : complaint.lateRecords?.[card.lateRecord];
  // The figures under the names the complaint's own clocks use (GET /complaints/{id} decide, answer).
  const explain =
    late !== undefined && policy !== undefined
      ? { rule: card.rule, ...lateRecordFigures(late, policy.lateRecordHours, fmt) }
      : card.rule === 'complaint-undecided'
        ? {
            rule: card.rule,
            receivedDate: formatDate(decide.receivedDay),
            withinDays: decide.withinDays,
            byDate: formatDate(decide.byDay),
            dueAt: fmt(decide.dueAt),
            ...(decide.decidedAt === undefined ? {} : { decidedAt: fmt(decide.decidedAt) }),
          }
        : answer === undefined
          ? { rule: card.rule }
          : {
              rule: card.rule,
              acceptedDate: formatDate(answer.acceptedDay),
              withinDays: answer.withinDays,
              ...(card.rule === 'complaint-answer-warning' ? { warnAtDay: answer.warnAtDay } : {}),
              byDate: formatDate(answer.byDay),
              dueAt: fmt(answer.dueAt),
              ...(answer.answeredAt === undefined ? {} : { answeredAt: fmt(answer.answeredAt) }),
            };
  return {
    complaintId: complaint.complaintId,
    rule: card.rule,
    color: card.color,
    startedAt: fmt(card.start),
    ...(cleared === undefined ? {} : { clearedAt: fmt(cleared) }),
    centerId: complaint.received!.centerId,
    departmentId: departmentAt(complaint, card.start) ?? NO_DEPARTMENT,
    explain,
    ...(timeline.provisional ? { provisional: true as const } : {}),
  };
}

/** Which card of the case a row is, as the timing core's explainCard asks for it. */
function refOf(row: CardRegisterRow, hit: CaseHit): CardRef {
  const revision = hit.entry.state.lateRecords[Math.floor(hit.code / 8)]?.revision;
  return {
    rule: row.rule as CardRule,
    startedAt: hit.startedAt,
    ...(row.pauseId === undefined ? {} : { pauseId: row.pauseId }),
    ...(row.escalation === undefined ? {} : { escalation: row.escalation }),
    ...(row.rule === 'late-record' && revision !== undefined ? { revision } : {}),
  };
}

/** The fold's card code tells the pause / escalation it is about; the evaluation's card carries the rest. */
function rowOf(hit: CaseHit, ev: CaseEvaluation | undefined, zone: string): CardRegisterRow {
  const a = hit.entry.state.accepted!;
  const ruleIndex = ruleIndexOf(hit.code);
  const rule = RULES[ruleIndex]!;
  const card = ev === undefined ? undefined : findCard(ev, rule, hit, hit.entry);
  return {
    caseId: hit.entry.caseId,
    rule,
    color: RULE_COLOR[ruleIndex]!,
    startedAt: card?.startedAt ?? formatInstant(hit.startedAt, zone),
    ...(card?.clearedAt === undefined ? {} : { clearedAt: card.clearedAt }),
    ...(card?.pauseId === undefined ? {} : { pauseId: card.pauseId }),
    ...(card?.escalation === undefined ? {} : { escalation: card.escalation }),
    ...(card?.escalationId === undefined ? {} : { escalationId: card.escalationId }),
    centerId: a.centerId,
    departmentId: a.departmentId,
    matterCode: a.matterCode,
    ...(a.matterName === undefined ? {} : { matterName: a.matterName }),
    ...(ev?.provisional === true ? { provisional: true as const } : {}),
  };
}

function findCard(ev: CaseEvaluation, rule: CardRule, hit: CaseHit, entry: Readonly<CaseEntry>): Card | undefined {
  const ordinal = Math.floor(hit.code / 8);
  const same = ev.cards.filter((c) => c.rule === rule && Date.parse(c.startedAt) === hit.startedAt);
  if (same.length <= 1) return same[0];
  return (
    same.find(
      (c) =>
        (c.pauseId !== undefined && entry.state.pauses[ordinal]?.pauseId === c.pauseId) ||
        (c.escalation !== undefined && c.escalation === ordinal) ||
        (rule === 'late-record' && revisionOf(c.details) === entry.state.lateRecords[ordinal]?.revision),
    ) ?? same[0]
  );
}

/** A late-record card's details name the late event's revision. */
function revisionOf(details: unknown): unknown {
  return typeof details === 'object' && details !== null ? (details as { revision?: unknown }).revision : undefined;
}

/**
 * The register as CSV, for people (a 通报 is written from it): rules, colours and the explanation's
 * figures in Chinese, as the page shows them (labels.ts, explainFigures.ts), and whether the card's
 * clock runs over days of a year the calendar only predicts (时限为预测). The codes are in the JSON of
 * the same query (docs/api.md "CSV").
 */
const CARD_CSV_HEADER = [...CARD_HEADERS, ...PLACE_HEADERS, '说明（数字）', '时限为预测'];

export function cardRegisterToCsv(rows: readonly CardRegisterRow[]): string {
  return toCsv(
    CARD_CSV_HEADER,
    rows.map((r) => [
      ...cardCells(r),
      ...placeCells({ ...r, matterCode: r.matterCode ?? '' }),
      explainFigures(r.explain),
      // The JSON's `provisional` (present only when true), as the case and complaint lists' CSV say it.
      r.provisional ? '是' : '否',
    ]),
  );
}
