/**
 * The case list (SPEC §4 `GET /cases`): every accepted case the read model
 * holds, filtered, in one of three orders, a page at a time (keysetPage.ts).
 *
 * Cost: one pass over the case entries (the filters and `total` need it; each
 * test is a few field reads), the page picked with a bounded buffer, and only
 * the page's cases evaluated at `now` for their deadline and overdue days.
 * The sort keys are figures the fold already keeps (acceptance instant, the
 * last evaluation's deadline), so nothing is evaluated to sort by them — except
 * a paused case's deadline, which moves on with the clock. The overdue days are
 * evaluated, for the cases with an overdue card only, and once per (center,
 * deadline, end day) for those never paused (`OverdueDaysKeys`). The keys that
 * move with the clock alone (that deadline, the overdue days) are read at the
 * listing's instant, which the cursor carries (listingCursor.ts), so a page read
 * days after the previous one moves no case.
 */
import type { CardColor, CardRule, CaseEvaluation, CaseStatus, EpochMs } from '../domain/types.js';
import { formatInstant, zoneClock, type ZoneClock } from '../domain/index.js';
import { ratingClassOf, type RatingClass } from '../domain/lists.js';
import type { ReportCategory } from './report/tables.js';
import { FLAG_ON_TIME, overdueStart, type CaseEntry } from './caseEntry.js';
import { dateRange, dayStartParam, inRange, type Range } from './dateRange.js';
import { PageCollector, scopedOrder, type Direction } from './keysetPage.js';
import { LISTING_FIELDS, listingCursor, listingPosition } from './listingCursor.js';
import { type NameLookup, type Named, withNames } from './rowNames.js';
import type { CaseTiming } from './types.js';
import { centerSetOf, inCenterSet, type CenterScope, type Directory } from '../domain/directory.js';

export const CASE_SORTS = ['accepted', 'dueAt', 'overdueDays'] as const;
export type CaseSortField = (typeof CASE_SORTS)[number];
/** A sort field, `-` in front for descending. */
export type CaseSort = CaseSortField | `-${CaseSortField}`;
export const CASE_SORT_VALUES: readonly CaseSort[] = CASE_SORTS.flatMap((s) => [s, `-${s}` as const]);

export interface CaseListFilter {
  readonly centerId?: string;
  /** What `centerId` covers: that center alone (default) or with every center under it (domain/directory.ts). */
  readonly scope?: CenterScope;
  readonly departmentId?: string;
  readonly matterCode?: string;
  /** 行政许可 / 公共服务, or `unspecified` for a case accepted without one (the report's category rows). */
  readonly category?: ReportCategory;
  readonly status?: CaseStatus;
  /** Has an alert of this rule (and colour, when both are given) active now. */
  readonly rule?: CardRule;
  readonly color?: CardColor;
  /** true: has the overdue alert now (open past its deadline); false: has not. */
  readonly overdue?: boolean;
  /** Local dates YYYY-MM-DD; `to` exclusive. */
  readonly acceptedFrom?: string;
  readonly acceptedTo?: string;
  readonly completedFrom?: string;
  readonly completedTo?: string;
  /** Case-id prefix, case-insensitive. */
  readonly q?: string;
  /** Local date: accepted before it and not completed before it (open as that day began) — a report's 在办. */
  readonly openAt?: string;
  /** Local dates, the rating (好差评) given in [ratedFrom, ratedTo). */
  readonly ratedFrom?: string;
  readonly ratedTo?: string;
  /** Rated with a score of this class (bad: 差评 ≤ 2; satisfied: 4–5; neutral: 3). */
  readonly rating?: RatingClass;
  /** Local dates: a 差评 whose follow-up (整改回访) fell due on a day in [followUpDueFrom, followUpDueTo) — a report's 差评应整改. */
  readonly followUpDueFrom?: string;
  readonly followUpDueTo?: string;
  /** Completed on time (by the due instant) or late — the report's 按时办结 / 超时办结. */
  readonly timeliness?: Timeliness;
  /** Local date: overdue by the start of it (its overdue card started by then) — with openAt, a report's 月末逾期未办结. */
  readonly overdueBy?: string;
}

export const TIMELINESS = ['on-time', 'late'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export interface CaseListQuery extends CaseListFilter {
  readonly sort?: CaseSort;
  readonly limit: number;
  readonly cursor?: string;
  /** The listing's instant (a page's `listedAt`): a first page read again as that listing's (listingCursor.ts). */
  readonly listedAt?: EpochMs;
}

/** The alerts of one rule in force on a case: the first to start, and how many when more than one. */
export interface CaseListAlert {
  readonly rule: CardRule;
  readonly color: CardColor;
  readonly startedAt: string;
  readonly count?: number;
}

export interface CaseListRow extends Named {
  readonly caseId: string;
  readonly centerId: string;
  readonly departmentId: string;
  readonly matterCode: string;
  readonly matterName?: string;
  readonly kind: string;
  readonly status: CaseStatus;
  readonly acceptedAt: string;
  readonly deadlineDate: string;
  readonly dueAt: string;
  readonly completedAt: string | null;
  readonly overdueDays: number;
  /** Alerts active now. */
  readonly alerts: readonly CaseListAlert[];
  /** The versions the row's deadline and figures were computed under (SPEC §3: every result names them). */
  readonly calendarVersion: string;
  readonly policyVersion: string;
  /** A day of its span is predicted (no notice yet): the deadline may still move (SPEC §3). */
  readonly provisional: boolean;
}

export interface CaseListResult {
  /** Cases matching the filters (all pages). */
  readonly total: number;
  readonly sort: CaseSort;
  readonly limit: number;
  /** The instant this page was read at: filters, alerts and every case not paused. */
  readonly asOf: string;
  /** The instant the listing's first page was read at: paused cases on every page (sort key and row). */
  readonly listedAt: string;
  readonly items: readonly CaseListRow[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface CaseListSources {
  readonly entries: Iterable<Readonly<CaseEntry>>;
  readonly evaluate: (caseId: string, asOf: EpochMs) => CaseEvaluation | undefined;
  /**
   * Its deadline instant and overdue days (what the sort keys read). Cheaper than `evaluate`, which
   * formats every card: a case of 999 pauses made a sorted list take seconds.
   */
  readonly timing: (caseId: string, asOf: EpochMs) => CaseTiming | undefined;
  readonly zone: string;
  readonly now: EpochMs;
  readonly names: NameLookup;
  /** The directory published now: what a center's subtree is (`scope`); absent, every center stands alone. */
  readonly directory?: Directory;
}

/** The sort key past every real instant, for a case without a deadline (never evaluated). */
const LAST = Number.MAX_SAFE_INTEGER;

/**
 * The sorts whose keys move with the clock alone (a paused case's deadline, an open case's overdue days):
 * their keys are read at the listing's instant, so their cursors must carry it.
 */
const CLOCK_BOUND_SORTS: ReadonlySet<CaseSortField> = new Set(['dueAt', 'overdueDays']);

/** `at`, or the case's last event when that is later (recorded up to 5 minutes ahead of the clock, or after the listing began). */
function atOrLastEvent(e: Readonly<CaseEntry>, at: EpochMs): EpochMs {
  const last = e.state.lastOccurredAt;
  return last !== undefined && last > at ? last : at;
}

/**
 * A row's alerts, one a rule (first started, then `count`): a row is a line of a list, and a case with
 * 999 late records carried 999 late-record alerts in each row (90 KB; 4.1 MB a page of 50, a probe's).
 * The case read lists each. The complaint list's rows too (complaint-late-record, one per late event).
 */
export function alertsByRule<R extends string = CardRule>(
  alerts: readonly { rule: R; color: CardColor; startedAt: string }[],
): { rule: R; color: CardColor; startedAt: string; count?: number }[] {
  const byRule = new Map<R, { rule: R; color: CardColor; startedAt: string; count: number }>();
  for (const x of alerts) {
    const seen = byRule.get(x.rule);
    if (seen === undefined) byRule.set(x.rule, { rule: x.rule, color: x.color, startedAt: x.startedAt, count: 1 });
    else {
      seen.count++;
      if (Date.parse(x.startedAt) < Date.parse(seen.startedAt)) seen.startedAt = x.startedAt;
    }
  }
  return Array.from(byRule.values(), ({ count, ...a }) => (count === 1 ? a : { ...a, count }));
}

/** How one page of a listing reads its cases (listingCursor.ts). */
interface Reading {
  /** The instant the listing's first page was read at. */
  readonly listedAt: EpochMs;
  /**
   * The case evaluated as its row shows it: a paused one at `listedAt` (its deadline, its place in
   * the order and its row stay put across the pages), any other now.
   */
  readonly read: (e: Readonly<CaseEntry>) => CaseEvaluation | undefined;
  /** Its deadline instant, read as `read` reads it (numbers only). */
  readonly dueAt: (e: Readonly<CaseEntry>) => EpochMs | undefined;
  /** The case's overdue days at `listedAt` (completed: its final ones), as its row shows them on a page read then. */
  readonly overdueDays: (e: Readonly<CaseEntry>) => number;
}

/**
 * The `overdueDays` sort key of one page: a case's overdue days at the listing's instant (SPEC §3: working
 * days in (deadlineDate, date of that instant or of completion] that lie in no pause). A case without an
 * overdue card by then is 0 without evaluating it (most cases). The others are evaluated there, but a case
 * never paused has no pause to leave out, so its count is fixed by its center's calendar, its deadline and
 * its end day: one evaluation serves every such case of that center with that deadline (the overdue card
 * starts at dueAt, 24:00 of deadlineDate) and that end day (every open one shares the listing's). So a page
 * costs about one evaluation per (center, deadline, completion day), plus one per overdue case ever paused.
 */
class OverdueDaysKeys {
  /** Per center: (day of the card's start) × 10⁶ + (end day − that day) → overdue days. */
  private readonly byCenter = new Map<string, Map<number, number>>();
  private readonly clock: ZoneClock;

  constructor(
    private readonly listedAt: EpochMs,
    private readonly timing: CaseListSources['timing'],
    zone: string,
  ) {
    this.clock = zoneClock(zone);
  }

  of(e: Readonly<CaseEntry>): number {
    const since = overdueStart(e);
    const at = atOrLastEvent(e, this.listedAt);
    // A card the clock alone started after the listing's instant does not count on its pages (nor does its row read then).
    if (Number.isNaN(since) || since > at) return 0;
    const s = e.state;
    const centerId = s.accepted?.centerId;
    if (s.pauses.length > 0 || since !== e.deadlineAt || centerId === undefined) return this.evaluated(e, at);
    const startDay = this.clock.dayOf(since);
    const key = startDay * 1e6 + (this.clock.dayOf(s.completedAt ?? at) - startDay);
    let known = this.byCenter.get(centerId);
    if (known === undefined) this.byCenter.set(centerId, (known = new Map()));
    let days = known.get(key);
    if (days === undefined) known.set(key, (days = this.evaluated(e, at)));
    return days;
  }

  private evaluated(e: Readonly<CaseEntry>, at: EpochMs): number {
    return this.timing(e.caseId, at)?.overdueDays ?? 0;
  }
}

function sortKeyOf(field: CaseSortField, e: Readonly<CaseEntry>, reading: Reading): number {
  switch (field) {
    case 'accepted':
      return e.state.acceptedAt as number;
    case 'dueAt': {
      // A paused case's deadline moves on with every working day of the pause: the one of its last
      // evaluation would depend on when that was (before or after a restart). It is read at the listing's
      // instant, as its row shows it.
      if (e.state.status === 'paused') return reading.dueAt(e) ?? LAST;
      return Number.isNaN(e.deadlineAt) ? LAST : e.deadlineAt;
    }
    case 'overdueDays':
      // The overdue days themselves, at the listing's instant: a completed late case by its final count, an
      // open one by its count then (when its overdue card started orders open cases only).
      return reading.overdueDays(e);
  }
}

/**
 * The filters as one predicate over a case entry (bad dates are refused here, naming the parameter);
 * `directory` says which centers a `scope=subtree` center filter covers.
 */
export function caseFilter(
  f: CaseListFilter,
  zone: string,
  directory?: Directory,
): (e: Readonly<CaseEntry>) => boolean {
  const centers = centerSetOf(f, directory);
  const accepted: Range | undefined = dateRange(f.acceptedFrom, f.acceptedTo, ['acceptedFrom', 'acceptedTo'], zone);
  const completed: Range | undefined = dateRange(
    f.completedFrom,
    f.completedTo,
    ['completedFrom', 'completedTo'],
    zone,
  );
  const rated: Range | undefined = dateRange(f.ratedFrom, f.ratedTo, ['ratedFrom', 'ratedTo'], zone);
  const followUpDue: Range | undefined = dateRange(
    f.followUpDueFrom,
    f.followUpDueTo,
    ['followUpDueFrom', 'followUpDueTo'],
    zone,
  );
  const openAt = dayStartParam(f.openAt, 'openAt', zone);
  const overdueBy = dayStartParam(f.overdueBy, 'overdueBy', zone);
  const prefix = f.q?.toLowerCase();
  const wantsAlert = f.rule !== undefined || f.color !== undefined;
  return (e) => {
    const s = e.state;
    const a = s.accepted;
    if (a === undefined || s.acceptedAt === undefined) return false;
    if (!inCenterSet(centers, a.centerId)) return false;
    if (f.departmentId !== undefined && a.departmentId !== f.departmentId) return false;
    if (f.matterCode !== undefined && a.matterCode !== f.matterCode) return false;
    if (f.category !== undefined && (a.category ?? 'unspecified') !== f.category) return false;
    if (f.status !== undefined && (s.status ?? 'open') !== f.status) return false;
    if (!inRange(accepted, s.acceptedAt)) return false;
    if (completed !== undefined && (s.completedAt === undefined || !inRange(completed, s.completedAt))) return false;
    if (openAt !== undefined && (s.acceptedAt >= openAt || (s.completedAt !== undefined && s.completedAt < openAt)))
      return false;
    if (prefix !== undefined && !e.caseId.toLowerCase().startsWith(prefix)) return false;
    if (rated !== undefined && (s.rating === undefined || !inRange(rated, s.rating.at))) return false;
    if (f.rating !== undefined && (s.rating === undefined || ratingClassOf(s.rating.score) !== f.rating)) return false;
    // The due is the instant its last day ends (NaN unless a 差评): on a day of the range ⇔ in (from, to].
    if (followUpDue !== undefined && !(e.followUpDue > followUpDue.fromMs && e.followUpDue <= followUpDue.toMs))
      return false;
    if (f.timeliness !== undefined) {
      if (s.completedAt === undefined) return false;
      if (((e.flags & FLAG_ON_TIME) !== 0 ? 'on-time' : 'late') !== f.timeliness) return false;
    }
    if (overdueBy !== undefined && !(overdueStart(e) <= overdueBy)) return false; // NaN (never overdue): false
    if (wantsAlert) {
      const hit = e.alerts?.some(
        (x) => (f.rule === undefined || x.rule === f.rule) && (f.color === undefined || x.color === f.color),
      );
      if (hit !== true) return false;
    }
    if (f.overdue !== undefined) {
      const overdueNow = e.alerts?.some((x) => x.rule === 'overdue') === true;
      if (overdueNow !== f.overdue) return false;
    }
    return true;
  };
}

export function listCases(query: CaseListQuery, sources: CaseListSources): CaseListResult {
  const sort = query.sort ?? 'accepted';
  const direction: Direction = sort.startsWith('-') ? -1 : 1;
  const field = (direction === 1 ? sort : sort.slice(1)) as CaseSortField;
  const { now, zone } = sources;
  const order = scopedOrder(sort, query, LISTING_FIELDS);
  const { after, listedAt } = listingPosition(query, order, CLOCK_BOUND_SORTS.has(field), now, zone);
  const { timing } = sources;
  const overdue = new OverdueDaysKeys(listedAt, timing, zone);
  const readAt = (e: Readonly<CaseEntry>) => atOrLastEvent(e, e.state.status === 'paused' ? listedAt : now);
  const reading: Reading = {
    listedAt,
    read: (e) => sources.evaluate(e.caseId, readAt(e)),
    dueAt: (e) => timing(e.caseId, readAt(e))?.dueAt,
    overdueDays: (e) => overdue.of(e),
  };
  const matches = caseFilter(query, zone, sources.directory);
  const page = new PageCollector<Readonly<CaseEntry>>(query.limit, direction, after);
  let total = 0;
  for (const e of sources.entries) {
    if (!matches(e)) continue;
    total++;
    page.offer(sortKeyOf(field, e, reading), e.caseId, 0, () => e);
  }
  const { items, next } = page.result();
  const rows: CaseListRow[] = [];
  for (const e of items) {
    const row = rowOf(e, reading);
    if (row !== undefined) rows.push(withNames(row, sources.names));
  }
  return {
    total,
    sort,
    limit: query.limit,
    asOf: formatInstant(now, zone),
    listedAt: formatInstant(listedAt, zone),
    items: rows,
    ...(next === undefined ? {} : { nextCursor: listingCursor(order, next, listedAt) }),
  };
}

function rowOf(e: Readonly<CaseEntry>, reading: Reading): CaseListRow | undefined {
  const ev = reading.read(e);
  if (ev === undefined) return undefined;
  return {
    caseId: ev.caseId,
    centerId: ev.centerId,
    departmentId: ev.departmentId,
    matterCode: ev.matterCode,
    ...(ev.matterName === undefined ? {} : { matterName: ev.matterName }),
    kind: ev.kind,
    status: ev.status,
    acceptedAt: ev.acceptedAt,
    deadlineDate: ev.deadlineDate,
    dueAt: ev.dueAt,
    completedAt: ev.completedAt,
    overdueDays: ev.overdueDays,
    alerts: alertsByRule(e.alerts ?? []),
    calendarVersion: ev.calendarVersion,
    policyVersion: ev.policyVersion,
    provisional: ev.provisional,
  };
}
