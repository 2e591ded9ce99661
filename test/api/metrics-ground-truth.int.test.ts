/**
 * Operations review (session 24): every SPEC §7/§8 metric against the API's own answers after a
 * mixed workload — cases of two directory centers and two unregistered ones, pauses, escalations,
 * completions on time, late and same-day, ratings of each score, complaints at each stage —, then
 * across restarts from the snapshot and from the store: counters restart from zero (a reset
 * rate() handles) and never count again what the previous process counted; the gauges come back
 * equal. Restarted later than it stopped, the cards that started meanwhile are counted once (session 25). Idempotent re-sends and refused writes count nothing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine.js';
import { listen, type Listening } from '../support/server.js';
import { accepted, call, FakeClock, TOKEN_CONFIG, TOKENS, ZONE } from './harness.js';

interface Running {
  readonly engine: Engine;
  readonly server: Listening;
  readonly base: string;
  readonly clock: FakeClock;
}

const dir = mkdtempSync(join(tmpdir(), 'supervision-metrics-truth-'));
const STORE = `sqlite:${join(dir, 'events.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(now: number, checkpointFile: string): Promise<Running> {
  const clock = new FakeClock(now);
  const engine = await createEngine({
    store: STORE,
    zone: ZONE,
    tokens: TOKEN_CONFIG,
    scheduler: clock.scheduler,
    metrics: { defaultMetrics: false },
    checkpointFile,
    appOptions: { rateLimitPerSecond: 0 },
  });
  await engine.start();
  const server = await listen(engine.app);
  return { engine, server, base: server.baseUrl, clock };
}

async function stop(r: Running): Promise<void> {
  await r.server.close();
  await r.engine.close();
}

type Series = Map<string, number>;
/** The samples of one metric, keyed by their labels sorted `k=v,k=v` (only the labels named). */
function samples(text: string, metric: string, labels: readonly string[]): Series {
  const out: Series = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const m = /^[^{ ]+(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (m === null) continue;
    const got = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const key = labels.map((l) => `${l}=${got[l] ?? ''}`).join(',');
    out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}
const keyOf = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
const add = (s: Series, labels: Record<string, string>, n = 1): void => {
  const k = keyOf(labels);
  s.set(k, (s.get(k) ?? 0) + n);
};
const sorted = (s: Series): [string, number][] =>
  [...s].filter(([, v]) => v !== 0).sort(([a], [b]) => a.localeCompare(b));

const REGISTERED = new Set(['center-A', 'center-B']);
const label = (center: string): string => (REGISTERED.has(center) ? center : 'unregistered');
const CENTERS = ['center-A', 'center-B', 'center-X', 'center-Y'];
const KINDS = ['instant', 'promised', 'joint', 'referred'] as const;

/** What the writers were answered 201 (what the counters must equal). */
const sent = {
  appended: new Map<string, number>() as Series,
  accepted: new Map<string, number>() as Series,
  ratings: new Map<string, number>() as Series,
  complaints: new Map<string, number>() as Series,
};

async function metricsText(r: Running): Promise<string> {
  const res = await call(r.base, 'GET', '/metrics');
  expect(res.status).toBe(200);
  return res.text;
}

async function settle(r: Running): Promise<void> {
  const head = await r.engine.store.headPosition();
  if (head !== undefined && head !== null) await r.engine.readModels.waitForPosition(BigInt(head), 5000);
}

/** The gauges' ground truth from GET /cases (status of each not completed case) and GET /alerts. */
async function groundTruth(r: Running): Promise<{ open: Series; alerts: Series; completed: Series }> {
  const open: Series = new Map();
  const completed: Series = new Map();
  let cursor: string | undefined;
  const items: { caseId: string; centerId: string; kind: string; status: string; completedAt: string | null }[] = [];
  do {
    const page = await call(r.base, 'GET', `/cases?limit=200${cursor === undefined ? '' : `&cursor=${cursor}`}`, {
      token: TOKENS.monitor,
    });
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor !== undefined);
  for (const c of items) {
    if (c.completedAt === null)
      add(open, { center: label(c.centerId), status: c.status === 'paused' ? 'paused' : 'open' });
    else {
      const one = await call(r.base, 'GET', `/cases/${c.caseId}`, { token: TOKENS.monitor });
      const cur = one.body.current ?? one.body;
      const sameDay = String(cur.acceptedAt ?? '').slice(0, 10) === String(c.completedAt).slice(0, 10);
      add(completed, {
        center: label(c.centerId),
        kind: c.kind,
        timeliness: cur.onTime === true ? 'on_time' : 'late',
        same_day: String(sameDay),
      });
    }
  }
  const alerts: Series = new Map();
  const page = await call(r.base, 'GET', '/alerts?limit=1000', { token: TOKENS.monitor });
  expect(page.status).toBe(200);
  expect(page.body.total).toBeLessThanOrEqual(1000);
  for (const a of page.body.alerts) add(alerts, { rule: a.rule, color: a.color, center: label(a.centerId) });
  return { open, alerts, completed };
}

describe('metrics against ground truth', () => {
  let r: Running;
  const snapshot = join(dir, 'snapshot-1.json');
  let before: { open: Series; alerts: Series; completed: Series; cardsIssued: number };

  it('after a mixed workload every metric equals what the API answers and what was sent', async () => {
    r = await start(Date.parse('2025-09-29T10:00:00+08:00'), snapshot);
    const dirRes = await call(r.base, 'PUT', '/directory', {
      token: TOKENS.admin,
      body: {
        centers: [
          { centerId: 'center-A', name: 'A中心', level: 'district' },
          { centerId: 'center-B', name: 'B中心', level: 'district' },
        ],
        departments: [],
      },
    });
    expect(dirRes.status).toBe(200);
    // Each write a second after the previous one, as separate requests are: the projections settle in between.
    const post = async (path: string, body: Record<string, unknown>, expectStatus = 201) => {
      r.clock.advance(1000);
      const res = await call(r.base, 'POST', path, { token: TOKENS.recorder, body });
      expect(res.status, `${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(expectStatus);
      if (res.status === 201) add(sent.appended, { type: String(body['type']) });
      return res;
    };
    let n = 0;
    for (const center of CENTERS) {
      for (const kind of KINDS) {
        for (let i = 0; i < 6; i++) {
          const caseId = `${center}-${kind}-${i}`;
          n++;
          // i=0: same-day completion (on time); i=1: accepted 2 weeks ago, completed today (late for a short promise);
          // i=2: open with a pause (one resumed, one open) and an escalation; i=3: open, ages into cards later;
          // i=4: in its warning days at the first reading; i=5: accepted later, its cards start after a restart.
          const acceptedAt =
            i === 1 ? '2025-09-08T09:00:00+08:00' : i === 5 ? '2025-09-29T08:00:00+08:00' : '2025-09-22T08:00:00+08:00';
          const { caseId: _c, ...body } = accepted(caseId, acceptedAt, {
            centerId: center,
            kind,
            promisedDays: kind === 'instant' ? 0 : [3, 2, 3, 3, 6, 5][i],
          });
          await post(`/cases/${caseId}/events`, body);
          add(sent.accepted, { center: label(center), kind });
          if (i === 0 || i === 1) {
            await post(`/cases/${caseId}/events`, {
              type: 'CaseCompleted',
              outcome: 'approved',
              occurredAt: '2025-09-22T09:00:00+08:00',
            });
            const score = (n % 5) + 1;
            await post(`/cases/${caseId}/events`, {
              type: 'CaseRated',
              score,
              channel: 'window',
              occurredAt: '2025-09-22T09:10:00+08:00',
            });
            add(sent.ratings, { center: label(center), score: String(score) });
          } else if (i === 2 && kind !== 'instant') {
            await post(`/cases/${caseId}/events`, {
              type: 'CasePaused',
              pauseId: 'p1',
              reason: 'supplement',
              occurredAt: '2025-09-22T08:30:00+08:00',
            });
            await post(`/cases/${caseId}/events`, {
              type: 'CaseResumed',
              pauseId: 'p1',
              occurredAt: '2025-09-22T08:40:00+08:00',
            });
            await post(`/cases/${caseId}/events`, {
              type: 'CaseEscalated',
              level: 'reminder',
              by: '效能办',
              respondWithinDays: 1,
              occurredAt: '2025-09-22T08:50:00+08:00',
            });
            if (kind === 'joint')
              await post(`/cases/${caseId}/events`, {
                type: 'CasePaused',
                pauseId: 'p2',
                reason: 'testing',
                occurredAt: '2025-09-22T09:00:00+08:00',
              });
          }
        }
      }
      // Complaints at each stage.
      const stages: [string, Record<string, unknown>][] = [
        ['ComplaintAccepted', {}],
        ['ComplaintRejected', { reason: '不属于受理范围' }],
        ['ComplaintAnswered', { finding: 'partly' }],
        ['ComplaintClosed', { satisfaction: 'satisfied' }],
      ];
      for (let depth = 0; depth <= 4; depth++) {
        const id = `${center}-Q${depth}`;
        await post(`/complaints/${id}/events`, {
          type: 'ComplaintReceived',
          channel: 'hotline',
          centerId: center,
          subject: '窗口推诿',
          occurredAt: '2025-09-22T08:00:00+08:00',
        });
        add(sent.complaints, { center: label(center), stage: 'received' });
        const path =
          depth === 2
            ? [stages[1]]
            : depth >= 1
              ? [stages[0], stages[2], stages[3]].slice(0, depth === 1 ? 1 : depth - 1)
              : [];
        let minute = 10;
        for (const step of path) {
          if (step === undefined) continue;
          const [type, extra] = step;
          await post(`/complaints/${id}/events`, { type, occurredAt: `2025-09-22T08:${minute++}:00+08:00`, ...extra });
          const stage = {
            ComplaintAccepted: 'accepted',
            ComplaintRejected: 'rejected',
            ComplaintAnswered: 'answered',
            ComplaintClosed: 'closed',
          }[type];
          add(sent.complaints, { center: label(center), stage: String(stage) });
        }
      }
    }
    // Idempotent re-send (same eventId) and refused writes count nothing.
    const eventId = randomUUID();
    const { caseId: _x, ...retry } = accepted('retry-1', '2025-09-22T08:00:00+08:00', {
      eventId,
      centerId: 'center-A',
    });
    await post('/cases/retry-1/events', retry);
    add(sent.accepted, { center: 'center-A', kind: 'promised' });
    const again = await call(r.base, 'POST', '/cases/retry-1/events', { token: TOKENS.recorder, body: retry });
    expect(again.status).toBe(200);
    const dup = { ...retry, eventId: randomUUID() };
    expect((await call(r.base, 'POST', '/cases/retry-1/events', { token: TOKENS.recorder, body: dup })).status).toBe(
      409,
    );
    expect(
      (
        await call(r.base, 'POST', '/cases/nope/events', {
          token: TOKENS.recorder,
          body: { type: 'CaseCompleted', outcome: 'approved', occurredAt: '2025-09-22T09:00:00+08:00' },
        })
      ).status,
    ).toBe(404);
    expect((await call(r.base, 'POST', '/cases/retry-1/events', { token: TOKENS.monitor, body: dup })).status).toBe(
      403,
    );
    expect(
      (await call(r.base, 'POST', '/cases/retry-1/events', { token: TOKENS.recorder, body: { ...dup, kind: 'bogus' } }))
        .status,
    ).toBe(400);
    // A batch: a re-sent event (200), a new case (201), a refused event (409) and the one after it.
    r.clock.advance(1000);
    const batch = await call(r.base, 'POST', '/events', {
      token: TOKENS.recorder,
      body: {
        events: [
          { ...retry, caseId: 'retry-1' },
          accepted('batch-1', '2025-09-22T08:00:00+08:00', { centerId: 'center-X', kind: 'joint' }),
          { type: 'CaseResumed', caseId: 'batch-1', pauseId: 'none', occurredAt: '2025-09-22T08:10:00+08:00' },
          { type: 'CaseCompleted', caseId: 'batch-1', outcome: 'approved', occurredAt: '2025-09-22T08:20:00+08:00' },
        ],
      },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((x: { status: number }) => x.status)).toEqual([200, 201, 409, 409]);
    add(sent.appended, { type: 'CaseAccepted' });
    add(sent.accepted, { center: 'unregistered', kind: 'joint' });
    // Time passes: open cases age into deadline warnings and overdue, escalations and complaint clocks run out.
    r.clock.set('2025-09-30T10:00:00+08:00');
    await settle(r);

    const text = await metricsText(r);
    const truth = await groundTruth(r);
    expect(sorted(samples(text, 'supervision_events_appended_total', ['type']))).toEqual(sorted(sent.appended));
    expect(sorted(samples(text, 'supervision_cases_accepted_total', ['center', 'kind']))).toEqual(
      sorted(sent.accepted),
    );
    expect(sorted(samples(text, 'supervision_ratings_total', ['center', 'score']))).toEqual(sorted(sent.ratings));
    expect(sorted(samples(text, 'supervision_complaints_total', ['center', 'stage']))).toEqual(sorted(sent.complaints));
    expect(sorted(samples(text, 'supervision_cases_open', ['center', 'status']))).toEqual(sorted(truth.open));
    expect(sorted(samples(text, 'supervision_alerts_active', ['rule', 'color', 'center']))).toEqual(
      sorted(truth.alerts),
    );
    expect(
      sorted(samples(text, 'supervision_cases_completed_total', ['center', 'kind', 'timeliness', 'same_day'])),
    ).toEqual(sorted(truth.completed));
    // Both timeliness values and both same_day values occur, and all five scores.
    const completedKeys = [...truth.completed.keys()].join(' ');
    for (const part of ['on_time', 'late', 'same_day=true', 'same_day=false']) expect(completedKeys).toContain(part);
    expect(new Set([...sent.ratings.keys()].map((k) => k.split('score=')[1])).size).toBe(5);
    // Cards issued: the cards /stats counts (cases' and complaints') over a period holding them all.
    const stats = await call(r.base, 'GET', '/stats?from=2025-09-01&to=2025-10-01', { token: TOKENS.monitor });
    expect(stats.status).toBe(200);
    const statCards = stats.body.flow.cardsTotal + stats.body.complaints.cardsTotal;
    const total = (metric: string) => [...samples(text, metric, ['rule']).values()].reduce((a, b) => a + b, 0);
    const issued = total('supervision_cards_issued_total') - total('supervision_cards_withdrawn_total');
    expect(issued).toBe(statCards);
    expect(issued).toBeGreaterThan(0);
    // Complaint stages also as /stats counts them.
    const c = stats.body.complaints;
    const byStage = (stage: string) =>
      [...sent.complaints].filter(([k]) => k.endsWith(`stage=${stage}`)).reduce((a, [, v]) => a + v, 0);
    expect([c.received, c.accepted, c.rejected, c.answered, c.closed]).toEqual(
      ['received', 'accepted', 'rejected', 'answered', 'closed'].map(byStage),
    );
    before = { ...truth, cardsIssued: issued };
  }, 60_000);

  /** A restarted engine: counters from zero, gauges as the API answers; then time runs to `until`. */
  const expectRestarted = async (next: Running, until: string) => {
    await settle(next);
    const text = await metricsText(next);
    // Counters count what this process saw: nothing yet (a reset, which rate() handles), never the history again.
    for (const counter of [
      'supervision_events_appended_total',
      'supervision_cases_accepted_total',
      'supervision_cases_completed_total',
      'supervision_cards_issued_total',
      'supervision_ratings_total',
      'supervision_complaints_total',
      'supervision_cards_withdrawn_total',
    ])
      expect(sorted(samples(text, counter, ['center'])), counter).toEqual([]);
    const truth = await groundTruth(next);
    expect(sorted(samples(text, 'supervision_cases_open', ['center', 'status']))).toEqual(sorted(truth.open));
    expect(sorted(samples(text, 'supervision_alerts_active', ['rule', 'color', 'center']))).toEqual(
      sorted(truth.alerts),
    );
    // Time runs on: each card starting now is counted once, none of the earlier ones again.
    const cardsNow = async () => {
      const b = (await call(next.base, 'GET', '/stats?from=2025-09-01&to=2025-11-01', { token: TOKENS.monitor })).body;
      return b.flow.cardsTotal + b.complaints.cardsTotal;
    };
    const earlier = await cardsNow();
    next.clock.set(until);
    await settle(next);
    const later = await cardsNow();
    const issued = [...samples(await metricsText(next), 'supervision_cards_issued_total', ['rule']).values()].reduce(
      (a, b) => a + b,
      0,
    );
    expect(later).toBeGreaterThan(earlier);
    expect(issued).toBe(later - earlier);
    cardsAtStop.set(next, later);
    return truth;
  };
  /** The cards /stats counted once a restarted engine's time had run on (to the instant it was stopped at). */
  const cardsAtStop = new Map<Running, number>();

  let stoppedWithSnapshot: Running | undefined;
  it('restarted from its snapshot: counters start from zero, gauges come back equal', async () => {
    await stop(r);
    expect(existsSync(snapshot), 'the engine wrote its snapshot on close').toBe(true);
    r = await start(Date.parse('2025-09-30T10:00:00+08:00'), snapshot);
    const truth = await expectRestarted(r, '2025-10-15T10:00:00+08:00');
    expect(sorted(truth.open)).toEqual(sorted(before.open));
    expect(sorted(truth.alerts)).toEqual(sorted(before.alerts));
    await stop(r);
    stoppedWithSnapshot = r;
  }, 60_000);

  it('restarted from the store alone: the same', async () => {
    r = await start(Date.parse('2025-10-15T10:00:00+08:00'), join(dir, 'snapshot-2.json'));
    await expectRestarted(r, '2025-10-31T10:00:00+08:00');
    await stop(r);
  }, 60_000);

  it('restarted later beside its snapshot: the cards that started while it was stopped are counted once (session 25)', async () => {
    const stopped = cardsAtStop.get(stoppedWithSnapshot!)!; // stopped on 2025-10-15 at 10:00
    r = await start(Date.parse('2025-10-31T10:00:00+08:00'), snapshot);
    await settle(r);
    const b = (await call(r.base, 'GET', '/stats?from=2025-09-01&to=2025-11-01', { token: TOKENS.monitor })).body;
    const missed = b.flow.cardsTotal + b.complaints.cardsTotal - stopped;
    expect(missed).toBeGreaterThan(0);
    const issued = [...samples(await metricsText(r), 'supervision_cards_issued_total', ['rule']).values()];
    expect(issued.reduce((x, y) => x + y, 0)).toBe(missed);
    await stop(r);
  }, 60_000);
});
