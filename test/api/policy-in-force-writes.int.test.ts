/**
 * The write side uses the policy version in force as recorded (session 16): an engine started
 * without POLICY_FILE (the built-in policy, recorded only on a store with none) on a store that
 * records version R keeps R for evaluation, and its writes take R's futureToleranceMinutes too,
 * for case and complaint events alike. Before, they took the built-in 5 minutes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.js';
import { parseDate } from '../../src/domain/time.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import { listen, request, TEST_TOKEN_CONFIG, TEST_TOKENS } from '../support/server.js';
import { accepted, FakeClock, ZONE } from './harness.js';

const RECORDED: Policy = { ...DEFAULT_POLICY, version: 'R', futureToleranceMinutes: 60 };
const NOW = '2025-09-22T10:00:00+08:00';
const HALF_AN_HOUR_AHEAD = '2025-09-22T10:30:00+08:00';

let running: { engine: Engine; close(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** An engine as `npm start` composes it without POLICY_FILE, on a store that records R. */
async function startWithoutPolicyFile(): Promise<string> {
  const clock = new FakeClock(Date.parse(NOW));
  const store = new MemoryEventStore({ clock: clock.fn });
  const publication = { policy: RECORDED, effectiveFrom: parseDate('2025-01-01'), publishedAt: Date.parse(NOW) - 1 };
  await store.append(POLICY_STREAM_ID, [policyEventData(publication, ZONE)]);
  const engine = await createEngine({
    store,
    zone: ZONE,
    tokens: TEST_TOKEN_CONFIG,
    policy: DEFAULT_POLICY,
    recordPolicy: { onlyIfNoneRecorded: true },
    scheduler: clock.scheduler,
    metrics: { defaultMetrics: false },
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const server = await listen(engine.app);
  running = {
    engine,
    async close() {
      await server.close();
      await engine.close();
    },
  };
  return server.baseUrl;
}

describe('writes without POLICY_FILE on a store that records a policy', () => {
  it("take the recorded version's futureToleranceMinutes, for cases and complaints", async () => {
    const url = await startWithoutPolicyFile();
    expect(running?.engine.policyInForce().version).toBe('R');
    const { caseId: _c, ...body } = accepted('W-1', HALF_AN_HOUR_AHEAD);
    const caseWrite = await request(url, 'POST', '/cases/W-1/events', { token: TEST_TOKENS.recorder, body });
    expect(caseWrite.status, JSON.stringify(caseWrite.body)).toBe(201);
    const complaintWrite = await request(url, 'POST', '/complaints/Q-1/events', {
      token: TEST_TOKENS.recorder,
      body: {
        type: 'ComplaintReceived',
        occurredAt: HALF_AN_HOUR_AHEAD,
        channel: 'hotline',
        centerId: 'center-A',
        subject: '窗口态度',
      },
    });
    expect(complaintWrite.status, JSON.stringify(complaintWrite.body)).toBe(201);
    // Beyond R's 60 minutes is still refused.
    const { caseId: _d, ...late } = accepted('W-2', '2025-09-22T11:30:00+08:00');
    expect((await request(url, 'POST', '/cases/W-2/events', { token: TEST_TOKENS.recorder, body: late })).status).toBe(
      422,
    );
  });
});
