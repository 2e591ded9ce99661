/** OpenAPI of the case list (`GET /cases`) and the card register (`GET /cards`): paths and response schemas. */
import { COMPLAINT_CARD_RULES } from '../../domain/complaints/lists.js';
import {
  CARD_COLORS,
  CARD_RULES,
  CARD_SUBJECTS,
  CASE_KINDS,
  CASE_STATUSES,
  RATING_CLASSES,
} from '../../domain/lists.js';
import { CASE_SORT_VALUES, TIMELINESS } from '../../projections/caseList.js';
import { REPORT_CATEGORIES } from '../../projections/report/tables.js';
import { WITHDRAWN_ROW_KINDS } from '../../projections/report.js';
import {
  datePairParams,
  errorResponse,
  errors,
  idFilterSchema,
  listedAtParam,
  pagingParams,
  q,
  scopeQ,
  storeReadOrTrailDown,
  trailFailure,
  unavailable,
} from './common.js';
import { date, instant, ref } from './schemaParts.js';

const id = idFilterSchema;
const paging = pagingParams('opaque; made for one sort');

/** A list read: recorded on the access trail; `readsStore`, it waits for the read models to reach the store's head. */
const listResponses = (schema: string, what: string, readsStore: boolean) => ({
  '200': {
    description: `${what}; with Accept: text/csv the page as CSV (UTF-8 with BOM, Chinese headers), the next cursor in X-Next-Cursor`,
    headers: { 'X-Next-Cursor': { description: 'CSV only: the cursor of the next page', schema: { type: 'string' } } },
    content: { 'application/json': { schema: ref(schema) }, 'text/csv': { schema: { type: 'string' } } },
  },
  ...errors,
  '400': errorResponse('A bad or unknown parameter; `details` names it'),
  '403': errorResponse('A recorder token (auditor, monitor or admin may list)'),
  ...(readsStore ? storeReadOrTrailDown : unavailable(trailFailure)),
});

/** What withdrew a card, or put it back: the write's events, or the calendar (and directory) versions. */
const withdrawnBy = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['events'],
      properties: {
        events: {
          type: 'array',
          description: "The case's (or the complaint's) events of that write",
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'revision', 'occurredAt'],
            properties: {
              eventId: { type: 'string' },
              type: { type: 'string' },
              revision: { type: 'integer' },
              occurredAt: instant,
            },
          },
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['calendarVersion', 'previousCalendarVersion'],
      properties: {
        calendarVersion: { type: 'string' },
        previousCalendarVersion: { type: 'string' },
        directoryVersion: {
          type: 'integer',
          description: 'When a directory publication moved centers between regions: its version',
        },
        previousDirectoryVersion: { type: 'integer', description: 'The directory version before it' },
      },
    },
  ],
};

/** A withdrawn card's own fields (the register's row adds where the case is). */
const withdrawnCardFields = {
  caseId: { type: 'string' },
  rule: { enum: CARD_RULES },
  color: { enum: CARD_COLORS },
  startedAt: { ...instant, description: 'As the record held it before the write that withdrew it' },
  clearedAt: instant,
  pauseId: { type: 'string' },
  escalation: { type: 'integer' },
  escalationId: { type: 'string' },
  withdrawnAt: { ...instant, description: "The write's recordedAt" },
  withdrawnBy: withdrawnBy,
  nowStartedAt: {
    ...instant,
    description: 'Where the record now starts the card of the same rule and subject; absent: it holds none',
  },
  clearingChanged: {
    const: true,
    description:
      "Not a withdrawn card: the record still holds this yellow card (a case's, or a complaint's answer warning), but the write moved or erased its clearing (clearedAt), which had happened by withdrawnAt. Not counted as withdrawn (the report's cards.withdrawn.clearingsChanged)",
  },
  nowClearedAt: {
    ...instant,
    description: 'With clearingChanged: where the record now clears the card; absent: not cleared',
  },
  reinstatedAt: {
    ...instant,
    description:
      'When a later write or calendar publication put the card (for clearingChanged: its clearing) back as it was; such a row is listed but no longer counted as withdrawn',
  },
  reinstatedBy: { ...withdrawnBy, description: 'What put it back (as withdrawnBy)' },
} as const;

const named = {
  centerName: { type: 'string', description: "The directory's name; absent when the id is not registered" },
  departmentName: { type: 'string', description: "The directory's name; absent when the id is not registered" },
};

export const listPaths = {
  '/cases': {
    get: {
      summary:
        'The case list (auditor, monitor, admin): filters, sort, keyset paging; every count on the board and in a report links to the list that reproduces it',
      parameters: [
        q('centerId', 'Only this center', id),
        scopeQ('center'),
        q('departmentId', 'Only this department', id),
        q('matterCode', 'Only this matter', id),
        q('category', '行政许可 licensing, 公共服务 public-service, or unspecified (accepted without one)', {
          enum: REPORT_CATEGORIES,
        }),
        q('status', 'Status now', { enum: CASE_STATUSES }),
        q('rule', 'Has an alert of this rule now (with color: one alert of both)', { enum: CARD_RULES }),
        q('color', 'Has an alert of this colour now', { enum: CARD_COLORS }),
        q('overdue', 'true: has the overdue alert now; false: has not', { enum: ['true', 'false'] }),
        ...datePairParams('accepted', 'Accepted'),
        ...datePairParams('completed', 'Completed'),
        q('openAt', "Accepted before this local date and not completed before it (a report's 在办)", date),
        ...datePairParams('rated', 'Rated (好差评)'),
        q('rating', 'Rated with a score of this class: bad (差评, 1–2), neutral (3), satisfied (4–5)', {
          enum: RATING_CLASSES,
        }),
        ...datePairParams(
          'followUpDue',
          "A 差评's follow-up (整改回访) fell due (its last day), a report's 差评应整改",
        ),
        q('timeliness', "Completed on time or late (a report's 按时办结 / 超时办结 with completedFrom/To)", {
          enum: TIMELINESS,
        }),
        q('overdueBy', "Overdue by the start of this local date (with openAt: a report's 月末逾期未办结)", date),
        q('q', 'Case-id prefix, case-insensitive', id),
        q('sort', 'accepted | dueAt | overdueDays, `-` for descending; default accepted', {
          enum: CASE_SORT_VALUES,
        }),
        ...paging,
        listedAtParam,
      ],
      responses: listResponses('CaseListPage', 'One page of cases and the total', false),
    },
  },
  '/cards': {
    get: {
      summary:
        'The card register (auditor, monitor, admin): the cards started in [from, to) with their explanations; its total equals /stats cards for the same period and filters',
      parameters: [
        q('from', 'First local date', date, true),
        q('to', 'Local date after the last one (exclusive)', date, true),
        q('centerId', "Only this center's cases", id),
        scopeQ('center'),
        q('departmentId', "Only this department's cases", id),
        q('rule', 'Only cards of this rule (a case rule, or a complaint rule of SPEC §8)', {
          enum: [...CARD_RULES, ...COMPLAINT_CARD_RULES],
        }),
        q('color', 'Only cards of this colour', { enum: CARD_COLORS }),
        q('subject', "Only cases' cards or only complaints' (the monthly report's case figures link with case)", {
          enum: CARD_SUBJECTS,
        }),
        q(
          'asKnownAt',
          "The register as it stood at this instant (SPEC §3 'What was known', not after now): the cards started by it from only the events recorded by it, timed with the calendar and policy versions published by it, the directory recorded by it giving names, regions and the scope subtree; asOf is this instant. A card a later write withdrew is listed, one a later record caused is not. Refused (400) when it would read more than 5,000 cases and complaints from their streams: narrow the period or centerId",
          instant,
        ),
        ...paging,
      ],
      responses: listResponses('CardRegisterPage', 'One page of cards and the total', true),
    },
  },
  '/cards/withdrawn': {
    get: {
      summary:
        "Withdrawn cards (auditor, monitor, admin): the cards started in [from, to) that the record held and a later write withdrew — a 停止计时, completion or reply recorded after the fact, a complaint's decision or answer recorded after the fact, or a calendar correction — with when, by what, and where the record now starts that rule's card; the register's cards plus these are every card the board ever showed. Also listed: a yellow card still on record whose clearing, shown before a later write, it moved or erased (clearingChanged, nowClearedAt), and, on any row, reinstatedAt/reinstatedBy when a later write or calendar publication put it back as it was; neither counts as a withdrawn card in the report or the gauge",
      parameters: [
        q('from', 'First local date (of the card as it started)', date, true),
        q('to', 'Local date after the last one (exclusive)', date, true),
        q('centerId', "Only this center's cases", id),
        scopeQ('center'),
        q('departmentId', "Only this department's cases", id),
        q('rule', 'Only cards of this rule (a case rule, or a complaint rule of SPEC §8)', {
          enum: [...CARD_RULES, ...COMPLAINT_CARD_RULES],
        }),
        q('color', 'Only cards of this colour', { enum: CARD_COLORS }),
        q('subject', "Only cases' cards or only complaints' (the monthly report's case figures link with case)", {
          enum: CARD_SUBJECTS,
        }),
        q(
          'kind',
          "Only rows of this kind: a card withdrawn (neither of the others: what the report's cards.withdrawn counts), a changed clearing (clearingChanged), or a row put back (reinstatedAt) — the report's cards.withdrawn.total, clearingsChanged and reinstated link each to its own",
          { enum: WITHDRAWN_ROW_KINDS },
        ),
        ...paging,
      ],
      responses: listResponses('WithdrawnCardPage', 'One page of withdrawn cards and the total', true),
    },
  },
} as const;

const page = (row: string, extra: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: ['total', 'limit', 'asOf', 'items', ...required],
  properties: {
    ...extra,
    total: { type: 'integer', minimum: 0, description: 'Rows matching the filters, on every page' },
    limit: { type: 'integer' },
    asOf: instant,
    items: { type: 'array', items: ref(row) },
    nextCursor: { type: 'string', description: 'Absent on the last page' },
  },
});

export const listSchemas = {
  CaseListPage: page(
    'CaseListRow',
    {
      sort: { enum: CASE_SORT_VALUES },
      listedAt: {
        ...instant,
        description:
          "The instant the listing's first page was read at (the cursor carries it; pass it back as the listedAt parameter to read the first page again): every page reads paused cases at it and counts only the overdue cards started by it, so the clock moving on between pages moves no case",
      },
    },
    ['sort', 'listedAt'],
  ),
  CaseListRow: {
    type: 'object',
    additionalProperties: false,
    required: [
      'caseId',
      'centerId',
      'departmentId',
      'matterCode',
      'kind',
      'status',
      'acceptedAt',
      'deadlineDate',
      'dueAt',
      'completedAt',
      'overdueDays',
      'alerts',
      'calendarVersion',
      'policyVersion',
      'provisional',
    ],
    properties: {
      caseId: { type: 'string' },
      provisional: {
        type: 'boolean',
        description: 'A day of the case span lies in a predicted year (no notice yet): the deadline may still move',
      },
      calendarVersion: { type: 'string', description: 'The calendar version the deadline was computed under' },
      policyVersion: {
        type: 'string',
        description: 'The policy version of the case (in force on its acceptance date)',
      },
      centerId: { type: 'string' },
      departmentId: { type: 'string' },
      ...named,
      matterCode: { type: 'string' },
      matterName: { type: 'string' },
      kind: { enum: CASE_KINDS },
      status: { enum: CASE_STATUSES },
      acceptedAt: instant,
      deadlineDate: date,
      dueAt: instant,
      completedAt: { anyOf: [instant, { type: 'null' }] },
      overdueDays: { type: 'integer', minimum: 0 },
      alerts: {
        type: 'array',
        description: 'Alerts active now, one a rule: the first to start, and count when more than one',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['rule', 'color', 'startedAt'],
          properties: {
            rule: { enum: CARD_RULES },
            color: { enum: CARD_COLORS },
            startedAt: instant,
            count: { type: 'integer', minimum: 2 },
          },
        },
      },
    },
  },
  CardRegisterPage: page(
    'CardRegisterRow',
    { from: date, to: date, asKnownAt: { ...instant, description: 'Present when asked with ?asKnownAt=' } },
    ['from', 'to'],
  ),
  WithdrawnCardPage: page('WithdrawnCardRow', { from: date, to: date }, ['from', 'to']),
  WithdrawnCardRow: {
    type: 'object',
    additionalProperties: false,
    description:
      "A case's withdrawn card (caseId, matterCode) or a complaint's (complaintId; departmentId: in charge when it started, '' none)",
    required: ['rule', 'color', 'startedAt', 'withdrawnAt', 'withdrawnBy', 'centerId', 'departmentId'],
    oneOf: [{ required: ['caseId', 'matterCode'] }, { required: ['complaintId'] }],
    properties: {
      ...withdrawnCardFields,
      complaintId: { type: 'string' },
      rule: { enum: [...CARD_RULES, ...COMPLAINT_CARD_RULES] },
      centerId: { type: 'string' },
      departmentId: { type: 'string' },
      ...named,
      matterCode: { type: 'string' },
      matterName: { type: 'string' },
    },
  },
  WithdrawnCard: {
    type: 'object',
    additionalProperties: false,
    description: "On a case's page (caseId) or a complaint's (complaintId)",
    required: ['rule', 'color', 'startedAt', 'withdrawnAt', 'withdrawnBy'],
    oneOf: [{ required: ['caseId'] }, { required: ['complaintId'] }],
    properties: {
      ...withdrawnCardFields,
      complaintId: { type: 'string' },
      rule: { enum: [...CARD_RULES, ...COMPLAINT_CARD_RULES] },
    },
  },
  CardRegisterRow: {
    type: 'object',
    additionalProperties: false,
    description:
      "A case's card (caseId, matterCode) or a complaint's (complaintId; departmentId: in charge when it started, '' none)",
    required: ['rule', 'color', 'startedAt', 'centerId', 'departmentId'],
    oneOf: [{ required: ['caseId', 'matterCode'] }, { required: ['complaintId'] }],
    properties: {
      caseId: { type: 'string' },
      complaintId: { type: 'string' },
      provisional: {
        const: true,
        description:
          "The card's case or complaint is timed over a predicted day (no notice yet): it may still move; absent otherwise",
      },
      rule: { enum: [...CARD_RULES, ...COMPLAINT_CARD_RULES] },
      color: { enum: CARD_COLORS },
      startedAt: instant,
      clearedAt: instant,
      pauseId: { type: 'string', description: 'pause-warning / overlong-pause: the pause' },
      escalation: { type: 'integer', description: 'escalation-unanswered: index into the case escalations' },
      escalationId: { type: 'string', description: "escalation-unanswered: the escalation's id (SPEC §2)" },
      centerId: { type: 'string' },
      departmentId: { type: 'string' },
      ...named,
      matterCode: { type: 'string' },
      matterName: { type: 'string' },
      explain: {
        type: 'object',
        description: "Why, in numbers: the timing core's explanation of the card (as on the case page)",
      },
    },
  },
} as const;
