/**
 * Issue 13's hostile attacks, as the attack bench runs them against the engine
 * process (bench/support/hostileEngine.ts): the same attacks as
 * test/reliability/hostile-process.int.test.ts (which also asserts what each
 * answer must be), sized by `scale` (quick runs are smaller). Each reports
 * whether every answer was the designed one, so a row whose engine refused
 * work it should have taken (or answered 5xx) does not pass.
 */
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { MAX_CASE_EVENTS } from '../../src/domain/decide.js';
import { batchBody } from './batchBody.js';
import { TOKENS } from './hostileEngine.js';

export interface AttackOutcome {
  readonly detail: string;
  /** Every answer was the designed one (no 5xx, no refusal of what must be taken). */
  readonly asDesigned: boolean;
}

export interface Attack {
  readonly name: string;
  /** Done before the probe starts (e.g. opening the silent streams). */
  setUp?(): Promise<void>;
  run(): Promise<AttackOutcome>;
  /** Done after the probe stopped. */
  tearDown?(): Promise<void>;
}

export interface AttackSizes {
  /** 1000-event batches posted by two clients in the batch flood. */
  readonly floodBatches: number;
  /** 1000-case batches of overdue cases under the silent streams. */
  readonly sseBatches: number;
  /** 1000-escalation batches to the one long case (the first 999 are taken, the rest 409). */
  readonly longCaseBatches: number;
}

const shanghai = (offsetMs: number): string =>
  new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000 + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');

const acceptedEvent = (caseId: string, centerId: string, daysAgo: number) => ({
  type: 'CaseAccepted',
  caseId,
  eventId: randomUUID(),
  occurredAt: shanghai(-daysAgo * 86_400_000),
  centerId,
  departmentId: 'dep-1',
  matterCode: 'M-1',
  kind: 'promised',
  promisedDays: 1,
  channel: 'window',
});

async function post(url: string, path: string, body: string, token: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** The statuses of a batch's rows (the batch itself must answer 200). */
async function postBatch(url: string, body: string, token: string = TOKENS.recorder): Promise<number[]> {
  const res = await post(url, '/events', body, token);
  if (res.status !== 200) return [res.status];
  return (JSON.parse(res.text) as { results: { status: number }[] }).results.map((r) => r.status);
}

/** Until the projections folded everything written (cheap: /readyz). */
async function projected(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ready = (await fetch(`${url}/readyz`)
      .then((r) => r.json())
      .catch(() => undefined)) as { projection?: { lagEvents: number } } | undefined;
    if (ready?.projection?.lagEvents === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An alert-stream request whose answer is never read. */
function silentStream(url: string, token: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET /alerts/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

const tally = (statuses: readonly number[]): string => {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} × ${s}`).join(', ');
};

/** Two clients posting 1000-event batches (200 cases × 5 events) back to back. */
export function batchFlood(url: string, batches: number, runId: string): Attack {
  const bodies = Array.from({ length: batches }, (_, n) => batchBody(`${runId}-flood-${n}`));
  return {
    name: 'a flood of 1000-event POST /events (2 clients)',
    async run() {
      const started = performance.now();
      let failures = 0;
      let next = 0;
      await Promise.all(
        [0, 1].map(async () => {
          while (next < bodies.length) {
            const statuses = await postBatch(url, bodies[next++] as string, TOKENS.admin);
            if (statuses.some((s) => s !== 201)) failures++;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return {
        detail: `${batches} batches, ${Math.round((batches * 1000) / seconds)} events/s, ${failures} not all 201`,
        asDesigned: failures === 0,
      };
    },
  };
}

/** 20 alert streams (two tokens) that never read, while `batches` × 1000 overdue cases raise their alerts. */
export function silentReaders(url: string, batches: number, runId: string): Attack {
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({
      events: Array.from({ length: 1000 }, (_, i) => acceptedEvent(`SSE-${runId}-${b}-${i}`, `center-${i % 5}`, 20)),
    }),
  );
  const sockets: Socket[] = [];
  return {
    name: '20 silent SSE readers under an alert burst',
    async setUp() {
      for (const token of TOKENS.monitors.slice(0, 2))
        for (let i = 0; i < 10; i++) sockets.push(await silentStream(url, token));
    },
    async run() {
      const statuses: number[] = [];
      for (const body of bodies) statuses.push(...(await postBatch(url, body)));
      await projected(url);
      return {
        detail: `${batches * 1000} overdue cases, answers ${tally(statuses)}`,
        asDesigned: statuses.every((s) => s === 201),
      };
    },
    async tearDown() {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** 11 alert streams asked on one monitor token: 10 × 200, then 429. */
export function streamHoarding(url: string): Attack {
  const open: AbortController[] = [];
  return {
    name: 'stream hoarding (11 streams on one token)',
    async run() {
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const ac = new AbortController();
        const res = await fetch(`${url}/alerts/stream`, {
          headers: { authorization: `Bearer ${TOKENS.monitors[2]}` },
          signal: ac.signal,
        });
        statuses.push(res.status);
        if (res.status === 200) open.push(ac);
        else await res.text();
      }
      return {
        detail: `statuses ${tally(statuses)}`,
        asDesigned: statuses.slice(0, 10).every((s) => s === 200) && statuses[10] === 429,
      };
    },
    async tearDown() {
      for (const ac of open) ac.abort();
    },
  };
}

/** 3,000 cases of 3,000 invented centers, then a /metrics scrape (no directory: `unregistered` alone; at most 201 values either way). */
export function inventedCenters(url: string, runId: string): Attack {
  const bodies = Array.from({ length: 3 }, (_, b) =>
    JSON.stringify({
      events: Array.from({ length: 1000 }, (_, i) =>
        acceptedEvent(`CTR-${runId}-${b}-${i}`, `invented-${runId}-${b * 1000 + i}`, 0),
      ),
    }),
  );
  return {
    name: 'invented centers (3,000) and a /metrics scrape',
    async run() {
      const statuses: number[] = [];
      for (const body of bodies) statuses.push(...(await postBatch(url, body)));
      await projected(url);
      const scrape = await (await fetch(`${url}/metrics`)).text();
      const centers = new Set(
        [...scrape.matchAll(/^supervision_cases_open\{[^}]*center="([^"]*)"/gm)].map((m) => m[1]),
      );
      return {
        detail: `answers ${tally(statuses)}; ${centers.size} center values, scrape ${Math.round(scrape.length / 1024)} KB`,
        asDesigned: statuses.every((s) => s === 201) && centers.size <= 201,
      };
    },
  };
}

/** 20 bodies of 0.5 MB (30,000 unknown fields), 20 of 45 KB (3,000), 10 of 1.1 MB: 413, 400, 413. */
export function junkBodies(url: string): Attack {
  const junkOf = (keys: number): string =>
    JSON.stringify({
      ...acceptedEvent('JUNK-1', 'center-0', 0),
      ...Object.fromEntries(Array.from({ length: keys }, (_, i) => [`junk${i}`, i])),
    });
  const junk = junkOf(30_000);
  const unknownFields = junkOf(3_000);
  const huge = JSON.stringify({ ...acceptedEvent('JUNK-2', 'center-0', 0), note: 'x'.repeat(1_100_000) });
  return {
    name: 'huge and unknown-field bodies (20 × 0.5 MB, 20 × 45 KB, 10 × 1.1 MB)',
    async run() {
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++)
        statuses.push((await post(url, '/cases/JUNK-1/events', junk, TOKENS.recorder)).status);
      for (let i = 0; i < 20; i++)
        statuses.push((await post(url, '/cases/JUNK-1/events', unknownFields, TOKENS.recorder)).status);
      for (let i = 0; i < 10; i++)
        statuses.push((await post(url, '/cases/JUNK-2/events', huge, TOKENS.recorder)).status);
      const designed = [...Array(20).fill(413), ...Array(20).fill(400), ...Array(10).fill(413)];
      return { detail: `answers ${tally(statuses)}`, asDesigned: statuses.every((s, i) => s === designed[i]) };
    },
  };
}

/** `batches` × 1000 escalations to one case: until it holds MAX_CASE_EVENTS taken, then 409 case-too-long; then its /history page. */
export function longCase(url: string, batches: number, runId: string): Attack {
  const caseId = `LONG-${runId}`;
  const bodies = Array.from({ length: batches }, () =>
    JSON.stringify({
      events: Array.from({ length: 1000 }, () => ({
        type: 'CaseEscalated',
        caseId,
        eventId: randomUUID(),
        occurredAt: shanghai(-60_000),
        level: 'reminder',
        by: 'office',
      })),
    }),
  );
  return {
    name: 'one long case (1000-escalation batches)',
    async setUp() {
      await postBatch(url, JSON.stringify({ events: [acceptedEvent(caseId, 'center-0', 3)] }));
    },
    async run() {
      const statuses: number[] = [];
      for (const body of bodies) statuses.push(...(await postBatch(url, body)));
      const history = await fetch(`${url}/cases/${caseId}/history`, {
        headers: { authorization: `Bearer ${TOKENS.auditor}` },
      });
      const text = await history.text();
      return {
        detail: `${batches} batches, answers ${tally(statuses)}; /history ${history.status}, ${Math.round(text.length / 1024)} KB`,
        asDesigned: history.status === 200 && statuses.every((s, i) => s === (i < MAX_CASE_EVENTS - 1 ? 201 : 409)),
      };
    },
  };
}
