/**
 * OpenAPI 3.1 description of the HTTP API. A test checks that every route the
 * express app registers is described here and vice versa.
 */
import {
  CARD_COLORS,
  CARD_RULES,
  CASE_ID_DESCRIPTION,
  CASE_ID_PATTERN,
  CASE_KINDS,
  CATEGORIES,
  CHANNELS,
  ESCALATION_LEVELS,
  EVENT_TYPES,
  OUTCOMES,
  PAUSE_REASONS,
} from '../domain/lists.js';
import { CENTER_LEVELS, MAX_CENTERS, MAX_DEPARTMENTS, MAX_NAME_LENGTH } from '../domain/directory.js';
import { GROUP_BY } from './routes/stats.js';

import { listPaths, listSchemas } from './openapiLists.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

const errors = {
  '400': errorResponse('Malformed or invalid request; `details` names the bad field'),
  '401': errorResponse('Missing or unknown bearer token'),
  '403': errorResponse("The token's role (or a recorder's centers) does not allow this"),
  '429': errorResponse('More than RATE_LIMIT_PER_SECOND requests in one second with this token (rate-limited)'),
};
const storeDown = { '503': errorResponse('The event store is unavailable; nothing was written') };

const q = (
  name: string,
  description: string,
  schema: Record<string, unknown> = { type: 'string' },
  required = false,
) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
const p = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

const caseIdSchema = { type: 'string', pattern: `^${CASE_ID_PATTERN}$` };
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
  q('centerId', 'Only alerts of this center'),
  q('departmentId', 'Only alerts of this department'),
  q('color', 'Only this colour', { enum: CARD_COLORS }),
  q('rule', 'Only this rule', { enum: CARD_RULES }),
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
      'monitor (alerts, stats, reports, calendar read, case read, directory read), auditor (case read and history, directory read), admin (everything).',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/cases/{caseId}/events': {
      post: {
        summary: 'Append one event to a case (recorder)',
        parameters: [
          caseIdParam,
          {
            name: 'If-Match',
            in: 'header',
            required: false,
            description: 'Expected stream revision of the case before this event',
            schema: { type: 'string', pattern: '^"?[0-9]+"?$' },
          },
        ],
        requestBody: { required: true, content: json(ref('CaseEventBody')) },
        responses: {
          '201': { description: 'Appended', content: json(ref('AppendResult')) },
          '200': {
            description: 'The eventId was already stored: the original result',
            content: json(ref('AppendResult')),
          },
          ...errors,
          '409': errorResponse('Transition not allowed, or If-Match revision conflict'),
          '413': errorResponse('Body larger than 1 MB'),
          '422': errorResponse('occurredAt before the case’s last event or more than 5 minutes in the future'),
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
          '413': errorResponse('Body larger than 1 MB'),
        },
      },
    },
    '/cases/{caseId}': {
      get: {
        summary: 'The case evaluated at asOf, as known at asKnownAt (auditor, monitor)',
        parameters: [caseIdParam, asOfParam, asKnownAtParam],
        responses: {
          '200': { description: 'The evaluation', content: json(ref('CaseEvaluation')) },
          ...errors,
          '404': errorResponse('Unknown case'),
          '503': errorResponse('The access trail cannot be written; a read that must be recorded is refused'),
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
          '503': errorResponse('The access trail cannot be written; a read that must be recorded is refused'),
        },
      },
    },
    '/alerts': {
      get: {
        summary: 'Alerts active now (monitor)',
        parameters: alertFilters,
        responses: {
          '200': {
            description: 'Active alerts',
            content: json({
              type: 'object',
              properties: { count: { type: 'integer' }, alerts: { type: 'array', items: ref('Alert') } },
            }),
          },
          ...errors,
        },
      },
    },
    '/alerts/stream': {
      get: {
        summary: 'Server-Sent Events: alert-raised / alert-cleared (monitor)',
        description:
          'Each message is `event: alert-raised|alert-cleared` with `data:` the alert as JSON plus `at`. Comment lines are heartbeats. A stream that falls more than 1 MiB behind gets a final `event: reset` (reconnect and reload GET /alerts) and is ended.',
        parameters: alertFilters,
        responses: {
          '200': { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...errors,
          '429': errorResponse(
            'This token already holds 10 alert streams, or more than RATE_LIMIT_PER_SECOND requests',
          ),
          '503': errorResponse('Too many open streams (100 in all)'),
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
          q('centerId', 'Only this center'),
          q('departmentId', 'Only this department'),
          q('groupBy', 'Break down by', { enum: GROUP_BY }),
        ],
        responses: { '200': { description: 'The figures', content: json({ type: 'object' }) }, ...errors },
      },
    },
    '/reports/monthly': {
      get: {
        summary:
          'Monthly report (monitor): 同比/环比 with growth, the category split, centers ranked, departments, cards, summary; Accept: text/csv gives every section with Chinese headers',
        parameters: [
          q('month', 'YYYY-MM; default the latest month with data', { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' }),
          q('centerId', 'Only this center'),
        ],
        responses: {
          '200': {
            description: 'The report',
            content: { ...json({ type: 'object' }), 'text/csv': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    },
    '/calendar/{year}': {
      get: {
        summary: "A year's holidays and make-up working days (monitor)",
        parameters: [p('year', 'Four-digit year', { type: 'string', pattern: '^[0-9]{4}$' })],
        responses: {
          '200': { description: 'The year', content: json(ref('CalendarYear')) },
          ...errors,
          '404': errorResponse('Year not covered'),
        },
      },
      put: {
        summary:
          "Publish or correct a year's whole notice (admin), including its days in the previous December; every holiday the law fixes must be listed and make-up days are weekends; answers once the projections applied it, with `changes` against the days in force before",
        parameters: [p('year', 'Four-digit year', { type: 'string', pattern: '^[0-9]{4}$' })],
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
          ...storeDown,
        },
      },
    },
    '/directory': {
      get: {
        summary: 'The directory of centers and departments in force (monitor, auditor)',
        responses: { '200': { description: 'The directory', content: json(ref('DirectoryView')) }, ...errors },
      },
      put: {
        summary:
          'Publish the whole directory (admin), recorded as a DirectoryPublished event on directory-CN; answers once the projections applied it. The same directory again records nothing (`unchanged: true`)',
        parameters: [
          {
            name: 'If-Match',
            in: 'header',
            required: false,
            description: 'The directory version the change was made from (0 before any); 409 when another is in force',
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: json(ref('Directory')) },
        responses: {
          '200': { description: 'The directory with its new version', content: json(ref('DirectoryView')) },
          ...errors,
          '409': errorResponse('If-Match names a version that is not in force'),
          ...storeDown,
        },
      },
    },
    '/healthz': {
      get: {
        summary: 'Alive',
        security: [],
        responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
      },
    },
    '/readyz': {
      get: {
        summary: 'Ready once projections caught up and the store answers',
        security: [],
        responses: {
          '200': { description: 'ready', content: json({ type: 'object' }) },
          '503': { description: 'not ready', content: json({ type: 'object' }) },
        },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus exposition (any token; none needed from loopback)',
        security: [{ bearer: [] }, {}],
        responses: {
          '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
          '401': errorResponse('Token needed'),
        },
      },
    },
    '/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      ...listSchemas,
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
          },
        },
      },
      CaseEvent: {
        type: 'object',
        required: ['type', 'caseId', 'occurredAt'],
        description: `One of ${EVENT_TYPES.join(', ')} (SPEC §2)`,
        properties: {
          type: { enum: EVENT_TYPES },
          caseId: caseIdSchema,
          kind: { enum: CASE_KINDS, description: 'CaseAccepted' },
          channel: { enum: CHANNELS, description: 'CaseAccepted' },
          category: { enum: CATEGORIES, description: 'CaseAccepted (optional)' },
          reason: {
            anyOf: [{ enum: PAUSE_REASONS }, { type: 'string', minLength: 1, maxLength: 2000 }],
            description: 'CasePaused: one of the pause reasons; CaseExtended: the reason given for the extension',
          },
          level: { enum: ESCALATION_LEVELS, description: 'CaseEscalated' },
          outcome: { enum: OUTCOMES, description: 'CaseCompleted' },
          escalationId: {
            ...caseIdSchema,
            description:
              'CaseEscalated (optional, unique within the case; default e<n>) and CaseEscalationAnswered (required)',
          },
          days: { type: 'integer', minimum: 1, maximum: 30, description: 'CaseExtended: working days added' },
          approvedBy: { type: 'string', minLength: 1, maxLength: 200, description: 'CaseExtended' },
          by: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            description: 'CaseEscalated; CaseEscalationAnswered (optional)',
          },
          note: { type: 'string', minLength: 1, maxLength: 2000 },
          eventId: { type: 'string', format: 'uuid' },
          occurredAt: { type: 'string', format: 'date-time' },
          actor: { type: 'string' },
        },
        additionalProperties: true,
      },
      CaseEventBody: {
        description: 'A CaseEvent; caseId may be omitted (taken from the path) or must equal it',
        allOf: [ref('CaseEvent')],
      },
      AppendResult: {
        type: 'object',
        required: ['caseId', 'revision', 'position', 'eventId'],
        properties: {
          caseId: { type: 'string' },
          revision: { type: 'integer', minimum: 0 },
          position: { type: 'string', description: 'Global commit position (decimal string)' },
          eventId: { type: 'string', format: 'uuid' },
        },
      },
      BatchResults: {
        type: 'object',
        properties: {
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['eventId', 'caseId', 'status'],
              properties: {
                eventId: {
                  type: ['string', 'null'],
                  description: 'null only on a 400 row sent without a usable eventId',
                },
                caseId: {
                  type: ['string', 'null'],
                  description: 'null only on a 400 row sent without a usable caseId',
                },
                status: {
                  type: 'integer',
                  description: '201 appended, 200 duplicate eventId, 400/403/409/422/503 rejected',
                },
                revision: { type: 'integer' },
                position: { type: 'string', description: "The event's own global position (decimal string)" },
                error: {
                  type: 'object',
                  properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
                },
              },
            },
          },
        },
      },
      CaseEvaluation: {
        type: 'object',
        description:
          'SPEC §4 GET /cases/{caseId}: status, fields, deadlineDate, dueAt, usedDays, remainingDays, overdueDays, pauses, escalations, completedAt, onTime, early, cards, calendarVersion, policyVersion',
      },
      CaseHistory: {
        type: 'object',
        properties: {
          caseId: { type: 'string' },
          asOf: { type: 'string' },
          asKnownAt: { type: 'string' },
          limit: { type: 'integer' },
          next: { type: ['integer', 'null'], description: 'The revision to pass as after; null on the last page' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              properties: { kind: { enum: ['event', 'card-raised', 'card-cleared'] }, at: { type: 'string' } },
            },
          },
          current: { ...ref('CaseEvaluation'), description: 'On the first page only' },
        },
      },
      Alert: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          caseId: { type: 'string' },
          rule: { enum: CARD_RULES },
          color: { enum: CARD_COLORS },
          centerId: { type: 'string' },
          departmentId: { type: 'string' },
          startedAt: { type: 'string' },
        },
      },
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
        },
      },
      CalendarYear: {
        type: 'object',
        properties: {
          year: { type: 'integer' },
          holidays: { type: 'array', items: { type: 'string' } },
          workdays: { type: 'array', items: { type: 'string' } },
          status: { enum: ['published', 'predicted'] },
          source: { enum: ['chinese-days', 'published', 'predicted'] },
          provisional: { type: 'boolean' },
          predictedFrom: { type: 'string', description: 'For a predicted year: the law its holidays come from' },
          assumedHolidays: {
            type: 'array',
            items: { type: 'object', properties: { date: { type: 'string' }, name: { type: 'string' } } },
          },
          changes: {
            type: 'object',
            description: 'PUT only: the days the notice added and removed',
            properties: {
              holidaysAdded: { type: 'array', items: { type: 'string' } },
              holidaysRemoved: { type: 'array', items: { type: 'string' } },
              workdaysAdded: { type: 'array', items: { type: 'string' } },
              workdaysRemoved: { type: 'array', items: { type: 'string' } },
            },
          },
          version: { type: 'string' },
        },
      },
    },
  },
} as const;
