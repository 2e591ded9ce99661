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
import type { EpochMs } from '../domain/types.js';
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
  const score = drawScore(rng);
  const channel = drawChannel(rng);
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

/** Mostly 4–5, a few 差评 (≤ 2). */
function drawScore(rng: Rng): number {
  return rng.weighted<number>([
    [5, 0.72],
    [4, 0.18],
    [3, 0.05],
    [2, 0.03],
    [1, 0.02],
  ]);
}

function drawChannel(rng: Rng): string {
  return rng.weighted<string>([
    ['window', 0.45],
    ['online', 0.3],
    ['sms', 0.2],
    ['kiosk', 0.05],
  ]);
}

interface Pending {
  readonly at: EpochMs;
  readonly caseId: string;
  /** The follow-up of a 差评 (else the rating itself). */
  readonly followUp: boolean;
}

/**
 * The live feed's ratings: a case completed live is rated minutes later (demo
 * time, divided by the feed's speed) with the same shares as the history, and
 * a 差评 is followed up a few hours later, or never.
 */
export class LiveRatings {
  private pending: Pending[] = [];

  constructor(private readonly speed: number) {}

  completed(caseId: string, at: EpochMs, rng: Rng): void {
    if (rng.chance(RATED_SHARE))
      this.pending.push({ at: at + Math.round((rng.int(3, 60) * MINUTE) / this.speed), caseId, followUp: false });
  }

  /** The ratings and follow-ups due by `now`, as events at `now` (never before the completion they follow). */
  due(now: EpochMs, rng: Rng, zone: string): CaseEvent[] {
    const due = this.pending.filter((p) => p.at <= now);
    if (due.length === 0) return [];
    this.pending = this.pending.filter((p) => p.at > now);
    const occurredAt = formatInstant(now, zone);
    return due.map((p) => {
      if (p.followUp)
        return {
          type: 'RatingFollowedUp',
          caseId: p.caseId,
          eventId: rng.uuid(),
          occurredAt,
          note: '已电话回访，说明情况并整改',
          by: '窗口负责人',
        } as unknown as CaseEvent;
      const score = drawScore(rng);
      if (score <= 2 && rng.chance(0.9))
        this.pending.push({
          at: now + Math.round((rng.int(30, 240) * MINUTE) / this.speed),
          caseId: p.caseId,
          followUp: true,
        });
      return {
        type: 'CaseRated',
        caseId: p.caseId,
        eventId: rng.uuid(),
        occurredAt,
        score,
        channel: drawChannel(rng),
      } as unknown as CaseEvent;
    });
  }
}
