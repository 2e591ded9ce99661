/**
 * Operations review: a projection that stalls after the start was invisible. /readyz answered
 * 200 with a lag of 51 and a dead subscription, a recorded case read 404, and the first scrape
 * showed a lag of 0 (the head was read in the background, one scrape stale).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stallingStore } from '../support/stallingStore.js';
import { accepted, call, FakeClock, startTestServer, type TestServer, TOKENS } from './harness.js';

const NOW = '2025-09-22T10:00:00+08:00';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<{ s: TestServer; rig: ReturnType<typeof stallingStore> }> {
  const clock = new FakeClock(Date.parse(NOW));
  const rig = stallingStore(clock.fn);
  server = await startTestServer({ store: rig.store, now: NOW });
  return { s: server, rig };
}

const record = (s: TestServer, id: string) =>
  call(s.baseUrl, 'POST', `/cases/${id}/events`, {
    token: TOKENS.recorder,
    body: { ...accepted(id, '2025-09-22T09:00:00+08:00'), caseId: undefined },
  });

const gauge = (text: string, name: string): number =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.split(' ')[1],
  );

describe('a projection that stalls after the start', () => {
  it('a failed subscription makes /readyz not ready at once, and the first scrape shows the lag', async () => {
    const { s, rig } = await start();
    expect((await record(s, 'S0')).status).toBe(201);
    expect((await call(s.baseUrl, 'GET', '/cases/S0', { token: TOKENS.monitor })).status).toBe(200); // folded
    rig.set('failing');
    for (let i = 1; i <= 50; i++) expect((await record(s, `S${i}`)).status).toBe(201);
    const scrape = await (await fetch(`${s.baseUrl}/metrics`)).text();
    expect(gauge(scrape, 'supervision_projection_lag_events')).toBe(50);
    await vi.waitFor(async () => expect((await call(s.baseUrl, 'GET', '/readyz')).status).toBe(503), {
      timeout: 10_000,
      interval: 50,
    });
    const ready = await call(s.baseUrl, 'GET', '/readyz');
    expect(ready.body.projection).toMatchObject({ following: false, lagEvents: 50 });
    expect(ready.body.reason).toContain('lost their subscription');

    rig.set('live'); // the loop's next retry subscribes again
    await vi.waitFor(async () => expect((await call(s.baseUrl, 'GET', '/readyz')).status).toBe(200), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await call(s.baseUrl, 'GET', '/cases/S50', { token: TOKENS.monitor })).status).toBe(200);
  }, 30_000);

  it('a subscription that hangs makes /readyz not ready once behind for over a minute', async () => {
    const { s, rig } = await start();
    rig.set('hung');
    for (let i = 1; i <= 5; i++) expect((await record(s, `H${i}`)).status).toBe(201);
    // Behind, but not for long: still ready (a few events behind for a moment is normal).
    const first = await call(s.baseUrl, 'GET', '/readyz');
    expect(first.status).toBe(200);
    expect(first.body.projection).toMatchObject({ following: true, lagEvents: 5, behindSeconds: 0 });
    s.clock.advance(60_000);
    expect((await call(s.baseUrl, 'GET', '/readyz')).status).toBe(200);
    s.clock.advance(1_000);
    const stalled = await call(s.baseUrl, 'GET', '/readyz');
    expect(stalled.status).toBe(503);
    expect(stalled.body.reason).toContain('behind the store for 61 s (5 events)');
    const scrape = await (await fetch(`${s.baseUrl}/metrics`)).text();
    expect(gauge(scrape, 'supervision_projection_behind_seconds')).toBe(61);

    rig.set('live');
    await vi.waitFor(async () => expect((await call(s.baseUrl, 'GET', '/readyz')).status).toBe(200), {
      timeout: 10_000,
      interval: 50,
    });
    const after = await (await fetch(`${s.baseUrl}/metrics`)).text();
    expect(gauge(after, 'supervision_projection_behind_seconds')).toBe(0);
  }, 30_000);

  it('a projection that keeps up stays ready however long the writes go on', async () => {
    const { s } = await start();
    for (let i = 0; i < 20; i++) {
      expect((await record(s, `K${i}`)).status).toBe(201);
      expect((await call(s.baseUrl, 'GET', '/readyz')).status).toBe(200);
      s.clock.advance(30_000);
    }
    expect((await call(s.baseUrl, 'GET', '/readyz')).body.projection.behindSeconds).toBe(0);
  });
});
