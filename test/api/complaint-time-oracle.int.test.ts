/**
 * Complaint reads across time against an independent oracle (SPEC §3 "What was known", §4, §8):
 * random complaint histories (decisions late or in time, reassignments, answers before, at and after
 * the warning and due instants, closures; some events recorded days after they occurred) are posted
 * over HTTP at their recording instants, then
 *   - `GET /complaints/{id}` with `asOf=T`, `asKnownAt=K` and both equals what folding only the
 *     events that occurred by T (and were recorded by K) gives, computed here from §8's rules with a
 *     working-day count of its own (Monday–Friday: November and December 2025 have no public holiday
 *     and no make-up day, which the test checks against the engine's calendar);
 *   - the register `GET /cards` and the complaint's read at the same instant list the same cards,
 *     and `/stats` counts them;
 *   - the register of withdrawn cards holds exactly the cards shown at a write's recording that the
 *     write took away (and the warning clearings it moved), and the complaint's read as known at K
 *     lists those withdrawn by K;
 *   - with a calendar correction (one more holiday) published in between: a read as known at K
 *     counts with the holiday only when it was published by K, and the correction's withdrawals are
 *     in the register.
 * Mutating the detail's asOf cut (`>` to `>=`) or the known-at cut of its withdrawn cards (`<=` to
 * `<`) fails it at once. `ORACLE_RUNS` raises the number of histories (40 passed when written).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCalendarService } from '../../src/domain/calendar/index.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/domain/time.js';
import { call, startTestServer, TOKENS, ZONE, type TestServer } from './harness.js';

const MIN = 60_000;
const OFFSET = 8 * MS_PER_HOUR;
/** Monday 2025-11-03 00:00 in Shanghai. */
const BASE = Date.parse('2025-11-03T00:00:00+08:00');
/** Every read happens at or before this instant (no day after 2025-12-31 is ever counted). */
const FINAL = Date.parse('2025-12-31T12:00:00+08:00');

const dayOf = (ms: number) => Math.floor((ms + OFFSET) / MS_PER_DAY);
const startOfDay = (day: number) => day * MS_PER_DAY - OFFSET;
/** Epoch day 0 (1970-01-01) was a Thursday. */
const isWeekday = (day: number) => {
  const dow = (day + 4) % 7; // 0 Sunday … 6 Saturday
  return dow !== 0 && dow !== 6;
};
/** The holidays a calendar correction added (epoch days), as known at the instant read. */
type Holidays = ReadonlySet<number>;
const NONE: Holidays = new Set();
const isWorkday = (day: number, hol: Holidays = NONE) => isWeekday(day) && !hol.has(day);
function nthWorkdayAfter(day: number, n: number, hol: Holidays): number {
  let d = day;
  for (let k = 0; k < n; ) if (isWorkday(++d, hol)) k++;
  return d;
}
const decideDueOf = (receivedAt: number, hol: Holidays = NONE) =>
  startOfDay(nthWorkdayAfter(dayOf(receivedAt), 3, hol) + 1);
const warnAtOf = (acceptedAt: number, hol: Holidays = NONE) => startOfDay(nthWorkdayAfter(dayOf(acceptedAt), 12, hol));
const answerDueOf = (acceptedAt: number, hol: Holidays = NONE) =>
  startOfDay(nthWorkdayAfter(dayOf(acceptedAt), 15, hol) + 1);

type EventType =
  | 'ComplaintReceived'
  | 'ComplaintAccepted'
  | 'ComplaintRejected'
  | 'ComplaintAssigned'
  | 'ComplaintAnswered'
  | 'ComplaintClosed';

interface Ev {
  readonly type: EventType;
  readonly occurredAt: number;
  readonly recordedAt: number;
  readonly body: Record<string, unknown>;
}

interface OracleCard {
  readonly rule: string;
  readonly color: 'red' | 'yellow';
  readonly start: number;
  /** When the board drops it (red: the work; yellow: the work or the red card). */
  readonly boardClear?: number;
}

interface OracleState {
  readonly receivedAt?: number;
  readonly departmentId?: string;
  readonly acceptedAt?: number;
  readonly rejectedAt?: number;
  readonly answeredAt?: number;
  readonly closedAt?: number;
  readonly late: readonly Ev[];
}

function fold(events: readonly Ev[]): OracleState {
  let s: OracleState = { late: [] };
  for (const e of events) {
    const late = e.recordedAt - e.occurredAt > 24 * MS_PER_HOUR ? [...s.late, e] : s.late;
    s = { ...s, late };
    switch (e.type) {
      case 'ComplaintReceived':
        s = {
          ...s,
          receivedAt: e.occurredAt,
          ...(typeof e.body['departmentId'] === 'string' ? { departmentId: e.body['departmentId'] } : {}),
        };
        break;
      case 'ComplaintAccepted':
        s = { ...s, acceptedAt: e.occurredAt };
        break;
      case 'ComplaintRejected':
        s = { ...s, rejectedAt: e.occurredAt };
        break;
      case 'ComplaintAssigned':
        s = { ...s, departmentId: e.body['departmentId'] as string };
        break;
      case 'ComplaintAnswered':
        s = { ...s, answeredAt: e.occurredAt };
        break;
      case 'ComplaintClosed':
        s = { ...s, closedAt: e.occurredAt };
        break;
    }
  }
  return s;
}

/** Every card the state's clocks determine (some may start after any instant read). */
function cardsOf(s: OracleState, hol: Holidays): OracleCard[] {
  const out: OracleCard[] = [];
  if (s.receivedAt === undefined) return out;
  const decided = s.acceptedAt ?? s.rejectedAt;
  const decideDue = decideDueOf(s.receivedAt, hol);
  if (decided === undefined || decided >= decideDue)
    out.push({
      rule: 'complaint-undecided',
      color: 'red',
      start: decideDue,
      ...(decided === undefined ? {} : { boardClear: decided }),
    });
  if (s.acceptedAt !== undefined) {
    const warnAt = warnAtOf(s.acceptedAt, hol);
    const due = answerDueOf(s.acceptedAt, hol);
    const ans = s.answeredAt;
    if (ans === undefined || ans >= warnAt)
      out.push({
        rule: 'complaint-answer-warning',
        color: 'yellow',
        start: warnAt,
        boardClear: ans !== undefined && ans < due ? ans : due,
      });
    if (ans === undefined || ans >= due)
      out.push({
        rule: 'complaint-overdue',
        color: 'red',
        start: due,
        ...(ans === undefined ? {} : { boardClear: ans }),
      });
  }
  for (const e of s.late) out.push({ rule: 'complaint-late-record', color: 'yellow', start: e.recordedAt });
  return out;
}

interface ShownCard {
  readonly rule: string;
  readonly color: string;
  readonly startedAt: number;
  readonly clearedAt?: number;
}

const key = (c: ShownCard) => `${c.startedAt}|${c.rule}|${c.color}|${c.clearedAt ?? '-'}`;
const sortCards = (cards: readonly ShownCard[]) => [...cards].map(key).sort();

/** The cards on record at T: started by T; a yellow card's clearing if by T (red cards never clear on record). */
function recordAt(s: OracleState, T: number, hol: Holidays): ShownCard[] {
  return cardsOf(s, hol)
    .filter((c) => c.start <= T)
    .map((c) => ({
      rule: c.rule,
      color: c.color,
      startedAt: c.start,
      ...(c.color === 'yellow' && c.boardClear !== undefined && c.boardClear <= T ? { clearedAt: c.boardClear } : {}),
    }));
}

function alertsAt(s: OracleState, T: number, hol: Holidays): string[] {
  if (s.closedAt !== undefined && s.closedAt <= T) return [];
  const rules = cardsOf(s, hol)
    .filter((c) => c.start <= T && (c.boardClear === undefined || c.boardClear > T))
    .map((c) => c.rule);
  return [...new Set(rules)].sort();
}

const statusOf = (s: OracleState) =>
  s.closedAt !== undefined
    ? 'closed'
    : s.answeredAt !== undefined
      ? 'answered'
      : s.rejectedAt !== undefined
        ? 'rejected'
        : s.acceptedAt !== undefined
          ? 'accepted'
          : 'received';

/** Events known at K (recorded by then) that occurred by T. */
const view = (events: readonly Ev[], T: number, K?: number) =>
  events.filter((e) => e.occurredAt <= T && (K === undefined || e.recordedAt <= K));

/** A calendar correction: one more holiday (an epoch day), published at `at`. */
interface Correction {
  readonly day: number;
  readonly at: number;
}
/** The holidays added as known at K (all published ones without K). */
const holidaysKnownAt = (c: Correction | undefined, K?: number): Holidays =>
  c !== undefined && (K === undefined || c.at <= K) ? new Set([c.day]) : NONE;

/**
 * The register of withdrawn cards, by its rule: at each write (recorded at W) or calendar
 * publication, a card shown at W (started by W) as the record stood before that no longer on
 * record after it (same rule and start) is withdrawn; a yellow card held on both sides whose
 * clearing had happened by W and which now clears otherwise is a changed clearing.
 */
function withdrawnOf(events: readonly Ev[], correction: Correction | undefined) {
  const out: { rule: string; startedAt: number; withdrawnAt: number; clearingChanged: boolean }[] = [];
  const compare = (before: ShownCard[], after: ShownCard[], W: number) => {
    for (const b of before) {
      const same = after.find((a) => a.rule === b.rule && a.startedAt === b.startedAt);
      if (same === undefined)
        out.push({ rule: b.rule, startedAt: b.startedAt, withdrawnAt: W, clearingChanged: false });
      else if (b.clearedAt !== undefined && same.clearedAt !== b.clearedAt)
        out.push({ rule: b.rule, startedAt: b.startedAt, withdrawnAt: W, clearingChanged: true });
    }
  };
  // A write is the complaint's events recorded at one instant (docs/complaints.md: compared as a whole).
  for (let i = 0; i < events.length; ) {
    const W = events[i]!.recordedAt;
    let j = i;
    while (j < events.length && events[j]!.recordedAt === W) j++;
    const hol = holidaysKnownAt(correction, W);
    compare(
      recordAt(fold(view(events.slice(0, i), W)), W, hol),
      recordAt(fold(view(events.slice(0, j), W)), W, hol),
      W,
    );
    i = j;
  }
  if (correction !== undefined) {
    const P = correction.at;
    const s = fold(view(events, P, P));
    if (s.receivedAt !== undefined && s.receivedAt < P)
      compare(recordAt(s, P, NONE), recordAt(s, P, new Set([correction.day])), P);
  }
  return out;
}

/** The department in charge at t: the receipt's, then each assignment's from its instant. */
function departmentAt(events: readonly Ev[], t: number): string {
  let d = '';
  for (const e of events) {
    if (e.occurredAt > t) break;
    if (e.type === 'ComplaintReceived') d = (e.body['departmentId'] as string | undefined) ?? '';
    if (e.type === 'ComplaintAssigned') d = e.body['departmentId'] as string;
  }
  return d;
}

// ---- generation -----------------------------------------------------------------------------

const delayArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 * 60 }).map((m) => m * MIN) },
  { weight: 2, arbitrary: fc.integer({ min: 24 * 60 - 5, max: 72 * 60 }).map((m) => m * MIN) },
);

/** An offset after `from`: minutes, or exactly at (or a millisecond around) a landmark. */
const stepArb = (maxDays: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: maxDays * 24 * 60 }).map((m) => ({ minutes: m })) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1).map((ms) => ({ landmark: ms })) },
  );

const complaintSpecArb = fc.record({
  receivedMinutes: fc.integer({ min: 0, max: 11 * 24 * 60 }),
  department: fc.option(fc.constantFrom('d1', 'd2'), { nil: undefined }),
  decision: fc.constantFrom('none', 'accepted', 'accepted', 'accepted', 'rejected'),
  decideStep: stepArb(8),
  /** Landmark for the answer: the warning start or the due instant. */
  answerAt: fc.constantFrom('warn', 'due'),
  answerStep: fc.option(stepArb(28), { nil: undefined }),
  assignments: fc.array(
    fc.record({ step: fc.integer({ min: 0, max: 25 * 24 * 60 }), to: fc.constantFrom('d1', 'd2', 'd3') }),
    {
      maxLength: 2,
    },
  ),
  close: fc.option(fc.record({ minutes: fc.integer({ min: 0, max: 5 * 24 * 60 }), satisfied: fc.boolean() }), {
    nil: undefined,
  }),
  delays: fc.array(delayArb, { minLength: 6, maxLength: 6 }),
});
type ComplaintSpec = typeof complaintSpecArb extends fc.Arbitrary<infer T> ? T : never;

function eventsOf(spec: ComplaintSpec): Ev[] {
  const planned: { type: EventType; occurredAt: number; body: Record<string, unknown> }[] = [];
  const receivedAt = BASE + spec.receivedMinutes * MIN;
  planned.push({
    type: 'ComplaintReceived',
    occurredAt: receivedAt,
    body: {
      channel: 'hotline',
      centerId: 'center-A',
      subject: '窗口推诿',
      ...(spec.department === undefined ? {} : { departmentId: spec.department }),
    },
  });
  const at = (from: number, step: { minutes: number } | { landmark: number }, landmark: number) =>
    Math.max(from, 'minutes' in step ? from + step.minutes * MIN : landmark + step.landmark);
  let last = receivedAt;
  if (spec.decision !== 'none') {
    const decidedAt = at(last, spec.decideStep, decideDueOf(receivedAt));
    last = decidedAt;
    if (spec.decision === 'accepted') {
      planned.push({ type: 'ComplaintAccepted', occurredAt: decidedAt, body: {} });
      const later: { type: EventType; occurredAt: number; body: Record<string, unknown> }[] = [];
      for (const a of spec.assignments)
        later.push({ type: 'ComplaintAssigned', occurredAt: decidedAt + a.step * MIN, body: { departmentId: a.to } });
      if (spec.answerStep !== undefined) {
        const landmark = spec.answerAt === 'warn' ? warnAtOf(decidedAt) : answerDueOf(decidedAt);
        later.push({
          type: 'ComplaintAnswered',
          occurredAt: at(decidedAt, spec.answerStep, landmark),
          body: { finding: 'partly' },
        });
      }
      later.sort((x, y) => x.occurredAt - y.occurredAt);
      planned.push(...later);
      if (later.length > 0) last = later.at(-1)!.occurredAt;
    } else planned.push({ type: 'ComplaintRejected', occurredAt: decidedAt, body: { reason: '不属于受理范围' } });
  }
  const closable = planned.some((p) => p.type === 'ComplaintAnswered' || p.type === 'ComplaintRejected');
  // Assignments after the answer are allowed; an answer must come after acceptance (sorted above).
  if (closable && spec.close !== undefined)
    planned.push({
      type: 'ComplaintClosed',
      occurredAt: last + spec.close.minutes * MIN,
      body: spec.close.satisfied ? { satisfaction: 'basically' } : {},
    });
  let recorded = 0;
  return planned.map((p, i) => {
    recorded = Math.max(recorded, p.occurredAt + spec.delays[i % spec.delays.length]!);
    return { ...p, recordedAt: recorded };
  });
}

// ---- the API --------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString();
const q = (ms: number) => encodeURIComponent(iso(ms));

async function post(srv: TestServer, id: string, e: Ev) {
  const res = await call(srv.baseUrl, 'POST', `/complaints/${id}/events`, {
    token: TOKENS.recorder,
    body: { type: e.type, occurredAt: iso(e.occurredAt), ...e.body },
  });
  expect(res.status, `${id} ${e.type} ${res.text}`).toBe(201);
}

const get = async (srv: TestServer, path: string) => {
  const res = await call(srv.baseUrl, 'GET', path, { token: TOKENS.admin });
  return res;
};

const shownOf = (cards: readonly { rule: string; color: string; startedAt: string; clearedAt?: string }[]) =>
  cards.map((c) => ({
    rule: c.rule,
    color: c.color,
    startedAt: Date.parse(c.startedAt),
    ...(c.clearedAt === undefined ? {} : { clearedAt: Date.parse(c.clearedAt) }),
  }));

async function checkRead(
  srv: TestServer,
  id: string,
  events: readonly Ev[],
  correction: Correction | undefined,
  T: number | undefined,
  K: number | undefined,
) {
  const hol = holidaysKnownAt(correction, K);
  const now = srv.clock.now;
  const lastOccurred = Math.max(...view(events, Number.POSITIVE_INFINITY, K).map((e) => e.occurredAt), -Infinity);
  const at = T ?? Math.max(lastOccurred, now);
  const params = [T === undefined ? '' : `asOf=${q(T)}`, K === undefined ? '' : `asKnownAt=${q(K)}`].filter(Boolean);
  const path = `/complaints/${id}${params.length === 0 ? '' : `?${params.join('&')}`}`;
  const res = await get(srv, path);
  const seen = view(events, at, K);
  const s = fold(seen);
  const where = `${path} (asOf ${iso(at)})`;
  if (s.receivedAt === undefined) {
    expect(res.status, where).toBe(404);
    return;
  }
  expect(res.status, `${where} ${res.text}`).toBe(200);
  const b = res.body;
  expect(Date.parse(b.asOf), where).toBe(at);
  expect(b.status, where).toBe(statusOf(s));
  expect(b.departmentId, where).toBe(s.departmentId);
  expect(b.acceptedAt === undefined ? undefined : Date.parse(b.acceptedAt), where).toBe(s.acceptedAt);
  expect(b.answered === undefined ? undefined : Date.parse(b.answered.at), where).toBe(s.answeredAt);
  expect(b.closed === undefined ? undefined : Date.parse(b.closed.at), where).toBe(s.closedAt);
  expect(Date.parse(b.decide.dueAt), where).toBe(decideDueOf(s.receivedAt, hol));
  if (s.acceptedAt !== undefined) {
    expect(Date.parse(b.answer.dueAt), where).toBe(answerDueOf(s.acceptedAt, hol));
    expect(Date.parse(b.answer.warnAt), where).toBe(warnAtOf(s.acceptedAt, hol));
  } else expect(b.answer, where).toBeUndefined();
  expect(sortCards(shownOf(b.cards)), `${where} cards ${JSON.stringify(b.cards)}`).toEqual(
    sortCards(recordAt(s, at, hol)),
  );
  expect([...b.alerts].sort(), `${where} alerts`).toEqual(alertsAt(s, at, hol));
  expect(
    b.events.map((e: { revision: number }) => e.revision),
    `${where} events`,
  ).toEqual(events.flatMap((e, i) => (seen.includes(e) ? [i] : [])));
  // Withdrawn cards as known at K: those withdrawn by K (all of them without K).
  const expected = withdrawnOf(events, correction)
    .filter((w) => K === undefined || w.withdrawnAt <= K)
    .map((w) => `${w.rule}|${w.startedAt}|${w.withdrawnAt}|${w.clearingChanged}`)
    .sort();
  const actual = (
    (b.withdrawnCards ?? []) as { rule: string; startedAt: string; withdrawnAt: string; clearingChanged?: boolean }[]
  )
    .map((w) => `${w.rule}|${Date.parse(w.startedAt)}|${Date.parse(w.withdrawnAt)}|${w.clearingChanged === true}`)
    .sort();
  expect(actual, `${where} withdrawnCards`).toEqual(expected);
}

const cal2025 = createCalendarService(ZONE).getYear(2025)!;
const holidays2025 = [...cal2025.holidays];
const workdays2025 = [...cal2025.workdays];
const isoDate = (day: number) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

describe('complaint reads across time, against an independent oracle', () => {
  it('the oracle counts working days as the engine calendar does (November–December 2025: Monday–Friday)', () => {
    const cal = createCalendarService(ZONE).current();
    for (let d = dayOf(BASE) - 3; d <= dayOf(FINAL); d++) expect(cal.isWorkday(d), String(d)).toBe(isWeekday(d));
  });

  it('asOf / asKnownAt reads, the card registers and /stats agree with the events folded by the instant', async () => {
    const correctionArb = fc.option(
      fc.record({
        // A weekday from 11-04 to 12-19 made a holiday, published at a random half-minute.
        offset: fc.integer({ min: 1, max: 46 }).filter((o) => isWeekday(dayOf(BASE) + o)),
        minutes: fc.integer({ min: 0, max: 50 * 24 * 60 }),
      }),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(complaintSpecArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: dayOf(BASE) * MS_PER_DAY - OFFSET - MS_PER_DAY, max: FINAL }), {
          minLength: 4,
          maxLength: 8,
        }),
        correctionArb,
        async (specs, instants, fix) => {
          const correction: Correction | undefined =
            fix === undefined ? undefined : { day: dayOf(BASE) + fix.offset, at: BASE + fix.minutes * MIN + 30_000 };
          const histories = specs.map((s, i) => ({ id: `QT-${i}`, events: eventsOf(s) }));
          const writes: { at: number; run: (srv: TestServer) => Promise<void> }[] = histories.flatMap((h) =>
            h.events.map((e) => ({ at: e.recordedAt, run: (srv: TestServer) => post(srv, h.id, e) })),
          );
          if (correction !== undefined)
            writes.push({
              at: correction.at,
              run: async (srv) => {
                const res = await call(srv.baseUrl, 'PUT', '/calendar/2025', {
                  token: TOKENS.admin,
                  body: { holidays: [...holidays2025, isoDate(correction.day)].sort(), workdays: workdays2025 },
                });
                expect(res.status, res.text).toBe(200);
              },
            });
          writes.sort((x, y) => x.at - y.at);
          const srv = await startTestServer({ now: iso(BASE - MS_PER_DAY) });
          try {
            for (const w of writes) {
              srv.clock.set(iso(w.at));
              await w.run(srv);
              // Each write folded before the next (the register compares writes in the order recorded).
              expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
            }
            srv.clock.set(iso(FINAL));
            expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);

            const now = holidaysKnownAt(correction);
            for (const h of histories) {
              const landmarks = h.events.flatMap((e) => [
                e.occurredAt,
                e.occurredAt - 1,
                e.recordedAt,
                e.recordedAt - 1,
              ]);
              if (correction !== undefined) landmarks.push(correction.at, correction.at - 1);
              const s = fold(h.events);
              const dues = cardsOf(s, now).flatMap((c) => [c.start, c.start - 1]);
              const Ts = [...new Set([...instants, ...landmarks, ...dues])].filter((t) => t <= FINAL);
              await checkRead(srv, h.id, h.events, correction, undefined, undefined);
              for (const T of Ts) {
                await checkRead(srv, h.id, h.events, correction, T, undefined);
                await checkRead(srv, h.id, h.events, correction, undefined, T);
              }
              for (const T of instants)
                for (const K of landmarks) if (K <= FINAL) await checkRead(srv, h.id, h.events, correction, T, K);
            }

            // The register at now and each complaint's read at now list the same cards; /stats counts them.
            const register = await get(srv, '/cards?from=2025-10-01&to=2026-01-01&subject=complaint&limit=500');
            expect(register.status).toBe(200);
            let total = 0;
            for (const h of histories) {
              const rows = register.body.items.filter((r: { complaintId: string }) => r.complaintId === h.id);
              const detail = await get(srv, `/complaints/${h.id}`);
              expect(sortCards(shownOf(rows)), `/cards vs /complaints/${h.id}`).toEqual(
                sortCards(shownOf(detail.body.cards)),
              );
              for (const r of rows as { startedAt: string; departmentId: string }[])
                expect(r.departmentId, `department of ${h.id} at ${r.startedAt}`).toBe(
                  departmentAt(h.events, Date.parse(r.startedAt)),
                );
              total += rows.length;
            }
            expect(register.body.total).toBe(total);
            const stats = await get(srv, '/stats?from=2025-10-01&to=2026-01-01&groupBy=department');
            expect(stats.body.complaints.cardsTotal).toBe(total);
            for (const g of stats.body.groups as { key: string; complaints: { cardsTotal: number } }[]) {
              const n = register.body.items.filter((r: { departmentId: string }) => r.departmentId === g.key).length;
              expect(g.complaints.cardsTotal, `department ${g.key}`).toBe(n);
            }
            for (const month of ['from=2025-11-01&to=2025-12-01', 'from=2025-12-01&to=2026-01-01']) {
              const m = await get(srv, `/stats?${month}`);
              const r = await get(srv, `/cards?${month}&subject=complaint&limit=500`);
              expect(m.body.complaints.cardsTotal, month).toBe(r.body.total);
            }

            // The register of withdrawn cards and each complaint's withdrawn cards: the oracle's.
            const withdrawn = await get(
              srv,
              '/cards/withdrawn?from=2025-10-01&to=2026-01-01&subject=complaint&limit=500',
            );
            expect(withdrawn.status).toBe(200);
            for (const h of histories) {
              const rows = withdrawn.body.items
                .filter((r: { complaintId: string }) => r.complaintId === h.id)
                .map(
                  (w: { rule: string; startedAt: string; withdrawnAt: string; clearingChanged?: boolean }) =>
                    `${w.rule}|${Date.parse(w.startedAt)}|${Date.parse(w.withdrawnAt)}|${w.clearingChanged === true}`,
                )
                .sort();
              const expected = withdrawnOf(h.events, correction)
                .map((w) => `${w.rule}|${w.startedAt}|${w.withdrawnAt}|${w.clearingChanged}`)
                .sort();
              expect(rows, `/cards/withdrawn ${h.id}`).toEqual(expected);
            }
          } finally {
            await srv.close();
          }
        },
      ),
      { numRuns: Number(process.env['ORACLE_RUNS'] ?? 10) },
    );
  }, 600_000);
});
