/**
 * OpenAPI 3.1 description of the HTTP API: the paths here; event schemas read
 * from the codecs (openapi/events.ts) and response schemas (openapi/responses.ts)
 * beside it. test/api/openapi.int.test.ts checks that every route the express app
 * registers is described here and vice versa, and validates live answers of
 * every operation against these schemas. Every path stays in this one file (a
 * little over 300 lines) so a reader sees the whole API in one place.
 */
import { CARD_COLORS, CASE_ID_DESCRIPTION } from '../domain/lists.js';
import { CENTER_LEVELS, MAX_CENTERS, MAX_DEPARTMENTS, MAX_NAME_LENGTH } from '../domain/directory.js';
import { PUBLISHABLE_YEARS } from '../domain/calendar/notice.js';
import { GROUP_BY } from './routes/stats.js';
import { ALERT_DEFAULT_LIMIT, ALERT_DEFAULT_SORT, ALERT_MAX_LIMIT, ALERT_SORTS } from './alertPage.js';
import { ALERT_RULES } from '../projections/alertBoard.js';
import {
  bodyTooLarge,
  eventBodyTooLarge,
  caseIdSchema,
  errorResponse,
  errors,
  ifMatchHeader,
  json,
  p,
  q,
  ref,
  storeDown,
  storeReadDown,
  storeReadOrTrailDown,
  tooManyStreams,
  trailFailure,
  unavailable,
  caseStreamDeleted,
  caseStreamDeletedRead,
  scopeQ,
} from './openapi/common.js';
import { eventSchemas } from './openapi/events.js';
import { opsPaths, startingSchemas, withStartingAnswers } from './openapi/ops.js';
import { complaintPaths, complaintSchemas } from './openapi/complaints.js';
import { policyPaths, policySchemas } from './openapi/policies.js';
import { responseSchemas } from './openapi/responses.js';

import { listPaths, listSchemas } from './openapi/lists.js';

const caseIdParam = p('caseId', `Case id: ${CASE_ID_DESCRIPTION}`, caseIdSchema);
const asOfParam = q(
  'asOf',
  "ISO-8601 instant with offset; default now, or the case's last event when it lies ahead of the server clock",
  { type: 'string', format: 'date-time' },
);
const asKnownAtParam = q('asKnownAt', 'ISO-8601 instant with offset: only what was recorded by then (SPEC §3)', {
  type: 'string',
  format: 'date-time',
});
const historyPageParams = [
  q('limit', 'Events per page (default 200)', { type: 'integer', minimum: 1, maximum: 1000 }),
  q('after', "Start after this revision (the previous page's next)", { type: 'integer', minimum: 0 }),
];
const alertFilters = [
  q('centerId', 'Only alerts of this center (with scope=subtree: and of the centers under it)'),
  scopeQ('center'),
  q('departmentId', 'Only alerts of this department'),
  q('color', 'Only this colour', { enum: CARD_COLORS }),
  q('rule', 'Only this rule (a case or a complaint card rule)', { enum: ALERT_RULES }),
];

const nameSchema = { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH };
/** The two lists of the directory (SPEC §4), as PUT takes them and GET gives them. */
const directoryLists = {
  centers: {
    type: 'array',
    maxItems: MAX_CENTERS,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['centerId', 'name', 'level'],
      properties: {
        centerId: caseIdSchema,
        name: nameSchema,
        level: { enum: CENTER_LEVELS },
        parentId: { ...caseIdSchema, description: 'A center of the same directory; parents form no cycle' },
        region: { ...caseIdSchema, description: 'Whose regional days (SPEC §3) apply to its cases' },
      },
    },
  },
  departments: {
    type: 'array',
    maxItems: MAX_DEPARTMENTS,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['departmentId', 'name'],
      properties: {
        departmentId: caseIdSchema,
        name: nameSchema,
        centerId: { ...caseIdSchema, description: 'A center of the same directory' },
        contact: nameSchema,
      },
    },
  },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'e-supervision engine API',
    version: '1.0.0',
    description:
      'Event-sourced electronic supervision (电子监察) of government service cases. Roles: recorder (write events), ' +
      'monitor (alerts, stats, reports, calendar read, policy read, case read, directory read), auditor (case read and history, calendar read, policy read, directory read), admin (everything). ' +
      'Paths are exact (a trailing slash is 404); OPTIONS on a documented path answers 204 with Allow, no token needed (counted by the rate limit like any request).',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: withStartingAnswers({
    '/cases/{caseId}/events': {
      post: {
        summary: 'Append one event to a case (recorder)',
        parameters: [caseIdParam, ifMatchHeader('Expected stream revision of the case before this event')],
        requestBody: { required: true, content: json(ref('CaseEventBody')) },
        responses: {
          '201': { description: 'Appended', content: json(ref('AppendResult')) },
          '200': {
            description: 'The eventId was already stored: the original result',
            content: json(ref('AppendResult')),
          },
          ...errors,
          '409': errorResponse('Transition not allowed, or If-Match revision conflict'),
          ...eventBodyTooLarge,
          '422': errorResponse('occurredAt before the case’s last event or more than 5 minutes in the future'),
          ...caseStreamDeleted,
          ...storeDown,
        },
      },
    },
    '/events': {
      post: {
        summary: 'Append up to 1000 events, each with caseId (recorder)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['events'],
            properties: { events: { type: 'array', minItems: 1, maxItems: 1000, items: ref('CaseEvent') } },
          }),
        },
        responses: {
          '200': { description: 'One result per event, in order', content: json(ref('BatchResults')) },
          ...errors,
          ...bodyTooLarge,
        },
      },
    },
    '/cases/{caseId}': {
      get: {
        summary: 'The case evaluated at asOf, as known at asKnownAt (auditor, monitor)',
        parameters: [caseIdParam, asOfParam, asKnownAtParam],
        responses: {
          '200': {
            description:
              "The evaluation; each of its first 200 cards carries `explain`, the card register's explanation of it",
            content: json(ref('CaseEvaluation')),
          },
          ...errors,
          '404': errorResponse('Unknown case'),
          ...caseStreamDeletedRead,
          ...storeReadOrTrailDown,
        },
      },
    },
    '/cases/{caseId}/history': {
      get: {
        summary: 'Every event with a summary of the state right after it, cards interleaved; paged (auditor)',
        parameters: [caseIdParam, asOfParam, asKnownAtParam, ...historyPageParams],
        responses: {
          '200': { description: 'The history', content: json(ref('CaseHistory')) },
          ...errors,
          '404': errorResponse('Unknown case'),
          ...caseStreamDeletedRead,
          ...storeReadOrTrailDown,
        },
      },
    },
    '/alerts': {
      get: {
        summary:
          'Alerts active now (monitor), sorted and paged, with a summary counting the cases and complaints with a matching alert',
        parameters: [
          ...alertFilters,
          q('sort', `overdueDays or startedAt, '-' for descending (default ${ALERT_DEFAULT_SORT})`, {
            enum: ALERT_SORTS,
          }),
          q('limit', `Alerts per page (default ${ALERT_DEFAULT_LIMIT})`, {
            type: 'integer',
            minimum: 1,
            maximum: ALERT_MAX_LIMIT,
          }),
          q('offset', 'Alerts to skip in the sort order (default 0)', { type: 'integer', minimum: 0 }),
        ],
        responses: {
          '200': { description: 'One page of the active alerts', content: json(ref('AlertPage')) },
          ...errors,
          ...unavailable(trailFailure),
        },
      },
    },
    '/alerts/stream': {
      get: {
        summary: 'Server-Sent Events: alert-raised / alert-cleared (monitor)',
        description:
          'Each message is `event: alert-raised|alert-cleared` with `data:` the alert as JSON plus `at`. Comment lines are heartbeats. A stream that falls more than 1 MiB behind gets a final `event: reset` (reconnect and reload GET /alerts) and is ended. The filters are those of GET /alerts; with scope=subtree the centers under the center are those of the directory in force at each alert. Applied by key to GET /alerts read at (re)connection, the messages give GET /alerts with the same filters after every change: an active alert leaving the filters (a complaint reassigned, a center moved out of the subtree) is told as alert-cleared, one joining them as alert-raised.',
        parameters: alertFilters,
        responses: {
          '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...errors,
          '429': errorResponse(
            'This token already holds 10 alert streams, or more than RATE_LIMIT_PER_SECOND requests',
          ),
          ...unavailable(tooManyStreams, trailFailure),
        },
      },
    },
    ...listPaths,
    '/stats': {
      get: {
        summary: 'KPIs of SPEC §5 for [from, to) (monitor)',
        parameters: [
          q('from', 'First date, YYYY-MM-DD', { type: 'string', format: 'date' }, true),
          q('to', 'Date after the last one, YYYY-MM-DD', { type: 'string', format: 'date' }, true),
          q('centerId', 'Only this center (with scope=subtree: and the centers under it)'),
          scopeQ('center'),
          q('departmentId', 'Only this department'),
          q('groupBy', 'Break down by (complaint figures per group for center and department only)', {
            enum: GROUP_BY,
          }),
        ],
        responses: { '200': { description: 'The figures', content: json(ref('Stats')) }, ...errors, ...storeReadDown },
      },
    },
    '/reports/monthly': {
      get: {
        summary:
          'Monthly report (monitor): 同比/环比 with growth, the category split, centers ranked, departments, cards, complaints and ratings (SPEC §8, with 同比/环比 and per department), summary; Accept: text/csv gives every section with Chinese headers',
        parameters: [
          q('month', 'YYYY-MM, 1971-01 or later; default the latest month with data', {
            type: 'string',
            pattern: '^[0-9]{4}-[0-9]{2}$',
          }),
          q('centerId', "This center's report: by default with the centers under it (scope)"),
          scopeQ('subtree'),
        ],
        responses: {
          '200': {
            description: 'The report',
            content: { ...json(ref('MonthlyReport')), 'text/csv': { schema: { type: 'string' } } },
          },
          ...errors,
          ...storeReadDown,
        },
      },
    },
    '/calendar/{year}': {
      get: {
        summary:
          "A year's holidays and make-up working days with the calendar's version; with asKnownAt, as the notices recorded by then made it (monitor, auditor)",
        parameters: [
          p('year', 'Four-digit year', { type: 'string', pattern: '^[0-9]{4}$' }),
          q(
            'asKnownAt',
            'ISO-8601 instant with offset, not after now: the year as published by then, with that version (SPEC §3)',
            { type: 'string', format: 'date-time' },
          ),
        ],
        responses: {
          '200': { description: 'The year', content: json(ref('CalendarYear')) },
          ...errors,
          '404': errorResponse('Year not covered'),
          ...storeReadDown,
        },
      },
      put: {
        summary:
          "Publish or correct a year's whole notice (admin), including its days in the previous December; every holiday the law fixes must be listed and make-up days are weekends; answers once the projections applied it, with `changes` against the days in force before",
        parameters: [
          p(
            'year',
            `Four-digit year, ${PUBLISHABLE_YEARS.first}–${PUBLISHABLE_YEARS.last} (the years whose holiday law and lunar dates can check a notice)`,
            {
              type: 'string',
              pattern: '^[0-9]{4}$',
            },
          ),
        ],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['holidays', 'workdays'],
            properties: {
              holidays: { type: 'array', items: { type: 'string', format: 'date' } },
              workdays: {
                type: 'array',
                items: { type: 'string', format: 'date' },
                description: 'Make-up working days (调休上班)',
              },
              region: { type: 'string' },
              note: { type: 'string' },
            },
          }),
        },
        responses: {
          '200': { description: 'The year with its new version', content: json(ref('CalendarYear')) },
          ...errors,
          ...bodyTooLarge,
          '409': errorResponse(
            'Another API node recorded a notice after this one read the calendar: nothing recorded; read the year and send again',
          ),
          ...storeDown,
        },
      },
    },
    '/directory': {
      get: {
        summary:
          'The directory of centers and departments in force; with asKnownAt, the publication the store had recorded by then, with its version (monitor, auditor)',
        parameters: [
          q(
            'asKnownAt',
            'ISO-8601 instant with offset, not after now: the directory as published by then, with that version and publishedAt (version 0, no centers or departments, before any) — the one whose names and regions a read as known at that instant used (SPEC §3)',
            { type: 'string', format: 'date-time' },
          ),
        ],
        responses: { '200': { description: 'The directory', content: json(ref('DirectoryView')) }, ...errors },
      },
      put: {
        summary:
          'Publish the whole directory (admin), recorded as a DirectoryPublished event on directory-CN; answers once the projections applied it. The directory in force sent again records nothing and answers 200 `unchanged: true`, whatever version If-Match or `version` names (a retry after a lost answer)',
        parameters: [
          ifMatchHeader(
            'The directory version the change was made from (0 before any); 409 when another is in force and the body differs from it',
          ),
        ],
        requestBody: { required: true, content: json(ref('Directory')) },
        responses: {
          '200': { description: 'The directory with its new version', content: json(ref('DirectoryView')) },
          ...errors,
          ...bodyTooLarge,
          '409': errorResponse(
            'If-Match (or `version`) names a version that is not in force, and the body is not the directory in force',
          ),
          ...storeDown,
        },
      },
    },
    ...policyPaths,
    ...opsPaths,
    ...complaintPaths,
  }),
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      ...listSchemas,
      ...responseSchemas,
      ...eventSchemas,
      ...complaintSchemas,
      ...policySchemas,
      ...startingSchemas,
      Directory: {
        type: 'object',
        additionalProperties: false,
        required: ['centers', 'departments'],
        properties: {
          ...directoryLists,
          version: {
            type: 'integer',
            minimum: 0,
            description: 'Optional: the version edited (as GET answered it), checked like If-Match',
          },
          publishedAt: { type: 'string', description: 'Ignored (a GET answer may be sent back edited)' },
        },
      },
      DirectoryView: {
        type: 'object',
        required: ['version', 'centers', 'departments'],
        properties: {
          version: {
            type: 'integer',
            description: '1 for the first publication, one more per publication; 0 before any',
          },
          publishedAt: { type: 'string', description: 'ISO-8601 instant of the publication in force' },
          ...directoryLists,
          position: { type: 'string', description: 'PUT only: the store position of the publication' },
          unchanged: { type: 'boolean', description: 'PUT only: the same directory was already in force' },
          asKnownAt: {
            type: 'string',
            description: "GET with asKnownAt only: the instant asked, in the deployment zone's offset",
          },
        },
      },
    },
  },
} as const;
