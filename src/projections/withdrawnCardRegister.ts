/**
 * `GET /cards/withdrawn`: the cards the record once held and a later write
 * withdrew (withdrawalLog.ts), started in `[from, to)` as the card register
 * counts them — so a month's 通报, written from the register, can be checked
 * against what was withdrawn since. Each row says what the card was, when and
 * by what it was withdrawn, and where the record now starts a card of the same
 * rule and subject, if it does (a card that moved rather than vanished). A
 * yellow card the record still holds whose clearing, shown before the write,
 * the write moved or erased is listed too (`clearingChanged`, the old
 * `clearedAt`, and `nowClearedAt` where the record now clears it); a row a later
 * write or publication put back as it was says so (`reinstatedAt`,
 * `reinstatedBy`). Both stay listed (and in `total`), but neither is a card
 * withdrawn: the report and the gauge count neither (docs/projections.md
 * "Withdrawn cards"). A complaint's cards too (complaintWithdrawals.ts), as the card register lists
 * them: `complaintId`, the center of its receipt, the department in charge when
 * the card started, no matter.
 *
 * Cost: one pass over the register (a handful of cards a day) with one state
 * lookup each; only the page's cases and complaints are evaluated.
 */
import { departmentAt, type ComplaintState } from '../domain/complaints/evolve.js';
import { COMPLAINT_RULE_COLOR, type ComplaintCardRule } from '../domain/complaints/lists.js';
import { type ComplaintTimeline, recordedClear } from '../domain/complaints/timeline.js';
import { formatInstant } from '../domain/index.js';
import type { Card, CardColor, CardRule, CaseEvaluation, CaseState, EpochMs } from '../domain/types.js';
import { type CardSubject, RULE_COLOR as COLOR_OF_RULE } from '../domain/lists.js';
import { NO_DEPARTMENT } from './complaints/complaintStats.js';
import { type WithdrawnCardFact, type WithdrawnRowKind, withdrawnRowKind } from './report.js';
import type { WithdrawnComplaintCard } from './complaints/complaintWithdrawals.js';
import { PLACE_HEADERS, placeCells, toCsv } from './csv.js';
import { CARD_HEADERS, type CardOfRow, cardCells } from './cardCsv.js';
import { COMPLAINT_EVENT_TYPE_NAMES, EVENT_TYPE_NAMES, nameIn } from './report/labels.js';
import { decodeCursor, encodeCursor, PageCollector, scopedOrder } from './keysetPage.js';
import { type NameLookup, type Named, withNames } from './rowNames.js';
import { resolvePeriod } from './stats.js';
import { centerSetOf, inCenterSet, type CenterScope, type Directory } from '../domain/directory.js';
import type { WithdrawnCard } from './withdrawalLog.js';

export interface WithdrawnCardQuery {
  /** Local dates YYYY-MM-DD: cards started in [from, to). */
  readonly from: string;
  readonly to: string;
  readonly centerId?: string;
  /** What `centerId` covers: that center alone (default) or with every center under it (domain/directory.ts). */
  readonly scope?: CenterScope;
  readonly departmentId?: string;
  readonly rule?: CardRule | ComplaintCardRule;
  readonly color?: CardColor;
  /** Only cases' cards, or only complaints'. */
  readonly subject?: CardSubject;
  /** Only the rows of one kind (rowKind): the report counts each apart, and links each to its rows. */
  readonly kind?: WithdrawnRowKind;
  readonly limit: number;
  readonly cursor?: string;
}

/** A row's kind, as the report counts it (report.ts `withdrawnRowKind`). */
export const rowKind = (row: {
  readonly reinstatedAt?: unknown;
  readonly clearingChanged?: boolean;
}): WithdrawnRowKind => withdrawnRowKind(row.reinstatedAt !== undefined, row.clearingChanged);

/** What withdrew the card, as the row shows it. */
export type WithdrawnByView =
  | {
      readonly events: readonly {
        readonly eventId?: string;
        readonly type: string;
        readonly revision: number;
        readonly occurredAt: string;
      }[];
    }
  | {
      readonly calendarVersion: string;
      readonly previousCalendarVersion: string;
      /** A directory publication that moved centers between regions: its version and the one before. */
      readonly directoryVersion?: number;
      readonly previousDirectoryVersion?: number;
    };

/** A case's withdrawn card (`caseId`, its matter) or a complaint's (`complaintId`, no matter). */
/** Its card's fields (`CardOfRow`) as the record held them before it was withdrawn. */
export interface WithdrawnCardRow extends Named, CardOfRow {
  readonly pauseId?: string;
  readonly escalation?: number;
  readonly escalationId?: string;
  readonly withdrawnAt: string;
  readonly withdrawnBy: WithdrawnByView;
  /** The start of the card of the same rule and subject the record holds now (absent: none). */
  readonly nowStartedAt?: string;
  /** The card was not withdrawn: the write moved or erased its clearing (`clearedAt`, shown before the write). */
  readonly clearingChanged?: true;
  /** With `clearingChanged`: where the record now clears the same card (absent: not cleared). */
  readonly nowClearedAt?: string;
  /** When a later write or publication put the card (or its clearing) back as it was; what did. */
  readonly reinstatedAt?: string;
  readonly reinstatedBy?: WithdrawnByView;
  readonly centerId: string;
  /** A case's department; a complaint's department in charge when the card started ('' none). */
  readonly departmentId: string;
  readonly matterCode?: string;
  readonly matterName?: string;
}

/** A withdrawn card on its case's or complaint's page (which says where it is). */
export type WithdrawnCardView = Omit<
  WithdrawnCardRow,
  'centerId' | 'departmentId' | 'matterCode' | 'matterName' | 'centerName' | 'departmentName'
>;

export interface WithdrawnCardResult {
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly limit: number;
  readonly asOf: string;
  readonly items: readonly WithdrawnCardRow[];
  readonly nextCursor?: string;
}

export interface WithdrawnCardSources {
  /** The register, in the order the cards were withdrawn. */
  readonly withdrawn: readonly WithdrawnCard[];
  readonly stateOf: (caseId: string) => CaseState | undefined;
  readonly evaluate: (caseId: string, asOf: EpochMs) => CaseEvaluation | undefined;
  /** The complaints' cards of the register (absent: cases only). */
  readonly complaints?: {
    readonly withdrawn: readonly WithdrawnComplaintCard[];
    readonly stateOf: (complaintId: string) => ComplaintState | undefined;
    readonly timelineOf: (state: ComplaintState, at: EpochMs) => ComplaintTimeline | null;
  };
  readonly zone: string;
  readonly now: EpochMs;
  readonly names: NameLookup;
  /** The directory published now: what a center's subtree is (`scope`); absent, every center stands alone. */
  readonly directory?: Directory;
}

const ORDER = 'withdrawn-startedAt';
/** A complaint card's ordinal in the page key, past every case card's (the register's index below it). */
const COMPLAINT_ORDINAL = 2 ** 40;

const isComplaintRule = (rule: string): rule is ComplaintCardRule => Object.hasOwn(COMPLAINT_RULE_COLOR, rule);

type Hit =
  | { readonly card: WithdrawnCard; readonly accepted: NonNullable<CaseState['accepted']> }
  | { readonly complaintCard: WithdrawnComplaintCard; readonly complaint: ComplaintState };

export function listWithdrawnCards(query: WithdrawnCardQuery, sources: WithdrawnCardSources): WithdrawnCardResult {
  const { fromMs, toMs } = resolvePeriod(query.from, query.to, sources.zone);
  const order = scopedOrder(ORDER, query, ['cursor', 'limit']);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, order);
  const page = new PageCollector<Hit>(query.limit, 1, after);
  let total = 0;
  const rule = query.rule;
  const centers = centerSetOf(query, sources.directory);
  if (query.subject !== 'complaint' && (rule === undefined || !isComplaintRule(rule)))
    sources.withdrawn.forEach((card, index) => {
      if (card.startedAt < fromMs || card.startedAt >= toMs) return;
      if (query.kind !== undefined && rowKind(card) !== query.kind) return;
      if (rule !== undefined && card.rule !== rule) return;
      if (query.color !== undefined && COLOR_OF_RULE[card.rule] !== query.color) return;
      const accepted = sources.stateOf(card.caseId)?.accepted;
      if (accepted === undefined) return;
      if (!inCenterSet(centers, accepted.centerId)) return;
      if (query.departmentId !== undefined && accepted.departmentId !== query.departmentId) return;
      total++;
      // The register's index tells apart a card withdrawn twice (shown again by a later write, then withdrawn).
      page.offer(card.startedAt, card.caseId, index, () => ({ card, accepted }));
    });
  const complaints = sources.complaints;
  if (complaints !== undefined && query.subject !== 'case' && (rule === undefined || isComplaintRule(rule)))
    complaints.withdrawn.forEach((complaintCard, index) => {
      if (complaintCard.startedAt < fromMs || complaintCard.startedAt >= toMs) return;
      if (query.kind !== undefined && rowKind(complaintCard) !== query.kind) return;
      if (rule !== undefined && complaintCard.rule !== rule) return;
      if (query.color !== undefined && COMPLAINT_RULE_COLOR[complaintCard.rule] !== query.color) return;
      const complaint = complaints.stateOf(complaintCard.complaintId);
      const received = complaint?.received;
      if (complaint === undefined || received === undefined) return;
      if (!inCenterSet(centers, received.centerId)) return;
      if (
        query.departmentId !== undefined &&
        (departmentAt(complaint, complaintCard.startedAt) ?? NO_DEPARTMENT) !== query.departmentId
      )
        return;
      total++;
      page.offer(complaintCard.startedAt, complaintCard.complaintId, COMPLAINT_ORDINAL + index, () => ({
        complaintCard,
        complaint,
      }));
    });
  const { items, next } = page.result();
  const evaluations = new Map<string, CaseEvaluation | undefined>();
  const rows = items.map((hit) => {
    if ('complaintCard' in hit) {
      const { complaintCard, complaint } = hit;
      return withNames(
        {
          ...withdrawnComplaintCardView(
            complaintCard,
            sources.zone,
            complaints?.timelineOf(complaint, sources.now),
            sources.now,
          ),
          centerId: complaint.received!.centerId,
          departmentId: departmentAt(complaint, complaintCard.startedAt) ?? NO_DEPARTMENT,
        },
        sources.names,
      );
    }
    const { card, accepted } = hit;
    if (!evaluations.has(card.caseId)) evaluations.set(card.caseId, sources.evaluate(card.caseId, sources.now));
    const row = withdrawnCardView(card, sources.zone, evaluations.get(card.caseId), sources.stateOf(card.caseId));
    return withNames(
      {
        ...row,
        centerId: accepted.centerId,
        departmentId: accepted.departmentId,
        matterCode: accepted.matterCode,
        ...(accepted.matterName === undefined ? {} : { matterName: accepted.matterName }),
      },
      sources.names,
    );
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

/**
 * One withdrawn card as the case page and the register show it (`now`: the case as the record holds it now;
 * `knownAt`: as known then, a reinstatement recorded later is not shown).
 */
export function withdrawnCardView(
  card: WithdrawnCard,
  zone: string,
  now: CaseEvaluation | undefined,
  state: CaseState | undefined,
  knownAt?: EpochMs,
): WithdrawnCardView {
  const fmt = (ms: EpochMs) => formatInstant(ms, zone);
  const escalationId = card.escalation === undefined ? undefined : state?.escalations[card.escalation]?.escalationId;
  const successor = now === undefined ? undefined : successorOf(card, now.cards);
  const by = card.by;
  const same =
    card.clearingChanged === true && now !== undefined
      ? now.cards.find(
          (c) =>
            c.rule === card.rule &&
            c.pauseId === card.pauseId &&
            c.escalation === card.escalation &&
            Date.parse(c.startedAt) === card.startedAt,
        )
      : undefined;
  const reinstated =
    card.reinstatedAt !== undefined &&
    card.reinstatedBy !== undefined &&
    (knownAt === undefined || card.reinstatedAt <= knownAt);
  return {
    caseId: card.caseId,
    rule: card.rule,
    color: COLOR_OF_RULE[card.rule],
    startedAt: fmt(card.startedAt),
    ...(card.clearedAt === undefined ? {} : { clearedAt: fmt(card.clearedAt) }),
    ...(card.pauseId === undefined ? {} : { pauseId: card.pauseId }),
    ...(card.escalation === undefined ? {} : { escalation: card.escalation }),
    ...(escalationId === undefined ? {} : { escalationId }),
    withdrawnAt: fmt(card.withdrawnAt),
    withdrawnBy: byView(by, fmt),
    ...(successor === undefined ? {} : { nowStartedAt: successor.startedAt }),
    ...(card.clearingChanged === true ? { clearingChanged: true } : {}),
    ...(same?.clearedAt === undefined ? {} : { nowClearedAt: same.clearedAt }),
    ...(reinstated ? { reinstatedAt: fmt(card.reinstatedAt!), reinstatedBy: byView(card.reinstatedBy!, fmt) } : {}),
  };
}

/**
 * The card `cards` (the record now) holds in place of a withdrawn one: of its rule and subject,
 * not over before the withdrawn one began, the one starting nearest to it (docs/projections.md
 * "Withdrawn cards"; a warning an extension cleared earlier is over, a card moved earlier is not).
 */
function successorOf(card: WithdrawnCard, cards: readonly Card[]): Card | undefined {
  let best: { readonly card: Card; readonly distance: number } | undefined;
  for (const c of cards) {
    if (c.rule !== card.rule || c.pauseId !== card.pauseId || c.escalation !== card.escalation) continue;
    if (c.clearedAt !== undefined && Date.parse(c.clearedAt) < card.startedAt) continue;
    const distance = Math.abs(Date.parse(c.startedAt) - card.startedAt);
    if (best === undefined || distance < best.distance) best = { card: c, distance };
  }
  return best?.card;
}

/**
 * One withdrawn complaint card as the register and the complaint's page show it (`now`: its clocks as
 * the record holds them at `at`; `knownAt`: as known then, a reinstatement recorded later is not shown).
 */
export function withdrawnComplaintCardView(
  card: WithdrawnComplaintCard,
  zone: string,
  now: ComplaintTimeline | null | undefined,
  at: EpochMs,
  knownAt?: EpochMs,
): WithdrawnCardView {
  const fmt = (ms: EpochMs) => formatInstant(ms, zone);
  const successor = now?.cards.find((c) => c.rule === card.rule && c.start <= at);
  const color = COMPLAINT_RULE_COLOR[card.rule];
  // A snapshot written before session 19 holds red cards' clearedAt too.
  const clearedAt = recordedClear({ color, clear: card.clearedAt }, card.withdrawnAt);
  // A changed clearing: the same card (a complaint has one of each rule) as the record clears it by `at`.
  const same =
    card.clearingChanged === true
      ? now?.cards.find((c) => c.rule === card.rule && c.start === card.startedAt)
      : undefined;
  const nowClearedAt = same === undefined ? undefined : recordedClear(same, at);
  const reinstated =
    card.reinstatedAt !== undefined &&
    card.reinstatedBy !== undefined &&
    (knownAt === undefined || card.reinstatedAt <= knownAt);
  return {
    complaintId: card.complaintId,
    rule: card.rule,
    color,
    startedAt: fmt(card.startedAt),
    ...(clearedAt === undefined ? {} : { clearedAt: fmt(clearedAt) }),
    withdrawnAt: fmt(card.withdrawnAt),
    withdrawnBy: byView(card.by, fmt),
    ...(successor === undefined ? {} : { nowStartedAt: fmt(successor.start) }),
    ...(card.clearingChanged === true ? { clearingChanged: true } : {}),
    ...(nowClearedAt === undefined ? {} : { nowClearedAt: fmt(nowClearedAt) }),
    ...(reinstated ? { reinstatedAt: fmt(card.reinstatedAt!), reinstatedBy: byView(card.reinstatedBy!, fmt) } : {}),
  };
}

function byView(by: WithdrawnCard['by'], fmt: (ms: EpochMs) => string): WithdrawnByView {
  if (by.kind === 'events') return { events: by.events.map((e) => ({ ...e, occurredAt: fmt(e.occurredAt) })) };
  const { kind: _, ...versions } = by;
  return versions;
}

/** Withdrawn cards on record by rule, colour and center (a case's center, a complaint's of receipt). */
export interface WithdrawnCardCount {
  readonly rule: CardRule | ComplaintCardRule;
  readonly color: CardColor;
  readonly center: string;
  readonly count: number;
}

/**
 * The register counted for the gauge `supervision_cards_withdrawn`: one pass over it (a handful of
 * cards a day), one state lookup each; a card whose case or complaint is not held is not counted.
 */
export function countWithdrawnCards(
  cards: Iterable<Pick<WithdrawnCardFact, 'rule' | 'color' | 'centerId'>>,
): WithdrawnCardCount[] {
  const counts = new Map<string, WithdrawnCardCount>();
  for (const { rule, color, centerId: center } of cards) {
    if (center === undefined) continue;
    const key = `${rule}\u0000${color}\u0000${center}`;
    const seen = counts.get(key);
    counts.set(key, { rule, color, center, count: (seen?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}

const CSV_HEADER = [
  ...CARD_HEADERS,
  '撤销时间',
  '撤销原因',
  '现亮牌时间',
  '性质',
  '现消除时间',
  '恢复时间',
  '恢复原因',
  ...PLACE_HEADERS,
];

/** What the row records: a card withdrawn, or a yellow card's clearing changed; put back since, if it was. */
function natureCell(r: WithdrawnCardRow): string {
  const what = r.clearingChanged === true ? '消除时间更正（牌仍在册）' : '撤销';
  return r.reinstatedAt === undefined ? what : `${what}，已恢复`;
}

/** A case or complaint event type by its Chinese name, as the case and complaint histories show it. */
const eventName = (type: string): string =>
  nameIn({ ...EVENT_TYPE_NAMES, ...COMPLAINT_EVENT_TYPE_NAMES }, type) ?? type;

/** What withdrew a card, in one cell. */
function byCell(by: WithdrawnByView): string {
  if ('calendarVersion' in by)
    return by.directoryVersion === undefined
      ? `日历更正 ${by.previousCalendarVersion} → ${by.calendarVersion}`
      : `目录区域变更 v${by.previousDirectoryVersion} → v${by.directoryVersion}（日历 ${by.calendarVersion}）`;
  return by.events.map((e) => `${eventName(e.type)}#${e.revision} 发生于 ${e.occurredAt}`).join('; ');
}

export function withdrawnCardsToCsv(rows: readonly WithdrawnCardRow[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map((r) => [
      ...cardCells(r),
      r.withdrawnAt,
      byCell(r.withdrawnBy),
      r.nowStartedAt,
      natureCell(r),
      r.nowClearedAt,
      r.reinstatedAt,
      r.reinstatedBy === undefined ? undefined : byCell(r.reinstatedBy),
      ...placeCells({ ...r, matterCode: r.matterCode ?? '' }),
    ]),
  );
}
