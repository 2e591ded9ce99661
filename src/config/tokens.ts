/**
 * `SUPERVISION_TOKENS`: a JSON array of `{token, role, centers?}` (SPEC §4),
 * validated with io-ts so a bad entry is named precisely.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeErrors } from '../domain/events.js';

export const ROLES = ['recorder', 'monitor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const Role = t.keyof({ recorder: null, monitor: null, auditor: null, admin: null });

interface TokenTextBrand {
  readonly TokenText: unique symbol;
}
/** At least 16 characters, no whitespace: short tokens are guessable. */
const TokenText = t.brand(
  t.string,
  (s): s is t.Branded<string, TokenTextBrand> => s.length >= 16 && s.length <= 512 && !/\s/.test(s),
  'TokenText',
);

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

/** Parse the variable's text; undefined or blank means "no tokens configured". */
export function parseTokens(text: string | undefined, variable = 'SUPERVISION_TOKENS'): TokenConfig[] {
  if (text === undefined || text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(variable, `is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(json)) {
    throw new ConfigError(variable, 'must be a JSON array of {"token", "role", "centers"?}');
  }
  const tokens: TokenConfig[] = [];
  json.forEach((entry, i) => {
    const decoded = TokenEntry.decode(entry);
    if (isLeft(decoded)) {
      const problems = describeErrors(decoded.left)
        .map(
          (e) =>
            `${e.field}: ${e.field === 'token' ? 'must be a string of 16–512 characters without spaces' : e.message}`,
        )
        .join('; ');
      throw new ConfigError(variable, `entry [${i}] is invalid: ${problems}`);
    }
    const { token, role, centers } = decoded.right;
    if (centers !== undefined && role !== 'recorder') {
      throw new ConfigError(variable, `entry [${i}]: "centers" applies to role recorder only, not ${role}`);
    }
    if (centers !== undefined && centers.length === 0) {
      throw new ConfigError(
        variable,
        `entry [${i}]: "centers" must list at least one center (omit it for all centers)`,
      );
    }
    tokens.push(centers === undefined ? { token, role } : { token, role, centers });
  });
  const seen = new Set<string>();
  tokens.forEach((tk, i) => {
    if (seen.has(tk.token)) throw new ConfigError(variable, `entry [${i}] repeats a token already listed`);
    seen.add(tk.token);
  });
  return tokens;
}
