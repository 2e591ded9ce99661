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
import { EXPLAIN_KEY_NAMES } from '../projections/report/labels.js';

const figuresUrl = new URL('./public/js/explain-figures.js', import.meta.url).href;
const { explainFigures } = (await import(figuresUrl)) as { explainFigures(explain: unknown): string };

interface Scenario {
  readonly caseId: string;
  readonly asOf: string;
  readonly events: readonly unknown[];
}
const fixture = (name: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8')) as {
      scenarios: Scenario[];
    }
  ).scenarios;
const scenarios = fixture('timing.json');

/** The explanation of each card of `sc` at its asOf; none for a scenario of refused events. */
function explanations(sc: Scenario): Record<string, unknown>[] {
  try {
    const ev = evaluate(
      fold(sc.caseId, sc.events.map(decode)),
      parseInstant(sc.asOf),
      DEFAULT_POLICY,
      defaultCalendar('Asia/Shanghai'),
      { explain: true },
    );
    return (ev?.cards ?? []).flatMap((c) => (c.explain === undefined ? [] : [c.explain as Record<string, unknown>]));
  } catch {
    return [];
  }
}

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

describe("a deadline card's extensions on the register's line (session 25)", () => {
  // The line read "延期天数 0；延期 0": the days of the extensions, then their number under a name a
  // reader could not tell from it. Each figure once, named apart; a case never extended says 未延期.
  const deadlineCards = [...scenarios, ...fixture('timing-edition2.json')]
    .flatMap(explanations)
    .filter((e) => Array.isArray(e.extensions));
  const names = (line: string) => line.split('；').map((part) => part.split(' ')[0] ?? '');

  it.each([
    ['the page', explainFigures],
    ['the CSV', server],
  ] as const)(
    '%s names each figure once, the number of extensions 延期次数, a case never extended 未延期',
    (_, line) => {
      const extended = deadlineCards.filter((e) => (e.extensions as unknown[]).length > 0);
      const never = deadlineCards.filter((e) => (e.extensions as unknown[]).length === 0);
      expect(extended.length).toBeGreaterThan(0);
      expect(never.length).toBeGreaterThan(0);
      for (const e of deadlineCards) expect(names(line(e)), line(e)).toEqual([...new Set(names(line(e)))]);
      for (const e of extended) {
        expect(names(line(e))).toContain('延期天数');
        expect(line(e)).toContain(`延期次数 ${(e.extensions as unknown[]).length}`);
        expect(names(line(e))).not.toContain('延期');
        expect(names(line(e))).not.toContain('未延期');
      }
      for (const e of never) {
        expect(names(line(e)).filter((n) => n.includes('延期'))).toEqual(['未延期']);
      }
    },
  );
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

describe("an empty day list on the register's line (session 26)", () => {
  // The line read "地方假日 0；推定的节假日（该年尚未公布） 0；暂停区间 0", each list by its length: a
  // reader took "0" for a figure. An empty list reads 无, as the case page writes it; a list with
  // days still reads as its number.
  const cards = [...scenarios, ...fixture('timing-edition2.json')].flatMap(explanations);
  const listNames = (e: Record<string, unknown>, empty: boolean) =>
    Object.entries(e)
      .filter(([key, v]) => Array.isArray(v) && (v.length === 0) === empty && key !== 'extensions')
      .map(([key, v]) => [EXPLAIN_KEY_NAMES[key] ?? key, (v as unknown[]).length] as const);

  it.each([
    ['the page', explainFigures],
    ['the CSV', server],
  ] as const)('%s writes an empty list as 无, a list with days by its number', (_, line) => {
    const withEmpty = cards.filter((e) => listNames(e, true).length > 0);
    expect(withEmpty.length).toBeGreaterThan(0);
    expect(cards.some((e) => Array.isArray(e.regionalDays) && e.regionalDays.length === 0)).toBe(true);
    for (const e of cards) {
      const parts = line(e).split('；');
      for (const [name] of listNames(e, true)) {
        expect(parts, line(e)).toContain(`${name} 无`);
        expect(parts, line(e)).not.toContain(`${name} 0`);
      }
      for (const [name, length] of listNames(e, false)) expect(parts, line(e)).toContain(`${name} ${length}`);
    }
  });
});
