/** fast-check generators of valid case histories. */
import fc from 'fast-check';
import type { CaseEvent } from '../events.js';
import { dayFromYmd, MS_PER_DAY, MS_PER_HOUR, formatInstant } from '../time.js';
import { accepted, completed, decode, escalated, paused, resumed } from './fixtures.js';

import { ESCALATION_LEVELS as LEVELS, PAUSE_REASONS as REASONS } from '../lists.js';

export interface History {
  readonly events: CaseEvent[];
  /** Instant of each event. */
  readonly at: number[];
  readonly last: number;
}

type Step =
  | { kind: 'pause'; gapH: number; reason: number; declared: number | null }
  | { kind: 'resume'; gapH: number; which: number }
  | { kind: 'escalate'; gapH: number; level: number; within: number | null };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('pause' as const),
    gapH: fc.integer({ min: 0, max: 240 }),
    reason: fc.nat(REASONS.length - 1),
    declared: fc.option(fc.integer({ min: 0, max: 12 })),
  }),
  fc.record({ kind: fc.constant('resume' as const), gapH: fc.integer({ min: 0, max: 240 }), which: fc.nat(5) }),
  fc.record({
    kind: fc.constant('escalate' as const),
    gapH: fc.integer({ min: 0, max: 240 }),
    level: fc.nat(2),
    within: fc.option(fc.integer({ min: 0, max: 6 })),
  }),
);

/** Offsets to write instants in: the same instant must evaluate the same whatever its offset. */
export const OFFSET_ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'] as const;

/**
 * A valid history (decide would accept it): accepted between 2015 and 2026,
 * then pauses, resumes and escalations; optionally completed (open pauses resumed first).
 */
export const historyArb = (opts: { complete?: boolean } = {}) =>
  fc
    .record({
      day: fc.integer({ min: dayFromYmd(2015, 1, 1), max: dayFromYmd(2026, 10, 1) }),
      minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      promised: fc.integer({ min: 0, max: 25 }),
      steps: fc.array(stepArb, { maxLength: 6 }),
      completeGapH: fc.integer({ min: 0, max: 24 * 40 }),
      complete: opts.complete === undefined ? fc.boolean() : fc.constant(opts.complete),
      zones: fc.array(fc.nat(OFFSET_ZONES.length - 1), { minLength: 12, maxLength: 12 }),
    })
    .map((g): History => {
      const id = 'P-1';
      let t = g.day * MS_PER_DAY - 8 * MS_PER_HOUR + g.minute * 60_000;
      const events: CaseEvent[] = [];
      const at: number[] = [];
      const iso = () => formatInstant(t, OFFSET_ZONES[g.zones[events.length % 12]!]!);
      const push = (e: CaseEvent) => {
        events.push(e);
        at.push(t);
      };
      push(accepted(id, iso(), g.promised));
      const open: string[] = [];
      let n = 0;
      for (const s of g.steps) {
        t += s.gapH * MS_PER_HOUR + 60_000;
        if (s.kind === 'pause') {
          const pid = `p${n++}`;
          push(
            paused(id, iso(), pid, {
              reason: REASONS[s.reason]!,
              ...(s.declared === null ? {} : { declaredDays: s.declared }),
            }),
          );
          open.push(pid);
        } else if (s.kind === 'resume' && open.length > 0) {
          const [pid] = open.splice(s.which % open.length, 1);
          push(resumed(id, iso(), pid!));
        } else if (s.kind === 'escalate') {
          push(escalated(id, iso(), LEVELS[s.level]!, s.within === null ? {} : { respondWithinDays: s.within }));
        }
      }
      if (g.complete) {
        for (const pid of open.splice(0)) {
          t += 3 * MS_PER_HOUR;
          push(resumed(id, iso(), pid));
        }
        t += g.completeGapH * MS_PER_HOUR + 60_000;
        push(completed(id, iso()));
      }
      return { events, at, last: t };
    });

/** Re-write every event's occurredAt in the given zone's offset. */
export function rewriteOffsets(h: History, zone: string): CaseEvent[] {
  return h.events.map((e, i) => decode({ ...e, occurredAt: formatInstant(h.at[i]!, zone) }));
}
