/**
 * The configuration the README and docs/api.md document against the one the code reads (a day-one
 * review): every variable src/config and src/main.ts read is a row of both tables, every row is a
 * variable the code reads, and the README's defaults are the ones `loadConfig` applies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The variables named in `nonBlank(env, 'X')`, `atLeastOne(env, 'X', …)`, `env['X']` or `process.env['X']`. */
function variablesRead(): string[] {
  const files = [...readdirSync(new URL('../../src/config/', import.meta.url))]
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `src/config/${f}`)
    .concat('src/main.ts');
  const names = new Set<string>();
  for (const file of files)
    for (const m of read(file).matchAll(/(?:\(env, |env\[|process\.env\[|process\.env\.)'?([A-Z][A-Z0-9_]+)'?/g))
      names.add(m[1] as string);
  return [...names].sort();
}

/** Rows `| \`NAME\` | default | … |` of the markdown table whose header begins with `| variable |`. */
function tableRows(markdown: string): Map<string, string> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| variable |'));
  expect(start, 'a "| variable |" table').toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string>();
  for (const line of lines.slice(start + 2)) {
    const m = /^\| `([A-Z][A-Z0-9_]+)` \| ([^|]*) \|/.exec(line);
    if (m === null) break;
    rows.set(m[1] as string, (m[2] as string).trim());
  }
  return rows;
}

describe('the configuration tables', () => {
  const code = variablesRead();

  it('the code reads the variables of SPEC §6 and more (the scan finds them)', () => {
    expect(code).toEqual(
      expect.arrayContaining(['STORE', 'PORT', 'HOST', 'ZONE', 'POLICY_FILE', 'SUPERVISION_TOKENS']),
    );
    expect(code.length).toBeGreaterThanOrEqual(13);
  });

  it.each(['README.md', 'docs/api.md'])('%s documents exactly the variables the code reads', (doc) => {
    expect([...tableRows(read(doc)).keys()].sort()).toEqual(code);
  });

  it("the README's defaults are loadConfig's", () => {
    const defaults = tableRows(read('README.md'));
    const config = loadConfig({ SUPERVISION_TOKENS: undefined });
    const shown: Record<string, string> = {
      STORE: `\`${config.store}\``,
      SQLITE_READ_AHEAD: `\`${config.sqliteReadAhead}\``,
      PORT: `\`${config.port}\``,
      HOST: `\`${config.host}\``,
      ZONE: `\`${config.zone}\``,
      DEMO: `\`${config.demo ? 'on' : 'off'}\``,
      AUDIT_LOG: `\`${config.auditLogFile}\``,
      RATE_LIMIT_PER_SECOND: `\`${config.rateLimitPerSecond}\``,
      REQUEST_TIMEOUT_MS: `\`${config.requestTimeoutMs}\``,
      ALERT_STREAMS_MAX: `\`${config.alertStreamsMax}\``,
    };
    for (const [name, value] of Object.entries(shown)) expect(defaults.get(name), name).toBe(value);
    expect(defaults.get('ALERT_STREAMS_PER_TOKEN')).toMatch(new RegExp(`^\`${config.alertStreamsPerToken}\``));
    expect(config.generatedToken).toBe(true);
    expect(config.policyFile).toBeUndefined();
  });
});
