import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../domain/index.js';
import { CARD_RULES } from '../domain/lists.js';
import type { CardRule } from '../domain/types.js';
import { cardRegisterToCsv, type CardRegisterQuery, type CardRegisterRow } from './cardRegister.js';
import { explainFigures } from './explainFigures.js';
import { COLOR_NAMES, RULE_NAMES } from './report/labels.js';
import { CENTERS, DAY, DEPARTMENTS, listFixture, NOW, START } from './listFixture.js';
import { makeRig, ZONE, type Rig } from './testSupport.js';
import type { ReadModels } from './types.js';

let rig: Rig;
let rm: ReadModels;
beforeAll(async () => {
  rig = await makeRig(START - DAY);
  for (const body of listFixture()) {
    rig.scheduler.advanceTo(Math.max(rig.scheduler.clock(), parseInstant(body.occurredAt)));
    await rig.append(body);
  }
  rig.scheduler.advanceTo(NOW);
  rm = rig.projections.readModels;
});
afterAll(async () => {
  await rig.projections.stop();
});

type Filter = Omit<CardRegisterQuery, 'limit' | 'cursor'>;

function allPages(q: Filter, limit: number): CardRegisterRow[] {
  const rows: CardRegisterRow[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = rm.cardRegister({ ...q, limit, ...(cursor === undefined ? {} : { cursor }) });
    rows.push(...page.items);
    if (page.nextCursor === undefined) return rows;
    cursor = page.nextCursor;
  }
}

const date = (d: number) => formatInstant(START + d * DAY, ZONE).slice(0, 10);
const queryArb: fc.Arbitrary<Filter> = fc
  .record({
    fromDay: fc.integer({ min: -2, max: 100 }),
    span: fc.integer({ min: 1, max: 60 }),
    centerId: fc.option(fc.constantFrom(...CENTERS), { nil: undefined }),
    departmentId: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: undefined }),
    rule: fc.option(fc.constantFrom<CardRule>(...CARD_RULES), { nil: undefined }),
  })
  .map(({ fromDay, span, ...f }) => ({
    from: date(fromDay),
    to: date(fromDay + span),
    ...Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)),
  }));

describe('the card register', () => {
  it('has cards of several rules to list', () => {
    const rules = new Set(allPages({ from: date(-5), to: date(120) }, 500).map((r) => r.rule));
    expect([...rules].sort()).toEqual(['deadline-warning', 'escalation-unanswered', 'overdue']);
  });

  it('law: its total equals /stats card count for the same period and filters, and paging lists each card once', () => {
    fc.assert(
      fc.property(queryArb, fc.integer({ min: 1, max: 9 }), (q, limit) => {
        const stats = rm.stats({
          from: q.from,
          to: q.to,
          ...(q.centerId === undefined ? {} : { centerId: q.centerId }),
          ...(q.departmentId === undefined ? {} : { departmentId: q.departmentId }),
        });
        const expected =
          q.rule === undefined ? stats.flow.cardsTotal : (stats.flow.cards.find((c) => c.rule === q.rule)?.count ?? 0);
        expect(rm.cardRegister({ ...q, limit }).total).toBe(expected);
        const rows = allPages(q, limit);
        expect(rows).toHaveLength(expected);
        const keys = rows.map((r) => `${r.caseId}|${r.rule}|${r.startedAt}|${r.escalation ?? ''}`);
        expect(new Set(keys).size).toBe(keys.length);
        const fromMs = parseInstant(`${q.from}T00:00:00+08:00`);
        const toMs = parseInstant(`${q.to}T00:00:00+08:00`);
        for (let i = 0; i < rows.length; i++) {
          const at = Date.parse(rows[i]!.startedAt);
          expect(at >= fromMs && at < toMs).toBe(true);
          if (i > 0) expect(at).toBeGreaterThanOrEqual(Date.parse(rows[i - 1]!.startedAt));
        }
      }),
      { numRuns: 120 },
    );
  });

  it("each row carries the case's dimensions, the cleared instant once cleared, and the explanation in numbers", () => {
    const rows = allPages({ from: date(-5), to: date(120) }, 500);
    const warning = rows.find((r) => r.rule === 'deadline-warning' && r.clearedAt !== undefined);
    expect(warning).toBeDefined();
    const ev = rm.evaluateCase(warning!.caseId!, NOW)!;
    expect(warning).toMatchObject({ centerId: ev.centerId, departmentId: ev.departmentId, matterCode: ev.matterCode });
    expect(warning!.explain).toMatchObject({ deadlineDate: ev.deadlineDate, promisedDays: ev.promisedDays });
    expect(explainFigures(warning!.explain)).toContain(`承诺时限（工作日） ${ev.promisedDays}`);
    const overdue = rows.find((r) => r.rule === 'overdue' && r.clearedAt === undefined)!;
    expect(overdue.explain).toMatchObject({ overdueDays: rm.evaluateCase(overdue.caseId!, NOW)!.overdueDays });
  });

  it('refuses an empty period naming to', () => {
    expect(() => rm.cardRegister({ from: date(3), to: date(3), limit: 5 })).toThrow(/to: must be after from/);
  });

  it('CSV: Chinese headers, the figures of the explanation on the line', () => {
    const rows = rm.cardRegister({ from: date(-5), to: date(120), limit: 2 }).items;
    const lines = cardRegisterToCsv(rows).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '对象,编号,规则,颜色,亮牌时间,消除时间,中心编号,中心,部门编号,部门,事项编码,事项名称,说明（数字）,时限为预测',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('办结时限日 ');
  });

  it('CSV: each cell in Chinese as the page shows it, no code and no variable name', () => {
    const rows = allPages({ from: date(-5), to: date(120) }, 500);
    const csv = cardRegisterToCsv(rows);
    // Before: `deadline-warning,yellow,…,acceptedDate=2026-10-12; promisedDays=…`.
    for (const code of [...Object.keys(RULE_NAMES), 'yellow', 'red', 'acceptedDate=', 'dueAt', 'warnAtDay'])
      expect(csv, code).not.toContain(code);
    const overdue = rows.find((r) => r.rule === 'overdue')!;
    const line = csv.split('\r\n').find((l) => l.startsWith(`办件,${overdue.caseId},${RULE_NAMES.overdue},`))!;
    expect(line.startsWith(`办件,${overdue.caseId},${RULE_NAMES.overdue},${COLOR_NAMES.red},`)).toBe(true);
    const dueAt = (overdue.explain as { dueAt: string }).dueAt;
    expect(line).toContain(`截止时刻 ${dueAt.slice(0, 10)} ${dueAt.slice(11, 16)}`);
    expect(line.endsWith(`,${explainFigures(overdue.explain)},否`)).toBe(true);
  });

  it("CSV: a complaint's card names its rule, colour and clock as the complaint page does", () => {
    const csv = cardRegisterToCsv([
      {
        complaintId: 'PROBE-HOL-1',
        rule: 'complaint-overdue',
        color: 'red',
        startedAt: '2026-11-03T00:00:00.000+08:00',
        centerId: 'district-panlong',
        departmentId: 'taxation',
        explain: {
          rule: 'complaint-overdue',
          acceptedDate: '2026-10-12',
          withinDays: 15,
          byDate: '2026-11-02',
          dueAt: '2026-11-03T00:00:00.000+08:00',
          answeredAt: '2026-11-04T10:00:00.000+08:00',
        },
      } as CardRegisterRow,
    ]);
    expect(csv.split('\r\n')[1]).toBe(
      '效能投诉,PROBE-HOL-1,投诉答复逾期,红牌,2026-11-03T00:00:00.000+08:00,,district-panlong,,taxation,,,,' +
        '受理日 2026-10-12；时限（工作日） 15；时限日 2026-11-02；截止时刻 2026-11-03 00:00；答复时间 2026-11-04 10:00,否',
    );
  });
});
