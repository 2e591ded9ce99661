import { describe, expect, it } from 'vitest';
import { simulateHistory } from './history.js';
import { batchesOf, inRecordOrder } from './record-order.js';
import { replayThroughDomain } from './replay.js';

const opts = {
  seed: 5,
  months: 1,
  centers: 2,
  casesPerMonth: 3000,
  startMonth: '2025-05',
  fates: { nearDeadline: 0.06, late: 0.015, stuck: 0.003, lateRecord: 0.01 },
} as const;

describe('inRecordOrder', () => {
  const cases = [...simulateHistory(opts)];
  const appends = [...inRecordOrder(cases)];

  it('keeps every event exactly once, each case in revision order', () => {
    expect(appends.reduce((n, a) => n + a.events.length, 0)).toBe(cases.reduce((n, c) => n + c.events.length, 0));
    const next = new Map<string, number>();
    for (const a of appends) {
      expect(a.firstRevision).toBe(next.get(a.caseId) ?? 0);
      next.set(a.caseId, a.firstRevision + a.events.length);
    }
  });

  it('records in non-decreasing recordedAt, never before an event occurred', () => {
    for (let i = 1; i < appends.length; i++)
      expect(appends[i]!.recordedAt).toBeGreaterThanOrEqual(appends[i - 1]!.recordedAt);
    for (const a of appends)
      for (const e of a.events) expect(a.recordedAt).toBeGreaterThanOrEqual(Date.parse(e.occurredAt));
  });

  it('only the planned 补录 events are recorded more than 24 h late, and the store order passes decide', () => {
    const late = appends.reduce((n, a) => n + a.lateEvents, 0);
    const planned = cases.reduce((n, c) => n + c.recordLagMs.filter((l) => l > 24 * 3_600_000).length, 0);
    expect(planned).toBeGreaterThan(0);
    expect(late).toBeGreaterThanOrEqual(planned);
    expect(late).toBeLessThan(planned * 3);
    const flat = appends.flatMap((a) => a.events.map((event) => ({ event, at: a.recordedAt })));
    const { refusals } = replayThroughDomain(
      flat.map((f) => f.event),
      (_, i) => flat[i]!.at,
    );
    expect(refusals).toEqual([]);
  });

  it('drops what would be recorded after the horizon, with the rest of its case', () => {
    const horizon = Date.parse('2025-05-20T12:00:00+08:00');
    const cut = [...inRecordOrder(cases, horizon)];
    expect(cut.every((a) => a.recordedAt <= horizon)).toBe(true);
    expect(cut.length).toBeLessThan(appends.length);
  });

  it('groups same-day events of a case into one append', () => {
    const instant = cases.find(
      (c) => c.events.length === 2 && c.recordLagMs.every((l) => l < 3_600_000) && c.at[1]! - c.at[0]! < 3_600_000,
    );
    expect(instant).toBeDefined();
    expect(batchesOf(instant!)).toHaveLength(1);
  });
});
