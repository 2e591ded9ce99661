/**
 * The monthly report's count links (src/web/public/js/report-links.js) for the counts a plain month
 * filter cannot give: 差评应整改 counts a follow-up only once its last day has ended by the report's
 * instant, and the 查实 table and the board have a row of complaints with no department in charge.
 */
import { describe, expect, it } from 'vitest';

type Link = (...args: unknown[]) => string | undefined;
const linksUrl = new URL('./public/js/report-links.js', import.meta.url).href;
const { ratingListLink, findingListLink } = (await import(linksUrl)) as Record<
  'ratingListLink' | 'findingListLink',
  Link
>;

const params = (href: string | undefined) => Object.fromEntries(new URL(href ?? 'x:', 'http://h').searchParams);

describe('report links', () => {
  it('差评应整改 of a past month: the follow-ups due on a day of the month', () => {
    expect(params(ratingListLink('2024-11', 'followUpsDue', {}, '2026-12-02T10:00:00.000+08:00'))).toEqual({
      followUpDueFrom: '2024-11-01',
      followUpDueTo: '2024-12-01',
    });
  });

  it("差评应整改 of the running month: up to the report's local date, none on its first day", () => {
    const where = { centerId: 'c1' };
    expect(params(ratingListLink('2026-12', 'followUpsDue', where, '2026-12-20T10:00:00.000+08:00'))).toEqual({
      centerId: 'c1',
      followUpDueFrom: '2026-12-01',
      followUpDueTo: '2026-12-20',
    });
    expect(ratingListLink('2026-12', 'followUpsDue', where, '2026-12-01T10:00:00.000+08:00')).toBeUndefined();
  });

  it("a department's ratings and 差评 of the month", () => {
    expect(
      params(ratingListLink('2024-11', 'badRatings', {}, '2026-12-02T10:00:00.000+08:00', { departmentId: 'd1' })),
    ).toEqual({ ratedFrom: '2024-11-01', ratedTo: '2024-12-01', departmentId: 'd1', rating: 'bad' });
    expect(ratingListLink('2024-11', 'satisfactionRate', {}, '2026-12-02T10:00:00.000+08:00')).toBeUndefined();
  });

  it('the 查实 row of no department lists the complaints answered with none in charge, assigned since or not', () => {
    // Before: hasDepartment=false (none in charge now), which lost a complaint assigned after its answer.
    expect(params(findingListLink('2025-11', '', 'substantiated'))).toEqual({
      answeredFrom: '2025-11-01',
      answeredTo: '2025-12-01',
      answeredBy: '',
      finding: 'substantiated',
    });
  });
});

describe('board links', async () => {
  const boardUrl = new URL('./public/js/board-summary.js', import.meta.url).href;
  const { complaintsLink } = (await import(boardUrl)) as { complaintsLink: Link };

  it("a department's complaint count lists that department's, and the count of none lists those without one", () => {
    const filters = { color: 'red' };
    expect(params(complaintsLink(filters, { centerId: 'c1', departmentId: 'd1' }))).toEqual({
      color: 'red',
      centerId: 'c1',
      departmentId: 'd1',
    });
    expect(params(complaintsLink(filters, { centerId: 'c1', departmentId: '' }))).toEqual({
      color: 'red',
      centerId: 'c1',
      hasDepartment: 'false',
    });
  });
});
