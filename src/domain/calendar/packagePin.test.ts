/**
 * The `chinese-days` package is the calendar's default data (docs/timing.md). A new version that
 * changes a year already pinned here would re-time that year's cases at the next start with no
 * record of it: no calendar publication in the store, so no withdrawn cards, and `asKnownAt`
 * reads of the past answering with the new days. This tripwire fails instead and says what to
 * do: record the change as a correction (PUT /calendar/{year}) on the running engine, then pin
 * again (`npx tsx scripts/pin-calendar-package.ts`). A year the pin lacks is a change too: until its
 * notice the year is predicted and its cases are timed by the law's holidays alone, so a package
 * bringing next year's notice re-times them just the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chineseDaysData, type CalendarData } from './index.js';
import { noticeChanges } from './notice.js';
import { parseDate } from '../time.js';

interface Pinned {
  readonly package: string;
  readonly years: Record<string, { readonly holidays: readonly string[]; readonly workdays: readonly string[] }>;
}

const pinned = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/calendar-package.json', import.meta.url), 'utf8'),
) as Pinned;

/** What the package changed in a pinned year, one line a year (none: nothing changed). */
function drift(pin: Pinned, data: CalendarData): string[] {
  const out: string[] = [];
  for (const [yearText, days] of Object.entries(pin.years)) {
    const year = Number(yearText);
    const now = data.years.get(year);
    if (now === undefined) {
      out.push(`${year}: the notice is gone from ${data.baseId}`);
      continue;
    }
    const c = noticeChanges(
      { holidays: days.holidays.map(parseDate), workdays: days.workdays.map(parseDate) },
      { holidays: now.holidays, workdays: now.workdays },
    );
    const parts = [
      ['holidays added', c.holidaysAdded],
      ['holidays removed', c.holidaysRemoved],
      ['make-up days added', c.workdaysAdded],
      ['make-up days removed', c.workdaysRemoved],
    ] as const;
    const said = parts.filter(([, list]) => list.length > 0).map(([what, list]) => `${what} ${list.join(', ')}`);
    if (said.length > 0) out.push(`${year}: ${said.join('; ')}`);
  }
  for (const year of data.years.keys())
    if (!Object.hasOwn(pin.years, String(year))) out.push(`${year}: a notice the pin lacks (the year was predicted)`);
  return out;
}

describe('the chinese-days package against the years pinned in test/fixtures/calendar-package.json', () => {
  it('changes no year pinned and adds none (a change must be recorded as a publication first)', () => {
    const found = drift(pinned, chineseDaysData());
    expect(
      found,
      `${chineseDaysData().baseId} changes years pinned from ${pinned.package}:\n${found.join('\n')}\n` +
        'Record each as a correction (PUT /calendar/{year}) so that the register of withdrawn cards and asKnownAt ' +
        'reads keep the change, then run `npx tsx scripts/pin-calendar-package.ts` (docs/timing.md).',
    ).toEqual([]);
  });

  it('can fail: a pinned year whose days differ, one gone and one the pin lacks are each named', () => {
    const y2025 = pinned.years['2025']!;
    const { '2026': _left, ...others } = pinned.years;
    const altered: Pinned = {
      package: pinned.package,
      years: {
        ...others,
        '2025': {
          holidays: y2025.holidays.filter((d) => d !== '2025-10-08'),
          workdays: [...y2025.workdays, '2025-10-12'],
        },
        '1999': { holidays: ['1999-10-01'], workdays: [] },
      },
    };
    // (Year keys iterate in ascending order.)
    expect(drift(altered, chineseDaysData())).toEqual([
      `1999: the notice is gone from ${chineseDaysData().baseId}`,
      '2025: holidays added 2025-10-08; make-up days removed 2025-10-12',
      '2026: a notice the pin lacks (the year was predicted)',
    ]);
  });
});
