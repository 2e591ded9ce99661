/** Building blocks of the OpenAPI document shared by its parts. */
import { CASE_ID_PATTERN } from '../../domain/lists.js';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ 'application/json': { schema } });
export const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

export const errors = {
  '400': errorResponse('Malformed or invalid request; `details` names the bad field'),
  '401': errorResponse('Missing or unknown bearer token'),
  '403': errorResponse("The token's role (or a recorder's centers) does not allow this"),
  '429': errorResponse('More than RATE_LIMIT_PER_SECOND requests in one second with this token (rate-limited)'),
};
export const storeDown = { '503': errorResponse('The event store is unavailable; nothing was written') };

export const q = (
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
export const p = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

export const caseIdSchema = { type: 'string', pattern: `^${CASE_ID_PATTERN}$` };
