/**
 * A calendar or directory publication is stored, but the read models do not
 * apply it in the time allowed: the answer is 503 projection-timeout naming
 * what is stored and where, and the event is in the store (a retry of the read
 * sees it once applied).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadModels } from '../../src/projections/index.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

/** Read models that never catch up with a position; anything else they are asked is a failure of the test. */
const neverApplying = async (): Promise<{ readModels: ReadModels; stop(): Promise<void> }> => {
  const readModels = new Proxy(
    {},
    {
      get: (_target, name) =>
        name === 'waitForPosition'
          ? async () => false
          : () => {
              throw new Error(`read models: ${String(name)} was not expected`);
            },
    },
  ) as ReadModels;
  return { readModels, stop: async () => {} };
};

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

describe('a publication stored but not applied in time', () => {
  it('PUT /calendar/{year}: 503 projection-timeout naming the year and the position; the publication is stored', async () => {
    srv = await startTestServer({ readModels: neverApplying });
    const head = await srv.store.headPosition();
    const put = await call(srv.baseUrl, 'PUT', '/calendar/2025', {
      token: TOKENS.admin,
      body: { region: 'xj', holidays: ['2025-06-06'], workdays: [] }, // a regional day: no whole notice needed
    });
    expect(put.status, JSON.stringify(put.body)).toBe(503);
    const position = await srv.store.headPosition();
    expect(position).toBe(head + 1n);
    expect(put.body.error).toEqual({
      code: 'projection-timeout',
      message: `the publication of 2025 is stored (position ${position}) but not yet applied; read it again shortly`,
    });
  });

  it('PUT /directory: 503 projection-timeout naming the position; the directory is stored', async () => {
    srv = await startTestServer({ readModels: neverApplying });
    const head = await srv.store.headPosition();
    const put = await call(srv.baseUrl, 'PUT', '/directory', {
      token: TOKENS.admin,
      body: {
        centers: [{ centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district' }],
        departments: [],
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(503);
    const position = await srv.store.headPosition();
    expect(position).toBe(head + 1n);
    expect(put.body.error).toEqual({
      code: 'projection-timeout',
      message: `the directory is stored (position ${position}) but not yet applied; read it again shortly`,
    });
  });
});
