/** The withdrawn-card tests' one case: accepted, and completed in time, then recorded late. */
import { parseInstant } from '../domain/index.js';
import type { Body } from './testSupport.js';

// A 3-day case accepted Monday 2026-11-16 is due at the end of Thursday 11-19: its warning
// starts 11-19 00:00, its red card 11-20 00:00.
export const ACCEPTED: Body = {
  type: 'CaseAccepted',
  caseId: 'W-1',
  occurredAt: '2026-11-16T09:00:00+08:00',
  centerId: 'c1',
  departmentId: 'd1',
  matterCode: 'M1',
  kind: 'promised',
  promisedDays: 3,
  channel: 'window',
};
export const COMPLETED: Body = {
  type: 'CaseCompleted',
  caseId: 'W-1',
  occurredAt: '2026-11-19T16:00:00+08:00',
  outcome: 'approved',
};
export const LATE = parseInstant('2026-11-23T10:00:00+08:00');
export const NOVEMBER = { from: '2026-11-01', to: '2026-12-01', limit: 50 };
