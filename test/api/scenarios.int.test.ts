/**
 * Every worked case of test/fixtures/timing.json through HTTP: the
 * events are posted in occurredAt order with the clock at each event's instant
 * (so the 5-minute-future rule allows them), then each case is read at its asOf.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

interface Scenario {
  readonly caseId: string;
  readonly why: string;
  readonly asOf: string;
  readonly events: readonly ({ occurredAt: string; caseId: string } & Record<string, unknown>)[];
  readonly expect: Record<string, unknown> & { cards: Record<string, unknown>[] };
}

const SCENARIOS_FILE = new URL('../fixtures/timing.json', import.meta.url);
const scenarios = (JSON.parse(readFileSync(SCENARIOS_FILE, 'utf8')) as { scenarios: Scenario[] }).scenarios;

let srv: TestServer;
beforeAll(async () => {
  const all = scenarios.flatMap((s) => s.events).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  srv = await startTestServer({ now: all[0]?.occurredAt ?? '2024-01-01T00:00:00+08:00' });
  for (const event of all) {
    if (Date.parse(event.occurredAt) > srv.clock.now) srv.clock.set(event.occurredAt);
    const { caseId, ...body } = event;
    const res = await call(srv.baseUrl, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body });
    if (res.status !== 201) throw new Error(`posting ${caseId} ${String(event['type'])}: ${res.status} ${res.text}`);
  }
  srv.clock.set(
    scenarios
      .map((s) => s.asOf)
      .sort()
      .at(-1) as string,
  );
});
afterAll(async () => {
  await srv.close();
});

describe('timing scenarios through HTTP', () => {
  it('covers every scenario of the fixture file', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
  });

  it.each(scenarios.map((s) => [s.caseId, s.why, s] as const))('%s (%s)', async (caseId, _why, scenario) => {
    const res = await call(srv.baseUrl, 'GET', `/cases/${caseId}?asOf=${encodeURIComponent(scenario.asOf)}`, {
      token: TOKENS.monitor,
    });
    expect(res.status).toBe(200);
    const { cards: expectedCards, ...fields } = scenario.expect;
    for (const [key, value] of Object.entries(fields)) expect({ [key]: res.body[key] }).toEqual({ [key]: value });
    // Late-record cards depend on recording times, which the file leaves out.
    const cards = (res.body.cards as { rule: string }[]).filter((c) => c.rule !== 'late-record');
    expect(cards).toEqual(expectedCards.map((c) => expect.objectContaining(c)));
  });
});
