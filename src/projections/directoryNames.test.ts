import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexDirectory } from '../domain/directory.js';
import { nameStats } from './directoryNames.js';
import type { StatsGroup, StatsResult } from './stats.js';

const directory = indexDirectory({
  centers: [{ centerId: 'c1', name: '五华区政务服务中心', level: 'district' }],
  departments: [{ departmentId: 'd1', name: '区卫健局' }],
});

const group = (key: string, accepted: number) => ({ key, cohort: { accepted } }) as unknown as StatsGroup;
const result = (groupBy: StatsResult['groupBy'], groups: StatsGroup[]) =>
  ({ from: '2025-09-01', to: '2025-10-01', groupBy, groups }) as unknown as StatsResult;

describe('nameStats', () => {
  it('names directory ids, flags the others, and counts them and their cases apart; nothing else changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('center' as const, 'department' as const),
        fc.uniqueArray(fc.tuple(fc.constantFrom('c1', 'd1', 'x', 'y', 'z'), fc.nat(100)), { selector: ([k]) => k }),
        (by, rows) => {
          const named = nameStats(
            result(
              by,
              rows.map(([k, n]) => group(k, n)),
            ),
            directory,
          );
          const known = by === 'center' ? 'c1' : 'd1';
          expect(named.groups?.map((g) => g.key)).toEqual(rows.map(([k]) => k));
          for (const g of named.groups ?? []) {
            if (g.key === known) expect(g).toMatchObject({ registered: true, name: expect.any(String) });
            else expect(g.registered === false && g.name === undefined).toBe(true);
          }
          const stray = rows.filter(([k]) => k !== known);
          expect(named.unregistered).toEqual({ groups: stray.length, accepted: stray.reduce((s, [, n]) => s + n, 0) });
        },
      ),
    );
  });

  it('leaves matter and category groups, and ungrouped results, as they are', () => {
    const byMatter = result('matter', [group('c1', 1)]);
    expect(nameStats(byMatter, directory)).toBe(byMatter);
    const plain = result(undefined, undefined as unknown as StatsGroup[]);
    expect(nameStats(plain, directory)).toBe(plain);
  });
});
