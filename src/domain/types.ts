/**
 * Shared shapes of the timing core. Other layers (projections, API, web) depend
 * on these names; change them only together with their users.
 *
 * Conventions:
 * - An instant inside the domain is epoch milliseconds (`number`); on the wire it
 *   is an ISO-8601 string with offset, rendered in the deployment zone
 *   (e.g. `2024-02-23T00:00:00.000+08:00`).
 * - A local date inside the domain is an epoch day (`number`, days since
 *   1970-01-01 of the local calendar date in ZONE); on the wire `YYYY-MM-DD`.
 */
import type { CaseAccepted, EscalationLevel, PauseReason, RatingChannel } from './events.js';
import type { CardColor, CardRule, CaseOutcome, CaseStatus, ReplyStatus } from './lists.js';

export type { CardColor, CardRule, CaseStatus } from './lists.js';

export type EpochMs = number;
export type EpochDay = number;

/** A working-day calendar. All ranges are `(a, b]`: after a, up to and including b. */
export interface Calendar {
  readonly version: string;
  readonly zone: string;
  isWorkday(day: EpochDay): boolean;
  /** Working days in (a, b]; 0 when b ≤ a. */
  countWorkdays(a: EpochDay, b: EpochDay): number;
  /** The n-th working day after a (n ≥ 1); a itself for n = 0. */
  nthWorkdayAfter(a: EpochDay, n: number): EpochDay;
  /** True for a date past the last published year (Mon–Fri fallback). */
  isProvisional(day: EpochDay): boolean;
  /** Local date of an instant in the calendar's zone. */
  dayOf(instant: EpochMs): EpochDay;
  /** The instant 00:00 local of a date. */
  startOfDay(day: EpochDay): EpochMs;
}

export interface PauseState {
  readonly pauseId: string;
  readonly reason: PauseReason;
  readonly pausedAt: EpochMs;
  readonly resumedAt?: EpochMs;
  readonly declaredDays?: number;
  readonly note?: string;
  /** When the store recorded the CasePaused event (for retroactive-pause detection). */
  readonly recordedAt?: EpochMs;
}

export interface EscalationState {
  /** Unique within the case; `e<n>` (n = 1-based ordinal) when the event gave none. */
  readonly escalationId: string;
  readonly level: EscalationLevel;
  readonly at: EpochMs;
  readonly by: string;
  readonly respondWithinDays?: number;
  readonly note?: string;
  /** The reply (回告), which ends this escalation's clock. */
  readonly answer?: EscalationAnswer;
}

export interface EscalationAnswer {
  readonly at: EpochMs;
  readonly by?: string;
  readonly note?: string;
}

/** A CaseExtended (延期): `days` more working days from the instant it occurred. */
export interface ExtensionState {
  readonly at: EpochMs;
  readonly days: number;
  readonly approvedBy: string;
  readonly reason: string;
  /** When the store recorded the CaseExtended event (for retroactive-extension detection). */
  readonly recordedAt?: EpochMs;
}

/** The case's 好差评 rating (at most one), and the follow-up of a 差评. */
export interface RatingState {
  readonly at: EpochMs;
  readonly score: number;
  readonly channel: RatingChannel;
  readonly comment?: string;
  readonly followUp?: RatingFollowUp;
}

export interface RatingFollowUp {
  readonly at: EpochMs;
  readonly note: string;
  readonly by?: string;
}

/** A late-recorded event: recordedAt − occurredAt > 24 h. */
export interface LateRecord {
  readonly eventType: string;
  readonly revision: number;
  readonly occurredAt: EpochMs;
  readonly recordedAt: EpochMs;
}

/** The folded state of one case. `revision` is the stream revision of its last event (-1: none). */
export interface CaseState {
  readonly caseId: string;
  readonly revision: number;
  /** undefined until CaseAccepted. */
  readonly accepted?: Omit<CaseAccepted, 'type' | 'caseId' | 'occurredAt' | 'eventId' | 'actor'>;
  readonly acceptedAt?: EpochMs;
  readonly status?: CaseStatus;
  readonly pauses: readonly PauseState[];
  readonly escalations: readonly EscalationState[];
  /** In the order they occurred. */
  readonly extensions: readonly ExtensionState[];
  readonly completedAt?: EpochMs;
  readonly outcome?: CaseOutcome;
  readonly lastOccurredAt?: EpochMs;
  readonly lateRecords: readonly LateRecord[];
  /** The 好差评 rating, given after completion (undefined: not rated). */
  readonly rating?: RatingState;
}

/** Metadata the store adds to an event; evolve uses it for late-record and retroactive pauses. */
export interface EventMeta {
  readonly revision: number;
  readonly recordedAt?: EpochMs;
  /** The event's occurredAt already parsed (a decoder that parsed it once); evolve parses it when absent. */
  readonly occurredAt?: EpochMs;
}

export interface Card {
  readonly rule: CardRule;
  readonly color: CardColor;
  readonly startedAt: string;
  readonly clearedAt?: string;
  readonly pauseId?: string;
  /** Index into `escalations` for escalation-unanswered. */
  readonly escalation?: number;
  /** The escalation's own id (SPEC §2 `escalationId`), beside its index. */
  readonly escalationId?: string;
  /** Why, in numbers (see Explain in the timing core). */
  readonly explain?: unknown;
  readonly details?: Record<string, unknown>;
  readonly calendarVersion: string;
  readonly policyVersion: string;
}

export interface PauseView {
  readonly pauseId: string;
  readonly reason: PauseReason;
  readonly pausedAt: string;
  readonly resumedAt?: string;
  readonly declaredDays?: number;
  readonly note?: string;
  readonly allowanceDays: number;
  readonly countedDays: number;
  readonly open: boolean;
  readonly retroactive?: boolean;
}

export interface EscalationView {
  readonly escalationId: string;
  readonly level: EscalationLevel;
  readonly at: string;
  readonly by: string;
  readonly respondWithinDays: number;
  readonly respondBy: string;
  /** Where the reply stands at asOf (escalationReply.ts): the page shows it, it does not work it out. */
  readonly reply: ReplyStatus;
  readonly note?: string;
  /** The reply, when there is one by asOf; `answeredOnTime`: before respondBy. */
  readonly answeredAt?: string;
  readonly answeredBy?: string;
  readonly answerNote?: string;
  readonly answeredOnTime?: boolean;
}

/** The rating on the case page: a 差评's follow-up is due by `followUpDueAt` and on time when before it. */
export interface RatingView {
  readonly ratedAt: string;
  readonly score: number;
  readonly channel: RatingChannel;
  readonly comment?: string;
  readonly bad: boolean;
  readonly followUpDueAt?: string;
  readonly followedUpAt?: string;
  readonly followUpNote?: string;
  readonly followedUpBy?: string;
  readonly followedUpOnTime?: boolean;
}

export interface ExtensionView {
  readonly at: string;
  readonly days: number;
  readonly approvedBy: string;
  readonly reason: string;
  /**
   * True when it came at or after the due instant then in force, so it adds no days (SPEC §2:
   * an extension after the limit expired does not cure it). Only a later record that moved the
   * deadline earlier, such as a calendar correction, can make a recorded extension so.
   */
  readonly voided?: true;
  /**
   * True when it was recorded at or after the due instant it beat (in force just before it, by
   * its occurredAt): a 延期 filed after the limit had passed and back-dated (补录), the pattern
   * that hides an overdue case, as a retroactive pause is.
   */
  readonly retroactive?: true;
}

/** Everything SPEC §3 and `GET /cases/{id}` need, evaluated at one instant. */
export interface CaseEvaluation {
  readonly caseId: string;
  readonly asOf: string;
  readonly status: CaseStatus;
  readonly centerId: string;
  readonly departmentId: string;
  readonly matterCode: string;
  readonly matterName?: string;
  readonly kind: CaseAccepted['kind'];
  readonly promisedDays: number;
  /** Working days added by the extensions that occurred by asOf (SPEC §3: the deadline counts promised + extended). */
  readonly extendedDays: number;
  readonly legalDays?: number;
  readonly channel: CaseAccepted['channel'];
  readonly category?: CaseAccepted['category'];
  readonly acceptedAt: string;
  readonly acceptedDate: string;
  readonly deadlineDate: string;
  readonly dueAt: string;
  readonly usedDays: number;
  readonly remainingDays: number;
  readonly overdueDays: number;
  readonly pauses: readonly PauseView[];
  readonly escalations: readonly EscalationView[];
  readonly extensions: readonly ExtensionView[];
  readonly completedAt: string | null;
  readonly outcome: CaseState['outcome'] | null;
  readonly onTime: boolean | null;
  readonly early: boolean | null;
  /** The 好差评 rating by asOf, null when none. */
  readonly rating: RatingView | null;
  readonly cards: readonly Card[];
  readonly provisional: boolean;
  readonly calendarVersion: string;
  /**
   * The region whose regional days the case's calendar applied (its center's, by the directory in
   * force), absent for none: the calendar version covers every region, so it alone cannot tell.
   */
  readonly calendarRegion?: string;
  readonly policyVersion: string;
  readonly revision: number;
}
