import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { parseDate } from '../domain/time.js';
import { loadPolicyFile } from './policy.js';
import { ConfigError } from './tokens.js';

const fromText = (text: string) => loadPolicyFile('policy.json', () => text);

describe('POLICY_FILE with effectiveFrom', () => {
  it('takes the rules and the effectiveFrom date apart', () => {
    const loaded = fromText('{"version":"v2","deadlineWarningRatio":0.5,"effectiveFrom":"2027-01-01"}');
    expect(loaded.policy).toMatchObject({ version: 'v2', deadlineWarningRatio: 0.5 });
    expect(loaded.effectiveFrom).toBe(parseDate('2027-01-01'));
    expect(fromText('{"version":"v2"}')).toEqual({ policy: { ...DEFAULT_POLICY, version: 'v2' } });
    expect(loadPolicyFile(undefined)).toEqual({ policy: DEFAULT_POLICY });
  });
  it('refuses a bad effectiveFrom, naming it', () => {
    for (const bad of ['"2027-02-30"', '20270101', '"tomorrow"', 'null']) {
      expect(() => fromText(`{"effectiveFrom":${bad}}`)).toThrow(ConfigError);
      expect(() => fromText(`{"effectiveFrom":${bad}}`)).toThrow(/effectiveFrom: must be a date YYYY-MM-DD/);
    }
  });
});
