/**
 * The demo's directory (SPEC §4): the catalog's centers with their levels and
 * parents, the 社区服务站 under the streets, one autonomous county with a region
 * for its regional days, and each center's own departments, named for its
 * level (昆明市公安局, 五华区卫健局, 华山街道派出所户籍窗口: catalog.ts
 * `departmentsOf`). The ids are the catalog's, so every case the demo feed
 * records names a registered center and a department of that center.
 *
 * Recorded on an empty store the way `PUT /directory` records it: validated by
 * the domain, then one `DirectoryPublished` event on `directory-CN`.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { validateDirectory, type Directory, type DirectoryCenter } from '../domain/directory.js';
import { formatInstant } from '../domain/time.js';
import type { EpochMs } from '../domain/types.js';
import { DIRECTORY_STREAM_ID, directoryEventData } from '../projections/directoryEvents.js';
import type { EventStore } from '../store/port.js';
import { CENTERS, departmentsOf } from './catalog.js';

/** Centers with no demo cases: community stations, and a county whose 火把节 is a regional day. */
const DIRECTORY_ONLY_CENTERS: readonly DirectoryCenter[] = [
  { centerId: 'community-cuihu', name: '华山街道翠湖社区服务站', level: 'community', parentId: 'street-huashan' },
  { centerId: 'community-wenlin', name: '华山街道文林社区服务站', level: 'community', parentId: 'street-huashan' },
  { centerId: 'community-qianju', name: '护国街道钱局社区服务站', level: 'community', parentId: 'street-huguo' },
  { centerId: 'community-desheng', name: '拓东街道得胜社区服务站', level: 'community', parentId: 'street-tuodong' },
  {
    centerId: 'county-shilin',
    name: '石林彝族自治县政务服务中心',
    level: 'district',
    parentId: 'city',
    region: 'yunnan-yi',
  },
];

export function demoDirectory(): Directory {
  const catalogCenters: DirectoryCenter[] = CENTERS.map((c) => ({
    centerId: c.id,
    name: c.name,
    level: c.tier,
    ...(c.parentId === undefined ? {} : { parentId: c.parentId }),
  }));
  return {
    centers: [...catalogCenters, ...DIRECTORY_ONLY_CENTERS],
    // Each center's switchboard block (0871-63xx…), one line per department.
    departments: CENTERS.flatMap((c, k) =>
      departmentsOf(c).map((d, i) => ({
        departmentId: d.departmentId,
        name: d.name,
        centerId: c.id,
        contact: `0871-6${311 + 7 * k}${String(1001 + i)}`,
      })),
    ),
  };
}

/** Append the demo directory to an empty `directory-CN` (a store that has one keeps it). */
export async function recordDemoDirectory(store: EventStore, now: EpochMs, zone: string): Promise<void> {
  const checked = validateDirectory(demoDirectory());
  if (isLeft(checked)) throw new Error(`demo directory invalid: ${checked.left.map((e) => e.field).join(', ')}`);
  await store.append(DIRECTORY_STREAM_ID, [directoryEventData(checked.right, formatInstant(now, zone))], {
    expectedRevision: 'no_stream',
  });
}
