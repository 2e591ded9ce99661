/**
 * OpenAPI of the complaint reads (SPEC §4, §8): `GET /complaints` (the list,
 * JSON or CSV) and `GET /complaints/{complaintId}` (one complaint, its clocks in
 * numbers, cards and, for case:history, events, as of / as known at an instant), their response
 * schemas closed so test/api/openapi.int.test.ts checks the live answers.
 */
import {
  COMPLAINT_CARD_RULES,
  COMPLAINT_CHANNELS,
  COMPLAINT_EVENT_TYPES,
  COMPLAINT_FINDINGS,
  COMPLAINT_STATUSES,
  SATISFACTION_LEVELS,
} from '../../domain/complaints/lists.js';
import { CARD_COLORS, CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import {
  caseIdSchema,
  complaintStreamDeletedRead,
  datePairParams,
  errorResponse,
  errors,
  idFilterSchema,
  json,
  listedAtParam,
  p,
  pagingParams,
  q,
  ref,
  scopeQ,
  storeReadOrTrailDown,
  trailFailure,
  unavailable,
} from './common.js';
import {
  COMPLAINT_DECISIONS,
  COMPLAINT_SORT_VALUES,
  SATISFACTION_FILTERS,
} from '../../projections/complaints/complaintList.js';
import type { JsonSchema } from './fromCodec.js';
import { closed, date, instant, int, list, str } from './schemaParts.js';

const named = {
  centerName: { type: 'string', description: "The directory's name; absent when the id is not registered" },
  departmentName: { type: 'string', description: "The directory's name; absent when the id is not registered" },
};
/** One complaint's names: as known at asKnownAt when given. */
const namedKnownAt = {
  centerName: {
    type: 'string',
    description:
      "The directory's name (as the directory recorded by asKnownAt named it, when given); absent when the id is not registered",
  },
  departmentName: {
    type: 'string',
    description:
      "The directory's name (as the directory recorded by asKnownAt named it, when given); absent when the id is not registered",
  },
};
const onTime = { type: ['boolean', 'null'], description: 'null while the work is pending and not yet due' };
const days = { type: 'integer', minimum: 0 };

const ComplaintListRow = closed(
  ['complaintId', 'status', 'channel', 'centerId', 'subject', 'receivedAt', 'decideDueAt', 'alerts', 'provisional'],
  {
    complaintId: str,
    status: { enum: COMPLAINT_STATUSES },
    channel: { enum: COMPLAINT_CHANNELS },
    centerId: str,
    departmentId: { type: 'string', description: 'The department in charge (the latest assignment); absent when none' },
    ...named,
    caseId: str,
    subject: str,
    receivedAt: instant,
    acceptedAt: instant,
    rejectedAt: instant,
    answeredAt: instant,
    finding: { enum: COMPLAINT_FINDINGS, description: "The answer's finding (once answered)" },
    closedAt: instant,
    satisfaction: {
      enum: SATISFACTION_LEVELS,
      description: "The complainant's satisfaction given at the closure (absent when none was given)",
    },
    decideDueAt: { ...instant, description: 'End (24:00) of the last day to accept or reject on' },
    answerDueAt: { ...instant, description: 'End (24:00) of the last day to answer on (once accepted)' },
    alerts: {
      ...list(
        closed(['rule', 'color', 'startedAt'], {
          rule: { enum: COMPLAINT_CARD_RULES },
          color: { enum: CARD_COLORS },
          startedAt: instant,
          count: { type: 'integer', minimum: 2 },
        }),
      ),
      description: 'Alerts in force now, one a rule: the first to start, and count when more than one',
    },
    provisional: {
      type: 'boolean',
      description:
        "A day of the complaint's clocks lies in a year the calendar only predicts (SPEC §3, §8; no notice yet): the dues may still move",
    },
  },
);

const ComplaintDetail = closed(
  [
    'complaintId',
    'status',
    'channel',
    'centerId',
    'subject',
    'receivedAt',
    'decide',
    'cards',
    'alerts',
    'asOf',
    'provisional',
    'calendarVersion',
    'policyVersion',
  ],
  {
    complaintId: str,
    status: { enum: COMPLAINT_STATUSES },
    channel: { enum: COMPLAINT_CHANNELS },
    centerId: str,
    departmentId: str,
    ...namedKnownAt,
    caseId: str,
    subject: str,
    anonymous: { type: 'boolean' },
    receivedAt: instant,
    acceptedAt: instant,
    rejected: closed(['at', 'reason'], { at: instant, reason: str }),
    answered: closed(['at', 'finding'], {
      at: instant,
      finding: { enum: COMPLAINT_FINDINGS },
      note: str,
      departmentId: {
        anyOf: [str, { type: 'null' }],
        description: 'The department in charge when answered (null: none)',
      },
    }),
    closed: closed(['at'], { at: instant, satisfaction: { enum: SATISFACTION_LEVELS } }),
    decide: closed(['withinDays', 'byDate', 'dueAt', 'usedDays', 'onTime'], {
      withinDays: days,
      byDate: { ...date, description: 'Counted day withinDays after the receipt date (working days, SPEC §3)' },
      dueAt: instant,
      decidedAt: instant,
      usedDays: days,
      onTime,
    }),
    answer: closed(
      ['withinDays', 'warnAtDay', 'byDate', 'dueAt', 'usedDays', 'remainingDays', 'overdueDays', 'onTime'],
      {
        withinDays: days,
        warnAtDay: { ...days, description: 'The counted day complaint-answer-warning starts on (0: none)' },
        warnAt: instant,
        byDate: date,
        dueAt: instant,
        answeredAt: instant,
        usedDays: days,
        remainingDays: days,
        overdueDays: days,
        onTime,
      },
    ),
    cards: list(
      closed(['rule', 'color', 'startedAt'], {
        rule: { enum: COMPLAINT_CARD_RULES },
        color: { enum: CARD_COLORS },
        startedAt: instant,
        clearedAt: instant,
        details: closed(['eventType', 'revision', 'delayHours'], {
          eventType: { enum: COMPLAINT_EVENT_TYPES },
          revision: int,
          delayHours: { type: 'number' },
        }),
      }),
    ),
    alerts: list({ enum: COMPLAINT_CARD_RULES }),
    events: {
      ...list({
        type: 'object',
        required: ['type', 'occurredAt', 'revision', 'position', 'recordedAt'],
        description: 'The stored event (SPEC §8 fields) with its revision, global position and recordedAt',
        properties: {
          type: { enum: COMPLAINT_EVENT_TYPES },
          occurredAt: instant,
          revision: int,
          position: str,
          recordedAt: instant,
        },
      }),
      description:
        "The complaint's history, event by event with its actors: only for a principal that may read a case's history (case:history: auditor, admin), as GET /cases/{caseId}/history; absent for a monitor",
    },
    asOf: instant,
    asKnownAt: instant,
    provisional: {
      type: 'boolean',
      description: 'The clocks use a day of a year the calendar only predicts (SPEC §3): they may still move',
    },
    calendarVersion: str,
    calendarRegion: {
      ...str,
      description:
        "The region whose regional days timed the clocks (the center's, by the directory in force, or as known at asKnownAt); absent for none",
    },
    policyVersion: str,
    directoryVersion: {
      type: 'integer',
      minimum: 0,
      description:
        'The directory publication whose regions timed the case (and, on a complaint, whose names it shows): GET /directory?asKnownAt= with the same instant reads it back; 0 before any publication',
    },
    withdrawnCards: {
      ...list(ref('WithdrawnCard')),
      description:
        'Cards the record held and a later write withdrew, and the answer warning when a later write changed its shown clearing (clearingChanged), each with reinstatedAt if put back since (as known at asKnownAt when given); absent when none',
    },
  },
);

export const complaintReadSchemas: Record<string, JsonSchema> = {
  ComplaintListRow,
  ComplaintListPage: closed(['total', 'sort', 'limit', 'asOf', 'listedAt', 'items'], {
    total: { type: 'integer', description: 'Complaints matching the filters (all pages)' },
    sort: { enum: COMPLAINT_SORT_VALUES },
    limit: int,
    asOf: instant,
    listedAt: {
      ...instant,
      description:
        "The instant the listing's first page was read at (the cursor carries it; pass it back as listedAt to read the first page again): sorted by overdueDays, every page counts only the past-due alerts raised by it",
    },
    items: list(ref('ComplaintListRow')),
    nextCursor: { type: 'string', description: 'Pass as cursor for the next page; absent on the last page' },
  }),
  ComplaintDetail,
};

const complaintIdParam = p('complaintId', CASE_ID_DESCRIPTION, caseIdSchema);
const id = idFilterSchema;

export const complaintReadPaths = {
  '/complaints': {
    get: {
      summary:
        "The complaint list (monitor, auditor): the case list's filters where a complaint has them, sort, keyset paging",
      parameters: [
        q('centerId', 'Only this center', id),
        scopeQ('center'),
        q('departmentId', 'Only this department in charge', id),
        q('hasDepartment', 'false: only complaints with no department in charge; true: only those with one', {
          enum: ['true', 'false'],
        }),
        q(
          'answeredBy',
          "Answered while this department was in charge (whose finding it is: the report's 查实 by department); empty: answered with none in charge",
          { anyOf: [id, { type: 'string', maxLength: 0 }] },
        ),
        q('status', 'Status now', { enum: COMPLAINT_STATUSES }),
        q('rule', 'Has an alert of this rule now (with color: one alert of both)', { enum: COMPLAINT_CARD_RULES }),
        q('color', 'Has an alert of this colour now', { enum: CARD_COLORS }),
        q('overdue', 'true: past a due instant now (complaint-undecided or complaint-overdue in force); false: not', {
          enum: ['true', 'false'],
        }),
        ...datePairParams('received', 'Received'),
        q('decided', 'How the complaint was decided: accepted (受理) or rejected (不予受理)', {
          enum: COMPLAINT_DECISIONS,
        }),
        ...datePairParams('decided', 'Accepted or rejected'),
        q('finding', "The answer's finding: substantiated (查实), partly (部分查实), unsubstantiated", {
          enum: COMPLAINT_FINDINGS,
        }),
        ...datePairParams('answered', 'Answered'),
        ...datePairParams('closed', 'Closed'),
        q(
          'satisfaction',
          "The closure's satisfaction: satisfied (满意), basically (基本满意), unsatisfied (不满意); content: satisfied or basically (the figure satisfied of /stats); given: any (the figure withSatisfaction). With closedFrom/closedTo the lists behind /stats complaints.satisfied and withSatisfaction",
          { enum: SATISFACTION_FILTERS },
        ),
        q('q', 'Complaint-id prefix, case-insensitive', id),
        q(
          'sort',
          'received | dueAt (of the step pending: decision, then answer) | overdueDays (since when past due), `-` for descending; default -received (newest first)',
          { enum: COMPLAINT_SORT_VALUES },
        ),
        ...pagingParams('opaque; made for one sort'),
        listedAtParam,
      ],
      responses: {
        '200': {
          description:
            'One page of complaints and the total; with Accept: text/csv the page as CSV (UTF-8 with BOM, Chinese headers), the next cursor in X-Next-Cursor',
          headers: {
            'X-Next-Cursor': { description: 'CSV only: the cursor of the next page', schema: { type: 'string' } },
          },
          content: { ...json(ref('ComplaintListPage')), 'text/csv': { schema: { type: 'string' } } },
        },
        ...errors,
        ...unavailable(trailFailure),
      },
    },
  },
  '/complaints/{complaintId}': {
    get: {
      summary:
        'One complaint as of asOf: its clocks in numbers, cards, alerts in force and, for an auditor, events (monitor, auditor)',
      description:
        'A monitor gets the complaint with its timing, status, cards and withdrawn cards; the event-by-event record (events, with revisions, positions, recordedAt and actors) is answered only to a principal holding case:history (auditor, admin), whose read is the one written to the access trail',
      parameters: [
        complaintIdParam,
        q('asOf', "ISO-8601 instant with offset; default now, or the complaint's last event when it lies ahead", {
          type: 'string',
          format: 'date-time',
        }),
        q(
          'asKnownAt',
          'ISO-8601 instant with offset: only what was recorded (and calendars, policies published) by then',
          {
            type: 'string',
            format: 'date-time',
          },
        ),
      ],
      responses: {
        '200': { description: 'The complaint', content: json(ref('ComplaintDetail')) },
        ...errors,
        '404': errorResponse('complaint-not-found: no ComplaintReceived by asOf (as known at asKnownAt)'),
        ...complaintStreamDeletedRead,
        ...storeReadOrTrailDown,
      },
    },
  },
};
