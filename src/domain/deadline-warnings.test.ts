import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { pausesAtExtensions } from './deadline-warnings.js';
import { timelineOf } from './timeline.js';
import { historyArb } from './testing/arbitraries.js';
import { accepted, fold, paused, resumed } from './testing/fixtures.js';
import { parseDate, parseInstant } from './time.js';

const cal = defaultCalendar('Asia/Shanghai');

describe('pausesAtExtensions', () => {
  it("law: with the timeline's pause days it answers as without them, at every instant up to T", () => {
    fc.assert(
      fc.property(historyArb(), fc.integer({ min: 0, max: 72 }), (h, afterH) => {
        const state = fold('P-1', h.events);
        const T = h.last + afterH * 3_600_000;
        const tl = timelineOf(state, T, DEFAULT_POLICY, cal)!;
        const shortcut = pausesAtExtensions(state, cal, tl.merged);
        const counted = pausesAtExtensions(state, cal);
        // Each event's instant and the millisecond either side: where a pause's days change.
        const instants = h.at.flatMap((t) => [t - 1, t, t + 1]).filter((x) => x <= T);
        for (const x of [...instants, T]) expect(shortcut(x)).toEqual(counted(x));
      }),
      { numRuns: 300 },
    );
  });

  it("during a pause that resumed later: the days as they stood then; after it, the timeline's own", () => {
    const state = fold('P-1', [
      accepted('P-1', '2025-03-03T09:00:00+08:00', 5),
      paused('P-1', '2025-03-05T09:00:00+08:00', 'p1'),
      resumed('P-1', '2025-03-21T09:00:00+08:00', 'p1'),
    ]);
    const tl = timelineOf(state, parseInstant('2025-03-25T12:00:00+08:00'), DEFAULT_POLICY, cal)!;
    const pausesAt = pausesAtExtensions(state, cal, tl.merged);
    expect(pausesAt(parseInstant('2025-03-20T10:00:00+08:00'))).toEqual([
      { after: parseDate('2025-03-05'), through: parseDate('2025-03-20') },
    ]);
    expect(pausesAt(parseInstant('2025-03-21T09:00:00+08:00'))).toBe(tl.merged);
    expect(tl.merged).toEqual([{ after: parseDate('2025-03-05'), through: parseDate('2025-03-21') }]);
  });
});
