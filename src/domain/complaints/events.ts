/**
 * The complaint events of SPEC §8 as exact io-ts codecs (the same body on the
 * wire and in the store). Ids, instants and eventIds use the case codecs, so a
 * complaint id follows the case id rules and every instant the same bounds.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { keysOf } from '../lists.js';
import { CaseId, describeErrors, Instant, Name, Note, Uuid, type FieldError } from '../events.js';
import { fieldsOf, incomingEventErrors, unknownFieldErrors } from '../inputBounds.js';
import {
  COMPLAINT_CHANNELS,
  COMPLAINT_EVENT_TYPES,
  COMPLAINT_FINDINGS,
  SATISFACTION_LEVELS,
  type ComplaintEventType,
} from './lists.js';

const common = { complaintId: CaseId, occurredAt: Instant };
const commonOptional = { eventId: Uuid, actor: Name };

export const ComplaintChannelCodec = t.keyof(keysOf(COMPLAINT_CHANNELS));
export const ComplaintFindingCodec = t.keyof(keysOf(COMPLAINT_FINDINGS));
export const SatisfactionCodec = t.keyof(keysOf(SATISFACTION_LEVELS));

export const ComplaintReceived = t.exact(
  t.intersection([
    t.type({
      type: t.literal('ComplaintReceived'),
      ...common,
      channel: ComplaintChannelCodec,
      centerId: Name,
      subject: Note,
    }),
    t.partial({ ...commonOptional, departmentId: Name, caseId: CaseId, anonymous: t.boolean }),
  ]),
  'ComplaintReceived',
);

export const ComplaintAccepted = t.exact(
  t.intersection([t.type({ type: t.literal('ComplaintAccepted'), ...common }), t.partial({ ...commonOptional })]),
  'ComplaintAccepted',
);

export const ComplaintRejected = t.exact(
  t.intersection([
    t.type({ type: t.literal('ComplaintRejected'), ...common, reason: Note }),
    t.partial({ ...commonOptional }),
  ]),
  'ComplaintRejected',
);

export const ComplaintAssigned = t.exact(
  t.intersection([
    t.type({ type: t.literal('ComplaintAssigned'), ...common, departmentId: Name }),
    t.partial({ ...commonOptional }),
  ]),
  'ComplaintAssigned',
);

export const ComplaintAnswered = t.exact(
  t.intersection([
    t.type({ type: t.literal('ComplaintAnswered'), ...common, finding: ComplaintFindingCodec }),
    t.partial({ ...commonOptional, note: Note }),
  ]),
  'ComplaintAnswered',
);

export const ComplaintClosed = t.exact(
  t.intersection([
    t.type({ type: t.literal('ComplaintClosed'), ...common }),
    t.partial({ ...commonOptional, satisfaction: SatisfactionCodec }),
  ]),
  'ComplaintClosed',
);

export type ComplaintReceived = t.TypeOf<typeof ComplaintReceived>;
export type ComplaintAccepted = t.TypeOf<typeof ComplaintAccepted>;
export type ComplaintRejected = t.TypeOf<typeof ComplaintRejected>;
export type ComplaintAssigned = t.TypeOf<typeof ComplaintAssigned>;
export type ComplaintAnswered = t.TypeOf<typeof ComplaintAnswered>;
export type ComplaintClosed = t.TypeOf<typeof ComplaintClosed>;
export type ComplaintEvent =
  | ComplaintReceived
  | ComplaintAccepted
  | ComplaintRejected
  | ComplaintAssigned
  | ComplaintAnswered
  | ComplaintClosed;

/** One codec per type of the list: adding a type without its codec does not compile. */
export const complaintCodecByType = {
  ComplaintReceived,
  ComplaintAccepted,
  ComplaintRejected,
  ComplaintAssigned,
  ComplaintAnswered,
  ComplaintClosed,
} as const satisfies Record<ComplaintEventType, t.Mixed>;

const fieldsByType = Object.fromEntries(
  Object.entries(complaintCodecByType).map(([type, codec]) => [type, fieldsOf(codec)]),
) as Record<ComplaintEventType, ReadonlySet<string>>;

export type ComplaintDecodeResult =
  | { readonly ok: true; readonly event: ComplaintEvent }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Decode an unknown JSON value into a complaint event; unknown, missing or malformed fields are named. */
export function decodeComplaintEvent(input: unknown): ComplaintDecodeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, errors: [{ field: '(body)', message: 'expected a JSON object' }] };
  const type = (input as Record<string, unknown>)['type'];
  if (typeof type !== 'string' || !Object.hasOwn(complaintCodecByType, type))
    return { ok: false, errors: [{ field: 'type', message: `must be one of ${COMPLAINT_EVENT_TYPES.join(', ')}` }] };
  const codec = complaintCodecByType[type as ComplaintEventType] as t.Type<ComplaintEvent, unknown, unknown>;
  const unknownFields = unknownFieldErrors(
    input as Record<string, unknown>,
    fieldsByType[type as ComplaintEventType],
    type,
  );
  const result = codec.decode(input);
  if (isLeft(result)) return { ok: false, errors: [...unknownFields, ...describeErrors(result.left)] };
  if (unknownFields.length > 0) return { ok: false, errors: unknownFields };
  return { ok: true, event: result.right };
}

/**
 * An incoming complaint event (the write route): the codec, which stored events replay under too, and
 * what an incoming event must also be (inputBounds.ts incomingEventErrors), as decodeCaseEvent does.
 */
export function decodeIncomingComplaintEvent(input: unknown): ComplaintDecodeResult {
  const decoded = decodeComplaintEvent(input);
  if (!decoded.ok) return decoded;
  const errors = incomingEventErrors(decoded.event);
  return errors.length > 0 ? { ok: false, errors } : decoded;
}
