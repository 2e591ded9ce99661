/**
 * Times one live calendar correction over a copy of a province store (issue 18's rebuild store, e.g.
 * /tmp/province.db from `scripts/replay-province.ts --mode rebuild`): the projections catch up, then a
 * `CalendarYearPublished` adding one holiday is appended and timed until applied (every touched case
 * evaluated again, and compared for withdrawn cards: docs/projections.md "Withdrawn cards").
 *
 *   npx tsx scripts/calendar-correction.ts <store.db> [clock ISO] [year] [extra holiday YYYY-MM-DD]
 */
import { copyFileSync, rmSync } from 'node:fs';
import { createCalendarService, DEFAULT_POLICY } from '../src/domain/index.js';
import { createProjections } from '../src/projections/runner.js';
import { createManualScheduler } from '../src/projections/scheduler.js';
import { databaseFilesOf } from '../src/store/sqlite/databaseFiles.js';
import { SqliteEventStore } from '../src/store/sqlite/sqlite-store.js';
import { calendarEventData, CALENDAR_STREAM_ID, decodeCalendarYearRequest } from '../src/projections/calendarEvents.js';
import { PROVINCE_ZONE } from '../src/demo/provinceYear.js';

const src = process.argv[2]!;
const copy = `${src}.calpub-${process.pid}.db`;
copyFileSync(src, copy);
const store = new SqliteEventStore(copy);
const scheduler = createManualScheduler(Date.parse(process.argv[3] ?? '2026-07-01T10:00:00+08:00'));
const calendarService = createCalendarService(PROVINCE_ZONE);
const p = createProjections({
  store,
  calendarService,
  policy: DEFAULT_POLICY,
  clock: scheduler.clock,
  zone: PROVINCE_ZONE,
  scheduler,
});
await p.start();
const year = Number(process.argv[4] ?? '2026');
const base = createCalendarService(PROVINCE_ZONE).getYear(year)!;
const extra = process.argv[5] ?? `${year}-05-06`;
const decoded = decodeCalendarYearRequest(
  String(year),
  { holidays: [...base.holidays, extra], workdays: [...base.workdays] },
  new Date(scheduler.clock()).toISOString(),
);
if (!decoded.ok) throw new Error(JSON.stringify(decoded.errors));
const t0 = performance.now();
const r = await store.append(CALENDAR_STREAM_ID, [calendarEventData(decoded.value)]);
await p.readModels.waitForPosition(r.position, 600_000);
const ms = performance.now() - t0;
const w = p.readModels.withdrawnCards({
  from: `${year}-01-01`,
  to: `${year + 1}-01-01`,
  limit: 1,
});
console.log(`calendar correction ${extra}: ${ms.toFixed(0)} ms; withdrawn ${w.total}`);
await p.stop();
await store.close();
for (const file of databaseFilesOf(copy)) rmSync(file, { force: true });
