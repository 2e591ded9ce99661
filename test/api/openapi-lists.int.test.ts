/** Real `/cases` and `/cards` answers validate against their OpenAPI schemas; the documented parameters are the accepted ones. */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import { CARD_REGISTER_PARAMS } from '../../src/api/routes/cards.js';
import { CASE_LIST_PARAMS } from '../../src/api/routes/caseList.js';
import { COMPLAINT_LIST_PARAMS } from '../../src/api/routes/complaintReads.js';
import { accepted, call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ now: '2025-09-30T10:00:00+08:00' });
  const events = [
    accepted('V-1', '2025-09-01T09:00:00+08:00', { promisedDays: 1 }),
    accepted('V-2', '2025-09-02T09:00:00+08:00', { promisedDays: 3, matterName: '食品经营许可' }),
    { type: 'CaseCompleted', caseId: 'V-2', occurredAt: '2025-09-10T09:00:00+08:00', outcome: 'approved' },
    accepted('V-3', '2025-09-25T09:00:00+08:00', { promisedDays: 20 }),
    { type: 'CaseEscalated', caseId: 'V-1', occurredAt: '2025-09-03T09:00:00+08:00', level: 'reminder', by: 'office' },
  ];
  const res = await call(srv.baseUrl, 'POST', '/events', { token: TOKENS.recorder, body: { events } });
  expect(res.status).toBe(200);
  await srv.readModels.waitForPosition(await srv.store.headPosition(), 5_000);
});
afterAll(async () => {
  await srv.close();
});

function validator(schema: string) {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...openApiDocument, $id: 'openapi' });
  return ajv.compile({ $ref: `openapi#/components/schemas/${schema}` });
}

describe('OpenAPI of the case list, the card register and the complaint list', () => {
  it('documents exactly the parameters each route accepts', () => {
    const names = (path: '/cases' | '/cards' | '/complaints') =>
      (openApiDocument.paths[path].get.parameters as readonly { name: string }[]).map((x) => x.name).sort();
    expect(names('/cases')).toEqual([...CASE_LIST_PARAMS].sort());
    expect(names('/cards')).toEqual([...CARD_REGISTER_PARAMS].sort());
    expect(names('/complaints')).toEqual([...COMPLAINT_LIST_PARAMS].sort());
  });

  it('real answers validate against CaseListPage and CardRegisterPage', async () => {
    const cases = await call(srv.baseUrl, 'GET', '/cases?limit=2', { token: TOKENS.monitor });
    expect(cases.body.total).toBe(3);
    const checkCases = validator('CaseListPage');
    expect(checkCases(cases.body), JSON.stringify(checkCases.errors)).toBe(true);
    const cards = await call(srv.baseUrl, 'GET', '/cards?from=2025-09-01&to=2025-10-01', { token: TOKENS.monitor });
    expect(cards.body.total).toBeGreaterThan(0);
    const checkCards = validator('CardRegisterPage');
    expect(checkCards(cards.body), JSON.stringify(checkCards.errors)).toBe(true);
    // As known at an instant: the same page with `asKnownAt`.
    const known = await call(
      srv.baseUrl,
      'GET',
      `/cards?from=2025-09-01&to=2025-10-01&asKnownAt=${encodeURIComponent('2025-09-30T10:00:00+08:00')}`,
      { token: TOKENS.monitor },
    );
    expect(known.body.total).toBe(cards.body.total);
    expect(checkCards(known.body), JSON.stringify(checkCards.errors)).toBe(true);
    // The schemas can fail: an unknown field is refused.
    expect(checkCards({ ...cards.body, extra: 1 })).toBe(false);
  });
});
