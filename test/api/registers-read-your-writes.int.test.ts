/**
 * The registers and reports a 通报 is written from reflect every write committed before the request,
 * as a case read does: a reader who recorded a batch and then reads `/cards` sees all of it (an
 * auditor's review found `/cards` answering from a fold that had applied part of the batch).
 */
import { afterEach, expect, it } from 'vitest';
import { MemoryEventStore } from '../../src/store/memory/memory-store.js';
import type { EventStore, Subscription, SubscriptionMessage } from '../../src/store/port.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

/** A store whose subscriptions deliver nothing while `held`: the projections fall behind the writes. */
function holdingStore(inner: EventStore): { store: EventStore; hold(): void; release(): void } {
  let held = false;
  let waiting: (() => void)[] = [];
  const gate = () => (held ? new Promise<void>((r) => waiting.push(r)) : undefined);
  const subscribe = (options: Parameters<EventStore['subscribeToAll']>[0]): Subscription => {
    const sub = inner.subscribeToAll(options);
    return {
      close: () => sub.close(),
      async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
        for await (const message of sub) {
          await gate();
          yield message;
        }
      },
    };
  };
  const store = new Proxy(inner, {
    get: (target, key, receiver) =>
      key === 'subscribeToAll'
        ? subscribe
        : (Reflect.get(target, key, receiver)?.bind?.(target) ?? Reflect.get(target, key, receiver)),
  });
  return {
    store,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      for (const r of waiting.splice(0)) r();
      waiting = [];
    },
  };
}

it('/cards, /cards/withdrawn, /stats and the monthly report wait for the writes recorded before them', async () => {
  const clock = { now: Date.parse('2025-09-01T09:00:00+08:00') };
  const holding = holdingStore(new MemoryEventStore({ clock: () => clock.now }));
  srv = await startTestServer({ now: '2025-09-01T09:00:00+08:00', store: holding.store });
  const base = srv.baseUrl;
  const { caseId: _c, ...acceptance } = accepted('H-1', '2025-09-01T09:00:00+08:00', { promisedDays: 5 });
  expect((await call(base, 'POST', '/cases/H-1/events', { token: TOKENS.recorder, body: acceptance })).status).toBe(
    201,
  );
  srv.clock.set('2025-09-09T11:00:00+08:00');
  clock.now = Date.parse('2025-09-09T11:00:00+08:00');
  const reads = [
    ['/cards?from=2025-09-01&to=2025-10-01', TOKENS.auditor],
    ['/cards/withdrawn?from=2025-09-01&to=2025-10-01', TOKENS.auditor],
    ['/stats?from=2025-09-01&to=2025-10-01', TOKENS.monitor],
    ['/reports/monthly?month=2025-09', TOKENS.monitor],
  ] as const;
  const before = await Promise.all(reads.map(([path, token]) => call(base, 'GET', path, { token })));

  holding.hold();
  // A pause and its resumption recorded days late, in one batch: late-record cards, a moved deadline.
  const batch = await call(base, 'POST', '/events', {
    token: TOKENS.recorder,
    body: {
      events: [
        {
          caseId: 'H-1',
          type: 'CasePaused',
          occurredAt: '2025-09-05T10:00:00+08:00',
          pauseId: 'p1',
          reason: 'testing',
        },
        { caseId: 'H-1', type: 'CaseResumed', occurredAt: '2025-09-08T10:00:00+08:00', pauseId: 'p1' },
      ],
    },
  });
  expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
  const during = reads.map(([path, token]) => call(base, 'GET', path, { token }));
  setTimeout(() => holding.release(), 50);
  const answered = await Promise.all(during);
  const after = await Promise.all(reads.map(([path, token]) => call(base, 'GET', path, { token })));

  for (const [i, [path]] of reads.entries()) {
    expect(answered[i]!.status, path).toBe(200);
    expect(answered[i]!.body, path).toEqual(after[i]!.body);
  }
  // The batch changed what each answers: the reads saw it, not the state before it.
  expect(answered.map((a) => JSON.stringify(a.body))).not.toEqual(before.map((b) => JSON.stringify(b.body)));
  expect(answered[0]!.body.items.filter((c: { rule: string }) => c.rule === 'late-record').length).toBeGreaterThan(0);
});
