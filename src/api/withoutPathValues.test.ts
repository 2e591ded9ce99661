/** The last handler's log of a 500 names no path value (operations review, session 24). */
import { describe, expect, it } from 'vitest';
import { withoutPathValues } from './errors.js';

const req = (routePath: string, path: string) => ({ baseUrl: '', route: { path: routePath }, path });

describe('withoutPathValues', () => {
  it('replaces a case id, as given and percent-encoded, by its parameter name', () => {
    const text = 'Error: case 中-1 has no acceptance (case-%E4%B8%AD-1)\n    at x (/src/a.ts:12:3)';
    expect(withoutPathValues(text, req('/cases/:caseId/history', '/cases/%E4%B8%AD-1/history'))).toBe(
      'Error: case :caseId has no acceptance (case-:caseId)\n    at x (/src/a.ts:12:3)',
    );
  });

  it('leaves longer ids and the stack around a short id whole', () => {
    const text = 'Error: 12 and 123 and A12 and 12.5\n    at x (/src/a.ts:12:3)';
    expect(withoutPathValues(text, req('/cases/:caseId', '/cases/12'))).toBe(
      'Error: :caseId and 123 and A12 and 12.5\n    at x (/src/a.ts:12:3)',
    );
  });

  it('leaves the text alone for a request no route matched', () => {
    expect(withoutPathValues('Error: X-1', { path: '/nowhere/X-1' })).toBe('Error: X-1');
  });
});
