import { describe, expect, it } from 'vitest';
import { errorBody, visible } from './errors.js';

describe('error messages', () => {
  it('quote control and bidirectional-formatting characters as \\uXXXX, leaving other text as it is', () => {
    // A refused region name holding U+202E (right-to-left override) came back raw in the message.
    expect(visible('region "x\u202Egnp.exe" is not known')).toBe('region "x\\u202egnp.exe" is not known');
    expect(visible('a\u0000b\u001bc\u2066d\u200fe')).toBe('a\\u0000b\\u001bc\\u2066d\\u200fe');
    expect(visible('中心 center-A: 不予受理')).toBe('中心 center-A: 不予受理');
    expect(errorBody('invalid-request', 'x\u202Ey', { field: 'q' })).toEqual({
      error: { code: 'invalid-request', message: 'x\\u202ey', details: { field: 'q' } },
    });
  });
});
