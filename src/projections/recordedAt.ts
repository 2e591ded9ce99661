import { MS_PER_DAY, dayFromYmd, tryParseInstant, type EpochMs } from '../domain/index.js';

/**
 * The store writes recordedAt as `YYYY-MM-DDTHH:MM:SS.sssZ` (toISOString); read
 * that fixed form by character codes (it is parsed once per event on rebuild),
 * anything else through the domain's general parser.
 */
export function parseRecordedAt(text: string): EpochMs | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */) return tryParseInstant(text);
  const d = (i: number) => text.charCodeAt(i) - 48;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const ms = (((d(11) * 10 + d(12)) * 60 + d(14) * 10 + d(15)) * 60 + d(17) * 10 + d(18)) * 1000 + d(20) * 100 + d(21) * 10 + d(22);
  const value = dayFromYmd(year, month, day) * MS_PER_DAY + ms;
  return Number.isFinite(value) && month >= 1 && month <= 12 && day >= 1 && day <= 31 ? value : tryParseInstant(text);
}
