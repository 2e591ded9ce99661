/**
 * The worked cases of test/fixtures/timing-edition2.json through HTTP (the
 * write side's decide, the projections, GET /cases at asOf), like
 * scenarios.int.test.ts does for timing.json, all of them (the rating cases
 * E2-07 and E2-08 included).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/domain/lists.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

interface Scenario {
  readonly caseId: string;
  readonly why: string;
  readonly asOf: string;
  readonly events: readonly ({ occurredAt: string; caseId: string; type: string } & Record<string, unknown>)[];
  readonly expect: Record<string, unknown> & { cards: Record<string, unknown>[] };
}

const file = new URL('../fixtures/timing-edition2.json', import.meta.url);
const all = (JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Scenario[] }).scenarios;
const known = new Set<string>(EVENT_TYPES);
const scenarios = all.filter((s) => s.events.every((e) => known.has(e.type)));

let srv: TestServer;
beforeAll(async () => {
  const events = scenarios.flatMap((s) => s.events).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  srv = await startTestServer({ now: events[0]!.occurredAt });
  for (const event of events) {
    if (Date.parse(event.occurredAt) > srv.clock.now) srv.clock.set(event.occurredAt);
    const { caseId, ...body } = event;
    const res = await call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
    if (res.status !== 201) throw new Error(`posting ${caseId} ${event.type}: ${res.status} ${res.text}`);
  }
  srv.clock.set(
    scenarios
      .map((s) => s.asOf)
      .sort()
      .at(-1)!,
  );
});
afterAll(async () => {
  await srv?.close();
});

describe('timing-edition2 scenarios through HTTP', () => {
  it('runs every case, the rating cases E2-07 and E2-08 included (issue 17)', () => {
    expect(all.filter((s) => !scenarios.includes(s)).map((s) => s.caseId)).toEqual([]);
    expect(scenarios.map((s) => s.caseId)).toEqual(expect.arrayContaining(['E2-07', 'E2-08']));
  });

  it.each(scenarios.map((s) => [s.caseId, s.why, s] as const))('%s (%s)', async (caseId, _why, scenario) => {
    const res = await call(srv.baseUrl, 'GET', `/cases/${caseId}?asOf=${encodeURIComponent(scenario.asOf)}`, {
      token: TOKENS.monitor,
    });
    expect(res.status).toBe(200);
    const { cards: expectedCards, ...fields } = scenario.expect;
    for (const [key, value] of Object.entries(fields)) expect({ [key]: res.body[key] }).toEqual({ [key]: value });
    const cards = (res.body.cards as { rule: string }[]).filter((c) => c.rule !== 'late-record');
    expect(cards).toEqual(expectedCards.map((c) => expect.objectContaining(c)));
  });
});
