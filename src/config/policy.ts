/** `POLICY_FILE`: a JSON override of the default timing policy, merged by the domain's `parsePolicy`. */
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../domain/policy.js';
import { ConfigError } from './tokens.js';

export function loadPolicy(
  file: string | undefined,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Policy {
  if (file === undefined) return DEFAULT_POLICY;
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
  const parsed = parsePolicy(json);
  if (isLeft(parsed)) {
    throw new ConfigError('POLICY_FILE', `${file}: ${parsed.left.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  }
  return parsed.right;
}
