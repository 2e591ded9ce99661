/**
 * `scope` of a center filter (SPEC §4–§5; domain/directory.ts `centersInScope`): a district's 效能办
 * reports on the district and the centers under it (SPEC §5: the 五华区 report ranks 红云街道). With
 * `scope=subtree`, /stats, /reports/monthly, /cards, /cards/withdrawn, /cases and /complaints count the
 * center and every center below it in the directory (parentId followed down, transitively): counts are
 * the sums of those centers' own, rates recomputed from the sums; /alerts and /alerts/stream show their
 * alerts. `scope=center` (the lists', /alerts' and /stats' default) is the center alone, as before; a
 * center's report defaults to its subtree.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openSse } from '../support/sse.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

const NOW = '2025-12-10T10:00:00+08:00';
const MONTH = '2025-11';
const PERIOD = 'from=2025-11-01&to=2025-12-01';

/** A city, two districts; 五华区 with two streets, one of them with a community (a grandchild). */
const DIRECTORY = {
  centers: [
    { centerId: 'city-kunming', name: '昆明市政务服务中心', level: 'city' },
    { centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district', parentId: 'city-kunming' },
    { centerId: 'street-huashan', name: '华山街道为民服务中心', level: 'street', parentId: 'district-wuhua' },
    { centerId: 'street-huguo', name: '护国街道为民服务中心', level: 'street', parentId: 'district-wuhua' },
    { centerId: 'community-cuihu', name: '翠湖社区服务站', level: 'community', parentId: 'street-huashan' },
    { centerId: 'district-panlong', name: '盘龙区政务服务中心', level: 'district', parentId: 'city-kunming' },
  ],
  departments: [],
};
const WUHUA_TREE = ['community-cuihu', 'district-wuhua', 'street-huashan', 'street-huguo'];
const CENTERS = DIRECTORY.centers.map((c) => c.centerId);

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

const get = async (path: string) => {
  const res = await call(srv!.baseUrl, 'GET', path, { token: TOKENS.monitor });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.body;
};

interface CaseSpec {
  readonly center: number;
  readonly day: number;
  readonly promisedDays: number;
  /** Completed this many days after acceptance (hours later on the same day for 0), or never. */
  readonly doneAfter: number | null;
}
interface ComplaintSpec {
  readonly center: number;
  readonly day: number;
  readonly accepted: boolean;
}

const dayIso = (day: number, hour = 9) =>
  `2025-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const plusDays = (iso: string, days: number, hours = 0) =>
  new Date(Date.parse(iso) + days * 86_400_000 + hours * 3_600_000).toISOString();

async function publishDirectory() {
  const dir = await call(srv!.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body: DIRECTORY });
  expect(dir.status, dir.text).toBe(200);
}

async function seed(cases: readonly CaseSpec[], complaints: readonly ComplaintSpec[], directory = true) {
  srv = await startTestServer({ now: NOW });
  if (directory) await publishDirectory();
  const events: Record<string, unknown>[] = [];
  cases.forEach((c, i) => {
    const caseId = `SC-${i}`;
    const at = dayIso(c.day);
    events.push({
      type: 'CaseAccepted',
      caseId,
      occurredAt: at,
      centerId: CENTERS[c.center],
      departmentId: `dep-${i % 2}`,
      matterCode: 'M-1',
      kind: 'promised',
      promisedDays: c.promisedDays,
      channel: 'window',
      category: i % 3 === 0 ? 'licensing' : 'public-service',
    });
    if (c.doneAfter !== null)
      events.push({
        type: 'CaseCompleted',
        caseId,
        occurredAt: plusDays(at, c.doneAfter, c.doneAfter === 0 ? 2 : 0),
        outcome: 'approved',
      });
  });
  if (events.length > 0) {
    const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
    expect(res.status, res.text).toBe(200);
    for (const r of res.body.results) expect(r.status, JSON.stringify(r)).toBe(201);
  }
  for (const [i, q] of complaints.entries()) {
    const post = async (type: string, occurredAt: string, extra: Record<string, unknown> = {}) => {
      const res = await call(srv!.baseUrl, 'POST', `/complaints/SQ-${i}/events`, {
        token: TOKENS.recorder,
        body: { type, occurredAt, ...extra },
      });
      expect(res.status, res.text).toBe(201);
    };
    await post('ComplaintReceived', dayIso(q.day), {
      channel: 'hotline',
      centerId: CENTERS[q.center],
      subject: '窗口推诿',
    });
    if (q.accepted) await post('ComplaintAccepted', dayIso(q.day, 11));
  }
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
}

const caseSpec = fc.record({
  center: fc.integer({ min: 0, max: CENTERS.length - 1 }),
  day: fc.integer({ min: 1, max: 25 }),
  promisedDays: fc.integer({ min: 1, max: 5 }),
  doneAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
});
const complaintSpec = fc.record({
  center: fc.integer({ min: 0, max: CENTERS.length - 1 }),
  day: fc.integer({ min: 1, max: 25 }),
  accepted: fc.boolean(),
});

type Kpis = {
  cohort: Record<string, number | null>;
  flow: Record<string, unknown> & { cardsTotal: number };
};

/** The counts of several centers' figures added up, and the rates /stats computes from them. */
function merged(parts: readonly Kpis[]) {
  const sum = (pick: (k: Kpis) => number) => parts.reduce((n, k) => n + pick(k), 0);
  const c = (f: string) => sum((k) => k.cohort[f] as number);
  const fl = (f: string) => sum((k) => k.flow[f] as number);
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    cohort: {
      accepted: c('accepted'),
      completed: c('completed'),
      inProgress: c('inProgress'),
      completedSameDay: c('completedSameDay'),
      completionRate: ratio(c('completed'), c('accepted')),
      instantCompletionRate: ratio(c('completedSameDay'), c('accepted')),
    },
    flow: {
      completedInPeriod: fl('completedInPeriod'),
      onTime: fl('onTime'),
      late: fl('late'),
      openAtEnd: fl('openAtEnd'),
      overdueOpenAtEnd: fl('overdueOpenAtEnd'),
      cardsTotal: fl('cardsTotal'),
      onTimeRate: ratio(fl('onTime'), fl('completedInPeriod')),
      overdueRate: ratio(fl('late') + fl('overdueOpenAtEnd'), fl('completedInPeriod') + fl('openAtEnd')),
    },
  };
}

function expectMerged(actual: Kpis, parts: readonly Kpis[], what: string) {
  const want = merged(parts);
  for (const [block, fields] of Object.entries(want) as [keyof Kpis, Record<string, number | null>][])
    for (const [field, value] of Object.entries(fields)) {
      const got = actual[block][field] as number | null;
      if (value === null || !field.endsWith('Rate')) expect(got, `${what} ${block}.${field}`).toBe(value);
      else expect(got, `${what} ${block}.${field}`).toBeCloseTo(value, 4);
    }
}

describe('scope=subtree: a center and the centers under it', () => {
  it('/stats, /reports/monthly, /cards, /cards/withdrawn, /cases and /complaints are the sums of the centers under it; scope=center is the center alone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseSpec, { minLength: 1, maxLength: 30 }),
        fc.array(complaintSpec, { maxLength: 6 }),
        async (cases, complaints) => {
          await seed(cases, complaints);
          const wuhua = 'centerId=district-wuhua';
          const own = await Promise.all(WUHUA_TREE.map((id) => get(`/stats?${PERIOD}&centerId=${id}`)));

          // /stats: the counts add up, the rates are the sums' own.
          const stats = await get(`/stats?${PERIOD}&${wuhua}&scope=subtree`);
          expectMerged(stats, own, '/stats');
          expect(stats.filter).toEqual({ centerId: 'district-wuhua', scope: 'subtree', centers: WUHUA_TREE });
          expect(stats.complaints.received).toBe(own.reduce((n, s) => n + s.complaints.received, 0));
          const inTree = (c: { center: number }) => WUHUA_TREE.includes(CENTERS[c.center]!);
          expect(stats.cohort.accepted).toBe(cases.filter(inTree).length);

          // scope=center, given or not: the district's own cases only, as before scope was taken.
          const alone = await get(`/stats?${PERIOD}&${wuhua}&scope=center`);
          expect(await get(`/stats?${PERIOD}&${wuhua}`)).toEqual(alone);
          expect(alone.cohort.accepted).toBe(cases.filter((c) => CENTERS[c.center] === 'district-wuhua').length);

          // The report of a center is, by default, of its subtree: the same figures, a table of its centers.
          const report = await get(`/reports/monthly?month=${MONTH}&${wuhua}`);
          expect(report.filter.scope).toBe('subtree');
          expect(await get(`/reports/monthly?month=${MONTH}&${wuhua}&scope=subtree`)).toEqual(report);
          expectMerged(report.kpis, own, 'report');
          const rows = report.centers as { centerId: string; accepted: number }[];
          for (const r of rows) expect(WUHUA_TREE).toContain(r.centerId);
          expect(rows.reduce((n, r) => n + r.accepted, 0)).toBe(report.kpis.cohort.accepted);
          const busy = WUHUA_TREE.filter((_, i) => own[i].cohort.accepted > 0);
          expect(
            rows
              .filter((r) => r.accepted > 0)
              .map((r) => r.centerId)
              .sort(),
          ).toEqual(busy);
          const reportAlone = await get(`/reports/monthly?month=${MONTH}&${wuhua}&scope=center`);
          expect(reportAlone.kpis.cohort).toEqual(alone.cohort);
          for (const r of reportAlone.centers) expect(r.centerId).toBe('district-wuhua');

          // The lists: a subtree's total is the sum of its centers' totals.
          const lists = [
            `/cards?${PERIOD}`,
            `/cards?${PERIOD}&subject=case`,
            `/cards/withdrawn?${PERIOD}`,
            '/cases?acceptedFrom=2025-11-01&acceptedTo=2025-12-01',
            '/cases?openAt=2025-12-01',
            '/complaints?receivedFrom=2025-11-01&receivedTo=2025-12-01',
          ];
          for (const list of lists) {
            const parts = await Promise.all(WUHUA_TREE.map((id) => get(`${list}&centerId=${id}`)));
            const subtree = await get(`${list}&${wuhua}&scope=subtree`);
            expect(subtree.total, list).toBe(parts.reduce((n, p) => n + p.total, 0));
            expect((await get(`${list}&${wuhua}`)).total, list).toBe(parts[1].total);
          }
          // The report's counts and the lists they link to (report-links.js carries scope=subtree).
          expect((await get(`/cards?${PERIOD}&${wuhua}&scope=subtree`)).total).toBe(report.cards.total);
          expect((await get(`/cases?acceptedFrom=2025-11-01&acceptedTo=2025-12-01&${wuhua}&scope=subtree`)).total).toBe(
            report.kpis.cohort.accepted,
          );
          await srv!.close();
          srv = undefined;
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);

  it('a street: itself and its community, not its parent nor its sibling; a center with none under it: itself', async () => {
    await seed(
      ['district-wuhua', 'street-huashan', 'street-huguo', 'community-cuihu', 'district-panlong'].map((id, i) => ({
        center: CENTERS.indexOf(id),
        day: 3 + i,
        promisedDays: 3,
        doneAfter: null,
      })),
      [],
    );
    const accepted = async (q: string) => (await get(`/stats?${PERIOD}&${q}`)).cohort.accepted;
    expect(await accepted('centerId=street-huashan&scope=subtree')).toBe(2);
    expect(await accepted('centerId=street-huguo&scope=subtree')).toBe(1);
    expect(await accepted('centerId=city-kunming&scope=subtree')).toBe(5);
    expect(await accepted('centerId=city-kunming')).toBe(0);
    // An id not in the directory covers itself.
    expect(await accepted('centerId=nowhere&scope=subtree')).toBe(0);
    const report = await get(`/reports/monthly?month=${MONTH}&centerId=district-wuhua`);
    expect(report.centers.map((r: { centerId: string }) => r.centerId)).toEqual([
      'district-wuhua',
      'street-huashan',
      'street-huguo',
      'community-cuihu',
    ]);
    // The summary tells the district's month, its centers ranked (SPEC §5's 五华区 report).
    expect(report.summary).toContain('五华区政务服务中心');
    expect(report.summary).toContain('中心及下属各服务中心');
  });

  it('with no directory published, a subtree is the center alone', async () => {
    await seed(
      [
        { center: CENTERS.indexOf('district-wuhua'), day: 3, promisedDays: 3, doneAfter: null },
        { center: CENTERS.indexOf('street-huashan'), day: 4, promisedDays: 3, doneAfter: 1 },
      ],
      [],
      false,
    );
    const stats = await get(`/stats?${PERIOD}&centerId=district-wuhua&scope=subtree`);
    expect(stats.cohort.accepted).toBe(1);
    expect(stats.filter.centers).toEqual(['district-wuhua']);
    const report = await get(`/reports/monthly?month=${MONTH}&centerId=district-wuhua`);
    expect(report.kpis.cohort.accepted).toBe(1);
    expect((await get('/cases?centerId=district-wuhua&scope=subtree')).total).toBe(1);
  });
});

describe('scope=subtree on the live alerts', () => {
  /** One case per center and one of a center not in the directory, overdue now; a complaint at 护国街道 undecided. */
  const seedAlerts = async () => {
    await seed(
      CENTERS.map((_, center) => ({ center, day: 3 + center, promisedDays: 3, doneAfter: null })),
      [{ center: CENTERS.indexOf('street-huguo'), day: 20, accepted: false }],
    );
    const events = [accepted('SC-unlisted', dayIso(3), { centerId: 'center-unlisted', promisedDays: 3 })];
    const res = await call(srv!.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
    expect(res.status, res.text).toBe(200);
    expect(await srv!.readModels.waitForPosition(await srv!.store.headPosition(), 5_000)).toBe(true);
  };
  const centersOf = (page: { alerts: { centerId: string }[] }) =>
    [...new Set(page.alerts.map((a) => a.centerId))].sort();

  it("/alerts: a district's alerts with those of every center under it; the center alone by default", async () => {
    await seedAlerts();
    const subtree = await get('/alerts?centerId=district-wuhua&scope=subtree');
    expect(centersOf(subtree)).toEqual(WUHUA_TREE);
    const own = await Promise.all(WUHUA_TREE.map((id) => get(`/alerts?centerId=${id}`)));
    expect(subtree.total).toBe(own.reduce((n, p) => n + p.total, 0));
    expect(subtree.summary.byCenter.map((c: { centerId: string }) => c.centerId).sort()).toEqual(WUHUA_TREE);
    // The complaints' alerts too, and the other filters still apply.
    const undecided = await get('/alerts?centerId=district-wuhua&scope=subtree&rule=complaint-undecided');
    expect(undecided.alerts.map((a: { complaintId: string }) => a.complaintId)).toEqual(['SQ-0']);

    // scope=center, given or not: the district's own alerts only.
    const alone = await get('/alerts?centerId=district-wuhua&scope=center');
    expect(centersOf(alone)).toEqual(['district-wuhua']);
    expect(await get('/alerts?centerId=district-wuhua')).toEqual(alone);
    // A street: itself and its community; an id not in the directory covers itself.
    expect(centersOf(await get('/alerts?centerId=street-huashan&scope=subtree'))).toEqual([
      'community-cuihu',
      'street-huashan',
    ]);
    const unlisted = await get('/alerts?centerId=center-unlisted&scope=subtree');
    expect(centersOf(unlisted)).toEqual(['center-unlisted']);
    expect(await get('/alerts?centerId=center-unlisted')).toEqual(unlisted);
    expect((await get('/alerts?centerId=nowhere&scope=subtree')).total).toBe(0);
  });

  it('/alerts/stream: the alerts of the centers under the center, as the directory in force at each alert has them', async () => {
    srv = await startTestServer({ now: NOW });
    const stream = await openSse(srv.baseUrl, '/alerts/stream?centerId=district-wuhua&scope=subtree', TOKENS.monitor);
    await stream.waitFor(': connected');
    const record = async (cases: [string, string][]) => {
      const events = cases.map(([caseId, centerId], i) =>
        accepted(caseId, dayIso(3 + i), { centerId, promisedDays: 3 }),
      );
      const res = await call(srv!.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
      expect(res.status, res.text).toBe(200);
      expect(await srv!.readModels.waitForPosition(await srv!.store.headPosition(), 5_000)).toBe(true);
      srv!.clock.advance(0); // the cases folded are evaluated (their alerts raised) by a timer due now
      await stream.waitFor(`"caseId":"${cases.at(-1)![0]}"`);
    };
    // No directory yet: the district alone.
    await record([
      ['W-street', 'street-huashan'],
      ['W-district', 'district-wuhua'],
    ]);
    await publishDirectory();
    await record([
      ['W-huguo', 'street-huguo'],
      ['W-panlong', 'district-panlong'],
      ['W-city', 'city-kunming'],
      ['W-cuihu', 'community-cuihu'],
    ]);
    stream.close();
    const heard = [...new Set(stream.messages().map((m) => m.data.caseId))];
    // W-street's alerts join the subtree with the publication: told raised then (before, never).
    expect(heard).toEqual(['W-district', 'W-street', 'W-huguo', 'W-cuihu']);
    expect(stream.messages().every((m) => m.event === 'alert-raised')).toBe(true);
  });

  it('/alerts/stream refuses scope as /alerts does, before a stream opens', async () => {
    srv = await startTestServer({ now: NOW });
    for (const [q, message] of [
      ['scope=subtree', 'is only taken with centerId: it says which centers centerId covers'],
      ['centerId=district-wuhua&scope=tree', 'must be one of center, subtree'],
    ]) {
      const res = await call(srv.baseUrl, 'GET', `/alerts/stream?${q}`, { token: TOKENS.monitor });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.details[0]).toEqual({ field: 'scope', message });
    }
  });
});

describe('scope refused', () => {
  const routes = [
    `/stats?${PERIOD}`,
    `/reports/monthly?month=${MONTH}`,
    `/cards?${PERIOD}`,
    `/cards/withdrawn?${PERIOD}`,
    '/cases?limit=5',
    '/complaints?limit=5',
    '/alerts?limit=5',
  ];

  it.each(routes)(
    '%s: scope without centerId is 400 naming scope; an unknown scope lists the known ones',
    async (route) => {
      srv = await startTestServer({ now: NOW });
      const ask = (q: string) => call(srv!.baseUrl, 'GET', `${route}&${q}`, { token: TOKENS.monitor });
      const without = await ask('scope=subtree');
      expect(without.status, without.text).toBe(400);
      expect(without.body.error.details[0].field).toBe('scope');
      expect(without.body.error.details[0].message).toContain('centerId');
      const unknown = await ask('centerId=district-wuhua&scope=tree');
      expect(unknown.status, unknown.text).toBe(400);
      expect(unknown.body.error.details[0]).toEqual({ field: 'scope', message: 'must be one of center, subtree' });
      const fine = await ask('centerId=district-wuhua&scope=center');
      expect(fine.status, fine.text).toBe(200);
    },
  );
});
