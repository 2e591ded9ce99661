/**
 * OpenAPI for complaints (SPEC §8): `POST /complaints/{complaintId}/events`, the
 * six event bodies read from their io-ts codecs (complaintId optional: taken from
 * the path), and the append result; `GET /complaints` (the list) and
 * `GET /complaints/{complaintId}` (one complaint, its clocks in numbers, cards and
 * events), their response schemas closed so the live answers are checked.
 */
import { complaintCodecByType } from '../../domain/complaints/events.js';
import {
  COMPLAINT_CARD_RULES,
  COMPLAINT_CHANNELS,
  COMPLAINT_EVENT_TYPES,
  COMPLAINT_FINDINGS,
  COMPLAINT_STATUSES,
  SATISFACTION_LEVELS,
  type ComplaintEventType,
} from '../../domain/complaints/lists.js';
import { COMPLAINT_LIST_MAX_LIMIT, COMPLAINT_LIST_MAX_ROWS } from '../../projections/complaints/complaintList.js';
import { CARD_COLORS, CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import { caseIdSchema, errorResponse, errors, json, p, q, ref, storeDown } from './common.js';
import { schemaOf, type JsonSchema } from './fromCodec.js';
import { closed, date, instant, int, list, str } from './schemaParts.js';

const EXAMPLES: Readonly<Record<ComplaintEventType, Record<string, unknown>>> = {
  ComplaintReceived: {
    type: 'ComplaintReceived',
    occurredAt: '2025-10-09T09:30:00+08:00',
    channel: 'hotline',
    centerId: 'center-A',
    departmentId: 'dept-market',
    subject: '营业执照变更窗口多次要求补交同一材料',
    eventId: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    actor: '12345热线',
  },
  ComplaintAccepted: { type: 'ComplaintAccepted', occurredAt: '2025-10-10T10:00:00+08:00' },
  ComplaintRejected: {
    type: 'ComplaintRejected',
    occurredAt: '2025-10-10T10:00:00+08:00',
    reason: '不属于效能投诉受理范围',
  },
  ComplaintAssigned: {
    type: 'ComplaintAssigned',
    occurredAt: '2025-10-10T11:00:00+08:00',
    departmentId: 'dept-market',
  },
  ComplaintAnswered: {
    type: 'ComplaintAnswered',
    occurredAt: '2025-10-17T16:00:00+08:00',
    finding: 'substantiated',
    note: '已约谈窗口负责人，一次性告知清单已更新',
  },
  ComplaintClosed: { type: 'ComplaintClosed', occurredAt: '2025-10-18T09:00:00+08:00', satisfaction: 'satisfied' },
};

/** The body of one event: its codec's schema with complaintId optional. */
function bodySchema(type: ComplaintEventType): JsonSchema {
  const s = schemaOf(complaintCodecByType[type]);
  return {
    ...s,
    required: ((s['required'] as string[] | undefined) ?? []).filter((f) => f !== 'complaintId'),
    examples: [EXAMPLES[type]],
  };
}

const named = {
  centerName: { type: 'string', description: "The directory's name; absent when the id is not registered" },
  departmentName: { type: 'string', description: "The directory's name; absent when the id is not registered" },
};
const onTime = { type: ['boolean', 'null'], description: 'null while the work is pending and not yet due' };
const days = { type: 'integer', minimum: 0 };

const ComplaintListRow = closed(
  ['complaintId', 'status', 'channel', 'centerId', 'subject', 'receivedAt', 'decideDueAt', 'alerts'],
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
    closedAt: instant,
    decideDueAt: { ...instant, description: 'End (24:00) of the last day to accept or reject on' },
    answerDueAt: { ...instant, description: 'End (24:00) of the last day to answer on (once accepted)' },
    alerts: list(
      closed(['rule', 'color', 'startedAt'], {
        rule: { enum: COMPLAINT_CARD_RULES },
        color: { enum: CARD_COLORS },
        startedAt: instant,
      }),
    ),
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
    'events',
    'asOf',
    'calendarVersion',
    'policyVersion',
  ],
  {
    complaintId: str,
    status: { enum: COMPLAINT_STATUSES },
    channel: { enum: COMPLAINT_CHANNELS },
    centerId: str,
    departmentId: str,
    ...named,
    caseId: str,
    subject: str,
    anonymous: { type: 'boolean' },
    receivedAt: instant,
    acceptedAt: instant,
    rejected: closed(['at', 'reason'], { at: instant, reason: str }),
    answered: closed(['at', 'finding'], { at: instant, finding: { enum: COMPLAINT_FINDINGS }, note: str }),
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
      }),
    ),
    alerts: list({ enum: COMPLAINT_CARD_RULES }),
    events: list({
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
    asOf: instant,
    asKnownAt: instant,
    calendarVersion: str,
    policyVersion: str,
  },
);

export const complaintSchemas: Record<string, JsonSchema> = {
  ComplaintListRow,
  ComplaintListPage: closed(['total', 'limit', 'asOf', 'items'], {
    total: { type: 'integer', description: 'Complaints matching the filters (all pages)' },
    limit: int,
    asOf: instant,
    items: list(ref('ComplaintListRow')),
    nextCursor: { type: 'string', description: 'Pass as cursor for the next page; absent on the last page' },
  }),
  ComplaintDetail,
  ...Object.fromEntries(COMPLAINT_EVENT_TYPES.map((type) => [`${type}Body`, bodySchema(type)])),
  ComplaintEventBody: {
    description: 'One complaint event of SPEC §8; complaintId may be omitted (it is the path’s)',
    oneOf: COMPLAINT_EVENT_TYPES.map((type) => ref(`${type}Body`)),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(COMPLAINT_EVENT_TYPES.map((type) => [type, `#/components/schemas/${type}Body`])),
    },
  },
  ComplaintAppendResult: {
    type: 'object',
    additionalProperties: false,
    required: ['complaintId', 'revision', 'position', 'eventId'],
    properties: {
      complaintId: { type: 'string' },
      revision: { type: 'integer', minimum: 0 },
      position: { type: 'string', description: 'Global commit position (decimal string)' },
      eventId: { type: 'string', format: 'uuid' },
    },
  },
};

const complaintIdParam = p('complaintId', CASE_ID_DESCRIPTION, caseIdSchema);
const id = { type: 'string', minLength: 1, maxLength: 200 };
const trailDown = {
  '503': errorResponse('The access trail cannot be written; a read that must be recorded is refused'),
};

export const complaintPaths = {
  '/complaints': {
    get: {
      summary: 'The complaint list (monitor, auditor): filters, newest receipt first, keyset paging',
      parameters: [
        q('centerId', 'Only this center', id),
        q('departmentId', 'Only this department in charge', id),
        q('status', 'Status now', { enum: COMPLAINT_STATUSES }),
        q('rule', 'Has an alert of this rule now (with color: one alert of both)', { enum: COMPLAINT_CARD_RULES }),
        q('color', 'Has an alert of this colour now', { enum: CARD_COLORS }),
        q('receivedFrom', 'Received on or after this local date', date),
        q('receivedTo', 'Received before this local date (exclusive)', date),
        q('q', 'Complaint-id prefix, case-insensitive', id),
        q(
          'limit',
          `Rows per page: JSON default 50, at most ${COMPLAINT_LIST_MAX_LIMIT}; CSV default and at most ${COMPLAINT_LIST_MAX_ROWS}`,
          { type: 'integer', minimum: 1, maximum: COMPLAINT_LIST_MAX_ROWS },
        ),
        q('cursor', "The previous page's nextCursor (opaque)", { type: 'string', maxLength: 1024 }),
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
        ...trailDown,
      },
    },
  },
  '/complaints/{complaintId}': {
    get: {
      summary: 'One complaint as of asOf: its clocks in numbers, cards, alerts in force and events (monitor, auditor)',
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
        ...trailDown,
      },
    },
  },
  '/complaints/{complaintId}/events': {
    post: {
      summary: 'Append one event to a complaint (recorder; a center-scoped token only its centers’ complaints)',
      parameters: [
        {
          name: 'complaintId',
          in: 'path',
          required: true,
          description: CASE_ID_DESCRIPTION,
          schema: caseIdSchema,
        },
        {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'Expected stream revision of the complaint before this event',
          schema: { type: 'string', pattern: '^"?[0-9]+"?$' },
        },
      ],
      requestBody: { required: true, content: json(ref('ComplaintEventBody')) },
      responses: {
        '201': { description: 'Appended', content: json(ref('ComplaintAppendResult')) },
        '200': {
          description: 'The eventId was already stored: the original result',
          content: json(ref('ComplaintAppendResult')),
        },
        ...errors,
        '404': errorResponse('complaint-not-found: the complaint has no ComplaintReceived yet'),
        '409': errorResponse('Order of SPEC §8 not followed, eventId used by another event, or If-Match conflict'),
        '413': errorResponse('Body larger than 1 MB'),
        '422': errorResponse('occurredAt before the complaint’s last event or more than 5 minutes in the future'),
        ...storeDown,
      },
    },
  },
};
