import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TOKENS, type TestServer } from '../../test/api/harness.js';
import { startDemoFeed, type DemoFeed } from './feed.js';

let server: TestServer | undefined;
let feed: DemoFeed | undefined;

afterEach(async () => {
  await feed?.stop();
  await server?.close();
  feed = undefined;
  server = undefined;
});

const waitFor = async (ok: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!ok() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
};

describe('startDemoFeed against the real API', () => {
  it('seeds a backlog through POST /events, then live events through POST /cases/{id}/events, none refused, and the board is not empty', async () => {
    server = await startTestServer({ now: '2025-09-24T10:30:00+08:00' });
    const s = server;
    const lines: string[] = [];
    feed = startDemoFeed({
      baseUrl: s.baseUrl,
      token: TOKENS.recorder,
      clock: s.clock.fn,
      seed: 7,
      speed: 100,
      backlogDays: 10,
      backlogCasesPerDay: 15,
      log: (m) => lines.push(m),
    });
    await feed.ready;
    expect(feed.stats.backlogEvents).toBeGreaterThan(500);
    expect(feed.stats.rejected).toBe(0);
    const ticker = setInterval(() => s.clock.advance(30_000), 25);
    try {
      await waitFor(() => (feed?.stats.liveEvents ?? 0) >= 150, 30_000);
    } finally {
      clearInterval(ticker);
    }
    await feed.stop();
    expect(feed.stats.liveEvents).toBeGreaterThanOrEqual(150);
    expect(feed.stats.rejected).toBe(0);
    expect(await s.store.headPosition()).toBeGreaterThanOrEqual(
      BigInt(feed.stats.backlogEvents + feed.stats.liveEvents - 1),
    );
    // 回告 and 延期 among them (backlog and live), every one accepted by the write side (rejected is 0 above).
    const types = new Set<string>();
    for await (const e of s.store.readAll()) types.add(e.type);
    expect(types.has('CaseEscalationAnswered')).toBe(true);
    expect(types.has('CaseExtended')).toBe(true);
    expect(lines.join('\n')).toMatch(/backlog seeded/);
    expect(lines.join('\n')).not.toMatch(/[A-Z]{2}-\d{8}-\d{5}/); // no case ids in the log

    // The first page lists red cards first, and the demo's unanswered 差评 (red) can fill it: read the whole board.
    const res = await fetch(`${s.baseUrl}/alerts?limit=1000`, {
      headers: { authorization: `Bearer ${TOKENS.monitor}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alerts?: { rule: string }[] } | { rule: string }[];
    const alerts = Array.isArray(body) ? body : (body.alerts ?? []);
    const rules = new Set(alerts.map((a) => a.rule));
    expect(rules.has('deadline-warning') || rules.has('overdue')).toBe(true);
  });

  it('keeps retrying (same eventIds) while the server is unreachable, and stops cleanly', async () => {
    const calls: string[] = [];
    feed = startDemoFeed({
      baseUrl: 'http://127.0.0.1:9',
      token: 'x',
      seed: 1,
      backlogDays: 1,
      backlogCasesPerDay: 5,
      log: () => {},
      clock: () => Date.parse('2025-09-24T15:00:00+08:00'),
      fetch: (async (url: string | URL | Request) => {
        calls.push(String(url));
        throw new Error('ECONNREFUSED');
      }) as typeof fetch,
    });
    await waitFor(() => calls.length >= 2, 5_000);
    await feed.stop();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls)).toEqual(new Set(['http://127.0.0.1:9/events']));
    expect(feed.stats.retries).toBeGreaterThanOrEqual(1);
  });
});
