/**
 * The closed schemas of /stats and the monthly report hold real answers with
 * complaints and ratings in them (the live-response test in
 * test/api/openapi.int.test.ts has neither): each grouping of /stats, and a
 * report with 同比 / 环比 of both sections and their department tables.
 */
import { answerOf } from '../routes/stats.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintsOn, feedbackStore, RATED_CASES } from '../../projections/report/feedbackFixture.js';
import { makeRig, type Rig } from '../../projections/testSupport.js';
import { openApiDocument } from '../openapi.js';

const DOC_ID = 'https://e-supervision.invalid/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...openApiDocument, $id: DOC_ID });
const check = (schema: string, value: unknown) => {
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${schema}`);
  expect(validate, schema).toBeDefined();
  const ok = validate?.(JSON.parse(JSON.stringify(value)));
  expect(ok ? [] : validate?.errors, `${schema} matches its schema`).toEqual([]);
};

let rig: Rig;
beforeAll(async () => {
  const complaints = [...complaintsOn('2025-03-12', 3, 2, 'q'), ...complaintsOn('2024-03-12', 2, 1, 'y')];
  rig = await makeRig('2025-04-20T09:00:00+08:00', { ...(await feedbackStore(RATED_CASES, complaints)) });
});
afterAll(async () => {
  await rig?.projections.stop();
});

describe('figure schemas against real answers with complaints and ratings', () => {
  it('/stats, ungrouped and in each grouping', () => {
    const rm = rig.projections.readModels;
    const base = { from: '2025-03-01', to: '2025-04-01' } as const;
    const plain = rm.stats(base);
    expect(plain.complaints.accepted).toBe(3);
    check('Stats', answerOf(plain));
    for (const groupBy of ['center', 'department', 'matter', 'category'] as const) {
      const grouped = rm.stats({ ...base, groupBy });
      expect(grouped.groups?.length).toBeGreaterThan(0);
      check('Stats', answerOf(grouped));
    }
  });

  it('the monthly report', () => {
    const report = rig.projections.readModels.monthlyReport('2025-03');
    expect(report.complaints.previousYear.figures.accepted).toBe(2);
    expect(report.ratings.departments.length).toBe(2);
    check('MonthlyReport', answerOf(report));
  });
});
