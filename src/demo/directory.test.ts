import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { CENTER_LEVELS, validateDirectory } from '../domain/directory.js';
import { defaultCalendar } from '../domain/index.js';
import { DirectoryBook, loadDirectory } from '../projections/directoryEvents.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { CENTERS, DEPARTMENTS, MATTERS } from './catalog.js';
import { demoDirectory, recordDemoDirectory } from './directory.js';
import { LiveGenerator } from './live.js';
import { planBacklog } from './seed.js';

const zone = 'Asia/Shanghai';
const now = Date.parse('2025-09-24T10:30:00+08:00');

describe('the demo directory', () => {
  const directory = demoDirectory();
  const centers = new Map(directory.centers.map((c) => [c.centerId, c]));
  const departments = new Set(directory.departments.map((d) => d.departmentId));

  it('is a valid directory with every level, parents one level up, and one region', () => {
    expect(E.isRight(validateDirectory(directory))).toBe(true);
    expect(new Set(directory.centers.map((c) => c.level))).toEqual(new Set(CENTER_LEVELS));
    for (const c of directory.centers) {
      if (c.parentId === undefined) {
        expect(c.level).toBe('city');
        continue;
      }
      const parent = centers.get(c.parentId)!;
      expect(CENTER_LEVELS.indexOf(parent.level), `${c.centerId} under ${parent.centerId}`).toBe(
        CENTER_LEVELS.indexOf(c.level) - 1,
      );
    }
    expect(new Set(directory.centers.flatMap((c) => (c.region === undefined ? [] : [c.region]))).size).toBe(1);
  });

  it('names in Chinese: 政务服务中心, 街道为民服务中心, 社区服务站, 区…局', () => {
    const suffix = {
      city: '政务服务中心',
      district: '政务服务中心',
      street: '街道为民服务中心',
      community: '社区服务站',
    };
    for (const c of directory.centers) expect(c.name.endsWith(suffix[c.level]), c.name).toBe(true);
    const names = directory.departments.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['区卫健局', '区市场监管局', '区人社局']));
  });

  it('registers every center and department the demo feed uses', () => {
    for (const c of CENTERS) expect(centers.has(c.id), c.id).toBe(true);
    for (const d of DEPARTMENTS) expect(departments.has(d.id), d.id).toBe(true);
    for (const m of MATTERS) expect(departments.has(m.departmentId), m.code).toBe(true);
    const generator = new LiveGenerator({ seed: 7, calendar: defaultCalendar(zone), zone });
    const plan = planBacklog(generator, now, 3, 10);
    expect(plan.cases).toBeGreaterThan(0);
    for (const append of plan.appends) {
      for (const e of append.events) {
        if (e.type !== 'CaseAccepted') continue;
        expect(centers.has(e.centerId), e.centerId).toBe(true);
        expect(departments.has(e.departmentId), e.departmentId).toBe(true);
      }
    }
  });

  it('is recorded as one DirectoryPublished event on an empty store, which the book reads back; never twice', async () => {
    const store = new MemoryEventStore({ clock: () => now });
    await recordDemoDirectory(store, now, zone);
    const book = new DirectoryBook();
    expect(await loadDirectory(store, book)).toEqual([]);
    expect(book.view()).toEqual({ version: 1, publishedAt: '2025-09-24T10:30:00.000+08:00', ...directory });
    await expect(recordDemoDirectory(store, now, zone)).rejects.toThrow();
  });
});
