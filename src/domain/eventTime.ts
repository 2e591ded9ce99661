/**
 * SPEC §2 / §4 time rule shared by every stream's decide (cases, complaints):
 * within a stream `occurredAt` never goes backwards, and an event may not lie
 * more than the policy's tolerance in the future (422 time-rejected).
 */
import { DEFAULT_POLICY } from './policy.js';
import { formatInstant, MS_PER_MINUTE } from './time.js';
import type { EpochMs } from './types.js';

export interface TimeRejection {
  readonly code: 'time-rejected';
  readonly message: string;
  readonly details: { readonly field: 'occurredAt' };
}

export interface EventTimeOptions {
  readonly zone?: string;
  readonly futureToleranceMinutes?: number;
}

/** Why an event at `at` may not follow a stream whose last event was at `last` (undefined: it may). */
export function eventTimeRejection(
  at: EpochMs,
  last: EpochMs | undefined,
  now: EpochMs,
  options: EventTimeOptions,
  streamNoun: string,
): TimeRejection | undefined {
  const zone = options.zone ?? 'Asia/Shanghai';
  const rejected = (message: string): TimeRejection => ({
    code: 'time-rejected',
    message,
    details: { field: 'occurredAt' },
  });
  if (last !== undefined && at < last) {
    return rejected(
      `occurredAt ${formatInstant(at, zone)} is before the ${streamNoun}'s last event at ${formatInstant(last, zone)}`,
    );
  }
  const tolerance = (options.futureToleranceMinutes ?? DEFAULT_POLICY.futureToleranceMinutes) * MS_PER_MINUTE;
  if (at > now + tolerance) {
    return rejected(
      `occurredAt ${formatInstant(at, zone)} is more than ${tolerance / MS_PER_MINUTE} minutes in the future (now ${formatInstant(now, zone)})`,
    );
  }
  return undefined;
}
