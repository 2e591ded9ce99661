/**
 * The case page shows each card's explanation in Chinese with English (issue 16
 * item 6: keys used to show as `escalated Date`, `allowance Source`). Every worked
 * case of the fixtures is evaluated with explanations, each event also recorded
 * late (so late-record cards explain themselves too), and every key and every
 * string value the engine emits is checked against labels.js.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../domain/calendar/index.js';
import { evaluate } from '../domain/evaluate.js';
import { CARD_RULES, EVENT_TYPES } from '../domain/lists.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { parseInstant } from '../domain/time.js';
import { decode, fold } from '../domain/testing/fixtures.js';

type Pair = readonly [string, string];
const labelsUrl = new URL('./public/js/labels.js', import.meta.url).href;
const labels = (await import(labelsUrl)) as {
  EXPLAIN_KEYS: Record<string, Pair>;
  EXPLAIN_RULE_TEXT: Record<string, string>;
  explainValueText(key: string, value: string, rule: string, figures?: unknown): string;
};

interface Scenario {
  readonly caseId: string;
  readonly asOf: string;
  readonly events: readonly { readonly type: string }[];
}
const scenarios = ['timing.json', 'timing-edition2.json'].flatMap(
  (name) =>
    (
      JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8')) as {
        scenarios: Scenario[];
      }
    ).scenarios,
);
const known = new Set<string>(EVENT_TYPES);
const calendar = defaultCalendar('Asia/Shanghai');
const DAY = 86_400_000;

interface Leaf {
  readonly rule: string;
  readonly path: string;
  readonly key: string;
  readonly value: unknown;
  /** The explanation the value is in. */
  readonly figures: unknown;
}

/** Every (key, value) of every explanation the worked cases produce. */
function explanationLeaves(): { keys: Map<string, string>; leaves: Leaf[]; rules: Set<string> } {
  const keys = new Map<string, string>(); // key → a path where it occurs
  const leaves: Leaf[] = [];
  const rules = new Set<string>();
  const walk = (rule: string, path: string, key: string, v: unknown, figures: unknown = v): void => {
    if (Array.isArray(v)) for (const x of v) walk(rule, path, key, x, figures);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (!keys.has(k)) keys.set(k, `${path}.${k}`);
        walk(rule, `${path}.${k}`, k, x, figures);
      }
    else leaves.push({ rule, path, key, value: v, figures });
  };
  for (const sc of scenarios.filter((s) => s.events.every((e) => known.has(e.type)))) {
    const events = sc.events.map(decode);
    const late = events.map((e) => parseInstant(e.occurredAt) + 3 * DAY);
    for (const state of [fold(sc.caseId, events), fold(sc.caseId, events, late)]) {
      const ev = evaluate(state, parseInstant(sc.asOf) + 5 * DAY, DEFAULT_POLICY, calendar, { explain: true });
      for (const card of ev?.cards ?? []) {
        rules.add(card.rule);
        walk(card.rule, `${sc.caseId}:${card.rule}`, '', card.explain);
        walk(card.rule, `${sc.caseId}:${card.rule}:details`, '', card.details ?? {});
      }
    }
  }
  return { keys, leaves, rules };
}

const { keys, leaves, rules } = explanationLeaves();
const HAN = /\p{Script=Han}/u;
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z))?$/;
// Identifiers and free text written by people are shown as they are.
const AS_IS = new Set(['calendarVersion', 'policyVersion', 'pauseId', 'escalationId', 'approvedBy', 'region', 'name']);

describe('explanation labels (labels.js)', () => {
  it('the worked cases produce explanations of every card rule', () => {
    expect([...rules].sort()).toEqual([...CARD_RULES].sort());
    expect(keys.size).toBeGreaterThan(30);
  });

  it('every key the engine puts in an explanation has a Chinese and an English label', () => {
    const missing = [...keys]
      .filter(([k]) => labels.EXPLAIN_KEYS[k] === undefined)
      .map(([k, where]) => `${k} (${where})`);
    expect(missing).toEqual([]);
    for (const [k, [zh, en]] of Object.entries(labels.EXPLAIN_KEYS)) {
      expect(zh, `${k} 中文`).toMatch(HAN);
      expect(en.length, `${k} english`).toBeGreaterThan(0);
    }
  });

  it('every string value is shown in Chinese with the engine English, unless it is a date, an id or free text', () => {
    const untranslated: string[] = [];
    for (const leaf of leaves) {
      if (typeof leaf.value !== 'string' || DATE_OR_INSTANT.test(leaf.value) || AS_IS.has(leaf.key)) continue;
      // An extension's reason is the approver's own words (SPEC §2), not a code.
      if (leaf.key === 'reason' && leaf.path.includes('.extensions.')) continue;
      const text = labels.explainValueText(leaf.key, leaf.value, leaf.rule);
      if (!HAN.test(text) || !/[A-Za-z]/.test(text)) untranslated.push(`${leaf.path} = ${leaf.value}`);
    }
    expect(untranslated).toEqual([]);
  });

  it("each rule's sentence says the explanation's day counts, never a variable's name", () => {
    const sentences = leaves.filter((l) => l.key === 'rule' && typeof l.value === 'string');
    expect(new Set(sentences.map((l) => l.rule))).toEqual(
      new Set([
        'deadline-warning',
        'escalation-unanswered',
        'bad-rating-unresolved',
        'overdue',
        'pause-warning',
        'overlong-pause',
      ]),
    );
    for (const leaf of sentences) {
      const text = labels.explainValueText('rule', leaf.value as string, leaf.rule, leaf.figures);
      // Before: "计时到第 warnAtDay 个工作日", "督办日之后第 respondWithinDays 个工作日".
      expect(text, leaf.path).not.toMatch(/warnAtDay|respondWithinDays|badRatingFollowUpDays/);
    }
    const warning = sentences.find((l) => l.rule === 'deadline-warning')!;
    const day = (warning.figures as { warnAtDay: number }).warnAtDay;
    expect(labels.explainValueText('rule', warning.value as string, warning.rule, warning.figures)).toContain(
      `计时到第 ${day} 个工作日`,
    );
  });

  it("each rule's sentence has a Chinese text, and the engine's English stays beside it", () => {
    for (const rule of CARD_RULES) expect(labels.EXPLAIN_RULE_TEXT[rule], rule).toMatch(HAN);
    const text = labels.explainValueText(
      'rule',
      'red at dueAt (24:00 of deadlineDate) while the case is still open',
      'overdue',
    );
    expect(text).toContain('截止时刻');
    expect(text).toContain('red at dueAt');
    expect(labels.explainValueText('allowanceSource', 'policy default for testing', 'overlong-pause')).toContain(
      '检测',
    );
    expect(labels.explainValueText('allowanceSource', 'declaredDays', 'overlong-pause')).toContain('书面告知');
  });
});
