import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { CENTER_LEVELS, validateDirectory } from '../domain/directory.js';
import { defaultCalendar } from '../domain/index.js';
import { DirectoryBook, loadDirectory } from '../projections/directoryEvents.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { CENTERS, departmentIdOf, MATTERS, matterMix } from './catalog.js';
import { demoDirectory, recordDemoDirectory } from './directory.js';
import { LiveGenerator } from './live.js';
import { planBacklog } from './seed.js';

const zone = 'Asia/Shanghai';
const now = Date.parse('2025-09-24T10:30:00+08:00');

describe('the demo directory', () => {
  const directory = demoDirectory();
  const centers = new Map(directory.centers.map((c) => [c.centerId, c]));
  const departments = new Set(directory.departments.map((d) => d.departmentId));
  const centerOf = new Map(directory.departments.map((d) => [d.departmentId, d.centerId]));

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

  it('names in Chinese: 政务服务中心, 街道为民服务中心, 社区服务站; 市…局, 区…局, 街道…窗口/科室', () => {
    const suffix = {
      city: '政务服务中心',
      district: '政务服务中心',
      street: '街道为民服务中心',
      community: '社区服务站',
    };
    for (const c of directory.centers) expect(c.name.endsWith(suffix[c.level]), c.name).toBe(true);
    const names = directory.departments.map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '五华区卫健局',
        '官渡区公安分局',
        '昆明市公安局',
        '华山街道派出所户籍窗口',
        '拓东街道社保就业窗口',
      ]),
    );
    // One name per department: the all-centers tables and a 通报 tell 五华区's 公安分局 from 官渡区's.
    expect(new Set(names).size).toBe(names.length);
    for (const d of directory.departments) {
      const level = centers.get(d.centerId as string)?.level;
      const pattern = {
        city: /^昆明市.+(局|委|中心)$/,
        district: /^.+区.+(局|分局|中心)$/,
        street: /^.+街道.+(窗口|科)$/,
      };
      expect(d.name, d.departmentId).toMatch(pattern[level as 'city' | 'district' | 'street']);
    }
  });

  it('gives each center its own departments, one for every kind of matter its level handles', () => {
    for (const d of directory.departments) expect(centers.has(d.centerId as string), d.departmentId).toBe(true);
    for (const c of CENTERS) {
      const mix = matterMix(c.tier);
      for (const [m] of [...mix.instant, ...mix.promised]) {
        expect(centerOf.get(departmentIdOf(c, m.departmentKind)), `${c.id} ${m.code}`).toBe(c.id);
      }
    }
  });

  it('registers every center the demo feed uses, and every case and complaint names a department of its own center', () => {
    for (const c of CENTERS) expect(centers.has(c.id), c.id).toBe(true);
    for (const m of MATTERS) {
      const at = CENTERS.filter((c) => m.tiers.includes(c.tier));
      for (const c of at) expect(departments.has(departmentIdOf(c, m.departmentKind)), m.code).toBe(true);
    }
    const generator = new LiveGenerator({ seed: 7, calendar: defaultCalendar(zone), zone });
    const plan = planBacklog(generator, now, 10, 30);
    expect(plan.cases).toBeGreaterThan(0);
    expect(plan.complaints).toBeGreaterThan(0);
    const complaintCenter = new Map<string, string>();
    const named: { centerId: string; departmentId: string }[] = [];
    for (const append of plan.appends) {
      for (const e of append.events) {
        if (e.type === 'CaseAccepted') named.push(e);
        if (e.type === 'ComplaintReceived') complaintCenter.set(e.complaintId, e.centerId);
        if (e.type === 'ComplaintReceived' || e.type === 'ComplaintAssigned') {
          const centerId = complaintCenter.get(e.complaintId) as string;
          if (e.departmentId !== undefined) named.push({ centerId, departmentId: e.departmentId });
        }
      }
    }
    // An hour of the live feed: its new cases too.
    let t = now;
    while (t < now + 3_600_000) {
      t += generator.nextDelayMs();
      for (const e of generator.step(t)) if (e.type === 'CaseAccepted') named.push(e);
    }
    expect(new Set(named.map((n) => n.centerId)).size).toBe(CENTERS.length);
    for (const { centerId, departmentId } of named) {
      expect(centers.has(centerId), centerId).toBe(true);
      expect(centerOf.get(departmentId), `${departmentId} at ${centerId}`).toBe(centerId);
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
