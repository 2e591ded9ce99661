/**
 * JSON Schema (OpenAPI 3.1) read from the io-ts codecs of the case events, so
 * the document says exactly what the decoder accepts: exact codecs give
 * `additionalProperties: false`, `t.type` fields are required, `t.partial` ones
 * optional, `t.keyof` lists become enums. Each brand (a refinement) is
 * translated by name; a brand without a translation throws, so a new one
 * cannot be documented as a bare string by accident.
 */
import * as t from 'io-ts';
import { CASE_ID_PATTERN } from '../../domain/lists.js';
import { MAX_DAYS } from '../../domain/inputBounds.js';

export type JsonSchema = Record<string, unknown>;

const BRANDS: Record<string, JsonSchema> = {
  CaseId: { type: 'string', pattern: `^${CASE_ID_PATTERN}$` },
  EscalationId: { type: 'string', pattern: `^${CASE_ID_PATTERN}$` },
  Uuid: { type: 'string', format: 'uuid' },
  Instant: {
    type: 'string',
    format: 'date-time',
    description: 'ISO-8601 instant with offset (±14:00 at most), in 2000–2100',
  },
  Days: { type: 'integer', minimum: 0, maximum: MAX_DAYS },
  ExtensionDays: { type: 'integer', minimum: 1, maximum: 30 },
  String1to200: { type: 'string', minLength: 1, maxLength: 200 },
  String1to2000: { type: 'string', minLength: 1, maxLength: 2000 },
};

export function schemaOf(codec: t.Mixed): JsonSchema {
  if (codec instanceof t.ExactType) return { ...schemaOf(codec.type), additionalProperties: false };
  if (codec instanceof t.IntersectionType) {
    const parts = (codec.types as t.Mixed[]).map(schemaOf);
    const properties = Object.assign({}, ...parts.map((p) => p['properties'] ?? {}));
    const required = parts.flatMap((p) => (p['required'] as string[] | undefined) ?? []);
    return { type: 'object', required, properties };
  }
  if (codec instanceof t.InterfaceType) {
    const props = codec.props as Record<string, t.Mixed>;
    return { type: 'object', required: Object.keys(props), properties: mapValues(props, schemaOf) };
  }
  if (codec instanceof t.PartialType) {
    return { type: 'object', properties: mapValues(codec.props as Record<string, t.Mixed>, schemaOf) };
  }
  if (codec instanceof t.LiteralType) return { const: codec.value };
  if (codec instanceof t.KeyofType) return { enum: Object.keys(codec.keys as object) };
  if (codec instanceof t.RefinementType) {
    const known = BRANDS[codec.name];
    if (known === undefined) throw new Error(`OpenAPI: no JSON Schema for the brand ${codec.name}; add it to BRANDS`);
    return known;
  }
  if (codec instanceof t.StringType) return { type: 'string' };
  if (codec instanceof t.NumberType) return { type: 'number' };
  if (codec instanceof t.BooleanType) return { type: 'boolean' };
  throw new Error(`OpenAPI: no JSON Schema for the codec ${codec.name}`);
}

function mapValues<A, B>(o: Record<string, A>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
