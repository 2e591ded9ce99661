import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createCalendarService } from './service.js';
import { DEFAULT_POLICY } from '../policy.js';
import { evaluate } from '../evaluate.js';
import { parseDate, parseInstant } from '../time.js';
import { accepted, fold } from '../testing/fixtures.js';

const regions: Record<string, string> = { 'kashgar-center': 'xj' };
const regionOfCenter = (centerId: string) => regions[centerId];

describe('regional days apply only to cases of centers in their region (SPEC §3)', () => {
  // 古尔邦节 (Eid al-Adha) 2025-06-06 (Fri) as a regional holiday of Xinjiang.
  const svc = createCalendarService('Asia/Shanghai', undefined, regionOfCenter);
  expect(E.isRight(svc.addRegionalDays({ region: 'xj', holidays: ['2025-06-06'] }))).toBe(true);
  const caseAt = (centerId: string) => {
    const event = accepted(`R-${centerId}`, '2025-06-04T09:00:00+08:00', 2);
    const state = fold(`R-${centerId}`, [{ ...event, centerId } as typeof event]);
    return evaluate(state, parseInstant('2025-06-05T09:00:00+08:00'), DEFAULT_POLICY, svc.current(), {
      explain: true,
    })!;
  };

  it('a center of the region skips its regional holiday: accepted Wed 06-04, 2 days → Mon 06-09', () => {
    const ev = caseAt('kashgar-center');
    expect(ev.deadlineDate).toBe('2025-06-09');
  });

  it('a center elsewhere counts that Friday: → Fri 06-06', () => {
    expect(caseAt('beijing-center').deadlineDate).toBe('2025-06-06');
  });

  it('plugging in a new mapping (the directory) notifies listeners so cases are recomputed', () => {
    const s = createCalendarService('Asia/Shanghai');
    s.addRegionalDays({ region: 'xj', holidays: ['2025-06-06'] });
    const seen: number[] = [];
    s.onChange(() => seen.push(1));
    const friday = parseDate('2025-06-06');
    expect(s.current().forCenter('kashgar-center').isWorkday(friday)).toBe(true);
    expect(s.regionOfCenter()('kashgar-center')).toBeUndefined();
    s.setRegionOfCenter(regionOfCenter);
    expect(seen).toHaveLength(1);
    expect(s.regionOfCenter()('kashgar-center')).toBe('xj'); // what an as-known-at rebuild uses
    expect(s.current().forCenter('kashgar-center').isWorkday(friday)).toBe(false);
    expect(s.current().forCenter('beijing-center').isWorkday(friday)).toBe(true);
  });
});
