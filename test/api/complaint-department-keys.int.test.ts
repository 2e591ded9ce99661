/**
 * A department id is free text (1–200 characters): one spelt like a property of every object
 * (`__proto__`, `constructor`, `toString`) is counted in a complaint's substantiated findings by
 * department like any other, and counting it changes no object but the figures (a reviewer:
 * `__proto__` set `substantiated` on Object.prototype, and both ids' findings were lost).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mergeStatsByCenter } from '../../src/projections/partitionStats.js';
import type { StatsResult } from '../../src/projections/statsFigures.js';
import { call, startTestServer, TOKENS, type TestServer } from './harness.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ now: '2025-11-03T12:00:00+08:00' });
});
afterAll(async () => {
  await srv.close();
});

const DEPARTMENTS = ['__proto__', 'constructor', 'toString', 'd1'] as const;

it('counts substantiated findings of departments named like object properties, and pollutes no prototype', async () => {
  for (const [i, departmentId] of DEPARTMENTS.entries()) {
    const id = `Q-${i}`;
    const steps = [
      {
        type: 'ComplaintReceived',
        occurredAt: '2025-11-03T09:00:00+08:00',
        channel: 'hotline',
        centerId: 'center-A',
        subject: '窗口推诿',
        departmentId,
      },
      { type: 'ComplaintAccepted', occurredAt: '2025-11-03T10:00:00+08:00' },
      { type: 'ComplaintAnswered', occurredAt: '2025-11-03T11:00:00+08:00', finding: 'substantiated' },
    ];
    for (const body of steps) {
      const res = await call(srv.baseUrl, 'POST', `/complaints/${id}/events`, { token: TOKENS.recorder, body });
      expect(res.status, res.text).toBe(201);
    }
  }
  expect(await srv.readModels.waitForPosition(await srv.store.headPosition(), 2_000)).toBe(true);

  const expected = Object.fromEntries(DEPARTMENTS.map((d) => [d, { substantiated: 1, partly: 0 }]));
  const stats = await call(srv.baseUrl, 'GET', '/stats?from=2025-11-01&to=2025-11-04', { token: TOKENS.monitor });
  expect(stats.status, stats.text).toBe(200);
  expect(JSON.parse(stats.text).complaints.substantiated).toEqual(expected);

  const byDepartment = await call(srv.baseUrl, 'GET', '/stats?from=2025-11-01&to=2025-11-04&groupBy=department', {
    token: TOKENS.monitor,
  });
  expect(byDepartment.status, byDepartment.text).toBe(200);
  const groups = JSON.parse(byDepartment.text).groups as { key: string; complaints: { substantiated: object } }[];
  for (const d of DEPARTMENTS)
    expect(groups.find((g) => g.key === d)?.complaints.substantiated, d).toEqual({
      [d]: { substantiated: 1, partly: 0 },
    });

  const report = await call(srv.baseUrl, 'GET', '/reports/monthly?month=2025-11', { token: TOKENS.monitor });
  expect(report.status, report.text).toBe(200);
  expect(JSON.parse(report.text).complaints.figures.substantiated).toEqual(expected);

  // Partitions' answers merged (partitionStats.ts): the findings summed by department as one worker's.
  const byCenter = await call(srv.baseUrl, 'GET', '/stats?from=2025-11-01&to=2025-11-04&groupBy=center', {
    token: TOKENS.monitor,
  });
  expect(byCenter.status, byCenter.text).toBe(200);
  const merged = mergeStatsByCenter([JSON.parse(byCenter.text) as StatsResult]);
  expect(merged.complaints?.substantiated).toEqual(expected);

  expect(Object.hasOwn(Object.prototype, 'substantiated')).toBe(false);
  expect(Object.hasOwn(Object, 'substantiated')).toBe(false);
});
