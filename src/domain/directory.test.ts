import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  CENTER_LEVELS,
  centerSetOf,
  centersInScope,
  EMPTY_DIRECTORY,
  type Directory,
  type DirectoryCenter,
  indexDirectory,
  sameDirectory,
  sameRegions,
  validateDirectory,
} from './directory.js';

const errorsOf = (input: unknown) => {
  const r = validateDirectory(input);
  if (E.isRight(r)) throw new Error('expected a refusal');
  return r.left;
};

/** A valid directory: centers form a forest (each parent comes earlier), departments point at some center. */
const directoryArb: fc.Arbitrary<Directory> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), { minLength: 0, maxLength: 25 })
  .chain((ids) =>
    fc.record({
      centers: fc.tuple(
        ...ids.map((id, i) =>
          fc.record(
            {
              centerId: fc.constant(id),
              name: fc.constantFrom('五华区政务服务中心', '华山街道为民服务中心', '翠湖社区服务站'),
              level: fc.constantFrom(...CENTER_LEVELS),
              parentId: i === 0 ? fc.constant(undefined) : fc.constantFrom(...ids.slice(0, i)),
              region: fc.constantFrom('yi-shilin', 'xj'),
            },
            { requiredKeys: ['centerId', 'name', 'level'] },
          ),
        ),
      ),
      departments: fc.uniqueArray(
        fc.record(
          {
            departmentId: fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/),
            name: fc.constantFrom('区卫健局', '区市场监管局'),
            centerId: ids.length === 0 ? fc.constant(undefined) : fc.constantFrom(...ids),
            contact: fc.constant('0871-1234567'),
          },
          { requiredKeys: ['departmentId', 'name'] },
        ),
        { selector: (d) => d.departmentId, maxLength: 10 },
      ),
    }),
  )
  // fc.record leaves an optional key out or sets it; drop keys set to undefined (as JSON would).
  .map((d) => JSON.parse(JSON.stringify(d)) as Directory);

describe('validateDirectory (SPEC §4)', () => {
  it('accepts every well-formed directory and gives it back as sent (order kept)', () => {
    fc.assert(
      fc.property(directoryArb, (d) => {
        const r = validateDirectory(d);
        expect(E.isRight(r) && r.right).toEqual(d);
      }),
    );
  });

  it('refuses any directory whose parents form a cycle, naming the centers on it', () => {
    fc.assert(
      fc.property(
        directoryArb.filter((d) => d.centers.length >= 2),
        fc.nat(),
        fc.nat(),
        (d, a, b) => {
          // Point an ancestor at one of its descendants (or a center at itself).
          const i = a % d.centers.length;
          const chain: number[] = [];
          const byId = new Map(d.centers.map((c, k) => [c.centerId, k]));
          for (let k: number | undefined = i; k !== undefined; ) {
            chain.push(k);
            const p: string | undefined = d.centers[k]!.parentId;
            k = p === undefined ? undefined : byId.get(p);
          }
          const top = chain[chain.length - 1]!;
          const centers: DirectoryCenter[] = d.centers.map((c, k) =>
            k === top ? { ...c, parentId: d.centers[chain[b % chain.length]!]!.centerId } : c,
          );
          const errors = errorsOf({ ...d, centers });
          expect(errors.some((e) => /cycle|its own parent/.test(e.message))).toBe(true);
        },
      ),
    );
  });

  it('names the entry: an unknown level, a duplicate id, a parent or center not in the directory, a bad id', () => {
    const errors = errorsOf({
      centers: [
        { centerId: 'district-wuhua', name: '五华区政务服务中心', level: 'district' },
        { centerId: 'county-x', name: '某县', level: 'county' },
        { centerId: 'district-wuhua', name: '重复', level: 'district' },
        { centerId: 'street-a', name: '华山街道', level: 'street', parentId: 'district-nowhere' },
        { centerId: '五华\n', name: '换行', level: 'city' },
      ],
      departments: [{ departmentId: 'health', name: '区卫健局', centerId: 'center-missing' }],
    });
    const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
    expect(byField['centers[1].level']).toMatch(/county-x.*one of city, district, street, community; got "county"/);
    expect(byField['centers[2].centerId']).toMatch(/duplicate centerId district-wuhua \(also centers\[0\]\)/);
    expect(byField['centers[4].centerId']).toMatch(/1–200 characters on one line/);
    expect(byField['centers[3].parentId']).toBe('district-nowhere is not a center of this directory');
    expect(byField['departments[0].centerId']).toBe('center-missing is not a center of this directory');
    const second = errorsOf({
      centers: [{ centerId: 'street-a', name: '华山街道', level: 'street', parentId: 'district-nowhere' }],
      departments: [{ departmentId: 'health', name: '区卫健局', centerId: 'center-missing' }],
    });
    expect(second).toEqual([
      { field: 'centers[0].parentId', message: 'district-nowhere is not a center of this directory' },
      { field: 'departments[0].centerId', message: 'center-missing is not a center of this directory' },
    ]);
  });

  it('takes every id an event may carry: a case of center 延吉市中心 can be registered (before: [A-Za-z0-9._-] only)', () => {
    const ok = validateDirectory({
      centers: [{ centerId: '延吉市中心', name: '延吉市政务服务中心', level: 'city' }],
      departments: [{ departmentId: '卫健局', name: '市卫健局', centerId: '延吉市中心' }],
    });
    expect(E.isRight(ok)).toBe(true);
    expect(errorsOf({ centers: [{ centerId: 'x'.repeat(201), name: 'X', level: 'city' }], departments: [] })).toEqual([
      expect.objectContaining({ field: 'centers[0].centerId' }),
    ]);
  });

  it('refuses unknown fields, blank names, missing lists, and more entries than the bound', () => {
    expect(errorsOf({ centers: [] }).map((e) => e.field)).toEqual(['departments']);
    const errors = errorsOf({
      centres: [],
      centers: [{ centerId: 'c', name: ' ', level: 'city', colour: 'red' }],
      departments: [],
    });
    expect(errors.map((e) => e.field).sort()).toEqual(['centers[0].colour', 'centers[0].name', 'centres']);
    const many = Array.from({ length: 5001 }, (_, i) => ({ departmentId: `d${i}`, name: 'x' }));
    expect(errorsOf({ centers: [], departments: many })[0]?.message).toMatch(/at most 5000/);
  });

  it('lists at most 20 problems, then counts the rest', () => {
    const centers = Array.from({ length: 30 }, () => ({ centerId: 'same', name: 'x', level: 'town' }));
    const errors = errorsOf({ centers, departments: [] });
    expect(errors).toHaveLength(21);
    expect(errors[20]?.message).toMatch(/and \d+ more problems/);
  });
});

describe('indexDirectory', () => {
  it('finds every center and department by id, and the region of each center', () => {
    fc.assert(
      fc.property(directoryArb, (d) => {
        const index = indexDirectory(d);
        for (const c of d.centers) {
          expect(index.center(c.centerId)).toEqual(c);
          expect(index.regionOfCenter(c.centerId)).toBe(c.region);
        }
        for (const dep of d.departments) expect(index.department(dep.departmentId)).toEqual(dep);
        expect(index.center('not-in-it-§')).toBeUndefined();
      }),
    );
  });

  it('sameDirectory compares the lists only, in order', () => {
    const a: Directory = { centers: [{ centerId: 'c', name: 'C', level: 'city' }], departments: [] };
    expect(sameDirectory(a, { ...a, version: 3 } as Directory)).toBe(true);
    expect(sameDirectory(a, { ...a, departments: [{ departmentId: 'd', name: 'D' }] })).toBe(false);
  });

  it('sameRegions is false exactly when some center changes region', () => {
    const a: Directory = { centers: [{ centerId: 'c', name: 'C', level: 'city', region: 'r1' }], departments: [] };
    expect(sameRegions(a, { ...a, departments: [{ departmentId: 'd', name: 'D' }] })).toBe(true);
    expect(sameRegions(a, { centers: [{ centerId: 'c', name: 'C', level: 'city' }], departments: [] })).toBe(false);
  });
});

describe('centersInScope: which centers a center filter covers', () => {
  const center = (centerId: string, parentId?: string) => ({
    centerId,
    name: centerId,
    level: 'street' as const,
    ...(parentId === undefined ? {} : { parentId }),
  });
  const tree = {
    centers: [
      center('city'),
      center('d1', 'city'),
      center('s1', 'd1'),
      center('s2', 'd1'),
      center('c1', 's1'),
      center('d2', 'city'),
    ],
    departments: [],
  };

  it('center: itself; subtree: itself and every center below, transitively, never its parent or siblings', () => {
    expect([...centersInScope(tree, 'd1', 'center')]).toEqual(['d1']);
    expect([...centersInScope(tree, 'd1', 'subtree')].sort()).toEqual(['c1', 'd1', 's1', 's2']);
    expect([...centersInScope(tree, 's2', 'subtree')]).toEqual(['s2']);
    expect(centersInScope(tree, 'city', 'subtree').size).toBe(6);
  });

  it('a center not in the directory, or no directory: itself alone', () => {
    expect([...centersInScope(tree, 'elsewhere', 'subtree')]).toEqual(['elsewhere']);
    expect([...centersInScope(EMPTY_DIRECTORY, 'd1', 'subtree')]).toEqual(['d1']);
  });

  it('ends on parents in a cycle (a published directory has none, the walk is guarded anyway)', () => {
    const cyclic = { centers: [center('a', 'c'), center('b', 'a'), center('c', 'b')], departments: [] };
    expect([...centersInScope(cyclic, 'a', 'subtree')].sort()).toEqual(['a', 'b', 'c']);
  });

  it('centerSetOf: no center, every center; default scope center', () => {
    expect(centerSetOf({}, tree)).toBeUndefined();
    expect([...(centerSetOf({ centerId: 'd1' }, tree) ?? [])]).toEqual(['d1']);
    expect(centerSetOf({ centerId: 'd1', scope: 'subtree' }, tree)?.size).toBe(4);
  });
});
