/**
 * ISO-8601 parsing/formatting without `Date` objects on the hot path, over the
 * civil-date arithmetic of civil.ts (re-exported here). Epoch day 0 is 1970-01-01.
 */
import type { EpochDay, EpochMs } from './types.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, dayFromYmd, ymdFromDay } from './civil.js';
import { zoneClock } from './zone.js';

export { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, dayFromYmd, ymdFromDay, weekdayOf } from './civil.js';
export type { Ymd } from './civil.js';

export function yearOfDay(epochDay: EpochDay): number {
  return ymdFromDay(epochDay).year;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}
function padYear(y: number): string {
  if (y >= 0 && y <= 9999) return y < 1000 ? `000${y}`.slice(-4) : `${y}`;
  const a = Math.abs(y);
  return `${y < 0 ? '-' : '+'}${`00000${a}`.slice(-6)}`;
}

/** `YYYY-MM-DD` of an epoch day. */
export function formatDate(epochDay: EpochDay): string {
  const { year, month, day } = ymdFromDay(epochDay);
  return `${padYear(year)}-${pad2(month)}-${pad2(day)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch day of a `YYYY-MM-DD` string, or undefined when it is not a real date. */
export function tryParseDate(text: string): EpochDay | undefined {
  const m = DATE_RE.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const epochDay = dayFromYmd(year, month, day);
  const back = ymdFromDay(epochDay);
  return back.month === month && back.day === day ? epochDay : undefined;
}

/**
 * What is wrong with a value given as a date `YYYY-MM-DD` (undefined: nothing): its form, or the
 * day it names, which the calendar does not have (`2027-02-30`: February 2027 has 28 days).
 */
export function dateProblem(value: unknown): string | undefined {
  const shown = JSON.stringify(value)?.slice(0, 40) ?? String(value);
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (m === null) return `must be a date YYYY-MM-DD; got ${shown}`;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return `${shown} is no date: a month is 01–12`;
  const days = dayFromYmd(year, month + 1, 1) - dayFromYmd(year, month, 1);
  if (Number(m[3]) < 1 || Number(m[3]) > days) return `${shown} is no date: ${m[1]}-${m[2]} has ${days} days`;
  return undefined;
}

/** Epoch day of a `YYYY-MM-DD` string; throws RangeError naming the input otherwise. */
export function parseDate(text: string): EpochDay {
  const d = tryParseDate(text);
  if (d === undefined) throw new RangeError(`not a valid date YYYY-MM-DD: ${JSON.stringify(text)}`);
  return d;
}

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an ISO-8601 instant with offset (fractions beyond ms are truncated), or undefined. */
export function tryParseInstant(text: string): EpochMs | undefined {
  const fast = parseFixedInstant(text);
  return !Number.isNaN(fast) ? fast : tryParseInstantByPattern(text);
}

/** Two ASCII digits at `i` as a number, or NaN. */
function digits2(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The common forms `YYYY-MM-DDTHH:mm:ss[.sss](Z|±HH:mm)` read by character codes
 * (occurredAt is parsed once per event on every rebuild). NaN for anything else,
 * including valid instants in other forms (hour 24, other fraction lengths): the
 * caller then uses the pattern, which decides. Same result as the pattern where both apply.
 */
export function parseFixedInstant(text: string): EpochMs {
  const n = text.length;
  const hasMs = n === 24 || n === 29;
  if (!(hasMs || n === 20 || n === 25)) return Number.NaN;
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return Number.NaN; // - - T : :
  const year = digits2(text, 0) * 100 + digits2(text, 2);
  const month = digits2(text, 5);
  const day = digits2(text, 8);
  const hour = digits2(text, 11);
  const minute = digits2(text, 14);
  const second = digits2(text, 17);
  let i = 19;
  let ms = 0;
  if (hasMs) {
    if (text.charCodeAt(19) !== 46) return Number.NaN; // .
    const d = text.charCodeAt(22) - 48;
    if (!(d >= 0 && d <= 9)) return Number.NaN;
    ms = digits2(text, 20) * 10 + d;
    i = 23;
  }
  // Comparisons with NaN are false, so a non-digit anywhere fails these checks.
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0))
    return Number.NaN;
  if (day > daysInMonth(year, month)) return Number.NaN;
  let offsetMinutes = 0;
  const sign = text.charCodeAt(i);
  if (sign === 90 /* Z */) {
    if (n !== i + 1) return Number.NaN;
  } else {
    if (n !== i + 6 || (sign !== 43 && sign !== 45) || text.charCodeAt(i + 3) !== 58) return Number.NaN; // + - :
    const oh = digits2(text, i + 1);
    const om = digits2(text, i + 4);
    if (!(oh <= 23 && om <= 59)) return Number.NaN;
    offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  }
  return (
    dayFromYmd(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * 1000 +
    ms -
    offsetMinutes * MS_PER_MINUTE
  );
}

/** The general parser behind tryParseInstant (exported so tests can compare the fast path with it). */
export function tryParseInstantByPattern(text: string): EpochMs | undefined {
  const m = INSTANT_RE.exec(text);
  if (m === null) return undefined;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (hour > 24 || minute > 59 || second > 59) return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0)) return undefined;
  const epochDay = tryParseDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (epochDay === undefined) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return (
    epochDay * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * 1000 +
    ms -
    offsetMinutes * MS_PER_MINUTE
  );
}

/** Epoch ms of an ISO-8601 instant with offset; throws RangeError naming the input otherwise. */
export function parseInstant(text: string): EpochMs {
  const t = tryParseInstant(text);
  if (t === undefined) {
    throw new RangeError(`not an ISO-8601 instant with offset: ${JSON.stringify(text)}`);
  }
  return t;
}

/** `2024-02-23T00:00:00.000+08:00`: the instant rendered in `zone` with its offset there. */
export function formatInstant(instant: EpochMs, zone: string): string {
  const offsetMs = zoneClock(zone).offsetAt(instant);
  const local = instant + offsetMs;
  const epochDay = Math.floor(local / MS_PER_DAY);
  let rest = local - epochDay * MS_PER_DAY;
  const hour = Math.floor(rest / MS_PER_HOUR);
  rest -= hour * MS_PER_HOUR;
  const minute = Math.floor(rest / MS_PER_MINUTE);
  rest -= minute * MS_PER_MINUTE;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  const offMin = Math.round(offsetMs / MS_PER_MINUTE);
  return `${datePrefix(epochDay)}${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(milli)}${offsetText(offMin)}`;
}

// Read paths format many instants on few distinct days and offsets: remember those parts (bounded).
const MAX_CACHED = 4096;
const datePrefixes = new Map<EpochDay, string>();
const offsetTexts = new Map<number, string>();

/** `YYYY-MM-DDT` of an epoch day. */
function datePrefix(epochDay: EpochDay): string {
  let text = datePrefixes.get(epochDay);
  if (text === undefined) {
    if (datePrefixes.size >= MAX_CACHED) datePrefixes.clear();
    text = `${formatDate(epochDay)}T`;
    Number(text); // flatten the rope once, since it is kept
    datePrefixes.set(epochDay, text);
  }
  return text;
}

/** `+08:00` of an offset in minutes. */
function offsetText(offMin: number): string {
  let text = offsetTexts.get(offMin);
  if (text === undefined) {
    const absMin = Math.abs(offMin);
    text = `${offMin < 0 ? '-' : '+'}${pad2(Math.floor(absMin / 60))}:${pad2(absMin % 60)}`;
    Number(text);
    if (offsetTexts.size < MAX_CACHED) offsetTexts.set(offMin, text);
  }
  return text;
}
