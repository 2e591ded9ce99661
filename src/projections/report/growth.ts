/**
 * Growth between two months (同比 / 环比), as centers publish it: a percentage
 * change for counts (35300 against 27946 → +26.32 %) and percentage points for
 * rates (0.9953 against 0.9941 → +0.12 points). The headline figures and how
 * each one grows are listed once, here. Growth is figured from the exact values
 * behind the rounded figures and only then rounded (exactFigures.ts, session 16).
 */
import { roundTo, RATE_DECIMALS, type KpiSet } from '../stats.js';
import { exactFigure } from '../exactFigures.js';

export const GROWTH_DECIMALS = 2;

export type GrowthUnit = 'percent' | 'points';

export interface Growth {
  readonly unit: GrowthUnit;
  /** Percent change (counts) or percentage points (rates), 2 decimals; null without a base. */
  readonly value: number | null;
}

export type GrowthTable = Readonly<Record<HeadlineField, Growth>>;
export type KpiDeltas = Readonly<Record<HeadlineField, number | null>>;

/** The headline figures: which part of the KPIs holds each, and whether it is a count or a rate. */
export const HEADLINE_FIGURES = [
  ['accepted', 'cohort', 'percent'],
  ['completed', 'cohort', 'percent'],
  ['inProgress', 'cohort', 'percent'],
  ['completionRate', 'cohort', 'points'],
  ['instantCompletionRate', 'cohort', 'points'],
  ['instantShare', 'cohort', 'points'],
  ['completedInPeriod', 'flow', 'percent'],
  ['onTimeRate', 'flow', 'points'],
  ['earlyRate', 'flow', 'points'],
  ['overdueRate', 'flow', 'points'],
  ['avgUsedDays', 'flow', 'percent'],
  ['cardsTotal', 'flow', 'percent'],
  // §5's escalation figures (催办 / 督办 / 上报: their total) and edition 2's (延期, 回告, 按时回告率).
  ['escalations', 'flow', 'percent'],
  ['extensions', 'flow', 'percent'],
  ['escalationsAnswered', 'flow', 'percent'],
  ['answeredOnTimeRate', 'flow', 'points'],
] as const;

export type HeadlineField = (typeof HEADLINE_FIGURES)[number][0];

/** A headline figure's value; a figure counted by kind (`escalations`) is its `total`. */
export function headline(kpis: KpiSet, part: 'cohort' | 'flow', field: string): number | null {
  const v = (kpis[part] as unknown as Record<string, unknown>)[field];
  if (typeof v === 'number') return v;
  const total = typeof v === 'object' && v !== null ? (v as { total?: unknown }).total : undefined;
  return typeof total === 'number' ? total : null;
}

/** The exact value behind a headline figure (exactFigures.ts), else the figure (a count is exact). */
const exactHeadline = (kpis: KpiSet, part: 'cohort' | 'flow', field: string): number | null =>
  exactFigure(kpis[part], field) ?? headline(kpis, part, field);

/** Percent change from `before` to `now`; null when `before` is 0 or either is missing. */
export function percentChange(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return roundTo(((now - before) / before) * 100, GROWTH_DECIMALS);
}

/** Difference of two rates in percentage points; null when either is missing. */
export function pointChange(now: number | null, before: number | null): number | null {
  if (now === null || before === null) return null;
  return roundTo((now - before) * 100, GROWTH_DECIMALS);
}

export function growthOf(now: KpiSet, before: KpiSet): GrowthTable {
  const out: Record<string, Growth> = {};
  for (const [field, part, unit] of HEADLINE_FIGURES) {
    const a = exactHeadline(now, part, field);
    const b = exactHeadline(before, part, field);
    out[field] = { unit, value: unit === 'percent' ? percentChange(a, b) : pointChange(a, b) };
  }
  return out as GrowthTable;
}

/** This month minus the other, per headline figure, in the figures' own units; null when either is null. */
export function deltasOf(now: KpiSet, before: KpiSet): KpiDeltas {
  const out: Record<string, number | null> = {};
  for (const [field, part] of HEADLINE_FIGURES) {
    const a = headline(now, part, field);
    const b = headline(before, part, field);
    out[field] = a === null || b === null ? null : roundTo(a - b, RATE_DECIMALS);
  }
  return out as KpiDeltas;
}

/** A figure of a flat set of figures (complaints, ratings) and how it grows. */
export type FigureGrowthSpec<F extends string> = readonly (readonly [field: F, unit: GrowthUnit])[];

/** Growth of each listed figure of a flat set of figures, as `growthOf` does for the KPIs. */
export function figureGrowth<F extends string>(
  spec: FigureGrowthSpec<F>,
  now: object,
  before: object,
): Readonly<Record<F, Growth>> {
  const out = {} as Record<F, Growth>;
  for (const [field, unit] of spec) {
    const a = exactFigure(now, field);
    const b = exactFigure(before, field);
    out[field] = { unit, value: unit === 'percent' ? percentChange(a, b) : pointChange(a, b) };
  }
  return out;
}
