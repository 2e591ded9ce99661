import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { evaluate } from './evaluate.js';
import { parseInstant } from './time.js';
import { decode, fold } from './testing/fixtures.js';
import { scenarioAnswer } from './testing/scenarioAnswer.js';

interface Scenario {
  readonly caseId: string;
  readonly why: string;
  readonly asOf: string;
  readonly events: readonly unknown[];
  readonly expect: Record<string, unknown> & { cards: readonly Record<string, unknown>[] };
}

const here = dirname(fileURLToPath(import.meta.url));
// src/domain → repo root → test/fixtures (a copy of the spec's worked cases; see test/fixtures/README.md)
const file = resolve(here, '..', '..', 'test', 'fixtures', 'timing.json');
const scenarios = (JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Scenario[] }).scenarios;
const calendar = defaultCalendar('Asia/Shanghai');

describe('timing.json worked cases', () => {
  it('has cases to check', () => expect(scenarios.length).toBeGreaterThanOrEqual(12));
  for (const sc of scenarios) {
    it(`${sc.caseId}: ${sc.why}`, () => {
      const state = fold(sc.caseId, sc.events.map(decode));
      const ev = evaluate(state, parseInstant(sc.asOf), DEFAULT_POLICY, calendar);
      expect(ev).not.toBeNull();
      const got = scenarioAnswer(ev!);
      expect(got).toEqual(sc.expect);
    });
  }
});
