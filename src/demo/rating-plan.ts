/**
 * 好差评 for the demo: after a case's completion the applicant often rates it
 * (mostly 4–5, a few 差评); a 差评 is mostly followed up (整改回访) within the
 * policy's badRatingFollowUpDays, sometimes late, rarely never, so the
 * `bad-rating-unresolved` card and the ratings figures show on a fresh start.
 * Planned after the rest of the case with the same generator, so the case's
 * other events are the same as without ratings.
 */
import type { CaseEvent } from '../domain/events.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { formatInstant } from '../domain/time.js';
import { type GeneratedCase, officeMinute, type PlanContext } from './case-plan.js';
import type { Rng } from './prng.js';

const MINUTE = 60_000;

/** Share of completed cases the applicant rates (评价率). */
export const RATED_SHARE = 0.6;

const COMMENTS: Readonly<Record<number, string>> = {
  1: '多次往返，办理时间过长',
  2: '窗口解释不清楚',
  5: '办理快捷，服务热情',
};

/** The case with a rating (and, for a 差评, its follow-up) after its completion, or unchanged. */
export function withRating(ctx: PlanContext, rng: Rng, c: GeneratedCase): GeneratedCase {
  const last = c.events[c.events.length - 1];
  if (last?.type !== 'CaseCompleted' || !rng.chance(RATED_SHARE)) return c;
  const cal = ctx.calendar;
  const completedAt = c.at[c.at.length - 1]!;
  const score = rng.weighted<number>([
    [5, 0.72],
    [4, 0.18],
    [3, 0.05],
    [2, 0.03],
    [1, 0.02],
  ]);
  const channel = rng.weighted<string>([
    ['window', 0.45],
    ['online', 0.3],
    ['sms', 0.2],
    ['kiosk', 0.05],
  ]);
  const at = [...c.at];
  const events = [...c.events];
  const lags = [...c.recordLagMs];
  const add = (event: Record<string, unknown>, afterDays: number) => {
    const prev = at[at.length - 1]!;
    const day = cal.nthWorkdayAfter(cal.dayOf(prev), afterDays);
    let t = cal.startOfDay(day) + officeMinute(rng) * MINUTE + rng.int(0, 59) * 1000;
    if (t <= prev) t = prev + rng.int(2, 90) * MINUTE;
    events.push({ ...event, caseId: c.caseId, occurredAt: formatInstant(t, ctx.zone) } as unknown as CaseEvent);
    at.push(t);
    lags.push(rng.int(5, 600) * 1000);
  };
  const rating: Record<string, unknown> = { type: 'CaseRated', eventId: rng.uuid(), score, channel };
  const comment = COMMENTS[score];
  if (comment !== undefined && rng.chance(0.5)) rating['comment'] = comment;
  add(rating, rng.chance(0.7) ? 0 : rng.int(1, 3));
  if (completedAt > at[at.length - 1]!) throw new Error('demo rating before its completion');
  if (score <= 2) {
    const days = DEFAULT_POLICY.badRatingFollowUpDays;
    const r = rng.next();
    // most in time, some late, a few never (the card stays in force)
    if (r < 0.8)
      add(
        { type: 'RatingFollowedUp', eventId: rng.uuid(), note: '已电话回访，说明情况并整改', by: '窗口负责人' },
        rng.int(1, days - 1),
      );
    else if (r < 0.92)
      add(
        { type: 'RatingFollowedUp', eventId: rng.uuid(), note: '逾期回访，已整改', by: '窗口负责人' },
        rng.int(days + 1, days + 6),
      );
  }
  return { ...c, events, at, recordLagMs: lags };
}
