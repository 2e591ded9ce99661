/** A region's notice for a year can be corrected and withdrawn (SPEC §3: "publish or correct a year"). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { applyCalendarPublication } from '../../src/projections/calendarEvents.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer({ now: '2026-11-20T10:00:00+08:00' });
});
afterEach(async () => {
  await srv.close();
});

const put = (body: unknown) => call(srv.baseUrl, 'PUT', '/calendar/2026', { token: TOKENS.admin, body });
const regional = async () =>
  ((await call(srv.baseUrl, 'GET', '/calendar/2026', { token: TOKENS.admin })).body.regional as { date: string }[]).map(
    (r) => r.date,
  );

describe('a regional notice', () => {
  it("replaces the region's days of the year: a day corrected, then every day withdrawn, each change named", async () => {
    const first = await put({ region: 'xj', holidays: ['2026-11-30'], workdays: [] });
    expect(first.status, first.text).toBe(200);
    expect(first.body.changes).toEqual({
      holidaysAdded: ['2026-11-30'],
      holidaysRemoved: [],
      workdaysAdded: [],
      workdaysRemoved: [],
    });
    // Before: both days stayed, and nothing could remove 11-30.
    const corrected = await put({ region: 'xj', holidays: ['2026-12-03'], workdays: [], note: '更正' });
    expect(corrected.body.changes).toMatchObject({ holidaysAdded: ['2026-12-03'], holidaysRemoved: ['2026-11-30'] });
    expect(await regional()).toEqual(['2026-12-03']);
    const other = await put({ region: 'yn', holidays: ['2026-12-04'], workdays: [] });
    expect(other.status).toBe(200);
    const withdrawn = await put({ region: 'xj', holidays: [], workdays: [], note: '撤销' });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.changes).toMatchObject({ holidaysRemoved: ['2026-12-03'] });
    expect(await regional()).toEqual(['2026-12-04']); // the other region's day stays
    // Nothing left to withdraw: refused, nothing recorded.
    const again = await put({ region: 'xj', holidays: [], workdays: [] });
    expect([again.status, again.body.error.details[0].field]).toEqual([400, 'holidays']);
  });

  it("a December day of next year's regional notice stays when this year's notice is corrected", async () => {
    const next = await call(srv.baseUrl, 'PUT', '/calendar/2027', {
      token: TOKENS.admin,
      body: { region: 'xj', holidays: ['2026-12-31'], workdays: [] },
    });
    expect(next.status, next.text).toBe(200);
    expect((await put({ region: 'xj', holidays: ['2026-11-30'], workdays: [] })).status).toBe(200);
    const corrected = await put({ region: 'xj', holidays: ['2026-12-03'], workdays: [] });
    expect(corrected.body.changes).toMatchObject({ holidaysAdded: ['2026-12-03'], holidaysRemoved: ['2026-11-30'] });
    expect(await regional()).toEqual(['2026-12-03', '2026-12-31']);
  });

  it('recorded before session 14 (no `replaces`), it adds its days, as it did when it was recorded', () => {
    const service = createCalendarService('Asia/Shanghai');
    const notice = (holidays: string[]) => ({
      year: 2026,
      holidays,
      workdays: [],
      region: 'xj',
      publishedAt: '2026-11-20T10:00:00+08:00',
    });
    expect(applyCalendarPublication(service, notice(['2026-11-30']))).toBe(true);
    expect(applyCalendarPublication(service, notice(['2026-12-03']))).toBe(true);
    expect(service.regionalDaysOf(2026, 'xj').holidays).toHaveLength(2);
    expect(applyCalendarPublication(service, { ...notice(['2026-12-03']), replaces: true })).toBe(true);
    expect(service.regionalDaysOf(2026, 'xj').holidays).toHaveLength(1);
  });

  it('for a region no center of the directory is in: recorded, with a warning naming the regions there are', async () => {
    const dir = await call(srv.baseUrl, 'PUT', '/directory', {
      token: TOKENS.admin,
      body: {
        centers: [{ centerId: 'YJ', name: '延吉市政务服务中心', level: 'city', region: 'YB' }],
        departments: [],
      },
    });
    expect(dir.status, dir.text).toBe(200);
    // Before: 200 and nothing said, though `yb` (for `YB`) applies to no case.
    const typo = await put({ region: 'yb', holidays: ['2026-09-03'], workdays: [] });
    expect(typo.status).toBe(200);
    expect(typo.body.warnings).toEqual([
      'no center of the directory is in region yb: its days apply to no case until one is (regions of the directory: YB)',
    ]);
    const meant = await put({ region: 'YB', holidays: ['2026-09-03'], workdays: [] });
    expect(meant.status).toBe(200);
    expect(meant.body).not.toHaveProperty('warnings');
  });
});
