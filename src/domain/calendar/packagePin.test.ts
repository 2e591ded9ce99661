/**
 * The `chinese-days` package is the calendar's default data (docs/timing.md). A new version that
 * changes a year already pinned here would re-time that year's cases at the next start with no
 * record of it: no calendar publication in the store, so no withdrawn cards, and `asKnownAt`
 * reads of the past answering with the new days. This tripwire fails instead and says what to
 * do: record the change as a correction (PUT /calendar/{year}) on the running engine, then pin
 * again (`npx tsx scripts/pin-calendar-package.ts`). New years are welcome and need no pin.
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
  return out;
}

describe('the chinese-days package against the years pinned in test/fixtures/calendar-package.json', () => {
  it('changes no year already pinned (a change must be recorded as a correction first)', () => {
    const found = drift(pinned, chineseDaysData());
    expect(
      found,
      `${chineseDaysData().baseId} changes years pinned from ${pinned.package}:\n${found.join('\n')}\n` +
        'Record each as a correction (PUT /calendar/{year}) so that the register of withdrawn cards and asKnownAt ' +
        'reads keep the change, then run `npx tsx scripts/pin-calendar-package.ts` (docs/timing.md).',
    ).toEqual([]);
  });

  it('can fail: a pinned year whose days differ from the package is named with what changed', () => {
    const y2025 = pinned.years['2025']!;
    const altered: Pinned = {
      package: pinned.package,
      years: {
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
    ]);
  });
});
