/**
 * What the law can mean (issue 13 defect 5), checked when an event comes in:
 * instants in a sane span with a real-world offset, day counts the law allows,
 * and no field the event type does not have (a misspelled optional field would
 * otherwise be dropped in silence: `catgory` counted as unspecified).
 * "Not in the future" needs the clock and is decide's (policy.futureToleranceMinutes).
 */
import type * as t from 'io-ts';
import { tryParseInstant } from './time.js';

/** Years an event may carry: the engine supervises current work, not history before 2000 (year 0000 made a 528,534-day red card). */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;
/** UTC offsets in use in the world span −12:00 to +14:00. */
export const MAX_OFFSET_MINUTES = 14 * 60;
/** No day count of SPEC §2 (promised, legal, declared, respond-within) exceeds a year. */
export const MAX_DAYS = 365;

/** An ISO-8601 instant the domain parser reads, in years FIRST_YEAR–LAST_YEAR, offset within ±14:00. */
export function isBoundedInstant(text: string): boolean {
  return instantProblem(text) === undefined;
}

/** What is wrong with an instant's text (the message of a 400), or undefined when it is a bounded instant. */
export function instantProblem(text: string): string | undefined {
  if (tryParseInstant(text) === undefined)
    return 'must be an ISO-8601 instant with offset, e.g. 2025-09-22T10:15:00+08:00';
  // The parser took it, so it is `YYYY-…` and ends in `Z` or `±HH:MM`.
  const year = Number(text.slice(0, 4));
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) return `must be in the years ${FIRST_YEAR}–${LAST_YEAR}`;
  const n = text.length;
  if (text.endsWith('Z')) return undefined;
  return Number(text.slice(n - 5, n - 3)) * 60 + Number(text.slice(n - 2)) <= MAX_OFFSET_MINUTES
    ? undefined
    : 'must have an offset within ±14:00';
}

/** An exact io-ts codec of the shape `exact(intersection([type({...}), partial({...})]))` or `exact(type({...}))`. */
interface PropsCodec {
  readonly props?: Readonly<Record<string, unknown>>;
  readonly types?: readonly PropsCodec[];
  readonly type?: PropsCodec;
}

/** The field names a codec knows (required and optional), read from the codec itself: no second list to keep. */
export function fieldsOf(codec: t.Mixed): ReadonlySet<string> {
  const fields = new Set<string>();
  const walk = (c: PropsCodec | undefined): void => {
    if (c === undefined) return;
    for (const key of Object.keys(c.props ?? {})) fields.add(key);
    for (const inner of c.types ?? []) walk(inner);
    walk(c.type);
  };
  walk(codec as unknown as PropsCodec);
  return fields;
}

/** At most this many unknown fields are named (a body may carry thousands). */
const MAX_NAMED = 20;
const MAX_NAME_LENGTH = 64;

/**
 * A name a caller sent (a body's key, a query parameter), as an answer names it: cut to 64 characters,
 * so an answer never grows with a key's length and quotes little of what a key may hold.
 */
export const shownName = (key: string): string =>
  key.length > MAX_NAME_LENGTH ? `${key.slice(0, MAX_NAME_LENGTH - 1)}…` : key;

/**
 * The errors naming the names in `unknown` — the one way an answer names the fields it does not know:
 * the first alone, with `message` (`fieldOf` placing it: `centers[2].x`), then, when there are more,
 * one error at `where` naming the next 19 and counting the rest. Names are cut by `shownName`.
 * Not one error per name: each repeated `message` (an event's lists the type's fields) in the error's
 * message and its details, and a batch of 1,000 events with 21 unknown fields each was answered in
 * 10 MB, 57 times the request (session 28).
 */
export function unknownNameErrors(
  unknown: readonly string[],
  message: string,
  fieldOf: (shown: string) => string = (shown) => shown,
  where = '(body)',
): { field: string; message: string }[] {
  const [first, ...more] = unknown;
  if (first === undefined) return [];
  const errors = [{ field: fieldOf(shownName(first)), message }];
  if (more.length > 0) {
    const named = more.slice(0, MAX_NAMED - 1).map(shownName);
    const unnamed = more.length - named.length;
    errors.push({
      field: where,
      message: `${more.length} more unknown field${more.length === 1 ? '' : 's'}: ${named.join(', ')}${unnamed > 0 ? `, and ${unnamed} not named` : ''}`,
    });
  }
  return errors;
}

/** The errors naming the fields of `input` that `known` does not have (unknownNameErrors), the first with the fields there are. */
export function unknownFieldErrors(
  input: Readonly<Record<string, unknown>>,
  known: ReadonlySet<string>,
  typeName: string,
): { field: string; message: string }[] {
  return unknownNameErrors(
    Object.keys(input).filter((key) => !known.has(key)),
    `unknown field: ${typeName} has no such field (its fields are ${[...known].join(', ')})`,
  );
}

/** Free texts, which may run over lines; every other string of an event is one line (an id, a name). */
const FREE_TEXT_FIELDS: ReadonlySet<string> = new Set(['note', 'reason', 'comment', 'subject']);
/**
 * The fields of an event (case or complaint) that may hold personal data: the free texts (a rating's
 * comment, a complaint's subject, a pause's note, a refusal's reason), where an applicant's name and
 * phone number end up, and the names of people and of the matter (`actor`, `by`, `approvedBy`,
 * `matterName`). The one list of them: a refusal never quotes their value (`refusedValue`), and a 500's
 * log line has their values from the body replaced by their names (errors.ts `withoutRequestValues`).
 */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set([
  ...FREE_TEXT_FIELDS,
  'actor',
  'by',
  'approvedBy',
  'matterName',
]);
/** The strings a refusal quotes: a code's characters (an id, an enum value, a date or instant), at most an id's 64. */
const QUOTABLE = /^[A-Za-z0-9._:+-]{1,64}$/;

/**
 * What a refusal says of the value it refuses at `field` (a path: `comment`, `events[2].note`): the
 * value itself when it is a code — a number, true, false, null, or a string QUOTABLE (ASCII letters,
 * digits and `._:+-`, at most 64) — of a field not in PERSONAL_FIELDS (`got "aproved"`, `got 400`);
 * else only its kind and length (`got a string of 2001 characters`, `got a number`, `got an array`).
 * A refusal can be logged on its way back (a proxy, the client's own log), so it never echoes a name,
 * a phone number or a free text, nor a text (`张三 …`) sent in a code's place.
 */
export function refusedValue(field: string, value: unknown): string {
  const name = /([^.[\]]+)(?:\[\d+\])*$/.exec(field)?.[1] ?? field;
  const personal = PERSONAL_FIELDS.has(name);
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (value.length === 0) return 'an empty string';
    if (personal || !QUOTABLE.test(value))
      return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return personal ? `a ${typeof value}` : String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
// The one list of what no text may hold: FORBIDDEN, the union of these.
/** C0 controls but TAB, LF and CR; DEL; C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what it looks for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** The bidirectional embeddings, overrides and isolates, which reorder what a reader sees ("Trojan Source", CVE-2021-42574). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** Half of a character, no character at all (written out as U+FFFD). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** What lays a free text out over lines, and a one-line text (an id, a name) may not hold: TAB, LF, CR, U+2028, U+2029. */
const LAYOUT = /[\t\n\r\u2028\u2029]/;
const anyOf = (...parts: RegExp[]): RegExp => new RegExp(parts.map((p) => p.source).join('|'));
const FORBIDDEN = anyOf(CONTROL, BIDI, LONE_SURROGATE);
const FORBIDDEN_IN_ONE_LINE = anyOf(FORBIDDEN, LAYOUT);
/** Nothing a reader could see: white space (U+3000 too) and the zero-width and invisible format characters. */
const BLANK = /^[\s\u180e\u200b-\u200d\u2060\ufeff]*$/;

/** A character FORBIDDEN_IN_ONE_LINE found, named by what it is and its code point: "the control character U+0000". */
function nameOf(char: string): string {
  const point = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (LONE_SURROGATE.test(char)) return `a lone surrogate ${point} (half of a character)`;
  if (BIDI.test(char)) return `the bidirectional control character ${point}`;
  if (char === '\u2028') return `the line separator ${point}`;
  if (char === '\u2029') return `the paragraph separator ${point}`;
  return `the control character ${point}`;
}

/**
 * Why a text cannot be a field's value, or undefined: blank, or holding a character of FORBIDDEN; a
 * one-line field (an id, a name; not a free text, which may run over lines) a line break or tab too.
 * The first such character is named by its code point.
 */
export function textProblem(value: string, kind: 'one-line' | 'free' = 'one-line'): string | undefined {
  if (BLANK.test(value)) return 'must not be blank';
  const found = (kind === 'free' ? FORBIDDEN : FORBIDDEN_IN_ONE_LINE).exec(value)?.[0];
  if (found === undefined) return undefined;
  const oneLineOnly = kind === 'one-line' && LAYOUT.test(found);
  return `must not hold ${nameOf(found)}${oneLineOnly ? ' (the field is one line)' : ''}`;
}
/** Digits after the millisecond of a fraction, as `.1231` (the 1 after 123). */
const SUB_MILLISECOND = /\.\d{3}(\d*)/;

/**
 * What a decoded incoming event (case or complaint) must also be, beyond its codec, checked on the
 * way in only (stored events replay under the codecs alone, so an event stored before a rule is never
 * refused later): its instant a whole number of milliseconds, as the store and every comparison read
 * it (`.1231` and `.1239` would be one instant to the eventId check and the order, two to the body);
 * no text blank (SPEC §2: "non-empty" means something written); no control, bidirectional control or
 * lone surrogate in any text, nor a line break or tab in a one-line field (textProblem).
 */
export function incomingEventErrors(event: Readonly<Record<string, unknown>>): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const at = event['occurredAt'];
  if (typeof at === 'string' && /[1-9]/.test(SUB_MILLISECOND.exec(at)?.[1] ?? ''))
    errors.push({ field: 'occurredAt', message: 'must be a whole number of milliseconds' });
  for (const [field, value] of Object.entries(event)) {
    if (typeof value !== 'string') continue;
    const problem = textProblem(value, FREE_TEXT_FIELDS.has(field) ? 'free' : 'one-line');
    if (problem !== undefined) errors.push({ field, message: problem });
  }
  return errors;
}
