/**
 * One case's whole life, planned from its acceptance: which matter, whether it
 * pauses (补正, 检测, 专家评审, 公示…), is escalated (and whether the department
 * answers, 回告, in time, late or never), is extended (延期, before its deadline
 * and within the policy's limit), completes early, on the deadline day or
 * late. Every plan obeys SPEC §2 by construction: the events are produced in
 * order on a working-day axis (non-decreasing occurredAt), pauses are resumed
 * before completion, pause ids are unique, a 回告 answers an escalation of the
 * case before completion, and an extension comes before the deadline day.
 *
 * Over ~300 lines on purpose: the plan's steps are one ordered story (accept,
 * pause, escalate, complete) whose invariants hold only together.
 */
import type { CaseAccepted, CaseCompleted, CaseEscalated, CaseEvent, CaseKind, PauseReason } from '../domain/events.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import type { Calendar, EpochDay, EpochMs } from '../domain/types.js';
import { formatInstant } from '../domain/time.js';
import { type Center, departmentIdOf, departmentNameOf, type Matter, type MatterMix } from './catalog.js';
import type { Rng } from './prng.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Allowance in working days when no days were declared: the default policy's (SPEC §3). */
export const DEFAULT_ALLOWANCE: Readonly<Record<PauseReason, number>> = DEFAULT_POLICY.pauseAllowanceDays;

const PAUSE_NOTES: Readonly<Record<PauseReason, string>> = {
  supplement: '申请材料不齐全，一次性告知补正',
  hearing: '申请人依法申请听证',
  tender: '依法组织招标',
  auction: '依法组织拍卖',
  inspection: '委托检验',
  testing: '委托第三方检测',
  quarantine: '依法检疫',
  appraisal: '委托鉴定',
  'expert-review': '组织专家评审',
  'site-survey': '现场勘查',
  'public-notice': '依法公示',
  other: '其他依法不计时环节',
};

/** A generated case: its events in order, each with a planned recording lag. */
export interface GeneratedCase {
  readonly caseId: string;
  readonly centerId: string;
  readonly events: readonly CaseEvent[];
  /** Epoch ms of each event's occurredAt (same order as events). */
  readonly at: readonly EpochMs[];
  /** How long after occurring each event is meant to be recorded (window-system sync; rarely > 24 h). */
  readonly recordLagMs: readonly number[];
}

/** Shares of each fate among promised cases; the rest complete comfortably early. */
export interface FateMix {
  /** Completed within the last 20% of the promised days (a yellow deadline-warning). */
  readonly nearDeadline: number;
  /** Completed 1–5 working days late (red overdue). */
  readonly late: number;
  /** Stuck for weeks (still open and overdue at the end of most histories). */
  readonly stuck: number;
  /**
   * Granted an extension (延期, 行政许可法 §42) before the deadline, then completed within
   * the extended deadline (some still in progress at the end of a history). Default 0.
   */
  readonly extended?: number;
  /** Chance that any event is recorded more than 24 h after it occurred (补录). */
  readonly lateRecord: number;
}

export const DEFAULT_FATES: FateMix = {
  nearDeadline: 0.06,
  late: 0.015,
  stuck: 0.003,
  extended: 0.006,
  lateRecord: 0.002,
};

/**
 * What becomes of an escalation (回告, SPEC §2 CaseEscalationAnswered): answered within its
 * respondWithinDays, answered 1–4 working days late, or never (an
 * escalation-unanswered card from the end of its respond-by day while the case
 * is open). A 回告 planned after the case's completion comes on the completion
 * day, just before it.
 */
export const ESCALATION_ANSWERS: readonly (readonly ['on-time' | 'late' | 'never', number])[] = [
  ['on-time', 0.75],
  ['late', 0.15],
  ['never', 0.1],
];

const ANSWER_NOTES: Readonly<Record<CaseEscalated['level'], string>> = {
  reminder: '已加快办理，按期办结',
  supervision: '已说明超期原因并督促办理',
  referral: '已书面说明情况，整改落实',
};

export interface PlanContext {
  readonly calendar: Calendar;
  readonly zone: string;
  readonly fates?: FateMix;
}

/** Minute of day inside office hours 09:00–12:00, 13:00–17:00 (a little busier in the morning). */
export function officeMinute(rng: Rng): number {
  return rng.chance(0.55) ? rng.int(9 * 60, 12 * 60 - 1) : rng.int(13 * 60, 17 * 60 - 1);
}

export function pickMatter(rng: Rng, mix: MatterMix): Matter {
  const instant = mix.instant.length > 0 && (mix.promised.length === 0 || rng.chance(mix.instantShare));
  return rng.weighted(instant ? mix.instant : mix.promised);
}

/** An event without its instant yet (checked by decodeCaseEvent in the tests), on working day `w` after acceptance. */
type Draft = Readonly<Record<string, unknown>>;

interface Step {
  readonly w: number;
  readonly event: Draft;
}

interface PausePlan {
  readonly reason: PauseReason;
  readonly s: number;
  readonly length: number;
  readonly declaredDays?: number;
  readonly parallel: boolean;
}

interface EscalationPlan {
  readonly s: number;
  readonly level: CaseEscalated['level'];
}

/** An extension granted on counted day `s` (before the deadline), adding `days` working days. */
interface ExtensionPlan {
  readonly s: number;
  readonly days: number;
}

/** Who answers an escalation: the case's department (its name in the directory). */
type AnswerBy = string;

/**
 * Plan a case accepted at `acceptAt` (an instant on date `acceptDay`). The rng
 * should be dedicated to this case so that plans are independent of each other.
 */
export function planCase(
  ctx: PlanContext,
  rng: Rng,
  caseId: string,
  center: Center,
  matter: Matter,
  acceptAt: EpochMs,
): GeneratedCase {
  const fates = ctx.fates ?? DEFAULT_FATES;
  const cal = ctx.calendar;
  const acceptDay = cal.dayOf(acceptAt);
  const window = `窗口${String(rng.int(1, 24)).padStart(2, '0')}`;
  const kind: CaseAccepted['kind'] =
    matter.promisedDays === 0
      ? 'instant'
      : matter.referred === true
        ? 'referred'
        : rng.chance(matter.jointShare ?? 0)
          ? 'joint'
          : 'promised';
  const accepted: Draft = {
    type: 'CaseAccepted',
    caseId,
    eventId: rng.uuid(),
    actor: window,
    centerId: center.id,
    departmentId: departmentIdOf(center, matter.departmentKind),
    matterCode: matter.code,
    matterName: matter.name,
    kind,
    promisedDays: matter.promisedDays,
    legalDays: matter.legalDays,
    channel: rng.chance(matter.onlineShare) ? 'online' : 'window',
    category: matter.category,
  };
  const steps: Step[] = [{ w: 0, event: accepted }];
  const answerBy = departmentNameOf(center, matter.departmentKind);
  if (kind === 'instant') planInstant(rng, steps, caseId, answerBy);
  else planPromised(rng, fates, matter, kind, steps, caseId, answerBy);
  return timeSteps(ctx, rng, fates, caseId, center.id, acceptDay, acceptAt, steps);
}

function outcome(rng: Rng, hadSupplement: boolean): CaseCompleted['outcome'] {
  return rng.weighted<CaseCompleted['outcome']>([
    ['approved', hadSupplement ? 0.9 : 0.95],
    ['rejected', 0.03],
    ['withdrawn', hadSupplement ? 0.07 : 0.02],
  ]);
}

const completed = (rng: Rng, caseId: string, hadSupplement: boolean): Draft => ({
  type: 'CaseCompleted',
  caseId,
  eventId: rng.uuid(),
  outcome: outcome(rng, hadSupplement),
});

/** 即办件: done the same day, rarely after a same-day 补正, now and then only the next working day. */
function planInstant(rng: Rng, steps: Step[], caseId: string, answerBy: AnswerBy): void {
  const r = rng.next();
  if (r < 0.025) {
    steps.push({
      w: 0,
      event: {
        type: 'CasePaused',
        caseId,
        eventId: rng.uuid(),
        pauseId: 'p1',
        reason: 'supplement',
        note: PAUSE_NOTES.supplement,
      },
    });
    steps.push({ w: 0, event: { type: 'CaseResumed', caseId, eventId: rng.uuid(), pauseId: 'p1' } });
    steps.push({ w: 0, event: completed(rng, caseId, true) });
  } else if (r < 0.04) {
    if (rng.chance(0.5)) {
      steps.push({ w: 1, event: escalation(rng, caseId, 'reminder') });
      // Done the next day: the 回告 comes with it (in time), or not at all.
      if (rng.chance(0.8)) steps.push({ w: 1, event: answer(rng, caseId, 'e1', 'reminder', answerBy) });
    }
    steps.push({ w: 1, event: completed(rng, caseId, false) });
  } else {
    steps.push({ w: 0, event: completed(rng, caseId, false) });
  }
}

function escalation(rng: Rng, caseId: string, level: CaseEscalated['level']): Draft {
  const by = level === 'reminder' ? '电子监察系统' : level === 'supervision' ? '区效能办' : '派驻纪检监察组';
  const note =
    level === 'reminder'
      ? '临近承诺时限，请抓紧办理'
      : level === 'supervision'
        ? '已超承诺时限，督促办理并说明原因'
        : '超期未办结，上报处理';
  const e: Record<string, unknown> = { type: 'CaseEscalated', caseId, eventId: rng.uuid(), level, by, note };
  if (rng.chance(0.3)) e['respondWithinDays'] = level === 'referral' ? 5 : level === 'supervision' ? 2 : 3;
  return e;
}

function answer(rng: Rng, caseId: string, escalationId: string, level: CaseEscalated['level'], by: AnswerBy): Draft {
  return { type: 'CaseEscalationAnswered', caseId, eventId: rng.uuid(), escalationId, by, note: ANSWER_NOTES[level] };
}

/** Working days after an escalation its 回告 comes (undefined: never), by ESCALATION_ANSWERS. */
function answerDelay(rng: Rng, escalated: Draft): number | undefined {
  const level = escalated['level'] as CaseEscalated['level'];
  const within = (escalated['respondWithinDays'] as number | undefined) ?? DEFAULT_POLICY.respondWithinDays[level];
  const fate = rng.weighted(ESCALATION_ANSWERS);
  if (fate === 'never') return undefined;
  return fate === 'on-time' ? rng.int(0, within) : within + rng.int(1, 4);
}

/** Working days an extension adds: mostly the statutory 10 (行政许可法 §42), within the policy's limit for the kind. */
function extensionDays(rng: Rng, kind: CaseKind): number {
  const max = DEFAULT_POLICY.maxExtensionDays[kind];
  return Math.min(
    max,
    rng.weighted([
      [5, 0.3],
      [10, 0.6],
      [15, 0.1],
    ] as const),
  );
}

/** Working days a pause lasts: mostly well inside its allowance, sometimes near it, rarely over. */
function pauseLength(rng: Rng, reason: PauseReason, declaredDays: number | undefined): number {
  const allowance = declaredDays ?? DEFAULT_ALLOWANCE[reason];
  const warnAt = Math.ceil(0.8 * allowance);
  const r = rng.next();
  if (reason === 'supplement') {
    if (r < 0.85) return rng.int(1, 5);
    if (r < 0.95) return rng.int(6, warnAt - 1);
  } else if (r < 0.9) {
    return rng.int(1, Math.max(1, warnAt - 1));
  }
  if (r < 0.98) return rng.int(warnAt, allowance);
  return allowance + rng.int(1, 8);
}

function planPromised(
  rng: Rng,
  fates: FateMix,
  matter: Matter,
  kind: CaseKind,
  steps: Step[],
  caseId: string,
  answerBy: AnswerBy,
): void {
  const P = matter.promisedDays;
  const warnDay = Math.ceil(0.8 * P);
  const r = rng.next();
  let U: number;
  let fate: 'normal' | 'near' | 'late' | 'stuck' | 'extended' = 'normal';
  let extension: ExtensionPlan | undefined;
  if (r < fates.stuck) {
    fate = 'stuck';
    U = P + rng.int(15, 60);
  } else if (r < fates.stuck + fates.late) {
    fate = 'late';
    U = P + rng.int(1, 5);
  } else if (r < fates.stuck + fates.late + fates.nearDeadline) {
    fate = 'near';
    U = rng.int(warnDay, P);
  } else if (r < fates.stuck + fates.late + fates.nearDeadline + (fates.extended ?? 0)) {
    // Granted on a counted day before the deadline day (the deadline is the end of counted day P).
    fate = 'extended';
    extension = { s: rng.int(Math.max(0, warnDay - 2), Math.max(0, P - 1)), days: extensionDays(rng, kind) };
    U = P + rng.int(1, extension.days);
  }
  // Most cases finish far ahead of the promise; a quarter on the spot (现场办结).
  else U = warnDay < 2 || rng.chance(0.25) ? 0 : 1 + Math.floor(rng.next() ** 1.6 * (warnDay - 1));

  const pauses: PausePlan[] = [];
  const hadSupplement = rng.chance(matter.supplement);
  if (hadSupplement) {
    pauses.push({
      reason: 'supplement',
      s: rng.int(0, Math.min(U, 2)),
      length: pauseLength(rng, 'supplement', undefined),
      parallel: false,
    });
  }
  for (const step of matter.steps) {
    if (!rng.chance(step.probability)) continue;
    const prev = pauses[pauses.length - 1];
    const parallel = step.parallel === true && prev !== undefined && prev.reason !== 'supplement';
    pauses.push({
      reason: step.reason,
      s: parallel && prev !== undefined ? prev.s : rng.int(0, U),
      length: pauseLength(rng, step.reason, step.declaredDays),
      parallel,
      ...(step.declaredDays === undefined ? {} : { declaredDays: step.declaredDays }),
    });
  }
  pauses.sort((a, b) => a.s - b.s);

  const escalations: EscalationPlan[] = [];
  // A reminder on the yellow day: for some near-deadline cases, and half the late, stuck and extended ones
  // (an extended case's reminder comes before or with its extension, which is granted from warnDay − 2).
  if ((fate === 'near' && rng.chance(0.4)) || (fate !== 'normal' && fate !== 'near' && rng.chance(0.5))) {
    escalations.push({ s: Math.max(1, warnDay), level: 'reminder' });
  }
  if ((fate === 'late' || fate === 'stuck') && rng.chance(0.8)) escalations.push({ s: P + 1, level: 'supervision' });
  if (fate === 'stuck' && rng.chance(0.6)) escalations.push({ s: P + 5, level: 'referral' });

  walkDays(rng, caseId, U, pauses, escalations, extension, hadSupplement, answerBy, steps);
}

/** Walks working days from acceptance, counting days outside pauses, emitting steps in order. */
function walkDays(
  rng: Rng,
  caseId: string,
  U: number,
  pending: PausePlan[],
  escalations: EscalationPlan[],
  extension: ExtensionPlan | undefined,
  hadSupplement: boolean,
  answerBy: AnswerBy,
  steps: Step[],
): void {
  const open: { pauseId: string; resumeW: number }[] = [];
  // 回告 still to come: on day `w`, or (if the case completes first) just before the completion.
  const answers: { w: number; escalationId: string; level: CaseEscalated['level'] }[] = [];
  let escalated = 0;
  let extend = extension;
  let counted = 0;
  let pauseSeq = 0;
  const answerDue = (w: number, all: boolean) => {
    for (let i = 0; i < answers.length; ) {
      const a = answers[i] as (typeof answers)[number];
      if (all || a.w <= w) {
        steps.push({ w, event: answer(rng, caseId, a.escalationId, a.level, answerBy) });
        answers.splice(i, 1);
      } else i++;
    }
  };
  for (let w = 0; ; w++) {
    if (w > 0 && open.length === 0) counted++;
    for (let i = open.length - 1; i >= 0; i--) {
      const p = open[i];
      if (p !== undefined && p.resumeW === w) {
        steps.push({ w, event: { type: 'CaseResumed', caseId, eventId: rng.uuid(), pauseId: p.pauseId } });
        open.splice(i, 1);
      }
    }
    while (pending.length > 0) {
      const next = pending[0] as PausePlan;
      if (next.s > counted || (open.length > 0 && !next.parallel)) break;
      pending.shift();
      const pauseId = `p${++pauseSeq}`;
      const e: Record<string, unknown> = {
        type: 'CasePaused',
        caseId,
        eventId: rng.uuid(),
        pauseId,
        reason: next.reason,
        note: PAUSE_NOTES[next.reason],
      };
      if (next.declaredDays !== undefined) e['declaredDays'] = next.declaredDays;
      steps.push({ w, event: e });
      if (next.length === 0) {
        steps.push({ w, event: { type: 'CaseResumed', caseId, eventId: rng.uuid(), pauseId } });
      } else {
        open.push({ pauseId, resumeW: w + next.length });
      }
    }
    // Outside any pause, on a counted day before the deadline day: decide accepts it (extension-rules.ts).
    if (extend !== undefined && extend.s <= counted && open.length === 0) {
      steps.push({
        w,
        event: {
          type: 'CaseExtended',
          caseId,
          eventId: rng.uuid(),
          days: extend.days,
          approvedBy: `${answerBy}负责人`,
          reason: '情况复杂，不能在承诺时限内办结，经本机关负责人批准延长办理期限',
        },
      });
      extend = undefined;
    }
    while (escalations.length > 0 && (escalations[0] as EscalationPlan).s <= counted) {
      const e = escalations.shift() as EscalationPlan;
      if (counted < U || open.length > 0 || pending.length > 0) {
        const event = escalation(rng, caseId, e.level);
        steps.push({ w, event });
        const delay = answerDelay(rng, event);
        if (delay !== undefined) answers.push({ w: w + delay, escalationId: `e${++escalated}`, level: e.level });
        else escalated++;
      }
    }
    const done = counted >= U && open.length === 0 && pending.length === 0;
    answerDue(w, done);
    if (done) {
      steps.push({ w, event: completed(rng, caseId, hadSupplement) });
      return;
    }
  }
}

/** Gives each step an instant: office hours on its working day, strictly after the previous step. */
function timeSteps(
  ctx: PlanContext,
  rng: Rng,
  fates: FateMix,
  caseId: string,
  centerId: string,
  acceptDay: EpochDay,
  acceptAt: EpochMs,
  steps: readonly Step[],
): GeneratedCase {
  const cal = ctx.calendar;
  const events: CaseEvent[] = [];
  const at: EpochMs[] = [];
  const lags: number[] = [];
  let prev = acceptAt;
  let i = 0;
  while (i < steps.length) {
    const w = (steps[i] as Step).w;
    let j = i;
    while (j < steps.length && (steps[j] as Step).w === w) j++;
    const day = w === 0 ? acceptDay : cal.nthWorkdayAfter(acceptDay, w);
    const start = cal.startOfDay(day);
    const minutes: number[] = [];
    for (let k = i; k < j; k++) minutes.push(officeMinute(rng));
    minutes.sort((a, b) => a - b);
    for (let k = i; k < j; k++) {
      let t: number;
      if (k === 0) t = acceptAt;
      else {
        t = start + (minutes[k - i] as number) * MINUTE + rng.int(0, 59) * 1000;
        if (t <= prev) t = prev + rng.int(2, 25) * MINUTE + rng.int(0, 59) * 1000;
      }
      prev = t;
      const step = steps[k] as Step;
      events.push({ ...step.event, occurredAt: formatInstant(t, ctx.zone) } as unknown as CaseEvent);
      at.push(t);
      lags.push(rng.chance(fates.lateRecord) ? rng.int(25, 72) * HOUR : rng.int(5, 600) * 1000);
    }
    i = j;
  }
  return { caseId, centerId, events, at, recordLagMs: lags };
}
