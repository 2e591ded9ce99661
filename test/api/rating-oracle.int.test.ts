/**
 * 好差评 figures against an independent oracle (SPEC §2 CaseRated / RatingFollowedUp, §3
 * bad-rating-unresolved, §4 lists and reads, §7 metrics, §8 Ratings). Random case histories of three
 * centers (two in the directory, a district and a street under it, and one not registered) and three
 * departments — completions, ratings of every score (some a millisecond around a month's start),
 * follow-ups of 差评 before, at and after their due instant (some due in the next month), events
 * recorded up to three days after they occurred, and sometimes a calendar correction (one more 2025
 * holiday) published in between — are posted over HTTP at their recording instants; then
 *   - `/stats` at instants during the writes (the running month, as known then) and at the end (months,
 *     an odd period, center / subtree / department filters, groupBy center and department) carries the
 *     ratings block the SPEC's words give, folded here: `rated` (ratings in the period), by score,
 *     `satisfactionRate` = 4–5 / rated, `badRatings` (≤ 2), `ratedShare` = of the cases completed in
 *     the period those rated by its end (docs/api.md: the SPEC's rated / completed over one set of cases),
 *     `followUpsDue` = 差评 whose follow-up's last day (the 15th working day after the rating's date)
 *     is a day of the period and has ended by now, `followedUpOnTime` = of those, followed up before
 *     its end, `followedUp` = follow-ups in the period;
 *   - the monthly report's ratings section (this month, last month, per department), its CSV rows and,
 *     for each of its linked counts (report-links.js, the page's own link builder), the total of the
 *     list the link opens;
 *   - `GET /cases/{id}` with `asOf` / `asKnownAt`: the rating and its bad-rating-unresolved card;
 *   - `supervision_ratings_total{center,score}`: the ratings sent, by registered center or `unregistered`.
 * Working days are counted here (Monday–Friday, with the 2026 New Year and Spring Festival days of the
 * State Council's notice written out), checked against the engine's calendar.
 * `ORACLE_RUNS` raises the number of histories; `ORACLE_NO_SHRINK=1` stops at the first failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/domain/time.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { call, startTestServer, TOKENS, ZONE, type TestServer } from './harness.js';

type Link = (...args: unknown[]) => string | undefined;
const linksUrl = new URL('../../src/web/public/js/report-links.js', import.meta.url).href;
const { ratingListLink, reportWhere } = (await import(linksUrl)) as {
  ratingListLink: Link;
  reportWhere: (report: unknown) => Record<string, string>;
};

const MIN = 60_000;
const OFFSET = 8 * MS_PER_HOUR;
/** Monday 2025-11-03 00:00 in Shanghai. */
const BASE = Date.parse('2025-11-03T00:00:00+08:00');
/** The clock at the end: every month read (2025-11 … 2026-01) has ended. */
const FINAL = Date.parse('2026-02-02T12:00:00+08:00');
const FOLLOW_UP_DAYS = 15;

const dayOf = (ms: number) => Math.floor((ms + OFFSET) / MS_PER_DAY);
const startOfDay = (day: number) => day * MS_PER_DAY - OFFSET;
const dayNo = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY;
const isoDate = (day: number) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
/** The 2026 notice: 元旦 1–3 January (4 January worked), 春节 15–23 February (14 and 28 February worked). */
const HOLIDAYS_2026 = new Set(
  ['01-01', '01-02', '01-03', '02-15', '02-16', '02-17', '02-18', '02-19', '02-20', '02-21', '02-22', '02-23'].map(
    (d) => dayNo(`2026-${d}`),
  ),
);
const WORKDAYS_2026 = new Set(['01-04', '02-14', '02-28'].map((d) => dayNo(`2026-${d}`)));
const isWeekday = (day: number) => {
  const dow = (day + 4) % 7; // epoch day 0 was a Thursday; 0 Sunday … 6 Saturday
  return dow !== 0 && dow !== 6;
};
type Holidays = ReadonlySet<number>;
const NONE: Holidays = new Set();
const isWorkday = (day: number, extra: Holidays) =>
  WORKDAYS_2026.has(day) || (isWeekday(day) && !HOLIDAYS_2026.has(day) && !extra.has(day));
/** The instant a 差评 given at `ratedAt` must be followed up before: the end of its 15th working day. */
function followUpDueOf(ratedAt: number, extra: Holidays): number {
  let d = dayOf(ratedAt);
  for (let k = 0; k < FOLLOW_UP_DAYS; ) if (isWorkday(++d, extra)) k++;
  return startOfDay(d + 1);
}

type Center = 'cA' | 'cB' | 'cU';
type Dept = 'd1' | 'd2' | 'd3';
const DIRECTORY = {
  centers: [
    { centerId: 'cA', name: '甲区政务服务中心', level: 'district' },
    { centerId: 'cB', name: '乙街道为民服务中心', level: 'street', parentId: 'cA' },
  ],
  departments: [
    { departmentId: 'd1', name: '区市场监管局' },
    { departmentId: 'd2', name: '区卫健局' },
    { departmentId: 'd3', name: '区住建局' },
  ],
};

type EventType = 'CaseAccepted' | 'CaseCompleted' | 'CaseRated' | 'RatingFollowedUp';
interface Ev {
  readonly type: EventType;
  readonly occurredAt: number;
  readonly recordedAt: number;
  readonly body: Record<string, unknown>;
}
interface History {
  readonly id: string;
  readonly center: Center;
  readonly dept: Dept;
  readonly events: readonly Ev[];
}

// ---- the oracle -----------------------------------------------------------------------------

interface Folded {
  readonly completedAt?: number;
  readonly rating?: { readonly at: number; readonly score: number };
  readonly followUpAt?: number;
}
/** The case as known at K (recorded by K) and as of T (occurred by T). */
function fold(events: readonly Ev[], T = Number.POSITIVE_INFINITY, K = Number.POSITIVE_INFINITY): Folded {
  let s: Folded = {};
  for (const e of events) {
    if (e.occurredAt > T || e.recordedAt > K) continue;
    if (e.type === 'CaseCompleted') s = { ...s, completedAt: e.occurredAt };
    if (e.type === 'CaseRated') s = { ...s, rating: { at: e.occurredAt, score: e.body['score'] as number } };
    if (e.type === 'RatingFollowedUp') s = { ...s, followUpAt: e.occurredAt };
  }
  return s;
}

interface Counts {
  rated: number;
  byScore: number[];
  completedInPeriod: number;
  ratedOfCompleted: number;
  followUpsDue: number;
  followedUpOnTime: number;
  followedUp: number;
}
const zero = (): Counts => ({
  rated: 0,
  byScore: [0, 0, 0, 0, 0],
  completedInPeriod: 0,
  ratedOfCompleted: 0,
  followUpsDue: 0,
  followedUpOnTime: 0,
  followedUp: 0,
});

/** A calendar correction: one more 2025 holiday, published at `at`. */
interface Correction {
  readonly day: number;
  readonly at: number;
}
const holidaysKnownAt = (c: Correction | undefined, K: number): Holidays =>
  c !== undefined && c.at <= K ? new Set([c.day]) : NONE;

/**
 * SPEC §8 for the cases of `hs` over the local days [fromDay, toDay), read at N with what was recorded by N;
 * a follow-up counts as due once its due instant is by `dueBy` (N; for a compared month of a running
 * month's report, the same time of its last compared day).
 */
function counts(
  hs: readonly History[],
  fromDay: number,
  toDay: number,
  N: number,
  correction?: Correction,
  dueBy = N,
): Counts {
  const c = zero();
  const hol = holidaysKnownAt(correction, N);
  const inPeriod = (t: number) => dayOf(t) >= fromDay && dayOf(t) < toDay;
  for (const h of hs) {
    const s = fold(h.events, Number.POSITIVE_INFINITY, N);
    if (s.completedAt !== undefined && inPeriod(s.completedAt)) {
      c.completedInPeriod++;
      if (s.rating !== undefined && dayOf(s.rating.at) < toDay) c.ratedOfCompleted++;
    }
    if (s.rating === undefined) continue;
    if (inPeriod(s.rating.at)) {
      c.rated++;
      c.byScore[s.rating.score - 1]! += 1;
    }
    if (s.followUpAt !== undefined && inPeriod(s.followUpAt)) c.followedUp++;
    if (s.rating.score <= 2) {
      const due = followUpDueOf(s.rating.at, hol);
      const lastDay = dayOf(due) - 1;
      // Fell due in the period: its last day is a day of the period, and that day has ended by N.
      if (lastDay >= fromDay && lastDay < toDay && due <= dueBy) {
        c.followUpsDue++;
        if (s.followUpAt !== undefined && s.followUpAt < due) c.followedUpOnTime++;
      }
    }
  }
  return c;
}

/** The 差评 of a case as known at N with its due instant: the red card starts at the due unless followed up before. */
function badRating(h: History, N: number, correction?: Correction) {
  const s = fold(h.events, Number.POSITIVE_INFINITY, N);
  if (s.rating === undefined || s.rating.score > 2) return undefined;
  const due = followUpDueOf(s.rating.at, holidaysKnownAt(correction, N));
  const card = !(s.followUpAt !== undefined && s.followUpAt < due);
  return { due, card, followedUp: s.followUpAt !== undefined };
}

/** `bad-rating-unresolved` now (at N): the cases whose 差评 fell due with no follow-up. */
async function checkAlerts(srv: TestServer, hs: readonly History[], N: number, c?: Correction) {
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
  const res = await get(srv, '/alerts?rule=bad-rating-unresolved&limit=500');
  expect(res.status, res.text).toBe(200);
  const want = hs
    .filter((h) => {
      const b = badRating(h, N, c);
      return b !== undefined && b.due <= N && !b.followedUp;
    })
    .map((h) => h.id)
    .sort();
  expect(res.body.alerts.map((a: { caseId: string }) => a.caseId).sort(), `/alerts at ${iso(N)}`).toEqual(want);
}

/** The register's and /stats's bad-rating-unresolved cards of a period: red, started at the due. */
async function checkCards(srv: TestServer, hs: readonly History[], p: Period, N: number, c?: Correction) {
  const [fromDay, toDay] = days(p);
  const want = hs.filter((h) => {
    const b = badRating(h, N, c);
    return b?.card === true && b.due <= N && dayOf(b.due) >= fromDay && dayOf(b.due) < toDay;
  });
  const reg = await get(srv, `/cards?from=${p.from}&to=${p.to}&rule=bad-rating-unresolved&limit=500`);
  expect(reg.status, reg.text).toBe(200);
  expect(reg.body.items.map((r: { caseId: string }) => r.caseId).sort(), `/cards ${p.from}…${p.to}`).toEqual(
    want.map((h) => h.id).sort(),
  );
  const stats = await get(srv, `/stats?from=${p.from}&to=${p.to}`);
  const n = (stats.body.flow.cards as { rule: string; count: number }[] | undefined)
    ?.filter((x) => x.rule === 'bad-rating-unresolved')
    .reduce((a, x) => a + x.count, 0);
  expect(n ?? 0, `/stats cards ${p.from}…${p.to}`).toBe(want.length);
}

const share = (num: number, den: number) => (den === 0 ? null : num / den);
interface Expected {
  rated: number;
  byScore: Record<string, number>;
  satisfied: number;
  badRatings: number;
  completedInPeriod: number;
  ratedOfCompleted: number;
  followUpsDue: number;
  followedUpOnTime: number;
  followedUp: number;
  satisfactionRate: number | null;
  ratedShare: number | null;
  followedUpOnTimeRate: number | null;
}
function expected(c: Counts): Expected {
  const satisfied = c.byScore[3]! + c.byScore[4]!;
  const badRatings = c.byScore[0]! + c.byScore[1]!;
  return {
    rated: c.rated,
    byScore: Object.fromEntries(c.byScore.map((n, i) => [String(i + 1), n])),
    satisfied,
    badRatings,
    completedInPeriod: c.completedInPeriod,
    ratedOfCompleted: c.ratedOfCompleted,
    followUpsDue: c.followUpsDue,
    followedUpOnTime: c.followedUpOnTime,
    followedUp: c.followedUp,
    satisfactionRate: share(satisfied, c.rated),
    ratedShare: share(c.ratedOfCompleted, c.completedInPeriod),
    followedUpOnTimeRate: share(c.followedUpOnTime, c.followUpsDue),
  };
}
const RATES = ['satisfactionRate', 'ratedShare', 'followedUpOnTimeRate'] as const;

/** The answer's figures equal the oracle's: counts exactly, rates to the 4 decimals answered. */
function expectFigures(actual: Record<string, unknown>, exp: Expected, where: string, fields?: readonly string[]) {
  const keys = fields ?? Object.keys(exp);
  for (const k of keys) {
    const want = exp[k as keyof Expected];
    const got = actual[k];
    if ((RATES as readonly string[]).includes(k)) {
      if (want === null) expect(got, `${where} ${k}`).toBeNull();
      else {
        expect(typeof got, `${where} ${k}`).toBe('number');
        expect(Math.abs((got as number) - (want as number)), `${where} ${k} ${got} vs ${want}`).toBeLessThan(5.1e-5);
      }
    } else expect(got, `${where} ${k}`).toEqual(want);
  }
}

const anyRating = (c: Counts) => c.rated + c.followUpsDue + c.followedUp > 0;

// ---- generation -----------------------------------------------------------------------------

const delayArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 * 60 }).map((m) => m * MIN) },
  { weight: 2, arbitrary: fc.integer({ min: 24 * 60 - 5, max: 72 * 60 }).map((m) => m * MIN) },
);
const MONTH_STARTS = ['2025-12-01', '2026-01-01', '2026-02-01'].map((d) => startOfDay(dayNo(d)));

const caseSpecArb = fc.record({
  center: fc.constantFrom<Center>('cA', 'cA', 'cB', 'cU'),
  dept: fc.constantFrom<Dept>('d1', 'd2', 'd3'),
  acceptMinutes: fc.integer({ min: 0, max: 56 * 24 * 60 }),
  complete: fc.option(fc.integer({ min: 0, max: 12 * 24 * 60 }), { nil: undefined, freq: 5 }),
  rating: fc.option(
    fc.record({
      // Every score, 差评 (1–2) more often: their follow-ups are what the clock is about.
      score: fc.constantFrom(1, 1, 2, 2, 3, 4, 5),
      // Minutes after the completion, a millisecond around the next month's start, or on a day whose 差评
      // falls due at a period's edge: its last day the month's last (12-31), or the day before a period
      // read (12-01; 2026-01-04, a Sunday worked).
      step: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 * 24 * 60 }).map((m) => ({ minutes: m })) },
        { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1).map((ms) => ({ boundary: ms })) },
        {
          weight: 2,
          arbitrary: fc.record({
            dueOn: fc.constantFrom('2025-12-31', '2025-12-31', '2025-12-01', '2026-01-04'),
            minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
          }),
        },
      ),
    }),
    { nil: undefined, freq: 6 },
  ),
  followUp: fc.option(
    fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 25 * 24 * 60 }).map((m) => ({ minutes: m })) },
      // A millisecond around the due instant (the end of the 15th working day).
      { weight: 3, arbitrary: fc.constantFrom(-1, 0, 0, 1).map((ms) => ({ due: ms })) },
    ),
    { nil: undefined, freq: 4 },
  ),
  delays: fc.array(delayArb, { minLength: 4, maxLength: 4 }),
});
type CaseSpec = typeof caseSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** The last day whose 差评 has `dueDay` as its follow-up's last day (without a correction). */
function ratingDayFor(dueDay: number): number {
  for (let d = dueDay; d > dueDay - 60; d--)
    if (followUpDueOf(startOfDay(d), NONE) === startOfDay(dueDay + 1)) return d;
  throw new Error(`no rating day for ${isoDate(dueDay)}`);
}

function historyOf(spec: CaseSpec, id: string): History {
  const planned: Omit<Ev, 'recordedAt'>[] = [];
  const acceptedAt = BASE + spec.acceptMinutes * MIN + 9 * MS_PER_HOUR;
  planned.push({
    type: 'CaseAccepted',
    occurredAt: acceptedAt,
    body: {
      centerId: spec.center,
      departmentId: spec.dept,
      matterCode: 'M-1',
      kind: 'promised',
      promisedDays: 5,
      channel: 'window',
    },
  });
  if (spec.complete !== undefined) {
    const completedAt = acceptedAt + spec.complete * MIN;
    planned.push({ type: 'CaseCompleted', occurredAt: completedAt, body: { outcome: 'approved' } });
    if (spec.rating !== undefined) {
      const st = spec.rating.step;
      const next = MONTH_STARTS.find((m) => m > completedAt) ?? completedAt;
      const ratedAt =
        'dueOn' in st
          ? Math.max(completedAt, startOfDay(ratingDayFor(dayNo(st.dueOn))) + st.minutes * MIN)
          : 'minutes' in st
            ? completedAt + st.minutes * MIN
            : Math.max(completedAt, next + st.boundary);
      planned.push({
        type: 'CaseRated',
        occurredAt: ratedAt,
        body: { score: spec.rating.score, channel: 'sms', comment: '评价' },
      });
      if (spec.rating.score <= 2 && spec.followUp !== undefined) {
        const f = spec.followUp;
        const at = 'minutes' in f ? ratedAt + f.minutes * MIN : Math.max(ratedAt, followUpDueOf(ratedAt, NONE) + f.due);
        planned.push({ type: 'RatingFollowedUp', occurredAt: at, body: { note: '已电话回访', by: '效能办' } });
      }
    }
  }
  let recorded = 0;
  const events: Ev[] = [];
  for (const [i, p] of planned.entries()) {
    recorded = Math.max(recorded, p.occurredAt + spec.delays[i]!);
    if (recorded > FINAL - MIN) break; // not yet recorded at the end: neither it nor what follows
    events.push({ ...p, recordedAt: recorded });
  }
  return { id, center: spec.center, dept: spec.dept, events };
}

// ---- the API --------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString();
const q = (ms: number) => encodeURIComponent(iso(ms));
const get = (srv: TestServer, path: string, headers: Record<string, string> = {}) =>
  call(srv.baseUrl, 'GET', path, { token: TOKENS.admin, headers });

async function post(srv: TestServer, id: string, e: Ev) {
  const res = await call(srv.baseUrl, 'POST', `/cases/${id}/events`, {
    token: TOKENS.recorder,
    body: { type: e.type, occurredAt: iso(e.occurredAt), ...e.body },
  });
  expect(res.status, `${id} ${e.type} ${res.text}`).toBe(201);
}

interface Period {
  readonly from: string;
  readonly to: string;
}
const days = (p: Period) => [dayNo(p.from), dayNo(p.to)] as const;

/** Which cases a filter of /stats or the report counts. */
interface Scope {
  readonly query: string;
  readonly cases: (h: History) => boolean;
}
const SCOPES: readonly Scope[] = [
  { query: '', cases: () => true },
  { query: 'centerId=cA&scope=center', cases: (h) => h.center === 'cA' },
  { query: 'centerId=cA&scope=subtree', cases: (h) => h.center !== 'cU' },
  { query: 'centerId=cU', cases: (h) => h.center === 'cU' },
  { query: 'departmentId=d2', cases: (h) => h.dept === 'd2' },
];

async function checkStats(srv: TestServer, hs: readonly History[], p: Period, N: number, c?: Correction) {
  const [fromDay, toDay] = days(p);
  for (const scope of SCOPES) {
    const path = `/stats?from=${p.from}&to=${p.to}${scope.query ? `&${scope.query}` : ''}`;
    const res = await get(srv, path);
    expect(res.status, `${path} ${res.text}`).toBe(200);
    expectFigures(res.body.ratings, expected(counts(hs.filter(scope.cases), fromDay, toDay, N, c)), path);
  }
  for (const by of ['center', 'department'] as const) {
    const path = `/stats?from=${p.from}&to=${p.to}&groupBy=${by}`;
    const res = await get(srv, path);
    expect(res.status, `${path} ${res.text}`).toBe(200);
    const keyOf = (h: History) => (by === 'center' ? h.center : h.dept);
    const groups = res.body.groups as { key: string; ratings: Record<string, unknown> }[];
    for (const key of new Set(hs.map(keyOf))) {
      const want = counts(
        hs.filter((h) => keyOf(h) === key),
        fromDay,
        toDay,
        N,
        c,
      );
      const g = groups.find((x) => x.key === key);
      if (g === undefined) expect(anyRating(want), `${path} group ${key} missing`).toBe(false);
      else expectFigures(g.ratings, expected(want), `${path} group ${key}`);
    }
  }
}

const monthPeriod = (month: string): Period => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const to = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: `${month}-01`, to };
};

/** Minimal CSV: quoted fields with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
const pct = (r: number | null) => (r === null ? '' : `${Number((r * 100).toFixed(2))}%`);

/** The monthly report's ratings (JSON, CSV, and every linked count's list) against the oracle. */
async function checkReport(
  srv: TestServer,
  hs: readonly History[],
  month: string,
  scope: Scope,
  N: number,
  c: Correction | undefined,
) {
  const path = `/reports/monthly?month=${month}${scope.query ? `&${scope.query}` : ''}`;
  const res = await get(srv, path);
  expect(res.status, `${path} ${res.text}`).toBe(200);
  const report = res.body;
  const section = report.ratings;
  const [fromDay, toDay] = days(monthPeriod(month));
  const mine = hs.filter(scope.cases);
  const now = expected(counts(mine, fromDay, toDay, N, c));
  expectFigures(section.figures, now, path);
  // Last month: in a month still running, its same days (through the day of N) as of the same time of day.
  const pm = section.previousMonth;
  const [pf, pt] = [dayNo(pm.from), dayNo(pm.to)];
  const running = dayOf(N) < toDay;
  const lastMonthLength = fromDay - pf;
  expect(pt - pf, `${path} previousMonth days`).toBe(
    running ? Math.min(dayOf(N) - fromDay + 1, lastMonthLength) : lastMonthLength,
  );
  const dueBy = pm.through === undefined ? N : startOfDay(dayNo(pm.through)) + (N - startOfDay(dayOf(N)));
  expectFigures(pm.figures, expected(counts(mine, pf, pt, N, c, dueBy)), `${path} previousMonth`);
  expect(section.previousYear.figures.rated, `${path} previousYear`).toBe(0);
  // The opening paragraph's 好差评 clause, its numbers taken from the figures.
  if (now.rated + now.followUpsDue === 0) expect(report.summary, `${path} summary`).toContain('无好差评评价');
  else {
    expect(report.summary, `${path} summary`).toContain(`好差评评价${now.rated}次`);
    expect(report.summary, `${path} summary`).toContain(`差评${now.badRatings}件`);
  }

  // 各部门满意度: a department is a row when rated, or with a follow-up due, in the month.
  const rows = section.departments as ({ departmentId: string } & Record<string, unknown>)[];
  const wantRows = (['d1', 'd2', 'd3'] as const)
    .map((d) => ({
      d,
      c: counts(
        mine.filter((h) => h.dept === d),
        fromDay,
        toDay,
        N,
        c,
      ),
    }))
    .filter(({ c: k }) => k.rated + k.followUpsDue > 0);
  expect(
    rows.map((r) => r.departmentId),
    `${path} department rows`,
  ).toEqual(wantRows.map((w) => w.d));
  const ROW_FIELDS = [
    'rated',
    'satisfied',
    'satisfactionRate',
    'badRatings',
    'completedInPeriod',
    'ratedShare',
    'followUpsDue',
    'followedUpOnTime',
    'followedUpOnTimeRate',
  ];
  for (const [i, w] of wantRows.entries()) expectFigures(rows[i]!, expected(w.c), `${path} ${w.d}`, ROW_FIELDS);

  // The CSV: the 好差评 section's "this month" column and the per-department table.
  const csv = await get(srv, path, { accept: 'text/csv' });
  expect(csv.status).toBe(200);
  const table = parseCsv(csv.text);
  const at = table.findIndex((r) => r[0] === '好差评');
  expect(at, `${path} CSV 好差评`).toBeGreaterThanOrEqual(0);
  const cell = (name: string) => table.slice(at).find((r) => r[0] === name)?.[1];
  expect(cell('评价次数'), `${path} CSV 评价次数`).toBe(String(now.rated));
  expect(cell('差评（1–2分）'), `${path} CSV 差评`).toBe(String(now.badRatings));
  expect(cell('差评应整改'), `${path} CSV 差评应整改`).toBe(String(now.followUpsDue));
  expect(cell('满意率（4–5分）'), `${path} CSV 满意率`).toBe(pct(now.satisfactionRate));
  expect(cell('评价率（本月办结件）'), `${path} CSV 评价率`).toBe(pct(now.ratedShare));
  expect(cell('按期整改率'), `${path} CSV 按期整改率`).toBe(pct(now.followedUpOnTimeRate));
  const dt = table.findIndex((r) => r[0] === '各部门满意度（好差评）');
  const head = table[dt + 1]!;
  const csvRows = table.slice(dt + 2).filter((r) => /^d\d$/.test(r[0] ?? ''));
  expect(
    csvRows.map((r) => r[0]),
    `${path} CSV departments`,
  ).toEqual(wantRows.map((w) => w.d));
  for (const [i, w] of wantRows.entries()) {
    const e = expected(w.c);
    const r = csvRows[i]!;
    const col = (h: string) => r[head.indexOf(h)];
    expect(col('评价次数'), `${path} CSV ${w.d}`).toBe(String(e.rated));
    expect(col('差评（1–2分）'), `${path} CSV ${w.d}`).toBe(String(e.badRatings));
    expect(col('差评应整改'), `${path} CSV ${w.d}`).toBe(String(e.followUpsDue));
    expect(col('按期整改'), `${path} CSV ${w.d}`).toBe(String(e.followedUpOnTime));
    expect(col('满意率'), `${path} CSV ${w.d}`).toBe(pct(e.satisfactionRate));
  }

  // SPEC §4: every count links to its list, whose total is the count.
  const where = reportWhere(report);
  let links = 0;
  const follow = async (figure: number, href: string | undefined, what: string) => {
    if (href === undefined) {
      expect(figure, `${path} ${what}: a count with no list`).toBe(0);
      return;
    }
    const list = await get(srv, `${href}&limit=1`);
    expect(list.status, `${href} ${list.text}`).toBe(200);
    expect(list.body.total, `${path} ${what} → ${href}`).toBe(figure);
    links++;
  };
  for (const field of ['rated', 'badRatings', 'followUpsDue'] as const) {
    await follow(section.figures[field], ratingListLink(month, field, where, report.asOf), field);
    for (const r of rows)
      await follow(
        r[field] as number,
        ratingListLink(month, field, where, report.asOf, { departmentId: r.departmentId }),
        `${r.departmentId} ${field}`,
      );
  }
  return links;
}

/** GET /cases/{id} as of T, as known at K: the rating and its red card. */
async function checkCaseRead(
  srv: TestServer,
  h: History,
  T: number | undefined,
  K: number | undefined,
  c?: Correction,
) {
  const params = [T === undefined ? '' : `asOf=${q(T)}`, K === undefined ? '' : `asKnownAt=${q(K)}`].filter(Boolean);
  const path = `/cases/${h.id}${params.length ? `?${params.join('&')}` : ''}`;
  const known = K ?? FINAL;
  const seen = h.events.filter((e) => e.recordedAt <= known);
  if (seen.length === 0) return;
  const at = T ?? Math.max(FINAL, ...seen.map((e) => e.occurredAt));
  if (seen[0]!.occurredAt > at) return;
  const res = await get(srv, path);
  expect(res.status, `${path} ${res.text}`).toBe(200);
  const s = fold(h.events, at, known);
  const hol = holidaysKnownAt(c, known);
  const r = res.body.rating;
  const bad = res.body.cards.filter((x: { rule: string }) => x.rule === 'bad-rating-unresolved');
  if (s.rating === undefined) {
    expect(r, path).toBeNull();
    expect(bad, path).toEqual([]);
    return;
  }
  expect(Date.parse(r.ratedAt), `${path} ratedAt`).toBe(s.rating.at);
  expect(r.score, path).toBe(s.rating.score);
  const isBad = s.rating.score <= 2;
  expect(r.bad, path).toBe(isBad);
  if (!isBad) {
    expect(r.followUpDueAt, path).toBeUndefined();
    expect(bad, path).toEqual([]);
    return;
  }
  const due = followUpDueOf(s.rating.at, hol);
  expect(Date.parse(r.followUpDueAt), `${path} followUpDueAt`).toBe(due);
  expect(r.followedUpAt === undefined ? undefined : Date.parse(r.followedUpAt), `${path} followedUpAt`).toBe(
    s.followUpAt,
  );
  if (s.followUpAt !== undefined) expect(r.followedUpOnTime, path).toBe(s.followUpAt < due);
  const card = due <= at && !(s.followUpAt !== undefined && s.followUpAt < due);
  expect(
    bad.map((x: { startedAt: string; color: string }) => [Date.parse(x.startedAt), x.color]),
    `${path} bad-rating-unresolved`,
  ).toEqual(card ? [[due, 'red']] : []);
}

/** supervision_ratings_total{center,score}: every rating sent, by registered center or `unregistered`. */
async function checkMetric(srv: TestServer, hs: readonly History[]) {
  const res = await call(srv.baseUrl, 'GET', '/metrics', { token: TOKENS.monitor });
  const got = new Map<string, number>();
  for (const m of res.text.matchAll(/^supervision_ratings_total\{([^}]*)\} (\d+)/gm)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Number(m[2]) > 0) got.set(`${labels['center']}|${labels['score']}`, Number(m[2]));
  }
  const want = new Map<string, number>();
  for (const h of hs)
    for (const e of h.events)
      if (e.type === 'CaseRated') {
        const k = `${h.center === 'cU' ? 'unregistered' : h.center}|${e.body['score']}`;
        want.set(k, (want.get(k) ?? 0) + 1);
      }
  expect(Object.fromEntries([...got].sort()), 'supervision_ratings_total').toEqual(
    Object.fromEntries([...want].sort()),
  );
}

const cal2025 = createCalendarService(ZONE).getYear(2025)!;

describe('好差评 figures, lists and reads against an independent oracle', () => {
  it("the oracle counts working days as the engine's calendar does (November 2025 – March 2026)", () => {
    const cal = createCalendarService(ZONE).current();
    for (let d = dayOf(BASE) - 3; d <= dayNo('2026-03-31'); d++)
      expect(cal.isWorkday(d), isoDate(d)).toBe(isWorkday(d, NONE));
  });

  it('/stats, the monthly report (JSON, CSV, links), case reads and the metric agree with the events folded', async () => {
    const correctionArb = fc.option(
      fc.record({
        // A weekday of 2025-11-04 … 2025-12-31 made a holiday, published at a random half-minute.
        offset: fc.integer({ min: 1, max: 58 }).filter((o) => isWeekday(dayOf(BASE) + o)),
        minutes: fc.integer({ min: 0, max: 80 * 24 * 60 }),
      }),
      { nil: undefined },
    );
    let linksFollowed = 0;
    let casesChecked = 0;
    const seen = { bad: 0, onTime: 0, late: 0, dueNextMonth: 0, lateRecords: 0, corrections: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(caseSpecArb, { minLength: 3, maxLength: 10 }),
        fc.array(fc.integer({ min: BASE, max: FINAL - MS_PER_DAY }), { minLength: 2, maxLength: 4 }),
        correctionArb,
        async (specs, instants, fix) => {
          const correction: Correction | undefined =
            fix === undefined ? undefined : { day: dayOf(BASE) + fix.offset, at: BASE + fix.minutes * MIN + 30_000 };
          const hs = specs.map((s, i) => historyOf(s, `RT-${i}`));
          if (correction !== undefined) seen.corrections++;
          type Step = { at: number; run: (srv: TestServer) => Promise<void> };
          const steps: Step[] = hs.flatMap((h) =>
            h.events.map((e) => ({ at: e.recordedAt, run: (srv: TestServer) => post(srv, h.id, e) })),
          );
          if (correction !== undefined)
            steps.push({
              at: correction.at,
              run: async (srv) => {
                const res = await call(srv.baseUrl, 'PUT', '/calendar/2025', {
                  token: TOKENS.admin,
                  body: {
                    holidays: [...cal2025.holidays, isoDate(correction.day)].sort(),
                    workdays: [...cal2025.workdays],
                  },
                });
                expect(res.status, res.text).toBe(200);
              },
            });
          // Reads while the events come in: the running month, as known then (a due counts once passed),
          // at random instants and at each 差评's due instant.
          const dues = hs.flatMap((h) => {
            const r = fold(h.events).rating;
            return r !== undefined && r.score <= 2 ? [followUpDueOf(r.at, NONE)] : [];
          });
          for (const N of [...instants, ...dues.filter((d) => d < FINAL - MS_PER_DAY)])
            steps.push({
              at: N,
              run: async (srv) => {
                const month = isoDate(dayOf(N)).slice(0, 7);
                await checkStats(srv, hs, monthPeriod(month), N, correction);
                await checkAlerts(srv, hs, N, correction);
                linksFollowed += await checkReport(srv, hs, month, SCOPES[0]!, N, correction);
              },
            });
          steps.sort((x, y) => x.at - y.at);
          const dir = mkdtempSync(join(tmpdir(), 'rating-oracle-'));
          const path = join(dir, 'events.db');
          const checkpointFile = join(dir, 'snap.ndjson');
          /** An engine on the sqlite file, its store stamping `recordedAt` with the engine's fake clock. */
          const log: string[] = [];
          const engineAt = async (now: number, withSnapshot: boolean) => {
            let server: TestServer | undefined;
            const store = new SqliteEventStore(path, { clock: () => (server as TestServer).clock.now });
            server = await startTestServer({
              now: iso(now),
              store,
              projectionLog: (m) => log.push(m),
              ...(withSnapshot ? { checkpointFile } : {}),
            });
            return server;
          };
          let srv = await engineAt(BASE - MS_PER_DAY, true);
          try {
            const dir = await call(srv.baseUrl, 'PUT', '/directory', { token: TOKENS.admin, body: DIRECTORY });
            expect(dir.status, dir.text).toBe(200);
            for (const s of steps) {
              srv.clock.set(iso(s.at));
              await s.run(srv);
            }
            srv.clock.set(iso(FINAL));
            expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);

            for (const month of ['2025-11', '2025-12', '2026-01'])
              await checkStats(srv, hs, monthPeriod(month), FINAL, correction);
            // Periods whose edges a follow-up's due can meet (12-02 00:00, 2026-01-05 00:00).
            await checkStats(srv, hs, { from: '2025-11-20', to: '2025-12-09' }, FINAL, correction);
            await checkStats(srv, hs, { from: '2025-12-02', to: '2026-01-05' }, FINAL, correction);
            await checkAlerts(srv, hs, FINAL, correction);
            for (const p of [monthPeriod('2025-12'), monthPeriod('2026-01'), { from: '2025-11-01', to: '2026-03-01' }])
              await checkCards(srv, hs, p, FINAL, correction);
            for (const month of ['2025-11', '2025-12', '2026-01'])
              for (const scope of [SCOPES[0]!, SCOPES[1]!, SCOPES[2]!])
                linksFollowed += await checkReport(srv, hs, month, scope, FINAL, correction);

            for (const h of hs) {
              const landmarks = new Set<number>();
              for (const e of h.events) for (const t of [e.occurredAt, e.occurredAt - 1]) landmarks.add(t);
              const s = fold(h.events);
              if (s.rating !== undefined && s.rating.score <= 2)
                for (const hol of [NONE, holidaysKnownAt(correction, FINAL)]) {
                  const due = followUpDueOf(s.rating.at, hol);
                  landmarks.add(due);
                  landmarks.add(due - 1);
                }
              const knowns = [undefined, ...h.events.flatMap((e) => [e.recordedAt, e.recordedAt - 1])];
              if (correction !== undefined) knowns.push(correction.at, correction.at - 1);
              await checkCaseRead(srv, h, undefined, undefined, correction);
              for (const T of landmarks) if (T <= FINAL) await checkCaseRead(srv, h, T, undefined, correction);
              for (const K of knowns) await checkCaseRead(srv, h, undefined, K, correction);
              for (const T of [...landmarks].slice(-3))
                for (const K of knowns) if (T <= FINAL) await checkCaseRead(srv, h, T, K, correction);
              casesChecked++;
              const b = badRating(h, FINAL, correction);
              if (b !== undefined && s.rating !== undefined) {
                seen.bad++;
                if (s.followUpAt !== undefined) seen[s.followUpAt < b.due ? 'onTime' : 'late']++;
                if (isoDate(dayOf(b.due) - 1).slice(0, 7) !== isoDate(dayOf(s.rating.at)).slice(0, 7))
                  seen.dueNextMonth++;
              }
              seen.lateRecords += h.events.filter((e) => e.recordedAt - e.occurredAt > 24 * MS_PER_HOUR).length;
            }
            await checkMetric(srv, hs);

            // The same figures after a restart from the snapshot (completed cases kept as rows) and after a
            // replay from zero.
            for (const withSnapshot of [true, false]) {
              await srv.close();
              log.length = 0;
              srv = await engineAt(FINAL, withSnapshot);
              if (withSnapshot) expect(log.join('\n')).toMatch(/resumed from snapshot/);
              expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
              for (const month of ['2025-11', '2025-12', '2026-01']) {
                await checkStats(srv, hs, monthPeriod(month), FINAL, correction);
                linksFollowed += await checkReport(srv, hs, month, SCOPES[2]!, FINAL, correction);
              }
              for (const h of hs) await checkCaseRead(srv, h, undefined, undefined, correction);
            }
          } finally {
            await srv.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      // ORACLE_NO_SHRINK=1: report the first failure as found (each shrink step replays a whole history).
      { numRuns: Number(process.env['ORACLE_RUNS'] ?? 8), endOnFailure: process.env['ORACLE_NO_SHRINK'] === '1' },
    );
    expect(linksFollowed).toBeGreaterThan(0);
    console.info(`rating oracle: ${casesChecked} cases, ${linksFollowed} report links followed`, seen);
  }, 600_000);
});
