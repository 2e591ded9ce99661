/**
 * The history as evidence (SPEC §1, §3 "What was known", §4 `/cases/{id}/history`): random cases with
 * late records (recorded more than 24 h after they occurred), calendar corrections in between,
 * escalations and extensions, replayed as an auditor would — and checked against what the test sent
 * (its own fold of the writes: every event with its occurredAt, recordedAt, eventId and actor, and
 * the late records each makes a card of), and across the four places a card is shown: the case
 * read, the history's rows, the history's `current` (with its explanation) and the card register's
 * row (with its explanation). As known just before each write, the history holds exactly the events
 * recorded by then, and the case read as known then shows the same cards.
 */
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { openApiDocument } from '../../src/api/openapi.js';
import { describe, expect, it } from 'vitest';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

const DOC_ID = 'https://e-supervision.invalid/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...openApiDocument, $id: DOC_ID });
/** The documented schema of a history page (its `lateRecord` and `card-withdrawn` rows included). */
const historySchema = ajv.getSchema(
  `${DOC_ID}#/paths/${encodeURIComponent('~1cases~1{caseId}~1history')}/get/responses/200/content/${encodeURIComponent('application~1json')}/schema`,
);

const H = 3_600_000;
const START = Date.parse('2025-09-01T09:00:00+08:00'); // a Monday

type Step =
  | { kind: 'pause' | 'resume' | 'escalate' | 'complete'; gapH: number; lagH: number }
  | { kind: 'extend'; gapH: number; lagH: number; days: number }
  | { kind: 'holiday'; gapH: number; lagH: number; dayOffset: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('pause' as const, 'resume' as const, 'escalate' as const, 'complete' as const),
    gapH: fc.integer({ min: 1, max: 60 }),
    // 24 h exactly is not late (the rule is "more than 24 h"): the boundary comes up often.
    lagH: fc.oneof(fc.constant(0), fc.constant(24), fc.integer({ min: 1, max: 80 })),
  }),
  fc.record({
    kind: fc.constant('extend' as const),
    gapH: fc.integer({ min: 1, max: 60 }),
    lagH: fc.oneof(fc.constant(0), fc.integer({ min: 25, max: 80 })),
    days: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('holiday' as const),
    gapH: fc.constant(0),
    lagH: fc.integer({ min: 1, max: 30 }),
    dayOffset: fc.integer({ min: 0, max: 12 }),
  }),
);

interface Sent {
  readonly type: string;
  readonly eventId: string;
  readonly actor: string;
  readonly occurredAt: number;
  readonly recordedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const q = (ms: number) => encodeURIComponent(iso(ms));
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes
type Row = Record<string, any>;
/** A card's identity: its rule and instants, and which event a late-record card is of (two may start together). */
const cardKey = (c: Row) =>
  `${c.rule}@${Date.parse(c.startedAt)}→${c.clearedAt === undefined ? '' : Date.parse(c.clearedAt)}` +
  (c.rule === 'late-record' ? `#${c.details?.revision ?? c.explain?.revision}` : '') +
  // Two escalations of one day have cards starting at the same instant: told apart by escalation.
  (c.rule.startsWith('escalation') ? `#${c.escalation ?? c.explain?.escalationId}` : '');

async function replay(srv: TestServer, promisedDays: number, steps: readonly Step[]): Promise<Sent[]> {
  const get = (path: string, token: string = TOKENS.auditor) => call(srv.baseUrl, 'GET', path, { token });
  const sent: Sent[] = [];
  const post = async (type: string, occurredAt: number, body: Record<string, unknown>) => {
    const eventId = randomUUID();
    const actor = `clerk-${sent.length}`;
    const res = await call(srv.baseUrl, 'POST', '/cases/H-1/events', {
      token: TOKENS.recorder,
      body: { type, occurredAt: iso(occurredAt), eventId, actor, ...body },
    });
    // An extension once the case is due (it does not cure the lateness), or past the limit, is refused: not sent.
    if (
      type === 'CaseExtended' &&
      res.status === 409 &&
      ['extension-after-deadline', 'extension-limit'].includes(res.body.error.code)
    )
      return;
    expect(res.status, res.text).toBe(201);
    sent.push({ type, eventId, actor, occurredAt, recordedAt: srv.clock.now });
  };
  const { caseId: _c, ...acceptance } = accepted('H-1', iso(START), { promisedDays });
  await post('CaseAccepted', START, acceptance);
  let occurred = START;
  let paused = 0;
  for (const s of steps) {
    occurred += s.gapH * H;
    const recordAt = Math.max(srv.clock.now, occurred + s.lagH * H);
    srv.clock.set(iso(recordAt));
    if (s.kind === 'holiday') {
      const year = (await get('/calendar/2025', TOKENS.admin)).body;
      const day = new Date(START + (s.dayOffset + 1) * 24 * H).toISOString().slice(0, 10);
      const holidays = [...new Set([...year.holidays, day])].sort();
      const workdays = year.workdays.filter((d: string) => d !== day);
      const put = await call(srv.baseUrl, 'PUT', '/calendar/2025', {
        token: TOKENS.admin,
        body: { holidays, workdays },
      });
      expect(put.status, put.text).toBe(200);
      continue;
    }
    if (s.kind === 'pause' && paused === 0) {
      await post('CasePaused', occurred, { pauseId: 'p1', reason: 'supplement' });
      paused = 1;
    } else if (s.kind === 'resume' && paused === 1) {
      await post('CaseResumed', occurred, { pauseId: 'p1' });
      paused = 2; // one pause per case keeps the ids simple
    } else if (s.kind === 'escalate') {
      await post('CaseEscalated', occurred, { level: 'reminder', by: 'office' });
    } else if (s.kind === 'extend') {
      await post('CaseExtended', occurred, { days: s.days, approvedBy: 'director', reason: '情况复杂' });
    } else if (s.kind === 'complete') {
      if (paused === 1) await post('CaseResumed', occurred, { pauseId: 'p1' });
      await post('CaseCompleted', occurred, { outcome: 'approved' });
      break;
    }
  }
  srv.clock.advance(H);
  return sent;
}

describe('the history as evidence, against the writes sent', () => {
  it(
    'every event as sent, every card in the four places alike, as known just before each write',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 6 }),
          fc.array(step, { minLength: 1, maxLength: 8 }),
          async (promisedDays, steps) => {
            const srv = await startTestServer({ now: iso(START) });
            try {
              const get = (path: string) => call(srv.baseUrl, 'GET', path, { token: TOKENS.auditor });
              const sent = await replay(srv, promisedDays, steps);
              const history = (await get('/cases/H-1/history?limit=1000')).body;
              const read = (await get('/cases/H-1')).body;
              expect(history.asOf).toBe(read.asOf);
              expect(historySchema?.(history) ? [] : historySchema?.errors).toEqual([]);

              // Every event as sent, in order, with who and both instants.
              const events = history.entries.filter((e: { kind: string }) => e.kind === 'event');
              expect(
                events.map((e: Row) => ({
                  type: e.type,
                  revision: e.revision,
                  eventId: e.event.eventId,
                  actor: e.actor,
                  occurredAt: Date.parse(e.at),
                  recordedAt: Date.parse(e.recordedAt),
                })),
              ).toEqual(sent.map((s, revision) => ({ ...s, revision })));

              // The test's fold: a late-record card for every event recorded more than 24 h after it occurred.
              const late = sent.filter((s) => s.recordedAt - s.occurredAt > 24 * H);
              const lateCards = read.cards.filter((c: { rule: string }) => c.rule === 'late-record');
              expect(lateCards.map((c: { startedAt: string }) => Date.parse(c.startedAt))).toEqual(
                late.map((s) => s.recordedAt),
              );

              // The history marks the same events late, as the page shows them (never recomputed there).
              expect(
                events.flatMap((e: { lateRecord?: true; revision: number }) => (e.lateRecord ? [e.revision] : [])),
              ).toEqual(sent.flatMap((s, revision) => (s.recordedAt - s.occurredAt > 24 * H ? [revision] : [])));

              // The case read, the history's current and its rows show the same cards, explained alike (session 25).
              const cards: string[] = read.cards.map(cardKey).sort();
              expect(history.current.cards).toEqual(read.cards);
              const raised = history.entries.filter((e: { kind: string }) => e.kind === 'card-raised');
              const cleared = history.entries.filter((e: { kind: string }) => e.kind === 'card-cleared');
              expect(raised.map((e: { card: never }) => cardKey(e.card)).sort()).toEqual(cards);
              expect(cleared.map((e: { card: never }) => cardKey(e.card)).sort()).toEqual(
                read.cards
                  .filter((c: { clearedAt?: string }) => c.clearedAt !== undefined)
                  .map(cardKey)
                  .sort(),
              );
              // Withdrawn cards: alike in the read, the history's current and its rows, each at a write's instant.
              const withdrawn = read.withdrawnCards ?? [];
              expect(history.current.withdrawnCards ?? []).toEqual(withdrawn);
              expect(
                history.entries
                  .filter((e: { kind: string }) => e.kind === 'card-withdrawn')
                  .map((e: { card: unknown }) => e.card),
              ).toEqual(withdrawn);

              // Each says when and by what: the events of a write (as sent, at their recording), or a calendar publication.
              for (const w of withdrawn) {
                const by = w.withdrawnBy;
                if ('events' in by) {
                  const ids = by.events.map((e: { eventId: string }) => e.eventId);
                  const write = sent.filter((e) => ids.includes(e.eventId));
                  expect(write.map((e) => e.eventId)).toEqual(ids);
                  expect(write.map((e) => e.recordedAt)).toContain(Date.parse(w.withdrawnAt));
                } else {
                  expect(by.calendarVersion).not.toBe(by.previousCalendarVersion);
                  expect(Date.parse(w.withdrawnAt)).toBeLessThanOrEqual(srv.clock.now);
                }
              }

              // The register's rows of the case: the same cards, explained as the history explains them.
              const register = (await get('/cards?from=2025-08-01&to=2026-01-01&limit=500')).body;
              const rows = register.items.filter((r: { caseId?: string }) => r.caseId === 'H-1');
              expect(rows.map(cardKey).sort()).toEqual(cards);
              for (const row of rows) {
                const card = history.current.cards.find((c: never) => cardKey(c) === cardKey(row));
                expect(row.explain, cardKey(row)).toEqual(card.explain);
              }

              // As known just before each write and at it: the events recorded by then, the same cards.
              for (const [i, s] of sent.entries()) {
                for (const k of [s.recordedAt - 1, s.recordedAt]) {
                  const known = await get(`/cases/H-1/history?limit=1000&asKnownAt=${q(k)}`);
                  const count = sent.filter((e) => e.recordedAt <= k).length;
                  if (count === 0) {
                    expect(known.status).toBe(404);
                    continue;
                  }
                  expect(known.status, known.text).toBe(200);
                  const revisions = known.body.entries.filter((e: { kind: string }) => e.kind === 'event');
                  expect(
                    revisions.map((e: { revision: number }) => e.revision),
                    `${i} ${iso(k)}`,
                  ).toEqual([...Array(count).keys()]);
                  const caseThen = (await get(`/cases/H-1?asKnownAt=${q(k)}`)).body;
                  expect(known.body.current.cards).toEqual(caseThen.cards);
                  expect(caseThen.cards.filter((c: { rule: string }) => c.rule === 'late-record')).toHaveLength(
                    late.filter((e) => e.recordedAt <= k).length,
                  );
                }
              }
            } finally {
              await srv.close();
            }
          },
        ),
        { numRuns: Number(process.env.RUNS ?? 20) },
      );
    },
    Math.max(240_000, Number(process.env.RUNS ?? 20) * 12_000),
  );
});
