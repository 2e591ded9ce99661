/**
 * GET /openapi.json describes exactly the routes the app registers; and the document against the engine's real answers (issue 16 item 7):
 * every documented operation is called on an engine with real projections fed
 * the document's own event examples, and each JSON answer is validated with ajv
 * (JSON Schema 2020-12, the dialect of OpenAPI 3.1) against the schema the
 * document gives for that status. Closed schemas make an undocumented field fail.
 */
import { execFileSync } from 'node:child_process';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/domain/lists.js';
import { COMPLAINT_EVENT_TYPES } from '../../src/domain/complaints/lists.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { DEFAULT_POLICY } from '../../src/domain/policy.js';
import { formatInstant, parseDate } from '../../src/domain/time.js';
import { POLICY_STREAM_ID, policyEventData } from '../../src/projections/policyEvents.js';
import { undocumentedEventTypes } from '../../src/api/openapi/events.js';
import { undescribedBrands } from '../../src/api/openapi/fromCodec.js';
import { type Call, call, startTestServer, TOKENS, type TestServer, unusedReadModels } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ readModels: unusedReadModels });
});
afterAll(async () => {
  await srv.close();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `METHOD /path` the express app registers (sub-routers included), in OpenAPI path syntax. */
function registeredRoutes(stack: Layer[]): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const path = layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') out.push(`${method.toUpperCase()} ${path}`);
    } else if (layer.handle?.stack !== undefined) {
      out.push(...registeredRoutes(layer.handle.stack));
    }
  }
  return out;
}

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document', async () => {
    const res = await call(srv.baseUrl, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/cases/{caseId}/events'].post).toBeDefined();
  });

  it('describes exactly the routes the app registers', () => {
    const registered = registeredRoutes((srv.app as unknown as { router: { stack: Layer[] } }).router.stack).sort();
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThanOrEqual(14);
    expect(registered).toEqual(documented);
  });
});

const DOC_ID = 'https://e-supervision.invalid/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...openApiDocument, $id: DOC_ID });

// biome-ignore lint/suspicious/noExplicitAny: the document is walked by path
const doc = openApiDocument as any;
const CASE = 'WH-2025-000123';
const examples = EVENT_TYPES.flatMap(
  (type) => (doc.components.schemas[type].examples ?? []) as Record<string, unknown>[],
);

/** The answer must be one the document lists for this operation, and match its JSON schema. */
function expectDocumented(method: string, path: string, res: Call): void {
  const op = doc.paths[path]?.[method];
  expect(op, `${method.toUpperCase()} ${path} is documented`).toBeDefined();
  const response = op.responses[String(res.status)];
  expect(
    response,
    `${method.toUpperCase()} ${path} documents status ${res.status}: ${res.text.slice(0, 200)}`,
  ).toBeDefined();
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) {
    expect(Object.keys(response.content ?? {}).some((t) => type.startsWith(t))).toBe(true);
    return;
  }
  const pointer = ['paths', path, method, 'responses', String(res.status), 'content', 'application/json', 'schema']
    .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
  const validate = ajv.getSchema(`${DOC_ID}#/${pointer}`);
  expect(validate, `schema of ${method} ${path} ${res.status}`).toBeDefined();
  const ok = validate?.(res.body);
  expect(ok ? [] : validate?.errors, `${method.toUpperCase()} ${path} → ${res.status} matches its schema`).toEqual([]);
}

let live: TestServer;
const exercised = new Set<string>();

async function check(
  method: string,
  docPath: string,
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  status?: number,
): Promise<Call> {
  const res = await call(live.baseUrl, method.toUpperCase(), url, { token: TOKENS.admin, ...opts });
  if (status !== undefined) expect(res.status, `${method} ${url}: ${res.text.slice(0, 300)}`).toBe(status);
  expectDocumented(method, docPath, res);
  exercised.add(`${method.toUpperCase()} ${docPath}`);
  return res;
}

describe('live responses match the OpenAPI schemas', () => {
  beforeAll(async () => {
    live = await startTestServer({ now: '2025-10-20T10:00:00+08:00' });
  });
  afterAll(async () => {
    await live?.close();
  });

  it('writes: every event example is accepted and answered as documented; a bad one gets the Error schema', async () => {
    for (const example of examples) {
      const { caseId: _, ...body } = example;
      await check('post', '/cases/{caseId}/events', `/cases/${CASE}/events`, { body }, 201);
    }
    await check('post', '/cases/{caseId}/events', `/cases/${CASE}/events`, { body: examples[0] }, 200);
    await check('post', '/cases/{caseId}/events', `/cases/${CASE}/events`, { body: { type: 'CaseAccepted' } }, 400);
    await check('post', '/cases/{caseId}/events', `/cases/${CASE}/events`, { body: examples[0], token: 'nope' }, 401);
    const complaintExamples = COMPLAINT_EVENT_TYPES.filter((t) => t !== 'ComplaintRejected').map(
      (t) => doc.components.schemas[`${t}Body`].examples[0],
    );
    for (const body of complaintExamples)
      await check('post', '/complaints/{complaintId}/events', '/complaints/Q-1/events', { body }, 201);
    await check(
      'post',
      '/complaints/{complaintId}/events',
      '/complaints/Q-1/events',
      { body: complaintExamples[0] },
      200,
    );
    await check(
      'post',
      '/complaints/{complaintId}/events',
      '/complaints/Q-2/events',
      { body: complaintExamples[1] },
      404,
    );
    // Left undecided: its complaint-undecided alert is on /alerts below (the ComplaintAlert schema, live).
    await check(
      'post',
      '/complaints/{complaintId}/events',
      '/complaints/Q-3/events',
      { body: { ...complaintExamples[0], eventId: undefined } },
      201,
    );
    const batch = await check(
      'post',
      '/events',
      '/events',
      {
        body: {
          events: [
            {
              ...examples[0],
              caseId: 'OPEN-1',
              eventId: undefined,
              occurredAt: '2025-09-01T09:00:00+08:00',
              promisedDays: 3,
            },
            { type: 'CaseResumed', caseId: 'OPEN-1' },
            // A row refused with a code of its own (case-not-found): its status is in the row schema's enum.
            {
              type: 'CaseEscalated',
              caseId: 'NOBODY-1',
              level: 'reminder',
              by: 'office',
              occurredAt: '2025-09-01T10:00:00+08:00',
            },
          ],
        },
      },
      200,
    );
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400, 404]);
  });

  it('reads: case, history, alerts, stats, report, calendar, policies, directory, health', async () => {
    // The projections apply the writes above asynchronously: read once they caught up.
    for (let i = 0; i < 100 && !(await call(live.baseUrl, 'GET', '/readyz')).body?.projection?.caughtUp; i++)
      await new Promise((r) => setTimeout(r, 20));
    await check('get', '/cases/{caseId}', `/cases/${CASE}`, {}, 200);
    await check('get', '/cases/{caseId}', `/cases/${CASE}?asKnownAt=2025-10-20T10:00:00%2B08:00`, {}, 200);
    await check('get', '/cases/{caseId}', '/cases/NO-SUCH', {}, 404);
    const first = await check('get', '/cases/{caseId}/history', `/cases/${CASE}/history?limit=3`, {}, 200);
    await check('get', '/cases/{caseId}/history', `/cases/${CASE}/history?limit=3&after=${first.body.next}`, {}, 200);
    const alerts = await check('get', '/alerts', '/alerts?sort=-overdueDays', {}, 200);
    expect(alerts.body.total).toBeGreaterThan(0);
    expect(alerts.body.alerts.map((a: { subject: string }) => a.subject)).toContain('complaint');
    await check('get', '/complaints', '/complaints?limit=1', {}, 200);
    await check('get', '/complaints', '/complaints?state=open', {}, 400);
    await check('get', '/complaints/{complaintId}', '/complaints/Q-1', {}, 200);
    // A monitor's answer has no events (case:history's), and is still the documented schema.
    const forMonitor = await check(
      'get',
      '/complaints/{complaintId}',
      '/complaints/Q-1',
      { token: TOKENS.monitor },
      200,
    );
    expect(forMonitor.body).not.toHaveProperty('events');
    await check(
      'get',
      '/complaints/{complaintId}',
      '/complaints/Q-3?asOf=2025-10-20T10:00:00%2B08:00&asKnownAt=2025-10-20T10:00:00%2B08:00',
      {},
      200,
    );
    await check('get', '/complaints/{complaintId}', '/complaints/NO-SUCH', {}, 404);
    await check('get', '/alerts', '/alerts?sort=sideways', {}, 400);
    await check('get', '/alerts', '/alerts', { token: TOKENS.auditor }, 403);
    await check('get', '/stats', '/stats?from=2025-09-01&to=2025-11-01', {}, 200);
    await check('get', '/stats', '/stats?from=2025-09-01&to=2025-11-01&groupBy=center', {}, 200);
    await check('get', '/reports/monthly', '/reports/monthly?month=2025-10', {}, 200);
    const year = await check('get', '/calendar/{year}', '/calendar/2025', {}, 200);
    await check(
      'put',
      '/calendar/{year}',
      '/calendar/2025',
      { body: { holidays: year.body.holidays, workdays: year.body.workdays } },
      200,
    );
    if (doc.paths['/cases'] !== undefined) {
      await check('get', '/cases', '/cases?limit=1&sort=-overdueDays', {}, 200);
      await check('get', '/cases', '/cases?limit=0', {}, 400);
    }
    if (doc.paths['/cards'] !== undefined)
      await check('get', '/cards', '/cards?from=2025-09-01&to=2025-11-01', {}, 200);
    // A one-day case overdue on the board, then its completion recorded a minute later, back-dated before
    // its deadline: the red card is withdrawn (the register's row and the case page's field, live).
    const accepted = { ...examples[0], caseId: 'WD-1', eventId: undefined, occurredAt: '2025-10-13T09:00:00+08:00' };
    expect(
      (
        await call(live.baseUrl, 'POST', '/events', {
          token: TOKENS.admin,
          body: { events: [{ ...accepted, promisedDays: 1, kind: 'promised' }] },
        })
      ).status,
    ).toBe(200);
    live.clock.advance(60_000);
    const completion = {
      type: 'CaseCompleted',
      caseId: 'WD-1',
      occurredAt: '2025-10-14T10:00:00+08:00',
      outcome: 'approved',
    };
    expect(
      (await call(live.baseUrl, 'POST', '/cases/WD-1/events', { token: TOKENS.admin, body: completion })).status,
    ).toBe(201);
    // Complaint Q-3, left undecided past its deadline, accepted now back-dated in time: its red card is withdrawn.
    await check(
      'post',
      '/complaints/{complaintId}/events',
      '/complaints/Q-3/events',
      { body: { ...doc.components.schemas.ComplaintAcceptedBody.examples[0], eventId: undefined } },
      201,
    );
    const withdrawn = await check('get', '/cards/withdrawn', '/cards/withdrawn?from=2025-10-01&to=2025-11-01', {}, 200);
    const rows = withdrawn.body.items.map((r: { caseId?: string; complaintId?: string; rule: string }) => [
      r.caseId ?? r.complaintId,
      r.rule,
    ]);
    // The examples posted one by one to CASE and Q-1, back-dated on the frozen clock, are writes of
    // their own (in one millisecond: session 26): each withdraws cards the ones before it showed.
    expect(rows.some(([subject]: string[]) => subject === CASE)).toBe(true);
    expect(rows.filter(([subject]: string[]) => subject === 'Q-1')).toEqual([['Q-1', 'complaint-undecided']]);
    expect(rows.filter(([subject]: string[]) => subject !== CASE && subject !== 'Q-1')).toEqual([
      // The warning stays; the clearing the board showed (the red card's start) moved to the completion.
      ['Q-3', 'complaint-undecided'],
      ['WD-1', 'deadline-warning'],
      ['WD-1', 'overdue'],
    ]);
    const page = await check('get', '/cases/{caseId}', '/cases/WD-1', {}, 200);
    expect(page.body.withdrawnCards).toHaveLength(2);
    // The history's first page has them too, and a card-withdrawn row for each (its schema, live).
    const history = await check('get', '/cases/{caseId}/history', '/cases/WD-1/history', {}, 200);
    expect(history.body.current.withdrawnCards).toEqual(page.body.withdrawnCards);
    expect(history.body.entries.filter((e: { kind: string }) => e.kind === 'card-withdrawn')).toHaveLength(2);
    const q3 = await check('get', '/complaints/{complaintId}', '/complaints/Q-3', {}, 200);
    expect(q3.body.withdrawnCards.map((c: { complaintId: string; rule: string }) => [c.complaintId, c.rule])).toEqual([
      ['Q-3', 'complaint-undecided'],
    ]);
    await check('get', '/cards/withdrawn', '/cards/withdrawn?from=2025-10-01&to=2025-10-01', {}, 400);
    await check('get', '/healthz', '/healthz', {}, 200);
    await check('get', '/readyz', '/readyz', {}, 200);
    await check('get', '/metrics', '/metrics', {}, 200);
    await check('get', '/openapi.json', '/openapi.json', {}, 200);
    const session = await check('get', '/session', '/session', { token: TOKENS.recorderA }, 200);
    expect(session.body).toEqual({ role: 'recorder', permissions: ['events:write'], centers: ['center-A'] });
    await check('get', '/session', '/session', { token: 'unknown-token-0123456789' }, 401);
    // Session 16: the versions a case read names resolve (the calendar as known then; the policy's rules),
    // first with no policy version recorded (the harness records none), then with one.
    const cited = (await call(live.baseUrl, 'GET', `/cases/${CASE}`, { token: TOKENS.auditor })).body;
    const then = await check(
      'get',
      '/calendar/{year}',
      `/calendar/2025?asKnownAt=${encodeURIComponent(formatInstant(live.clock.now, 'Asia/Shanghai'))}`,
      { token: TOKENS.auditor },
      200,
    );
    expect(then.body.version).toBe(cited.calendarVersion);
    await check('get', '/calendar/{year}', '/calendar/2025?asKnownAt=2099-01-01T00:00:00%2B08:00', {}, 400);
    await check('get', '/calendar/{year}', '/calendar/2025', { token: TOKENS.recorder }, 403);
    const unrecorded = await check('get', '/policies', '/policies', { token: TOKENS.auditor }, 200);
    expect(unrecorded.body.configured.version).toBe(cited.policyVersion);
    const path = `/policies/${encodeURIComponent(cited.policyVersion)}`;
    expect((await check('get', '/policies/{version}', path, { token: TOKENS.auditor }, 200)).body.recorded).toBe(false);
    await live.store.append(POLICY_STREAM_ID, [
      policyEventData(
        { policy: DEFAULT_POLICY, effectiveFrom: parseDate('2025-10-21'), publishedAt: live.clock.now },
        'Asia/Shanghai',
      ),
    ]);
    const recorded = await check('get', '/policies', '/policies', { token: TOKENS.monitor }, 200);
    expect(recorded.body.versions.map((v: { version: string }) => v.version)).toEqual([DEFAULT_POLICY.version]);
    expect((await check('get', '/policies/{version}', path, {}, 200)).body.recorded).toBe(true);
    await check('get', '/policies/{version}', '/policies/policy%40nope', {}, 404);
    await check('get', '/policies', '/policies', { token: TOKENS.recorder }, 403);
    await check('get', '/policies', '/policies?asOf=2025-10-20T10:00:00%2B08:00', {}, 400);
    if (doc.paths['/directory'] !== undefined) {
      await check('get', '/directory', '/directory', {}, 200);
      await check(
        'put',
        '/directory',
        '/directory',
        {
          body: {
            centers: [{ centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district' }],
            departments: [{ departmentId: 'market-regulation', name: '区市场监管局', centerId: 'district-wuhua' }],
          },
        },
        200,
      );
      const now = encodeURIComponent(formatInstant(live.clock.now, 'Asia/Shanghai'));
      const known = await check('get', '/directory', `/directory?asKnownAt=${now}`, { token: TOKENS.auditor }, 200);
      expect(known.body.centers.map((c: { centerId: string }) => c.centerId)).toEqual(['district-wuhua']);
      await check('get', '/directory', '/directory?asKnownAt=2099-01-01T00:00:00%2B08:00', {}, 400);
    }
  });

  it('the alert stream answers as documented (text/event-stream)', async () => {
    const controller = new AbortController();
    const res = await fetch(`${live.baseUrl}/alerts/stream`, {
      headers: { authorization: `Bearer ${TOKENS.monitor}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const documented = Object.keys(doc.paths['/alerts/stream'].get.responses['200'].content);
    expect(documented.some((t) => (res.headers.get('content-type') ?? '').startsWith(t))).toBe(true);
    controller.abort();
    exercised.add('GET /alerts/stream');
  });

  it('the validation can fail: an answer with an undocumented field, or a wrong type, is refused', async () => {
    const res = await call(live.baseUrl, 'GET', '/alerts', { token: TOKENS.admin });
    const tampered = [
      { ...res, body: { ...res.body, surprise: 1 } },
      { ...res, body: { ...res.body, total: 'many' } },
      { ...res, body: { ...res.body, alerts: [{ ...res.body.alerts[0], centerName: 'x' }] } },
    ];
    for (const answer of tampered)
      expect(() => expectDocumented('get', '/alerts', answer)).toThrow(/matches its schema/);
  });

  it('every documented operation was called above', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((op) => !exercised.has(op))).toEqual([]);
  });
});

describe('the event schemas', () => {
  it('describe every event type of src/domain/lists.ts from its codec, every brand translated', () => {
    expect(undocumentedEventTypes).toEqual([]);
    expect([...undescribedBrands]).toEqual([]);
  });

  it('close every event (no unknown field) and list the enums of src/domain/lists.ts', () => {
    for (const type of EVENT_TYPES) {
      const schema = doc.components.schemas[type];
      expect(schema.additionalProperties, type).toBe(false);
      expect(schema.properties.type).toEqual({ const: type });
    }
    const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/CaseEvent`);
    expect(validate?.({ ...examples[0], unknownField: 1 })).toBe(false);
    expect(validate?.({ ...examples[0], kind: 'sometimes' })).toBe(false);
    for (const example of examples) expect(validate?.(example), JSON.stringify(validate?.errors)).toBe(true);
  });
});

describe('the document under the production loader', () => {
  it('builds when imported first by node + tsx (as npm start loads it), not only under vitest', () => {
    // Regression: io-ts's PartialType failed `instanceof` under tsx, and building the
    // event schemas threw at import, which would have stopped the engine at start.
    const script =
      "const m = await import('./src/api/openapi.ts'); console.log(Object.keys(m.openApiDocument.components.schemas).join(','))";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url),
      encoding: 'utf8',
    });
    for (const name of ['CaseAccepted', 'CaseEvent', 'AlertPage', 'CaseEvaluation']) expect(out).toContain(name);
  });
});
