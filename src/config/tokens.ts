/**
 * `SUPERVISION_TOKENS`: a JSON array of `{token, role, centers?}` (SPEC §4),
 * validated with io-ts so a bad entry is named precisely.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeErrors } from '../domain/events.js';
import { keysOf } from '../domain/lists.js';

export const ROLES = ['recorder', 'monitor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const Role = t.keyof(keysOf(ROLES));

interface TokenTextBrand {
  readonly TokenText: unique symbol;
}
const TokenText = t.brand(
  t.string,
  (s): s is t.Branded<string, TokenTextBrand> => tokenProblem(s) === undefined,
  'TokenText',
);

const TOKEN_LENGTH = { min: 16, max: 512 } as const;
const TOKEN_MIN_DISTINCT = 8;

/**
 * Why a configured token cannot be used, or undefined. The reason never quotes the token: at
 * most its length, how many distinct characters it has, or where an unusable character is.
 */
function tokenProblem(token: string): string | undefined {
  if (token.length < TOKEN_LENGTH.min || token.length > TOKEN_LENGTH.max)
    return `must be a string of ${TOKEN_LENGTH.min}–${TOKEN_LENGTH.max} characters; got ${token.length}`;
  // An HTTP header carries it: a control character or a space cannot be sent in one, nor reliably a non-ASCII one.
  const bad = /[^\x21-\x7E]/u.exec(token);
  if (bad !== null) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `must hold only visible ASCII characters (0x21–0x7E), as it is sent in an HTTP header; character ${bad.index + 1} is U+${code}`;
  }
  const distinct = new Set(token).size;
  if (distinct < TOKEN_MIN_DISTINCT)
    return `is too weak: only ${distinct} distinct character${distinct === 1 ? '' : 's'}, at least ${TOKEN_MIN_DISTINCT} needed (use a random token, e.g. openssl rand -base64 24)`;
  return undefined;
}

const CenterId = t.refinement(t.string, (s) => s.length >= 1 && s.length <= 200, 'CenterId');

const TokenEntry = t.exact(
  t.intersection([t.type({ token: TokenText, role: Role }), t.partial({ centers: t.array(CenterId) })]),
);

export interface TokenConfig {
  readonly token: string;
  readonly role: Role;
  /** Recorders only: the centers whose cases this token may write. */
  readonly centers?: readonly string[];
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const KNOWN_KEYS: readonly string[] = ['token', 'role', 'centers'];
const ENTRY_SHAPE = '{"token", "role", "centers"?}';
const NO_TOKENS_HINT =
  'list at least one token, or unset the variable to have an admin token generated for a loopback-only run';

/**
 * Parse the variable's text (the caller decides what an unset variable means). Fails closed: a
 * value that lists no token (blank, `[]`), an unknown key (a typo like "centres" would otherwise
 * leave a recorder unrestricted), an unknown role, an unusable token, a repeated token or an
 * empty centers list refuses the whole variable, naming the entry. No message ever carries a
 * value that could be a token.
 */
export function parseTokens(text: string, variable = 'SUPERVISION_TOKENS'): TokenConfig[] {
  if (text.trim() === '') throw new ConfigError(variable, `is set but blank; ${NO_TOKENS_HINT}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // The parser's message may quote the text around the error, which may be a token: keep only the position
    // it ends with (when it gives one).
    const position = /in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec((e as Error).message)?.[1];
    throw new ConfigError(variable, `is not valid JSON${position === undefined ? '' : ` (at position ${position})`}`);
  }
  if (!Array.isArray(json)) throw new ConfigError(variable, `must be a JSON array of ${ENTRY_SHAPE}`);
  if (json.length === 0) throw new ConfigError(variable, `is set but lists no tokens; ${NO_TOKENS_HINT}`);
  const tokens = json.map((entry, i) => parseEntry(entry, `entry [${i}]`, variable));
  const firstIndex = new Map<string, number>();
  tokens.forEach((tk, i) => {
    const first = firstIndex.get(tk.token);
    if (first !== undefined) throw new ConfigError(variable, `entry [${i}] repeats the token of entry [${first}]`);
    firstIndex.set(tk.token, i);
  });
  return tokens;
}

function parseEntry(entry: unknown, at: string, variable: string): TokenConfig {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new ConfigError(variable, `${at} must be an object ${ENTRY_SHAPE}`);
  }
  const unknown = Object.keys(entry).filter((k) => !KNOWN_KEYS.includes(k));
  if (unknown.length > 0) {
    const keys = unknown.map(showKey).join(', ');
    throw new ConfigError(
      variable,
      `${at} has unknown key${unknown.length > 1 ? 's' : ''} ${keys} (known: ${KNOWN_KEYS.join(', ')})`,
    );
  }
  const decoded = TokenEntry.decode(entry);
  if (isLeft(decoded)) {
    const fields = new Set(describeErrors(decoded.left).map((e) => e.field.split('.')[0] ?? e.field));
    const problems = [...fields].map((field) => `${field}: ${fieldProblem(field, entry as Record<string, unknown>)}`);
    throw new ConfigError(variable, `${at} is invalid: ${problems.join('; ')}`);
  }
  const { token, role, centers } = decoded.right;
  if (centers !== undefined && role !== 'recorder') {
    throw new ConfigError(variable, `${at}: "centers" applies to role recorder only, not ${role}`);
  }
  if (centers !== undefined && centers.length === 0) {
    throw new ConfigError(variable, `${at}: "centers" must list at least one center (omit it for all centers)`);
  }
  return centers === undefined ? { token, role } : { token, role, centers };
}

function fieldProblem(field: string, entry: Record<string, unknown>): string {
  switch (field) {
    case 'token': {
      const token = entry['token'];
      return (
        (typeof token === 'string' ? tokenProblem(token) : undefined) ??
        `must be a string of ${TOKEN_LENGTH.min}–${TOKEN_LENGTH.max} characters; ${describeValue(token)}`
      );
    }
    case 'role':
      return `must be one of ${ROLES.join(', ')}; ${describeValue(entry['role'])}`;
    case 'centers':
      return 'must be an array of center ids (strings of 1–200 characters)';
    default:
      return `must be ${ENTRY_SHAPE}`;
  }
}

/** A value shown only when it cannot be a token (too short to be one). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'it is missing';
  if (typeof value === 'string' && value.length < TOKEN_LENGTH.min) return `got ${JSON.stringify(value)}`;
  if (typeof value === 'string') return `got a string of ${value.length} characters (not shown: it may be a token)`;
  return `got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
}

function showKey(key: string): string {
  return key.length < TOKEN_LENGTH.min
    ? JSON.stringify(key)
    : `a key of ${key.length} characters (not shown: it may be a token)`;
}
