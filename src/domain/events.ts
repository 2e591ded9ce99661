/**
 * The case events of SPEC §2, as io-ts codecs. The JSON body is the same on
 * the wire and in the store. Decoding failures name the offending field
 * (see `describeErrors`).
 *
 * About 330 lines on purpose: one exact codec per event type, kept together so
 * that `codecByType` is checked by the compiler to hold exactly the types of
 * EVENT_TYPES (lists.ts).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  CASE_ID_DESCRIPTION,
  CASE_ID_RE,
  CASE_KINDS,
  CATEGORIES,
  type CaseEventType,
  CHANNELS,
  ESCALATION_LEVELS,
  EVENT_TYPES,
  keysOf,
  OUTCOMES,
  PAUSE_REASONS,
  RATING_CHANNELS,
  RATING_SCORES,
} from './lists.js';
import {
  fieldsOf,
  incomingEventErrors,
  isBoundedInstant,
  MAX_DAYS,
  refusedValue,
  unknownFieldErrors,
} from './inputBounds.js';

export { EVENT_TYPES, type CaseEventType } from './lists.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CaseIdBrand {
  readonly CaseId: unique symbol;
}
export const CaseId = t.brand(t.string, (s): s is t.Branded<string, CaseIdBrand> => CASE_ID_RE.test(s), 'CaseId');
export type CaseId = t.TypeOf<typeof CaseId>;

interface UuidBrand {
  readonly Uuid: unique symbol;
}
export const Uuid = t.brand(t.string, (s): s is t.Branded<string, UuidBrand> => UUID_RE.test(s), 'Uuid');

interface InstantBrand {
  readonly Instant: unique symbol;
}
/** An ISO-8601 instant string that carries an offset (±14:00 at most) and denotes a real time in 2000–2100. */
export const Instant = t.brand(
  t.string,
  // The domain's own parser decides, so whatever decodes, decide and evolve can read (Date.parse rolls 02-30 over to March).
  (s): s is t.Branded<string, InstantBrand> => isBoundedInstant(s),
  'Instant',
);
export type Instant = t.TypeOf<typeof Instant>;

interface DaysBrand {
  readonly Days: unique symbol;
}
/** A count of days of SPEC §2 (promised, legal, declared, respond-within): a whole number, 0–365. */
export const Days = t.brand(
  t.number,
  (n): n is t.Branded<number, DaysBrand> => Number.isSafeInteger(n) && n >= 0 && n <= MAX_DAYS,
  'Days',
);

const boundedString = (max: number, name: string) => {
  interface B {
    readonly Bounded: unique symbol;
  }
  return t.brand(t.string, (s): s is t.Branded<string, B> => s.length >= 1 && s.length <= max, name as 'Bounded');
};
/** A name (actor, approver, …) and a free text (note, reason); the complaint codecs use them too. */
export const Name = boundedString(200, 'String1to200');
export const Note = boundedString(2000, 'String1to2000');

export const CaseKind = t.keyof(keysOf(CASE_KINDS));
export type CaseKind = t.TypeOf<typeof CaseKind>;
export const Channel = t.keyof(keysOf(CHANNELS));
export const Category = t.keyof(keysOf(CATEGORIES));
export const PauseReason = t.keyof(keysOf(PAUSE_REASONS));
export type PauseReason = t.TypeOf<typeof PauseReason>;
export const EscalationLevel = t.keyof(keysOf(ESCALATION_LEVELS));
export type EscalationLevel = t.TypeOf<typeof EscalationLevel>;
export const Outcome = t.keyof(keysOf(OUTCOMES));
export const RatingChannel = t.keyof(keysOf(RATING_CHANNELS));
export type RatingChannel = t.TypeOf<typeof RatingChannel>;

interface RatingScoreBrand {
  readonly RatingScore: unique symbol;
}
/** SPEC §2: a 好差评 score, an integer 1–5 (5 非常满意 … 1 非常不满意). */
export const RatingScore = t.brand(
  t.number,
  (n): n is t.Branded<number, RatingScoreBrand> => (RATING_SCORES as readonly number[]).includes(n),
  'RatingScore',
);

const common = {
  caseId: CaseId,
  occurredAt: Instant,
};
const commonOptional = {
  eventId: Uuid,
  actor: Name,
};

export const CaseAccepted = t.exact(
  t.intersection([
    t.type({
      type: t.literal('CaseAccepted'),
      ...common,
      centerId: Name,
      departmentId: Name,
      matterCode: Name,
      kind: CaseKind,
      promisedDays: Days,
      channel: Channel,
    }),
    t.partial({ ...commonOptional, matterName: Name, legalDays: Days, category: Category }),
  ]),
  'CaseAccepted',
);

export const CasePaused = t.exact(
  t.intersection([
    t.type({ type: t.literal('CasePaused'), ...common, pauseId: Name, reason: PauseReason }),
    t.partial({ ...commonOptional, declaredDays: Days, note: Note }),
  ]),
  'CasePaused',
);

export const CaseResumed = t.exact(
  t.intersection([
    t.type({ type: t.literal('CaseResumed'), ...common, pauseId: Name }),
    t.partial({ ...commonOptional }),
  ]),
  'CaseResumed',
);

interface EscalationIdBrand {
  readonly EscalationId: unique symbol;
}
/** An escalation's id within its case: the same characters as a case id; `e<n>` when not given. */
export const EscalationId = t.brand(
  t.string,
  (s): s is t.Branded<string, EscalationIdBrand> => CASE_ID_RE.test(s),
  'EscalationId',
);

interface ExtensionDaysBrand {
  readonly ExtensionDays: unique symbol;
}
/** SPEC §2: the working days one CaseExtended adds, 1–30. */
export const ExtensionDays = t.brand(
  t.number,
  (n): n is t.Branded<number, ExtensionDaysBrand> => Number.isInteger(n) && n >= 1 && n <= 30,
  'ExtensionDays',
);

export const CaseEscalated = t.exact(
  t.intersection([
    t.type({ type: t.literal('CaseEscalated'), ...common, level: EscalationLevel, by: Name }),
    t.partial({ ...commonOptional, respondWithinDays: Days, note: Note, escalationId: EscalationId }),
  ]),
  'CaseEscalated',
);

/** 回告: the unit's written reply to an escalation; it ends that escalation's clock. */
export const CaseEscalationAnswered = t.exact(
  t.intersection([
    t.type({ type: t.literal('CaseEscalationAnswered'), ...common, escalationId: EscalationId }),
    t.partial({ ...commonOptional, by: Name, note: Note }),
  ]),
  'CaseEscalationAnswered',
);

/** 延期 (行政许可法 §42): more working days, approved by the agency head, with the reason. */
export const CaseExtended = t.exact(
  t.intersection([
    t.type({ type: t.literal('CaseExtended'), ...common, days: ExtensionDays, approvedBy: Name, reason: Note }),
    t.partial({ ...commonOptional }),
  ]),
  'CaseExtended',
);

export const CaseCompleted = t.exact(
  t.intersection([
    t.type({ type: t.literal('CaseCompleted'), ...common, outcome: Outcome }),
    t.partial({ ...commonOptional }),
  ]),
  'CaseCompleted',
);

/** 好差评: the applicant's rating of a completed case; at most one per case. */
export const CaseRated = t.exact(
  t.intersection([
    t.type({ type: t.literal('CaseRated'), ...common, score: RatingScore, channel: RatingChannel }),
    t.partial({ ...commonOptional, comment: Note }),
  ]),
  'CaseRated',
);

/** 差评整改回访: the follow-up of a 差评 (score ≤ 2), which ends its clock. */
export const RatingFollowedUp = t.exact(
  t.intersection([
    t.type({ type: t.literal('RatingFollowedUp'), ...common, note: Note }),
    t.partial({ ...commonOptional, by: Name }),
  ]),
  'RatingFollowedUp',
);

export type CaseAccepted = t.TypeOf<typeof CaseAccepted>;
export type CasePaused = t.TypeOf<typeof CasePaused>;
export type CaseResumed = t.TypeOf<typeof CaseResumed>;
export type CaseEscalated = t.TypeOf<typeof CaseEscalated>;
export type CaseEscalationAnswered = t.TypeOf<typeof CaseEscalationAnswered>;
export type CaseExtended = t.TypeOf<typeof CaseExtended>;
export type CaseCompleted = t.TypeOf<typeof CaseCompleted>;
export type CaseRated = t.TypeOf<typeof CaseRated>;
export type RatingFollowedUp = t.TypeOf<typeof RatingFollowedUp>;
export type CaseEvent =
  | CaseAccepted
  | CasePaused
  | CaseResumed
  | CaseEscalated
  | CaseEscalationAnswered
  | CaseExtended
  | CaseCompleted
  | CaseRated
  | RatingFollowedUp;

/** One codec per type of the list: adding a type to EVENT_TYPES without its codec does not compile. */
const codecByType = {
  CaseAccepted,
  CasePaused,
  CaseResumed,
  CaseEscalated,
  CaseEscalationAnswered,
  CaseExtended,
  CaseCompleted,
  CaseRated,
  RatingFollowedUp,
} as const satisfies Record<CaseEventType, t.Mixed>;

/** Each type's field names, read from its codec (unknown fields are refused with their names). */
const fieldsByType = Object.fromEntries(
  Object.entries(codecByType).map(([type, codec]) => [type, fieldsOf(codec)]),
) as Record<CaseEventType, ReadonlySet<string>>;

/** A field-level validation problem, e.g. `{ field: "promisedDays", message: "..." }`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type DecodeResult =
  | { readonly ok: true; readonly event: CaseEvent }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Decode an unknown JSON value into a case event. Unknown fields are refused,
 * as are missing or malformed ones, each reported by name. Cross-field rules of SPEC §2
 * (instant ⇒ promisedDays 0, legalDays ≥ promisedDays) are checked here too.
 */
export function decodeCaseEvent(input: unknown): DecodeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(body)', message: 'expected a JSON object' }] };
  }
  const type = (input as Record<string, unknown>)['type'];
  if (typeof type !== 'string' || !Object.hasOwn(codecByType, type)) {
    return {
      ok: false,
      errors: [{ field: 'type', message: `must be one of ${EVENT_TYPES.join(', ')}` }],
    };
  }
  const codec = codecByType[type as CaseEventType] as t.Type<CaseEvent, unknown, unknown>;
  const known = fieldsByType[type as CaseEventType];
  const unknownFields = unknownFieldErrors(input as Record<string, unknown>, known, type);
  // The codec sees the known fields only: the same answer (t.exact drops the rest), without walking
  // every key of a body stuffed with 30,000 unknown ones (issue 13).
  const result = codec.decode(
    unknownFields.length === 0 ? input : knownFieldsOf(input as Record<string, unknown>, known),
  );
  if (isLeft(result)) return { ok: false, errors: [...unknownFields, ...describeErrors(result.left)] };
  if (unknownFields.length > 0) return { ok: false, errors: unknownFields };
  const event = result.right;
  const crossErrors = [...crossFieldErrors(event), ...incomingEventErrors(event)];
  if (crossErrors.length > 0) return { ok: false, errors: crossErrors };
  return { ok: true, event };
}

function knownFieldsOf(input: Readonly<Record<string, unknown>>, known: ReadonlySet<string>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of known) if (Object.hasOwn(input, key)) picked[key] = input[key];
  return picked;
}

function crossFieldErrors(event: CaseEvent): FieldError[] {
  if (event.type !== 'CaseAccepted') return [];
  const errors: FieldError[] = [];
  if (event.kind === 'instant' && event.promisedDays !== 0) {
    errors.push({ field: 'promisedDays', message: 'must be 0 for kind "instant"' });
  }
  if (event.legalDays !== undefined && event.legalDays < event.promisedDays) {
    errors.push({ field: 'legalDays', message: 'must be ≥ promisedDays' });
  }
  return errors;
}

const EXPECTATIONS: Record<string, string> = {
  CaseId: `a string of ${CASE_ID_DESCRIPTION}`,
  Uuid: 'a UUID',
  Instant: 'an ISO-8601 instant with offset (at most ±14:00) in the years 2000–2100, e.g. 2025-09-22T10:15:00+08:00',
  Days: `a whole number of days, 0–${MAX_DAYS}`,
  EscalationId: `a string of ${CASE_ID_DESCRIPTION}`,
  ExtensionDays: 'an integer from 1 to 30 (working days)',
  RatingScore: 'an integer from 1 to 5 (5 非常满意 … 1 非常不满意)',
  String1to200: 'a string of 1–200 characters',
  String1to2000: 'a string of 1–2000 characters',
};

/**
 * Turn io-ts errors into one message per field, naming the field path: an array's entry by its
 * index (`holidays[2]`; session 25: it was reported on `holidays`), not the members of an
 * intersection or union (their numeric keys are dropped). `explain` gives the message for a type
 * from the value refused (a date's own problem, say), where "must be <type>" says too little. The
 * value refused is quoted only as `refusedValue` allows: never a personal field's (session 26).
 */
export function describeErrors(
  errors: t.Errors,
  explain: Readonly<Record<string, (value: unknown) => string>> = {},
): FieldError[] {
  const seen = new Map<string, string>();
  for (const error of errors) {
    const field = fieldPath(error.context) || '(body)';
    if (seen.has(field)) continue;
    const last = error.context[error.context.length - 1];
    const typeName = last?.type.name ?? 'value';
    const explained = explain[typeName];
    if (explained !== undefined) {
      seen.set(field, explained(error.value));
      continue;
    }
    const expected = EXPECTATIONS[typeName] ?? (typeName.includes(' | ') ? `one of ${typeName}` : typeName);
    const got = error.value === undefined ? 'it is missing' : `got ${refusedValue(field, error.value)}`;
    seen.set(field, `must be ${expected}; ${got}`);
  }
  return [...seen].map(([field, message]) => ({ field, message }));
}

/** `a.b[2]`: the keys of a context, an array's index in brackets, an intersection's or union's member left out. */
function fieldPath(context: t.Context): string {
  let path = '';
  context.forEach((entry, i) => {
    if (entry.key === '') return;
    if (!/^\d+$/.test(entry.key)) path += path === '' ? entry.key : `.${entry.key}`;
    else if (isArrayType(context[i - 1]?.type)) path += `[${entry.key}]`;
  });
  return path;
}

const isArrayType = (type: t.Decoder<unknown, unknown> | undefined): boolean =>
  type instanceof t.ArrayType || type instanceof t.ReadonlyArrayType;
