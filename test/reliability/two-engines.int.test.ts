/**
 * Two engine processes on one sqlite file (a second instance started by
 * mistake, or a rolling restart): 50 clients split between them race on one
 * case. The store's revision check must hold across processes: one acceptance,
 * no lost event, and each engine's read models see the other's writes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/decide.js';
import type { CaseEvent } from '../../src/domain/events.js';
import { evolve, initialCaseState } from '../../src/domain/evolve.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { caseStreamId } from '../../src/domain/streams.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { acceptedBody, http, shanghai, TOKEN_CONFIG, TOKENS } from './support/app-server.js';
import { freePort, startEngine, type Engine } from './support/engine-process.js';

let dir: string;
let engines: Engine[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rel-two-'));
  const store = `sqlite:${join(dir, 'events.db')}`;
  const first = await startEngine({
    store,
    port: await freePort(),
    tokens: TOKEN_CONFIG,
    auditLog: join(dir, 'a1.log'),
  });
  const second = await startEngine({
    store,
    port: await freePort(),
    tokens: TOKEN_CONFIG,
    auditLog: join(dir, 'a2.log'),
  });
  engines = [first, second];
}, 120_000);
afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function stored(caseId: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(join(dir, 'events.db'));
  const out: RecordedEvent[] = [];
  try {
    for await (const e of store.readStream(caseStreamId(caseId))) out.push(e);
  } finally {
    await store.close();
  }
  return out;
}

describe('two engines on one sqlite file', () => {
  it('50 clients split across both: one acceptance, one completion, every 201 stored once, stream valid', async () => {
    const caseId = `TWO-${randomUUID().slice(0, 8)}`;
    const via = (i: number) => (engines[i % 2] as Engine).url;
    const race = (make: () => Record<string, unknown>) =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const body = make();
          return http(via(i), 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body }).then((a) => ({
            a,
            body,
          }));
        }),
      );
    // One instant per race: computed per body, a second boundary crossed while the 50 bodies are made gave some
    // completions an instant before the winner's, answered time-rejected instead of 409 (seen once under load).
    const acceptedAt = shanghai(-60_000);
    const escalatedAt = shanghai(-20_000);
    const completedAt = shanghai(-10_000);
    const accepts = await race(() => acceptedBody({ eventId: randomUUID(), occurredAt: acceptedAt }));
    const escalations = await race(() => ({
      type: 'CaseEscalated',
      level: 'reminder',
      by: 'x',
      occurredAt: escalatedAt,
      eventId: randomUUID(),
    }));
    const completions = await race(() => ({
      type: 'CaseCompleted',
      outcome: 'approved',
      occurredAt: completedAt,
      eventId: randomUUID(),
    }));
    const all = [...accepts, ...escalations, ...completions];
    expect(all.filter(({ a }) => a.status !== 201 && a.status !== 409).map(({ a }) => a.text)).toEqual([]);
    expect(accepts.filter(({ a }) => a.status === 201)).toHaveLength(1);
    expect(completions.filter(({ a }) => a.status === 201)).toHaveLength(1);

    const events = await stored(caseId);
    const ids = events.map((e) => e.eventId);
    for (const { a, body } of all)
      expect(ids.filter((id) => id === body['eventId']).length).toBe(a.status === 201 ? 1 : 0);
    let state = initialCaseState(caseId);
    events.forEach((e, i) => {
      expect(e.revision).toBe(BigInt(i));
      const verdict = decide(state, e.data as unknown as CaseEvent, Date.parse(e.recordedAt));
      expect(isLeft(verdict) ? verdict.left.message : 'valid').toBe('valid');
      state = evolve(state, e.data as unknown as CaseEvent, { revision: i, recordedAt: Date.parse(e.recordedAt) });
    });

    // Both engines' read models converge on the same case (each sees the other's commits).
    const reads = await Promise.all(
      engines.map((e) =>
        http(e.url, 'GET', `/cases/${caseId}?asOf=${encodeURIComponent(shanghai(60_000))}`, { token: TOKENS.monitor }),
      ),
    );
    for (const r of reads) {
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('completed');
      expect(r.body.escalations).toHaveLength(events.filter((e) => e.type === 'CaseEscalated').length);
    }
    expect(reads[0]?.text).toBe(reads[1]?.text);
  }, 120_000);

  it('the same eventId sent to both engines by 50 clients is stored once: one 201, the rest 200 with the same revision', async () => {
    const caseId = `TWO-IDEM-${randomUUID().slice(0, 6)}`;
    expect(
      (await http(engines[0]!.url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body: acceptedBody() }))
        .status,
    ).toBe(201);
    // Warm both engines' view of the case first, so any cached state is in play.
    expect(
      (
        await http(engines[1]!.url, 'POST', `/cases/${caseId}/events`, {
          token: TOKENS.recorder,
          body: { type: 'CaseEscalated', level: 'reminder', by: 'x', occurredAt: shanghai(-40_000) },
        })
      ).status,
    ).toBe(201);
    const body = {
      type: 'CaseEscalated',
      level: 'supervision',
      by: 'x',
      occurredAt: shanghai(-30_000),
      eventId: randomUUID(),
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        http(engines[i % 2]!.url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(49);
    expect(new Set(answers.map((a) => a.body.revision))).toEqual(new Set([2]));
    expect((await stored(caseId)).map((e) => e.eventId).filter((id) => id === body.eventId)).toHaveLength(1);
  }, 60_000);

  it('10 rounds of 50 random events split across both engines: every stream replays through decide, nothing lost', async () => {
    const kinds = [
      (p: string) => ({ type: 'CasePaused', pauseId: p, reason: 'testing' }),
      (p: string) => ({ type: 'CaseResumed', pauseId: p }),
      () => ({ type: 'CaseEscalated', level: 'reminder', by: 'x' }),
      () => ({ type: 'CaseCompleted', outcome: 'approved' }),
    ];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 10; round++) {
      const caseId = `TWO-MIX-${round}-${randomUUID().slice(0, 6)}`;
      expect(
        (
          await http(engines[round % 2]!.url, 'POST', `/cases/${caseId}/events`, {
            token: TOKENS.recorder,
            body: acceptedBody(),
          })
        ).status,
      ).toBe(201);
      const sent = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const body = {
            ...(kinds[rand(kinds.length)] as (p: string) => Record<string, unknown>)(`p${rand(3)}`),
            occurredAt: shanghai(-30_000),
            eventId: randomUUID(),
          };
          return http(engines[i % 2]!.url, 'POST', `/cases/${caseId}/events`, { token: TOKENS.recorder, body }).then(
            (a) => ({ a, body }),
          );
        }),
      );
      expect(sent.filter(({ a }) => a.status !== 201 && a.status !== 409).map(({ a }) => a.text)).toEqual([]);
      const events = await stored(caseId);
      const ids = events.map((e) => e.eventId);
      for (const { a, body } of sent)
        expect(ids.filter((id) => id === body['eventId']).length).toBe(a.status === 201 ? 1 : 0);
      let state = initialCaseState(caseId);
      events.forEach((e, i) => {
        expect(e.revision).toBe(BigInt(i));
        const verdict = decide(state, e.data as unknown as CaseEvent, Date.parse(e.recordedAt));
        expect(isLeft(verdict) ? verdict.left.message : 'valid', `${caseId} rev ${i}`).toBe('valid');
        state = evolve(state, e.data as unknown as CaseEvent, { revision: i, recordedAt: Date.parse(e.recordedAt) });
      });
    }
  }, 120_000);
});
