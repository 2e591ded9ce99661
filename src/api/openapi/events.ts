/**
 * The case events of SPEC §2 in the OpenAPI document: one schema per event type,
 * read from its codec (fromCodec.ts), and `CaseEvent` as their union on `type`.
 * Cross-field rules (an instant case has promisedDays 0, legalDays ≥ promisedDays)
 * are checked by the decoder and stated here in words.
 */
import type * as t from 'io-ts';
import * as codecs from '../../domain/events.js';
import { type CaseEventType, EVENT_TYPES } from '../../domain/lists.js';
import { type JsonSchema, schemaOf } from './fromCodec.js';

/** Each event type's codec, exported by src/domain/events.ts under the type's name. */
const codecOf = (type: CaseEventType): t.Mixed | undefined =>
  (codecs as unknown as Record<string, t.Mixed | undefined>)[type];

const DESCRIPTIONS: Partial<Record<CaseEventType, string>> = {
  CaseAccepted:
    '受理: opens the case. kind `instant` requires promisedDays 0; legalDays, when given, is at least promisedDays',
  CasePaused: '停止计时: stops the clock for one of the pause reasons; declaredDays is the allowance told in writing',
  CaseResumed: '恢复计时: ends the open pause of that pauseId',
  CaseEscalated: '催办 / 督办 / 上报: the unit must reply (回告) within respondWithinDays working days',
  CaseEscalationAnswered: '回告: the written reply to the escalation escalationId',
  CaseExtended: '延期 (行政许可法 §42): days more working days, approved by approvedBy, with the reason',
  CaseCompleted: '办结: closes the case with its outcome',
  CaseRated:
    '好差评: the applicant rates a completed case, once (409 already-rated; 409 transition-not-allowed before CaseCompleted). A score ≤ 2 is a 差评 and opens a follow-up due by the end of the badRatingFollowUpDays-th working day (default 15)',
  RatingFollowedUp:
    "差评整改回访: the follow-up of the case's 差评; 409 transition-not-allowed when no follow-up is open",
};

const EXAMPLES: Partial<Record<CaseEventType, Record<string, unknown>>> = {
  CaseAccepted: {
    type: 'CaseAccepted',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-09-22T10:15:00+08:00',
    eventId: '0b6f3c1e-7f1a-4c55-9a51-3c1d2f0e9a01',
    centerId: 'district-wuhua',
    departmentId: 'market-regulation',
    matterCode: 'SP-001',
    matterName: '食品经营许可',
    kind: 'promised',
    promisedDays: 10,
    legalDays: 20,
    channel: 'window',
    category: 'licensing',
    actor: '窗口07',
  },
  CasePaused: {
    type: 'CasePaused',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-09-24T09:00:00+08:00',
    pauseId: 'p1',
    reason: 'supplement',
    declaredDays: 5,
    note: '补正营业执照',
  },
  CaseResumed: {
    type: 'CaseResumed',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-09-26T15:00:00+08:00',
    pauseId: 'p1',
  },
  CaseEscalated: {
    type: 'CaseEscalated',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-10-09T09:30:00+08:00',
    level: 'supervision',
    by: '区效能办',
    respondWithinDays: 2,
    escalationId: 'e1',
  },
  CaseEscalationAnswered: {
    type: 'CaseEscalationAnswered',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-10-10T11:00:00+08:00',
    escalationId: 'e1',
    by: '区市场监管局',
    note: '已安排现场核查',
  },
  CaseExtended: {
    type: 'CaseExtended',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-10-11T10:00:00+08:00',
    days: 10,
    approvedBy: '局长 张明',
    reason: '需现场核查',
  },
  CaseCompleted: {
    type: 'CaseCompleted',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-10-15T16:40:00+08:00',
    outcome: 'approved',
  },
  CaseRated: {
    type: 'CaseRated',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-10-16T09:00:00+08:00',
    score: 2,
    channel: 'sms',
    comment: '等候时间过长',
  },
  RatingFollowedUp: {
    type: 'RatingFollowedUp',
    caseId: 'WH-2025-000123',
    occurredAt: '2025-10-20T10:00:00+08:00',
    note: '已电话回访，说明原因并致歉',
    by: '区市场监管局',
  },
};

const eventSchema = (type: CaseEventType): JsonSchema => {
  const codec = codecOf(type);
  const example = EXAMPLES[type];
  return {
    ...(codec === undefined ? { type: 'object' } : schemaOf(codec)),
    description: DESCRIPTIONS[type] ?? type,
    ...(example === undefined ? {} : { examples: [example] }),
  };
};

/** The body of `POST /cases/{caseId}/events`: the same event, caseId optional (taken from the path, or equal to it). */
const bodySchema = (type: CaseEventType): JsonSchema => {
  const s = eventSchema(type);
  const { caseId: _caseId, ...example } = EXAMPLES[type] ?? {};
  return {
    ...s,
    ...(Array.isArray(s['required']) ? { required: (s['required'] as string[]).filter((f) => f !== 'caseId') } : {}),
    ...(EXAMPLES[type] === undefined ? {} : { examples: [example] }),
  };
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const union = (suffix: string, description: string): JsonSchema => ({
  description,
  oneOf: EVENT_TYPES.map((type) => ref(`${type}${suffix}`)),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(EVENT_TYPES.map((type) => [type, `#/components/schemas/${type}${suffix}`])),
  },
});

export const eventSchemas: Record<string, JsonSchema> = {
  ...Object.fromEntries(EVENT_TYPES.map((type) => [type, eventSchema(type)])),
  ...Object.fromEntries(EVENT_TYPES.map((type) => [`${type}Body`, bodySchema(type)])),
  CaseEvent: union('', `One of ${EVENT_TYPES.join(', ')} (SPEC §2); unknown fields are refused`),
  CaseEventBody: union('Body', 'A CaseEvent; caseId may be omitted (taken from the path) or must equal it'),
};

/** Event types of the list whose codec, description or example is missing here (the OpenAPI test expects none). */
export const undocumentedEventTypes = EVENT_TYPES.filter(
  (type) => codecOf(type) === undefined || DESCRIPTIONS[type] === undefined || EXAMPLES[type] === undefined,
);
