import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { defaultCalendar } from './calendar/index.js';
import { DEFAULT_POLICY } from './policy.js';
import { decide } from './decide.js';
import { evaluate } from './evaluate.js';
import { EVENT_TYPES } from './lists.js';
import { parseInstant } from './time.js';
import { decode, fold } from './testing/fixtures.js';
import { scenarioAnswer } from './testing/scenarioAnswer.js';
import { initialCaseState, evolve } from './evolve.js';
import type { CaseEvent } from './events.js';

interface Scenario {
  readonly caseId: string;
  readonly why: string;
  readonly asOf: string;
  readonly events: readonly { readonly type: string }[];
  readonly expect: Record<string, unknown> & { cards: readonly Record<string, unknown>[] };
}

const here = dirname(fileURLToPath(import.meta.url));
// src/domain → repo root → test/fixtures (a copy of the spec's worked cases; see test/fixtures/README.md)
const file = resolve(here, '..', '..', 'test', 'fixtures', 'timing-edition2.json');
const all = (JSON.parse(readFileSync(file, 'utf8')) as { scenarios: Scenario[] }).scenarios;
const known = new Set<string>(EVENT_TYPES);
const supported = all.filter((sc) => sc.events.every((e) => known.has(e.type)));
const calendar = defaultCalendar('Asia/Shanghai');

describe('timing-edition2.json worked cases', () => {
  it('runs every case (E2-07, E2-08: ratings, issue 17)', () => {
    const waiting = all.filter((sc) => !supported.includes(sc)).map((sc) => sc.caseId);
    expect(waiting).toEqual([]);
    expect(supported.map((sc) => sc.caseId)).toContain('E2-08');
    expect(supported.length).toBe(8);
  });

  for (const sc of supported) {
    it(`${sc.caseId}: ${sc.why}`, () => {
      const events = sc.events.map(decode);
      // Each event is one decide accepts, at the instant it occurred.
      let state = initialCaseState(sc.caseId);
      events.forEach((e: CaseEvent, i) => {
        const verdict = decide(state, e, parseInstant(e.occurredAt));
        expect(verdict).toMatchObject({ _tag: 'Right' });
        state = evolve(state, e, { revision: i });
      });
      const ev = evaluate(fold(sc.caseId, events), parseInstant(sc.asOf), DEFAULT_POLICY, calendar);
      expect(ev).not.toBeNull();
      const got = scenarioAnswer(ev!);
      expect(got).toEqual(sc.expect);
    });
  }
});
