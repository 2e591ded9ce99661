/** Small pieces of JSON Schema the response schemas are built from. */
import type { JsonSchema } from './fromCodec.js';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const str = { type: 'string' };
export const int = { type: 'integer' };
export const instant = { type: 'string', format: 'date-time' };
export const date = { type: 'string', format: 'date' };
export const rate = { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'null when the base is 0' };
export const closed = (
  required: string[],
  properties: Record<string, unknown>,
  extra: JsonSchema = {},
): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
  ...extra,
});
export const list = (items: unknown) => ({ type: 'array', items });
