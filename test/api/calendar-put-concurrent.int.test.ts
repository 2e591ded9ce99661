/**
 * The same notice sent twice at once (a form submitted twice, a client retrying before the first
 * answer) is one publication: the second sees the first's and answers `unchanged`, as it does when
 * sent after it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALENDAR_STREAM_ID } from '../../src/projections/calendarEvents.js';
import { networkedStore } from '../support/networkedStore.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({
    now: '2026-11-20T10:00:00+08:00',
    store: networkedStore(() => Date.parse('2026-11-20T10:00:00+08:00')),
  });
});
afterEach(async () => {
  await srv.close();
});

const put = (year: number, body: unknown) =>
  call(srv.baseUrl, 'PUT', `/calendar/${year}`, { token: TOKENS.admin, body });

async function publications(): Promise<number> {
  let count = 0;
  for await (const _ of srv.store.readStream(CALENDAR_STREAM_ID)) count++;
  return count;
}

describe('PUT /calendar/{year} sent twice at once', () => {
  it("records a year's notice once; the second answer is `unchanged`", async () => {
    const predicted = (await call(srv.baseUrl, 'GET', '/calendar/2027', { token: TOKENS.admin })).body;
    const notice = { holidays: predicted.holidays, workdays: ['2027-09-26'] };
    const answers = await Promise.all([put(2027, notice), put(2027, notice)]);
    expect(
      answers.map((a) => a.status),
      answers[0]!.text,
    ).toEqual([200, 200]);
    expect(answers.map((a) => a.body.unchanged === true).sort()).toEqual([false, true]);
    expect(await publications()).toBe(1);
  });

  it("records a region's notice once", async () => {
    const notice = { region: 'xj', holidays: ['2026-11-30'], workdays: [] };
    const answers = await Promise.all([put(2026, notice), put(2026, notice), put(2026, notice)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.unchanged === true)).toHaveLength(2);
    expect(await publications()).toBe(1);
  });

  it('records two different notices for one year in the order they came, the last in force', async () => {
    const [first, second] = await Promise.all([
      put(2026, { region: 'xj', holidays: ['2026-11-30'], workdays: [] }),
      put(2026, { region: 'xj', holidays: ['2026-12-03'], workdays: [] }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.changes).toMatchObject({ holidaysAdded: ['2026-12-03'], holidaysRemoved: ['2026-11-30'] });
    expect(await publications()).toBe(2);
  });
});
