import { MS_PER_DAY, dayFromYmd, tryParseInstant, type EpochMs } from '../domain/index.js';

/** The decimal digit at `i` (no validation: the caller checks the shape of the result). */
function digit(text: string, i: number): number {
  return text.charCodeAt(i) - 48;
}

/**
 * The store writes recordedAt as `YYYY-MM-DDTHH:MM:SS.sssZ` (toISOString); read
 * that fixed form by character codes (it is parsed once per event on rebuild),
 * anything else through the domain's general parser.
 */
export function parseRecordedAt(text: string): EpochMs | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return tryParseInstant(text);
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  const hour = digit(text, 11) * 10 + digit(text, 12);
  const minute = digit(text, 14) * 10 + digit(text, 15);
  const second = digit(text, 17) * 10 + digit(text, 18);
  const milli = digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22);
  const fieldsOk = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59
    && milli >= 0 && milli <= 999 && year >= 0 && year <= 9999;
  if (!fieldsOk) return tryParseInstant(text);
  return dayFromYmd(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}
