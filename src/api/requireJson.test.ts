import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import type { ApiError } from './errors.js';
import { requireJson } from './validation.js';

/** requireJson over a request whose `is` answers as express's does for it. */
const refusal = (is: string | false | null): ApiError | undefined => {
  try {
    requireJson({ is: () => is } as unknown as Request, {} as Response, () => {});
    return undefined;
  } catch (e) {
    return e as ApiError;
  }
};

describe('requireJson', () => {
  it('says a request with no body is empty, not that its declared JSON is not JSON', () => {
    expect(refusal(null)).toMatchObject({ status: 400, code: 'bad-request-body' });
    expect(refusal(false)).toMatchObject({ status: 400, code: 'unsupported-content-type' });
    expect(refusal('application/json')).toBeUndefined();
  });
});
