/**
 * The card register's one-line explanation (src/web/public/js/explain-figures.js): an instant case's
 * overdue card has no warning day (`warnDate: null`), and the register printed `预警日 null`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../domain/calendar/index.js';
import { evaluate } from '../domain/evaluate.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { parseInstant } from '../domain/time.js';
import { decode, fold } from '../domain/testing/fixtures.js';
import { explainFigures as server } from '../projections/explainFigures.js';

const figuresUrl = new URL('./public/js/explain-figures.js', import.meta.url).href;
const { explainFigures } = (await import(figuresUrl)) as { explainFigures(explain: unknown): string };

interface Scenario {
  readonly caseId: string;
  readonly asOf: string;
  readonly events: readonly unknown[];
}
const { scenarios } = JSON.parse(readFileSync(new URL('../../test/fixtures/timing.json', import.meta.url), 'utf8')) as {
  scenarios: Scenario[];
};

describe('explainFigures (the card register)', () => {
  it("leaves out a figure whose value is null: an instant case's overdue card has no warning day", () => {
    const sc = scenarios.find((s) => s.caseId === 'EX-06'); // instant case not done the same day
    if (sc === undefined) throw new Error('fixture EX-06 missing');
    const ev = evaluate(
      fold(sc.caseId, sc.events.map(decode)),
      parseInstant(sc.asOf),
      DEFAULT_POLICY,
      defaultCalendar('Asia/Shanghai'),
      { explain: true },
    );
    const explain = ev?.cards.find((c) => c.rule === 'overdue')?.explain as Record<string, unknown>;
    expect(explain.warnDate).toBeNull();

    const text = explainFigures(explain);
    expect(text).not.toContain('null');
    expect(text).not.toContain('预警日');
    expect(text).toContain('办结时限日 2024-07-01');
  });

  it("names a complaint card's figures as the complaint's page names its clock", () => {
    const text = explainFigures({
      rule: 'complaint-overdue',
      acceptedDate: '2025-09-01',
      withinDays: 15,
      byDate: '2025-09-22',
      answeredAt: '2025-10-10T10:00:00.000+08:00',
    });
    expect(text).toContain('受理日 2025-09-01');
    expect(text).toContain('时限日 2025-09-22');
    expect(text).toContain('答复时间'); // a complaint is answered (答复), an escalation replied to (回告)
    expect(text).not.toContain('byDate');
  });
});

describe("the register's CSV writes each card's explanation as the register page does", () => {
  it('for every card of every timing scenario, and a complaint card', () => {
    let compared = 0;
    for (const sc of scenarios) {
      let ev: ReturnType<typeof evaluate>;
      try {
        ev = evaluate(
          fold(sc.caseId, sc.events.map(decode)),
          parseInstant(sc.asOf),
          DEFAULT_POLICY,
          defaultCalendar('Asia/Shanghai'),
          { explain: true },
        );
      } catch {
        continue; // a scenario of refused events has no cards to explain
      }
      for (const card of ev?.cards ?? []) {
        if (card.explain === undefined) continue;
        expect(server(card.explain), `${sc.caseId} ${card.rule}`).toBe(explainFigures(card.explain));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
    const complaint = {
      rule: 'complaint-answer-warning',
      acceptedDate: '2025-09-01',
      withinDays: 15,
      warnAtDay: 12,
      warnAt: '2025-09-17T00:00:00.000+08:00',
      answeredAt: null,
    };
    expect(server(complaint)).toBe(explainFigures(complaint));
    expect(server(complaint)).toBe('受理日 2025-09-01；时限（工作日） 15；预警计时日 12；预警时刻 2025-09-17 00:00');
  });

  it('codes by their Chinese names only: a pause reason, its allowance source, an escalation level', () => {
    const explain = {
      rule: 'x',
      reason: 'supplement',
      allowanceSource: 'policy default for hearing',
      level: 'supervision',
    };
    expect(server(explain)).toBe('原因 补正；允许天数来源 规则默认（听证）；级别 督办');
    expect(explainFigures(explain)).toBe(server(explain));
  });
});
