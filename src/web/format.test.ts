/**
 * Rates on the pages (src/web/public/js/format.js fmtRate) read as the monthly report's paragraph
 * writes them (src/projections/summary.ts percentText): the report page printed 99.0% in its
 * tables beside 按时办结率为98.95% in its paragraph.
 */
import { describe, expect, it } from 'vitest';
import { percentText } from '../projections/summary.js';

const formatUrl = new URL('./public/js/format.js', import.meta.url).href;
const { fmtRate } = (await import(formatUrl)) as { fmtRate(x: unknown): string };

describe('fmtRate', () => {
  it("prints a rate as the report's paragraph does: two decimals at most, no trailing zeros", () => {
    expect(fmtRate(1 / 3)).toBe('33.33%');
    expect(fmtRate(7 / 9)).toBe('77.78%');
    expect(fmtRate(0.98953)).toBe('98.95%');
    expect(fmtRate(0.99)).toBe('99%');
    expect(fmtRate(0.5)).toBe('50%');
    expect(fmtRate(1)).toBe('100%');
    expect(fmtRate(0)).toBe('0%');
    for (const rate of [1 / 3, 2 / 3, 7 / 9, 0.98953, 0.00005, 0.99995, 0.125, 0.9, 94 / 95, 1])
      expect(fmtRate(rate), String(rate)).toBe(percentText(rate));
  });

  it('prints — for no rate', () => {
    expect(fmtRate(null)).toBe('—');
    expect(fmtRate(undefined)).toBe('—');
  });
});
