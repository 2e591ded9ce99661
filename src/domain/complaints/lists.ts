/**
 * The closed lists of complaints (效能投诉, SPEC §8), defined once: the codecs
 * (events.ts), the cards (timeline.ts) and the read side derive from these.
 * Kept beside the complaint domain rather than in ../lists.ts so the case lists
 * and these change for separate reasons.
 */

export const COMPLAINT_EVENT_TYPES = [
  'ComplaintReceived',
  'ComplaintAccepted',
  'ComplaintRejected',
  'ComplaintAssigned',
  'ComplaintAnswered',
  'ComplaintClosed',
] as const;
export type ComplaintEventType = (typeof COMPLAINT_EVENT_TYPES)[number];

/** How the complaint came in: 12345/963333 hotline, online, letter, in person. */
export const COMPLAINT_CHANNELS = ['hotline', 'online', 'letter', 'visit'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];

export const COMPLAINT_FINDINGS = ['substantiated', 'partly', 'unsubstantiated'] as const;
export type ComplaintFinding = (typeof COMPLAINT_FINDINGS)[number];

export const SATISFACTION_LEVELS = ['satisfied', 'basically', 'unsatisfied'] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

/**
 * Card rules of complaints in their fixed order (ties at one instant sort by it). The last is the
 * case rule `late-record` for complaint events (SPEC §8 is silent; docs/complaints.md says why).
 */
export const COMPLAINT_CARD_RULES = [
  'complaint-undecided',
  'complaint-answer-warning',
  'complaint-overdue',
  'complaint-late-record',
] as const;
export type ComplaintCardRule = (typeof COMPLAINT_CARD_RULES)[number];

/** Each complaint card rule's place in COMPLAINT_CARD_RULES (ties at one instant sort by it; counts index by it). */
export const COMPLAINT_RULE_INDEX = Object.fromEntries(COMPLAINT_CARD_RULES.map((rule, i) => [rule, i])) as Readonly<
  Record<ComplaintCardRule, number>
>;

export const COMPLAINT_RULE_COLOR: Readonly<Record<ComplaintCardRule, 'yellow' | 'red'>> = {
  'complaint-undecided': 'red',
  'complaint-answer-warning': 'yellow',
  'complaint-overdue': 'red',
  'complaint-late-record': 'yellow',
};

/** The rules that hold once a due instant has passed undone: a complaint with one in force is overdue. */
export const PAST_DUE_COMPLAINT_RULES: readonly ComplaintCardRule[] = ['complaint-undecided', 'complaint-overdue'];

/** Where a complaint stands: received (undecided), accepted, rejected, answered, closed. */
export const COMPLAINT_STATUSES = ['received', 'accepted', 'rejected', 'answered', 'closed'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
