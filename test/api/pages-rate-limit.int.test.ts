/**
 * The pages and their assets are not counted by the tokenless rate limit: an office behind one
 * proxy shares one address, and twenty people opening the board at once load a few hundred files
 * in a second. The API without a token is still limited (rateLimit.int.test.ts).
 */
import { afterEach, expect, it } from 'vitest';
import { startWebServer } from '../web/harness.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

it('a burst of page and asset loads without a token is served; the API without one is limited', async () => {
  const server = await startWebServer({ appOptions: { rateLimitPerSecond: 5 } });
  closers.push(() => server.close());
  const statuses = (path: string, n: number, accept = 'text/html') =>
    Promise.all(
      Array.from({ length: n }, () =>
        fetch(`${server.baseUrl}${path}`, { headers: { accept } }).then((r) => r.arrayBuffer().then(() => r.status)),
      ),
    );
  const paths = ['/', '/reports', '/cards', '/assets/config.json', '/favicon.ico'];
  const loads = await Promise.all(paths.map((p) => statuses(p, 30)));
  // Each path answers as it does alone (a page 200, the favicon 204), never 429.
  expect(loads.map((l) => [...new Set(l)])).toEqual([[200], [200], [200], [200], [204]]);
  expect(await statuses('/alerts', 30, 'application/json')).toContain(429);
});

// Session 26: OPTIONS was answered (204 with Allow) before the rate limit, so a caller could send it without bound.
it('OPTIONS is counted like the API: a burst of them without a token is limited, on an API path and on a page', async () => {
  const server = await startWebServer({ appOptions: { rateLimitPerSecond: 5 } });
  closers.push(() => server.close());
  const burst = (path: string, n = 30) =>
    Promise.all(
      Array.from({ length: n }, () =>
        fetch(`${server.baseUrl}${path}`, { method: 'OPTIONS' }).then((r) =>
          r.arrayBuffer().then(() => [r.status, r.headers.get('allow')] as const),
        ),
      ),
    );
  for (const path of ['/alerts', '/']) {
    const answers = await burst(path);
    const statuses = answers.map(([status]) => status);
    expect([path, [...new Set(statuses)].sort()]).toEqual([path, [204, 429]]);
    // Those answered still name the methods.
    expect(answers.find(([status]) => status === 204)?.[1]).toBe('GET, HEAD, OPTIONS');
    await new Promise((r) => setTimeout(r, 1_100)); // the next window: the burst before used this one up
  }
});
