/**
 * Every closed list of the domain, defined once (SPEC §2, §3). The io-ts
 * codecs (events.ts), the types (types.ts), the projections, the OpenAPI
 * document and the alert filters derive from these; the web's labels.js cannot
 * import TypeScript, so src/web/labels.test.ts proves it has a label for
 * exactly each value here. Order matters where noted.
 */

/** Card rules in their fixed order (ties between cards starting at one instant sort by it; the projections index by it). */
export const CARD_RULES = [
  'deadline-warning',
  'overdue',
  'pause-warning',
  'overlong-pause',
  'escalation-unanswered',
  'bad-rating-unresolved',
  'late-record',
] as const;
export type CardRule = (typeof CARD_RULES)[number];

export const CARD_COLORS = ['yellow', 'red'] as const;
export type CardColor = (typeof CARD_COLORS)[number];

/** What a card (or an alert) is about: a case (SPEC §3) or a complaint (SPEC §8). */
export const CARD_SUBJECTS = ['case', 'complaint'] as const;
export type CardSubject = (typeof CARD_SUBJECTS)[number];

/** A card's colour follows from its rule (SPEC §3 table). */
export const RULE_COLOR: Readonly<Record<CardRule, CardColor>> = {
  'deadline-warning': 'yellow',
  overdue: 'red',
  'pause-warning': 'yellow',
  'overlong-pause': 'red',
  'escalation-unanswered': 'red',
  'bad-rating-unresolved': 'red',
  'late-record': 'yellow',
};

export const EVENT_TYPES = [
  'CaseAccepted',
  'CasePaused',
  'CaseResumed',
  'CaseEscalated',
  'CaseEscalationAnswered',
  'CaseExtended',
  'CaseCompleted',
  'CaseRated',
  'RatingFollowedUp',
] as const;
export type CaseEventType = (typeof EVENT_TYPES)[number];

export const CASE_KINDS = ['instant', 'promised', 'joint', 'referred'] as const;
export const CHANNELS = ['window', 'online'] as const;
export const CATEGORIES = ['licensing', 'public-service'] as const;

export const PAUSE_REASONS = [
  'supplement',
  'hearing',
  'tender',
  'auction',
  'inspection',
  'testing',
  'quarantine',
  'appraisal',
  'expert-review',
  'site-survey',
  'public-notice',
  'other',
] as const;

export const ESCALATION_LEVELS = ['reminder', 'supervision', 'referral'] as const;

/** 好差评 (国办发〔2019〕51号): where the applicant rated the service. */
export const RATING_CHANNELS = ['window', 'online', 'sms', 'kiosk'] as const;
/** A rating's score, 5 非常满意 … 1 非常不满意; at most this is a 差评, which opens a follow-up. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const;
export const BAD_RATING_MAX_SCORE = 2;
/** Scores that count as satisfied (SPEC §8 satisfactionRate: ratings of 4–5). */
export const SATISFIED_MIN_SCORE = 4;
/** A score's class as the figures count it: 差评 (≤ BAD_RATING_MAX_SCORE), satisfied (≥ SATISFIED_MIN_SCORE), else neutral. */
export const RATING_CLASSES = ['bad', 'neutral', 'satisfied'] as const;
export type RatingClass = (typeof RATING_CLASSES)[number];
export const ratingClassOf = (score: number): RatingClass =>
  score <= BAD_RATING_MAX_SCORE ? 'bad' : score >= SATISFIED_MIN_SCORE ? 'satisfied' : 'neutral';

export const OUTCOMES = ['approved', 'rejected', 'withdrawn'] as const;
export type CaseOutcome = (typeof OUTCOMES)[number];

export const CASE_STATUSES = ['open', 'paused', 'completed'] as const;

/** Where an escalation's reply stands at an instant (escalationReply.ts). */
export const REPLY_STATUSES = ['on-time', 'late', 'missing', 'pending', 'not-due'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * A case id: 1–64 characters of [A-Za-z0-9._-]. Written so that it compiles
 * the same with and without the `v` flag (HTML `pattern` attributes use `v`,
 * where a bare `-` in a class is a syntax error), so the pages and OpenAPI use
 * this very source.
 */
export const CASE_ID_PATTERN = '[A-Za-z0-9._\\-]{1,64}';
export const CASE_ID_RE = new RegExp(`^${CASE_ID_PATTERN}$`);
export const CASE_ID_DESCRIPTION = '1–64 characters of [A-Za-z0-9._-]';

/** `{ a: null, b: null }` for io-ts `t.keyof`, in list order. */
export function keysOf<T extends string>(list: readonly T[]): { [K in T]: null } {
  return Object.fromEntries(list.map((v) => [v, null])) as { [K in T]: null };
}
