/**
 * The law's holidays do not depend on the process time zone: chinese-days
 * renders dates with local-time getters (a day early west of UTC), which
 * holiday-law.ts undoes. Child processes, since the shift is measured at load.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const module = fileURLToPath(new URL('./holiday-law.ts', import.meta.url));
const script = `
  const { lawFixedHolidays } = await import(${JSON.stringify(module)});
  const out = [];
  for (const y of [2015, 2027, 2040]) for (const h of lawFixedHolidays(y)) out.push(h.day + h.name);
  console.log(JSON.stringify(out));
`;
const holidaysUnder = (tz: string): string[] =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    }),
  );

describe('predicted holidays in any process time zone', () => {
  it('are the same under UTC, Asia/Shanghai, America/New_York and Pacific/Kiritimati', () => {
    const utc = holidaysUnder('UTC');
    expect(utc.length).toBe(39);
    for (const tz of ['Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati'])
      expect(holidaysUnder(tz)).toEqual(utc);
  });
});
