import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComplaintFigures } from './complaints/complaintStats.js';
import type { RatingFigures } from './ratingFigures.js';
import type { MonthlyReportFigures } from './report.js';
import type { MonthlyCenterRow } from './report/tables.js';
import { cardsText, feedbackText, percentText, subjectOf, topCentersText } from './summary.js';

const count = fc.integer({ min: 0, max: 50_000 });
const rate = fc.option(
  fc.integer({ min: 0, max: 10_000 }).map((x) => x / 10_000),
  { nil: null },
);

const complaintArb = fc.record({
  received: count,
  accepted: count,
  rejected: count,
  answered: count,
  closed: count,
  closedOfAccepted: count,
  closedRate: rate,
  answeredOnTimeRate: rate,
  satisfactionRate: rate,
});
const ratingArb = fc.record({
  rated: count,
  badRatings: count,
  followUpsDue: count,
  satisfactionRate: rate,
  followedUpOnTimeRate: rate,
});

/** A report holding only what the sentence reads: the complaint and rating figures of the month. */
function reportOf(c: Partial<ComplaintFigures>, r: Partial<RatingFigures>): MonthlyReportFigures {
  return { complaints: { figures: c }, ratings: { figures: r } } as unknown as MonthlyReportFigures;
}

describe('the summary’s sentence on complaints and ratings is built from the figures only', () => {
  it('says each figure where it belongs, and leaves out a rate without a base', () => {
    fc.assert(
      fc.property(complaintArb, ratingArb, (c, r) => {
        const text = feedbackText(reportOf(c, r));
        const anyComplaint = c.received + c.accepted + c.rejected + c.answered + c.closed > 0;
        if (anyComplaint) {
          expect(text).toContain(`全月收到效能投诉${c.received}件，受理${c.accepted}件`);
          // 本月办结 is the month's closures; the cohort figure is named as one (before: 办结{closedOfAccepted}件).
          expect(text).toContain(`本月办结${c.closed}件，本月受理且已办结${c.closedOfAccepted}件`);
          expect(text.includes(`不予受理${c.rejected}件`)).toBe(c.rejected > 0);
          expect(text.includes('办结率')).toBe(c.closedRate !== null);
          if (c.closedRate !== null) expect(text).toContain(`办结率（本月受理的）${percentText(c.closedRate)}`);
          if (c.satisfactionRate !== null) expect(text).toContain(`投诉人满意率${percentText(c.satisfactionRate)}`);
        } else expect(text.startsWith('全月未收到效能投诉；')).toBe(true);
        if (r.rated + r.followUpsDue > 0) {
          expect(text).toContain(`好差评评价${r.rated}次`);
          expect(text).toContain(`差评${r.badRatings}件`);
          expect(text.includes('按期整改率')).toBe(r.followedUpOnTimeRate !== null);
          if (r.satisfactionRate !== null) expect(text).toContain(`满意率${percentText(r.satisfactionRate)}，差评`);
        } else expect(text.endsWith('；无好差评评价。')).toBe(true);
      }),
    );
  });

  it('changing a figure changes the sentence', () => {
    fc.assert(
      fc.property(
        complaintArb,
        ratingArb,
        fc.constantFrom('accepted', 'closed', 'closedOfAccepted', 'rated', 'badRatings'),
        (c, r, field) => {
          const before = feedbackText(reportOf(c, r));
          const after =
            field === 'rated' || field === 'badRatings'
              ? feedbackText(reportOf(c, { ...r, [field]: r[field] + 1, followUpsDue: r.followUpsDue + 1 }))
              : feedbackText(reportOf({ ...c, [field]: c[field] + 1, received: c.received + 1 }, r));
          expect(after).not.toBe(before);
        },
      ),
    );
  });

  it('a worked month', () => {
    const text = feedbackText(
      reportOf(
        {
          received: 2350,
          accepted: 2344,
          rejected: 6,
          answered: 2340,
          closed: 2339,
          closedOfAccepted: 2333,
          closedRate: 0.9953,
          answeredOnTimeRate: 0.98,
          satisfactionRate: 0.9123,
        },
        { rated: 1200, badRatings: 12, followUpsDue: 10, satisfactionRate: 0.975, followedUpOnTimeRate: 1 },
      ),
    );
    expect(text).toBe(
      '全月收到效能投诉2350件，受理2344件，不予受理6件，本月办结2339件，本月受理且已办结2333件，办结率（本月受理的）99.53%，' +
        '按时答复率98%，投诉人满意率91.23%；' +
        '好差评评价1200次，满意率97.5%，差评12件，按期整改率100%。',
    );
  });
});

describe('the summary’s cards name whose cards each number counts', () => {
  const cardsOf = (
    cases: { rule: string; color: 'yellow' | 'red'; count: number }[],
    complaints: { rule: string; color: 'yellow' | 'red'; count: number }[],
  ) => {
    const sum = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);
    const all = [...cases, ...complaints];
    return {
      kpis: { flow: { cards: cases, cardsTotal: sum(cases) } },
      complaints: { figures: { cards: complaints, cardsTotal: sum(complaints) } },
      cards: {
        total: sum(all),
        yellow: sum(all.filter((c) => c.color === 'yellow')),
        red: sum(all.filter((c) => c.color === 'red')),
      },
    } as unknown as Parameters<typeof cardsText>[0];
  };

  it('the cases’ cards (the key figures’ 办件红黄牌) apart from the complaints’ (the repro: 413 + 12 = 425)', () => {
    const report = cardsOf(
      [
        { rule: 'deadline-warning', color: 'yellow', count: 310 },
        { rule: 'overdue', color: 'red', count: 103 },
      ],
      [
        { rule: 'complaint-answer-warning', color: 'yellow', count: 7 },
        { rule: 'complaint-overdue', color: 'red', count: 5 },
      ],
    );
    // Before: "共出现黄牌317张、红牌108张", the sum of both beside a key figure of 413.
    expect(cardsText(report, '中心及下属各服务中心')).toBe(
      '本月，中心及下属各服务中心办件共出现黄牌310张、红牌103张，效能投诉出现黄牌7张、红牌5张。',
    );
  });

  it('no complaint card: the cases’ alone; none at all: says so; complaints’ only: the cases had none', () => {
    expect(cardsText(cardsOf([{ rule: 'overdue', color: 'red', count: 2 }], []), 'A中心')).toBe(
      '本月，A中心办件共出现红牌2张。',
    );
    expect(cardsText(cardsOf([], []), 'A中心')).toBe('本月，A中心未出现黄牌、红牌情况。');
    expect(cardsText(cardsOf([], [{ rule: 'complaint-undecided', color: 'red', count: 1 }]), 'A中心')).toBe(
      '本月，A中心办件未出现黄牌、红牌，效能投诉出现红牌1张。',
    );
  });
});

describe('the summary ranks centers of one level that accepted cases', () => {
  const row = (centerId: string, level: MonthlyCenterRow['level'], accepted: number, parentId?: string) =>
    ({ centerId, name: `${centerId}中心`, level, accepted, ...(parentId ? { parentId } : {}) }) as MonthlyCenterRow;

  it('names the most accepted of the first level with more than one center, leaving out those with none', () => {
    const text = topCentersText([
      row('city', 'city', 9),
      row('s1', 'street', 3, 'city'),
      row('s2', 'street', 5, 'city'),
      row('s3', 'street', 0, 'city'),
    ]);
    // 两 before a measure word (前两名), as a Chinese reader writes it; the paragraph said 前二名.
    expect(text).toBe('受理业务量前两名的是：s2中心5件、s1中心3件。');
  });

  it('ranks no center against its own parent: a city and its district alone give no ranking', () => {
    expect(topCentersText([row('city', 'city', 1), row('dist', 'district', 0, 'city')])).toBeUndefined();
    expect(topCentersText([row('city', 'city', 1), row('dist', 'district', 4, 'city')])).toBeUndefined();
  });
});

describe('whose month the summary tells', () => {
  const row = (centerId: string, registered: boolean, accepted: number, parentId?: string) =>
    ({
      centerId,
      name: registered ? `${centerId}中心` : undefined,
      registered,
      accepted,
      ...(parentId ? { parentId } : {}),
    }) as unknown as MonthlyCenterRow;
  const subject = (centers: MonthlyCenterRow[]) => subjectOf({ filter: {}, centers } as never);

  it('the one registered center the table hangs below', () => {
    expect(subject([row('A', true, 3), row('s1', true, 2, 'A')])).toBe('A中心');
  });

  it('not a center that did nothing while an unregistered one took the month’s cases', () => {
    // Before: "A中心各窗口共受理各类事项1件" for the case of the unregistered c-z.
    expect(subject([row('A', true, 0), row('c-z', false, 1)])).toBe('各服务中心');
    expect(subject([row('A', true, 0), row('B', true, 1)])).toBe('各服务中心');
  });
});
