/**
 * A `$all` stream-prefix filter as an SQL condition on `stream`, so rows of
 * other streams are never handed to JavaScript (prefixFilter.ts runs it). Two
 * exact forms, chosen per prefix length by what each costs a scanned row:
 *
 * - **Ranges.** A prefix p is the range `+stream >= p AND +stream < upper(p)`.
 *   SQLite compares TEXT under the BINARY collation as UTF-8 bytes, whose order
 *   is code point order, so upper(p) is p with its last code point below
 *   U+10FFFF incremented (after dropping the U+10FFFF ones), and no bound at all
 *   when p is only U+10FFFF (bound as a BLOB, which SQLite orders above every
 *   TEXT). A row that matches none is compared with every range.
 * - **IN lists.** The prefixes of one length L (in code points) as
 *   `substr(stream, 1, L) IN (…)`: SQLite's substr counts code points of TEXT,
 *   and its IN list is a lookup in a small index built once a run of the
 *   statement (a page), so one list costs a row about as much whatever its
 *   number of prefixes. substr stops
 *   at a NUL, so a prefix holding one is always a range (a stream holding one
 *   still compares right with a prefix that does not: the NUL lies past it).
 *
 * `+stream` keeps the planner on the scan by position (the (stream, revision)
 * index would need a sort of every matching row per page). LIKE/GLOB are not
 * used: no escaping. A prefix with a lone surrogate is not said in SQL at all:
 * JavaScript's startsWith can match half of a pair, UTF-8 cannot.
 */
import { InvalidAppendError, MAX_STREAM_PREFIXES } from '../port.js';

/**
 * Prefixes of one statement at most: the store's cap (port.ts, checked by
 * validatePrefixes before a read gets here); at most two parameters a prefix,
 * well within SQLite's 32,766 parameters a statement.
 */
export const MAX_SQL_RANGES = MAX_STREAM_PREFIXES;

/**
 * How a filter is said: 'auto' by the cost rule below; 'ranges' and 'in-lists'
 * force one form wherever it is exact (tests and the store bench compare them).
 */
export type PrefixFilterForm = 'auto' | 'ranges' | 'in-lists';
const PREFIX_FILTER_FORMS: readonly string[] = ['auto', 'ranges', 'in-lists'] satisfies PrefixFilterForm[];

/** `form` if it is one of the three, else a RangeError naming the option and the three. */
export function validPrefixFilterForm(form: unknown): PrefixFilterForm {
  if (typeof form === 'string' && PREFIX_FILTER_FORMS.includes(form)) return form as PrefixFilterForm;
  throw new RangeError(`prefixFilterForm must be 'auto', 'ranges' or 'in-lists', not ${JSON.stringify(form)}`);
}

/**
 * The cost rule: prefixes of one length become one IN list when they are at
 * least this many, else they stay ranges. Measured on the 1 M-event province
 * store (a condition matching no row, 300 k rows, CPU time, 9 interleaved
 * rounds): a range costs a scanned row ≈ 20 ns (one: 54 ns, 32: 687 ns), one
 * IN list 82-139 ns whatever its size (1 to 32 prefixes); 4 ranges 86 ns
 * against 96, 5 ranges 110 against 98 (a second run: 78 against 84, 167
 * against 131). Whole-log reads of real prefix sets measure thresholds of 3
 * to 8 alike (docs/event-store.md).
 */
export const IN_LIST_MIN_PREFIXES = 5;

const NO_UPPER_BOUND = Buffer.alloc(0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The smallest string above every string beginning with `prefix` (code point order), or undefined if none is. */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (c) => c.codePointAt(0) as number);
  while (codePoints.length > 0) {
    const last = codePoints.pop() as number;
    if (last < 0x10ffff) {
      // No code point lies between U+D7FF and U+E000 (the surrogates are not characters).
      codePoints.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...codePoints);
    }
  }
  return undefined;
}

/** The prefixes no other prefix of the set covers, sorted (a prefix of a prefix makes the longer one redundant). */
export function coveringPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  const kept: string[] = [];
  for (const p of sorted) {
    const last = kept.at(-1);
    // Sorted, every string beginning with `last` follows it directly: `last` is the only candidate cover.
    if (last === undefined || !p.startsWith(last)) kept.push(p);
  }
  return kept;
}

/** Fails closed: a caller that skipped validatePrefixes is refused, not read in JavaScript for nothing. */
function withinCap(covering: string[]): string[] {
  if (covering.length > MAX_SQL_RANGES)
    throw new InvalidAppendError('streamPrefixes', `names ${covering.length} prefixes, at most ${MAX_SQL_RANGES}`);
  return covering;
}

/** `(a OR b) OR (c OR d)`: balanced, so thousands of terms stay within SQLite's expression depth (1,000). */
function orTree(terms: readonly string[]): string {
  if (terms.length === 1) return terms[0] as string;
  const middle = terms.length >> 1;
  return `(${orTree(terms.slice(0, middle))} OR ${orTree(terms.slice(middle))})`;
}

const RANGE_TERM = '(+stream >= ? AND +stream < ?)';
const codePoints = (s: string): number => Array.from(s).length;

export interface PrefixCondition {
  /** The SQL condition, one term or parenthesised. */
  readonly condition: string;
  /** Its parameters, in order. */
  readonly bounds: (string | Buffer)[];
  /** Names the condition's SQL (equal shapes, equal SQL): a statement cache key. */
  readonly shape: string;
}

/** One IN list per length of `inListed` (ascending), then the ranges. */
function buildCondition(inListed: ReadonlyMap<number, string[]>, ranged: readonly string[]): PrefixCondition {
  const lists = [...inListed].sort(([a], [b]) => a - b);
  const terms = [
    ...lists.map(([length, group]) => `substr(stream, 1, ${length}) IN (${group.map(() => '?').join(', ')})`),
    ...ranged.map(() => RANGE_TERM),
  ];
  return {
    condition: terms.length === 0 ? '0' : orTree(terms),
    bounds: [
      ...lists.flatMap(([, group]) => group),
      ...ranged.flatMap((p) => [p, prefixUpperBound(p) ?? NO_UPPER_BOUND]),
    ],
    shape: `in ${lists.map(([length, group]) => `${length}x${group.length}`).join(' ')}; ranges ${ranged.length}`,
  };
}

/**
 * The filter of `prefixes` as an SQL condition on `stream`; undefined when SQL
 * cannot say it exactly (a prefix with a lone surrogate). Prefixes covered by
 * a shorter one are dropped first.
 */
export function prefixCondition(
  prefixes: readonly string[],
  form: PrefixFilterForm = 'auto',
): PrefixCondition | undefined {
  if (prefixes.some((p) => LONE_SURROGATE.test(p))) return undefined;
  const covering = withinCap(coveringPrefixes(prefixes));
  const byLength = new Map<number, string[]>();
  const ranged: string[] = [];
  for (const p of covering) {
    if (form === 'ranges' || p.includes('\0')) ranged.push(p);
    else {
      const length = codePoints(p);
      const group = byLength.get(length);
      if (group === undefined) byLength.set(length, [p]);
      else group.push(p);
    }
  }
  const inListed = new Map<number, string[]>();
  for (const [length, group] of byLength) {
    if (form === 'in-lists' || group.length >= IN_LIST_MIN_PREFIXES) inListed.set(length, group);
    else ranged.push(...group);
  }
  return buildCondition(inListed, ranged);
}
