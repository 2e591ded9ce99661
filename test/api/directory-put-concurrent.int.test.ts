/**
 * The same directory sent twice at once (the directory form submitted twice, a client retrying
 * before the first answer) is one publication: the second waits for the first and answers
 * `unchanged`, as it does when sent after it, instead of 409 against itself.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIRECTORY_STREAM_ID } from '../../src/projections/directoryEvents.js';
import { networkedStore } from '../support/networkedStore.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

const NOW = '2026-11-20T10:00:00+08:00';
let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: NOW, store: networkedStore(() => Date.parse(NOW)) });
});
afterEach(async () => {
  await srv.close();
});

const directory = (name: string) => ({
  centers: [{ centerId: 'district-wuhua', name, level: 'district' }],
  departments: [],
});
const put = (body: unknown) => call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body });

async function publications(): Promise<number> {
  let count = 0;
  for await (const _ of srv.store.readStream(DIRECTORY_STREAM_ID)) count++;
  return count;
}

describe('PUT /directory sent twice at once', () => {
  it('records the directory once; the second answer is `unchanged`', async () => {
    const body = { ...directory('五华区政务服务中心'), version: 0 };
    const answers = await Promise.all([put(body), put(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.unchanged === true).sort()).toEqual([false, true]);
    expect(await publications()).toBe(1);
  });

  it('of two different directories edited from one version, records the first and refuses the second 409', async () => {
    const answers = await Promise.all([
      put({ ...directory('五华区政务服务中心'), version: 0 }),
      put({ ...directory('五华区政务服务大厅'), version: 0 }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 409]);
    expect(answers[1]!.body.error.code).toBe('revision-conflict');
    expect(await publications()).toBe(1);
  });
});
