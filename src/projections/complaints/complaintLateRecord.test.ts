/**
 * The complaint read model folds each stored event with the store's recordedAt, as the case fold
 * does, so a complaint event recorded late is a complaint-late-record card (docs/complaints.md).
 */
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../domain/calendar/index.js';
import type { ComplaintEvent } from '../../domain/complaints/events.js';
import { acceptedC, answeredC, received } from '../../domain/complaints/testing.js';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy.js';
import { formatInstant, parseInstant } from '../../domain/time.js';
import { ComplaintProjection, type ComplaintTiming, type StoredComplaintEvent } from './complaintProjection.js';

const cal = defaultCalendar();
const ZONE = 'Asia/Shanghai';
const T = parseInstant('2025-12-01T00:00:00+08:00');

const stored = (events: readonly [ComplaintEvent, string | undefined][]): StoredComplaintEvent[] =>
  events.map(([e, recordedAt], i) => ({
    streamId: `complaint-${e.complaintId}`,
    position: BigInt(i + 1),
    data: e,
    ...(recordedAt === undefined ? {} : { recordedAt }),
  }));

function lateCardsOf(timing: ComplaintTiming, events: readonly StoredComplaintEvent[], into?: ComplaintProjection) {
  const p = into ?? new ComplaintProjection(timing);
  for (const e of events) p.apply(e);
  return (p.view('q1', T)?.timeline.cards ?? [])
    .filter((c) => c.rule === 'complaint-late-record')
    .map((c) => formatInstant(c.start, ZONE));
}

const R = received('2025-11-03T09:00:00+08:00');
const A = acceptedC('2025-11-03T10:00:00+08:00');

describe('complaint read model: late records', () => {
  const timing: ComplaintTiming = { calendar: () => cal, policyFor: () => DEFAULT_POLICY };

  it("an answer recorded 3 days after it occurred, past the answer deadline, is a card from its recording (the store's recordedAt reaches the fold)", () => {
    const events = stored([
      [R, '2025-11-03T09:00:05+08:00'],
      [A, '2025-11-03T10:00:05+08:00'],
      [answeredC('2025-11-24T09:00:00+08:00'), '2025-11-27T09:00:00+08:00'],
    ]);
    expect(lateCardsOf(timing, events)).toEqual(['2025-11-27T09:00:00.000+08:00']);
    // An event read without its recordedAt is no late record (nothing says when it was recorded).
    const unknown = stored([
      [R, undefined],
      [A, undefined],
      [answeredC('2025-11-24T09:00:00+08:00'), undefined],
    ]);
    expect(lateCardsOf(timing, unknown)).toEqual([]);
  });

  it("keeps late records over the fold's threshold (the lowest of any version), so a stricter version's cards are there", () => {
    const strict: Policy = { ...DEFAULT_POLICY, lateRecordHours: 6 };
    const events = stored([
      [R, '2025-11-03T09:00:05+08:00'],
      [A, '2025-11-03T20:00:00+08:00'], // 10 h late
    ]);
    expect(lateCardsOf({ ...timing, policyFor: () => strict }, events)).toEqual([]);
    const strictTiming: ComplaintTiming = {
      ...timing,
      policyFor: () => strict,
      evolveOptions: () => ({ lateRecordHours: 6 }),
    };
    expect(lateCardsOf(strictTiming, events)).toEqual(['2025-11-03T20:00:00.000+08:00']);
  });

  it('a state restored from a snapshot (JSON lines) keeps its late records and their cards', () => {
    const events = stored([
      [R, '2025-11-03T09:00:05+08:00'],
      [A, '2025-11-05T09:00:00+08:00'], // 47 h late
    ]);
    const p = new ComplaintProjection(timing);
    for (const e of events) p.apply(e);
    const restored = new ComplaintProjection(timing);
    for (const s of p.states()) restored.restore(JSON.parse(JSON.stringify(s)), p.position);
    expect(lateCardsOf(timing, [], restored)).toEqual(['2025-11-05T09:00:00.000+08:00']);
    expect(restored.get('q1')).toEqual(p.get('q1'));
  });
});
