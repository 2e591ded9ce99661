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
  if (tryParseInstant(text) === undefined) return false;
  // The parser took it, so it is `YYYY-…` and ends in `Z` or `±HH:MM`.
  const year = Number(text.slice(0, 4));
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) return false;
  const n = text.length;
  if (text.endsWith('Z')) return true;
  return Number(text.slice(n - 5, n - 3)) * 60 + Number(text.slice(n - 2)) <= MAX_OFFSET_MINUTES;
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

/** At most this many unknown fields are named one by one (a body may carry thousands). */
const MAX_NAMED = 20;
const MAX_NAME_LENGTH = 64;

/** One error per field of `input` that `known` does not have, naming it (cut to 64 characters) and the fields there are. */
export function unknownFieldErrors(
  input: Readonly<Record<string, unknown>>,
  known: ReadonlySet<string>,
  typeName: string,
): { field: string; message: string }[] {
  const unknown = Object.keys(input).filter((key) => !known.has(key));
  const errors = unknown.slice(0, MAX_NAMED).map((key) => ({
    field: key.length > MAX_NAME_LENGTH ? `${key.slice(0, MAX_NAME_LENGTH - 1)}…` : key,
    message: `unknown field: ${typeName} has no such field (its fields are ${[...known].join(', ')})`,
  }));
  if (unknown.length > MAX_NAMED) {
    errors.push({ field: '(body)', message: `${unknown.length - MAX_NAMED} more unknown fields` });
  }
  return errors;
}
