/**
 * JSON Schema (OpenAPI 3.1) read from the io-ts codecs of the case events, so
 * the document says exactly what the decoder accepts: exact codecs give
 * `additionalProperties: false`, `t.type` fields are required, `t.partial` ones
 * optional, `t.keyof` lists become enums. Each brand (a refinement) is
 * translated by name; a brand without a translation is documented as its base
 * type and recorded in `undescribedBrands`, which the OpenAPI test requires to
 * be empty (a new brand cannot go undocumented unnoticed, nor stop the engine).
 */
import type * as t from 'io-ts';
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
  RatingScore: { type: 'integer', minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意; ≤ 2 is a 差评' },
  String1to200: { type: 'string', minLength: 1, maxLength: 200 },
  String1to2000: { type: 'string', minLength: 1, maxLength: 2000 },
};

/**
 * Dispatches on io-ts's own `_tag` rather than `instanceof`: under some loaders
 * (tsx) io-ts's classes are not all one identity (a PartialType failed
 * `instanceof t.PartialType` there), and `_tag` is io-ts's documented discriminant.
 */
/** Brands met without a translation in BRANDS (test/api/openapi.int.test.ts expects none). */
export const undescribedBrands = new Set<string>();

export function schemaOf(codec: t.Mixed): JsonSchema {
  // biome-ignore lint/suspicious/noExplicitAny: io-ts codecs are read by their tag
  const c = codec as any;
  switch (c._tag) {
    case 'ExactType':
      return { ...schemaOf(c.type), additionalProperties: false };
    case 'IntersectionType': {
      const parts = (c.types as t.Mixed[]).map(schemaOf);
      const properties = Object.assign({}, ...parts.map((p) => p['properties'] ?? {}));
      const required = parts.flatMap((p) => (p['required'] as string[] | undefined) ?? []);
      return { type: 'object', required, properties };
    }
    case 'InterfaceType': {
      const props = c.props as Record<string, t.Mixed>;
      return { type: 'object', required: Object.keys(props), properties: mapValues(props, schemaOf) };
    }
    case 'PartialType':
      return { type: 'object', properties: mapValues(c.props as Record<string, t.Mixed>, schemaOf) };
    case 'LiteralType':
      return { const: c.value };
    case 'KeyofType':
      return { enum: Object.keys(c.keys as object) };
    case 'RefinementType': {
      const known = BRANDS[c.name as string];
      if (known !== undefined) return known;
      // Not a reason to stop the engine: the base type, said plainly; the OpenAPI test fails on any such brand.
      undescribedBrands.add(String(c.name));
      return { ...schemaOf(c.type), description: `${c.name}: a constraint this document does not describe yet` };
    }
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    default:
      throw new Error(`OpenAPI: no JSON Schema for the codec ${String(c?.name ?? c)}`);
  }
}

function mapValues<A, B>(o: Record<string, A>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}
