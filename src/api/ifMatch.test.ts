/**
 * If-Match as the writes take it (parseIfMatch) and as OpenAPI documents it:
 * every write's header schema accepts exactly the values the parser takes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';
import { parseIfMatch } from './validation.js';

const parses = (value: string): boolean => {
  try {
    parseIfMatch(value);
    return true;
  } catch {
    return false;
  }
};

type Operation = { parameters?: readonly { name: string; in: string; schema: { pattern?: string } }[] };
const documented = (path: string, method: 'post' | 'put'): RegExp => {
  const operation = (openApiDocument.paths as Record<string, Record<string, Operation>>)[path]?.[method];
  const header = operation?.parameters?.find((x) => x.in === 'header' && x.name === 'If-Match');
  if (header?.schema.pattern === undefined) throw new Error(`${method} ${path}: no If-Match pattern`);
  return new RegExp(header.schema.pattern);
};

const WRITES = [
  ['/cases/{caseId}/events', 'post'],
  ['/complaints/{complaintId}/events', 'post'],
  ['/directory', 'put'],
] as const;

describe('If-Match', () => {
  it('takes a revision bare or as a strong tag, and refuses anything else with 400 naming it', () => {
    expect(['3', '"3"', ' 0 ', '123456789012345'].map((v) => parseIfMatch(v))).toEqual([3, 3, 0, 123456789012345]);
    // A weak tag never matches under If-Match's strong comparison; a half-quoted one is not a tag (session 13).
    for (const bad of ['', '-1', '1.5', '"x"', '*', '1234567890123456', '3, 4', 'W/"3"', '"1', '1"', '"0001"', '01'])
      expect(() => parseIfMatch(bad), bad).toThrow(/If-Match/);
  });

  it.each(WRITES)('%s %s documents exactly what the server takes', (path, method) => {
    const pattern = documented(path, method);
    const value = fc.oneof(
      fc.string({ maxLength: 24 }),
      fc
        .tuple(
          fc.constantFrom('', ' ', 'W/'),
          fc.constantFrom('', '"'),
          fc.stringMatching(/^\d{1,17}$/),
          fc.constantFrom('', '"', ' '),
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(fc.property(value, (v) => pattern.test(v) === parses(v)));
  });
});
