/**
 * Response schemas of the OpenAPI document. Objects whose every field is known
 * are closed (`additionalProperties: false`), so test/api/openapi.int.test.ts,
 * which validates live responses against them, fails when a route answers a
 * field the document does not describe. Enums come from src/domain/lists.ts.
 */
import {
  CARD_COLORS,
  CARD_RULES,
  CASE_KINDS,
  CASE_STATUSES,
  CATEGORIES,
  CHANNELS,
  ESCALATION_LEVELS,
  REPLY_STATUSES,
  EVENT_TYPES,
  OUTCOMES,
  PAUSE_REASONS,
} from '../../domain/lists.js';
import { REJECTION_STATUS } from '../errors.js';
import { alertSchemas } from './alerts.js';
import { figureSchemas } from './figures.js';
import type { JsonSchema } from './fromCodec.js';
import { closed, date, instant, int, list, ref, str } from './schemaParts.js';

/** A batch row's statuses: stored (201, 200), invalid (400), or the status of the code it was refused with. */
const BATCH_ROW_STATUSES = [...new Set([200, 201, 400, ...Object.values(REJECTION_STATUS)])].sort((x, y) => x - y);

const Card = closed(['rule', 'color', 'startedAt', 'calendarVersion', 'policyVersion'], {
  rule: { enum: CARD_RULES },
  color: { enum: CARD_COLORS },
  startedAt: instant,
  clearedAt: instant,
  pauseId: str,
  escalation: { type: 'integer', minimum: 0, description: 'Index into escalations (escalation-unanswered)' },
  escalationId: { type: 'string', description: "The escalation's id (SPEC §2; escalation-unanswered)" },
  explain: {
    type: 'object',
    description:
      "Why, in numbers: the rule, the deadline or threshold crossed, counted dates, skipped holidays (SPEC §3); the timing core's explanation, as the card register's row (GET /cases/{caseId} and a history's current: the first 200 cards)",
  },
  details: { type: 'object', description: 'Why it was raised, e.g. retroactivePause, or the late event' },
  calendarVersion: str,
  policyVersion: str,
});

const Pause = closed(['pauseId', 'reason', 'pausedAt', 'allowanceDays', 'countedDays', 'open'], {
  pauseId: str,
  reason: { enum: PAUSE_REASONS },
  pausedAt: instant,
  resumedAt: instant,
  declaredDays: int,
  note: str,
  allowanceDays: int,
  countedDays: int,
  open: { type: 'boolean' },
  retroactive: {
    type: 'boolean',
    description: 'Begun before, and recorded at or after, the instant the case would have been due without it (补录)',
  },
});

const Escalation = closed(['escalationId', 'level', 'at', 'by', 'respondWithinDays', 'respondBy', 'reply'], {
  escalationId: str,
  level: { enum: ESCALATION_LEVELS },
  at: instant,
  by: str,
  respondWithinDays: int,
  respondBy: instant,
  reply: {
    enum: REPLY_STATUSES,
    description:
      'The reply (回告) at asOf: on-time or late once answered; not-due when the case was completed before respondBy (SPEC §3: a reply falls due only while the case is open); missing from respondBy on (escalation-unanswered); pending before it',
  },
  note: str,
  answeredAt: instant,
  answeredBy: str,
  answerNote: str,
  answeredOnTime: { type: 'boolean' },
});

const Extension = closed(['at', 'days', 'approvedBy', 'reason'], {
  at: instant,
  days: int,
  approvedBy: str,
  reason: str,
  voided: {
    const: true,
    description:
      'Present when it came at or after the due instant then in force: it adds no days (SPEC §2; only a later record such as a calendar correction can make a recorded extension so)',
  },
  retroactive: {
    const: true,
    description:
      'Present when it was recorded at or after the due instant it beat (by its occurredAt): a 延期 back-dated after the limit had passed (补录)',
  },
});

const evaluationFields = {
  caseId: str,
  asOf: instant,
  asKnownAt: { ...instant, description: 'Present when asked with ?asKnownAt=' },
  status: { enum: CASE_STATUSES },
  centerId: str,
  departmentId: str,
  matterCode: str,
  matterName: str,
  kind: { enum: CASE_KINDS },
  promisedDays: int,
  extendedDays: int,
  legalDays: int,
  channel: { enum: CHANNELS },
  category: { enum: CATEGORIES },
  acceptedAt: instant,
  acceptedDate: date,
  deadlineDate: date,
  dueAt: instant,
  usedDays: int,
  remainingDays: int,
  overdueDays: int,
  pauses: list(ref('Pause')),
  escalations: list(ref('Escalation')),
  extensions: list(ref('Extension')),
  completedAt: { type: ['string', 'null'], format: 'date-time' },
  outcome: { enum: [...OUTCOMES, null] },
  onTime: { type: ['boolean', 'null'] },
  early: { type: ['boolean', 'null'] },
  cards: list(ref('Card')),
  rating: {
    anyOf: [
      closed(['ratedAt', 'score', 'channel', 'bad'], {
        ratedAt: instant,
        score: int,
        channel: str,
        comment: str,
        bad: { type: 'boolean', description: '差评: a follow-up is due by followUpDueAt' },
        followUpDueAt: instant,
        followedUpAt: instant,
        followUpNote: str,
        followedUpBy: str,
        followedUpOnTime: { type: 'boolean' },
      }),
      { type: 'null' },
    ],
    description: 'The 好差评 rating by asOf (SPEC §8), null when none',
  },
  provisional: { type: 'boolean', description: 'The deadline uses a year the calendar only predicts' },
  calendarVersion: str,
  calendarRegion: {
    ...str,
    description: "The region whose regional days applied (the center's, by the directory in force); absent for none",
  },
  policyVersion: str,
  directoryVersion: {
    ...int,
    description:
      'The directory publication whose regions timed the case (and, on a complaint, whose names it shows): GET /directory?asKnownAt= with the same instant reads it back; 0 before any publication',
  },
  revision: int,
  withdrawnCards: {
    ...list(ref('WithdrawnCard')),
    description:
      'Cards the record held and a later write withdrew, and yellow cards whose shown clearing a later write changed (clearingChanged), each with reinstatedAt if put back since (as known at asKnownAt when given); absent when none',
  },
};
const optionalEvaluationFields = new Set([
  'withdrawnCards',
  'asKnownAt',
  'matterName',
  'legalDays',
  'category',
  'rating',
  'calendarRegion',
  'directoryVersion',
]);
const CaseEvaluation = closed(
  Object.keys(evaluationFields).filter((k) => !optionalEvaluationFields.has(k)),
  evaluationFields,
  { description: 'SPEC §4 GET /cases/{caseId}: the case evaluated at asOf' },
);

const StateSummary = closed(
  [
    'status',
    'deadlineDate',
    'dueAt',
    'usedDays',
    'remainingDays',
    'overdueDays',
    'provisional',
    'onTime',
    'early',
    'pauses',
    'openPauses',
    'escalations',
  ],
  {
    status: { enum: CASE_STATUSES },
    deadlineDate: date,
    dueAt: instant,
    usedDays: int,
    remainingDays: int,
    overdueDays: int,
    provisional: { type: 'boolean' },
    onTime: { type: ['boolean', 'null'] },
    early: { type: ['boolean', 'null'] },
    pauses: int,
    openPauses: int,
    escalations: int,
  },
);

const HistoryEntry = {
  oneOf: [
    closed(['kind', 'at', 'revision', 'position', 'recordedAt', 'type', 'event', 'state'], {
      kind: { const: 'event' },
      at: { ...instant, description: "The event's occurredAt in the deployment zone, as card rows' at" },
      revision: int,
      position: { type: 'string', description: 'Global position (decimal string)' },
      recordedAt: instant,
      type: { enum: EVENT_TYPES },
      actor: str,
      lateRecord: {
        const: true,
        description:
          "Recorded more than the policy's lateRecordHours after it occurred: the event a late-record card is of (absent: not late)",
      },
      event: ref('CaseEvent'),
      state: ref('StateSummary'),
    }),
    closed(['kind', 'at', 'card'], { kind: { enum: ['card-raised', 'card-cleared'] }, at: instant, card: ref('Card') }),
    closed(
      ['kind', 'at', 'card'],
      {
        kind: { const: 'card-withdrawn' },
        at: { ...instant, description: "When it was withdrawn (the write's recordedAt), at or before asOf" },
        card: ref('WithdrawnCard'),
      },
      {
        description:
          "A card (or a yellow card's clearing, clearingChanged) a later write withdrew: the row of current.withdrawnCards (GET /cards/withdrawn)",
      },
    ),
  ],
};

const CaseHistory = closed(['caseId', 'asOf', 'calendarVersion', 'policyVersion', 'limit', 'entries', 'next'], {
  caseId: str,
  asOf: instant,
  asKnownAt: instant,
  calendarVersion: str,
  policyVersion: str,
  directoryVersion: {
    ...int,
    description:
      'The directory publication whose regions timed the case (and, on a complaint, whose names it shows): GET /directory?asKnownAt= with the same instant reads it back; 0 before any publication',
  },
  limit: int,
  entries: list(ref('HistoryEntry')),
  next: { type: ['integer', 'null'], description: 'The revision to pass as after; null on the last page' },
  current: {
    ...ref('CaseEvaluation'),
    description:
      'On the first page only, cards explained, with withdrawnCards as GET /cases/{caseId} has them (as known at asKnownAt when given)',
  },
});

const errorBody = closed(['code', 'message'], { code: str, message: str, details: {} });

export const responseSchemas: Record<string, JsonSchema> = {
  ...figureSchemas,
  Error: closed(
    ['error'],
    { error: errorBody },
    {
      examples: [
        {
          error: {
            code: 'invalid-event',
            message: 'promisedDays: must be a whole number of days 0–365',
            details: [{ field: 'promisedDays', message: 'must be a whole number of days 0–365' }],
          },
        },
      ],
    },
  ),
  AppendResult: closed(['caseId', 'revision', 'position', 'eventId'], {
    caseId: str,
    revision: { type: 'integer', minimum: 0 },
    position: { type: 'string', description: 'Global commit position (decimal string)' },
    eventId: { type: 'string', format: 'uuid' },
  }),
  BatchResults: closed(['results'], {
    results: list(
      closed(['eventId', 'caseId', 'status'], {
        eventId: { type: ['string', 'null'], description: 'null only on a 400 row sent without a usable eventId' },
        caseId: { type: ['string', 'null'], description: 'null only on a 400 row sent without a usable caseId' },
        status: {
          enum: BATCH_ROW_STATUSES,
          description: '201 appended, 200 duplicate eventId, 400 invalid row; else the status of its error code',
        },
        revision: int,
        position: { type: 'string', description: "The event's own global position (decimal string)" },
        error: errorBody,
      }),
    ),
  }),
  Card,
  Pause,
  Escalation,
  Extension,
  CaseEvaluation,
  StateSummary,
  HistoryEntry,
  CaseHistory,
  ...alertSchemas,
  Health: closed(['status'], {
    status: { const: 'ok' },
    starting: { const: true, description: 'Present while the engine catches up with the store at start' },
  }),
  Ready: closed(['status', 'store', 'projection'], {
    status: { enum: ['ready', 'not-ready'] },
    store: { enum: ['up', 'down', 'failing', 'corrupt'] },
    reason: str,
    projection: closed(['caughtUp', 'lagEvents', 'checkpoint', 'headPosition', 'following', 'behindSeconds'], {
      caughtUp: { type: 'boolean' },
      lagEvents: int,
      checkpoint: str,
      headPosition: str,
      following: { type: 'boolean' },
      behindSeconds: int,
    }),
  }),
};
