/**
 * `POLICY_FILE`: a JSON override of the default timing policy, merged by the
 * domain's `parsePolicy`, plus an optional `effectiveFrom` date (SPEC §3
 * "Policy versions": without it, a new version takes effect the next local day).
 */
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../domain/policy.js';
import { tryParseDate } from '../domain/time.js';
import type { EpochDay } from '../domain/types.js';
import { ConfigError } from './tokens.js';

export interface PolicyFile {
  readonly policy: Policy;
  /** The file's `effectiveFrom`, when it gives one. */
  readonly effectiveFrom?: EpochDay;
}

export function loadPolicyFile(
  file: string | undefined,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): PolicyFile {
  if (file === undefined) return { policy: DEFAULT_POLICY };
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    throw new ConfigError(
      'POLICY_FILE',
      `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('POLICY_FILE', `${file} is not valid JSON (${(e as Error).message})`);
  }
  let effectiveFrom: EpochDay | undefined;
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'effectiveFrom' in json) {
    const { effectiveFrom: given, ...rules } = json as Record<string, unknown>;
    effectiveFrom = typeof given === 'string' ? tryParseDate(given) : undefined;
    if (effectiveFrom === undefined) {
      throw new ConfigError('POLICY_FILE', `${file}: effectiveFrom: must be a date YYYY-MM-DD`);
    }
    json = rules;
  }
  const parsed = parsePolicy(json);
  if (isLeft(parsed)) {
    throw new ConfigError('POLICY_FILE', `${file}: ${parsed.left.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
  return effectiveFrom === undefined ? { policy: parsed.right } : { policy: parsed.right, effectiveFrom };
}

/** The policy of `POLICY_FILE` (its `effectiveFrom`, if any, is ignored). */
export function loadPolicy(file: string | undefined, read?: (path: string) => string): Policy {
  return loadPolicyFile(file, read).policy;
}
