/**
 * The timing policy in force (SPEC §3 "Default policy"): a versioned value.
 * `parsePolicy` merges a partial JSON override onto the default; the version is
 * the one given, else derived from the content.
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { describeErrors, type CaseKind, type EscalationLevel, type FieldError, type PauseReason } from './events.js';
import { fnv1aHex } from './calendar/hash.js';
import { formatDate } from './time.js';
import type { EpochDay, EpochMs } from './types.js';

export interface Policy {
  readonly version: string;
  /** deadline-warning starts at counted day ⌈ratio × promisedDays⌉. */
  readonly deadlineWarningRatio: number;
  /** pause-warning starts at the pause's ⌈ratio × allowance⌉-th day. */
  readonly pauseWarningRatio: number;
  readonly pauseAllowanceDays: Readonly<Record<PauseReason, number>>;
  readonly respondWithinDays: Readonly<Record<EscalationLevel, number>>;
  /** late-record: recordedAt − occurredAt strictly more than this. */
  readonly lateRecordHours: number;
  /** decide rejects occurredAt more than this after now. */
  readonly futureToleranceMinutes: number;
  /** The most working days a case's CaseExtended events may add in all, by case kind (行政许可法 §42: 10; joint 15). */
  readonly maxExtensionDays: Readonly<Record<CaseKind, number>>;
  /** SPEC §8: a complaint is accepted or rejected within this many working days after receipt. */
  readonly complaintDecideDays: number;
  /** SPEC §8: an accepted complaint is answered within this many working days. */
  readonly complaintAnswerDays: number;
  /** bad-rating-unresolved: a 差评 must be followed up by the end of this working day after its date (Sichuan: 15). */
  readonly badRatingFollowUpDays: number;
}

export type PolicyContent = Omit<Policy, 'version'>;

const DEFAULT_CONTENT: PolicyContent = {
  deadlineWarningRatio: 0.8,
  pauseWarningRatio: 0.8,
  pauseAllowanceDays: {
    hearing: 25,
    tender: 30,
    auction: 30,
    inspection: 30,
    testing: 30,
    quarantine: 30,
    appraisal: 30,
    'expert-review': 30,
    'site-survey': 10,
    'public-notice': 10,
    supplement: 15,
    other: 10,
  },
  respondWithinDays: { reminder: 3, supervision: 2, referral: 5 },
  lateRecordHours: 24,
  futureToleranceMinutes: 5,
  maxExtensionDays: { instant: 10, promised: 10, joint: 15, referred: 10 },
  complaintDecideDays: 3,
  complaintAnswerDays: 15,
  badRatingFollowUpDays: 15,
};

/** Canonical JSON (sorted keys) so the derived version does not depend on key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function policyVersionOf(content: PolicyContent): string {
  return `policy@${fnv1aHex(canonical(content))}`;
}

export const DEFAULT_POLICY: Policy = { version: policyVersionOf(DEFAULT_CONTENT), ...DEFAULT_CONTENT };

interface RatioBrand {
  readonly Ratio: unique symbol;
}
const Ratio = t.brand(t.number, (n): n is t.Branded<number, RatioBrand> => n > 0 && n <= 1, 'Ratio');
interface DaysBrand {
  readonly Days: unique symbol;
}
const Days = t.brand(
  t.number,
  (n): n is t.Branded<number, DaysBrand> => Number.isInteger(n) && n >= 0 && n <= 10_000,
  'Days',
);
interface NonNegativeBrand {
  readonly NonNegative: unique symbol;
}
const NonNegative = t.brand(
  t.number,
  (n): n is t.Branded<number, NonNegativeBrand> => Number.isFinite(n) && n >= 0,
  'NonNegative',
);
const Version = t.refinement(t.string, (s) => s.length >= 1 && s.length <= 100, 'Version');

const reasonKeys = Object.keys(DEFAULT_CONTENT.pauseAllowanceDays) as PauseReason[];
const levelKeys = Object.keys(DEFAULT_CONTENT.respondWithinDays) as EscalationLevel[];
const kindKeys = Object.keys(DEFAULT_CONTENT.maxExtensionDays) as CaseKind[];

const PolicyOverride = t.exact(
  t.partial({
    version: Version,
    deadlineWarningRatio: Ratio,
    pauseWarningRatio: Ratio,
    pauseAllowanceDays: t.exact(
      t.partial(Object.fromEntries(reasonKeys.map((k) => [k, Days])) as Record<PauseReason, typeof Days>),
    ),
    respondWithinDays: t.exact(
      t.partial(Object.fromEntries(levelKeys.map((k) => [k, Days])) as Record<EscalationLevel, typeof Days>),
    ),
    lateRecordHours: NonNegative,
    futureToleranceMinutes: NonNegative,
    maxExtensionDays: t.exact(
      t.partial(Object.fromEntries(kindKeys.map((k) => [k, Days])) as Record<CaseKind, typeof Days>),
    ),
    complaintDecideDays: Days,
    complaintAnswerDays: Days,
    badRatingFollowUpDays: Days,
  }),
);

const EXPECTED: Record<string, string> = {
  Ratio: 'a number in (0, 1]',
  Days: 'an integer number of working days ≥ 0',
  NonNegative: 'a number ≥ 0',
  Version: 'a string of 1–100 characters',
};

function unknownKeys(input: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const top = new Set([...Object.keys(DEFAULT_CONTENT), 'version']);
  for (const key of Object.keys(input))
    if (!top.has(key)) errors.push({ field: key, message: 'is not a policy setting' });
  const nested: [string, readonly string[]][] = [
    ['pauseAllowanceDays', reasonKeys],
    ['respondWithinDays', levelKeys],
    ['maxExtensionDays', kindKeys],
  ];
  for (const [key, allowed] of nested) {
    const v = input[key];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const k of Object.keys(v))
        if (!allowed.includes(k))
          errors.push({ field: `${key}.${k}`, message: `must be one of ${allowed.join(', ')}` });
    }
  }
  return errors;
}

/** Parse a policy JSON value: partial overrides merged onto `base` (default: DEFAULT_POLICY). */
export function parsePolicy(input: unknown, base: Policy = DEFAULT_POLICY): E.Either<readonly FieldError[], Policy> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return E.left([{ field: '(policy)', message: 'expected a JSON object' }]);
  }
  const decoded = PolicyOverride.decode(input);
  if (E.isLeft(decoded)) {
    return E.left(
      describeErrors(decoded.left).map((e) => ({
        field: e.field,
        message: Object.entries(EXPECTED).reduce(
          (m, [name, text]) => m.replace(`be ${name};`, `be ${text};`),
          e.message,
        ),
      })),
    );
  }
  const extra = unknownKeys(input as Record<string, unknown>);
  if (extra.length > 0) return E.left(extra);
  const o = decoded.right;
  const content: PolicyContent = {
    deadlineWarningRatio: o.deadlineWarningRatio ?? base.deadlineWarningRatio,
    pauseWarningRatio: o.pauseWarningRatio ?? base.pauseWarningRatio,
    pauseAllowanceDays: { ...base.pauseAllowanceDays, ...o.pauseAllowanceDays },
    respondWithinDays: { ...base.respondWithinDays, ...o.respondWithinDays },
    lateRecordHours: o.lateRecordHours ?? base.lateRecordHours,
    futureToleranceMinutes: o.futureToleranceMinutes ?? base.futureToleranceMinutes,
    maxExtensionDays: { ...base.maxExtensionDays, ...o.maxExtensionDays },
    complaintDecideDays: o.complaintDecideDays ?? base.complaintDecideDays,
    complaintAnswerDays: o.complaintAnswerDays ?? base.complaintAnswerDays,
    badRatingFollowUpDays: o.badRatingFollowUpDays ?? base.badRatingFollowUpDays,
  };
  return E.right({ version: o.version ?? policyVersionOf(content), ...content });
}

/** ⌈ratio × n⌉ without floating-point surprises (0.8 × 10 must be 8, not 9). */
export function ceilRatio(ratio: number, n: number): number {
  return Math.ceil(ratio * n - 1e-9);
}

/**
 * Policy versions (SPEC §3 "Policy versions"). Each version is published with
 * an `effectiveFrom` local date; a case keeps, for its whole life, the version
 * in force when it was accepted. The history is what the store recorded, in
 * publication order; these functions are the only place the rule lives.
 */
export interface PolicyPublication {
  readonly policy: Policy;
  /** The first local date of acceptance the version applies to. */
  readonly effectiveFrom: EpochDay;
  /** When the version was recorded (the event's `publishedAt`). */
  readonly publishedAt: EpochMs;
}

/** The versions recorded, in publication order (oldest first). */
export type PolicyHistory = readonly PolicyPublication[];

/** When a case was accepted: its local date and its instant. */
export interface Acceptance {
  readonly day: EpochDay;
  readonly at: EpochMs;
}

/**
 * The version a case accepted at `acceptance` is evaluated under: among the
 * versions published by `knownAt` (all when omitted), the one with the latest
 * published last among those whose `effectiveFrom` is on or before the
 * acceptance date and that were already published when the case was accepted
 * (a later publication supersedes an earlier one from its date on). A version
 * published after the acceptance never applies to it, even with an earlier
 * `effectiveFrom`, so a new publication cannot change an accepted case. When
 * none applies, the first version recorded (the one the store started with)
 * applies to everything before it — as known at any K too, even one before it
 * was recorded: the store ran under it then, and the live record applies it to
 * such a case. Only with no version at all, `fallback`.
 */
export function policyInForce(
  history: PolicyHistory,
  acceptance: Acceptance,
  fallback: Policy,
  knownAt?: EpochMs,
): Policy {
  let chosen: PolicyPublication | undefined;
  for (const p of history) {
    if (knownAt !== undefined && p.publishedAt > knownAt) continue;
    if (p.effectiveFrom > acceptance.day || p.publishedAt > acceptance.at) continue;
    chosen = p;
  }
  return (chosen ?? history[0])?.policy ?? fallback;
}

/** The history as known at `knownAt`: the versions published by then (for bitemporal reads). */
export function policiesKnownAt(history: PolicyHistory, knownAt: EpochMs): PolicyHistory {
  return history.filter((p) => p.publishedAt <= knownAt);
}

/** Same version label and same rules. */
export function samePolicy(a: Policy, b: Policy): boolean {
  return a.version === b.version && canonical(a) === canonical(b);
}

export type PolicyDecision =
  | { readonly kind: 'already-recorded' }
  | { readonly kind: 'record'; readonly publication: PolicyPublication }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Starting with `configured`: record it unless it is the version published
 * last (same version, same rules and, when the file gives one, the same
 * `effectiveFrom`). A new version takes effect on `effectiveFrom` (default: the
 * day after `today`); after the first, it must lie after `today`, so no case
 * already accepted changes. A version label reused for other rules is refused.
 */
export function decidePolicyPublication(
  history: PolicyHistory,
  configured: Policy,
  requestedFrom: EpochDay | undefined,
  now: EpochMs,
  today: EpochDay,
): PolicyDecision {
  const last = history[history.length - 1];
  if (
    last !== undefined &&
    samePolicy(last.policy, configured) &&
    (requestedFrom === undefined || requestedFrom === last.effectiveFrom)
  ) {
    return { kind: 'already-recorded' };
  }
  const clash = history.find((p) => p.policy.version === configured.version && !samePolicy(p.policy, configured));
  if (clash !== undefined) {
    return {
      kind: 'refused',
      reason: `version ${JSON.stringify(configured.version)} was already published with other rules; give the new rules a new version`,
    };
  }
  const effectiveFrom = requestedFrom ?? today + 1;
  if (history.length > 0 && effectiveFrom <= today) {
    return {
      kind: 'refused',
      reason: `effectiveFrom ${formatDate(effectiveFrom)} is not after today (${formatDate(today)}): a new policy applies only to cases accepted after it is recorded`,
    };
  }
  return { kind: 'record', publication: { policy: configured, effectiveFrom, publishedAt: now } };
}

/** The rules of a policy without its version label (what a `PolicyPublished` event stores). */
export function policyContent(policy: Policy): PolicyContent {
  const { version: _version, ...content } = policy;
  return content;
}
