/**
 * 50 clients racing on one case over HTTP (sqlite store): each answer is a
 * success or a conflict, never two acceptances of one exclusive transition,
 * never a lost event; afterwards the stream replays through `decide` with every
 * event valid after its predecessors, and revisions are 0..n-1.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/decide.js';
import type { CaseEvent } from '../../src/domain/events.js';
import { evolve, initialCaseState } from '../../src/domain/evolve.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { caseStreamId } from '../../src/domain/streams.js';
import type { RecordedEvent } from '../../src/store/port.js';
import {
  acceptedBody,
  http,
  shanghai,
  startAppServer,
  TOKENS,
  type Answer,
  type AppServer,
} from './support/app-server.js';

const CLIENTS = 50;
let srv: AppServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rel-race-'));
  // The races use one token from many clients: the per-token rate limit (tested in
  // hostile.int.test.ts) would answer 429 and hide the write path under test.
  srv = await startAppServer(new SqliteEventStore(join(dir, 'events.db')), { rateLimitPerSecond: 0 });
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (caseId: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> =>
  http(srv.url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body, headers });

/** Fire every body at once (one client each). */
async function race(caseId: string, bodies: Array<Record<string, unknown>>, headers: Record<string, string> = {}) {
  const answers = await Promise.all(bodies.map((b) => post(caseId, b, headers)));
  return { answers, bodies };
}

async function stream(caseId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of srv.store.readStream(caseStreamId(caseId))) out.push(e);
  return out;
}

/** Every 201 is stored exactly once under its eventId; every rejection left nothing. */
async function expectNoLostNoGhost(caseId: string, answers: Answer[], bodies: Array<Record<string, unknown>>) {
  const stored = await stream(caseId);
  const ids = stored.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  answers.forEach((a, i) => {
    const eventId = bodies[i]?.['eventId'] as string;
    const count = ids.filter((id) => id === eventId).length;
    expect(count, `eventId ${eventId} answered ${a.status}`).toBe(a.status === 201 ? 1 : 0);
  });
  return stored;
}

function expectReplayValid(stored: RecordedEvent[]): void {
  let state = initialCaseState('x');
  stored.forEach((e, i) => {
    expect(e.revision).toBe(BigInt(i));
    const event = e.data as unknown as CaseEvent;
    const verdict = decide(state, event, Date.parse(e.recordedAt));
    expect(isLeft(verdict) ? verdict.left.message : 'valid', `revision ${i} (${e.type})`).toBe('valid');
    state = evolve(state, event, { revision: i, recordedAt: Date.parse(e.recordedAt) });
  });
}

const statuses = (answers: Answer[]) => answers.map((a) => a.status);
const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

describe(`${CLIENTS} clients racing on one case over HTTP`, () => {
  it('accepts the case once: one 201 for CaseAccepted, 409 for the rest', async () => {
    const caseId = `RACE-${randomUUID().slice(0, 8)}`;
    const { answers, bodies } = await race(
      caseId,
      Array.from({ length: CLIENTS }, () => acceptedBody({ eventId: randomUUID() })),
    );
    expect(count(answers, 201)).toBe(1);
    expect(count(answers, 409)).toBe(CLIENTS - 1);
    expectReplayValid(await expectNoLostNoGhost(caseId, answers, bodies));
  });

  it('exclusive transitions are won once: the same pauseId paused, resumed, then the case completed', async () => {
    const caseId = `RACE-${randomUUID().slice(0, 8)}`;
    expect((await post(caseId, acceptedBody())).status).toBe(201);
    const steps: Array<() => Record<string, unknown>> = [
      () => ({
        type: 'CasePaused',
        pauseId: 'p1',
        reason: 'testing',
        occurredAt: shanghai(-50_000),
        eventId: randomUUID(),
      }),
      () => ({ type: 'CaseResumed', pauseId: 'p1', occurredAt: shanghai(-40_000), eventId: randomUUID() }),
      () => ({ type: 'CaseCompleted', outcome: 'approved', occurredAt: shanghai(-30_000), eventId: randomUUID() }),
    ];
    for (const make of steps) {
      const { answers } = await race(caseId, Array.from({ length: CLIENTS }, make));
      expect(statuses(answers).filter((s) => s !== 201 && s !== 409)).toEqual([]);
      expect(count(answers, 201)).toBe(1);
    }
    const stored = await stream(caseId);
    expect(stored.map((e) => e.type)).toEqual(['CaseAccepted', 'CasePaused', 'CaseResumed', 'CaseCompleted']);
    expectReplayValid(stored);
  });

  it('If-Match on the same revision: exactly one writer wins, the others get 409 revision-conflict', async () => {
    const caseId = `RACE-${randomUUID().slice(0, 8)}`;
    expect((await post(caseId, acceptedBody())).status).toBe(201);
    const { answers, bodies } = await race(
      caseId,
      Array.from({ length: CLIENTS }, () => ({
        type: 'CaseEscalated',
        level: 'reminder',
        by: 'office',
        occurredAt: shanghai(-50_000),
        eventId: randomUUID(),
      })),
      { 'If-Match': '0' },
    );
    expect(count(answers, 201)).toBe(1);
    expect(count(answers, 409)).toBe(CLIENTS - 1);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).toBe('revision-conflict');
    const stored = await expectNoLostNoGhost(caseId, answers, bodies);
    expect(stored).toHaveLength(2);
    expectReplayValid(stored);
  });

  it('compatible writes without If-Match: every 201 is stored once, no answer but 201 or 409', async () => {
    const caseId = `RACE-${randomUUID().slice(0, 8)}`;
    expect((await post(caseId, acceptedBody())).status).toBe(201);
    const { answers, bodies } = await race(
      caseId,
      Array.from({ length: CLIENTS }, () => ({
        type: 'CaseEscalated',
        level: 'supervision',
        by: 'office',
        occurredAt: shanghai(-50_000),
        eventId: randomUUID(),
      })),
    );
    expect(statuses(answers).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(count(answers, 201)).toBeGreaterThan(0);
    const stored = await expectNoLostNoGhost(caseId, answers, bodies);
    expect(stored).toHaveLength(1 + count(answers, 201));
    expectReplayValid(stored);
  });

  it('the same eventId sent by 50 clients at once is stored once: one 201, the rest 200 with the same revision', async () => {
    const caseId = `RACE-${randomUUID().slice(0, 8)}`;
    expect((await post(caseId, acceptedBody())).status).toBe(201);
    const body = {
      type: 'CaseEscalated',
      level: 'reminder',
      by: 'office',
      occurredAt: shanghai(-50_000),
      eventId: randomUUID(),
    };
    const { answers } = await race(
      caseId,
      Array.from({ length: CLIENTS }, () => body),
    );
    expect(count(answers, 201)).toBe(1);
    expect(count(answers, 200)).toBe(CLIENTS - 1);
    expect(new Set(answers.map((a) => a.body.revision))).toEqual(new Set([1]));
    expect(await stream(caseId)).toHaveLength(2);
  });

  it('random mixed races (property, 25 runs): the stream always replays through decide, nothing lost', async () => {
    const eventOf = fc.oneof(
      fc.constantFrom('p1', 'p2', 'p3').map((pauseId) => ({ type: 'CasePaused', pauseId, reason: 'testing' })),
      fc.constantFrom('p1', 'p2', 'p3').map((pauseId) => ({ type: 'CaseResumed', pauseId })),
      fc.constant({ type: 'CaseEscalated', level: 'reminder', by: 'office' }),
      fc.constantFrom('approved', 'rejected').map((outcome) => ({ type: 'CaseCompleted', outcome })),
      fc.constant(acceptedBody()),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventOf, { minLength: CLIENTS, maxLength: CLIENTS }), async (events) => {
        runs++;
        const caseId = `MIX-${randomUUID().slice(0, 8)}`;
        expect((await post(caseId, acceptedBody())).status).toBe(201);
        const bodies = events.map((e) => ({ ...e, occurredAt: shanghai(-30_000), eventId: randomUUID() }));
        const { answers } = await race(caseId, bodies);
        expect(statuses(answers).filter((s) => s !== 201 && s !== 409)).toEqual([]);
        const stored = await expectNoLostNoGhost(caseId, answers, bodies);
        expect(stored.filter((e) => e.type === 'CaseCompleted').length).toBeLessThanOrEqual(1);
        expectReplayValid(stored);
      }),
      { numRuns: 25 },
    );
    expect(runs).toBe(25);
  });
});
