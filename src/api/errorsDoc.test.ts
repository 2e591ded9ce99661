/**
 * docs/api.md's table of errors names every code the write sides refuse an
 * event with, under the status the API answers it with (REJECTION_STATUS for
 * cases, COMPLAINT_STATUS for complaints): adding a code without documenting
 * it fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REJECTION_STATUS } from './errors.js';
import { COMPLAINT_STATUS } from './routes/complaints.js';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const errors = doc.slice(doc.indexOf('## Errors'), doc.indexOf('\n## ', doc.indexOf('## Errors') + 1));

/** The codes listed in the table's row for `status` (each in backquotes). */
function codesOf(status: number): string[] {
  const row = errors.split('\n').find((line) => line.startsWith(`| ${status} |`));
  return row === undefined ? [] : [...row.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((m) => m[1]!);
}

describe('docs/api.md errors', () => {
  it.each([
    ...Object.entries(REJECTION_STATUS).map(([code, status]) => ['case', code, status] as const),
    ...Object.entries(COMPLAINT_STATUS).map(([code, status]) => ['complaint', code, status] as const),
  ])('%s code %s is documented under %i', (_side, code, status) => {
    expect(codesOf(status)).toContain(code);
  });
});
