/**
 * Schemas of the figures: GET /stats (SPEC §5), the monthly report, a calendar year.
 * A little over 300 lines: the report's schema reuses the stats blocks (cohort, flow,
 * complaints, ratings), so they change together when a figure is added.
 */
import { CENTER_SCOPES } from '../../domain/directory.js';
import { COMPLAINT_CARD_RULES } from '../../domain/complaints/lists.js';
import { CARD_COLORS, CARD_RULES, ESCALATION_LEVELS } from '../../domain/lists.js';
import type { JsonSchema } from './fromCodec.js';
import { closed, date, instant, int, list, rate, ref, str } from './schemaParts.js';
import { CENTER_LEVELS } from '../../domain/directory.js';
import { HEADLINE_FIGURES } from '../../projections/report/growth.js';
import { REPORT_CATEGORIES, WATCH_BASE } from '../../projections/report/tables.js';
import { COMPLAINT_HEADLINES, RATING_HEADLINES } from '../../projections/report/feedback.js';

const num = { type: ['number', 'null'] };

const Cohort = closed(
  [
    'accepted',
    'completed',
    'inProgress',
    'completionRate',
    'completedSameDay',
    'instantCompletionRate',
    'instantKind',
    'instantShare',
  ],
  {
    accepted: int,
    completed: int,
    inProgress: int,
    completionRate: rate,
    completedSameDay: int,
    instantCompletionRate: rate,
    instantKind: int,
    instantShare: rate,
  },
);
const flowFields = {
  completedInPeriod: int,
  onTime: int,
  late: int,
  onTimeRate: rate,
  promisedCompleted: int,
  early: int,
  earlyRate: rate,
  openAtEnd: int,
  overdueOpenAtEnd: int,
  overdueRate: rate,
  avgUsedDays: { type: ['number', 'null'] },
  cards: list(
    closed(['rule', 'color', 'count'], { rule: { enum: CARD_RULES }, color: { enum: CARD_COLORS }, count: int }),
  ),
  cardsTotal: int,
  escalations: closed(['total', ...ESCALATION_LEVELS], {
    total: int,
    ...Object.fromEntries(ESCALATION_LEVELS.map((l) => [l, int])),
  }),
  extensions: int,
  escalationsAnswered: int,
  escalationsDue: int,
  answeredOnTime: int,
  answeredOnTimeRate: rate,
};
const Flow = closed(Object.keys(flowFields), flowFields);

/** 好差评 figures (SPEC §8; src/projections/ratingFigures.ts says how each is counted). */
const ratingFields = {
  rated: { ...int, description: 'CaseRated in the period' },
  byScore: closed(['1', '2', '3', '4', '5'], { '1': int, '2': int, '3': int, '4': int, '5': int }),
  satisfied: { ...int, description: 'ratings of 4–5 in the period' },
  satisfactionRate: { ...rate, description: 'satisfied / rated' },
  badRatings: { ...int, description: '差评 (score ≤ 2) in the period' },
  completedInPeriod: int,
  ratedOfCompleted: { ...int, description: 'of the cases completed in the period, those rated by `to`' },
  ratedShare: { ...rate, description: 'ratedOfCompleted / completedInPeriod' },
  followUpsDue: { ...int, description: '差评 whose follow-up fell due in the period' },
  followedUpOnTime: { ...int, description: 'of those, followed up within badRatingFollowUpDays' },
  followedUpOnTimeRate: { ...rate, description: 'followedUpOnTime / followUpsDue' },
  followedUp: { ...int, description: 'RatingFollowedUp in the period' },
};
const Ratings = closed(Object.keys(ratingFields), ratingFields);

/** Complaint figures (SPEC §8; src/projections/complaints/complaintStats.ts says how each is counted). */
const findingCount = closed(['substantiated', 'partly'], { substantiated: int, partly: int });
const complaintFields = {
  received: { ...int, description: 'ComplaintReceived in the period (by the local date of each event)' },
  accepted: { ...int, description: 'ComplaintAccepted in the period' },
  rejected: { ...int, description: 'ComplaintRejected in the period' },
  answered: { ...int, description: 'ComplaintAnswered in the period' },
  closed: { ...int, description: 'ComplaintClosed in the period, of accepted and of rejected complaints' },
  closedOfAccepted: { ...int, description: 'of the complaints accepted in the period, those closed by its end' },
  closedRate: { ...rate, description: 'closedOfAccepted / accepted (Haikou: 2333 / 2344 = 0.9953)' },
  answersDue: {
    ...int,
    description: 'answers due in the period: the last day to answer in it and ended by the instant read',
  },
  answeredOnTime: { ...int, description: 'of answersDue, those given before the end of the answer day' },
  answeredOnTimeRate: { ...rate, description: 'answeredOnTime / answersDue' },
  substantiated: {
    type: 'object',
    description:
      'substantiated and partly substantiated findings answered in the period, by the department in charge ("" for none)',
    additionalProperties: findingCount,
  },
  withSatisfaction: { ...int, description: 'closures in the period with a satisfaction given' },
  satisfied: { ...int, description: 'of those, satisfied or basically satisfied' },
  satisfactionRate: { ...rate, description: 'satisfied / withSatisfaction' },
  cards: {
    ...list(
      closed(['rule', 'color', 'count'], {
        rule: { enum: [...COMPLAINT_CARD_RULES] },
        color: { enum: CARD_COLORS },
        count: int,
      }),
    ),
    description:
      'complaint cards started in the period (and by asOf), by rule; with a department, those started while it was in charge',
  },
  cardsTotal: {
    ...int,
    description: 'the complaint cards of the period: with flow.cardsTotal, the card register total',
  },
};
const Complaints = closed(Object.keys(complaintFields), complaintFields);

/** Optional beside the versions: present (true) only when the figures count a day a notice may still set. */
const provisionalFigures = {
  provisional: {
    type: 'boolean',
    enum: [true],
    description:
      'present when a day of the period up to asOf has no notice yet (a predicted year, or December 20–31 before one): the figures may move when it is published (SPEC §3)',
  },
};

const versions = {
  calendarVersion: { ...str, description: 'the calendar version the figures were computed with' },
  policyVersions: {
    ...list(str),
    description: 'the policy versions of the cases counted (each case keeps the one in force when it was accepted)',
  },
};

const Stats = closed(
  ['from', 'to', 'zone', 'filter', 'asOf', 'cohort', 'flow', 'ratings', 'complaints', ...Object.keys(versions)],
  {
    from: date,
    to: date,
    zone: str,
    filter: closed([], {
      centerId: str,
      scope: { enum: CENTER_SCOPES, description: 'With centerId: what it covered (the query, default center)' },
      centers: {
        ...list(str),
        description: 'With scope subtree: the centers counted (the center and those under it now), sorted',
      },
      departmentId: str,
    }),
    asOf: { ...instant, description: 'When the figures were computed (ISO-8601 with offset, in zone)' },
    cohort: ref('Cohort'),
    flow: ref('Flow'),
    ratings: ref('Ratings'),
    complaints: ref('Complaints'),
    groupBy: { enum: ['center', 'department', 'matter', 'category'] },
    groups: list(
      closed(['key', 'cohort', 'flow'], {
        key: str,
        label: str,
        name: str,
        registered: { type: 'boolean' },
        cohort: ref('Cohort'),
        flow: ref('Flow'),
        ratings: ref('Ratings'),
        // Grouped by center or department only: complaints have no matter or category. Department "" = none in charge.
        complaints: ref('Complaints'),
      }),
    ),
    unregistered: closed(['groups', 'accepted'], { groups: int, accepted: int }),
    ...versions,
    ...provisionalFigures,
  },
);

const headline = HEADLINE_FIGURES.map(([field]) => field);
const growthTable = closed(
  headline,
  Object.fromEntries(
    headline.map((f) => [f, closed(['unit', 'value'], { unit: { enum: ['percent', 'points'] }, value: num })]),
  ),
);
const kpis = closed(['cohort', 'flow'], { cohort: ref('Cohort'), flow: ref('Flow'), ratings: ref('Ratings') });
/** In a month still running (`runningThrough`), the earlier months are compared over their same first days (同期). */
const through = { ...date, description: 'in a month still running: the last day compared (its first days, as many)' };
const comparedMonth = closed(['month', 'from', 'to', 'kpis', 'growth'], {
  month: str,
  from: date,
  to: date,
  through,
  kpis,
  growth: growthTable,
});
const named = { name: str, registered: { type: 'boolean' } };
const unregisteredTotal = closed(['groups', 'accepted'], { groups: int, accepted: int });
const ints = (names: string[]) => Object.fromEntries(names.map((n) => [n, int]));
const rates = (names: string[]) => Object.fromEntries(names.map((n) => [n, rate]));
const departmentRow = closed(
  ['departmentId', 'registered', 'accepted', 'completed', 'inProgress', 'completedInPeriod', 'openAtEnd'],
  {
    departmentId: str,
    ...named,
    ...ints(['accepted', 'completed', 'inProgress', 'completedInPeriod', 'onTime', 'late', 'openAtEnd']),
    ...ints(['overdueOpenAtEnd', 'yellowCards', 'redCards', 'escalations']),
    ...rates(['completionRate', 'instantCompletionRate', 'instantShare', 'onTimeRate', 'earlyRate', 'overdueRate']),
    avgUsedDays: num,
  },
);

/** A compared month of the complaint or rating section: its figures and the growth of each headline figure. */
const comparedFigures = (figures: string, fields: readonly (readonly [string, string])[]) =>
  closed(['month', 'from', 'to', 'figures', 'growth'], {
    month: str,
    from: date,
    to: date,
    through,
    figures: ref(figures),
    growth: closed(
      fields.map(([f]) => f),
      Object.fromEntries(
        fields.map(([f, unit]) => [f, closed(['unit', 'value'], { unit: { enum: [unit] }, value: num })]),
      ),
    ),
  });
const departmentNamed = {
  departmentId: { ...str, description: '"" for complaints with no department in charge' },
  ...named,
};
/** SPEC §8 in the report (src/projections/report/feedback.ts): 效能投诉 with 同比 / 环比 and substantiated by department. */
const reportComplaints = closed(['figures', 'previousYear', 'previousMonth', 'departments'], {
  figures: ref('Complaints'),
  previousYear: comparedFigures('Complaints', COMPLAINT_HEADLINES),
  previousMonth: comparedFigures('Complaints', COMPLAINT_HEADLINES),
  departments: list(
    closed(['departmentId', 'registered', 'substantiated', 'partly'], {
      ...departmentNamed,
      ...ints(['substantiated', 'partly']),
    }),
  ),
});
/** 好差评 in the report: with 同比 / 环比 and satisfaction per department. */
const reportRatings = closed(['figures', 'previousYear', 'previousMonth', 'departments'], {
  figures: ref('Ratings'),
  previousYear: comparedFigures('Ratings', RATING_HEADLINES),
  previousMonth: comparedFigures('Ratings', RATING_HEADLINES),
  departments: list(
    closed(
      [
        'departmentId',
        'registered',
        'rated',
        'satisfied',
        'satisfactionRate',
        'badRatings',
        'completedInPeriod',
        'ratedShare',
        'followUpsDue',
        'followedUpOnTime',
        'followedUpOnTimeRate',
      ],
      {
        ...departmentNamed,
        ...ints(['rated', 'satisfied', 'badRatings', 'completedInPeriod', 'followUpsDue', 'followedUpOnTime']),
        ...rates(['satisfactionRate', 'ratedShare', 'followedUpOnTimeRate']),
      },
    ),
  ),
});

/** SPEC §4–§5: the monthly report as centers publish it (src/projections/report.ts). */
const MonthlyReport = closed(
  [
    'month',
    'from',
    'to',
    'zone',
    'filter',
    'asOf',
    'kpis',
    'previousYear',
    'previousMonth',
    'deltas',
    'categories',
    'centers',
    'departments',
    'worstDepartments',
    'watchBase',
    'cards',
    'unregistered',
    'unregisteredCenters',
    'calendarVersion',
    'policyVersions',
    'complaints',
    'ratings',
    'summary',
  ],
  {
    month: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' },
    from: date,
    to: date,
    zone: str,
    filter: closed([], {
      centerId: str,
      centerName: str,
      scope: { enum: CENTER_SCOPES, description: 'With centerId: what it covered (default subtree)' },
      centers: {
        ...list(str),
        description: 'With scope subtree: the centers the report covers (the center and those under it now), sorted',
      },
    }),
    asOf: { ...instant, description: 'When the figures were computed (ISO-8601 with offset, in zone)' },
    kpis,
    previousYear: { ...comparedMonth, description: 'the same month a year earlier (同比)' },
    previousMonth: { ...comparedMonth, description: 'the month before (环比)' },
    deltas: closed(headline, Object.fromEntries(headline.map((f) => [f, num]))),
    categories: list(
      closed(['category', 'accepted', 'completed', 'inProgress', 'completedInPeriod', 'onTimeRate'], {
        category: { enum: [...REPORT_CATEGORIES] },
        ...ints(['accepted', 'completed', 'inProgress', 'completedInPeriod']),
        onTimeRate: rate,
      }),
    ),
    centers: list(
      closed(['centerId', 'registered', 'accepted', 'rank'], {
        centerId: str,
        ...named,
        level: { enum: [...CENTER_LEVELS] },
        parentId: str,
        ...ints(['accepted', 'completed', 'inProgress', 'completedInPeriod', 'openAtEnd', 'overdueOpenAtEnd']),
        ...ints(['cardsTotal', 'rank']),
        ...rates(['completionRate', 'onTimeRate', 'overdueRate']),
      }),
    ),
    departments: list(departmentRow),
    worstDepartments: list({
      ...departmentRow,
      properties: {
        ...(departmentRow['properties'] as Record<string, unknown>),
        belowWatchBase: {
          const: true,
          description: `present when the overdue rate rests on fewer than ${WATCH_BASE} cases (completed in the month + open at its end): ranked after every department with at least ${WATCH_BASE}`,
        },
      },
    }),
    watchBase: {
      ...int,
      description:
        'the fewest cases (completed in the month + open at its end) a department of worstDepartments must have to rank before those marked belowWatchBase',
    },
    cards: closed(['total', 'yellow', 'red', 'byRule', 'withdrawn'], {
      total: int,
      yellow: int,
      red: int,
      withdrawn: {
        ...closed(['total', 'yellow', 'red'], {
          total: int,
          yellow: int,
          red: int,
          clearingsChanged: {
            ...int,
            description:
              "Yellow cards still on record whose clearing, shown before a later write, it moved or erased (GET /cards/withdrawn rows with clearingChanged): not in withdrawn's total; absent when none",
          },
          reinstated: {
            ...int,
            description:
              "Rows of GET /cards/withdrawn a later write put back as they were (reinstatedAt): not in withdrawn's total; absent when none",
          },
        }),
        description:
          'Cards that started in the month, were shown, and a later write withdrew and did not put back (GET /cards/withdrawn): not in total',
      },
      byRule: list(
        closed(['rule', 'color', 'count'], {
          rule: { enum: [...CARD_RULES, ...COMPLAINT_CARD_RULES] },
          color: { enum: [...CARD_COLORS] },
          count: int,
        }),
      ),
    }),
    unregistered: unregisteredTotal,
    unregisteredCenters: unregisteredTotal,
    latestMonthWithData: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' },
    runningThrough: {
      ...date,
      description:
        'present while the month is running: the last local date its figures cover (open at the end means open now)',
    },
    ...versions,
    ...provisionalFigures,
    complaints: reportComplaints,
    ratings: reportRatings,
    summary: { ...str, description: 'the opening paragraph in Chinese, every number taken from the figures' },
  },
);

const CalendarYear = closed(['year', 'holidays', 'workdays', 'status', 'provisional', 'source', 'version'], {
  year: int,
  holidays: list(date),
  workdays: list(date),
  regional: list(closed(['region', 'date', 'kind'], { region: str, date, kind: { enum: ['holiday', 'workday'] } })),
  decemberOfNextNotice: closed(['year', 'holidays', 'workdays'], {
    year: int,
    holidays: list(date),
    workdays: list(date),
  }),
  status: { enum: ['published', 'predicted'] },
  provisional: { type: 'boolean' },
  source: str,
  predictedFrom: str,
  assumedHolidays: list(closed(['date', 'name'], { date, name: str })),
  version: str,
  asKnownAt: { ...instant, description: 'GET with asKnownAt only: the instant the year is read as known at' },
  changes: closed([], {
    holidaysAdded: list(date),
    holidaysRemoved: list(date),
    workdaysAdded: list(date),
    workdaysRemoved: list(date),
  }),
  position: { type: 'string', description: 'PUT only: the store position of the publication' },
  unchanged: {
    type: 'boolean',
    enum: [true],
    description: 'PUT only: the notice sent is the one in force (same days); nothing was recorded, no position',
  },
  warnings: {
    ...list(str),
    description:
      'PUT only: what was recorded but may not be meant, e.g. a regional notice for a region no center is in',
  },
});

export const figureSchemas: Record<string, JsonSchema> = {
  Cohort,
  Flow,
  Ratings,
  Complaints,
  Stats,
  MonthlyReport,
  CalendarYear,
};
