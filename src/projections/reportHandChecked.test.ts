/**
 * The monthly report on a small history whose every figure is worked out by hand (session 25),
 * in October 2025: 国庆 + 中秋 1–8 Oct are holidays, Sat 11 Oct a make-up working day (and Sun 28
 * Sep before it). Centers: district D with street S under it. Cases (all windows):
 *
 * | case | center | dept | kind, days | accepted | completed | deadline (by hand) | cards in Oct |
 * | A | D | health | instant 0 | 10-09 09:00 | 10-09 10:00 | 10-09 | — |
 * | B | D | health | promised 3 | 09-30 10:00 | 10-11 15:00 | 10-11 (9, 10, 11 make-up) | yellow 10-11 (day ⌈2.4⌉ = 3) |
 * | C | D | agri | promised 2 | 10-09 09:00 | 10-13 09:00 | 10-11 (10, 11) | yellow 10-11, red 10-12 00:00 |
 * | DD | S | agri | promised 5 | 10-20 09:00 | 10-22 09:00 | 10-27 | — (early) |
 * | E | S | health | promised 1 | 10-31 23:59 | 11-01 00:00 | 11-03 | — |
 * | F | D | health | promised 2 | 10-27 09:00 | open | 10-29 (28, 29) | yellow 10-29, red 10-30 |
 * | G | D | health | promised 5 | 09-15 09:00 | 09-16 09:00 | | (the month before) |
 * | H | D | market | promised 5 | 2024-10-15 09:00 | 2024-10-16 09:00 | | (a year before) |
 *
 * Ratings: A 5 on 9 Oct; C 1 (差评) on Mon 13 Oct, its follow-up due by the 15th working day after,
 * Mon 3 Nov (14–17, 20–24, 27–31 Oct, 3 Nov), followed up late on 5 Nov (red from 4 Nov 00:00).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../domain/directory.js';
import { parseInstant } from '../domain/index.js';
import { MemoryEventStore } from '../store/memory/memory-store.js';
import { DirectoryBook } from './directoryEvents.js';
import type { MonthlyReport } from './report.js';
import { appendBody, makeRig, type Body, type Rig } from './testSupport.js';

const DIRECTORY: Directory = {
  centers: [
    { centerId: 'D', name: '五华区政务服务中心', level: 'district' },
    { centerId: 'S', name: '红云街道为民服务中心', level: 'street', parentId: 'D' },
  ],
  departments: [
    { departmentId: 'health', name: '区卫计局', centerId: 'D' },
    { departmentId: 'agri', name: '区农林局', centerId: 'D' },
    { departmentId: 'market', name: '区市场监管局', centerId: 'D' },
  ],
};

const accepted = (caseId: string, at: string, centerId: string, departmentId: string, promisedDays: number): Body => ({
  type: 'CaseAccepted',
  caseId,
  occurredAt: at,
  centerId,
  departmentId,
  matterCode: 'M1',
  kind: promisedDays === 0 ? 'instant' : 'promised',
  promisedDays,
  channel: 'window',
  category: departmentId === 'agri' ? 'licensing' : 'public-service',
});
const completed = (caseId: string, at: string): Body => ({
  type: 'CaseCompleted',
  caseId,
  occurredAt: at,
  outcome: 'approved',
});

const HISTORY: Body[] = [
  accepted('H', '2024-10-15T09:00:00+08:00', 'D', 'market', 5),
  completed('H', '2024-10-16T09:00:00+08:00'),
  accepted('G', '2025-09-15T09:00:00+08:00', 'D', 'health', 5),
  completed('G', '2025-09-16T09:00:00+08:00'),
  accepted('B', '2025-09-30T10:00:00+08:00', 'D', 'health', 3),
  accepted('A', '2025-10-09T09:00:00+08:00', 'D', 'health', 0),
  accepted('C', '2025-10-09T09:00:00+08:00', 'D', 'agri', 2),
  completed('A', '2025-10-09T10:00:00+08:00'),
  completed('B', '2025-10-11T15:00:00+08:00'),
  completed('C', '2025-10-13T09:00:00+08:00'),
  accepted('DD', '2025-10-20T09:00:00+08:00', 'S', 'agri', 5),
  completed('DD', '2025-10-22T09:00:00+08:00'),
  accepted('F', '2025-10-27T09:00:00+08:00', 'D', 'health', 2),
  accepted('E', '2025-10-31T23:59:00+08:00', 'S', 'health', 1),
  completed('E', '2025-11-01T00:00:00+08:00'),
  { type: 'CaseRated', caseId: 'A', occurredAt: '2025-10-09T11:00:00+08:00', score: 5, channel: 'window' },
  { type: 'CaseRated', caseId: 'C', occurredAt: '2025-10-13T10:00:00+08:00', score: 1, channel: 'sms' },
  { type: 'RatingFollowedUp', caseId: 'C', occurredAt: '2025-11-05T10:00:00+08:00', note: '已回访' },
];

/** A rig read on 15 Dec 2025 over `events` (each recorded at its own instant) and `directory`. */
async function rigOf(events: readonly Body[], directory: Directory): Promise<Rig> {
  let now = 0;
  const store = new MemoryEventStore({ clock: () => now });
  for (const e of [...events].sort((x, y) => parseInstant(x.occurredAt) - parseInstant(y.occurredAt))) {
    now = parseInstant(e.occurredAt);
    await appendBody(store, e);
  }
  const book = new DirectoryBook();
  book.add(0n, { ...directory, publishedAt: '2024-01-01T00:00:00+08:00' });
  return makeRig('2025-12-15T09:00:00+08:00', { store, directory: book });
}

let rig: Rig;
beforeAll(async () => {
  rig = await rigOf(HISTORY, DIRECTORY);
}, 60_000);
afterAll(async () => {
  await rig.projections.stop();
});

const report = (month: string, centerId?: string, scope?: 'center' | 'subtree') =>
  rig.projections.readModels.monthlyReport(
    month,
    centerId === undefined ? undefined : { centerId, ...(scope ? { scope } : {}) },
  ) as MonthlyReport;

describe('October 2025 figures, worked out by hand', () => {
  it('好差评 (SPEC §8): ratings of the month, the share of its completions rated, the follow-up due in November', () => {
    const oct = report('2025-10');
    expect(oct.ratings.figures).toMatchObject({
      rated: 2,
      satisfied: 1,
      satisfactionRate: 0.5,
      badRatings: 1,
      completedInPeriod: 4, // A B C DD
      ratedOfCompleted: 2, // A C
      ratedShare: 0.5,
      followUpsDue: 0,
      followedUpOnTimeRate: null,
    });
    expect(oct.ratings.departments.map((d) => [d.departmentId, d.rated, d.badRatings])).toEqual([
      ['agri', 1, 1],
      ['health', 1, 0],
    ]);
    expect(oct.summary).toContain('好差评评价2次，满意率50%，差评1件。');
    const nov = report('2025-11');
    expect(nov.ratings.figures).toMatchObject({ rated: 0, followUpsDue: 1, followedUpOnTime: 0, followedUp: 1 });
    expect(nov.ratings.figures.followedUpOnTimeRate).toBe(0);
    expect(nov.cards.byRule).toEqual([{ rule: 'bad-rating-unresolved', color: 'red', count: 1 }]);
  });

  it('the deadlines the figures rest on: the holiday is skipped, the make-up Saturday counted', () => {
    const at = parseInstant('2025-12-15T09:00:00+08:00');
    const deadline = (id: string) => rig.projections.readModels.evaluateCase(id, at)?.deadlineDate;
    expect(deadline('B')).toBe('2025-10-11');
    expect(deadline('C')).toBe('2025-10-11');
    expect(deadline('DD')).toBe('2025-10-27');
    expect(deadline('E')).toBe('2025-11-03');
    expect(deadline('F')).toBe('2025-10-29');
  });

  it('cohort: the cases accepted in October (A C DD E F), followed to 1 Nov 00:00', () => {
    expect(report('2025-10').kpis.cohort).toMatchObject({
      accepted: 5,
      completed: 3, // A C DD; E completed at 1 Nov 00:00 is not before the month's end
      inProgress: 2, // E F
      completionRate: 0.6,
      completedSameDay: 1, // A alone (DD took two days, E crossed midnight)
      instantCompletionRate: 0.2,
      instantKind: 1,
      instantShare: 0.2,
    });
  });

  it('flow: what happened in October whatever the acceptance date (B of September counts, E does not)', () => {
    expect(report('2025-10').kpis.flow).toMatchObject({
      completedInPeriod: 4, // A B C DD
      onTime: 3, // A B (on its make-up deadline day) DD
      late: 1, // C
      onTimeRate: 0.75,
      promisedCompleted: 3, // B C DD; the instant A is not in the base
      early: 1, // DD, done on 22 Oct before its 27 Oct; B done on its deadline day is not early
      earlyRate: 0.3333,
      openAtEnd: 2, // E F
      overdueOpenAtEnd: 1, // F, due 29 Oct
      overdueRate: 0.3333, // (1 late + 1 overdue open) / (4 + 2)
      avgUsedDays: 2.67, // B 3 (9, 10, 11), C 3 (10, 11, 13), DD 2 (21, 22): 8 / 3
      cardsTotal: 5,
    });
    const { cards } = report('2025-10');
    expect(cards).toMatchObject({ total: 5, yellow: 3, red: 2 });
    expect(cards.byRule).toEqual([
      { rule: 'deadline-warning', color: 'yellow', count: 3 },
      { rule: 'overdue', color: 'red', count: 2 },
    ]);
  });

  it('the case accepted at 23:59 on the last day and completed at 00:00 on the first: November’s completion, early', () => {
    const nov = report('2025-11');
    expect(nov.kpis.cohort).toMatchObject({ accepted: 0, completed: 0, completionRate: null, instantShare: null });
    expect(nov.kpis.flow).toMatchObject({
      completedInPeriod: 1,
      onTime: 1,
      onTimeRate: 1,
      early: 1,
      earlyRate: 1,
      openAtEnd: 1, // F
      overdueOpenAtEnd: 1,
      overdueRate: 0.5, // F overdue and open / (E + F)
      cardsTotal: 1, // C's bad-rating-unresolved, 4 Nov 00:00
    });
  });

  it('同比 and 环比: counts in percent, rates in points, null without a base', () => {
    const oct = report('2025-10');
    expect(oct.previousYear.kpis.cohort.accepted).toBe(1); // H
    expect(oct.previousMonth.kpis.cohort.accepted).toBe(2); // G B
    expect(oct.previousMonth.kpis.cohort.completionRate).toBe(0.5); // G by 1 Oct; B not yet
    expect(oct.previousYear.growth.accepted).toEqual({ unit: 'percent', value: 400 });
    expect(oct.previousMonth.growth.accepted).toEqual({ unit: 'percent', value: 150 });
    expect(oct.previousMonth.growth.completionRate).toEqual({ unit: 'points', value: 10 }); // 60 % − 50 %
    expect(oct.previousYear.growth.onTimeRate).toEqual({ unit: 'points', value: -25 }); // 75 % − 100 %
    expect(oct.previousMonth.growth.completedInPeriod).toEqual({ unit: 'percent', value: 300 }); // 4 against G's 1
    expect(oct.previousYear.growth.cardsTotal).toEqual({ unit: 'percent', value: null }); // 0 a year earlier
    expect(oct.deltas.accepted).toBe(4);
  });

  it('scope: the street alone, the district alone, the district with the street under it', () => {
    const street = report('2025-10', 'S', 'center');
    expect(street.kpis.cohort).toMatchObject({ accepted: 2, completed: 1, inProgress: 1 }); // DD E
    expect(street.kpis.flow).toMatchObject({ completedInPeriod: 1, onTimeRate: 1, earlyRate: 1, cardsTotal: 0 });
    const alone = report('2025-10', 'D', 'center');
    expect(alone.kpis.cohort).toMatchObject({ accepted: 3, completed: 2, inProgress: 1 }); // A C F
    expect(alone.kpis.flow).toMatchObject({ completedInPeriod: 3, onTime: 2, cardsTotal: 5 }); // A B C
    expect(alone.centers.map((c) => c.centerId)).toEqual(['D']);
    const tree = report('2025-10', 'D', 'subtree');
    expect(tree.kpis).toEqual(report('2025-10').kpis);
    expect(tree.filter.centers).toEqual(['D', 'S']);
    expect(tree.centers.map((c) => [c.centerId, c.accepted])).toEqual([
      ['D', 3],
      ['S', 2],
    ]);
  });

  it('the paragraph reads as the 五华区 example, from these figures, and names the cards there are', () => {
    const tree = report('2025-10', 'D', 'subtree');
    const text = tree.summary.slice(0, tree.summary.indexOf('全月'));
    expect(text).toBe(
      '2025年10月，五华区政务服务中心各窗口共受理各类事项5件，办结3件，在办事项2件，' +
        '办结率60%，按时办结率为75%，接件总数同比增长400%，环比增长150%；' +
        '在办事项中，区卫计局2件；' +
        '在所受理的各类事项中，行政许可事项2件，公共服务事项3件。' +
        '本月，中心及下属各服务中心办件共出现黄牌3张、红牌2张。',
    );
    const street = report('2025-10', 'S', 'center');
    expect(street.summary).toContain('本月，红云街道为民服务中心未出现黄牌、红牌情况。');
  });

  it('a month with no case: rates null and the paragraph says so', () => {
    const aug = report('2025-08');
    expect(aug.kpis.cohort).toMatchObject({ accepted: 0, completionRate: null, instantCompletionRate: null });
    expect(aug.kpis.flow).toMatchObject({ completedInPeriod: 0, onTimeRate: null, earlyRate: null, overdueRate: null });
    expect(aug.summary).toMatch(
      /^2025年8月，各服务中心未受理事项，也无办结事项。本月，各服务中心未出现黄牌、红牌情况。/,
    );
    const district = report('2025-08', 'D', 'subtree');
    expect(district.summary).toMatch(/^2025年8月，五华区政务服务中心未受理事项，也无办结事项。/);
  });

  it('a month with completions and no acceptance: its 办结 are the flow’s, of cases accepted before it (session 26)', () => {
    // November: nothing accepted; E (accepted 31 Oct 23:59 at the street) completed 1 Nov 00:00, on time.
    // The paragraph read "共受理各类事项0件，办结0件，在办事项0件，按时办结率为100%": 办结 the cohort's 0
    // beside the rate of the month's one completion.
    const nov = report('2025-11', 'D', 'subtree');
    expect(nov.kpis.cohort).toMatchObject({ accepted: 0, completed: 0, inProgress: 0 });
    expect(nov.kpis.flow).toMatchObject({ completedInPeriod: 1, onTimeRate: 1 });
    expect(nov.summary).toMatch(
      /^2025年11月，五华区政务服务中心未受理事项；本月办结往月受理的事项1件，按时办结率为100%。本月，/,
    );
    expect(nov.summary).not.toContain('受理各类事项0件');
    const street = report('2025-11', 'S', 'center');
    expect(street.summary).toMatch(
      /^2025年11月，红云街道为民服务中心未受理事项；本月办结往月受理的事项1件，按时办结率为100%。/,
    );
    // The district alone completed nothing in November: as an empty month.
    expect(report('2025-11', 'D', 'center').summary).toMatch(
      /^2025年11月，五华区政务服务中心未受理事项，也无办结事项。/,
    );
  });

  it('the CSV sections carry the JSON figures', () => {
    const lines = rig.projections.readModels.monthlyReportCsv('2025-10').split('\r\n');
    expect(lines).toContain('受理,5,1,增长400%,2,增长150%');
    expect(lines).toContain('办结率,60%,100%,下降40个百分点,50%,上升10个百分点');
    expect(lines).toContain('现场办结率,20%,0%,上升20个百分点,0%,上升20个百分点');
    expect(lines).toContain('按时办结率,75%,100%,下降25个百分点,100%,下降25个百分点');
    expect(lines).toContain('提前办结率,33.33%,100%,下降66.67个百分点,100%,下降66.67个百分点');
    expect(lines).toContain('逾期率,33.33%,0%,上升33.33个百分点,0%,上升33.33个百分点');
    expect(lines).toContain('临近时限,黄牌,3');
    expect(lines).toContain('逾期,红牌,2');
    expect(lines).toContain('办件小计,,5');
    expect(lines).toContain('合计,,5');
  });
});

/**
 * The edges of a month on a second district, Z, with street Q under it and community K under Q:
 * - I: Z, instant, accepted 31 Oct 23:59, completed 1 Nov 00:00. Its deadline is its acceptance date,
 *   so it is due at 1 Nov 00:00 and its completion at that instant is not before it: open and overdue
 *   at October's end, a late completion in November, its red card November's.
 * - J: K, promised 1, accepted Fri 26 Sep; its one counted day is the make-up Sunday 28 Sep, so it is
 *   late when completed on Mon 29 Sep (yellow from 28 Sep 00:00, red from 29 Sep 00:00).
 * - L: Q, promised 1, accepted Sat 1 Nov 00:00: November's; due Mon 3 Nov, still open (yellow 3 Nov, red 4 Nov).
 */
describe('month edges, a make-up Sunday and a three-level subtree', () => {
  let edges: Rig;
  beforeAll(async () => {
    const events = [
      accepted('J', '2025-09-26T10:00:00+08:00', 'K', 'health', 1),
      completed('J', '2025-09-29T09:00:00+08:00'),
      accepted('I', '2025-10-31T23:59:00+08:00', 'Z', 'health', 0),
      completed('I', '2025-11-01T00:00:00+08:00'),
      accepted('L', '2025-11-01T00:00:00+08:00', 'Q', 'agri', 1),
    ];
    edges = await rigOf(events, {
      centers: [
        { centerId: 'Z', name: '甲区政务服务中心', level: 'district' },
        { centerId: 'Q', name: '乙街道为民服务中心', level: 'street', parentId: 'Z' },
        { centerId: 'K', name: '丙社区服务站', level: 'community', parentId: 'Q' },
      ],
      departments: DIRECTORY.departments,
    });
  }, 60_000);
  afterAll(async () => {
    await edges.projections.stop();
  });
  const of = (month: string, centerId?: string, scope?: 'center' | 'subtree') =>
    edges.projections.readModels.monthlyReport(
      month,
      centerId === undefined ? undefined : { centerId, ...(scope ? { scope } : {}) },
    ) as MonthlyReport;

  it('accepted at 23:59 on the last day, completed at 00:00 on the first: overdue at the end, late the next month', () => {
    const oct = of('2025-10');
    expect(oct.kpis.cohort).toMatchObject({ accepted: 1, completed: 0, inProgress: 1, instantCompletionRate: 0 });
    expect(oct.kpis.flow).toMatchObject({ completedInPeriod: 0, onTimeRate: null, openAtEnd: 1, overdueOpenAtEnd: 1 });
    expect(oct.kpis.flow.overdueRate).toBe(1);
    expect(oct.cards.total).toBe(0);
    const nov = of('2025-11');
    expect(nov.kpis.cohort).toMatchObject({ accepted: 1, completed: 0 }); // L, accepted at 00:00 on the first
    expect(nov.kpis.flow).toMatchObject({ completedInPeriod: 1, onTime: 0, late: 1, onTimeRate: 0 });
    expect(nov.kpis.flow.overdueRate).toBe(1); // (I late + L overdue open) / (1 + 1)
    expect(nov.cards).toMatchObject({ total: 3, yellow: 1, red: 2 });
    expect(nov.summary).toContain('本月，中心及下属各服务中心办件共出现黄牌1张、红牌2张。');
  });

  it('the make-up Sunday is a counted day: due that day, late the Monday after', () => {
    const sep = of('2025-09', 'K', 'center');
    expect(sep.kpis.flow).toMatchObject({ completedInPeriod: 1, onTime: 0, earlyRate: 0, avgUsedDays: 2 }); // 28, 29
    expect(sep.cards).toMatchObject({ total: 2, yellow: 1, red: 1 });
  });

  it('a subtree reaches the community two levels down; the center alone does not', () => {
    expect(of('2025-09', 'Q', 'subtree').kpis).toEqual(of('2025-09', 'K', 'center').kpis);
    expect(of('2025-09', 'Z', 'subtree').kpis).toEqual(of('2025-09', 'K', 'center').kpis);
    const alone = of('2025-09', 'Q', 'center');
    expect(alone.kpis.cohort.accepted).toBe(0);
    expect(alone.kpis.flow.cardsTotal).toBe(0);
    expect(alone.summary).toMatch(
      /^2025年9月，乙街道为民服务中心未受理事项，也无办结事项。本月，乙街道为民服务中心未出现黄牌、红牌情况。/,
    );
  });
});

describe('whose cards the paragraph speaks of when no one center heads the table', () => {
  it('two districts side by side: 各服务中心, not a 中心 with centers under it', async () => {
    const two = await rigOf(
      [
        accepted('X1', '2025-10-09T09:00:00+08:00', 'X', 'health', 1),
        accepted('Y1', '2025-10-09T09:00:00+08:00', 'Y', 'health', 1),
      ],
      {
        centers: [
          { centerId: 'X', name: '甲区政务服务中心', level: 'district' },
          { centerId: 'Y', name: '乙区政务服务中心', level: 'district' },
        ],
        departments: DIRECTORY.departments,
      },
    );
    try {
      const oct = two.projections.readModels.monthlyReport('2025-10') as MonthlyReport;
      expect(oct.summary).toMatch(/^2025年10月，各服务中心各窗口共受理各类事项2件，/);
      // Each case: yellow at the start of 10 Oct (its one counted day), red from 11 Oct 00:00.
      expect(oct.summary).toContain('本月，各服务中心办件共出现黄牌2张、红牌2张。');
      expect(oct.summary).not.toContain('中心及下属');
      // One district with the centers under it keeps the 五华区 wording.
      expect(report('2025-10').summary).toContain('本月，中心及下属各服务中心办件共出现');
    } finally {
      await two.projections.stop();
    }
  });
});

/**
 * Escalations and an extension (SPEC §5 flow: 催办督办, 延期, 回告, 按时回告率), by hand. Case P of D,
 * promised 10, accepted Thu 9 Oct 2025: its 10th counted day is Wed 22 Oct (10, 11 make-up, 13–17,
 * 20–22). A reminder on 9 Oct (3 days: 10, 11, 13) answered on 13 Oct 15:00, before its day ends; 5 days'
 * extension on 20 Oct 10:00 (before the 23 Oct 00:00 due) → 29 Oct; a supervision on Thu 30 Oct
 * (2 days: 31 Oct, 3 Nov) never answered, the case still open.
 * Cards: yellow from 20 Oct 00:00 (day ⌈0.8 × 10⌉ = 8) cleared by the extension, yellow again from
 * 24 Oct 00:00 (day ⌈0.8 × 15⌉ = 12), red overdue from 30 Oct 00:00; red escalation-unanswered 4 Nov.
 */
describe('escalations, replies and an extension, by hand', () => {
  it('October counts them where they happened; the reply missed falls due in November', async () => {
    const esc = await rigOf(
      [
        accepted('P', '2025-10-09T09:00:00+08:00', 'D', 'health', 10),
        {
          type: 'CaseEscalated',
          caseId: 'P',
          occurredAt: '2025-10-09T14:00:00+08:00',
          level: 'reminder',
          by: '效能办',
        },
        { type: 'CaseEscalationAnswered', caseId: 'P', occurredAt: '2025-10-13T15:00:00+08:00', escalationId: 'e1' },
        {
          type: 'CaseExtended',
          caseId: 'P',
          occurredAt: '2025-10-20T10:00:00+08:00',
          days: 5,
          approvedBy: '分管领导',
          reason: '需补充现场核查',
        },
        {
          type: 'CaseEscalated',
          caseId: 'P',
          occurredAt: '2025-10-30T10:00:00+08:00',
          level: 'supervision',
          by: '效能办',
        },
      ],
      DIRECTORY,
    );
    try {
      const of = (month: string) => esc.projections.readModels.monthlyReport(month) as MonthlyReport;
      const at = parseInstant('2025-12-15T09:00:00+08:00');
      expect(esc.projections.readModels.evaluateCase('P', at)?.deadlineDate).toBe('2025-10-29');
      const oct = of('2025-10');
      expect(oct.kpis.flow).toMatchObject({
        escalations: { total: 2, reminder: 1, supervision: 1, referral: 0 },
        extensions: 1,
        escalationsAnswered: 1,
        escalationsDue: 1,
        answeredOnTime: 1,
        answeredOnTimeRate: 1,
        openAtEnd: 1,
        overdueOpenAtEnd: 1,
        overdueRate: 1,
      });
      expect(oct.cards.byRule).toEqual([
        { rule: 'deadline-warning', color: 'yellow', count: 2 },
        { rule: 'overdue', color: 'red', count: 1 },
      ]);
      const nov = of('2025-11');
      expect(nov.kpis.flow).toMatchObject({
        escalations: { total: 0 },
        escalationsDue: 1,
        answeredOnTime: 0,
        answeredOnTimeRate: 0,
      });
      expect(nov.cards.byRule).toEqual([{ rule: 'escalation-unanswered', color: 'red', count: 1 }]);
      expect(nov.previousMonth.growth.answeredOnTimeRate).toEqual({ unit: 'points', value: -100 });
    } finally {
      await esc.projections.stop();
    }
  });
});
