/**
 * OpenAPI for complaints (SPEC §8): `POST /complaints/{complaintId}/events`, the
 * six event bodies read from their io-ts codecs (complaintId optional: taken from
 * the path), and the append result; the reads (list and one complaint) are in
 * complaintReads.ts and exported from here with them.
 */
import { complaintCodecByType } from '../../domain/complaints/events.js';
import { COMPLAINT_EVENT_TYPES, type ComplaintEventType } from '../../domain/complaints/lists.js';
import { CASE_ID_DESCRIPTION } from '../../domain/lists.js';
import {
  caseIdSchema,
  eventBodyTooLarge,
  errorResponse,
  errors,
  ifMatchHeader,
  json,
  ref,
  storeDown,
  complaintStreamDeleted,
} from './common.js';
import { complaintReadPaths, complaintReadSchemas } from './complaintReads.js';
import { schemaOf, type JsonSchema } from './fromCodec.js';

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

export const complaintSchemas: Record<string, JsonSchema> = {
  ...complaintReadSchemas,
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

export const complaintPaths = {
  ...complaintReadPaths,
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
        ifMatchHeader('Expected stream revision of the complaint before this event'),
      ],
      requestBody: { required: true, content: json(ref('ComplaintEventBody')) },
      responses: {
        '201': { description: 'Appended', content: json(ref('ComplaintAppendResult')) },
        '200': {
          description:
            'The eventId was already stored: the original result (a token not of the complaint’s center is answered 403 first)',
          content: json(ref('ComplaintAppendResult')),
        },
        ...errors,
        '404': errorResponse('complaint-not-found: the complaint has no ComplaintReceived yet'),
        '409': errorResponse('Order of SPEC §8 not followed, eventId used by another event, or If-Match conflict'),
        ...eventBodyTooLarge,
        '422': errorResponse('occurredAt before the complaint’s last event or more than 5 minutes in the future'),
        ...complaintStreamDeleted,
        ...storeDown,
      },
    },
  },
};
