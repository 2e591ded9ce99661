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
  EVENT_TYPES,
  OUTCOMES,
  PAUSE_REASONS,
} from '../../domain/lists.js';
import { COMPLAINT_CARD_RULES } from '../../domain/complaints/lists.js';
import { ALERT_RULES } from '../../projections/alertBoard.js';
import { ALERT_SORTS } from '../alertPage.js';
import { figureSchemas } from './figures.js';
import type { JsonSchema } from './fromCodec.js';
import { closed, date, instant, int, list, ref, str } from './schemaParts.js';

const colorCounts = { red: int, yellow: int };
/** The complaints among a summary cell's counts (the rest are cases). */
const complaintCounts = closed(['red', 'yellow'], colorCounts, {
  description: 'How many of the counted subjects are complaints (link them to /complaints; the rest to /cases)',
});

const Card = closed(['rule', 'color', 'startedAt', 'calendarVersion', 'policyVersion'], {
  rule: { enum: CARD_RULES },
  color: { enum: CARD_COLORS },
  startedAt: instant,
  clearedAt: instant,
  pauseId: str,
  escalation: { type: 'integer', minimum: 0, description: 'Index into escalations (escalation-unanswered)' },
  explain: { type: 'object', description: 'Why, in numbers: counted dates, skipped holidays, thresholds (SPEC §3)' },
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
  retroactive: { type: 'boolean', description: 'Recorded after the case would have been due without it (补录)' },
});

const Escalation = closed(['escalationId', 'level', 'at', 'by', 'respondWithinDays', 'respondBy'], {
  escalationId: str,
  level: { enum: ESCALATION_LEVELS },
  at: instant,
  by: str,
  respondWithinDays: int,
  respondBy: instant,
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
  policyVersion: str,
  revision: int,
};
const optionalEvaluationFields = new Set(['asKnownAt', 'matterName', 'legalDays', 'category', 'rating']);
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
      at: instant,
      revision: int,
      position: { type: 'string', description: 'Global position (decimal string)' },
      recordedAt: instant,
      type: { enum: EVENT_TYPES },
      actor: str,
      event: ref('CaseEvent'),
      state: ref('StateSummary'),
    }),
    closed(['kind', 'at', 'card'], { kind: { enum: ['card-raised', 'card-cleared'] }, at: instant, card: ref('Card') }),
  ],
};

const CaseHistory = closed(['caseId', 'asOf', 'calendarVersion', 'policyVersion', 'limit', 'entries', 'next'], {
  caseId: str,
  asOf: instant,
  asKnownAt: instant,
  calendarVersion: str,
  policyVersion: str,
  limit: int,
  entries: list(ref('HistoryEntry')),
  next: { type: ['integer', 'null'], description: 'The revision to pass as after; null on the last page' },
  current: { ...ref('CaseEvaluation'), description: 'On the first page only, cards explained' },
});

const alertCommon = {
  key: { type: 'string', examples: ['WH-2025-000123/overdue', 'complaint-TS-2025-0042/complaint-overdue'] },
  color: { enum: CARD_COLORS },
  centerId: str,
  startedAt: instant,
  calendarVersion: str,
  policyVersion: str,
  details: { type: 'object' },
};
const alertRequired = ['key', 'subject', 'rule', 'color', 'centerId', 'departmentId', 'startedAt'];

/** An alert of a case (SPEC §3). */
const CaseAlert = closed([...alertRequired, 'caseId', 'matterCode', 'calendarVersion', 'policyVersion'], {
  ...alertCommon,
  subject: { const: 'case' },
  caseId: str,
  rule: { enum: CARD_RULES },
  departmentId: str,
  matterCode: str,
  matterName: str,
  pauseId: str,
  escalation: int,
  overdueDays: { type: 'integer', minimum: 0, description: "GET /alerts: the case's overdue working days now" },
});

/** An alert of a complaint (SPEC §8): key `complaint-<complaintId>/<rule>`. */
const ComplaintAlert = closed([...alertRequired, 'complaintId', 'calendarVersion', 'policyVersion'], {
  ...alertCommon,
  subject: { const: 'complaint' },
  complaintId: str,
  rule: { enum: COMPLAINT_CARD_RULES },
  departmentId: { type: 'string', description: "The department in charge; '' when none" },
  details: {
    type: 'object',
    description: 'The clock behind it: receivedAt or acceptedAt, withinDays, warnAt, dueAt',
  },
  overdueDays: {
    type: 'integer',
    minimum: 0,
    description: "GET /alerts: working days past the complaint's answer deadline now",
  },
});

const Alert = {
  description: "An alert in force: a case's (subject case) or a complaint's (subject complaint)",
  oneOf: [ref('CaseAlert'), ref('ComplaintAlert')],
  discriminator: {
    propertyName: 'subject',
    mapping: { case: '#/components/schemas/CaseAlert', complaint: '#/components/schemas/ComplaintAlert' },
  },
};

const AlertPage = closed(['count', 'total', 'offset', 'limit', 'sort', 'alerts', 'summary'], {
  count: { type: 'integer', description: 'Alerts on this page' },
  total: { type: 'integer', description: 'Alerts matching the filters, on every page' },
  offset: int,
  limit: int,
  sort: { enum: ALERT_SORTS },
  alerts: list(ref('Alert')),
  summary: closed(['red', 'yellow', 'complaints', 'byRule', 'byCenter', 'byDepartment'], {
    ...colorCounts,
    complaints: complaintCounts,
    byRule: list(
      closed(['rule', 'color', 'count'], { rule: { enum: ALERT_RULES }, color: { enum: CARD_COLORS }, count: int }),
    ),
    byCenter: list(
      closed(['centerId', 'red', 'yellow', 'complaints'], {
        centerId: str,
        ...colorCounts,
        complaints: complaintCounts,
      }),
    ),
    byDepartment: list(
      closed(['centerId', 'departmentId', 'red', 'yellow', 'complaints'], {
        centerId: str,
        departmentId: str,
        ...colorCounts,
        complaints: complaintCounts,
      }),
    ),
  }),
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
        status: { enum: [200, 201, 400, 403, 409, 422, 503], description: '201 appended, 200 duplicate eventId' },
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
  Alert,
  CaseAlert,
  ComplaintAlert,
  AlertPage,
  Health: closed(['status'], { status: { const: 'ok' } }),
  Ready: closed(['status', 'store', 'projection'], {
    status: { enum: ['ready', 'not-ready'] },
    store: { enum: ['up', 'down', 'failing', 'corrupt'] },
    reason: str,
    projection: closed(['caughtUp', 'lagEvents', 'checkpoint', 'headPosition'], {
      caughtUp: { type: 'boolean' },
      lagEvents: int,
      checkpoint: str,
      headPosition: str,
    }),
  }),
};
