/**
 * `/alerts/stream` with a filter an active alert can leave or join: its center moved out of (or
 * into) the watched subtree by `PUT /directory`, its complaint reassigned to another department.
 * The stream's messages replayed into a board equal `GET /alerts` with the same filter after every
 * change; before, the stream tested only each alert's new version, so the subscriber that had the
 * raise never heard the clear (a phantom for ever) and one that came to match heard only a clear.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatInstant } from '../../src/domain/index.js';
import { openSse, type OpenStream } from '../support/sse.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;

let srv: TestServer;
afterEach(async () => {
  await srv.close();
});

async function send(path: string, body: unknown): Promise<void> {
  const res = await call(srv.baseUrl, 'POST', path, { token: TOKENS.recorder, body });
  expect(res.status, res.text).toBe(201);
}

/** The projections have folded every event recorded, and the cases folded are evaluated (a timer due now). */
async function settle(): Promise<void> {
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000)).toBe(true);
  srv.clock.advance(0);
}

let marks = 0;
/**
 * A case recorded three days late in `where` (its late-record alert is in the stream's filter): once
 * the stream tells it, the stream has told everything the changes before it caused.
 */
async function mark(stream: OpenStream, where: Record<string, unknown>): Promise<void> {
  marks += 1;
  const caseId = `MARK-${marks}`;
  await send(`/cases/${caseId}/events`, accepted(caseId, formatInstant(srv.clock.now - 3 * DAY, ZONE), where));
  await settle();
  await stream.waitFor(`"caseId":"${caseId}"`);
}

/** The board a subscriber holding nothing at connect rebuilds from the stream. */
function replayed(stream: OpenStream): string[] {
  const board = new Set<string>();
  for (const m of stream.messages()) {
    if (m.event === 'alert-raised') board.add(m.data.key!);
    else board.delete(m.data.key!);
  }
  return [...board].sort();
}

async function boardOf(query: string): Promise<string[]> {
  const res = await call(srv.baseUrl, 'GET', `/alerts?${query}`, { token: TOKENS.monitor });
  expect(res.status, res.text).toBe(200);
  return res.body.alerts.map((a: { key: string }) => a.key).sort();
}

/** The stream's messages but the marks', as `event key`. */
const told = (stream: OpenStream): string[] =>
  stream
    .messages()
    .filter((m) => !m.data.key!.startsWith('MARK-'))
    .map((m) => `${m.event} ${m.data.key}`);

describe('/alerts/stream: an alert leaving or joining the filter while active', () => {
  it('a directory move: the stream of a subtree clears the alert whose center left it and raises the one whose center joined', async () => {
    srv = await startTestServer({ now: '2025-11-03T10:00:00+08:00' });
    const directory = (parentOfC3: string, parentOfC4: string) => ({
      centers: [
        { centerId: 'C1', name: 'City', level: 'city' },
        { centerId: 'C2', name: 'District', level: 'district', parentId: 'C1' },
        { centerId: 'C3', name: 'Street A', level: 'street', parentId: parentOfC3 },
        { centerId: 'C4', name: 'Street B', level: 'street', parentId: parentOfC4 },
      ],
      departments: [],
    });
    const publish = async (parentOfC3: string, parentOfC4: string) => {
      const res = await call(srv.baseUrl, 'PUT', '/directory', {
        token: TOKENS.admin,
        body: directory(parentOfC3, parentOfC4),
      });
      expect(res.status, res.text).toBe(200);
    };
    await publish('C2', 'C1');
    const filter = 'centerId=C2&scope=subtree';
    const stream = await openSse(srv.baseUrl, `/alerts/stream?${filter}`, TOKENS.monitor);
    await stream.waitFor(': connected');
    const step = async () => {
      await mark(stream, { centerId: 'C2' });
      expect(replayed(stream)).toEqual(await boardOf(filter));
    };

    // S3 in C3 (under C2), S4 in C4 (under C1): both warned from 11-05 00:00.
    await send('/cases/S3/events', accepted('S3', '2025-11-03T09:00:00+08:00', { centerId: 'C3', promisedDays: 2 }));
    await send('/cases/S4/events', accepted('S4', '2025-11-03T09:00:00+08:00', { centerId: 'C4', promisedDays: 2 }));
    await settle();
    srv.clock.set('2025-11-05T09:00:00+08:00');
    await step();
    expect(told(stream)).toEqual(['alert-raised S3/deadline-warning']);

    await publish('C1', 'C2'); // C3 leaves C2's subtree, C4 joins it
    await step();
    expect(told(stream)).toEqual([
      'alert-raised S3/deadline-warning',
      'alert-cleared S3/deadline-warning',
      'alert-raised S4/deadline-warning',
    ]);

    const completed = { type: 'CaseCompleted', outcome: 'approved', occurredAt: '2025-11-05T09:00:00+08:00' };
    await send('/cases/S3/events', completed);
    await send('/cases/S4/events', completed);
    await step();
    // S3's clear is not told again (the subscriber no longer holds it); S4's is.
    expect(told(stream)).toEqual([
      'alert-raised S3/deadline-warning',
      'alert-cleared S3/deadline-warning',
      'alert-raised S4/deadline-warning',
      'alert-cleared S4/deadline-warning',
    ]);
  });

  it("a complaint reassigned: the old department's stream clears its alert, the new one's raises it", async () => {
    srv = await startTestServer({ now: '2025-11-03T10:00:00+08:00' });
    const d1 = await openSse(srv.baseUrl, '/alerts/stream?departmentId=d1', TOKENS.monitor);
    const d2 = await openSse(srv.baseUrl, '/alerts/stream?departmentId=d2', TOKENS.monitor);
    await d1.waitFor(': connected');
    await d2.waitFor(': connected');
    const step = async () => {
      for (const [departmentId, stream] of [
        ['d1', d1],
        ['d2', d2],
      ] as const) {
        await mark(stream, { departmentId });
        expect(replayed(stream), departmentId).toEqual(await boardOf(`departmentId=${departmentId}`));
      }
    };
    const complaint = (type: string, occurredAt: string, extra: Record<string, unknown> = {}) =>
      send('/complaints/Q1/events', { type, occurredAt, ...extra });
    const warning = 'complaint-Q1/complaint-answer-warning';

    await complaint('ComplaintReceived', '2025-11-03T09:00:00+08:00', {
      channel: 'hotline',
      centerId: 'C1',
      departmentId: 'd1',
      subject: 's',
    });
    await complaint('ComplaintAccepted', '2025-11-03T09:30:00+08:00');
    await settle();
    srv.clock.set('2025-11-21T09:00:00+08:00'); // answered by the end of 11-24: warned, not yet overdue
    await step();
    expect([told(d1), told(d2)]).toEqual([[`alert-raised ${warning}`], []]);

    await complaint('ComplaintAssigned', '2025-11-21T08:00:00+08:00', { departmentId: 'd2' });
    await step();
    expect([told(d1), told(d2)]).toEqual([
      [`alert-raised ${warning}`, `alert-cleared ${warning}`],
      [`alert-raised ${warning}`],
    ]);
    // The clear carries the alert as d1's subscriber held it.
    expect(d1.messages().at(-2)?.data).toMatchObject({ key: warning, departmentId: 'd1' });

    await complaint('ComplaintAssigned', '2025-11-21T08:30:00+08:00', { departmentId: 'd1' });
    await step();
    await complaint('ComplaintAnswered', '2025-11-21T09:00:00+08:00', { finding: 'partly' });
    await step();
    expect([told(d1), told(d2)]).toEqual([
      [`alert-raised ${warning}`, `alert-cleared ${warning}`, `alert-raised ${warning}`, `alert-cleared ${warning}`],
      [`alert-raised ${warning}`, `alert-cleared ${warning}`],
    ]);
  });
});
