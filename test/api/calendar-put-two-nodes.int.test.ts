/**
 * Two API nodes on one store (docs/scaling.md "Topology on EventStoreDB") take notices for the same
 * year at once. `oneAtATime` orders a node's own notices; across nodes the store does: a notice is
 * appended expecting the calendar stream as this node last read it, so of two racing notices the
 * second is refused 409 instead of being recorded with `changes` against days that were no longer
 * in force.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CALENDAR_STREAM_ID } from '../../src/projections/calendarEvents.js';
import { networkedStore } from '../support/networkedStore.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

const NOW = '2026-11-20T10:00:00+08:00';
const nodes: TestServer[] = [];
afterEach(async () => {
  for (const node of nodes.splice(0).reverse()) await node.close();
});

async function twoNodes(): Promise<[TestServer, TestServer]> {
  const store = networkedStore(() => Date.parse(NOW));
  nodes.push(await startTestServer({ now: NOW, store }), await startTestServer({ now: NOW, store }));
  return [nodes[0]!, nodes[1]!];
}

const put = (node: TestServer, body: unknown) =>
  call(node.baseUrl, 'PUT', '/calendar/2026', { token: TOKENS.admin, body });

async function stored(node: TestServer): Promise<string[][]> {
  const notices: string[][] = [];
  for await (const e of node.store.readStream(CALENDAR_STREAM_ID)) notices.push(e.data['holidays'] as string[]);
  return notices;
}

describe('PUT /calendar/{year} on two nodes at once', () => {
  it('records one of two racing notices and refuses the other 409, naming what to do', async () => {
    const [a, b] = await twoNodes();
    const answers = await Promise.all([
      put(a, { region: 'xj', holidays: ['2026-11-30'], workdays: [] }),
      put(b, { region: 'xj', holidays: ['2026-12-03'], workdays: [] }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(refused.body.error.code).toBe('revision-conflict');
    expect(refused.body.error.message).toMatch(/another calendar notice was published meanwhile/);
    expect(await stored(a)).toHaveLength(1);
  });

  it('a notice sent to the other node after the first was recorded reports its changes against it', async () => {
    const [a, b] = await twoNodes();
    expect((await put(a, { region: 'xj', holidays: ['2026-11-30'], workdays: [] })).status).toBe(200);
    const second = await put(b, { region: 'xj', holidays: ['2026-12-03'], workdays: [] });
    expect(second.status, second.text).toBe(200);
    expect(second.body.changes).toMatchObject({ holidaysAdded: ['2026-12-03'], holidaysRemoved: ['2026-11-30'] });
    expect(await stored(a)).toEqual([['2026-11-30'], ['2026-12-03']]);
  });
});
