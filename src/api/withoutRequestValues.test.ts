/** The last handler's log of a 500 names no path value (operations review, session 24) nor a personal body value (session 26). */
import { describe, expect, it } from 'vitest';
import { withoutRequestValues } from './errors.js';

const req = (routePath: string, path: string) => ({ baseUrl: '', route: { path: routePath }, path });

describe('withoutRequestValues', () => {
  it('replaces a case id, as given and percent-encoded, by its parameter name', () => {
    const text = 'Error: case 中-1 has no acceptance (case-%E4%B8%AD-1)\n    at x (/src/a.ts:12:3)';
    expect(withoutRequestValues(text, req('/cases/:caseId/history', '/cases/%E4%B8%AD-1/history'))).toBe(
      'Error: case :caseId has no acceptance (case-:caseId)\n    at x (/src/a.ts:12:3)',
    );
  });

  it('leaves longer ids and the stack around a short id whole', () => {
    const text = 'Error: 12 and 123 and A12 and 12.5\n    at x (/src/a.ts:12:3)';
    expect(withoutRequestValues(text, req('/cases/:caseId', '/cases/12'))).toBe(
      'Error: :caseId and 123 and A12 and 12.5\n    at x (/src/a.ts:12:3)',
    );
  });

  it('leaves the text alone for a request no route matched', () => {
    expect(withoutRequestValues('Error: X-1', { path: '/nowhere/X-1' })).toBe('Error: X-1');
  });

  it('replaces the personal fields and ids of the body, of one event or of each row of a batch, by their names', () => {
    const text =
      'Error: cannot encode {"caseId":"K-7","comment":"张三 13800138000\n太慢","actor":"张三"}\n    at x (/src/a.ts:12:3)';
    const one = { comment: '张三 13800138000\n太慢', actor: '张三', caseId: 'K-7', channel: 'sms' };
    expect(withoutRequestValues(text, { path: '/events', body: one })).toBe(
      'Error: cannot encode {"caseId":"<caseId>","comment":"<comment>","actor":"<actor>"}\n    at x (/src/a.ts:12:3)',
    );
    expect(withoutRequestValues(text, { path: '/events', body: { events: [{ caseId: 'K-7' }, one] } })).toBe(
      'Error: cannot encode {"caseId":"<caseId>","comment":"<comment>","actor":"<actor>"}\n    at x (/src/a.ts:12:3)',
    );
  });

  it('leaves the values of the body fields that are codes whole', () => {
    expect(withoutRequestValues('Error: channel sms', { path: '/events', body: { channel: 'sms' } })).toBe(
      'Error: channel sms',
    );
  });
});
