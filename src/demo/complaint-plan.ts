/**
 * 效能投诉 for the demo (SPEC §8): a few complaints per thousand cases, by
 * hotline, online, letter or in person, about a department of the center (some
 * about one case). One complaint's whole life is planned from its receipt, in
 * order, so §8's order holds by construction: received; accepted or rejected
 * once (mostly within complaintDecideDays, a few late: complaint-undecided);
 * assigned and answered only after acceptance (mostly in time, some in the last
 * days: complaint-answer-warning, some late: complaint-overdue, a few stuck for
 * weeks); closed after the answer or the rejection, mostly with a satisfaction.
 * The tests replay every plan through decideComplaint.
 */
import type { ComplaintEvent } from '../domain/complaints/events.js';
import type { ComplaintChannel, ComplaintFinding, SatisfactionLevel } from '../domain/complaints/lists.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { formatDate, formatInstant } from '../domain/time.js';
import type { EpochDay, EpochMs } from '../domain/types.js';
import { officeMinute, type PlanContext } from './case-plan.js';
import { type Center, departmentsOf } from './catalog.js';
import type { Rng } from './prng.js';

const MINUTE = 60_000;

/** A generated complaint: its events in order, each with a planned recording lag (as GeneratedCase). */
export interface GeneratedComplaint {
  readonly complaintId: string;
  readonly centerId: string;
  readonly events: readonly ComplaintEvent[];
  /** Epoch ms of each event's occurredAt (same order as events). */
  readonly at: readonly EpochMs[];
  readonly recordLagMs: readonly number[];
}

/** Complaints per accepted case (a few per thousand). */
export const COMPLAINTS_PER_CASE = 0.006;

/** Share of complaints about one named case (the rest are about a department's service in general). */
export const ABOUT_A_CASE_SHARE = 0.45;

/** How a complaint's decision goes: rejected, accepted in time, or decided after the decide clock ran out. */
export const DECISION_FATES = [
  ['accepted', 0.84],
  ['rejected', 0.12],
  ['late', 0.04],
] as const;

/** When an accepted complaint is answered: counted day after acceptance (SPEC §8: within 15, warning from 12). */
export const ANSWER_FATES = [
  ['early', 0.7], // days 2–11
  ['warning', 0.14], // days 12–15: complaint-answer-warning, answered in time
  ['late', 0.1], // days 16–22: complaint-overdue until the answer
  ['stuck', 0.06], // days 35–60: overdue for weeks (still open at the end of most histories)
] as const;

const ANSWER_DAYS: Readonly<Record<(typeof ANSWER_FATES)[number][0], readonly [number, number]>> = {
  early: [2, 11],
  warning: [12, 15],
  late: [16, 22],
  stuck: [35, 60],
};

/** Working day (after the receipt date) of a decision in time: mostly the same or the next day. */
const DECIDE_DAY: readonly (readonly [number, number])[] = [
  [0, 0.35],
  [1, 0.4],
  [2, 0.17],
  [3, 0.08],
];

const CHANNELS: readonly (readonly [ComplaintChannel, number])[] = [
  ['hotline', 0.45],
  ['online', 0.3],
  ['visit', 0.2],
  ['letter', 0.05],
];

const RECEIVED_BY: Readonly<Record<ComplaintChannel, string>> = {
  hotline: '12345热线',
  online: '网上投诉平台',
  visit: '投诉接待窗口',
  letter: '来信登记',
};

const SUBJECTS = [
  '窗口工作人员态度生硬',
  '要求重复提交材料',
  '办件超过承诺时限未办结',
  '窗口推诿，不予受理',
  '排队等候时间过长',
  '网上申报系统无法提交',
  '一次性告知不清楚，多次往返',
  '工作时间窗口无人',
];

const CASE_SUBJECTS = ['办件超过承诺时限未办结', '要求重复提交材料', '一次性告知不清楚，多次往返'];

const REJECT_REASONS = ['不属于效能投诉受理范围', '投诉事项已通过行政复议途径处理', '重复投诉，已合并办理'];

const FINDINGS: readonly (readonly [ComplaintFinding, number])[] = [
  ['substantiated', 0.3],
  ['partly', 0.25],
  ['unsubstantiated', 0.45],
];

const ANSWER_NOTES: Readonly<Record<ComplaintFinding, string>> = {
  substantiated: '投诉属实，已责令整改并对责任人批评教育',
  partly: '投诉部分属实，已督促部门改进',
  unsubstantiated: '经核查投诉不属实，已向投诉人说明情况',
};

const SATISFACTION: readonly (readonly [SatisfactionLevel, number])[] = [
  ['satisfied', 0.7],
  ['basically', 0.22],
  ['unsatisfied', 0.08],
];

/** What the plan starts from: who, about what, when. */
export interface ComplaintOrigin {
  readonly complaintId: string;
  readonly center: Center;
  readonly departmentId: string;
  readonly caseId?: string;
  readonly receivedAt: EpochMs;
}

/** `TS-<center code>-<yyyymmdd>-<seq>`: a complaint id by the case id rules. */
export function complaintIdOf(center: Center, day: EpochDay, seq: number): string {
  return `TS-${center.code}-${formatDate(day).replaceAll('-', '')}-${String(seq).padStart(3, '0')}`;
}

/** Another department of the same center than `departmentId` (a reassignment). */
function otherDepartment(rng: Rng, center: Center, departmentId: string): string {
  const others = departmentsOf(center).filter((d) => d.departmentId !== departmentId);
  return rng.pick(others).departmentId;
}

/**
 * Plan a complaint received at `origin.receivedAt`. The rng should be the
 * complaint's own, so plans are independent of each other.
 */
export function planComplaint(ctx: PlanContext, rng: Rng, origin: ComplaintOrigin): GeneratedComplaint {
  const cal = ctx.calendar;
  const { complaintId, center } = origin;
  const events: ComplaintEvent[] = [];
  const at: EpochMs[] = [];
  const lags: number[] = [];
  let prev = origin.receivedAt;
  const push = (body: Record<string, unknown>, t: EpochMs) => {
    events.push({
      ...body,
      complaintId,
      eventId: rng.uuid(),
      occurredAt: formatInstant(t, ctx.zone),
    } as unknown as ComplaintEvent);
    at.push(t);
    lags.push(rng.int(5, 600) * 1000);
    prev = t;
  };
  /** An office-hours instant on the n-th working day after `day`, strictly after the previous event. */
  const on = (day: EpochDay, n: number): EpochMs => {
    const d = n === 0 ? day : cal.nthWorkdayAfter(day, n);
    const t = cal.startOfDay(d) + officeMinute(rng) * MINUTE + rng.int(0, 59) * 1000;
    return t > prev ? t : prev + rng.int(5, 90) * MINUTE;
  };

  const channel = rng.weighted(CHANNELS);
  const received: Record<string, unknown> = {
    type: 'ComplaintReceived',
    channel,
    centerId: center.id,
    departmentId: origin.departmentId,
    subject: rng.pick(origin.caseId === undefined ? SUBJECTS : CASE_SUBJECTS),
    actor: RECEIVED_BY[channel],
  };
  if (origin.caseId !== undefined) received['caseId'] = origin.caseId;
  if ((channel === 'hotline' || channel === 'online') && rng.chance(0.2)) received['anonymous'] = true;
  push(received, origin.receivedAt);

  const receivedDay = cal.dayOf(origin.receivedAt);
  const decideDays = DEFAULT_POLICY.complaintDecideDays;
  const decision = rng.weighted(DECISION_FATES);
  const decideOn = decision === 'late' ? rng.int(decideDays + 1, decideDays + 3) : rng.weighted(DECIDE_DAY);
  if (decision === 'rejected') {
    push({ type: 'ComplaintRejected', reason: rng.pick(REJECT_REASONS), actor: '区效能办' }, on(receivedDay, decideOn));
    if (rng.chance(0.9)) push(closing(rng, 0.5), on(cal.dayOf(prev), rng.int(0, 3)));
    return { complaintId, centerId: center.id, events, at, recordLagMs: lags };
  }
  push({ type: 'ComplaintAccepted', actor: '区效能办' }, on(receivedDay, decideOn));
  const acceptedDay = cal.dayOf(prev);
  const fate = rng.weighted(ANSWER_FATES);
  const [lo, hi] = ANSWER_DAYS[fate];
  const answerOn = rng.int(lo, hi);
  if (rng.chance(0.25))
    push(
      { type: 'ComplaintAssigned', departmentId: otherDepartment(rng, center, origin.departmentId), actor: '区效能办' },
      on(acceptedDay, rng.int(0, 1)),
    );
  const finding = rng.weighted(FINDINGS);
  push(
    { type: 'ComplaintAnswered', finding, note: ANSWER_NOTES[finding], actor: '区效能办' },
    on(acceptedDay, answerOn),
  );
  if (rng.chance(0.95)) push(closing(rng, 0.9), on(cal.dayOf(prev), rng.int(1, 5)));
  return { complaintId, centerId: center.id, events, at, recordLagMs: lags };
}

function closing(rng: Rng, satisfactionShare: number): Record<string, unknown> {
  const body: Record<string, unknown> = { type: 'ComplaintClosed', actor: '区效能办' };
  if (rng.chance(satisfactionShare)) body['satisfaction'] = rng.weighted(SATISFACTION);
  return body;
}
