/**
 * The live part of the demo: a pure, seeded generator of what service windows
 * record "now" — new acceptances, completions, pauses and resumes, escalations of
 * old cases and the departments' answers (回告), a few extensions (延期) — plus the backlog of recent history that makes the board non-empty
 * on first start. It keeps just enough bookkeeping (open pauses, completed
 * cases) to emit only events that SPEC §2 allows; the HTTP side is feed.ts.
 *
 * Over ~300 lines on purpose: one generator whose bookkeeping and the events it
 * emits must change together (a new event kind touches both); it is test code's
 * and the demo's, never the engine's.
 */
import type { CaseEscalated, CaseEvent, CaseKind, PauseReason } from '../domain/events.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import type { Calendar, EpochDay, EpochMs } from '../domain/types.js';
import { formatInstant } from '../domain/time.js';
import { CENTERS, departmentIdOf, departmentsOf, matterMix, type Center, type MatterMix } from './catalog.js';
import { planCase, pickMatter, officeMinute, type GeneratedCase } from './case-plan.js';
import type { ComplaintEvent } from '../domain/complaints/events.js';
import { complaintsOfDay } from './complaint-history.js';
import type { GeneratedComplaint } from './complaint-plan.js';
import { caseIdOf, casesOfDay, cutAt, type DayCasesInput, dayWeight } from './history.js';
import { LiveComplaints } from './live-complaints.js';
import { LiveRatings } from './rating-plan.js';
import { mixSeed, Rng } from './prng.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface LiveOptions {
  readonly seed: number;
  readonly calendar: Calendar;
  readonly zone: string;
  readonly centers?: readonly Center[];
  /** Multiplies the event rate and shortens follow-ups (10 for the soak test). Default 1. */
  readonly speed?: number;
  /** Mean events a minute per center at speed 1. Default 3. */
  readonly eventsPerMinutePerCenter?: number;
}

interface OpenCase {
  readonly caseId: string;
  readonly center: number;
  readonly acceptedAt: EpochMs;
  readonly instant: boolean;
  readonly kind: CaseKind;
  readonly promisedDays: number;
  readonly departmentId: string;
  lastAt: EpochMs;
  pauseSeq: number;
  readonly openPauses: string[];
  escalations: number;
  /** Ids of the escalations not answered yet (the default `e<n>`: the demo never sends its own). */
  readonly unanswered: string[];
  extendedDays: number;
}

interface FollowUp {
  readonly at: EpochMs;
  readonly caseId: string;
}

type Action = 'accept' | 'complete' | 'pause' | 'resume' | 'escalate' | 'answer' | 'extend' | 'late-accept';

const ACTIONS: readonly (readonly [Action, number])[] = [
  ['accept', 0.35],
  ['complete', 0.31],
  ['pause', 0.065],
  ['resume', 0.125],
  ['escalate', 0.065],
  ['answer', 0.05],
  ['extend', 0.005],
  ['late-accept', 0.03],
];

const LIVE_PAUSES: readonly (readonly [PauseReason, number])[] = [
  ['supplement', 0.55],
  ['site-survey', 0.12],
  ['testing', 0.08],
  ['expert-review', 0.08],
  ['public-notice', 0.08],
  ['inspection', 0.03],
  ['appraisal', 0.02],
  ['quarantine', 0.02],
  ['hearing', 0.01],
  ['other', 0.01],
];

/**
 * How the backlog treats what would be recorded late: `migration` posts every
 * case of the window (events older than 24 h raise late-record cards, as when a
 * center's existing work is back-filled); `recent` keeps only cases whose open
 * part is within 24 h — older cases only if already completed (their late-record
 * cards are on record but never active alerts).
 */
export type BacklogMode = 'migration' | 'recent';

const DAY_MS = 24 * HOUR;

/** True when posting the case now raises no active late-record alert. */
function recordedInTime(c: GeneratedCase, now: EpochMs): boolean {
  const completed = c.events[c.events.length - 1]?.type === 'CaseCompleted';
  return completed || now - (c.at[0] as number) < DAY_MS - 5 * MINUTE;
}

export class LiveGenerator {
  private readonly rng: Rng;
  private readonly centers: readonly Center[];
  private readonly mixes: readonly MatterMix[];
  private readonly speed: number;
  private readonly meanGapMs: number;
  private readonly open = new Map<string, OpenCase>();
  private readonly byCenter: string[][];
  /** Per center, the open cases with an unanswered escalation (pruned lazily as they are answered or completed). */
  private readonly awaitingAnswer: string[][];
  private readonly nextSeq = new Map<string, number>();
  private followUps: FollowUp[] = [];
  private readonly ratings: LiveRatings;
  private readonly complaints: LiveComplaints;
  /** Department names, for the 回告's `by` and the extension's `approvedBy`. */
  private readonly departmentNames: ReadonlyMap<string, string>;

  constructor(private readonly options: LiveOptions) {
    this.rng = new Rng(options.seed, 0x11fe);
    this.centers = options.centers ?? CENTERS;
    this.mixes = this.centers.map((c) => matterMix(c.tier));
    this.byCenter = this.centers.map(() => []);
    this.awaitingAnswer = this.centers.map(() => []);
    this.departmentNames = new Map(
      this.centers.flatMap((c) => departmentsOf(c).map((d) => [d.departmentId, d.name] as const)),
    );
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new RangeError(`speed must be > 0, got ${this.speed}`);
    this.ratings = new LiveRatings(this.speed);
    this.complaints = new LiveComplaints({ seed: options.seed, calendar: options.calendar, zone: options.zone });
    const perMinute = (options.eventsPerMinutePerCenter ?? 3) * this.centers.length * this.speed;
    this.meanGapMs = MINUTE / perMinute;
  }

  /** Open (not completed) cases the generator knows of. */
  openCount(): number {
    return this.open.size;
  }

  /** Milliseconds until the next step (exponential: a Poisson stream of events). */
  nextDelayMs(): number {
    return Math.max(1, Math.round(this.rng.exponential(this.meanGapMs)));
  }

  /**
   * The recent history: cases accepted on the last `workingDays` working days up to
   * `now` (including today so far), each cut at `now`, in acceptance order. Open
   * cases are taken over by the live stream.
   */
  backlog(
    now: EpochMs,
    workingDays: number,
    casesPerDistrictDay = 60,
    mode: BacklogMode = 'migration',
  ): GeneratedCase[] {
    const out = this.backlogCases(now, workingDays, casesPerDistrictDay).filter(
      (c) => mode === 'migration' || recordedInTime(c, now),
    );
    this.observe(out);
    return out;
  }

  /**
   * The same recent history as `backlog`, without taking it over: the caller
   * records it (or the part recorded by `now`, see seed.ts) and passes exactly
   * that to `observe`.
   */
  backlogCases(now: EpochMs, workingDays: number, casesPerDistrictDay = 60): GeneratedCase[] {
    const out: GeneratedCase[] = [];
    for (const input of this.backlogInputs(now, workingDays, casesPerDistrictDay)) {
      for (const c of casesOfDay(input)) {
        const kept = cutAt(c, now);
        if (kept !== undefined) out.push(kept);
      }
      this.centers.forEach((center, i) => {
        this.bumpSeq(center, input.day, (input.counts[i] ?? 0) + 1);
      });
    }
    return out;
  }

  /**
   * The complaints received by `now` over the last `workingDays` working days,
   * in receipt order, planned whole (events after `now` included: the caller
   * records what was recorded by `now` and passes it to `observeComplaints`).
   * A complaint lives longer than most cases (15 working days to answer, then
   * the closing), so the complaint backlog may reach further back than the
   * cases' (`caseDays`); a complaint received before the cases' window names no
   * case (its case is not recorded).
   */
  backlogComplaints(
    now: EpochMs,
    workingDays: number,
    casesPerDistrictDay = 60,
    caseDays = workingDays,
  ): GeneratedComplaint[] {
    const out: GeneratedComplaint[] = [];
    const inputs = this.backlogInputs(now, workingDays, casesPerDistrictDay);
    inputs.forEach((input, k) => {
      const planned = complaintsOfDay(input, k >= inputs.length - caseDays);
      out.push(...planned.filter((c) => (c.at[0] as number) <= now));
      this.centers.forEach((center) => {
        const n = planned.filter((c) => c.centerId === center.id).length;
        this.complaints.reserve(center, input.day, n + 1);
      });
    });
    return out;
  }

  /** Carries on the recorded complaints: each one's events after the first `recorded(id)` are sent when due. */
  observeComplaints(plans: Iterable<GeneratedComplaint>, recorded: (complaintId: string) => number): void {
    for (const p of plans) this.complaints.takeOver(p, recorded(p.complaintId));
  }

  /** The complaint events due at `now` (with occurredAt = now). */
  complaintsDue(now: EpochMs): ComplaintEvent[] {
    return this.complaints.due(now);
  }

  /** Forget a complaint (the server refused one of its events). */
  dropComplaint(complaintId: string): void {
    this.complaints.drop(complaintId);
  }

  /** Complaints with planned events still to send. */
  openComplaintCount(): number {
    return this.complaints.openCount();
  }

  /** The last `workingDays` working days up to `now` (today included), with each center's case count. */
  private backlogInputs(now: EpochMs, workingDays: number, casesPerDistrictDay: number): DayCasesInput[] {
    const { calendar, zone, seed } = this.options;
    const today = calendar.dayOf(now);
    const days: EpochDay[] = [];
    for (let d = today; days.length < workingDays && d > today - 3 * workingDays - 20; d--) {
      if (calendar.isWorkday(d) || d === today) days.unshift(d);
    }
    return days.map((day) => ({
      seed: mixSeed(seed, 0xb0c),
      calendar,
      zone,
      day,
      centers: this.centers,
      counts: this.centers.map((c) => Math.round(casesPerDistrictDay * c.volume * dayWeight(calendar, day, c))),
      mixes: this.mixes,
    }));
  }

  /** Takes over the open ones of these (recorded) cases: the live stream completes, pauses, resumes and escalates them. */
  observe(cases: Iterable<GeneratedCase>): void {
    for (const c of cases) this.observeCase(c);
  }

  /** The events due at `now`: follow-ups that fell due, then one random action. */
  step(now: EpochMs): CaseEvent[] {
    const out: CaseEvent[] = [];
    const due = this.followUps.filter((f) => f.at <= now);
    this.followUps = this.followUps.filter((f) => f.at > now);
    for (const f of due) {
      const c = this.open.get(f.caseId);
      if (c === undefined) continue;
      for (const pauseId of [...c.openPauses]) out.push(this.resume(c, pauseId, now));
      out.push(this.complete(c, now));
    }
    out.push(...this.ratings.due(now, this.rng, this.options.zone));
    const center = this.rng.weighted(this.centers.map((c, i) => [i, 0.5 + c.volume] as const));
    const action = this.rng.weighted(ACTIONS);
    const event = this.act(action, center, now) ?? this.accept(center, now);
    out.push(event);
    return out;
  }

  /** Forget a case (e.g. the server refused one of its events). */
  drop(caseId: string): void {
    const c = this.open.get(caseId);
    if (c === undefined) return;
    this.open.delete(caseId);
    const list = this.byCenter[c.center];
    if (list !== undefined) {
      const k = list.indexOf(caseId);
      if (k >= 0) list.splice(k, 1);
    }
  }

  private act(action: Action, center: number, now: EpochMs): CaseEvent | undefined {
    switch (action) {
      case 'accept':
        return this.accept(center, now);
      case 'late-accept':
        return this.lateAccept(center, now);
      case 'complete': {
        const c = this.oldest(center, (x) => x.openPauses.length === 0);
        return c === undefined ? undefined : this.complete(c, now);
      }
      case 'pause': {
        const c = this.any(center, (x) => !x.instant && x.openPauses.length === 0);
        return c === undefined ? undefined : this.pause(c, now);
      }
      case 'resume': {
        const c = this.oldest(center, (x) => x.openPauses.length > 0);
        const pauseId = c?.openPauses[0];
        return c === undefined || pauseId === undefined ? undefined : this.resume(c, pauseId, now);
      }
      case 'escalate': {
        const c = this.oldest(center, (x) => x.escalations < 2);
        return c === undefined ? undefined : this.escalate(c, now);
      }
      case 'answer': {
        const c = this.awaiting(center);
        return c === undefined ? undefined : this.answer(c, now);
      }
      case 'extend': {
        const c = this.any(center, (x) => this.extendable(x, now));
        return c === undefined ? undefined : this.extend(c, now);
      }
    }
  }

  private accept(center: number, now: EpochMs, at: EpochMs = now): CaseEvent {
    const { calendar, zone } = this.options;
    const c = this.centers[center] as Center;
    const day = calendar.dayOf(at);
    const seq = this.takeSeq(c, day);
    const rng = new Rng(this.options.seed, 0x1ce, center, day, seq);
    const matter = pickMatter(rng, this.mixes[center] as MatterMix);
    const planned = planCase({ calendar, zone }, rng, caseIdOf(c, day, seq), c, matter, at);
    const event = planned.events[0] as CaseEvent;
    if (event.type !== 'CaseAccepted') throw new Error('a planned case starts with CaseAccepted');
    const state = this.track(planned.caseId, center, at, event);
    this.complaints.caseAccepted(center, c, departmentIdOf(c, matter.departmentKind), planned.caseId, at);
    if (state.instant) {
      this.followUps.push({
        at: now + Math.round((this.rng.int(2, 15) * MINUTE) / this.speed),
        caseId: planned.caseId,
      });
    }
    return event;
  }

  /** A paper case recorded 1–2 days after it was accepted (补录): raises a late-record card. */
  private lateAccept(center: number, now: EpochMs): CaseEvent {
    const { calendar } = this.options;
    let day = calendar.dayOf(now - 26 * HOUR);
    while (!calendar.isWorkday(day)) day--;
    const at = Math.min(calendar.startOfDay(day) + officeMinute(this.rng) * MINUTE, now - 25 * HOUR);
    return this.accept(center, now, at);
  }

  private complete(c: OpenCase, now: EpochMs): CaseEvent {
    const at = this.at(c, now);
    this.drop(c.caseId);
    const outcome = this.rng.weighted([
      ['approved', 0.94],
      ['rejected', 0.03],
      ['withdrawn', 0.03],
    ] as const);
    this.ratings.completed(c.caseId, at, this.rng);
    return this.event({ type: 'CaseCompleted', caseId: c.caseId, outcome, actor: this.window() }, at);
  }

  private pause(c: OpenCase, now: EpochMs): CaseEvent {
    const at = this.at(c, now);
    const reason = this.rng.weighted(LIVE_PAUSES);
    const pauseId = `p${++c.pauseSeq}`;
    c.openPauses.push(pauseId);
    const body: Record<string, unknown> = { type: 'CasePaused', caseId: c.caseId, pauseId, reason };
    if (reason !== 'supplement' && this.rng.chance(0.6)) body['declaredDays'] = this.rng.int(3, 20);
    return this.event(body, at);
  }

  private resume(c: OpenCase, pauseId: string, now: EpochMs): CaseEvent {
    const at = this.at(c, now);
    c.openPauses.splice(c.openPauses.indexOf(pauseId), 1);
    return this.event({ type: 'CaseResumed', caseId: c.caseId, pauseId }, at);
  }

  private escalate(c: OpenCase, now: EpochMs): CaseEvent {
    const at = this.at(c, now);
    const level: CaseEscalated['level'] = c.escalations === 0 ? 'reminder' : 'supervision';
    c.escalations++;
    c.unanswered.push(`e${c.escalations}`);
    this.awaitingAnswer[c.center]?.push(c.caseId);
    const by = level === 'reminder' ? '电子监察系统' : '区效能办';
    return this.event(
      { type: 'CaseEscalated', caseId: c.caseId, level, by, respondWithinDays: level === 'reminder' ? 3 : 2 },
      at,
    );
  }

  /** 回告: the department answers the case's oldest unanswered escalation (in time or late, as it comes). */
  private answer(c: OpenCase, now: EpochMs): CaseEvent {
    const at = this.at(c, now);
    const escalationId = c.unanswered.shift() as string;
    return this.event(
      {
        type: 'CaseEscalationAnswered',
        caseId: c.caseId,
        escalationId,
        by: this.departmentName(c),
        note: '已加快办理',
      },
      at,
    );
  }

  /**
   * A case may be extended once, with no pause open, while today is at most its
   * (promisedDays − 1)-th working day: pauses only move the deadline later, so it
   * is before the deadline, as decide requires (extension-rules.ts).
   */
  private extendable(c: OpenCase, now: EpochMs): boolean {
    if (c.instant || c.extendedDays > 0 || c.promisedDays < 2 || c.openPauses.length > 0) return false;
    const { calendar } = this.options;
    const last = calendar.nthWorkdayAfter(calendar.dayOf(c.acceptedAt), c.promisedDays - 1);
    return calendar.dayOf(Math.max(now, c.lastAt)) <= last;
  }

  private extend(c: OpenCase, now: EpochMs): CaseEvent {
    const at = this.at(c, now);
    const days = Math.min(DEFAULT_POLICY.maxExtensionDays[c.kind], this.rng.chance(0.7) ? 10 : 5);
    c.extendedDays += days;
    return this.event(
      {
        type: 'CaseExtended',
        caseId: c.caseId,
        days,
        approvedBy: `${this.departmentName(c)}负责人`,
        reason: '情况复杂，经本机关负责人批准延长办理期限',
      },
      at,
    );
  }

  /** A random open case of the center with an unanswered escalation. */
  private awaiting(center: number): OpenCase | undefined {
    const list = this.awaitingAnswer[center] ?? [];
    while (list.length > 0) {
      const k = this.rng.int(0, list.length - 1);
      const c = this.open.get(list[k] as string);
      if (c !== undefined && c.unanswered.length > 0) return c;
      list[k] = list[list.length - 1] as string;
      list.pop();
    }
    return undefined;
  }

  private departmentName(c: OpenCase): string {
    return this.departmentNames.get(c.departmentId) ?? c.departmentId;
  }

  private event(body: Record<string, unknown>, at: EpochMs): CaseEvent {
    return {
      ...body,
      eventId: this.rng.uuid(),
      occurredAt: formatInstant(at, this.options.zone),
    } as unknown as CaseEvent;
  }

  private window(): string {
    return `窗口${String(this.rng.int(1, 24)).padStart(2, '0')}`;
  }

  /** occurredAt never before the case's last event. */
  private at(c: OpenCase, now: EpochMs): EpochMs {
    const at = Math.max(now, c.lastAt);
    c.lastAt = at;
    return at;
  }

  private any(center: number, ok: (c: OpenCase) => boolean): OpenCase | undefined {
    const list = this.byCenter[center] ?? [];
    for (let tries = 0; tries < 8 && list.length > 0; tries++) {
      const c = this.open.get(this.rng.pick(list));
      if (c !== undefined && ok(c)) return c;
    }
    return undefined;
  }

  /** The oldest of a few random candidates: windows work roughly first-in, first-out. */
  private oldest(center: number, ok: (c: OpenCase) => boolean): OpenCase | undefined {
    let best: OpenCase | undefined;
    for (let k = 0; k < 3; k++) {
      const c = this.any(center, ok);
      if (c !== undefined && (best === undefined || c.acceptedAt < best.acceptedAt)) best = c;
    }
    return best;
  }

  private track(
    caseId: string,
    center: number,
    acceptedAt: EpochMs,
    accepted: CaseEvent & { type: 'CaseAccepted' },
  ): OpenCase {
    const c: OpenCase = {
      caseId,
      center,
      acceptedAt,
      instant: accepted.kind === 'instant',
      kind: accepted.kind,
      promisedDays: accepted.promisedDays,
      departmentId: accepted.departmentId,
      lastAt: acceptedAt,
      pauseSeq: 0,
      openPauses: [],
      escalations: 0,
      unanswered: [],
      extendedDays: 0,
    };
    this.open.set(caseId, c);
    this.byCenter[center]?.push(caseId);
    return c;
  }

  private observeCase(gc: GeneratedCase): void {
    const center = this.centers.findIndex((c) => c.id === gc.centerId);
    const first = gc.events[0];
    if (center < 0 || first?.type !== 'CaseAccepted') return;
    if (gc.events.some((e) => e.type === 'CaseCompleted')) return;
    const c = this.track(gc.caseId, center, gc.at[0] as number, first);
    for (const e of gc.events) {
      if (e.type === 'CasePaused') {
        c.openPauses.push(e.pauseId);
        c.pauseSeq++;
      }
      if (e.type === 'CaseResumed') c.openPauses.splice(c.openPauses.indexOf(e.pauseId), 1);
      if (e.type === 'CaseEscalated') c.unanswered.push(e.escalationId ?? `e${c.escalations + 1}`);
      if (e.type === 'CaseEscalated') c.escalations++;
      if (e.type === 'CaseEscalationAnswered') {
        const k = c.unanswered.indexOf(e.escalationId);
        if (k >= 0) c.unanswered.splice(k, 1);
      }
      if (e.type === 'CaseExtended') c.extendedDays += e.days;
    }
    if (c.unanswered.length > 0) this.awaitingAnswer[center]?.push(c.caseId);
    c.lastAt = gc.at[gc.at.length - 1] as number;
  }

  private takeSeq(center: Center, day: EpochDay): number {
    const key = `${center.id}|${day}`;
    const seq = this.nextSeq.get(key) ?? 1;
    this.nextSeq.set(key, seq + 1);
    return seq;
  }

  private bumpSeq(center: Center, day: EpochDay, next: number): void {
    const key = `${center.id}|${day}`;
    this.nextSeq.set(key, Math.max(next, this.nextSeq.get(key) ?? 1));
  }
}
