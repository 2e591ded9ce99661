/**
 * Writes test/fixtures/calendar-package.json: every year's notice as the installed
 * `chinese-days` package gives it (days filed by notice, as the engine files them).
 * `src/domain/calendar/packagePin.test.ts` compares the package with it, so an upgrade
 * of the package that changes a year already in force fails a test instead of re-timing
 * past cases silently (docs/timing.md "Upgrading chinese-days"). Run it after such an
 * upgrade only once the change is recorded as a correction (PUT /calendar/{year}).
 *
 *   npx tsx scripts/pin-calendar-package.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chineseDaysData } from '../src/domain/calendar/index.js';
import { formatDate } from '../src/domain/time.js';

const data = chineseDaysData();
const years = Object.fromEntries(
  [...data.years].map(([year, y]) => [
    String(year),
    { holidays: y.holidays.map(formatDate), workdays: y.workdays.map(formatDate) },
  ]),
);
const file = fileURLToPath(new URL('../test/fixtures/calendar-package.json', import.meta.url));
writeFileSync(file, `${JSON.stringify({ package: data.baseId, years }, null, 1)}\n`);
process.stdout.write(`wrote ${file}: ${data.baseId}, ${Object.keys(years).length} years\n`);
