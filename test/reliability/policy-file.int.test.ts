/**
 * POLICY_FILE through the engine process (SPEC §3 "Policy versions"): the
 * first start records the file's policy; a restart with another policy records
 * it effective the next local day and changes nothing of the case already
 * accepted; the same policy again records nothing; an effectiveFrom that is
 * not after today is refused with one line naming POLICY_FILE and nothing else (exit 2); a start without
 * POLICY_FILE records nothing on a store that holds versions (B stays pending).
 * The semantics in detail (cards, report figures): test/api/policy-versions.int.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedBody, shanghai, TOKEN_CONFIG, TOKENS } from './support/app-server.js';
import { logLines, runUntilExit } from './support/engine-exit.js';
import { freePort, startEngine } from './support/engine-process.js';

let dir: string;
let options: Parameters<typeof startEngine>[0];
const policyA = (): string => join(dir, 'policy-a.json');
const policyB = (): string => join(dir, 'policy-b.json');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rel-policy-'));
  writeFileSync(policyA(), JSON.stringify({ version: 'A', deadlineWarningRatio: 0.5 }));
  writeFileSync(policyB(), JSON.stringify({ version: 'B', deadlineWarningRatio: 0.9 }));
  options = {
    store: `sqlite:${join(dir, 'events.db')}`,
    port: await freePort(),
    tokens: TOKEN_CONFIG,
    auditLog: join(dir, 'audit.log'),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recorded = (output: string) => logLines(output, 'info').filter((e) => e['message'] === 'policy version recorded');

/** Both reads are made at this instant (set once the case is recorded, so its late-record card has started). */
let asOf: string;

async function readCase(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/cases/PF-1?asOf=${encodeURIComponent(asOf)}`, {
    headers: { authorization: `Bearer ${TOKENS.auditor}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('POLICY_FILE versions through the process', () => {
  it('records A, then B from the next local day without touching the case accepted under A; B again records nothing', async () => {
    const first = await startEngine({ ...options, env: { POLICY_FILE: policyA() } });
    const res = await fetch(`${first.url}/cases/PF-1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.recorder}`, 'content-type': 'application/json' },
      body: JSON.stringify(acceptedBody({ occurredAt: shanghai(-3 * 86_400_000), promisedDays: 10 })),
    });
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 1_100));
    asOf = shanghai();
    const underA = await readCase(first.url);
    expect(underA['policyVersion']).toBe('A');
    expect(await first.stop()).toBe(0);
    expect(recorded(first.output()).map((e) => e['policyVersion'])).toEqual(['A']);

    const second = await startEngine({ ...options, env: { POLICY_FILE: policyB() } });
    const [b] = recorded(second.output());
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    expect(b).toMatchObject({ policyVersion: 'B', effectiveFrom: tomorrow });
    const { asOf: _a, ...caseA } = underA;
    const { asOf: _b, ...caseB } = await readCase(second.url);
    expect(caseB).toEqual(caseA);
    expect(await second.stop()).toBe(0);

    const third = await startEngine({ ...options, env: { POLICY_FILE: policyB() } });
    expect(recorded(third.output())).toEqual([]);
    expect(await third.stop()).toBe(0);
  }, 240_000);

  it('refuses an effectiveFrom that is not after today: one line naming POLICY_FILE, exit 2, nothing recorded', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const file = join(dir, 'policy-c.json');
    writeFileSync(file, JSON.stringify({ version: 'C', deadlineWarningRatio: 0.7, effectiveFrom: today }));
    const { code, output } = await runUntilExit({
      STORE: options.store,
      PORT: String(options.port),
      AUDIT_LOG: options.auditLog,
      SUPERVISION_TOKENS: JSON.stringify(TOKEN_CONFIG),
      POLICY_FILE: file,
    });
    expect(code).toBe(2);
    // Only that line, like any bad env value (session 16: the `engine starting` line came first).
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^e-supervision: configuration error: POLICY_FILE: effectiveFrom ${today} is not after today`),
      ),
    ]);
    expect(recorded(output)).toEqual([]);
  }, 120_000);

  it('without POLICY_FILE records nothing and keeps A in force and B pending, saying so', async () => {
    const restart = await startEngine(options);
    expect(await restart.stop()).toBe(0);
    const lines = logLines(restart.output(), 'info');
    expect(recorded(restart.output())).toEqual([]);
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    expect(
      lines.find((e) => e['message'] === 'no POLICY_FILE given: the policy versions recorded are kept'),
    ).toMatchObject({
      policyVersion: 'A',
      lastPublished: 'B',
      lastEffectiveFrom: tomorrow,
    });
    expect(lines.find((e) => e['message'] === 'engine listening')).toMatchObject({ policyVersion: 'A' });
  }, 120_000);
});
