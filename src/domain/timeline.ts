/**
 * SPEC §3 in numbers: the deadline arithmetic and every card of a case at an
 * instant T, as epoch values (no strings). `evaluate` formats it, `nextBoundary`
 * reads the future instants off it, `explainCard` re-derives the reasons.
 *
 * The state given must hold only events that occurred by T (see stateAsOf).
 */
import { CARD_RULES, RULE_COLOR } from './lists.js';
import type {
  ExtensionState,
  CardColor,
  CardRule,
  CaseState,
  EpochDay,
  EpochMs,
  EscalationState,
  LateRecord,
  PauseState,
} from './types.js';
import { mergeDayRanges, type DayRange, type TimingCalendar } from './calendar/work-calendar.js';
import { ceilRatio, type Policy } from './policy.js';
import { MS_PER_HOUR } from './time.js';
import { countedExtensions, extendedWarnings, pausesAtExtensions, warningDayOf } from './deadline-warnings.js';
import { ratingFactsOf, type RatingFacts } from './rating-follow-up.js';
import { retroactivePauses } from './retroactivePause.js';

export interface RawCard {
  readonly rule: CardRule;
  readonly color: CardColor;
  readonly start: EpochMs;
  /** When a yellow card clears, if that is already determined (may lie after T). */
  readonly clear?: EpochMs;
  readonly pauseId?: string;
  readonly escalation?: number;
  /** For late-record: the index into state.lateRecords. */
  readonly lateRecord?: number;
}

export interface PauseFacts {
  readonly pause: PauseState;
  readonly pausedDay: EpochDay;
  /** Last day the pause covers: the resume date, or the date of T while open. */
  readonly throughDay: EpochDay;
  /** Resume instant, or completion for a (malformed) pause left open at completion. */
  readonly endAt?: EpochMs;
  readonly allowanceDays: number;
  readonly countedDays: number;
  readonly warnAtDay: number;
  readonly warnStart?: EpochMs;
  readonly overlongStart: EpochMs;
  readonly retroactive: boolean;
}

export interface EscalationFacts {
  readonly respondWithinDays: number;
  readonly respondByDay: EpochDay;
  /** End (24:00) of the respondBy day: when escalation-unanswered starts if still open and unanswered. */
  readonly respondBy: EpochMs;
  /** The reply (回告), which ends the escalation's clock; on time when before respondBy. */
  readonly answeredAt?: EpochMs;
}

export interface Timeline {
  readonly asOf: EpochMs;
  readonly acceptedDay: EpochDay;
  readonly promisedDays: number;
  /** Working days added by the counted extensions (of the state's, which holds only events by T). */
  readonly extendedDays: number;
  /** The extensions that add days (`countedExtensions`): all but those at or after the due instant then in force. */
  readonly countedExtensions: readonly ExtensionState[];
  readonly completedAt?: EpochMs;
  /** The date of completion, else of T. */
  readonly endDay: EpochDay;
  readonly anyPauseOpen: boolean;
  readonly merged: readonly DayRange[];
  readonly deadlineDay: EpochDay;
  readonly dueAt: EpochMs;
  readonly warnAtDay: number;
  readonly warnDay?: EpochDay;
  readonly usedDays: number;
  readonly remainingDays: number;
  readonly overdueDays: number;
  readonly onTime: boolean | null;
  readonly early: boolean | null;
  readonly pauses: readonly PauseFacts[];
  readonly escalations: readonly EscalationFacts[];
  /** The 好差评 rating and its follow-up clock; undefined when not rated. */
  readonly rating: RatingFacts | undefined;
  readonly provisional: boolean;
  /** Cards determined by the events so far, including ones starting after T if nothing else happens. */
  readonly cards: readonly RawCard[];
}

const RULE_ORDER = Object.fromEntries(CARD_RULES.map((rule, i) => [rule, i])) as Readonly<Record<CardRule, number>>;

export function compareCards(a: RawCard, b: RawCard): number {
  return (
    a.start - b.start ||
    RULE_ORDER[a.rule] - RULE_ORDER[b.rule] ||
    (a.pauseId === b.pauseId ? 0 : (a.pauseId ?? '').localeCompare(b.pauseId ?? '')) || // ICU only when they differ
    (a.escalation ?? 0) - (b.escalation ?? 0) ||
    (a.lateRecord ?? 0) - (b.lateRecord ?? 0)
  );
}

/** "Open at t": not ended before t (an end exactly at t is not before t). */
const openAt = (endAt: EpochMs | undefined, t: EpochMs): boolean => endAt === undefined || endAt >= t;

export function allowanceOf(pause: PauseState, policy: Policy): number {
  return pause.declaredDays ?? policy.pauseAllowanceDays[pause.reason];
}

/** Null when the case has not been accepted. */
export function timelineOf(state: CaseState, T: EpochMs, policy: Policy, calendar: TimingCalendar): Timeline | null {
  const accepted = state.accepted;
  if (accepted === undefined || state.acceptedAt === undefined) return null;
  const cal = calendar.forCenter(accepted.centerId); // with the regional days of the center's region
  const A = cal.dayOf(state.acceptedAt);
  const promised = accepted.promisedDays;
  const C = state.completedAt;
  const endDay = cal.dayOf(C ?? T);

  const ranges: DayRange[] = [];
  let anyPauseOpen = false;
  // The earliest date an open pause starts from: it covers only days after it, so a
  // deadline on or before that date no longer moves with T.
  let openPauseAfter = Number.POSITIVE_INFINITY;
  for (const p of state.pauses) {
    const endAt = p.resumedAt ?? C;
    const after = cal.dayOf(p.pausedAt);
    if (p.resumedAt === undefined && C === undefined) {
      anyPauseOpen = true;
      if (after < openPauseAfter) openPauseAfter = after;
    }
    ranges.push({ after, through: cal.dayOf(endAt ?? T) });
  }
  const merged = ranges.length === 0 ? ranges : mergeDayRanges(ranges);
  const pausesAt = state.extensions.length === 0 ? undefined : pausesAtExtensions(state, cal, merged);
  const counted = pausesAt === undefined ? state.extensions : countedExtensions(state, A, cal, pausesAt);
  let extendedDays = 0;
  for (const x of counted) extendedDays += x.days;
  const total = promised + extendedDays;
  const deadlineDay = cal.nthCountedDayAfter(A, total, merged);
  const dueAt = cal.startOfDay(deadlineDay + 1);
  const usedDays = cal.countWorkdaysExcluding(A, endDay, merged);
  const overdueDays = cal.countWorkdaysExcluding(deadlineDay, endDay, merged);
  const cards: RawCard[] = [];
  // A due instant that still moves with T (open pause, not yet due) cannot start or clear anything yet.
  const dueFixed = !anyPauseOpen || dueAt <= T || deadlineDay <= openPauseAfter;
  const overdueStarts = dueFixed && openAt(C, dueAt);

  let warnAtDay = 0;
  let warnDay: EpochDay | undefined;
  if (total > 0) {
    warnAtDay = warningDayOf(total, policy);
    warnDay = cal.nthCountedDayAfter(A, warnAtDay, merged);
    const start = cal.startOfDay(warnDay);
    const holds = (start <= T || !anyPauseOpen || warnDay <= openPauseAfter) && openAt(C, start);
    const clear = minDefined(C, overdueStarts ? dueAt : undefined);
    if (counted.length > 0) {
      for (const w of extendedWarnings(state, counted, A, policy, cal, holds ? start : undefined, clear, pausesAt))
        cards.push(card('deadline-warning', w.start, w.clear, undefined, undefined, undefined));
    } else if (holds) {
      cards.push(card('deadline-warning', start, clear, undefined, undefined, undefined));
    }
  }
  if (overdueStarts) cards.push(card('overdue', dueAt, undefined, undefined, undefined, undefined));

  const retroactive = state.pauses.length === 0 ? undefined : retroactivePauses(ranges, merged, A, total, cal);
  const pauses = state.pauses.map((p, i): PauseFacts => {
    const range = ranges[i]!;
    const allowanceDays = allowanceOf(p, policy);
    const endAt = p.resumedAt ?? C;
    const warnAt = ceilRatio(policy.pauseWarningRatio, allowanceDays);
    const overlongStart = cal.startOfDay(cal.nthWorkdayAfter(range.after, allowanceDays) + 1);
    const overlong = openAt(endAt, overlongStart);
    let warnStart: EpochMs | undefined;
    if (warnAt >= 1) {
      warnStart = cal.startOfDay(cal.nthWorkdayAfter(range.after, warnAt));
      if (openAt(endAt, warnStart)) {
        const clear = minDefined(endAt, overlong ? overlongStart : undefined);
        cards.push(card('pause-warning', warnStart, clear, p.pauseId, undefined, undefined));
      }
    }
    if (overlong) cards.push(card('overlong-pause', overlongStart, undefined, p.pauseId, undefined, undefined));
    return {
      pause: p,
      pausedDay: range.after,
      throughDay: range.through,
      endAt,
      allowanceDays,
      countedDays: cal.countWorkdays(range.after, range.through),
      warnAtDay: warnAt,
      warnStart,
      overlongStart,
      retroactive: retroactive!(p, i),
    };
  });

  const remember = state.escalations.length >= ESCALATION_MEMO_FROM;
  const escalations = state.escalations.map((e, i): EscalationFacts => {
    const known = remember ? rememberedEscalation(e, i, cal, policy) : undefined;
    const facts = known?.facts ?? escalationFacts(e, cal, policy);
    if (openAt(C, facts.respondBy) && openAt(facts.answeredAt, facts.respondBy))
      cards.push(known?.card ?? unansweredCard(facts.respondBy, i));
    return facts;
  });

  const rating = ratingFactsOf(state, cal, policy);
  if (rating?.unresolved === true && rating.followUpDue !== undefined)
    cards.push(card('bad-rating-unresolved', rating.followUpDue, undefined, undefined, undefined, undefined));

  const lateMs = policy.lateRecordHours * MS_PER_HOUR;
  const late = state.lateRecords;
  for (let i = 0; i < late.length; i++) {
    const r = late[i]!;
    if (r.recordedAt - r.occurredAt > lateMs)
      cards.push(card('late-record', r.recordedAt, undefined, undefined, undefined, i));
  }
  if (cards.length > 1) cards.sort(compareCards);

  return {
    asOf: T,
    acceptedDay: A,
    promisedDays: promised,
    extendedDays,
    countedExtensions: counted,
    completedAt: C,
    endDay,
    anyPauseOpen,
    merged,
    deadlineDay,
    dueAt,
    warnAtDay,
    warnDay,
    usedDays,
    remainingDays: Math.max(0, total - usedDays),
    overdueDays,
    onTime: C === undefined ? null : C < dueAt,
    early: C === undefined ? null : promised >= 1 && cal.dayOf(C) < deadlineDay,
    pauses,
    escalations,
    rating,
    provisional: cal.isProvisionalSpan(A, Math.max(deadlineDay, endDay)),
    cards,
  };
}

/**
 * An escalation's facts and its `escalation-unanswered` card depend only on the
 * escalation (an immutable value: a reply makes a new one), its index, the
 * center's calendar and the policy. A case's timeline is re-derived at every
 * event folded, so a case with n escalations re-did n calendar computations per
 * event (O(n²) calendar work for the case). For a case with many escalations
 * they are remembered per escalation object, checked against the inputs, so the
 * values are the same ones: a pure memo, dropped with the escalation. A usual
 * case (a few escalations) keeps none: no memory per case for it.
 */
export const ESCALATION_MEMO_FROM = 8;
interface EscalationMemo {
  readonly cal: TimingCalendar;
  readonly policy: Policy;
  readonly index: number;
  readonly facts: EscalationFacts;
  readonly card: RawCard;
}
const escalationMemo = new WeakMap<EscalationState, EscalationMemo>();

/** An escalation's reply clock: pure in the escalation, the center's calendar and the policy. */
function escalationFacts(e: EscalationState, cal: TimingCalendar, policy: Policy): EscalationFacts {
  const respondWithinDays = e.respondWithinDays ?? policy.respondWithinDays[e.level];
  const respondByDay = cal.nthWorkdayAfter(cal.dayOf(e.at), respondWithinDays);
  const respondBy = cal.startOfDay(respondByDay + 1);
  const answeredAt = e.answer?.at;
  return answeredAt === undefined
    ? { respondWithinDays, respondByDay, respondBy }
    : { respondWithinDays, respondByDay, respondBy, answeredAt };
}

const unansweredCard = (respondBy: EpochMs, index: number): RawCard =>
  card('escalation-unanswered', respondBy, undefined, undefined, index, undefined);

/** The memo of a case with many escalations: its facts and card, computed once per escalation object and inputs. */
function rememberedEscalation(e: EscalationState, index: number, cal: TimingCalendar, policy: Policy): EscalationMemo {
  const known = escalationMemo.get(e);
  if (known !== undefined && known.cal === cal && known.policy === policy && known.index === index) return known;
  const facts = escalationFacts(e, cal, policy);
  const memo = { cal, policy, index, facts, card: unansweredCard(facts.respondBy, index) };
  escalationMemo.set(e, memo);
  return memo;
}

/** The first instant strictly after `after` at which a card of the timeline starts or clears; undefined when none. */
export function nextChangeOf(tl: Timeline, after: EpochMs): EpochMs | undefined {
  let next: EpochMs | undefined;
  for (const c of tl.cards) {
    if (c.start > after && (next === undefined || c.start < next)) next = c.start;
    if (c.clear !== undefined && c.clear > after && (next === undefined || c.clear < next)) next = c.clear;
  }
  return next;
}

/**
 * A pause's facts by its id, and by the instants it occurred and was recorded at (a late record's
 * pause). Cards look their pause up one each: a scan a card made a case of 999 pauses quadratic, so
 * past a few pauses the timeline gets an index, made on first use (pure: a cache of its own value).
 */
const pauseIndexes = new WeakMap<Timeline, { byId: Map<string, PauseFacts>; byInstants: Map<string, PauseFacts> }>();
const SCANNED_PAUSES = 8;

function pauseIndexOf(tl: Timeline) {
  let index = pauseIndexes.get(tl);
  if (index === undefined) {
    index = { byId: new Map(), byInstants: new Map() };
    for (const p of tl.pauses) {
      // The first of equal keys, as a scan finds it.
      if (!index.byId.has(p.pause.pauseId)) index.byId.set(p.pause.pauseId, p);
      const instants = `${p.pause.pausedAt}/${p.pause.recordedAt}`;
      if (!index.byInstants.has(instants)) index.byInstants.set(instants, p);
    }
    pauseIndexes.set(tl, index);
  }
  return index;
}

export function pauseFactsOf(tl: Timeline, pauseId: string | undefined): PauseFacts | undefined {
  if (pauseId === undefined) return undefined;
  if (tl.pauses.length <= SCANNED_PAUSES) return tl.pauses.find((p) => p.pause.pauseId === pauseId);
  return pauseIndexOf(tl).byId.get(pauseId);
}

function pauseFactsAt(tl: Timeline, pausedAt: EpochMs, recordedAt: EpochMs): PauseFacts | undefined {
  if (tl.pauses.length <= SCANNED_PAUSES)
    return tl.pauses.find((p) => p.pause.pausedAt === pausedAt && p.pause.recordedAt === recordedAt);
  return pauseIndexOf(tl).byInstants.get(`${pausedAt}/${recordedAt}`);
}

/** The ids of the case's retroactive (back-dated) pauses. */
export function retroactivePauseIds(tl: Timeline): string[] {
  return tl.pauses.filter((p) => p.retroactive).map((p) => p.pause.pauseId);
}

/** recordedAt − occurredAt in hours, one decimal. */
export function delayHoursOf(r: LateRecord): number {
  return Math.round(((r.recordedAt - r.occurredAt) / MS_PER_HOUR) * 10) / 10;
}

/**
 * A late-record card explained in numbers (a case's, domain/explain.ts; a complaint's
 * complaint-late-record, the card register): the late event, when it occurred and was recorded,
 * how late, and the threshold of the policy in force.
 */
export function lateRecordFigures(r: LateRecord, thresholdHours: number, fmt: (ms: EpochMs) => string) {
  return {
    eventType: r.eventType,
    revision: r.revision,
    occurredAt: fmt(r.occurredAt),
    recordedAt: fmt(r.recordedAt),
    delayHours: delayHoursOf(r),
    thresholdHours,
  };
}

/** The details of a late-record card: the late event, and the pause it opened if that pause is retroactive. */
export function lateRecordDetails(s: CaseState, tl: Timeline, index: number): Record<string, unknown> | undefined {
  const r = s.lateRecords[index];
  if (r === undefined) return undefined;
  const d: Record<string, unknown> = { eventType: r.eventType, revision: r.revision, delayHours: delayHoursOf(r) };
  if (r.eventType === 'CasePaused') {
    const pause = pauseFactsAt(tl, r.occurredAt, r.recordedAt);
    if (pause?.retroactive === true) d['retroactivePause'] = pause.pause.pauseId;
  }
  return d;
}

function minDefined(a: EpochMs | undefined, b: EpochMs | undefined): EpochMs | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/**
 * Every card is built here with all its fields (absent ones undefined): one
 * hidden class for all cards, so the loops that read them stay monomorphic.
 */
function card(
  rule: CardRule,
  start: EpochMs,
  clear: EpochMs | undefined,
  pauseId: string | undefined,
  escalation: number | undefined,
  lateRecord: number | undefined,
): RawCard {
  return { rule, color: RULE_COLOR[rule], start, clear, pauseId, escalation, lateRecord };
}
